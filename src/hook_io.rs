/*!
What every hook binary shares: bounded stdin, a lenient view of Claude Code's hook input,
the project directory, the start-up of an enabled run ([`start`]: config, state, log, run
status), and the runner that guarantees exit 0 with nothing on stdout that Claude Code would
act on — whatever happens, including a panic.
*/

use serde_json::Value;
use std::{
    io::{Read, Write},
    path::PathBuf,
};

use crate::{diag::Log, env::Env, timestamp::Timestamp};

mod start;

pub(crate) use start::Hook;
pub(crate) use start::{Run, Skip, start};

/// How much stdin a hook keeps; the rest is read and dropped (so Claude Code never sees a
/// broken pipe) without holding it in memory.
pub(crate) const STDIN_CAP: usize = 4 * 1024 * 1024;

/// Hook stdin as read: at most [`STDIN_CAP`] bytes, and whether there was more.
#[derive(Debug, Default)]
pub struct RawInput {
    pub bytes: Vec<u8>,
    pub truncated: bool,
}

impl RawInput {
    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Self {
        RawInput {
            bytes,
            truncated: false,
        }
    }
}

/// Reads stdin up to `cap` bytes and drains the rest. Read errors end the read quietly.
pub(crate) fn read_stdin(cap: usize) -> RawInput {
    read_capped(std::io::stdin().lock(), cap)
}

pub(crate) fn read_capped(mut reader: impl Read, cap: usize) -> RawInput {
    let mut bytes = Vec::new();
    let _ = (&mut reader).take(cap as u64).read_to_end(&mut bytes);
    let mut truncated = false;
    // Only input that filled the cap can have more: the drain buffer (64 KiB, 16 pages to
    // fault in) is not paid for on the common path.
    if bytes.len() >= cap {
        let mut sink = vec![0u8; 64 * 1024];
        loop {
            match reader.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(_) => truncated = true,
            }
        }
    }
    RawInput { bytes, truncated }
}

/// The fields our hooks use, each `None` when absent or of the wrong type.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct HookInput {
    pub(crate) session_id: Option<String>,
    pub(crate) transcript_path: Option<String>,
    pub(crate) cwd: Option<String>,
    pub(crate) last_assistant_message: Option<String>,
    pub(crate) stop_hook_active: bool,
    /// One per user prompt: the turn's identity (Stop and UserPromptSubmit).
    pub(crate) prompt_id: Option<String>,
    /// `default`, `plan`, `acceptEdits`, … (Stop).
    pub(crate) permission_mode: Option<String>,
    /// Stop's `background_tasks` is a non-empty list: work that will wake the session.
    pub(crate) background_tasks: bool,
}

impl HookInput {
    /// Lenient: anything that is not a JSON object gives an empty input.
    pub(crate) fn parse(bytes: &[u8]) -> HookInput {
        let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(bytes) else {
            return HookInput::default();
        };
        let text = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_owned);
        HookInput {
            session_id: text("session_id").filter(|s| !s.is_empty()),
            transcript_path: text("transcript_path").filter(|s| !s.is_empty()),
            cwd: text("cwd").filter(|s| !s.is_empty()),
            last_assistant_message: text("last_assistant_message"),
            stop_hook_active: obj
                .get("stop_hook_active")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            prompt_id: text("prompt_id").filter(|s| !s.is_empty()),
            permission_mode: text("permission_mode"),
            background_tasks: obj
                .get("background_tasks")
                .and_then(Value::as_array)
                .is_some_and(|tasks| !tasks.is_empty()),
        }
    }
}

/// The project a hook works for: `CLAUDE_PROJECT_DIR`, else the input's `cwd`, else the
/// process's working directory. `input_cwd` is only asked for when the environment is silent,
/// so the common path never parses stdin just to find the project.
pub fn project_dir(env: &Env, input_cwd: impl FnOnce() -> Option<String>) -> Option<PathBuf> {
    env.project_dir
        .clone()
        .or_else(|| input_cwd().map(PathBuf::from))
        .or_else(|| env.cwd.clone())
}

/// What a hook prints.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// Nothing: the common case.
    Silent,
    /// One line of JSON for Claude Code (e.g. UserPromptSubmit `additionalContext`).
    Json(String),
}

/// Runs a hook: reads stdin, calls `handler`, prints its reply and exits 0. A panic anywhere
/// is logged (to the log the handler installed with [`Log::install_global`]) and still exits
/// 0 with nothing on stdout.
///
/// The hooks call it from C's `main` (`#![no_main]`): Rust's own start-up reads
/// `/proc/self/maps` to place a guard page under the main thread's stack (five system calls
/// and about 50 k instructions on every turn), which a hook that never recurses
/// deeply does not need. The two things it did that a hook does need are done here: SIGPIPE
/// is ignored (a write to a closed stdout is an error, not a kill), and file descriptors 0-2
/// are open (else the first file the hook opens would become its stdout).
pub fn run_hook(handler: fn(&RawInput, &Env, Timestamp) -> Reply) -> ! {
    start_like_rust();
    // Claude Code runs hooks with no arguments (exec form, `"args": []`); `--version` is for
    // people and installers checking which build is in place.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "--version" || a == "-V")
    {
        let name = std::env::args_os()
            .next()
            .map(PathBuf::from)
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "instar-hooks".into());
        let _ = writeln!(std::io::stdout(), "{name} {}", env!("CARGO_PKG_VERSION"));
        std::process::exit(0);
    }
    std::panic::set_hook(Box::new(|info| {
        if let Some(log) = Log::global() {
            log.problem(&format!("panic: {info}"));
        }
        std::process::exit(0);
    }));
    let input = read_stdin(STDIN_CAP);
    let env = Env::from_process();
    if let Reply::Json(line) = handler(&input, &env, Timestamp::now()) {
        // println! would panic on a closed pipe; a failed write is simply not shown.
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(line.as_bytes());
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }
    std::process::exit(0)
}

/// The `main` of a hook binary, which declares `#![no_main]` and calls this with its handler:
/// C's `main`, running [`run_hook`] (see there why not Rust's).
#[macro_export]
macro_rules! hook_main {
    ($handler:path) => {
        #[unsafe(no_mangle)]
        extern "C" fn main(
            _argc: ::std::ffi::c_int,
            _argv: *const *const ::std::ffi::c_char,
        ) -> ::std::ffi::c_int {
            $crate::hook_io::run_hook($handler)
        }
    };
}

/// What Rust's start-up does that a hook needs (see [`run_hook`]).
fn start_like_rust() {
    // SAFETY: plain libc calls at start-up, before any other thread exists; `fds` outlives
    // the `poll` that writes into it, and a path literal is NUL-terminated.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
        let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        });
        if libc::poll(fds.as_mut_ptr(), 3, 0) > 0 {
            for fd in fds.iter().filter(|p| p.revents & libc::POLLNVAL != 0) {
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR);
                if null >= 0 && null != fd.fd {
                    libc::dup2(null, fd.fd);
                    libc::close(null);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_fields_and_ignores_wrong_types() {
        let i = HookInput::parse(
            br#"{"session_id": "s", "cwd": 7, "last_assistant_message": "hi", "stop_hook_active": "yes", "extra": [1]}"#,
        );
        assert_eq!(i.session_id.as_deref(), Some("s"));
        assert_eq!(i.cwd, None);
        assert_eq!(i.last_assistant_message.as_deref(), Some("hi"));
        assert!(!i.stop_hook_active);
    }

    #[test]
    fn anything_but_an_object_is_an_empty_input() {
        for bad in [&b""[..], b"{", b"null", b"[1]", b"\xff\xfe", b"\"str\""] {
            assert_eq!(HookInput::parse(bad), HookInput::default());
        }
        let deep = "[".repeat(100_000);
        assert_eq!(HookInput::parse(deep.as_bytes()), HookInput::default());
    }

    #[test]
    fn capped_reads_drain_the_rest() {
        let data = vec![b'x'; 10_000];
        let r = read_capped(&data[..], 100);
        assert_eq!(r.bytes.len(), 100);
        assert!(r.truncated);
        let r = read_capped(&data[..], 10_000);
        assert!(!r.truncated);
    }

    #[test]
    fn the_project_comes_from_the_environment_first() {
        let env = Env {
            project_dir: Some("/p".into()),
            cwd: Some("/cwd".into()),
            ..Env::default()
        };
        assert_eq!(
            project_dir(&env, || panic!("stdin not needed")),
            Some("/p".into())
        );
        let env = Env {
            cwd: Some("/cwd".into()),
            ..Env::default()
        };
        assert_eq!(project_dir(&env, || Some("/in".into())), Some("/in".into()));
        assert_eq!(project_dir(&env, || None), Some("/cwd".into()));
    }
}
