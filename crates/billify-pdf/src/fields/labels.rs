//! Multilingual labels (English, Dutch, French, German; other European languages in
//! [`super::labels_europe`]), lower case with diacritics folded, and how a cell's label is found.

use std::sync::LazyLock;

use super::amount_labels::{AMOUNT_LABELS, GROSS_WORDS, NET_WORDS};
pub(crate) use super::kind::Kind;
use super::labels_europe::EUROPE_LABELS;
use super::labels_europe_more::MORE_EUROPE_LABELS;
use super::labels_software::{SOFTWARE_LABELS, typed_title_number};
pub(crate) use super::legal_forms::LEGAL_FORMS;

/// (label, kind) of the document, its dates, terms, payment details and parties, and of other
/// things; the labels of amounts are in [`AMOUNT_LABELS`]. Matching takes the longest label of
/// both at the start of a cell.
pub(crate) const LABELS: &[(&str, Kind)] = &[
    // Invoice number.
    ("invoice number", Kind::InvoiceNumber),
    ("invoice no", Kind::InvoiceNumber),
    ("invoice nr", Kind::InvoiceNumber),
    ("invoice #", Kind::InvoiceNumber),
    ("invoice n°", Kind::InvoiceNumber),
    ("invoice id", Kind::InvoiceNumber),
    ("invoice num", Kind::InvoiceNumber),
    ("inv no", Kind::InvoiceNumber),
    ("bill number", Kind::InvoiceNumber),
    ("credit note number", Kind::InvoiceNumber),
    ("credit note no", Kind::InvoiceNumber),
    ("factuurnummer", Kind::InvoiceNumber),
    ("factuur nummer", Kind::InvoiceNumber),
    ("factuurnr", Kind::InvoiceNumber),
    ("factuur nr", Kind::InvoiceNumber),
    ("factuur no", Kind::InvoiceNumber),
    ("nummer factuur", Kind::InvoiceNumber),
    ("creditnotanummer", Kind::InvoiceNumber),
    ("creditnota nummer", Kind::InvoiceNumber),
    ("creditnota nr", Kind::InvoiceNumber),
    ("numero de facture", Kind::InvoiceNumber),
    ("n° de facture", Kind::InvoiceNumber),
    ("no de facture", Kind::InvoiceNumber),
    ("n° facture", Kind::InvoiceNumber),
    ("numero facture", Kind::InvoiceNumber),
    ("facture n°", Kind::InvoiceNumber),
    ("facture no", Kind::InvoiceNumber),
    ("facture nr", Kind::InvoiceNumber),
    ("facture numero", Kind::InvoiceNumber),
    ("note de credit n°", Kind::InvoiceNumber),
    ("rechnungsnummer", Kind::InvoiceNumber),
    ("rechnungs-nr", Kind::InvoiceNumber),
    ("rechnungsnr", Kind::InvoiceNumber),
    ("rechnung nr", Kind::InvoiceNumber),
    ("rechnung-nr", Kind::InvoiceNumber),
    ("rechnungs nr", Kind::InvoiceNumber),
    ("gutschriftsnummer", Kind::InvoiceNumber),
    ("gutschrift nr", Kind::InvoiceNumber),
    ("gutschrift-nr", Kind::InvoiceNumber),
    ("rechnungskorrektur nr", Kind::InvoiceNumber),
    ("belegnr", Kind::InvoiceNumber),
    ("belegnummer", Kind::InvoiceNumber),
    ("beleg-nr", Kind::InvoiceNumber),
    ("beleg nr", Kind::InvoiceNumber),
    ("handelsrechnung nr", Kind::InvoiceNumber),
    ("handelsrechnung", Kind::InvoiceWord),
    ("bill no", Kind::InvoiceNumber),
    ("bill #", Kind::InvoiceNumber),
    ("bill nr", Kind::InvoiceNumber),
    ("document no", Kind::InvoiceNumber),
    ("document number", Kind::InvoiceNumber),
    ("document nr", Kind::InvoiceNumber),
    ("document #", Kind::InvoiceNumber),
    ("doc no", Kind::InvoiceNumber),
    ("invoice reference", Kind::InvoiceNumber),
    ("reference de facture", Kind::InvoiceNumber),
    ("numero", Kind::InvoiceNumber),
    ("nummer", Kind::InvoiceNumber),
    ("number", Kind::InvoiceNumber),
    ("no.", Kind::InvoiceNumber),
    ("nr.", Kind::InvoiceNumber),
    ("n°", Kind::InvoiceNumber),
    ("factuur #", Kind::InvoiceNumber),
    ("facture #", Kind::InvoiceNumber),
    ("avoir n°", Kind::InvoiceNumber),
    // Phrases of real invoices (the templates of invoice2data, written against real PDFs).
    ("faktuurnummer", Kind::InvoiceNumber),
    ("kwitantienummer", Kind::InvoiceNumber),
    ("ticketnummer", Kind::InvoiceNumber),
    ("rechnungs-id", Kind::InvoiceNumber),
    ("re-nummer", Kind::InvoiceNumber),
    ("re-nr", Kind::InvoiceNumber),
    ("receipt number", Kind::InvoiceNumber),
    ("receipt no", Kind::InvoiceNumber),
    ("receipt #", Kind::InvoiceNumber),
    ("vat invoice number", Kind::InvoiceNumber),
    ("vat invoice no", Kind::InvoiceNumber),
    ("votre n° facture", Kind::InvoiceNumber),
    ("votre facture n°", Kind::InvoiceNumber),
    ("n. de la facture", Kind::InvoiceNumber),
    ("n° de la facture", Kind::InvoiceNumber),
    ("numero de la facture", Kind::InvoiceNumber),
    ("reference facture", Kind::InvoiceNumber),
    ("reference de la facture", Kind::InvoiceNumber),
    ("document-nr", Kind::InvoiceNumber),
    ("appel de prime n°", Kind::InvoiceNumber),
    ("dated", Kind::IssueDate),
    ("issued", Kind::IssueDate),
    ("document date", Kind::IssueDate),
    ("date du document", Kind::IssueDate),
    ("date document", Kind::IssueDate),
    ("emise le", Kind::IssueDate),
    ("facture du", Kind::IssueDate),
    ("votre facture du", Kind::IssueDate),
    ("vat invoice date", Kind::IssueDate),
    ("lieferdatum/rechnungsdatum", Kind::IssueDate),
    ("rechnungs-/lieferdatum", Kind::IssueDate),
    ("niet later dan", Kind::DueDate),
    ("please pay by", Kind::DueDate),
    ("payment before", Kind::DueDate),
    ("issued to", Kind::Buyer),
    ("rekeningnr", Kind::Iban),
    ("ob-nummer", Kind::VatId),
    ("ob nr", Kind::VatId),
    ("omzetbelastingnummer", Kind::VatId),
    // A letter's subject line names the invoice ("Betreft: factuur 2025032"), weakly: a credit
    // note's names the invoice it corrects. A receipt names its ticket ("Kassabon 5138").
    ("betreft: factuur", Kind::InvoiceWord),
    ("betreft factuur", Kind::InvoiceWord),
    ("betreft: creditnota", Kind::InvoiceWord),
    ("onderwerp: factuur", Kind::InvoiceWord),
    ("objet : facture", Kind::InvoiceWord),
    ("objet: facture", Kind::InvoiceWord),
    ("objet : note de credit", Kind::InvoiceWord),
    ("concerne : facture", Kind::InvoiceWord),
    ("concerne: facture", Kind::InvoiceWord),
    ("re: invoice", Kind::InvoiceWord),
    ("re: credit note", Kind::InvoiceWord),
    ("ticketnr", Kind::InvoiceWord),
    ("subject: invoice", Kind::InvoiceWord),
    ("betreff: rechnung", Kind::InvoiceWord),
    ("betreff: gutschrift", Kind::InvoiceWord),
    ("betrifft: rechnung", Kind::InvoiceWord),
    ("betrifft: gutschrift", Kind::InvoiceWord),
    ("kassabon", Kind::InvoiceNumber),
    ("kassabon nr", Kind::InvoiceNumber),
    ("ticket", Kind::InvoiceNumber),
    ("ticket n°", Kind::InvoiceNumber),
    ("ticket nr", Kind::InvoiceNumber),
    ("bon", Kind::InvoiceNumber),
    ("bon nr", Kind::InvoiceNumber),
    ("bon n°", Kind::InvoiceNumber),
    ("bon de commande", Kind::Other),
    ("kassa", Kind::Other),
    ("caisse", Kind::Other),
    ("bediende", Kind::Other),
    ("bediende/vendeur", Kind::Other),
    ("vendeur/bediende", Kind::Other),
    ("kassier", Kind::Other),
    ("caissier", Kind::Other),
    ("cashier", Kind::Other),
    ("served by", Kind::Other),
    ("terminal", Kind::Other),
    ("verkocht door", Kind::Seller),
    ("credit no", Kind::InvoiceNumber),
    ("credit #", Kind::InvoiceNumber),
    ("credit number", Kind::InvoiceNumber),
    ("credit memo", Kind::InvoiceWord),
    ("credit memo no", Kind::InvoiceNumber),
    ("credit memo #", Kind::InvoiceNumber),
    ("adjustment note", Kind::InvoiceWord),
    ("adjustment note no", Kind::InvoiceNumber),
    ("tax invoice no", Kind::InvoiceNumber),
    ("tax invoice number", Kind::InvoiceNumber),
    ("tax invoice #", Kind::InvoiceNumber),
    ("invoice/tax date", Kind::IssueDate),
    ("tax date", Kind::IssueDate),
    ("tax point", Kind::IssueDate),
    ("details", Kind::Other),
    ("customer vat id", Kind::VatId),
    ("customer vat", Kind::VatId),
    ("customer vat no", Kind::VatId),
    ("customer vat number", Kind::VatId),
    ("customer tax id", Kind::VatId),
    ("client vat", Kind::VatId),
    // Insurers' premium notices and notes ("Documentnummer", "Notanummer", "N° de document").
    ("documentnummer", Kind::InvoiceNumber),
    ("documentnr", Kind::InvoiceNumber),
    ("document n°", Kind::InvoiceNumber),
    ("n° de document", Kind::InvoiceNumber),
    ("dokumentnr", Kind::InvoiceNumber),
    ("dokumentnummer", Kind::InvoiceNumber),
    ("document nummer", Kind::InvoiceNumber),
    ("notanummer", Kind::InvoiceNumber),
    ("nota nummer", Kind::InvoiceNumber),
    ("numero de document", Kind::InvoiceNumber),
    ("n° de document", Kind::InvoiceNumber),
    ("no de document", Kind::InvoiceNumber),
    ("dokumentnummer", Kind::InvoiceNumber),
    ("n° d'avoir", Kind::InvoiceNumber),
    ("avoir", Kind::InvoiceWord),
    ("invoice", Kind::InvoiceWord),
    ("tax invoice", Kind::InvoiceWord),
    // ERP titles with the number beside them ("Sales Invoice  SINV-24-00012").
    ("sales invoice", Kind::InvoiceNumber),
    ("ausgangsrechnung", Kind::InvoiceNumber),
    ("factuur", Kind::InvoiceWord),
    ("facture", Kind::InvoiceWord),
    ("rechnung", Kind::InvoiceWord),
    ("creditnota", Kind::InvoiceWord),
    ("creditfactuur", Kind::InvoiceWord),
    ("verkoopfactuur", Kind::InvoiceWord),
    ("credit note", Kind::InvoiceWord),
    ("note de credit", Kind::InvoiceWord),
    ("gutschrift", Kind::InvoiceWord),
    ("rechnungskorrektur", Kind::InvoiceWord),
    // Issue date.
    ("invoice date", Kind::IssueDate),
    ("date of invoice", Kind::IssueDate),
    ("date of issue", Kind::IssueDate),
    ("issue date", Kind::IssueDate),
    ("issued on", Kind::IssueDate),
    ("billing date", Kind::IssueDate),
    ("date", Kind::IssueDate),
    ("factuurdatum", Kind::IssueDate),
    ("factuur datum", Kind::IssueDate),
    ("datum factuur", Kind::IssueDate),
    ("datum", Kind::IssueDate),
    ("date de facture", Kind::IssueDate),
    ("date de facture associee", Kind::Other),
    ("date de debut", Kind::Other),
    ("date de fin", Kind::Other),
    ("n° de facture associee", Kind::Other),
    ("date de facturation", Kind::IssueDate),
    ("date facture", Kind::IssueDate),
    ("date d'emission", Kind::IssueDate),
    ("emis le", Kind::IssueDate),
    ("rechnungsdatum", Kind::IssueDate),
    ("ausstellungsdatum", Kind::IssueDate),
    ("belegdatum", Kind::IssueDate),
    // Due date.
    ("due date", Kind::DueDate),
    ("invoice due date", Kind::DueDate),
    ("date due", Kind::DueDate),
    ("payment due", Kind::DueDate),
    ("payment due date", Kind::DueDate),
    ("due on", Kind::DueDate),
    ("due", Kind::DueDate),
    ("due by", Kind::DueDate),
    ("payment due by", Kind::DueDate),
    ("pay before", Kind::DueDate),
    ("deadline", Kind::DueDate),
    ("payment deadline", Kind::DueDate),
    ("payable before", Kind::DueDate),
    ("vervaldatum", Kind::DueDate),
    ("te voldoen voor", Kind::DueDate),
    ("vervalt op", Kind::DueDate),
    ("echeance le", Kind::DueDate),
    ("expire le", Kind::DueDate),
    ("te betalen voor", Kind::DueDate),
    ("vervaldag", Kind::DueDate),
    ("uiterste betaaldatum", Kind::DueDate),
    ("te betalen voor", Kind::DueDate),
    ("te betalen tegen", Kind::DueDate),
    ("betalen voor", Kind::DueDate),
    ("date d'echeance", Kind::DueDate),
    ("date echeance", Kind::DueDate),
    ("echeance", Kind::DueDate),
    ("date limite de paiement", Kind::DueDate),
    // Lino's due date: "Date of payment : 16/02/2025", "Date de paiement : 21/08/2024".
    ("date de paiement", Kind::DueDate),
    ("date of payment", Kind::DueDate),
    ("zahlungsdatum", Kind::DueDate),
    ("a payer avant", Kind::DueDate),
    ("a payer avant le", Kind::DueDate),
    ("payable avant", Kind::DueDate),
    ("faelligkeitsdatum", Kind::DueDate),
    ("falligkeitsdatum", Kind::DueDate),
    ("fallig am", Kind::DueDate),
    ("fallig bis", Kind::DueDate),
    ("fallig bis zum", Kind::DueDate),
    ("fallig", Kind::DueDate),
    ("falligkeit", Kind::DueDate),
    ("falligkeitstag", Kind::DueDate),
    ("zahlbar bis", Kind::DueDate),
    ("zahlbar bis zum", Kind::DueDate),
    // Payment terms.
    ("payment terms", Kind::Terms),
    ("terms", Kind::Terms),
    ("betalingstermijn", Kind::Terms),
    ("betalingsvoorwaarden", Kind::Terms),
    ("betaaltermijn", Kind::Terms),
    ("conditions de paiement", Kind::Terms),
    ("conditions de reglement", Kind::Terms),
    ("delai de paiement", Kind::Terms),
    ("zahlungsbedingungen", Kind::Terms),
    ("zahlungsziel", Kind::Terms),
    // Sums and breakdown columns that are not the document's totals.
    ("sum of invoice line net amount", Kind::Other),
    ("summe aller positionen", Kind::Other),
    ("gesamtbetrag nach kategorie", Kind::Other),
    ("kategoriespezifischer steuerbetrag", Kind::Other),
    ("line net amount", Kind::Other),
    ("net price", Kind::Other),
    ("nettopreis", Kind::Other),
    ("item name", Kind::Other),
    ("artikelname", Kind::Other),
    // Party labels that start longer labels of other things.
    ("buyer reference", Kind::Other),
    ("kauferreferenz", Kind::Other),
    ("seller identifier", Kind::Other),
    ("buyer identifier", Kind::Other),
    ("customer reference", Kind::Other),
    ("invoice currency code", Kind::Other),
    ("rechnungswahrung", Kind::Other),
    // Section headings (e-invoice viewers, ERP print layouts).
    ("overview", Kind::Section),
    ("ubersicht", Kind::Section),
    ("invoice lines", Kind::Section),
    ("rechnungspositionen", Kind::Section),
    ("vat breakdown", Kind::Section),
    ("vat summary", Kind::Section),
    ("tax summary", Kind::Section),
    ("aufschlusselung der umsatzsteuer", Kind::Section),
    ("recapitulatif tva", Kind::Section),
    ("btw-overzicht", Kind::Section),
    ("btw overzicht", Kind::Section),
    ("document totals", Kind::Section),
    ("gesamtbetrage", Kind::Section),
    // A party's name under its label.
    ("name", Kind::Name),
    ("naam", Kind::Name),
    ("nom", Kind::Name),
    ("company name", Kind::Name),
    ("bedrijfsnaam", Kind::Name),
    ("raison sociale", Kind::Name),
    ("razon social", Kind::Name),
    ("ragione sociale", Kind::Name),
    ("denominacion social", Kind::Name),
    ("firmenname", Kind::Name),
    ("firma", Kind::Name),
    // Payment reference.
    ("payment reference", Kind::PaymentRef),
    ("structured reference", Kind::PaymentRef),
    ("structured communication", Kind::PaymentRef),
    ("remittance information", Kind::PaymentRef),
    ("betalingsreferentie", Kind::PaymentRef),
    ("betaalreferentie", Kind::PaymentRef),
    ("betalingskenmerk", Kind::PaymentRef),
    ("betaalkenmerk", Kind::PaymentRef),
    ("gestructureerde mededeling", Kind::PaymentRef),
    ("mededeling", Kind::PaymentRef),
    ("communication structuree", Kind::PaymentRef),
    ("communication", Kind::PaymentRef),
    ("reference de paiement", Kind::PaymentRef),
    ("reference paiement", Kind::PaymentRef),
    ("verwendungszweck", Kind::PaymentRef),
    ("zahlungsreferenz", Kind::PaymentRef),
    ("ogm", Kind::PaymentRef),
    ("vcs", Kind::PaymentRef),
    ("kenmerk", Kind::PaymentRef),
    ("reference", Kind::Reference),
    ("ref", Kind::Reference),
    ("ref.", Kind::Reference),
    ("referentie", Kind::Reference),
    ("referenz", Kind::Reference),
    // Bank.
    ("iban", Kind::Iban),
    ("bank account", Kind::Iban),
    ("account number", Kind::Iban),
    ("rekeningnummer", Kind::Iban),
    ("rekening", Kind::Iban),
    ("bankrekening", Kind::Iban),
    ("compte", Kind::Iban),
    ("compte bancaire", Kind::Iban),
    ("numero de compte", Kind::Iban),
    ("konto", Kind::Iban),
    ("bankverbindung", Kind::Iban),
    ("kontonummer", Kind::Iban),
    ("bic", Kind::Bic),
    ("swift", Kind::Bic),
    ("bic/swift", Kind::Bic),
    ("swift/bic", Kind::Bic),
    ("bic code", Kind::Bic),
    ("swift code", Kind::Bic),
    ("bic-code", Kind::Bic),
    // VAT identification.
    ("vat number", Kind::VatId),
    ("vat no", Kind::VatId),
    ("vat nr", Kind::VatId),
    ("vat id", Kind::VatId),
    ("vat reg", Kind::VatId),
    ("vat registration number", Kind::VatId),
    ("tax id", Kind::VatId),
    ("btw-nummer", Kind::VatId),
    ("btw nummer", Kind::VatId),
    ("btw-nr", Kind::VatId),
    ("btw nr", Kind::VatId),
    ("btw-id", Kind::VatId),
    ("ondernemingsnummer", Kind::VatId),
    ("numero de tva", Kind::VatId),
    ("n° tva", Kind::VatId),
    ("no tva", Kind::VatId),
    ("tva intracommunautaire", Kind::VatId),
    ("numero d'entreprise", Kind::VatId),
    ("n° d'entreprise", Kind::VatId),
    ("n° entreprise", Kind::VatId),
    ("ondernemingsnr", Kind::VatId),
    ("unternehmensnummer", Kind::VatId),
    ("kbo", Kind::VatId),
    ("kbo-nummer", Kind::VatId),
    ("kbo nr", Kind::VatId),
    ("bce", Kind::VatId),
    ("n° bce", Kind::VatId),
    ("ust-idnr", Kind::VatId),
    ("ust-id", Kind::VatId),
    ("ust-idnr.", Kind::VatId),
    ("umsatzsteuer-id", Kind::VatId),
    ("ust-id-nr", Kind::VatId),
    ("steuernummer", Kind::VatId),
    // Parties.
    ("from", Kind::Seller),
    ("van:", Kind::Seller),
    ("sold by", Kind::Seller),
    ("service provider", Kind::Seller),
    ("verkauft von", Kind::Seller),
    ("vendu par", Kind::Seller),
    ("supplier", Kind::Seller),
    ("seller", Kind::Seller),
    ("vendor", Kind::Seller),
    ("issued by", Kind::Seller),
    ("issuer", Kind::Seller),
    ("rechnungsaussteller", Kind::Seller),
    ("leverancier", Kind::Seller),
    ("verkoper", Kind::Seller),
    ("fournisseur", Kind::Seller),
    ("vendeur", Kind::Seller),
    ("emetteur", Kind::Seller),
    ("emise par", Kind::Seller),
    ("uitgegeven door", Kind::Seller),
    ("ausgestellt von", Kind::Seller),
    ("emis par", Kind::Seller),
    ("facturee a", Kind::Buyer),
    ("facturee au", Kind::Buyer),
    ("lieferant", Kind::Seller),
    ("verkaufer", Kind::Seller),
    // The KoSIT visualisation's party sections.
    ("informationen zum verkaufer", Kind::Seller),
    ("information about the seller", Kind::Seller),
    ("rechnungssteller", Kind::Seller),
    ("bill to", Kind::Buyer),
    ("bill to address", Kind::Buyer),
    ("billing address", Kind::Buyer),
    ("customer name", Kind::Buyer),
    ("guest name", Kind::Buyer),
    ("nom de l'abonne", Kind::Buyer),
    ("kundenname", Kind::Buyer),
    ("klantnaam", Kind::Buyer),
    ("nom du client", Kind::Buyer),
    ("billed to", Kind::Buyer),
    ("invoice to", Kind::Buyer),
    ("invoiced to", Kind::Buyer),
    ("sold to", Kind::Buyer),
    ("customer", Kind::Buyer),
    ("client", Kind::Buyer),
    ("buyer", Kind::Buyer),
    ("factuur aan", Kind::Buyer),
    ("gefactureerd aan", Kind::Buyer),
    ("klant", Kind::Buyer),
    ("koper", Kind::Buyer),
    ("facture a", Kind::Buyer),
    ("facturer a", Kind::Buyer),
    ("facture adressee a", Kind::Buyer),
    ("adresse a", Kind::Buyer),
    ("adressee a", Kind::Buyer),
    ("gericht aan", Kind::Buyer),
    ("destinataire", Kind::Buyer),
    ("acheteur", Kind::Buyer),
    ("rechnung an", Kind::Buyer),
    ("rechnungsempfaenger", Kind::Buyer),
    ("bill to:", Kind::Buyer),
    ("invoice address", Kind::Buyer),
    ("factuuradres", Kind::Buyer),
    ("adresse de facturation", Kind::Buyer),
    ("rechnungsadresse", Kind::Buyer),
    ("rechnungsempfanger", Kind::Buyer),
    ("kunde", Kind::Buyer),
    ("kaufer", Kind::Buyer),
    ("informationen zum kaufer", Kind::Buyer),
    ("information about the buyer", Kind::Buyer),
    ("to", Kind::To),
    ("aan", Kind::To),
    ("an", Kind::To),
    ("beneficiary", Kind::Payee),
    ("payee", Kind::Payee),
    ("account holder", Kind::Payee),
    ("account name", Kind::Payee),
    ("payable to", Kind::Payee),
    ("pay to", Kind::Payee),
    ("make payable to", Kind::Payee),
    ("in favour of", Kind::Payee),
    ("begunstigde", Kind::Payee),
    ("rekeninghouder", Kind::Payee),
    ("ten name van", Kind::Payee),
    ("t.n.v.", Kind::Payee),
    ("op naam van", Kind::Payee),
    ("beneficiaire", Kind::Payee),
    ("titulaire", Kind::Payee),
    ("au nom de", Kind::Payee),
    ("kontoinhaber", Kind::Payee),
    ("kontoname", Kind::Payee),
    ("zahlungsempfanger", Kind::Payee),
    // EN 16931's payee (BG-10) when it is not the seller, as the XRechnung visualisation
    // heads it: a factor or a collecting agent, not the seller.
    ("abweichender zahlungsempfanger", Kind::Payee),
    ("empfanger", Kind::Payee),
    // Other labels whose values must not be taken for ours.
    ("description", Kind::Other),
    ("omschrijving", Kind::Other),
    ("quantity", Kind::Other),
    ("unit price", Kind::Other),
    ("discount", Kind::Other),
    ("korting", Kind::Other),
    ("remise", Kind::Other),
    ("rabatt", Kind::Other),
    ("delivery date", Kind::Other),
    ("leverdatum", Kind::Other),
    ("date de livraison", Kind::Other),
    ("lieferdatum", Kind::Other),
    ("order number", Kind::Other),
    ("order no", Kind::Other),
    ("order #", Kind::Other),
    ("order id", Kind::Other),
    ("po number", Kind::Other),
    ("po no", Kind::Other),
    ("purchase order", Kind::Other),
    ("bestelnummer", Kind::Other),
    ("bestelling", Kind::Other),
    ("ordernummer", Kind::Other),
    ("bestellnummer", Kind::Other),
    ("auftragsnummer", Kind::Other),
    ("auftrag", Kind::Other),
    ("ihre bestellung", Kind::Other),
    // A DIN 5008 reference line's dates of the buyer's order or letter ("Bestellung vom
    // 11.12.2024" under "Ihre Zeichen, Ihre Nachricht vom"), not the invoice's.
    ("bestellung", Kind::Other),
    ("bestellung vom", Kind::Other),
    ("ihre nachricht vom", Kind::Other),
    ("ihr schreiben vom", Kind::Other),
    ("n° de commande", Kind::Other),
    ("numero de commande", Kind::Other),
    ("commande", Kind::Other),
    ("delivery note", Kind::Other),
    ("delivery no", Kind::Other),
    ("leveringsbon", Kind::Other),
    ("pakbon", Kind::Other),
    ("lieferschein", Kind::Other),
    ("lieferschein-nr", Kind::Other),
    ("bon de livraison", Kind::Other),
    ("customer no", Kind::Other),
    ("customer id", Kind::Other),
    ("customer #", Kind::Other),
    ("account no", Kind::Other),
    ("klantnr", Kind::Other),
    ("klant nr", Kind::Other),
    ("n° client", Kind::Other),
    ("no client", Kind::Other),
    ("code client", Kind::Other),
    ("customer code", Kind::Other),
    // Customer and debtor numbers under other words: the party label's "Nr." is no name.
    ("kunde nr", Kind::Other),
    ("kunde-nr", Kind::Other),
    ("kd.-nr", Kind::Other),
    ("kd-nr", Kind::Other),
    ("client no", Kind::Other),
    ("client nr", Kind::Other),
    ("client n°", Kind::Other),
    ("client number", Kind::Other),
    ("client id", Kind::Other),
    ("customer nr", Kind::Other),
    ("klant no", Kind::Other),
    ("klant-nr", Kind::Other),
    ("numero de client", Kind::Other),
    ("n° de client", Kind::Other),
    ("debiteurnummer", Kind::Other),
    ("debiteur nr", Kind::Other),
    ("debtor no", Kind::Other),
    ("customer ref", Kind::Other),
    ("customer's purchase order", Kind::Other),
    ("klantcode", Kind::Other),
    ("account number", Kind::Other),
    ("ref. client", Kind::Other),
    ("kunden-nr", Kind::Other),
    ("kundennr", Kind::Other),
    ("kunden nr", Kind::Other),
    ("ship to", Kind::Other),
    ("deliver to", Kind::Other),
    ("delivery address", Kind::Other),
    ("leveradres", Kind::Other),
    ("afleveradres", Kind::Other),
    ("adresse de livraison", Kind::Other),
    ("livre a", Kind::Other),
    ("lieferadresse", Kind::Other),
    ("billing period", Kind::Other),
    ("periode", Kind::Other),
    ("hsn/sac", Kind::Other),
    ("gstin", Kind::Other),
    ("your reference", Kind::Other),
    // A letter's own reference (read as the number only when nothing else is).
    ("our reference", Kind::Other),
    ("unser zeichen", Kind::Other),
    ("unsere zeichen", Kind::Other),
    ("mein zeichen", Kind::Other),
    ("ons kenmerk", Kind::Other),
    ("notre reference", Kind::Other),
    ("uw referentie", Kind::Other),
    ("votre reference", Kind::Other),
    ("ihre referenz", Kind::Other),
    ("customer number", Kind::Other),
    ("klantnummer", Kind::Other),
    ("numero client", Kind::Other),
    ("kundennummer", Kind::Other),
    ("bank", Kind::Other),
    ("phone", Kind::Other),
    ("tel", Kind::Other),
    ("email", Kind::Other),
    ("e-mail", Kind::Other),
    ("payment details", Kind::Other),
    ("page", Kind::Other),
    ("pagina", Kind::Other),
    ("seite", Kind::Other),
];

/// Words before a label that add or subtract the amount ("zzgl. Umsatzsteuer 19 %",
/// "abzgl. Nachlass", "./. Anzahlung", "plus VAT").
const ADDING: &[&str] = &["zzgl. ", "zzgl ", "zuzuglich ", "plus "];
const SUBTRACTING: &[&str] = &["abzgl. ", "abzgl ", "abzuglich ", "minus ", "moins ", "./. "];

/// Finds the longest label at the start of `norm_text`, ending at a word boundary. Returns the
/// kind and the label's length in characters. A total followed by "netto" is the subtotal;
/// "zzgl." before a VAT label keeps it a VAT label, before anything else (shipping, fees) and
/// after "abzgl." the amount is none of ours.
pub(crate) fn match_label(norm_text: &str) -> Option<(Kind, usize)> {
    for prefix in ADDING.iter().chain(SUBTRACTING) {
        if let Some(rest) = norm_text.strip_prefix(prefix) {
            let skip = prefix.chars().count();
            let inner = match_plain(rest).map(|(k, n)| (k, n + skip));
            return match inner {
                Some((Kind::Vat, n)) if ADDING.contains(prefix) => Some((Kind::Vat, n)),
                Some((Kind::Prepaid, n)) if SUBTRACTING.contains(prefix) => Some((Kind::Prepaid, n)),
                Some((_, n)) => Some((Kind::Other, n)),
                None => Some((Kind::Other, skip)),
            };
        }
    }
    if let Some(hit) = typed_title_number(norm_text) {
        return Some(hit);
    }
    let Some((kind, len)) = match_plain(norm_text) else {
        return tax_code_label(norm_text)
            .or_else(|| compound_invoice_word(norm_text))
            .or_else(|| included_vat_label(norm_text));
    };
    // "Handelsrechnung (380) Nr. 47110819": the document type's code in brackets between the
    // title and its number label, as e-invoice viewers print it.
    if kind == Kind::InvoiceWord
        && let Some(head) = norm_text.get(..len)
        && let Some(rest) = norm_text.get(len..)
        && let Some(code) = rest.strip_prefix(" (").and_then(|r| r.get(..4))
        && code.ends_with(')')
        && code[..3].bytes().all(|b| b.is_ascii_digit())
        && let Some((Kind::InvoiceNumber, n)) = match_plain(&format!("{head}{}", &rest[6..]))
    {
        return Some((Kind::InvoiceNumber, n + 6));
    }
    // "Vevő / Bill To", "Eräpäivä / Due date": a bilingual label, the second after a slash.
    let rest: String = norm_text.chars().skip(len).collect();
    if let Some(after) = rest.trim_start().strip_prefix('/')
        && let Some((k2, n2)) = match_plain(after.trim_start())
        && (k2 == kind || matches!((kind, k2), (Kind::InvoiceWord, Kind::InvoiceNumber)))
    {
        let skipped = rest.chars().count() - after.trim_start().chars().count();
        return Some((k2, len + skipped + n2));
    }
    if matches!(kind, Kind::Total | Kind::Subtotal) {
        let rest: String = norm_text.chars().skip(len).collect();
        // "Totaal EUR excl. btw", "Total € HT": a currency between the label and its word.
        let rest_trim = rest.trim_start();
        let rest_trim = ["eur ", "€ ", "(eur) ", "in eur "]
            .iter()
            .find_map(|c| rest_trim.strip_prefix(c))
            .map_or(rest_trim, str::trim_start);
        let pad = rest.chars().count() - rest_trim.chars().count();
        let word_at =
            |w: &str| rest_trim.strip_prefix(w).is_some_and(|r| r.chars().next().is_none_or(|c| !c.is_alphanumeric()));
        if let Some(w) = NET_WORDS.iter().find(|w| word_at(w)) {
            return Some((Kind::Subtotal, len + pad + w.chars().count()));
        }
        if kind == Kind::Total
            && let Some(w) = GROSS_WORDS.iter().find(|w| word_at(w))
        {
            return Some((Kind::Total, len + pad + w.chars().count()));
        }
    }
    Some((kind, len))
}

/// A tax named by its code ("VAT21 (21%)", "BTW9", "MwSt19", as Zoho and other tools name
/// their tax rates): a VAT label.
fn tax_code_label(norm_text: &str) -> Option<(Kind, usize)> {
    const TAX_WORDS: &[&str] = &["vat", "btw", "tva", "mwst", "ust", "iva", "gst", "moms", "mva"];
    let word = TAX_WORDS.iter().find(|w| norm_text.starts_with(*w))?;
    let digits = norm_text[word.len()..].chars().take_while(char::is_ascii_digit).count();
    let end = word.len() + digits;
    let boundary = norm_text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
    ((1..=2).contains(&digits) && boundary).then_some((Kind::Vat, end))
}

/// "Incl. 21% VAT", "inkl. 19 % MwSt.": the VAT contained in a gross total, labelled with its
/// rate between the two words (django-cartridge's tax-included shops).
fn included_vat_label(norm_text: &str) -> Option<(Kind, usize)> {
    static INCLUDED: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:incl\.?|inkl\.?|including|inclusief|dont|y compris)\s*\d{1,2}(?:[.,]\d{1,2})?\s*%\s*(?:vat|btw|tva|mwst|ust)\b\.?",
        )
        .ok()
    });
    let m = INCLUDED.as_ref()?.find(norm_text)?;
    Some((Kind::Vat, norm_text[..m.end()].chars().count()))
}

/// German words whose umlaut the labels hold folded ("fallig" for "fällig") and their ASCII
/// spelling ("faellig"), as software without umlauts prints them ("Faellig bis").
const UMLAUT_SPELLINGS: &[(&str, &str)] = &[
    ("fallig", "faellig"),
    ("empfanger", "empfaenger"),
    ("zuglich", "zueglich"),
    ("gebuhr", "gebuehr"),
    ("uberweis", "ueberweis"),
    ("gultig", "gueltig"),
    ("kaufer", "kaeufer"),
    ("wahrung", "waehrung"),
    ("betrage", "betraege"),
    ("geschaft", "geschaeft"),
    ("fuhrer", "fuehrer"),
    ("zuruck", "zurueck"),
];

/// Every label, by its first byte (labels are ASCII after folding, save a few), with the ASCII
/// spelling of its umlauts beside it.
static BY_FIRST_BYTE: LazyLock<Vec<Vec<(String, Kind)>>> = LazyLock::new(|| {
    let mut index = vec![Vec::new(); 256];
    for &(label, kind) in
        LABELS.iter().chain(AMOUNT_LABELS).chain(EUROPE_LABELS).chain(MORE_EUROPE_LABELS).chain(SOFTWARE_LABELS)
    {
        let spelled = UMLAUT_SPELLINGS.iter().fold(label.to_string(), |l, (folded, ascii)| l.replace(folded, ascii));
        for l in [label.to_string(), spelled] {
            if let Some(&b) = l.as_bytes().first()
                && !index[usize::from(b)].iter().any(|(o, _)| *o == l)
            {
                index[usize::from(b)].push((l, kind));
            }
        }
    }
    index
});

/// A German title compounded with "-rechnung" ("Versicherungsrechnung 00.123.456.7-2018-1",
/// "Schlussrechnung Nr. 12"): the invoice word. A statement ("Nebenkostenabrechnung 2024") or a
/// calculation ("Zinsberechnung") is none.
fn compound_invoice_word(norm_text: &str) -> Option<(Kind, usize)> {
    let first = norm_text.split([' ', ':']).next()?;
    let len = first.chars().count();
    (len > "rechnung".len() + 2
        && first.ends_with("rechnung")
        && !["abrechnung", "berechnung", "verrechnung"].iter().any(|w| first.ends_with(w)))
    .then_some((Kind::InvoiceWord, len))
}

fn match_plain(norm_text: &str) -> Option<(Kind, usize)> {
    let mut best: Option<(Kind, usize)> = None;
    let first = usize::from(*norm_text.as_bytes().first()?);
    for (label, kind) in BY_FIRST_BYTE.get(first)? {
        if let Some(rest) = norm_text.strip_prefix(label.as_str()) {
            // "ACHETEUR_BC001" is one word: an underscore joins.
            let boundary = rest.chars().next().is_none_or(|c| !c.is_alphanumeric() && c != '_')
                || label.ends_with(|c: char| !c.is_alphanumeric());
            let len = label.chars().count();
            if boundary && best.is_none_or(|(_, l)| len > l) {
                best = Some((*kind, len));
            }
        }
    }
    best
}
