//! A tiny HTTP/1.1 server standing in for a running instar server: it listens on 127.0.0.1
//! on a port chosen by the test (so a test can name the port in a config first and start the
//! server later: "down, then up"), answers each request with the next scripted reply (then
//! 200 `{"observed":true,…}`), and records every request. One request per connection
//! (`Connection: close`), handled one at a time on one thread. Std only.

use std::{
    collections::VecDeque,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU32, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

pub const DEFAULT_REPLY: &str = r#"{"observed":true,"registered":true,"commitmentId":"CMT-001"}"#;

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    /// The value of header `name` (case-insensitive), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("request body is not JSON ({e}): {:?}", self.body))
    }
}

#[derive(Default)]
struct Shared {
    requests: Mutex<Vec<Request>>,
    script: Mutex<VecDeque<(u16, String)>>,
    stopping: AtomicBool,
}

pub struct StubServer {
    port: u16,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl StubServer {
    /// Listens on 127.0.0.1:`port` (panics when it cannot).
    pub fn start(port: u16) -> StubServer {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("stub server: cannot listen on 127.0.0.1:{port}: {e}"));
        let shared = Arc::new(Shared::default());
        let thread = {
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if shared.stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &shared);
                    }
                }
            })
        };
        StubServer {
            port,
            shared,
            thread: Some(thread),
        }
    }

    /// The next requests get these answers, in order; after them, 200 [`DEFAULT_REPLY`].
    pub fn script(&self, replies: &[(u16, &str)]) {
        let mut script = self.shared.script.lock().unwrap();
        script.extend(replies.iter().map(|&(s, b)| (s, b.to_string())));
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Stops listening (the port refuses connections again) and waits for the thread.
    pub fn stop(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept; it sees `stopping` and drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let _ = thread.join();
    }
}

impl Drop for StubServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Reads one request, records it, answers it, closes the connection.
fn serve(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    shared.requests.lock().unwrap().push(request);
    let (status, body) = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or((200, DEFAULT_REPLY.to_string()));
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} Stub\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let Some((k, v)) = line.trim_end().split_once(':') else {
            break; // the empty line after the headers (or the connection ended)
        };
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .map_or(Ok(0), |(_, v)| v.parse::<usize>())
        .ok()?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A port nothing listens on now, for a server a test starts later. It is taken from below
/// the kernel's ephemeral range, so no `bind(0)` meanwhile (the fake Anthropic API of every
/// turn, the other tests) can be handed it; each call in this process gets a different one.
pub fn reserve_port() -> u16 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let low: u32 = std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()
        .and_then(|r| r.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    if low > 12_000 {
        let span = low - 10_000;
        // Spread by pid so that test runs in other processes start elsewhere.
        let start = std::process::id().wrapping_mul(7919) % span;
        for _ in 0..1000 {
            let n = NEXT.fetch_add(1, Ordering::SeqCst);
            let port = (10_000 + (start + n) % span) as u16;
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return port;
            }
        }
    }
    // No usable range: any free port (a later bind(0) elsewhere could in theory take it).
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}
