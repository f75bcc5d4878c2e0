//! Diesel table definitions for the PostgreSQL schema in `migrations/postgres`.

diesel::table! {
    organisations (id) {
        id -> Uuid,
        name -> Text,
        vat_number -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        created_at -> Timestamptz,
        failed_logins -> Integer,
        failures_since -> Nullable<Timestamptz>,
        locked_until -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    memberships (organisation_id, user_id) {
        organisation_id -> Uuid,
        user_id -> Uuid,
        role -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (token_digest) {
        token_digest -> Text,
        organisation_id -> Uuid,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        last_seen_at -> Nullable<Timestamptz>,
        id -> Uuid,
        user_agent -> Nullable<Text>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    invoices (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
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
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        version -> BigInt,
        kind -> Text,
        corrects_invoice_id -> Nullable<Uuid>,
    }
}

diesel::table! {
    invoice_events (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        invoice_id -> Uuid,
        code -> Text,
        details -> Text,
        occurred_at -> Timestamptz,
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
        organisation_id -> Uuid,
        digest -> Text,
        size -> BigInt,
        media_type -> Text,
        file_name -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    invoice_drafts (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        created_by -> Uuid,
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
        invoice_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        version -> BigInt,
        kind -> Nullable<Text>,
        corrects_invoice_number -> Nullable<Text>,
    }
}

diesel::table! {
    invoice_documents (organisation_id, invoice_id) {
        organisation_id -> Uuid,
        invoice_id -> Uuid,
        digest -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(documents, invoice_drafts, invoice_documents, invoices);

diesel::table! {
    bank_accounts (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        source -> Text,
        provider_id -> Text,
        iban -> Nullable<Text>,
        currency -> Text,
        current_balance_minor -> BigInt,
        available_balance_minor -> Nullable<BigInt>,
        holder_name -> Nullable<Text>,
        institution_name -> Nullable<Text>,
        description -> Nullable<Text>,
        authorization_expires_at -> Nullable<Timestamptz>,
        synchronized_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        sync_watermark_id -> Nullable<Text>,
        sync_watermark_date -> Nullable<Date>,
    }
}

diesel::table! {
    bank_transactions (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        account_id -> Uuid,
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
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    jobs (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        kind -> Text,
        job_key -> Text,
        payload -> Text,
        status -> Text,
        run_at -> Timestamptz,
        attempts -> Integer,
        lease_owner -> Nullable<Text>,
        lease_expires_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    integrations (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        provider -> Text,
        status -> Text,
        sealed_tokens -> Nullable<Text>,
        token_version -> BigInt,
        consent_state_digest -> Nullable<Text>,
        consent_verifier -> Nullable<Text>,
        consent_session_digest -> Nullable<Text>,
        consent_requested_at -> Nullable<Timestamptz>,
        consent_expires_at -> Nullable<Timestamptz>,
        connected_by -> Nullable<Uuid>,
        last_attempt_at -> Nullable<Timestamptz>,
        last_success_at -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        consecutive_failures -> Integer,
        next_sync_at -> Nullable<Timestamptz>,
        bank_sync_requested_at -> Nullable<Timestamptz>,
        pending_synchronizations -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sync_runs (organisation_id, id) {
        organisation_id -> Uuid,
        id -> Uuid,
        integration_id -> Uuid,
        started_at -> Timestamptz,
        finished_at -> Nullable<Timestamptz>,
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
        organisation_id -> Uuid,
        id -> Uuid,
        email -> Text,
        role -> Text,
        invited_by -> Uuid,
        token_digest -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        accepted_at -> Nullable<Timestamptz>,
        accepted_by -> Nullable<Uuid>,
    }
}

diesel::table! {
    audit_chains (chain_id) {
        chain_id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        last_seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    audit_log (chain_id, seq) {
        chain_id -> Uuid,
        seq -> BigInt,
        id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        actor_user_id -> Nullable<Uuid>,
        action -> Text,
        target_kind -> Text,
        target_id -> Nullable<Text>,
        occurred_at -> Timestamptz,
        ip -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    user_totp (user_id) {
        user_id -> Uuid,
        sealed_secret -> Text,
        confirmed_at -> Nullable<Timestamptz>,
        last_step -> Nullable<BigInt>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    recovery_codes (user_id, code_digest) {
        user_id -> Uuid,
        code_digest -> Text,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_challenges (challenge_digest) {
        challenge_digest -> Text,
        user_id -> Uuid,
        organisation_id -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    organisation_security (organisation_id) {
        organisation_id -> Uuid,
        require_two_factor -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Uuid,
        organisation_id -> Uuid,
        user_id -> Uuid,
        name -> Text,
        scope -> Text,
        token_digest -> Text,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
    }
}
