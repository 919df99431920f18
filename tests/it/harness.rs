//! A builder for process-level tests: a temp project (and a temp HOME, config and data dir),
//! a binary to run, its stdin and environment, and assertions that print everything
//! (command, stdout, stderr, the project's hook log) before failing.

#![allow(dead_code)]

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

pub const STOP_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-followthrough");
pub const REMINDER_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-reminder");
/// Every hook binary the project ships.
pub const HOOKS: &[&str] = &[STOP_HOOK, REMINDER_HOOK];
pub const CLI: &str = env!("CARGO_BIN_EXE_instar-hooks");
pub const MIGRATE: &str = env!("CARGO_BIN_EXE_instar-migrate");

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

#[must_use]
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Self {
        Project::new_in(&std::env::temp_dir())
    }

    /// A project under `base` (e.g. the build directory, when a test needs a real disk
    /// rather than a tmpfs `/tmp`).
    pub fn new_in(base: &Path) -> Self {
        fs::create_dir_all(base).unwrap();
        let dir = tempfile::tempdir_in(base).unwrap();
        for sub in ["project", "home", "config", "data"] {
            fs::create_dir(dir.path().join(sub)).unwrap();
        }
        Project { dir }
    }

    /// An instar agent with the action-claim feature on.
    pub fn enabled() -> Self {
        Project::new().file(
            ".instar/config.json",
            r#"{"actionClaim": {"enabled": true}}"#,
        )
    }

    pub fn file(self, rel: &str, content: impl AsRef<[u8]>) -> Self {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, content).unwrap();
        self
    }

    /// A project holding a copy of `tests/fixtures/<rel>/` (a migrator case's `in/` tree).
    pub fn fixture(rel: &str) -> Self {
        let p = Project::new();
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel);
        copy_tree(&src, &p.path());
        let _ = fs::remove_file(p.path().join(".keep"));
        p
    }

    pub fn migrate(&self, args: &[&str]) -> Run<'_> {
        self.run(MIGRATE).args(args)
    }

    /// Every file under the project with its bytes, mode and mtime: equal snapshots mean
    /// nothing was written.
    pub fn tree(&self) -> Vec<(String, Vec<u8>, u32, std::time::SystemTime)> {
        use std::os::unix::fs::PermissionsExt;
        let mut out = Vec::new();
        let mut stack = vec![self.path()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                let meta = fs::symlink_metadata(e.path()).unwrap();
                if meta.is_dir() {
                    stack.push(e.path());
                } else {
                    let rel = e
                        .path()
                        .strip_prefix(self.path())
                        .unwrap()
                        .display()
                        .to_string();
                    out.push((
                        rel,
                        fs::read(e.path()).unwrap_or_default(),
                        meta.permissions().mode(),
                        meta.modified().unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn state(&self) -> PathBuf {
        self.path().join(".instar/instar-hooks")
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap_or_default()
    }

    pub fn hook_log(&self) -> String {
        fs::read_to_string(self.state().join("logs/hooks.log")).unwrap_or_default()
    }

    /// Runs a binary in this project with a clean environment.
    pub fn run(&self, bin: &str) -> Run<'_> {
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
            stdin: Vec::new(),
            desc: bin.rsplit('/').next().unwrap_or(bin).to_string(),
        }
    }

    pub fn stop(&self, message: &str) -> Run<'_> {
        self.run(STOP_HOOK).stdin_json(serde_json::json!({
            "session_id": "11111111-2222-3333-4444-555555555555",
            "hook_event_name": "Stop",
            "stop_hook_active": false,
            "last_assistant_message": message,
        }))
    }

    pub fn prompt(&self, prompt: &str) -> Run<'_> {
        self.run(REMINDER_HOOK).stdin_json(serde_json::json!({
            "session_id": "11111111-2222-3333-4444-555555555555",
            "hook_event_name": "UserPromptSubmit",
            "prompt": prompt,
        }))
    }

    pub fn cli(&self, args: &[&str]) -> Run<'_> {
        self.run(CLI).args(args)
    }

    /// `instar-hooks commitments list --all --json`, parsed.
    pub fn commitments(&self) -> Vec<serde_json::Value> {
        let out = self
            .cli(&["commitments", "list", "--all", "--json"])
            .run()
            .code(0);
        serde_json::from_str(&out.stdout).unwrap()
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
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
pub struct Run<'a> {
    project: &'a Project,
    cmd: Command,
    stdin: Vec<u8>,
    desc: String,
}

impl Run<'_> {
    pub fn args(mut self, args: &[&str]) -> Self {
        self.cmd.args(args);
        self.desc = format!("{} {}", self.desc, args.join(" "));
        self
    }

    pub fn env(mut self, k: &str, v: impl AsRef<std::ffi::OsStr>) -> Self {
        self.cmd.env(k, v);
        self
    }

    pub fn env_remove(mut self, k: &str) -> Self {
        self.cmd.env_remove(k);
        self
    }

    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = bytes.into();
        self
    }

    pub fn stdin_json(self, v: serde_json::Value) -> Self {
        self.stdin(v.to_string())
    }

    pub fn spawn(mut self) -> std::process::Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let bytes = std::mem::take(&mut self.stdin);
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
        child
    }

    /// Spawns with stdin written by `feed` on a thread (for large or streamed input).
    pub fn spawn_with_stdin(
        mut self,
        feed: impl FnOnce(&mut std::process::ChildStdin) + Send + 'static,
    ) -> std::process::Child {
        self.cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || feed(&mut stdin));
        child
    }

    pub fn run(self) -> Output {
        let desc = self.desc.clone();
        let log = self.project.state().join("logs/hooks.log");
        let start = Instant::now();
        let out = self.spawn().wait_with_output().unwrap();
        Output {
            desc,
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            elapsed: start.elapsed(),
            log,
        }
    }
}

pub struct Output {
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
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub fn stdout(self, expected: &str) -> Self {
        assert_eq!(self.stdout, expected, "unexpected stdout\n{}", self.dump());
        self
    }

    #[track_caller]
    pub fn stdout_contains(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    #[track_caller]
    pub fn stderr_contains(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.dump()
        );
        self
    }

    /// The hook contract: exit 0 and nothing on stdout that Claude Code would act on.
    #[track_caller]
    pub fn silent_success(self) -> Self {
        self.code(0).stdout("")
    }

    #[track_caller]
    pub fn within(self, limit: Duration) -> Self {
        assert!(
            self.elapsed < limit,
            "took {:?} (limit {limit:?})\n{}",
            self.elapsed,
            self.dump()
        );
        self
    }
}
