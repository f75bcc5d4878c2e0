//! Randomness as a port, so that jitter (and anything else drawn at random that is not a secret)
//! can be fixed in tests. Secrets come from [`crate::SecretTokens`], never from here.

/// A source of uniformly distributed fractions.
pub trait Randomness: Send + Sync {
    /// A fraction in `[0, 1)`.
    fn fraction(&self) -> f64;
}
