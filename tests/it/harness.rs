//! A builder for process-level tests, shared by both test targets (`it`, and `claude-code`
//! through `#[path]`): a temp project (and a temp HOME, config and data dir), a binary to run,
//! its stdin and environment, and assertions that print everything (command, stdout, stderr,
//! the project's hook log) before failing. A project also keeps every command run in it, and
//! prints them with its files and Claude Code's account of its hooks when a test fails.

use std::{
    cell::RefCell,
    ffi::OsStr,
    fmt::Write as _,
    fs,
    io::Write,
    os::unix::process::CommandExt,
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    time::{Duration, Instant},
};

pub(crate) const STOP_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-followthrough");
pub(crate) const REMINDER_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-reminder");
/// Every hook binary the project ships.
pub(crate) const HOOKS: &[&str] = &[STOP_HOOK, REMINDER_HOOK];
pub(crate) const CLI: &str = env!("CARGO_BIN_EXE_instar-hooks");
pub(crate) const MIGRATE: &str = env!("CARGO_BIN_EXE_instar-migrate");

/// Generous bound for one hook run in these tests (a debug build on a loaded 2-core CI box;
/// release runs take about a millisecond). The real performance targets live in
/// `scripts/bench`.
pub(crate) const RUN_BOUND: Duration = Duration::from_secs(10);

/// The name of the test function it is used in (the last path segment of a nested fn's
/// type name; not the thread name, which libtest may not set).
#[macro_export]
macro_rules! test_name {
    () => {{
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        let path = path.strip_suffix("::here").unwrap_or(path);
        &path[path.rfind("::").map_or(0, |i| i + 2)..]
    }};
}

/// Whether this is a CI run (`CI=true`), where a test that cannot run must fail, not skip.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A test that cannot run here: under `CI=true` that is a failure; otherwise it says `SKIP`
/// where it is seen (straight to stderr: libtest hides `eprintln!` of a passing test).
#[track_caller]
pub(crate) fn skip(test: &str, why: &str) {
    assert!(
        !in_ci(),
        "{test} cannot run ({why}) and CI=true: it must run in CI"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIP {test}: {why} (CI=true makes this a failure)"
    );
}

/// instar's key of a commitment: `actionclaim:` + the first 16 hex digits of
/// sha256(`topic|verb`), computed here independently of the hooks.
pub(crate) fn external_key(topic: &str, verb: &str) -> String {
    use sha2::{Digest, Sha256};
    let hex: String = Sha256::digest(format!("{topic}|{verb}").as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("actionclaim:{hex}")
}

/// Every file (anything but a directory; symlinks are not followed) under `dir`, by its path
/// relative to `dir`, with its metadata, in name order.
pub(crate) fn walk(dir: &Path) -> Vec<(String, fs::Metadata)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = e.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, meta));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Whether this process runs with root's power to ignore file permissions (effective uid 0),
/// so that a mode-000 file or a 0o555 directory stops nothing unless the child drops it (see
/// [`Run::without_root_file_access`]).
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Where insta keeps this suite's snapshots (top-level `snapshots/`).
#[macro_export]
macro_rules! snapshot_settings {
    () => {{
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        s.set_prepend_module_to_snapshot(false);
        s.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", "[TIME]");
        s.add_filter(r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]");
        s
    }};
}

/// How much of each stream of a command the history keeps (a hook may be fed 10 MB).
const HISTORY_CAP: usize = 16 * 1024;

/// A temp dir holding the project (`project/`), its user's HOME (`home/`, with Claude Code's
/// `home/.claude/`), config (`config/`) and data (`data/`) directories.
#[must_use]
pub(crate) struct Project {
    /// The canonical path of `_dir` (Claude Code resolves the project's path the same way).
    root: PathBuf,
    /// Every command run in this project, with what it did: printed when the test fails.
    history: RefCell<String>,
    // Last: removed after `Drop::drop` has printed what it needs.
    _dir: tempfile::TempDir,
}

impl Project {
    pub(crate) fn new() -> Self {
        Project::new_in(&std::env::temp_dir())
    }

    /// A project under `base` (e.g. the build directory, when a test needs a real disk
    /// rather than a tmpfs `/tmp`).
    pub(crate) fn new_in(base: &Path) -> Self {
        fs::create_dir_all(base).unwrap();
        let dir = tempfile::tempdir_in(base).unwrap();
        let root = fs::canonicalize(dir.path()).unwrap();
        for sub in ["project", "home", "config", "data"] {
            fs::create_dir(root.join(sub)).unwrap();
        }
        Project {
            root,
            history: RefCell::new(String::new()),
            _dir: dir,
        }
    }

    /// An instar agent with the action-claim feature on.
    pub(crate) fn enabled() -> Self {
        Project::new().enable()
    }

    /// Makes this project an instar agent with the action-claim feature on.
    pub(crate) fn enable(self) -> Self {
        self.file(
            ".instar/config.json",
            r#"{"actionClaim": {"enabled": true}}"#,
        )
    }

    pub(crate) fn file(self, rel: &str, content: impl AsRef<[u8]>) -> Self {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
        self
    }

    /// A project holding a copy of `tests/fixtures/<rel>/` (a migrator case's `in/` tree).
    pub(crate) fn fixture(rel: &str) -> Self {
        let p = Project::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel);
        copy_tree(&src, &p.path());
        let _ = fs::remove_file(p.path().join(".keep"));
        p
    }

    pub(crate) fn migrate(&self, args: &[&str]) -> Run<'_> {
        self.run(MIGRATE).args(args)
    }

    /// Every file under the project with its bytes, mode and mtime: equal snapshots mean
    /// nothing was written.
    pub(crate) fn tree(&self) -> Vec<(String, Vec<u8>, u32, std::time::SystemTime)> {
        use std::os::unix::fs::PermissionsExt;
        walk(&self.path())
            .into_iter()
            .map(|(rel, meta)| {
                let bytes = fs::read(self.path().join(&rel)).unwrap_or_default();
                (
                    rel,
                    bytes,
                    meta.permissions().mode(),
                    meta.modified().unwrap(),
                )
            })
            .collect()
    }

    pub(crate) fn path(&self) -> PathBuf {
        self.root.join("project")
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// An instar agent's state directory: `.instar/instar-hooks/`.
    pub(crate) fn state(&self) -> PathBuf {
        self.path().join(".instar/instar-hooks")
    }

    /// The project's state directory in the per-user data directory, found by listing
    /// `data/instar-hooks/projects/` (each test has its own) rather than by computing its
    /// name; `None` while there is none.
    pub(crate) fn user_state(&self) -> Option<PathBuf> {
        let projects = self.root.join("data/instar-hooks/projects");
        let mut dirs: Vec<PathBuf> = fs::read_dir(&projects)
            .ok()?
            .filter_map(|e| Some(e.ok()?.path()))
            .collect();
        dirs.sort();
        dirs.into_iter().next()
    }

    /// Where the hooks keep this project's state: an instar agent's [`Project::state`], else
    /// its [`Project::user_state`] (or where an agent's would be, while there is none).
    pub(crate) fn hook_state(&self) -> PathBuf {
        match self.user_state() {
            Some(dir) if !self.path().join(".instar").is_dir() => dir,
            _ => self.state(),
        }
    }

    /// Merges `patch` into `.instar/config.json`, one level deep (so `{"actionClaim": {…}}`
    /// keeps `actionClaim.enabled`).
    // Used by the claude-code target.
    #[allow(dead_code)]
    pub(crate) fn configure(&self, patch: serde_json::Value) {
        let path = self.path().join(".instar/config.json");
        let mut config: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for (key, value) in patch.as_object().expect("a JSON object") {
            match (config.get_mut(key), value) {
                (Some(serde_json::Value::Object(old)), serde_json::Value::Object(new)) => {
                    old.extend(new.clone());
                }
                _ => config[key] = value.clone(),
            }
        }
        let text = serde_json::to_string_pretty(&config).unwrap();
        let _ = writeln!(
            self.history.borrow_mut(),
            "--- .instar/config.json:\n{text}"
        );
        fs::write(path, text).unwrap();
    }

    pub(crate) fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_default()
    }

    pub(crate) fn hook_log(&self) -> String {
        fs::read_to_string(self.hook_state().join("logs/hooks.log")).unwrap_or_default()
    }

    /// Runs a binary in this project with a clean environment.
    pub(crate) fn run(&self, bin: &str) -> Run<'_> {
        let mut cmd = Command::new(bin);
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root().join("home"))
            .env("XDG_CONFIG_HOME", self.root().join("config"))
            .env("XDG_DATA_HOME", self.root().join("data"))
            .env("CLAUDE_PROJECT_DIR", self.path())
            .env("CLAUDE_CONFIG_DIR", self.root().join("home/.claude"))
            .current_dir(self.path());
        Run {
            project: self,
            cmd,
            stdin: Some(Vec::new()),
            stdout_closed: false,
            desc: bin.rsplit('/').next().unwrap_or(bin).to_string(),
        }
    }

    /// Runs another program (git, Claude Code, the end-to-end scripts) in this project: with
    /// the caller's environment, less whatever would point it at another Claude Code or
    /// instar session (the tests may run inside one), and with this project's HOME and user
    /// directories, as the hooks and CLIs see them.
    // Used by the claude-code target.
    #[allow(dead_code)]
    pub(crate) fn tool(&self, program: impl AsRef<OsStr>) -> Run<'_> {
        let program = program.as_ref();
        let mut cmd = Command::new(program);
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy();
            if ["INSTAR_", "CLAUDE_", "ANTHROPIC_"]
                .iter()
                .any(|p| k.starts_with(p))
                || k == "CLAUDECODE"
            {
                cmd.env_remove(&*k);
            }
        }
        cmd.env("HOME", self.root().join("home"))
            .env("XDG_CONFIG_HOME", self.root().join("config"))
            .env("XDG_DATA_HOME", self.root().join("data"))
            .current_dir(self.path());
        Run {
            project: self,
            cmd,
            stdin: Some(Vec::new()),
            stdout_closed: false,
            desc: program.to_string_lossy().into_owned(),
        }
    }

    pub(crate) fn stop(&self, message: &str) -> Run<'_> {
        self.run(STOP_HOOK).stdin_json(serde_json::json!({
            "session_id": "11111111-2222-3333-4444-555555555555",
            "hook_event_name": "Stop",
            "stop_hook_active": false,
            "last_assistant_message": message,
        }))
    }

    pub(crate) fn prompt(&self, prompt: &str) -> Run<'_> {
        self.run(REMINDER_HOOK).stdin_json(serde_json::json!({
            "session_id": "11111111-2222-3333-4444-555555555555",
            "hook_event_name": "UserPromptSubmit",
            "prompt": prompt,
        }))
    }

    pub(crate) fn cli(&self, args: &[&str]) -> Run<'_> {
        self.run(CLI).args(args)
    }

    /// `instar-hooks commitments list --all --json`, parsed.
    pub(crate) fn commitments(&self) -> Vec<serde_json::Value> {
        self.cli(&["commitments", "list", "--all", "--json"])
            .run()
            .code(0)
            .json()
    }
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

#[must_use]
pub(crate) struct Run<'a> {
    project: &'a Project,
    cmd: Command,
    /// `None`: stdin is /dev/null (closed at once), not a pipe.
    stdin: Option<Vec<u8>>,
    /// Stdout is a pipe whose reading end is closed: every write fails (EPIPE).
    stdout_closed: bool,
    desc: String,
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

impl Drop for Project {
    /// When the test fails: what it ran here, the settings file, the hooks' log and store, and
    /// Claude Code's own account of the Stop hooks (errors such as "Permission denied").
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let read = |path: &Path| fs::read_to_string(path).unwrap_or_else(|e| format!("<{e}>"));
        let state = self.hook_state();
        let mut summaries = String::new();
        let transcripts = fs::read_dir(self.root.join("home/.claude/projects"))
            .into_iter()
            .flatten()
            .filter_map(|d| fs::read_dir(d.ok()?.path()).ok())
            .flatten()
            .filter_map(|f| Some(f.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"));
        for transcript in transcripts {
            let body = fs::read_to_string(&transcript).unwrap_or_default();
            for line in body.lines().filter(|l| l.contains("\"stop_hook_summary\"")) {
                let _ = writeln!(summaries, "{}: {line}", transcript.display());
            }
        }
        let mut report = format!(
            "\n===== the failed test's project: {} =====\n{}",
            self.path().display(),
            self.history.borrow()
        );
        for file in [
            self.path().join(".claude/settings.json"),
            state.join("logs/hooks.log"),
            state.join("commitments.json"),
        ] {
            if file.exists() {
                let _ = write!(report, "--- {}:\n{}\n", file.display(), read(&file));
            }
        }
        if !summaries.is_empty() {
            let _ = write!(
                report,
                "--- stop_hook_summary lines in the transcripts:\n{summaries}"
            );
        }
        report.push_str("=====\n");
        // Through the test runner's capture: shown with the failed test's output.
        eprint!("{report}");
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
