//! Mutual TLS in front of a fake: a loopback TLS listener (rustls) that requires a client
//! certificate issued by a given CA and relays the decrypted bytes to the fake's plain HTTP
//! port. Also the throw-away test PKI in `pki/`.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The test PKI's CA certificate (PEM): trust it to reach a fake over TLS.
pub const TEST_CA_PEM: &[u8] = include_bytes!("../pki/ca.pem");
/// A client certificate issued by the test CA (PEM).
pub const TEST_CLIENT_CERT_PEM: &[u8] = include_bytes!("../pki/client.pem");
/// The key of [`TEST_CLIENT_CERT_PEM`] (PKCS#8 PEM).
pub const TEST_CLIENT_KEY_PEM: &[u8] = include_bytes!("../pki/client-key.pem");
const TEST_SERVER_CERT_PEM: &[u8] = include_bytes!("../pki/server.pem");
const TEST_SERVER_KEY_PEM: &[u8] = include_bytes!("../pki/server-key.pem");

/// The path of a file of the test PKI (`ca.pem`, `client.pem`, `client-key.pem`), for
/// configurations that take paths.
pub fn test_pki_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pki").join(name)
}

/// How a fake serves TLS.
#[derive(Clone, PartialEq, Eq)]
pub struct FakeTls {
    /// The server certificate chain (PEM), valid for `127.0.0.1`.
    pub certificate_pem: Vec<u8>,
    /// The server key (PEM).
    pub private_key_pem: Vec<u8>,
    /// Require client certificates issued by this CA (PEM); `None` for server-only TLS.
    pub client_ca_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for FakeTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeTls").field("client_auth", &self.client_ca_pem.is_some()).finish_non_exhaustive()
    }
}

impl FakeTls {
    /// The test PKI with client certificates required (mutual TLS, as Ponto does).
    pub fn mutual_with_test_pki() -> Self {
        FakeTls {
            certificate_pem: TEST_SERVER_CERT_PEM.to_vec(),
            private_key_pem: TEST_SERVER_KEY_PEM.to_vec(),
            client_ca_pem: Some(TEST_CA_PEM.to_vec()),
        }
    }
}

/// A running TLS relay.
pub(crate) struct TlsFront {
    pub(crate) addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    /// Handshakes that completed with a client certificate.
    pub(crate) authenticated: Arc<AtomicUsize>,
}

fn config(tls: &FakeTls) -> std::io::Result<rustls::ServerConfig> {
    let bad = |e: String| std::io::Error::new(ErrorKind::InvalidInput, e);
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&tls.certificate_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| bad(format!("server certificate: {e}")))?;
    let key = PrivateKeyDer::from_pem_slice(&tls.private_key_pem).map_err(|e| bad(format!("server key: {e}")))?;
    let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(e.to_string()))?;
    let builder = match &tls.client_ca_pem {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(ca) {
                roots.add(cert.map_err(|e| bad(format!("client CA: {e}")))?).map_err(|e| bad(e.to_string()))?;
            }
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| bad(e.to_string()))?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    builder.with_single_cert(certs, key).map_err(|e| bad(e.to_string()))
}

impl TlsFront {
    /// Listens on a free loopback port and relays every connection to `backend`.
    pub(crate) fn start(tls: &FakeTls, backend: SocketAddr) -> std::io::Result<TlsFront> {
        let config = Arc::new(config(tls)?);
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let stopping = Arc::new(AtomicBool::new(false));
        let authenticated = Arc::new(AtomicUsize::new(0));
        let (stop, auth) = (Arc::clone(&stopping), Arc::clone(&authenticated));
        let acceptor = std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (config, stop, auth) = (Arc::clone(&config), Arc::clone(&stop), Arc::clone(&auth));
                        std::thread::spawn(move || relay(stream, backend, config, &stop, &auth));
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(5)),
                    Err(_) => break,
                }
            }
        });
        Ok(TlsFront { addr, stopping, acceptor: Some(acceptor), authenticated })
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// Moves bytes both ways until either side closes; polls with short read timeouts because a
/// TLS stream cannot be split between two threads.
fn relay(
    stream: TcpStream,
    backend: SocketAddr,
    config: Arc<rustls::ServerConfig>,
    stopping: &AtomicBool,
    authenticated: &AtomicUsize,
) {
    let tick = Some(Duration::from_millis(2));
    let Ok(connection) = rustls::ServerConnection::new(config) else { return };
    if stream.set_nonblocking(false).and_then(|()| stream.set_read_timeout(tick)).is_err() {
        return;
    }
    let Ok(mut inner) = TcpStream::connect(backend) else { return };
    if inner.set_read_timeout(tick).is_err() {
        return;
    }
    let mut tls = rustls::StreamOwned::new(connection, stream);
    let mut counted = false;
    let mut buf = vec![0u8; 64 * 1024];
    while !stopping.load(Ordering::SeqCst) {
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if !counted && tls.conn.peer_certificates().is_some_and(|c| !c.is_empty()) {
                    authenticated.fetch_add(1, Ordering::SeqCst);
                    counted = true;
                }
                if inner.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if is_timeout(&e) => {}
            Err(_) => break,
        }
        match inner.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if tls.write_all(&buf[..n]).and_then(|()| tls.flush()).is_err() {
                    break;
                }
            }
            Err(e) if is_timeout(&e) => {}
            Err(_) => break,
        }
    }
    tls.conn.send_close_notify();
    let _ = tls.flush();
}
