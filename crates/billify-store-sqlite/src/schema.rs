//! Diesel table definitions for the SQLite schema in `migrations/sqlite`.
//! UUIDs and timestamps are TEXT; dates are `YYYY-MM-DD` TEXT.

diesel::table! {
    organisations (id) {
        id -> Text,
        name -> Text,
        vat_number -> Nullable<Text>,
        created_at -> Text,
        time_zone -> Text,
        vat_periodicity -> Text,
        vat_deadline_day -> SmallInt,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        created_at -> Text,
        failed_logins -> Integer,
        failures_since -> Nullable<Text>,
        locked_until -> Nullable<Text>,
    }
}

diesel::table! {
    memberships (organisation_id, user_id) {
        organisation_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    sessions (token_digest) {
        token_digest -> Text,
        organisation_id -> Text,
        user_id -> Text,
        created_at -> Text,
        expires_at -> Text,
        last_seen_at -> Nullable<Text>,
        id -> Text,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    invoices (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
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
        created_at -> Text,
        updated_at -> Text,
        version -> BigInt,
        kind -> Text,
        corrects_invoice_id -> Nullable<Text>,
    }
}

diesel::table! {
    invoice_events (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        invoice_id -> Text,
        code -> Text,
        details -> Text,
        occurred_at -> Text,
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
    documents (organisation_id, digest) {
        organisation_id -> Text,
        digest -> Text,
        size -> BigInt,
        media_type -> Text,
        file_name -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    invoice_drafts (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        created_by -> Text,
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
        invoice_id -> Nullable<Text>,
        created_at -> Text,
        expires_at -> Text,
        version -> BigInt,
        kind -> Nullable<Text>,
        corrects_invoice_number -> Nullable<Text>,
    }
}

diesel::table! {
    invoice_documents (organisation_id, invoice_id) {
        organisation_id -> Text,
        invoice_id -> Text,
        digest -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(documents, invoice_drafts, invoice_documents, invoices);

diesel::table! {
    bank_accounts (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        source -> Text,
        provider_id -> Text,
        iban -> Nullable<Text>,
        currency -> Text,
        current_balance_minor -> BigInt,
        available_balance_minor -> Nullable<BigInt>,
        holder_name -> Nullable<Text>,
        institution_name -> Nullable<Text>,
        description -> Nullable<Text>,
        authorization_expires_at -> Nullable<Text>,
        synchronized_at -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
        sync_watermark_id -> Nullable<Text>,
        sync_watermark_date -> Nullable<Date>,
    }
}

diesel::table! {
    bank_transactions (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        account_id -> Text,
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
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    jobs (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        kind -> Text,
        job_key -> Text,
        payload -> Text,
        status -> Text,
        run_at -> Text,
        attempts -> Integer,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    integrations (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        provider -> Text,
        status -> Text,
        sealed_tokens -> Nullable<Text>,
        token_version -> BigInt,
        consent_state_digest -> Nullable<Text>,
        consent_verifier -> Nullable<Text>,
        consent_session_digest -> Nullable<Text>,
        consent_requested_at -> Nullable<Text>,
        consent_expires_at -> Nullable<Text>,
        connected_by -> Nullable<Text>,
        last_attempt_at -> Nullable<Text>,
        last_success_at -> Nullable<Text>,
        last_error -> Nullable<Text>,
        consecutive_failures -> Integer,
        next_sync_at -> Nullable<Text>,
        bank_sync_requested_at -> Nullable<Text>,
        pending_synchronizations -> Text,
        created_at -> Text,
        updated_at -> Text,
    }
}

diesel::table! {
    sync_runs (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        integration_id -> Text,
        started_at -> Text,
        finished_at -> Nullable<Text>,
        outcome -> Text,
        new_accounts -> Integer,
        changed_accounts -> Integer,
        new_transactions -> Integer,
        changed_transactions -> Integer,
        error -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(integrations, sync_runs, bank_accounts);

diesel::table! {
    invitations (organisation_id, id) {
        organisation_id -> Text,
        id -> Text,
        email -> Text,
        role -> Text,
        invited_by -> Text,
        token_digest -> Text,
        created_at -> Text,
        expires_at -> Text,
        accepted_at -> Nullable<Text>,
        accepted_by -> Nullable<Text>,
    }
}

diesel::table! {
    audit_chains (chain_id) {
        chain_id -> Text,
        organisation_id -> Nullable<Text>,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    audit_log (chain_id, seq) {
        chain_id -> Text,
        seq -> BigInt,
        id -> Text,
        organisation_id -> Nullable<Text>,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<Text>,
        occurred_at -> Text,
        ip -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    user_totp (user_id) {
        user_id -> Text,
        sealed_secret -> Text,
        confirmed_at -> Nullable<Text>,
        last_step -> Nullable<BigInt>,
        created_at -> Text,
    }
}

diesel::table! {
    recovery_codes (user_id, code_digest) {
        user_id -> Text,
        code_digest -> Text,
        used_at -> Nullable<Text>,
    }
}

diesel::table! {
    login_challenges (challenge_digest) {
        challenge_digest -> Text,
        user_id -> Text,
        organisation_id -> Nullable<Text>,
        created_at -> Text,
        expires_at -> Text,
    }
}

diesel::table! {
    organisation_security (organisation_id) {
        organisation_id -> Text,
        require_two_factor -> Bool,
        updated_at -> Text,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Text,
        organisation_id -> Text,
        user_id -> Text,
        name -> Text,
        scope -> Text,
        token_digest -> Text,
        created_at -> Text,
        expires_at -> Nullable<Text>,
        last_used_at -> Nullable<Text>,
    }
}
