//! A command run in a project: its arguments, stdin (a pipe, streamed, or /dev/null),
//! environment and stdout (or a closed pipe), root's file access dropped; and its output, with
//! assertions that print the command, both streams and the hooks' log before failing.

use super::{Project, is_root};
use std::{
    fmt::Write as _,
    fs,
    io::Write,
    os::unix::process::CommandExt,
    path::PathBuf,
    process::{Child, ChildStdin, Command, Stdio},
    time::{Duration, Instant},
};

/// How much of each stream of a command the history keeps (a hook may be fed 10 MB).
const HISTORY_CAP: usize = 16 * 1024;

#[must_use]
pub(crate) struct Run<'a> {
    pub(super) project: &'a Project,
    pub(super) cmd: Command,
    /// `None`: stdin is /dev/null (closed at once), not a pipe.
    pub(super) stdin: Option<Vec<u8>>,
    /// Stdout is a pipe whose reading end is closed: every write fails (EPIPE).
    pub(super) stdout_closed: bool,
    pub(super) desc: String,
}

impl Run<'_> {
    pub(crate) fn args(mut self, args: &[&str]) -> Self {
        self.cmd.args(args);
        self.desc = format!("{} {}", self.desc, args.join(" "));
        self
    }

    pub(crate) fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    pub(crate) fn stdin_json(self, v: serde_json::Value) -> Self {
        self.stdin(v.to_string())
    }

    /// Stdin is /dev/null rather than a pipe.
    pub(crate) fn stdin_null(mut self) -> Self {
        self.stdin = None;
        self
    }

    /// Names what this run is about (e.g. which bad input), for the failure report.
    pub(crate) fn label(mut self, label: &str) -> Self {
        self.desc = format!("{} [{label}]", self.desc);
        self
    }

    /// Runs the binary without the capabilities that let root read and write any file
    /// (`CAP_DAC_OVERRIDE`, `CAP_DAC_READ_SEARCH`, dropped from the bounding set before exec),
    /// so file modes stop it as they stop any other user. Not root: nothing to drop.
    pub(crate) fn without_root_file_access(mut self) -> Self {
        if is_root() {
            const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
            const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
            // SAFETY: prctl is async-signal-safe, and the closure touches no shared state.
            unsafe {
                self.cmd.pre_exec(|| {
                    for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                        if libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                            return Err(std::io::Error::last_os_error());
                        }
                    }
                    Ok(())
                })
            };
            self.desc = format!("{} [root without CAP_DAC_*]", self.desc);
        }
        self
    }

    /// Spawns with stdout and stderr piped and stdin as set ([`Run::stdin`], written on a
    /// thread, or [`Run::stdin_null`]).
    pub(crate) fn spawn(mut self) -> Child {
        match self.stdin.take() {
            Some(bytes) => self.spawn_with_stdin(move |stdin| {
                let _ = stdin.write_all(&bytes);
            }),
            None => {
                self.cmd.stdin(Stdio::null());
                self.start()
            }
        }
    }

    /// Spawns with stdin written by `feed` on a thread (for large or streamed input).
    pub(crate) fn spawn_with_stdin(
        mut self,
        feed: impl FnOnce(&mut ChildStdin) + Send + 'static,
    ) -> Child {
        self.cmd.stdin(Stdio::piped());
        let mut child = self.start();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(&mut stdin));
        child
    }

    /// Stdout is a pipe nobody reads (its reading end closed before the start), as for
    /// `… | head` once head has exited: every write fails with EPIPE.
    pub(crate) fn stdout_closed(mut self) -> Self {
        self.stdout_closed = true;
        self.desc = format!("{} [stdout closed]", self.desc);
        self
    }

    fn start(mut self) -> Child {
        let stdout = if self.stdout_closed {
            use std::os::fd::FromRawFd;
            let mut fds = [0; 2];
            // SAFETY: pipe2 fills `fds` with two new descriptors, owned from here on.
            assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
            // SAFETY: each descriptor is owned once: the reading end is dropped (closed).
            drop(unsafe { std::os::fd::OwnedFd::from_raw_fd(fds[0]) });
            Stdio::from(unsafe { std::os::fd::OwnedFd::from_raw_fd(fds[1]) })
        } else {
            Stdio::piped()
        };
        self.cmd.stdout(stdout).stderr(Stdio::piped());
        self.cmd
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", self.desc))
    }

    pub(crate) fn run(self) -> Output {
        let desc = self.desc.clone();
        let project = self.project;
        let start = Instant::now();
        let out = self.spawn().wait_with_output().unwrap();
        let out = Output {
            desc,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
            log: project.hook_state().join("logs/hooks.log"),
        };
        let cap = |s: &str| match s.char_indices().nth(HISTORY_CAP) {
            Some((at, _)) => format!("{}… ({} bytes in all)", &s[..at], s.len()),
            None => s.to_string(),
        };
        let _ = write!(
            project.history.borrow_mut(),
            "--- {}\n--- exit {:?} after {} ms\n--- stdout:\n{}\n--- stderr:\n{}\n",
            out.desc,
            out.code,
            out.elapsed.as_millis(),
            cap(&out.stdout),
            cap(&out.stderr),
        );
        out
    }
}

pub(crate) struct Output {
    pub desc: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    log: PathBuf,
}

impl Output {
    fn dump(&self) -> String {
        format!(
            "command: {}\nexit: {:?}\nelapsed: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}\n--- hooks.log ---\n{}",
            self.desc,
            self.code,
            self.elapsed,
            self.stdout,
            self.stderr,
            fs::read_to_string(&self.log).unwrap_or_default()
        )
    }

    #[track_caller]
    pub(crate) fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n{}",
            self.dump()
        );
        self
    }

    /// Stdout parsed as JSON (the failure report shows everything when it is not).
    #[track_caller]
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not the JSON expected ({e})\n{}", self.dump()))
    }

    #[track_caller]
    pub(crate) fn stdout(self, expected: &str) -> Self {
        assert_eq!(self.stdout, expected, "unexpected stdout\n{}", self.dump());
        self
    }

    #[track_caller]
    pub(crate) fn stdout_contains(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_contains(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    /// The hook contract: exit 0 and nothing on stdout that Claude Code would act on.
    #[track_caller]
    pub(crate) fn silent_success(self) -> Self {
        self.code(0).stdout("")
    }

    #[track_caller]
    pub(crate) fn within(self, limit: Duration) -> Self {
        assert!(
            self.elapsed < limit,
            "took {:?} (limit {limit:?})\n{}",
            self.elapsed,
            self.dump()
        );
        self
    }
}
