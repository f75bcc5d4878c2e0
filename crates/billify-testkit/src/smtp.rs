//! A loopback SMTP sink: speaks enough real SMTP (RFC 5321: greeting, `EHLO`/`HELO`, `MAIL`,
//! `RCPT`, `DATA` with dot-unstuffing, `RSET`, `NOOP`, `QUIT`) for a real client to deliver
//! mail to it, and keeps every message for assertions. It offers no extensions (no STARTTLS,
//! no AUTH), so clients must connect without TLS.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// One message the sink accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The envelope sender (`MAIL FROM`), without angle brackets.
    pub from: String,
    /// The envelope recipients (`RCPT TO`), without angle brackets.
    pub to: Vec<String>,
    /// The message as sent after `DATA` (headers and body, CRLF line ends, unstuffed).
    pub data: String,
}

#[derive(Default)]
struct State {
    mail: Vec<ReceivedMail>,
    /// How many `MAIL` commands to refuse with a transient error (451) first.
    refuse: usize,
}

/// The running sink; it stops when dropped.
pub struct SmtpSink {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn path_of(argument: &str) -> String {
    let start = argument.find('<').map_or(0, |i| i + 1);
    let end = argument.rfind('>').unwrap_or(argument.len());
    argument.get(start..end).unwrap_or("").to_owned()
}

fn session(stream: TcpStream, state: &Mutex<State>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    out.write_all(b"220 billify-testkit ESMTP sink\r\n")?;
    let (mut from, mut to): (Option<String>, Vec<String>) = (None, Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command.split(' ').next().unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-billify-testkit\r\n250 8BITMIME\r\n",
            "HELO" => b"250 billify-testkit\r\n",
            "MAIL" => {
                let mut s = lock(state);
                if s.refuse > 0 {
                    s.refuse -= 1;
                    b"451 4.3.0 try again later\r\n"
                } else {
                    from = Some(path_of(command));
                    to.clear();
                    b"250 2.1.0 OK\r\n"
                }
            }
            "RCPT" if from.is_some() => {
                to.push(path_of(command));
                b"250 2.1.5 OK\r\n"
            }
            "DATA" if from.is_some() && !to.is_empty() => {
                out.write_all(b"354 end with <CRLF>.<CRLF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let mail = ReceivedMail { from: from.take().unwrap_or_default(), to: std::mem::take(&mut to), data };
                lock(state).mail.push(mail);
                b"250 2.0.0 queued\r\n"
            }
            "RCPT" | "DATA" => b"503 5.5.1 bad sequence of commands\r\n",
            "RSET" => {
                from = None;
                to.clear();
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                out.write_all(b"221 2.0.0 bye\r\n")?;
                return Ok(());
            }
            _ => b"502 5.5.2 command not implemented\r\n",
        };
        out.write_all(reply)?;
    }
}

impl SmtpSink {
    /// Starts a sink on `127.0.0.1` at a free port.
    pub fn start() -> std::io::Result<SmtpSink> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, flag) = (state.clone(), stop.clone());
        let thread = std::thread::Builder::new().name("smtp-sink".into()).spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let st = st.clone();
                        let _ = stream.set_nonblocking(false);
                        std::thread::spawn(move || {
                            let _ = session(stream, &st);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        })?;
        Ok(SmtpSink { addr, state, stop, thread: Some(thread) })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The messages accepted so far, in order.
    pub fn mail(&self) -> Vec<ReceivedMail> {
        lock(&self.state).mail.clone()
    }

    /// Refuses the next `n` messages with a transient error (451) at `MAIL`.
    pub fn refuse_next(&self, n: usize) {
        lock(&self.state).refuse = n;
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
