//! The Diesel table definitions, once for both backends: the tables and columns of
//! `migrations/postgres` and `migrations/sqlite`, which `cargo xtask tidy` checks are the same.
//!
//! Ids and timestamps are written `SqlId` and `SqlTime`, which each backend's `dialect` defines:
//! native `uuid` and `timestamptz` on PostgreSQL, TEXT on SQLite. Every other type is the same on
//! both (a `Date` is `date` on PostgreSQL and `YYYY-MM-DD` TEXT on SQLite, which Diesel maps).

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    organisations (id) {
        id -> SqlId,
        name -> Text,
        vat_number -> Nullable<Text>,
        created_at -> SqlTime,
        time_zone -> Text,
        vat_periodicity -> Text,
        vat_deadline_day -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    users (id) {
        id -> SqlId,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        created_at -> SqlTime,
        failed_logins -> Integer,
        failures_since -> Nullable<SqlTime>,
        locked_until -> Nullable<SqlTime>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    memberships (organisation_id, user_id) {
        organisation_id -> SqlId,
        user_id -> SqlId,
        role -> Text,
        created_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    sessions (token_digest) {
        token_digest -> Text,
        organisation_id -> SqlId,
        user_id -> SqlId,
        created_at -> SqlTime,
        expires_at -> SqlTime,
        last_seen_at -> Nullable<SqlTime>,
        id -> SqlId,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    invoices (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        direction -> Text,
        invoice_number -> Text,
        counterparty_key -> Text,
        counterparty_name -> Text,
        counterparty_vat -> Nullable<Text>,
        counterparty_iban -> Nullable<Text>,
        counterparty_bic -> Nullable<Text>,
        issue_date -> Date,
        due_date -> Date,
        currency -> Text,
        subtotal_minor -> Nullable<BigInt>,
        vat_minor -> Nullable<BigInt>,
        total_minor -> BigInt,
        paid_minor -> BigInt,
        status -> Text,
        manual_urgency -> Nullable<Text>,
        payment_reference -> Nullable<Text>,
        source -> Text,
        external_reference -> Nullable<Text>,
        created_at -> SqlTime,
        updated_at -> SqlTime,
        version -> BigInt,
        kind -> Text,
        corrects_invoice_id -> Nullable<SqlId>,
        reconciled_at -> Nullable<SqlTime>,
        number_key -> Nullable<Text>,
        reference_key -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    invoice_events (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        invoice_id -> SqlId,
        code -> Text,
        details -> Text,
        occurred_at -> SqlTime,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    memberships,
    sessions,
    invoices,
    invoice_events,
    invitations
);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    documents (organisation_id, digest) {
        organisation_id -> SqlId,
        digest -> Text,
        size -> BigInt,
        media_type -> Text,
        file_name -> Text,
        created_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    invoice_drafts (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        created_by -> SqlId,
        digest -> Text,
        method -> Text,
        direction -> Nullable<Text>,
        invoice_number -> Nullable<Text>,
        counterparty_name -> Nullable<Text>,
        counterparty_vat_number -> Nullable<Text>,
        counterparty_iban -> Nullable<Text>,
        counterparty_bic -> Nullable<Text>,
        issue_date -> Nullable<Text>,
        due_date -> Nullable<Text>,
        currency -> Nullable<Text>,
        subtotal -> Nullable<Text>,
        vat_amount -> Nullable<Text>,
        total -> Nullable<Text>,
        payment_reference -> Nullable<Text>,
        extraction -> Text,
        invoice_id -> Nullable<SqlId>,
        created_at -> SqlTime,
        expires_at -> SqlTime,
        version -> BigInt,
        kind -> Nullable<Text>,
        corrects_invoice_number -> Nullable<Text>,
        reading -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    invoice_documents (organisation_id, invoice_id) {
        organisation_id -> SqlId,
        invoice_id -> SqlId,
        digest -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(documents, invoice_drafts, invoice_documents, invoices);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    bank_accounts (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        source -> Text,
        provider_id -> Text,
        iban -> Nullable<Text>,
        currency -> Text,
        current_balance_minor -> BigInt,
        available_balance_minor -> Nullable<BigInt>,
        holder_name -> Nullable<Text>,
        institution_name -> Nullable<Text>,
        description -> Nullable<Text>,
        authorization_expires_at -> Nullable<SqlTime>,
        synchronized_at -> Nullable<SqlTime>,
        created_at -> SqlTime,
        updated_at -> SqlTime,
        sync_watermark_id -> Nullable<Text>,
        sync_watermark_date -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    bank_transactions (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        account_id -> SqlId,
        provider_id -> Text,
        amount_minor -> BigInt,
        currency -> Text,
        counterparty_name -> Nullable<Text>,
        counterparty_account -> Nullable<Text>,
        remittance_information -> Nullable<Text>,
        remittance_type -> Text,
        description -> Nullable<Text>,
        execution_date -> Date,
        value_date -> Nullable<Date>,
        bank_transaction_code -> Nullable<Text>,
        created_at -> SqlTime,
        updated_at -> SqlTime,
        reconciled_at -> Nullable<SqlTime>,
        bank_reference -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    jobs (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        kind -> Text,
        job_key -> Text,
        payload -> Text,
        status -> Text,
        run_at -> SqlTime,
        attempts -> Integer,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<SqlTime>,
        last_error -> Nullable<Text>,
        created_at -> SqlTime,
        updated_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    integrations (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        provider -> Text,
        status -> Text,
        sealed_tokens -> Nullable<Text>,
        token_version -> BigInt,
        consent_state_digest -> Nullable<Text>,
        consent_verifier -> Nullable<Text>,
        consent_session_digest -> Nullable<Text>,
        consent_requested_at -> Nullable<SqlTime>,
        consent_expires_at -> Nullable<SqlTime>,
        connected_by -> Nullable<SqlId>,
        last_attempt_at -> Nullable<SqlTime>,
        last_success_at -> Nullable<SqlTime>,
        last_error -> Nullable<Text>,
        consecutive_failures -> Integer,
        next_sync_at -> Nullable<SqlTime>,
        bank_sync_requested_at -> Nullable<SqlTime>,
        pending_synchronizations -> Text,
        created_at -> SqlTime,
        updated_at -> SqlTime,
        accounting_region -> Nullable<Text>,
        accounting_administration_id -> Nullable<Text>,
        calls_day -> Nullable<Date>,
        calls_used -> Integer,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    sync_runs (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        integration_id -> SqlId,
        started_at -> SqlTime,
        finished_at -> Nullable<SqlTime>,
        outcome -> Text,
        new_accounts -> Integer,
        changed_accounts -> Integer,
        new_transactions -> Integer,
        changed_transactions -> Integer,
        error -> Nullable<Text>,
        new_invoices -> Integer,
        changed_invoices -> Integer,
        closed_invoices -> Integer,
        flagged_items -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(integrations, sync_runs, bank_accounts);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    accounting_items (organisation_id, integration_id, item_id) {
        organisation_id -> SqlId,
        integration_id -> SqlId,
        item_id -> Text,
        side -> Text,
        invoice_id -> Nullable<SqlId>,
        outstanding -> Bool,
        fingerprint -> Text,
        flags -> Text,
        reference -> Nullable<Text>,
        open_amount -> Nullable<Text>,
        original_amount -> Nullable<Text>,
        currency -> Nullable<Text>,
        last_seen_at -> SqlTime,
        closed_at -> Nullable<SqlTime>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(accounting_items, integrations, invoices);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    invitations (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        email -> Text,
        role -> Text,
        invited_by -> SqlId,
        token_digest -> Text,
        created_at -> SqlTime,
        expires_at -> SqlTime,
        accepted_at -> Nullable<SqlTime>,
        accepted_by -> Nullable<SqlId>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    audit_chains (chain_id) {
        chain_id -> SqlId,
        organisation_id -> Nullable<SqlId>,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    audit_log (chain_id, seq) {
        chain_id -> SqlId,
        seq -> BigInt,
        id -> SqlId,
        organisation_id -> Nullable<SqlId>,
        actor_user_id -> Nullable<SqlId>,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<Text>,
        occurred_at -> SqlTime,
        ip -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    user_totp (user_id) {
        user_id -> SqlId,
        sealed_secret -> Text,
        confirmed_at -> Nullable<SqlTime>,
        last_step -> Nullable<BigInt>,
        created_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    recovery_codes (user_id, code_digest) {
        user_id -> SqlId,
        code_digest -> Text,
        used_at -> Nullable<SqlTime>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    login_challenges (challenge_digest) {
        challenge_digest -> Text,
        user_id -> SqlId,
        organisation_id -> Nullable<SqlId>,
        created_at -> SqlTime,
        expires_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    organisation_security (organisation_id) {
        organisation_id -> SqlId,
        require_two_factor -> Bool,
        updated_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    access_tokens (id) {
        id -> SqlId,
        organisation_id -> SqlId,
        user_id -> SqlId,
        name -> Text,
        scope -> Text,
        token_digest -> Text,
        created_at -> SqlTime,
        expires_at -> Nullable<SqlTime>,
        last_used_at -> Nullable<SqlTime>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    reconciliation_suggestions (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        transaction_id -> SqlId,
        rule -> Text,
        reason -> Text,
        candidates -> Text,
        status -> Text,
        created_at -> SqlTime,
        decided_at -> Nullable<SqlTime>,
        decided_by -> Nullable<SqlId>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    reconciliation_matches (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        transaction_id -> SqlId,
        invoice_id -> SqlId,
        amount_minor -> BigInt,
        overpayment_minor -> BigInt,
        currency -> Text,
        rule -> Text,
        matched_fields -> Text,
        score -> Integer,
        applied_by -> Nullable<SqlId>,
        suggestion_id -> Nullable<SqlId>,
        created_at -> SqlTime,
        undone_at -> Nullable<SqlTime>,
        undone_by -> Nullable<SqlId>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    alert_settings (organisation_id) {
        organisation_id -> SqlId,
        payable_days -> Integer,
        balance_threshold_minor -> BigInt,
        last_run_on -> Nullable<Date>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    notifications (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        kind -> Text,
        dedupe_key -> Text,
        title -> Text,
        body -> Text,
        data -> Text,
        created_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    notification_inbox (organisation_id, user_id, notification_id) {
        organisation_id -> SqlId,
        notification_id -> SqlId,
        user_id -> SqlId,
        created_at -> SqlTime,
        read_at -> Nullable<SqlTime>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    notification_deliveries (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        notification_id -> SqlId,
        channel -> Text,
        target_id -> SqlId,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        response_status -> Nullable<Integer>,
        created_at -> SqlTime,
        updated_at -> SqlTime,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    notification_preferences (organisation_id, user_id, kind, channel) {
        organisation_id -> SqlId,
        user_id -> SqlId,
        kind -> Text,
        channel -> Text,
        enabled -> Bool,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    webhook_endpoints (organisation_id, id) {
        organisation_id -> SqlId,
        id -> SqlId,
        url -> Text,
        sealed_secret -> Text,
        kinds -> Text,
        created_at -> SqlTime,
    }
}

diesel::allow_tables_to_appear_in_same_query!(notifications, notification_inbox, notification_deliveries);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    recurring_series (organisation_id, id) {
        organisation_id -> SqlId,
        id -> Text,
        counterparty_key -> Text,
        counterparty_name -> Nullable<Text>,
        currency -> Text,
        recurrence -> Text,
        amount_minor -> BigInt,
        spread_minor -> BigInt,
        occurrences -> BigInt,
        first_date -> Date,
        last_date -> Date,
        next_date -> Date,
        status -> Text,
        detected_on -> Date,
        decided_at -> Nullable<SqlTime>,
        decided_by -> Nullable<SqlId>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    forecast_detections (organisation_id) {
        organisation_id -> SqlId,
        detected_on -> Date,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    live_event_heads (organisation_id) {
        organisation_id -> SqlId,
        last_id -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::{SqlId, SqlTime};

    live_events (organisation_id, id) {
        organisation_id -> SqlId,
        id -> BigInt,
        kind -> Text,
        audience -> Text,
        data -> Text,
        created_at -> SqlTime,
    }
}

diesel::allow_tables_to_appear_in_same_query!(bank_transactions, reconciliation_matches, reconciliation_suggestions);

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    bank_daily_flows (organisation_id, day, currency) {
        organisation_id -> SqlId,
        day -> Date,
        currency -> Text,
        in_minor -> BigInt,
        out_minor -> BigInt,
        in_count -> BigInt,
        out_count -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    invoice_open_items (organisation_id, family_id, part, direction, currency) {
        organisation_id -> SqlId,
        family_id -> SqlId,
        part -> Text,
        direction -> Text,
        currency -> Text,
        due_date -> Date,
        manual_urgency -> Text,
        amount_minor -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    invoice_open_amounts (organisation_id, direction, currency, due_date, manual_urgency) {
        organisation_id -> SqlId,
        direction -> Text,
        currency -> Text,
        due_date -> Date,
        manual_urgency -> Text,
        items -> BigInt,
        amount_minor -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    invoice_daily_vat (organisation_id, day, currency) {
        organisation_id -> SqlId,
        day -> Date,
        currency -> Text,
        on_sales -> BigInt,
        on_purchases -> BigInt,
        documents -> BigInt,
        without_vat -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    invoice_bulk_loads (organisation_id) {
        organisation_id -> SqlId,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::dialect::SqlId;

    bank_daily_own_transfers (organisation_id, day, currency, counterparty_account) {
        organisation_id -> SqlId,
        day -> Date,
        currency -> Text,
        counterparty_account -> Text,
        in_minor -> BigInt,
        out_minor -> BigInt,
        in_count -> BigInt,
        out_count -> BigInt,
    }
}
