//! What the install trials run on: a fresh HOME without Rust where the plugin was installed
//! from the Git URL of this checkout's HEAD, its real turns, and Claude Code's record of the
//! bootstrap and the Stop hook in them.

use super::{
    serve::Server,
    support::{contents, isolated, path_without_rust, read_jsonl, repo},
};
use serde_json::Value;
use std::{
    ffi::OsString,
    fmt::Write as _,
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Instant,
};

/// The bootstrap's command as the plugin's hooks/hooks.json registers it.
const BOOTSTRAP_COMMAND: &str = "${CLAUDE_PLUGIN_ROOT}/hooks/bootstrap";
const PLUGIN_STOP_HOOK: &str = "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough";

/// A fresh HOME with no Rust, where the plugin was installed from the Git URL of this
/// checkout's HEAD (project scope), and a project to run turns in. Prints what happened when
/// the test fails.
pub(super) struct GitInstall {
    name: &'static str,
    claude: PathBuf,
    home: PathBuf,
    project: PathBuf,
    path: OsString,
    /// The installed plugin: `${CLAUDE_PLUGIN_ROOT}`.
    pub(super) root: PathBuf,
    turns: std::cell::Cell<usize>,
    log: std::cell::RefCell<String>,
    _git: Server,
    _tmp: tempfile::TempDir,
}

impl GitInstall {
    /// `name` labels what it prints. `git http-backend` is required (`.ci/run` checks it).
    pub(super) fn new(name: &'static str) -> GitInstall {
        let claude = crate::claude::claude_bin().to_path_buf();
        let exec_path = Command::new("git").arg("--exec-path").output().unwrap();
        let backend = PathBuf::from(String::from_utf8_lossy(&exec_path.stdout).trim())
            .join("git-http-backend");
        assert!(
            backend.is_file(),
            "git http-backend not found at {}: Git over smart HTTP cannot be served",
            backend.display()
        );
        let tmp = tempfile::Builder::new()
            .prefix("instar-install.")
            .tempdir()
            .unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap();
        let (home, project, git_root) = (root.join("home"), root.join("project"), root.join("git"));
        for d in [&home, &project.join(".claude"), &git_root] {
            fs::create_dir_all(d).unwrap();
        }
        fs::write(project.join(".claude/settings.json"), "{}\n").unwrap();
        let mut s = GitInstall {
            name,
            claude,
            home,
            project,
            path: path_without_rust(),
            root: PathBuf::new(),
            turns: Default::default(),
            log: Default::default(),
            _git: Server::git(&git_root),
            _tmp: tmp,
        };
        // The committed state: a bare clone of HEAD, as a user's clone would be.
        let bare = git_root.join("instar-hooks.git");
        s.run(
            "git clone --bare",
            Command::new("git")
                .args(["clone", "--bare", "--quiet"])
                .arg(repo())
                .arg(&bare),
        );
        let head = |dir: &Path| {
            let out = Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(["rev-parse", "HEAD"])
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        assert_eq!(
            head(&bare),
            head(repo()),
            "the clone is this checkout's HEAD"
        );
        let url = format!("{}/instar-hooks.git", s._git.url());
        let cwd = s.project.clone();
        s.claude(&["plugin", "marketplace", "add", &url], &cwd);
        s.claude(
            &[
                "plugin",
                "install",
                "instar-hooks@instar-hooks",
                "--scope",
                "project",
            ],
            &cwd,
        );
        let installed: Value = serde_json::from_str(
            &fs::read_to_string(s.home.join(".claude/plugins/installed_plugins.json")).unwrap(),
        )
        .unwrap();
        s.root = PathBuf::from(
            installed["plugins"]["instar-hooks@instar-hooks"][0]["installPath"]
                .as_str()
                .expect("an install path"),
        );
        assert!(
            s.root.starts_with(s.home.join(".claude/plugins/cache")),
            "{}",
            s.root.display()
        );
        s
    }

    /// Runs `cmd` with this HOME and PATH; asserts that it succeeded.
    fn run(&self, label: &str, cmd: &mut Command) -> String {
        isolated(cmd, &self.home).env("PATH", &self.path);
        let started = Instant::now();
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{label}: {e}"));
        let _ = write!(
            self.log.borrow_mut(),
            "--- {label}: {cmd:?}\n--- exit {} after {} ms\n--- stdout:\n{}\n--- stderr:\n{}\n",
            out.status,
            started.elapsed().as_millis(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{label} failed: {}", out.status);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn claude(&self, args: &[&str], cwd: &Path) -> String {
        let mut cmd = claude_command(&self.claude, &self.home);
        cmd.args(args).current_dir(cwd);
        self.run(&format!("claude {args:?}"), &mut cmd)
    }

    /// One real turn ending "Restarting the worker now." with the release at `release_url`:
    /// the session's transcript lines.
    pub(super) fn turn(&self, release_url: &str) -> Vec<Value> {
        self.turns.set(self.turns.get() + 1);
        let api_log = self.home.join(format!("../api-{}.jsonl", self.turns.get()));
        let mut cmd = Command::new(repo().join("tests/e2e/claude-turn"));
        cmd.arg("--project")
            .arg(&self.project)
            .arg("--home")
            .arg(&self.home)
            .arg("--api-log")
            .arg(&api_log)
            .args(["--reply", "Restarting the worker now."])
            .args(["--env", &format!("INSTAR_HOOKS_RELEASE_URL={release_url}")])
            .args(["--", "--output-format", "json"])
            .env("CLAUDE_BIN", &self.claude);
        let started = Instant::now();
        let stdout = self.run("turn", &mut cmd);
        let _ = writeln!(
            std::io::stderr(),
            "install {}: turn {} took {} ms",
            self.name,
            self.turns.get(),
            started.elapsed().as_millis()
        );
        let result: Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(result["result"], "Restarting the worker now.");
        // What the user is shown reaches the user, not the model.
        let requests = fs::read_to_string(&api_log).unwrap();
        assert!(
            !requests.contains("instar-hooks is not active"),
            "{requests}"
        );
        let session = result["session_id"].as_str().unwrap();
        let projects = self.home.join(".claude/projects");
        let transcript = fs::read_dir(&projects)
            .unwrap()
            .map(|d| d.unwrap().path().join(format!("{session}.jsonl")))
            .find(|p| p.is_file())
            .expect("the session's transcript");
        read_jsonl(&transcript)
    }

    /// Claude Code's record of the bootstrap in a session: the message it showed the user
    /// (`None`: it printed nothing, which Claude Code does not record). Any record of it is
    /// a success (exit 0) with nothing on stderr.
    pub(super) fn bootstrap_message(lines: &[Value]) -> Option<String> {
        let runs: Vec<&Value> = lines
            .iter()
            .filter(|l| l["attachment"]["hookEvent"] == "SessionStart")
            .filter(|l| l["attachment"]["command"] == BOOTSTRAP_COMMAND)
            .collect();
        let shown: Vec<String> = lines
            .iter()
            .filter(|l| l["attachment"]["type"] == "hook_system_message")
            .filter(|l| l["attachment"]["hookEvent"] == "SessionStart")
            .map(|l| l["attachment"]["content"].as_str().unwrap().to_string())
            .collect();
        let [run] = runs[..] else {
            assert!(runs.is_empty(), "the bootstrap ran once: {runs:#?}");
            assert!(shown.is_empty(), "{shown:?}");
            return None;
        };
        let run = &run["attachment"];
        assert_eq!(
            (run["type"].as_str(), run["exitCode"].as_i64()),
            (Some("hook_success"), Some(0)),
            "{run:#}"
        );
        assert_eq!(run["stderr"], "", "{run:#}");
        let printed: Value = serde_json::from_str(run["stdout"].as_str().unwrap()).unwrap();
        assert_eq!(
            printed.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["systemMessage"]
        );
        assert_eq!(shown, [printed["systemMessage"].as_str().unwrap()]);
        Some(shown[0].clone())
    }

    /// The Stop hook ran at the end of the turn without an error, by Claude Code's account
    /// (and continued it at most once: the worker was promised, not restarted).
    pub(super) fn assert_stop_ran_cleanly(lines: &[Value]) {
        crate::check::assert_stop_hooks_ran_cleanly(lines, &[PLUGIN_STOP_HOOK]);
    }

    /// The installed plugin's bin/ still holds the committed placeholders, nothing was added
    /// to the plugin, and nothing was recorded.
    pub(super) fn assert_nothing_installed(&self, committed: &[(String, Vec<u8>)]) {
        assert_eq!(
            contents(&self.root),
            committed,
            "the plugin is as installed"
        );
        assert!(!self.home.join(".local/share/instar-hooks").exists());
    }

    /// The commitments the installed CLI lists for the project.
    pub(super) fn commitments(&self) -> Vec<Value> {
        let mut cmd = Command::new(self.root.join("bin/instar-hooks"));
        cmd.args(["commitments", "list", "--all", "--json", "--project-dir"])
            .arg(&self.project);
        serde_json::from_str(&self.run("instar-hooks commitments list", &mut cmd)).unwrap()
    }
}

impl Drop for GitInstall {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "\n===== install {} FAILED; plugin {} =====\n{}=====",
                self.name,
                self.root.display(),
                self.log.borrow()
            );
        }
    }
}

/// `claude` with this HOME and nothing from the caller's Claude Code session, bounded in time.
fn claude_command(claude: &Path, home: &Path) -> Command {
    let mut cmd = Command::new("timeout");
    cmd.args(["-k", "5", "120"]).arg(claude);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("ANTHROPIC_") || k.starts_with("CLAUDE_") || k == "CLAUDECODE" {
            cmd.env_remove(&*k);
        }
    }
    cmd.env("HOME", home)
        .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
        .stdin(Stdio::null());
    cmd
}
