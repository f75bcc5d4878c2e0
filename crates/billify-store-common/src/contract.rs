//! The contract every repository implementation must honour, as test cases.
//!
//! Each backend crate runs the whole suite with [`repository_contract_tests!`] against a fresh,
//! real database per test (a temporary SQLite file, a PostgreSQL schema).
//!
//! The cases are grouped by aggregate, like the repositories they test: `accounts`,
//! `sessions`, `invoices`, `drafts`, `bank` and `jobs` (run by [`repository_contract_tests!`]),
//! and [`access_tokens`], [`audit`], [`audited_writes`], [`events`], [`integrations`], [`notifications`] and [`two_factor`],
//! each with its own macro.
//! `fixtures` holds the clock and the steps they share.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test suite: a failed expectation is a failed test")]

use billify_ports::bank::BankRepository;
use billify_ports::documents::DraftRepository;
use billify_ports::jobs::JobQueue;
use billify_ports::{AccountRepository, InvoiceRepository, SessionRepository};

pub mod access_tokens;
pub mod accounting;
mod accounts;
pub mod audit;
pub mod audited_writes;
mod bank;
pub mod cashflow;
mod drafts;
pub mod events;
mod fixtures;
pub mod forecast;
pub mod integrations;
mod invoices;
mod jobs;
pub mod notifications;
pub mod reconciliation;
mod sessions;
pub mod two_factor;

pub use self::accounts::*;
pub use self::bank::*;
pub use self::drafts::*;
pub use self::invoices::*;
pub use self::jobs::*;
pub use self::sessions::*;

/// Registers an organisation with one owner (`email`) for tests outside the suite; returns its id.
pub fn register_for_tests(store: &dyn Store, email: &str) -> billify_domain::OrganisationId {
    fixtures::register(store, email).0.id
}

/// Everything a Billify store implements.
pub trait Store:
    AccountRepository + SessionRepository + InvoiceRepository + DraftRepository + BankRepository + JobQueue
{
}
impl<T> Store for T where
    T: AccountRepository + SessionRepository + InvoiceRepository + DraftRepository + BankRepository + JobQueue
{
}

/// Generates one `#[test]` per contract case. `$make` is an expression that yields a value with
/// a `store()` method returning a fresh store; it is evaluated once per test.
#[macro_export]
macro_rules! repository_contract_tests {
    ($make:expr) => {
        $crate::repository_contract_tests!(@cases $make;
            accounts_register_and_read_back,
            accounts_duplicate_email_conflicts_and_stores_nothing,
            accounts_login_failures_lock_after_the_limit,
            sessions_create_find_delete_and_expire,
            sessions_are_listed_and_ended_per_user,
            password_change_ends_the_other_sessions,
            invoices_round_trip_every_field,
            invoices_money_is_exact,
            invoices_are_scoped_by_organisation,
            invoices_duplicate_conflicts_and_overwrites_nothing,
            invoices_update_honours_the_version,
            invoices_delete_keeps_events,
            invoices_list_filters,
            invoices_search_follows_every_write,
            invoices_common_search_pages_like_a_rare_one,
            invoices_list_urgency_filter,
            invoices_list_pages_visit_every_row_once_in_order,
            invoices_pending_past_due,
            invoices_show_what_credit_notes_leave_open,
            drafts_round_trip_one_per_document,
            drafts_confirm_atomically,
            confirmed_readings_are_counted_per_method_and_reading,
            documents_are_collected_only_when_unreferenced,
            bank_upserts_are_idempotent_and_scoped,
            bank_transactions_are_searched_by_text,
            jobs_are_deduplicated_and_claimed_when_due,
            jobs_with_expired_leases_are_taken_over,
            jobs_leases_are_renewed_only_by_their_holder,
            jobs_are_never_claimed_twice_by_concurrent_workers,
            members_change_roles_but_keep_an_owner,
            removing_a_member_ends_their_sessions_there,
            invitations_are_scoped_single_use_and_expire,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = $make;
                $crate::contract::$case(fixture.store());
            }
        )*
    };
}
