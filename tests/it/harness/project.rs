//! A temp project with its user's HOME, config and data directories: files put in it, the
//! binaries run in it, its state read back, and, when a test fails, everything it ran, its
//! settings, the hooks' log and store, and Claude Code's account of the Stop hooks.

use super::{CLI, MIGRATE, REMINDER_HOOK, Run, STOP_HOOK, copy_tree, walk};
use std::{
    cell::RefCell,
    ffi::OsStr,
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
};

/// A temp dir holding the project (`project/`), its user's HOME (`home/`, with Claude Code's
/// `home/.claude/`), config (`config/`) and data (`data/`) directories.
#[must_use]
pub(crate) struct Project {
    /// The canonical path of `_dir` (Claude Code resolves the project's path the same way).
    root: PathBuf,
    /// Every command run in this project, with what it did: printed when the test fails.
    pub(super) history: RefCell<String>,
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
