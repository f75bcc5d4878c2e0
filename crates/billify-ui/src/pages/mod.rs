//! The pages, one module per area.

pub(crate) mod auth;
pub(crate) mod bank;
pub(crate) mod dashboard;
pub(crate) mod integrations;
pub(crate) mod invoices;
pub(crate) mod live;
pub(crate) mod notifications;
pub(crate) mod reconciliation;
pub(crate) mod settings;
pub(crate) mod upload;
