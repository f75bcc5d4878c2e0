//! The password policy of NIST SP 800-63B (5.1.1.2): a minimum and a generous maximum length
//! counted in Unicode scalar values, no composition rules, and no password that is commonly
//! used, repeats one character or is the person's own email address or name.
//! Also the login lock-out that both the password and the second factor count towards.

use std::collections::HashSet;
use std::sync::OnceLock;

use time::Duration;

/// The shortest password accepted (NIST SP 800-63B asks for at least 8; we ask 12).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, to bound hashing work.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// The common-password list shipped with Billify; its header says where it comes from.
/// Failed logins (wrong password or second factor) within [`LOGIN_FAILURE_WINDOW`] that lock an account.
pub const MAX_LOGIN_FAILURES: i32 = 5;
/// The window in which failures count.
pub const LOGIN_FAILURE_WINDOW: Duration = Duration::minutes(5);
/// How long a locked account refuses logins.
pub const LOGIN_LOCK_DURATION: Duration = Duration::minutes(30);

const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// Why a password is refused; the text is for the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("use at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// More than [`MAX_PASSWORD_CHARS`] characters.
    #[error("use at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    /// The password is on the list of common passwords.
    #[error("this is one of the most common passwords, which attackers try first; choose another")]
    Common,
    /// One character repeated.
    #[error("do not repeat a single character; choose another password")]
    Repetitive,
    /// The person's email address or name.
    #[error("do not use your email address or name as your password")]
    Personal,
}

/// Checks a new password. `personal` holds words the password must not be (the email address,
/// its local part, the person's and the organisation's names), compared case-insensitively.
pub fn check_new_password(password: &str, personal: &[&str]) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let mut distinct = password.chars();
    if let Some(first) = distinct.next()
        && distinct.all(|c| c == first)
    {
        return Err(PasswordProblem::Repetitive);
    }
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Err(PasswordProblem::Common);
    }
    let personal_words = personal.iter().flat_map(|word| {
        let word = word.trim().to_lowercase();
        let local = word.split_once('@').map(|(local, _)| local.to_owned());
        [Some(word), local].into_iter().flatten()
    });
    for word in personal_words {
        if !word.is_empty() && (lower == word || lower.trim() == word) {
            return Err(PasswordProblem::Personal);
        }
    }
    Ok(())
}

/// Whether the (lower-case) password is on the shipped list of common passwords.
pub fn is_common(lower_case: &str) -> bool {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        // The header ends at the first empty line.
        let body = COMMON_PASSWORDS.split_once("\n\n").map_or("", |(_, body)| body);
        body.lines().filter(|line| !line.is_empty()).collect()
    })
    .contains(lower_case)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_loaded_without_its_header() {
        assert!(is_common("password"));
        assert!(is_common("123456"));
        assert!(is_common("#1bitch"), "entries may start with #");
        assert!(!is_common("common passwords refused by billify's password policy (nist sp 800-63b, 5.1.1.2)."));
        assert!(!is_common(""));
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert_eq!(check_new_password("ééééééééééé", &[]), Err(PasswordProblem::TooShort), "11 characters, 22 bytes");
        assert_eq!(check_new_password("ünïcödé pässwörd", &[]), Ok(()));
        assert_eq!(check_new_password(&"ab".repeat(512), &[]), Ok(()));
        assert_eq!(check_new_password(&"ab".repeat(512).replacen('a', "cd", 1), &[]), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn no_composition_rules_but_no_common_repetitive_or_personal_passwords() {
        assert_eq!(check_new_password("all lower case words", &[]), Ok(()));
        assert_eq!(check_new_password("Password1234", &[]), Err(PasswordProblem::Common));
        assert_eq!(check_new_password("QWERTY123456", &[]), Err(PasswordProblem::Common));
        assert_eq!(check_new_password("1234567890123", &[]), Err(PasswordProblem::Common));
        assert_eq!(check_new_password("zzzzzzzzzzzzzzzz", &[]), Err(PasswordProblem::Repetitive));
        assert_eq!(
            check_new_password("Anna.Peeters@example.be", &["anna.peeters@example.be"]),
            Err(PasswordProblem::Personal)
        );
        assert_eq!(check_new_password("anna.peeters", &["anna.peeters@example.be"]), Err(PasswordProblem::Personal));
        assert_eq!(check_new_password("anna.peeters rides a bike", &["anna.peeters@example.be"]), Ok(()));
    }
}
