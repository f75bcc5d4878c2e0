//! The values and steps the contract cases share: a fixed clock, a registered organisation,
//! invoices, documents, drafts, bank data and sessions.

use billify_domain::{BankAccount, BankTransaction, NewBankAccount, NewBankTransaction, ProviderId, RemittanceType};
use billify_domain::{
    Counterparty, Currency, Direction, EmailAddress, Iban, Invoice, InvoiceId, InvoiceKind, InvoiceNumber,
    InvoiceSource, Membership, Money, NewInvoice, Organisation, OrganisationId, OrganisationName, PersonName, Role,
    SessionId, User, UserId,
};
use billify_ports::Session;
use billify_ports::documents::{DocumentDigest, DocumentRecord, Draft, DraftId};
use billify_ports::intake::ExtractionMethod;
use time::macros::{date, datetime};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::Store;

pub(super) const NOW: OffsetDateTime = datetime!(2026-03-02 09:30:15.123456 UTC);
pub(super) const TODAY: Date = date!(2026 - 03 - 02);

/// An audit entry of `organisation`, for the writes that store one with their change.
pub(super) fn audit_entry(
    organisation: OrganisationId,
    action: billify_ports::AuditAction,
) -> billify_ports::NewAuditEntry {
    billify_ports::NewAuditEntry {
        organisation_id: Some(organisation),
        actor: None,
        action,
        target: billify_ports::AuditTarget::new("draft", "contract-case"),
        occurred_at: NOW,
        ip: None,
        before: None,
        after: None,
    }
}

/// An entry of the global chain for writes that take one, in the cases that do not read the
/// trail.
pub(super) fn noted() -> billify_ports::NewAuditEntry {
    billify_ports::NewAuditEntry {
        organisation_id: None,
        actor: None,
        action: billify_ports::AuditAction::OrganisationUpdated,
        target: billify_ports::AuditTarget::unnamed("organisation"),
        occurred_at: NOW,
        ip: None,
        before: None,
        after: None,
    }
}

pub(super) fn eur(s: &str) -> Money {
    Money::parse(s, Currency::EUR).expect("valid amount")
}

pub(super) fn register(store: &dyn Store, email: &str) -> (Organisation, User) {
    let organisation = Organisation {
        id: OrganisationId::from_uuid(Uuid::now_v7()),
        name: OrganisationName::parse(&format!("Org of {email}")).expect("name"),
        vat_number: None,
        calendar: Default::default(),
        created_at: NOW,
    };
    let user = User {
        id: UserId::from_uuid(Uuid::now_v7()),
        email: EmailAddress::parse(email).expect("email"),
        name: PersonName::parse("Anna Peeters").expect("name"),
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g".into(),
        created_at: NOW,
    };
    let membership =
        Membership { organisation_id: organisation.id, user_id: user.id, role: Role::Owner, created_at: NOW };
    store.register(&organisation, &user, &membership).expect("register");
    (organisation, user)
}

pub(super) fn new_invoice(number: &str, supplier: &str, due: Date) -> NewInvoice {
    NewInvoice {
        direction: Direction::Payable,
        kind: InvoiceKind::Invoice,
        corrects: None,
        invoice_number: InvoiceNumber::parse(number).expect("number"),
        counterparty: Counterparty::new(supplier, None, None, None).expect("counterparty"),
        issue_date: date!(2026 - 01 - 01),
        due_date: due,
        subtotal: None,
        vat_amount: None,
        total: eur("100.00"),
        amount_paid: None,
        manual_urgency: None,
        payment_reference: None,
        source: InvoiceSource::Manual,
        external_reference: None,
    }
}

pub(super) fn insert(store: &dyn Store, org: OrganisationId, new: NewInvoice) -> Invoice {
    let (invoice, events) = Invoice::create(InvoiceId::from_uuid(Uuid::now_v7()), org, new, NOW, TODAY).expect("valid");
    store.insert(&invoice, &events).expect("insert");
    invoice
}

pub(super) fn document(org: OrganisationId, n: u8) -> DocumentRecord {
    DocumentRecord {
        organisation_id: org,
        digest: DocumentDigest::parse(&format!("{n:02x}").repeat(32)).unwrap(),
        size: 1234,
        media_type: "application/pdf".into(),
        file_name: "factuur.pdf".into(),
        created_at: NOW,
    }
}

pub(super) fn draft(org: OrganisationId, user: UserId, doc: &DocumentRecord) -> Draft {
    Draft {
        id: DraftId(Uuid::now_v7()),
        organisation_id: org,
        created_by: user,
        digest: doc.digest.clone(),
        method: ExtractionMethod::PdfText,
        fields: billify_ports::InvoiceInput {
            direction: Some("payable".into()),
            invoice_number: Some("INV-1".into()),
            counterparty_name: Some("Bloc Group BV".into()),
            total: Some("382.06".into()),
            ..billify_ports::InvoiceInput::default()
        },
        extraction: "{\"method\":\"pdf_text\"}".into(),
        invoice_id: None,
        created_at: NOW,
        expires_at: NOW + Duration::hours(24),
        version: 1,
        reading: None,
    }
}

pub(super) fn bank_account(balance: &str) -> BankAccount {
    bank_account_of("acc-1", balance)
}

pub(super) fn bank_account_of(provider_id: &str, balance: &str) -> BankAccount {
    BankAccount::new(NewBankAccount {
        provider_id: ProviderId::parse(provider_id).unwrap(),
        iban: Some(Iban::parse("BE68539007547034").unwrap()),
        currency: Currency::EUR,
        current_balance: eur(balance),
        available_balance: Some(eur(balance)),
        holder_name: Some("Bloc Group BV".into()),
        institution_name: Some("Belfius".into()),
        description: None,
        authorization_expires_at: Some(NOW + Duration::days(90)),
        synchronized_at: Some(NOW),
    })
    .unwrap()
}

pub(super) fn bank_transaction(id: &str, amount: &str, day: u8) -> BankTransaction {
    BankTransaction::new(NewBankTransaction {
        provider_id: ProviderId::parse(id).unwrap(),
        account_provider_id: ProviderId::parse("acc-1").unwrap(),
        amount: eur(amount),
        counterparty_name: Some("CF accountancy BV".into()),
        counterparty_account: Some("BE71 0018 6092 2869".into()),
        remittance_information: Some("+++123/4567/89002+++".into()),
        remittance_type: RemittanceType::Structured,
        description: None,
        execution_date: Date::from_calendar_date(2026, time::Month::March, day).unwrap(),
        value_date: None,
        bank_transaction_code: None,
        bank_reference: None,
    })
}

pub(super) fn session(token: &str, organisation: OrganisationId, user: UserId) -> Session {
    Session {
        id: SessionId::from_uuid(Uuid::now_v7()),
        token_digest: token.into(),
        user_id: user,
        organisation_id: organisation,
        created_at: NOW,
        expires_at: NOW + Duration::hours(12),
        last_seen_at: NOW,
        user_agent: None,
        ip: None,
    }
}

pub(super) fn join(store: &dyn Store, organisation: OrganisationId, user: UserId, role: Role) {
    let invitation = invitation(store, organisation, user, role, "join");
    let membership = Membership { organisation_id: organisation, user_id: user, role, created_at: NOW };
    store.accept_invitation(&invitation, None, &membership, NOW, &noted()).unwrap();
}

pub(super) fn invitation(
    store: &dyn Store,
    organisation: OrganisationId,
    invited_by: UserId,
    role: Role,
    digest: &str,
) -> billify_domain::Invitation {
    let invitation = billify_domain::Invitation {
        id: billify_domain::InvitationId::from_uuid(Uuid::now_v7()),
        organisation_id: organisation,
        email: EmailAddress::parse("new@example.be").unwrap(),
        role,
        invited_by,
        token_digest: format!("{digest}-{}", Uuid::now_v7()),
        created_at: NOW,
        expires_at: NOW + Duration::days(7),
        accepted_at: None,
    };
    store.create_invitation(&invitation, &noted()).unwrap();
    invitation
}
