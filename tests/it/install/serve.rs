//! Loopback HTTP servers for the install tests, std only: a release location (the files of a
//! directory, every request recorded, one file optionally cut short), and Git repositories
//! over smart HTTP (`git http-backend` behind a small CGI shim: Claude Code shallow-clones a
//! marketplace, and refuses `file://` and dumb HTTP). One request per connection
//! (`Connection: close`), each on its own thread.

use std::{
    io::{BufRead, BufReader, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    thread::JoinHandle,
    time::Duration,
};

/// One request as received.
struct Request {
    method: String,
    /// The path, without the query.
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map_or("", |(_, v)| v.as_str())
    }
}

/// What the server answers.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send only this many bytes of the body (the headers announce all of it), then close.
    cut_at: Option<usize>,
}

impl Reply {
    fn new(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body,
            cut_at: None,
        }
    }
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// A server on 127.0.0.1 until dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(handler: Box<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let stopping = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::from(handler);
        let thread = {
            let (stopping, requests) = (stopping.clone(), requests.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stopping.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let (handler, requests) = (handler.clone(), requests.clone());
                    std::thread::spawn(move || serve(conn, &*handler, &requests));
                }
            })
        };
        Server {
            addr,
            stopping,
            requests,
            thread: Some(thread),
        }
    }

    /// Serves the files of `dir` by name (`GET /NAME`); any other path is a 404. With `cut`,
    /// the file of that name is sent cut off at half its length (a truncated download).
    pub(crate) fn files(dir: &Path, cut: Option<&str>) -> Server {
        let (dir, cut) = (dir.to_path_buf(), cut.map(String::from));
        Server::start(Box::new(move |req: &Request| {
            let name = req.path.trim_start_matches('/');
            let plain = !name.is_empty() && !name.contains('/') && !name.starts_with('.');
            match std::fs::read(dir.join(name)) {
                Ok(body) if plain && req.method == "GET" => {
                    let mut reply = Reply::new(200, body);
                    if cut.as_deref() == Some(name) {
                        reply.cut_at = Some(reply.body.len() / 2);
                    }
                    reply
                }
                _ => Reply::new(404, b"not found\n".to_vec()),
            }
        }))
    }

    /// Serves the bare repositories under `root` over Git's smart HTTP protocol.
    pub(crate) fn git(root: &Path) -> Server {
        let root = root.to_path_buf();
        Server::start(Box::new(move |req: &Request| git_http_backend(&root, req)))
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far, as `METHOD /path`, in the order they arrived.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees `stopping`.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A loopback URL where nothing listens (a port bound, then released).
pub(crate) fn url_of_nothing() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

fn serve(conn: TcpStream, handler: &Handler, requests: &Mutex<Vec<String>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let Ok(mut writer) = conn.try_clone() else {
        return;
    };
    let Some(req) = read_request(&mut BufReader::new(conn)) else {
        return;
    };
    requests
        .lock()
        .unwrap()
        .push(format!("{} {}", req.method, req.path));
    let reply = handler(&req);
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let body = &reply.body[..reply.cut_at.unwrap_or(reply.body.len())];
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.write_all(body))
        .and_then(|()| writer.flush());
    let _ = writer.shutdown(std::net::Shutdown::Both);
}

/// The request line, headers and body (by Content-Length, or chunked as Git sends large
/// requests); `None` when the connection closes or sends nonsense first.
fn read_request(r: &mut impl BufRead) -> Option<Request> {
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (k, v) = h.split_once(':')?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut req = Request {
        method,
        path: String::new(),
        query: String::new(),
        headers,
        body: Vec::new(),
    };
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    (req.path, req.query) = (path.to_string(), query.to_string());
    if req
        .header("Transfer-Encoding")
        .eq_ignore_ascii_case("chunked")
    {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2]; // the chunk and its CRLF
            r.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            req.body.extend_from_slice(&chunk[..size]);
        }
    } else if let Ok(len) = req.header("Content-Length").parse::<usize>() {
        req.body = vec![0; len];
        r.read_exact(&mut req.body).ok()?;
    }
    Some(req)
}

/// Runs `git http-backend` as a CGI program for `req` and turns its answer into a reply.
fn git_http_backend(root: &PathBuf, req: &Request) -> Reply {
    let mut cmd = Command::new("git");
    cmd.arg("http-backend")
        .env("GIT_PROJECT_ROOT", root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("REQUEST_METHOD", &req.method)
        .env("PATH_INFO", &req.path)
        .env("QUERY_STRING", &req.query)
        .env("CONTENT_TYPE", req.header("Content-Type"))
        .env("CONTENT_LENGTH", req.body.len().to_string())
        .env("HTTP_GIT_PROTOCOL", req.header("Git-Protocol"))
        .env("HTTP_CONTENT_ENCODING", req.header("Content-Encoding"))
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else {
        return Reply::new(500, b"cannot run git http-backend\n".to_vec());
    };
    let mut stdin = child.stdin.take().unwrap();
    let body = req.body.clone();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&body);
    });
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    let split = out
        .stdout
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| {
            out.stdout
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, 2))
        });
    let Some((at, sep)) = split else {
        let why = format!(
            "git http-backend: {}\n",
            String::from_utf8_lossy(&out.stderr)
        );
        return Reply::new(500, why.into_bytes());
    };
    let mut reply = Reply::new(200, out.stdout[at + sep..].to_vec());
    for line in String::from_utf8_lossy(&out.stdout[..at]).lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if k.eq_ignore_ascii_case("Status") {
            reply.status = v
                .split_whitespace()
                .next()
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
        } else {
            reply.headers.push((k.to_string(), v.to_string()));
        }
    }
    reply
}
