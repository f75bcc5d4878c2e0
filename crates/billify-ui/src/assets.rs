//! The static files: embedded in the binary, named by a hash of their content (so a name never
//! changes meaning and can be cached for a year), and served gzip-compressed when the browser
//! takes it.

use std::io::Write as _;
use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest as _, Sha256};

/// Where the assets are served.
pub const PREFIX: &str = "/assets/";

/// An embedded file.
pub struct Asset {
    /// The name templates use, e.g. `app.css`.
    pub logical: &'static str,
    /// The served name with the content hash, e.g. `app.3f2a9c1b0d4e.css`.
    pub hashed: String,
    content_type: &'static str,
    raw: &'static [u8],
    gzip: Vec<u8>,
}

const FILES: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("chart.js", "text/javascript; charset=utf-8", include_bytes!("../assets/chart.js")),
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/htmx.min.js")),
    ("htmx-ext-sse.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/htmx-ext-sse.min.js")),
    ("uPlot.iife.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/uPlot.iife.min.js")),
    ("uPlot.min.css", "text/css; charset=utf-8", include_bytes!("../assets/vendor/uPlot.min.css")),
    ("icon.svg", "image/svg+xml", include_bytes!("../assets/icon.svg")),
];

fn hashed_name(logical: &str, bytes: &[u8]) -> String {
    let digest = hex::encode(Sha256::digest(bytes));
    let hash = &digest[..12];
    match logical.split_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{logical}.{hash}"),
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 3), Compression::best());
    // Writing to a Vec cannot fail; an empty body would only cost the compression.
    if encoder.write_all(bytes).is_err() {
        return Vec::new();
    }
    encoder.finish().unwrap_or_default()
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(logical, content_type, raw)| Asset {
            logical,
            hashed: hashed_name(logical, raw),
            content_type,
            raw,
            gzip: gzip(raw),
        })
        .collect()
});

/// Every embedded asset.
pub fn all() -> &'static [Asset] {
    &ASSETS
}

/// The URL of an asset by its logical name (`/assets/app.<hash>.css`).
pub fn url(logical: &str) -> String {
    match ASSETS.iter().find(|a| a.logical == logical) {
        Some(a) => format!("{PREFIX}{}", a.hashed),
        None => {
            log::error!("no embedded asset {logical}");
            format!("{PREFIX}{logical}")
        }
    }
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.split(';').next().is_some_and(|name| name.trim().eq_ignore_ascii_case("gzip")))
}

/// Serves `/assets/{name}`: a year of caching for the hashed name (immutable), 404 otherwise.
pub(crate) async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    let Some(asset) = ASSETS.iter().find(|a| a.hashed == *name) else {
        return HttpResponse::NotFound()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    };
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type)))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if accepts_gzip(&req) && !asset.gzip.is_empty() && asset.gzip.len() < asset.raw.len() {
        response.insert_header((header::CONTENT_ENCODING, "gzip"));
        // Already compressed: the Compress middleware, if any, must leave it alone.
        return response.body(asset.gzip.clone());
    }
    response.body(asset.raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_content_hash_and_change_with_it() {
        let a = hashed_name("app.css", b"body{}");
        let b = hashed_name("app.css", b"body{color:red}");
        assert!(a.starts_with("app.") && a.ends_with(".css") && a.len() == "app..css".len() + 12, "{a}");
        assert_ne!(a, b);
        assert_eq!(hashed_name("uPlot.iife.min.js", b"x").split('.').nth(1).map(str::len), Some(12));
    }

    #[test]
    fn every_asset_is_compressed_smaller_and_round_trips() {
        for asset in all() {
            assert!(asset.gzip.len() < asset.raw.len(), "{} did not shrink", asset.logical);
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&asset.gzip[..]), &mut out).unwrap();
            assert_eq!(out, asset.raw, "{}", asset.logical);
        }
    }
}
