//! HTTP request signing as Ibanity requires it for live applications (draft-cavage HTTP
//! signatures, `hs2019`): a `Digest: SHA-512=<base64>` of the body, and a `Signature` over
//! `(request-target) host digest (created)`, then `authorization` when present, then every
//! `ibanity-*` header, signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt).
//!
//! The RSA operation is ring's (constant-time, already in the tree through rustls); nothing
//! here is hand-rolled crypto, only the assembly of the signing string.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{RSA_PSS_SHA256, RsaKeyPair};
use sha2::{Digest as _, Sha512};

/// The two headers to add to a signed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// The `Digest` header value: `SHA-512=<base64>`.
    pub digest: String,
    /// The `Signature` header value.
    pub signature: String,
    /// The exact signing string (for tests and debugging; contains the authorization header,
    /// so never log it).
    pub signing_string: String,
}

/// Signs requests with an RSA key.
pub struct RequestSigner {
    key_id: String,
    key: RsaKeyPair,
    rng: SystemRandom,
}

impl fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestSigner").field("key_id", &self.key_id).finish_non_exhaustive()
    }
}

/// Why a signer could not be made or a request not signed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SigningError {
    /// The file holds no PEM private key.
    #[error("no usable PEM private key: {0}")]
    NotPem(String),
    /// The key is not an RSA key ring accepts.
    #[error("not a usable RSA key: {0}")]
    NotRsa(String),
    /// The key id is empty or would break the header.
    #[error("the signature key id must be non-empty and contain no quote")]
    BadKeyId,
    /// ring refused to sign.
    #[error("RSA-PSS signing failed")]
    SigningFailed,
}

impl RequestSigner {
    /// A signer from an RSA private key in PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE
    /// KEY`).
    pub fn from_pem(key_id: &str, pem: &[u8]) -> Result<Self, SigningError> {
        let key = ureq::tls::PrivateKey::from_pem(pem).map_err(|e| SigningError::NotPem(e.to_string()))?;
        // ureq tells PKCS#8 from PKCS#1 by the PEM label; ring accepts either form of RSA key.
        let pair = RsaKeyPair::from_pkcs8(key.der())
            .or_else(|_| RsaKeyPair::from_der(key.der()))
            .map_err(|e| SigningError::NotRsa(e.to_string()))?;
        if key_id.trim().is_empty() || key_id.contains('"') {
            return Err(SigningError::BadKeyId);
        }
        Ok(RequestSigner { key_id: key_id.to_owned(), key: pair, rng: SystemRandom::new() })
    }

    /// Signs a request.
    ///
    /// `request_target` is the path and query exactly as sent (`/ponto-connect/accounts?page[limit]=10`),
    /// `host` the `Host` header, `created` the Unix time in seconds, `headers` the other request
    /// headers (names in any case); `authorization` and `ibanity-*` among them are signed.
    pub fn sign(
        &self,
        method: &str,
        request_target: &str,
        host: &str,
        body: &[u8],
        created: i64,
        headers: &[(&str, &str)],
    ) -> Result<SignedHeaders, SigningError> {
        let digest = format!("SHA-512={}", STANDARD.encode(Sha512::digest(body)));
        let mut names = vec!["(request-target)", "host", "digest", "(created)"];
        let mut lines = vec![
            format!("(request-target): {} {request_target}", method.to_ascii_lowercase()),
            format!("host: {host}"),
            format!("digest: {digest}"),
            format!("(created): {created}"),
        ];
        let lowered: Vec<(String, &str)> = headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), *v)).collect();
        if let Some((_, value)) = lowered.iter().find(|(n, _)| n == "authorization") {
            names.push("authorization");
            lines.push(format!("authorization: {value}"));
        }
        for (name, value) in lowered.iter().filter(|(n, _)| n.starts_with("ibanity-")) {
            names.push(name);
            lines.push(format!("{name}: {value}"));
        }
        let signing_string = lines.join("\n");
        let mut signature = vec![0u8; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PSS_SHA256, &self.rng, signing_string.as_bytes(), &mut signature)
            .map_err(|_| SigningError::SigningFailed)?;
        let signature = format!(
            "keyId=\"{}\",created=\"{created}\",algorithm=\"hs2019\",headers=\"{}\",signature=\"{}\"",
            self.key_id,
            names.join(" "),
            STANDARD.encode(signature)
        );
        Ok(SignedHeaders { digest, signature, signing_string })
    }
}
