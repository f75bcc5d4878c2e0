//! A person's allocation of a transaction to invoices (a manual match, an accepted suggestion),
//! checked field by field.

use std::collections::HashSet;

use super::{OpenItem, PaymentFacts};
use crate::Currency;

/// Why a person's allocation was refused; `field` names the input at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    /// An amount is zero or negative.
    #[error("{field}: the amount must be greater than zero")]
    NotPositive {
        /// The input at fault.
        field: String,
    },
    /// The transaction's direction does not fit the invoice (a credit against a payable).
    #[error("{field}: a {flow} transaction cannot pay this invoice, whose payment flows {expected}")]
    DirectionMismatch {
        /// The input at fault.
        field: String,
        /// The transaction's flow code.
        flow: &'static str,
        /// The invoice's flow code.
        expected: &'static str,
    },
    /// The currencies differ.
    #[error("{field}: the invoice is in {invoice}, the transaction in {transaction}")]
    CurrencyMismatch {
        /// The input at fault.
        field: String,
        /// The invoice's currency.
        invoice: Currency,
        /// The transaction's currency.
        transaction: Currency,
    },
    /// More than the invoice still has open.
    #[error("{field}: the amount is more than the {open_minor} minor units still open on the invoice")]
    AboveOpen {
        /// The input at fault.
        field: String,
        /// What is open.
        open_minor: i64,
    },
    /// More than the transaction still has unallocated.
    #[error("{field}: the amounts add up to more than the {remaining_minor} minor units the transaction still has")]
    AboveRemaining {
        /// The input at fault.
        field: String,
        /// What the transaction still has.
        remaining_minor: i64,
    },
    /// Nothing of the transaction is left to allocate.
    #[error("{field}: the transaction is already fully matched")]
    FullyMatched {
        /// The input at fault.
        field: String,
    },
    /// One invoice is named twice.
    #[error("{field}: the invoice is named twice")]
    Duplicate {
        /// The input at fault.
        field: String,
    },
}

impl AllocationError {
    /// The input at fault, e.g. `invoices[1].amount`.
    pub fn field(&self) -> &str {
        match self {
            AllocationError::NotPositive { field }
            | AllocationError::DirectionMismatch { field, .. }
            | AllocationError::CurrencyMismatch { field, .. }
            | AllocationError::AboveOpen { field, .. }
            | AllocationError::AboveRemaining { field, .. }
            | AllocationError::FullyMatched { field }
            | AllocationError::Duplicate { field } => field,
        }
    }
}

/// Checks a person's allocation of a transaction to invoices (a manual match or an accepted
/// suggestion): every amount positive and at most what its invoice has open, the flows and
/// currencies fitting, and the sum at most what the transaction still has unallocated.
/// `remaining_minor` is the transaction's unallocated amount (positive).
pub fn check_allocation(
    payment: &PaymentFacts,
    remaining_minor: i64,
    parts: &[(&OpenItem, i64)],
) -> Result<(), AllocationError> {
    if remaining_minor <= 0 {
        return Err(AllocationError::FullyMatched { field: "transaction_id".to_owned() });
    }
    let mut sum: i64 = 0;
    let mut seen = HashSet::new();
    for (index, (item, amount)) in parts.iter().enumerate() {
        let field = |name: &str| format!("invoices[{index}].{name}");
        if !seen.insert(item.invoice_id) {
            return Err(AllocationError::Duplicate { field: field("invoice_id") });
        }
        if item.flow != payment.flow() {
            return Err(AllocationError::DirectionMismatch {
                field: field("invoice_id"),
                flow: payment.flow().code(),
                expected: item.flow.code(),
            });
        }
        if item.currency != payment.currency {
            return Err(AllocationError::CurrencyMismatch {
                field: field("invoice_id"),
                invoice: item.currency,
                transaction: payment.currency,
            });
        }
        if *amount <= 0 {
            return Err(AllocationError::NotPositive { field: field("amount") });
        }
        if *amount > item.open_minor {
            return Err(AllocationError::AboveOpen { field: field("amount"), open_minor: item.open_minor });
        }
        sum = sum.saturating_add(*amount);
        if sum > remaining_minor {
            return Err(AllocationError::AboveRemaining { field: field("amount"), remaining_minor });
        }
    }
    Ok(())
}
