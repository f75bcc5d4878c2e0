//! What a label announces, shared by the label tables ([`super::labels`],
//! [`super::amount_labels`]) and the readers of each field.

/// What a label announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    InvoiceNumber,
    /// "Invoice", "Factuur", ... alone: a number only on the same line.
    InvoiceWord,
    IssueDate,
    DueDate,
    Terms,
    Subtotal,
    Vat,
    Total,
    Due,
    Prepaid,
    /// A balance in the customer's favour ("Terug te betalen door ons", "Montant à
    /// rembourser", "Guthaben"), as an energy settlement ends when the advances exceed the
    /// consumption: the document gives that amount back.
    Refund,
    /// A rounding line between the VAT and the total ("Rundungsdifferenz", "Arrondi",
    /// "Zaokrouhlení"), as Swiss and Czech invoices round the total to 5 cents or a crown.
    Rounding,
    PaymentRef,
    /// "Reference" alone: weaker than a payment reference label.
    Reference,
    Iban,
    Bic,
    VatId,
    Seller,
    Buyer,
    Payee,
    /// "To:" — a buyer label, or the payee in payment details.
    To,
    /// "Name:" in a party's block (as e-invoice viewers print one): the name follows.
    Name,
    /// A section heading ("VAT breakdown", "Document totals"): no value, no name, and the end
    /// of the table of lines.
    Section,
    /// Labels of other things, listed so that they are not read as values.
    Other,
}
