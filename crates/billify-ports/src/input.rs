//! Invoice fields as people type them: text, possibly incomplete or wrong. One type for every
//! path that carries such fields (the create endpoint, a draft read from a document, the review
//! form), so they are named once; `billify-app` parses them into a `NewInvoice`.

/// Invoice fields as text, exactly as a person would type them. Empty optional text counts as
/// absent.
///
/// A draft stores the fields a document carries (all but `amount_paid`, `manual_urgency` and
/// `external_reference`, which a draft never holds); it is parsed into an invoice only on
/// confirmation, so it can hold incomplete or wrong values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InvoiceInput {
    pub direction: Option<String>,
    /// `invoice` (default) or `credit_note`.
    pub kind: Option<String>,
    /// For a credit note: the number of the invoice it corrects (BG-3), as the document names
    /// it; the use case resolves it to an invoice.
    pub corrects_invoice_number: Option<String>,
    pub invoice_number: Option<String>,
    pub counterparty_name: Option<String>,
    pub counterparty_vat_number: Option<String>,
    pub counterparty_iban: Option<String>,
    pub counterparty_bic: Option<String>,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    /// Defaults to EUR.
    pub currency: Option<String>,
    pub subtotal: Option<String>,
    pub vat_amount: Option<String>,
    pub total: Option<String>,
    pub amount_paid: Option<String>,
    pub manual_urgency: Option<String>,
    pub payment_reference: Option<String>,
    pub external_reference: Option<String>,
}

/// A change to [`InvoiceInput`], per field: `None` keeps the field, `Some(None)` clears it and
/// `Some(Some(text))` sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InputChanges {
    pub direction: Option<Option<String>>,
    pub kind: Option<Option<String>>,
    pub corrects_invoice_number: Option<Option<String>>,
    pub invoice_number: Option<Option<String>>,
    pub counterparty_name: Option<Option<String>>,
    pub counterparty_vat_number: Option<Option<String>>,
    pub counterparty_iban: Option<Option<String>>,
    pub counterparty_bic: Option<Option<String>>,
    pub issue_date: Option<Option<String>>,
    pub due_date: Option<Option<String>>,
    pub currency: Option<Option<String>>,
    pub subtotal: Option<Option<String>>,
    pub vat_amount: Option<Option<String>>,
    pub total: Option<Option<String>>,
    pub amount_paid: Option<Option<String>>,
    pub manual_urgency: Option<Option<String>>,
    pub payment_reference: Option<Option<String>>,
    pub external_reference: Option<Option<String>>,
}

impl InputChanges {
    /// Changes that replace every field with `input`'s.
    pub fn replace_with(input: InvoiceInput) -> Self {
        InputChanges {
            direction: Some(input.direction),
            kind: Some(input.kind),
            corrects_invoice_number: Some(input.corrects_invoice_number),
            invoice_number: Some(input.invoice_number),
            counterparty_name: Some(input.counterparty_name),
            counterparty_vat_number: Some(input.counterparty_vat_number),
            counterparty_iban: Some(input.counterparty_iban),
            counterparty_bic: Some(input.counterparty_bic),
            issue_date: Some(input.issue_date),
            due_date: Some(input.due_date),
            currency: Some(input.currency),
            subtotal: Some(input.subtotal),
            vat_amount: Some(input.vat_amount),
            total: Some(input.total),
            amount_paid: Some(input.amount_paid),
            manual_urgency: Some(input.manual_urgency),
            payment_reference: Some(input.payment_reference),
            external_reference: Some(input.external_reference),
        }
    }

    /// `input` with these changes applied.
    pub fn apply(self, mut input: InvoiceInput) -> InvoiceInput {
        fn set(target: &mut Option<String>, value: Option<Option<String>>) {
            if let Some(v) = value {
                *target = v;
            }
        }
        set(&mut input.direction, self.direction);
        set(&mut input.kind, self.kind);
        set(&mut input.corrects_invoice_number, self.corrects_invoice_number);
        set(&mut input.invoice_number, self.invoice_number);
        set(&mut input.counterparty_name, self.counterparty_name);
        set(&mut input.counterparty_vat_number, self.counterparty_vat_number);
        set(&mut input.counterparty_iban, self.counterparty_iban);
        set(&mut input.counterparty_bic, self.counterparty_bic);
        set(&mut input.issue_date, self.issue_date);
        set(&mut input.due_date, self.due_date);
        set(&mut input.currency, self.currency);
        set(&mut input.subtotal, self.subtotal);
        set(&mut input.vat_amount, self.vat_amount);
        set(&mut input.total, self.total);
        set(&mut input.amount_paid, self.amount_paid);
        set(&mut input.manual_urgency, self.manual_urgency);
        set(&mut input.payment_reference, self.payment_reference);
        set(&mut input.external_reference, self.external_reference);
        input
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_clear_and_set() {
        let input = InvoiceInput { total: Some("1.00".into()), subtotal: Some("2.00".into()), ..Default::default() };
        let changes =
            InputChanges { subtotal: Some(None), invoice_number: Some(Some("A-1".into())), ..InputChanges::default() };
        let out = changes.apply(input.clone());
        assert_eq!(out.total.as_deref(), Some("1.00"));
        assert_eq!(out.subtotal, None);
        assert_eq!(out.invoice_number.as_deref(), Some("A-1"));
        let replaced = InputChanges::replace_with(InvoiceInput::default()).apply(input);
        assert_eq!(replaced, InvoiceInput::default());
    }
}
