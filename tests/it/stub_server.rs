//! A tiny HTTP/1.1 server standing in for a running instar server: it listens on 127.0.0.1,
//! answers each request with the next scripted reply (then 200 `{"observed":true,…}`), and
//! records every request. One request per connection (`Connection: close`), handled one at a
//! time on one thread. Std and libc only.
//!
//! "Down, then up": a test names a [`Reserved`] port in a config, runs hooks against it while
//! nothing listens (connections are refused), and starts the server on it later. The port is
//! held the whole time, so nothing else (another test, a fake Anthropic API bound to port 0)
//! can take it in between.

use std::{
    collections::VecDeque,
    io::{self, BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    os::fd::{AsRawFd, FromRawFd, OwnedFd},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

pub(crate) const DEFAULT_REPLY: &str =
    r#"{"observed":true,"registered":true,"commitmentId":"CMT-001"}"#;

/// One request as the server received it.
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    /// The value of header `name` (case-insensitive), if sent.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn json(&self) -> serde_json::Value {
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

pub(crate) struct StubServer {
    port: u16,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl StubServer {
    /// Listens on any free port of 127.0.0.1 (see [`StubServer::port`]), for a test that
    /// wants the server up from the start.
    pub(crate) fn start_any() -> StubServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("stub server: cannot listen on 127.0.0.1:0: {e}"));
        StubServer::serve(listener)
    }

    fn serve(listener: TcpListener) -> StubServer {
        let port = listener.local_addr().expect("local address").port();
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

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// The next requests get these answers, in order; after them, 200 [`DEFAULT_REPLY`].
    pub(crate) fn script(&self, replies: &[(u16, &str)]) {
        let mut script = self.shared.script.lock().unwrap();
        script.extend(replies.iter().map(|&(s, b)| (s, b.to_string())));
    }

    /// Every request received so far, in order.
    pub(crate) fn requests(&self) -> Vec<Request> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Stops listening (the port refuses connections again) and waits for the thread.
    pub(crate) fn stop(&mut self) {
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

/// A port of 127.0.0.1 held for a server a test starts later: a TCP socket bound to it but
/// not listening. Connecting is refused, exactly as when no server runs; and as long as the
/// socket is bound, no other socket can bind the port (it is not `SO_REUSEADDR`, so not even
/// one that is), the kernel hands it to no `bind(0)` and uses it as no connection's source
/// port. [`Reserved::start`] listens on that same socket, so the port is never free.
pub(crate) struct Reserved {
    socket: OwnedFd,
    port: u16,
}

impl Reserved {
    pub(crate) fn new() -> Reserved {
        Reserved::bind().unwrap_or_else(|e| panic!("reserve a port on 127.0.0.1: {e}"))
    }

    fn bind() -> io::Result<Reserved> {
        let check = |r: libc::c_int| {
            if r < 0 {
                Err(io::Error::last_os_error())
            } else {
                Ok(r)
            }
        };
        // SAFETY: plain socket calls on a descriptor we own; the address structs are
        // initialised and their sizes are passed along.
        unsafe {
            let fd = check(libc::socket(
                libc::AF_INET,
                libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
                0,
            ))?;
            let socket = OwnedFd::from_raw_fd(fd);
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_port = 0; // any free port
            addr.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
            let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            check(libc::bind(fd, (&raw const addr).cast(), len))?;
            check(libc::getsockname(fd, (&raw mut addr).cast(), &mut len))?;
            Ok(Reserved {
                socket,
                port: u16::from_be(addr.sin_port),
            })
        }
    }

    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    /// Starts listening on the held port: from now on the server is up.
    pub(crate) fn start(self) -> StubServer {
        // SAFETY: listen on a bound socket we own.
        let r = unsafe { libc::listen(self.socket.as_raw_fd(), 128) };
        if r != 0 {
            panic!(
                "stub server: cannot listen on 127.0.0.1:{}: {}",
                self.port,
                io::Error::last_os_error()
            );
        }
        StubServer::serve(TcpListener::from(self.socket))
    }
}

#[test]
fn a_reserved_port_refuses_connections_is_nobody_elses_and_then_serves() {
    let reserved = Reserved::new();
    let port = reserved.port();
    let refused = TcpStream::connect(("127.0.0.1", port)).unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused, "down");
    // std binds with SO_REUSEADDR, as most servers do: still refused.
    assert!(
        TcpListener::bind(("127.0.0.1", port)).is_err(),
        "another socket could take the reserved port {port}"
    );
    let server = reserved.start();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert_eq!(server.requests()[0].body, "{}");
}
