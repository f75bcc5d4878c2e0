//! Notifications: the member's inbox (newest first; unread ones marked in words as well as
//! colour, each in the user's language with a link to what it is about; mark one or all
//! read), what they receive per kind and channel, and the organisation's alert thresholds
//! (due-soon days and the low-balance threshold; admins change them). The use cases are those
//! of `/api/v1/notifications` (`AlertService`).
//!
//! The unread count in the header is drawn with every page and follows the event stream:
//! `notification.created` makes it fetch `GET /notifications/count` again, without a reload.

use actix_web::{HttpResponse, web};
use billify_app::EffectivePreference;
use billify_domain::{AlertSettings, Channel, Currency, Money, NotificationKind, Permission};
use billify_ports::notifications::InboxItem;
use billify_web::problem::ApiError;
use maud::{Markup, html};
use time::Date;

use crate::error::UiError;
use crate::i18n::Lang;
use crate::layout::{self, Errors, Field, Nav};
use crate::session::{FormData, Signed};

/// How many notifications the page lists.
const SHOWN: u32 = 100;

struct Loaded {
    items: Vec<InboxItem>,
    preferences: Vec<EffectivePreference>,
    email: bool,
    settings: AlertSettings,
}

async fn load(s: &Signed) -> Result<Loaded, UiError> {
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || {
        Ok(Loaded {
            items: state.alerts.inbox(&actor, false, SHOWN)?,
            preferences: state.alerts.preferences(&actor)?,
            email: state.alerts.email_configured(),
            settings: state.alerts.settings(&actor)?,
        })
    })
    .await
    .map_err(|e| UiError::api(s.lang, e))
}

/// The colour class and icon of a notification: red for what is late or at risk, orange for
/// what is coming.
fn tone(kind: NotificationKind, data: &serde_json::Value) -> (&'static str, &'static str) {
    match kind {
        NotificationKind::ReceivableOverdue | NotificationKind::LowBalance => ("urgent", "!"),
        NotificationKind::IntegrationConsent if data["status"] == "needs_reconsent" => ("urgent", "!"),
        NotificationKind::PayableDueSoon | NotificationKind::IntegrationConsent => ("upcoming", "◷"),
        NotificationKind::SuggestionsWaiting => ("upcoming", "⇄"),
    }
}

fn date_of(lang: Lang, value: &serde_json::Value) -> Option<String> {
    let text = value.as_str()?;
    Date::parse(text, &time::format_description::well_known::Iso8601::DATE).ok().map(|d| lang.date(d))
}

fn amount_of(lang: Lang, data: &serde_json::Value, field: &str) -> Option<String> {
    Some(lang.amount(data[field].as_str()?, data["currency"].as_str()?))
}

/// A notification's line in the user's language, from its kind and facts; the stored
/// (English) title when the facts are not what the kind has.
fn title(lang: Lang, kind: NotificationKind, stored: &str, data: &serde_json::Value) -> String {
    let s = |field: &str| data[field].as_str().map(str::to_owned);
    let text = match kind {
        NotificationKind::PayableDueSoon | NotificationKind::ReceivableOverdue => (|| {
            let key = if kind == NotificationKind::PayableDueSoon { "notif.payable_due" } else { "notif.overdue" };
            Some(lang.tf(
                key,
                &[
                    ("number", &s("invoice_number")?),
                    ("counterparty", &s("counterparty")?),
                    ("amount", &amount_of(lang, data, "open_amount")?),
                    ("date", &date_of(lang, &data["due_date"])?),
                ],
            ))
        })(),
        NotificationKind::LowBalance => (|| {
            Some(lang.tf(
                "notif.low_balance",
                &[("amount", &amount_of(lang, data, "balance")?), ("date", &date_of(lang, &data["date"])?)],
            ))
        })(),
        NotificationKind::IntegrationConsent => match (data["provider"].as_str(), data["status"].as_str()) {
            (Some("yuki"), _) => Some(lang.t("notif.yuki_key").to_owned()),
            (_, Some("needs_reconsent")) => Some(lang.t("notif.bank_reconsent").to_owned()),
            _ => date_of(lang, &data["consent_expires_on"]).map(|d| lang.tf("notif.bank_expires", &[("date", &d)])),
        },
        NotificationKind::SuggestionsWaiting => data["pending"].as_u64().map(|n| {
            if data["more"] == true {
                lang.t("notif.suggestions_many").to_owned()
            } else {
                lang.tf("notif.suggestions", &[("n", &n.to_string())])
            }
        }),
    };
    text.unwrap_or_else(|| stored.to_owned())
}

/// Where a notification leads.
fn link(kind: NotificationKind, data: &serde_json::Value) -> String {
    match kind {
        NotificationKind::PayableDueSoon | NotificationKind::ReceivableOverdue => data["invoice_id"]
            .as_str()
            .and_then(|id| uuid::Uuid::parse_str(id).ok())
            .map_or_else(|| "/invoices".to_owned(), |id| format!("/invoices/{id}")),
        NotificationKind::LowBalance => "/#balance".to_owned(),
        NotificationKind::IntegrationConsent if data["provider"] == "yuki" => "/integrations".to_owned(),
        NotificationKind::IntegrationConsent => "/bank".to_owned(),
        NotificationKind::SuggestionsWaiting => "/reconciliation".to_owned(),
    }
}

fn item(s: &Signed, i: &InboxItem) -> Markup {
    let lang = s.lang;
    let n = &i.notification;
    let data: serde_json::Value = serde_json::from_str(&n.data).unwrap_or(serde_json::Value::Null);
    let (class, icon) = tone(n.kind, &data);
    let unread = i.read_at.is_none();
    html! {
        li class=(format!("notification {class}{}", if unread { " unread" } else { "" })) data-kind=(n.kind.code()) {
            span.icon aria-hidden="true" { (icon) }
            div.what {
                @if unread { span.tag.new { (lang.t("notif.new")) } " " }
                a href=(link(n.kind, &data)) { (title(lang, n.kind, &n.title, &data)) }
                br;
                small.muted { (lang.t(&format!("notif.kind.{}", n.kind.code()))) " · " (lang.date(n.created_at.date())) }
            }
            @if unread {
                form.inline method="post" action=(format!("/notifications/{}/read", n.id)) {
                    (layout::csrf(s))
                    button.linkish type="submit" { (lang.t("notif.mark_read")) }
                }
            }
        }
    }
}

/// The threshold in minor units as the amount a person types (`1000.00`).
fn threshold_text(minor: i64) -> String {
    Money::from_minor_units(minor, Currency::EUR).map(|m| m.to_plain_string()).unwrap_or_else(|_| minor.to_string())
}

fn render(s: &Signed, l: &Loaded, notice: Option<&str>, errors: &Errors, form: &FormData) -> HttpResponse {
    let lang = s.lang;
    let unread = l.items.iter().filter(|i| i.read_at.is_none()).count();
    let admin = s.can(Permission::ManageOrganisation);
    let enabled = |kind: NotificationKind, channel: Channel| {
        l.preferences.iter().any(|p| p.kind == kind && p.channel == channel && p.enabled)
    };
    let channels: Vec<Channel> = Channel::PERSONAL.into_iter().filter(|c| *c != Channel::Email || l.email).collect();
    layout::page(
        s,
        lang.t("notif.title"),
        Nav::Notifications,
        html! {
            div.page-head {
                h1 { (lang.t("notif.title")) }
                @if unread > 0 {
                    form method="post" action="/notifications/read-all" {
                        (layout::csrf(s))
                        button type="submit" { "✓ " (lang.t("notif.mark_all")) }
                    }
                }
            }
            @if let Some(text) = notice { p.notice role="status" { "✓ " (text) } }
            @for (_, message) in errors.others(&["payable_days", "balance_threshold"]) {
                p.error.form-error role="alert" { (message) }
            }
            // The list follows the event stream like the header's count.
            section.card #inbox hx-get="/notifications" hx-select="#inbox" hx-target="this" hx-swap="outerHTML"
                hx-trigger="sse:notification.created delay:300ms" aria-live="polite" {
                h2 { (lang.tf("notif.unread", &[("n", &unread.to_string())])) }
                @if l.items.is_empty() { p.muted { (lang.t("notif.empty")) } }
                ul.inbox { @for i in &l.items { (item(s, i)) } }
            }
            section.card #preferences {
                h2 { (lang.t("notif.preferences")) }
                p.muted { (lang.t("notif.preferences_help")) }
                form method="post" action="/notifications/preferences" {
                    (layout::csrf(s))
                    table.invoices.prefs {
                        thead { tr {
                            th scope="col" { (lang.t("notif.kind")) }
                            @for c in &channels { th scope="col" { (lang.t(&format!("notif.channel.{}", c.code()))) } }
                        } }
                        tbody {
                            @for kind in NotificationKind::ALL {
                                tr {
                                    th scope="row" { (lang.t(&format!("notif.kind.{}", kind.code()))) }
                                    @for c in &channels {
                                        @let id = format!("pref-{}-{}", kind.code(), c.code());
                                        td data-label=(lang.t(&format!("notif.channel.{}", c.code()))) {
                                            input #(id) type="checkbox" name=(format!("pref.{}.{}", kind.code(), c.code())) value="on" checked[enabled(kind, *c)];
                                            label.sr-only for=(id) {
                                                (lang.t(&format!("notif.kind.{}", kind.code()))) ", " (lang.t(&format!("notif.channel.{}", c.code())))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if !l.email { p.hint { (lang.t("notif.email_off")) } }
                    button.primary type="submit" { (lang.t("notif.save_preferences")) }
                }
            }
            section.card #thresholds {
                h2 { (lang.t("notif.thresholds")) }
                @if admin {
                    form method="post" action="/notifications/settings" {
                        (layout::csrf(s))
                        (Field::new("payable_days", lang.t("notif.payable_days"),
                            form.get("payable_days").unwrap_or(&l.settings.payable_days().to_string()))
                            .kind("number").required().hint(lang.t("notif.payable_days_hint")).render(errors))
                        (Field::new("balance_threshold", lang.t("notif.balance_threshold"),
                            form.get("balance_threshold").unwrap_or(&lang.decimal(&threshold_text(l.settings.balance_threshold_minor()))))
                            .required().hint(lang.t("notif.balance_threshold_hint")).render(errors))
                        button.primary type="submit" { (lang.t("settings.save")) }
                    }
                } @else {
                    ul.plain {
                        li { (lang.t("notif.payable_days")) ": " strong { (l.settings.payable_days()) } }
                        li { (lang.t("notif.balance_threshold")) ": " strong { (lang.decimal(&threshold_text(l.settings.balance_threshold_minor()))) } }
                    }
                }
            }
        },
    )
}

#[derive(serde::Deserialize)]
pub(crate) struct PageQuery {
    done: Option<String>,
}

/// `GET /notifications`.
pub(crate) async fn page(s: Signed, q: web::Query<PageQuery>) -> Result<HttpResponse, UiError> {
    let l = load(&s).await?;
    let notice = match q.done.as_deref() {
        Some("read") => Some(s.lang.t("notif.done_read")),
        Some("preferences") => Some(s.lang.t("notif.done_preferences")),
        Some("settings") => Some(s.lang.t("notif.done_settings")),
        _ => None,
    };
    Ok(render(&s, &l, notice, &Errors::default(), &FormData::parse(b"")))
}

/// `GET /notifications/count`: the header's badge alone (for htmx).
pub(crate) async fn count(s: Signed) -> Result<HttpResponse, UiError> {
    Ok(layout::respond(layout::unread_badge(s.lang, s.unread)))
}

fn notification_id(lang: Lang, text: &str) -> Result<uuid::Uuid, UiError> {
    uuid::Uuid::parse_str(text).map_err(|_| UiError::api(lang, ApiError::NotFound("notification".into())))
}

/// `POST /notifications/{id}/read`.
pub(crate) async fn mark_read(s: Signed, path: web::Path<String>, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let id = notification_id(s.lang, &path)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.alerts.mark_read(&actor, id)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/notifications?done=read"))
}

/// `POST /notifications/read-all`.
pub(crate) async fn mark_all_read(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    s.check_csrf(&FormData::parse(&body))?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    billify_web::blocking(move || Ok(state.alerts.mark_all_read(&actor)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/notifications?done=read"))
}

/// `POST /notifications/preferences`: a checkbox per kind and channel (`pref.KIND.CHANNEL`);
/// one left out is off. Email is only offered when the server can send it.
pub(crate) async fn preferences(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf(&form)?;
    let state = s.state.clone();
    let actor = s.auth.actor;
    let email = s.state.alerts.email_configured();
    let choices: Vec<(NotificationKind, Channel, bool)> = NotificationKind::ALL
        .into_iter()
        .flat_map(|kind| Channel::PERSONAL.into_iter().map(move |c| (kind, c)))
        .filter(|(_, c)| *c != Channel::Email || email)
        .map(|(kind, c)| (kind, c, form.get(&format!("pref.{}.{}", kind.code(), c.code())) == Some("on")))
        .collect();
    billify_web::blocking(move || Ok(state.alerts.set_preferences(&actor, &choices)?))
        .await
        .map_err(|e| UiError::api(s.lang, e))?;
    Ok(layout::see_other("/notifications?done=preferences"))
}

/// The due-soon window and the threshold (in minor units) of the settings form.
fn parsed_settings(lang: Lang, form: &FormData) -> Result<AlertSettings, ApiError> {
    let mut errors = Vec::new();
    let days = form.text("payable_days").parse::<u16>().ok().filter(|d| *d <= AlertSettings::MAX_PAYABLE_DAYS);
    if days.is_none() {
        errors.push(billify_web::problem::FieldError::new("payable_days", lang.t("notif.payable_days_invalid")));
    }
    let plain = crate::pages::invoices::typed_amount(&form.text("balance_threshold"));
    let threshold = Money::parse(&plain, Currency::EUR).ok().and_then(|m| m.to_minor_units().ok());
    if threshold.is_none() {
        errors.push(billify_web::problem::FieldError::new("balance_threshold", lang.t("notif.threshold_invalid")));
    }
    match (days, threshold) {
        (Some(days), Some(threshold)) => {
            AlertSettings::new(days, threshold).map_err(|e| ApiError::field("payable_days", e.message))
        }
        _ => Err(ApiError::Validation(errors)),
    }
}

/// `POST /notifications/settings` (admins): refused fields are shown next to them, with what
/// was typed.
pub(crate) async fn settings(s: Signed, body: web::Bytes) -> Result<HttpResponse, UiError> {
    let form = FormData::parse(&body);
    s.check_csrf_only(&form)?;
    let lang = s.lang;
    let checked = form.check_text(lang).and_then(|()| parsed_settings(lang, &form));
    let result = match checked {
        Ok(new) => {
            let state = s.state.clone();
            let actor = s.auth.actor;
            billify_web::blocking(move || Ok(state.alerts.update_settings(&actor, new)?)).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(layout::see_other("/notifications?done=settings")),
        Err(e @ ApiError::Validation(_)) => {
            let l = load(&s).await?;
            let mut response = render(&s, &l, None, &Errors::from_api(&e), &form);
            *response.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(UiError::api(lang, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_read_in_the_users_language() {
        let data = serde_json::json!({"invoice_id": "0190a0f0-0000-7000-8000-000000000001", "invoice_number": "INV-7",
            "counterparty": "Bloc Group BV", "due_date": "2026-12-10", "open_amount": "1234.56", "currency": "EUR"});
        let nl = title(Lang::Nl, NotificationKind::PayableDueSoon, "stored", &data);
        assert!(nl.contains("INV-7") && nl.contains("€\u{a0}1.234,56") && nl.contains("10/12/2026"), "{nl}");
        assert_eq!(link(NotificationKind::PayableDueSoon, &data), "/invoices/0190a0f0-0000-7000-8000-000000000001");
        // Facts the kind does not have: the stored title.
        let odd = title(Lang::Fr, NotificationKind::LowBalance, "The EUR balance falls", &serde_json::json!({}));
        assert_eq!(odd, "The EUR balance falls");
        let many = serde_json::json!({"pending": 100, "more": true});
        assert_eq!(tone(NotificationKind::SuggestionsWaiting, &many).0, "upcoming");
        assert_eq!(tone(NotificationKind::ReceivableOverdue, &data).0, "urgent");
    }

    #[test]
    fn thresholds_are_typed_as_amounts() {
        let form = FormData::parse(b"payable_days=14&balance_threshold=1.234%2C50");
        let s = parsed_settings(Lang::Nl, &form).unwrap();
        assert_eq!((s.payable_days(), s.balance_threshold_minor()), (14, 123_450));
        let form = FormData::parse(b"payable_days=91&balance_threshold=abc");
        let Err(ApiError::Validation(fields)) = parsed_settings(Lang::En, &form) else { panic!("refused") };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["payable_days", "balance_threshold"]);
        assert_eq!(threshold_text(-50), "-0.50");
        for (typed, minor) in [("1,500.00", 150_000), ("1.500,00", 150_000), ("1 500,5", 150_050), ("-200", -20_000)] {
            let body = format!("payable_days=7&balance_threshold={}", typed.replace(' ', "+"));
            let form = FormData::parse(body.as_bytes());
            assert_eq!(parsed_settings(Lang::En, &form).unwrap().balance_threshold_minor(), minor, "{typed}");
        }
    }
}
