//! The plugin from the repository's Git URL, with no Rust, end to end with the real Claude
//! Code CLI: a bare clone of this checkout's HEAD served over smart HTTP on loopback, added as
//! a marketplace in a fresh HOME whose PATH has no cargo, rustc or binary of ours, the plugin
//! installed, and real turns against the fake Anthropic API with the release served from
//! `target/dist/` — as published, tampered with, or not at all.

// Shared with the `it` target's install tests.
#[allow(dead_code)]
#[path = "../it/install/serve.rs"]
mod serve;
#[allow(dead_code)]
#[path = "../it/install/support.rs"]
mod support;

use crate::{claude::needs_claude, harness::walk};
use instar_hooks::plugin::install::{is_placeholder, plugin_binaries};
use libtest_mimic::Trial;
use serde_json::Value;
use serve::{Server, url_of_nothing};
use std::{
    ffi::OsString,
    fmt::Write as _,
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::Instant,
};
use support::{VERSION, contents, isolated, path_without_rust, read_jsonl, released, repo};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        from_the_git_url_with_no_rust_the_first_session_installs_the_binaries_and_records_the_promise,
        a_tampered_archive_installs_nothing_and_the_user_is_told,
        with_the_release_server_down_nothing_is_installed_and_the_user_is_told,
    ]
}

/// The bootstrap's command as the plugin's hooks/hooks.json registers it.
const BOOTSTRAP_COMMAND: &str = "${CLAUDE_PLUGIN_ROOT}/hooks/bootstrap";
const PLUGIN_STOP_HOOK: &str = "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough";

/// A fresh HOME with no Rust, where the plugin was installed from the Git URL of this
/// checkout's HEAD (project scope), and a project to run turns in. Prints what happened when
/// the test fails.
struct GitInstall {
    name: &'static str,
    claude: PathBuf,
    home: PathBuf,
    project: PathBuf,
    path: OsString,
    /// The installed plugin: `${CLAUDE_PLUGIN_ROOT}`.
    root: PathBuf,
    turns: std::cell::Cell<usize>,
    log: std::cell::RefCell<String>,
    _git: Server,
    _tmp: tempfile::TempDir,
}

impl GitInstall {
    /// `name` labels what it prints. `git http-backend` is required (`.ci/run` checks it).
    fn new(name: &'static str) -> GitInstall {
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
    fn turn(&self, release_url: &str) -> Vec<Value> {
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
    fn bootstrap_message(lines: &[Value]) -> Option<String> {
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
    fn assert_stop_ran_cleanly(lines: &[Value]) {
        crate::check::assert_stop_hooks_ran_cleanly(lines, &[PLUGIN_STOP_HOOK]);
    }

    /// The installed plugin's bin/ still holds the committed placeholders, nothing was added
    /// to the plugin, and nothing was recorded.
    fn assert_nothing_installed(&self, committed: &[(String, Vec<u8>)]) {
        assert_eq!(
            contents(&self.root),
            committed,
            "the plugin is as installed"
        );
        assert!(!self.home.join(".local/share/instar-hooks").exists());
    }

    /// The commitments the installed CLI lists for the project.
    fn commitments(&self) -> Vec<Value> {
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

fn from_the_git_url_with_no_rust_the_first_session_installs_the_binaries_and_records_the_promise() {
    let released = released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    // As installed: placeholders only, nothing of a build.
    for b in plugin_binaries() {
        assert!(is_placeholder(&s.root.join("bin").join(b)), "{b}");
    }
    assert!(!s.root.join(".installed").exists());
    let dist = Server::files(&released.dist, None);

    let lines = s.turn(&dist.url());
    assert_eq!(GitInstall::bootstrap_message(&lines), None);
    GitInstall::assert_stop_ran_cleanly(&lines);
    let archive = released.archive();
    assert_eq!(
        dist.requests(),
        [format!("GET /{archive}.sha256"), format!("GET /{archive}")],
        "the plugin carries no list for an unreleased version: the published .sha256, then \
         the archive, once"
    );
    for b in plugin_binaries() {
        assert_eq!(
            fs::read(s.root.join("bin").join(b)).unwrap(),
            fs::read(released.bin_dir.join(b)).unwrap(),
            "{b} is the released binary"
        );
    }
    assert_eq!(
        fs::read_to_string(s.root.join(".installed")).unwrap(),
        format!("{VERSION} {} {}/{archive}\n", released.target, dist.url())
    );
    // The Stop hook of that very session was the native binary.
    let c = s.commitments();
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0]["verb"], "restart");
    assert_eq!(c[0]["message"], "Restarting the worker now.");

    // The next session: nothing to do, no network; its Stop hook (native) records its own
    // promise (another session, so another commitment).
    let lines = s.turn(&dist.url());
    assert_eq!(GitInstall::bootstrap_message(&lines), None);
    GitInstall::assert_stop_ran_cleanly(&lines);
    assert_eq!(dist.requests().len(), 2, "no second download");
    assert_eq!(s.commitments().len(), 2);
    let leftovers: Vec<String> = walk(&s.root)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.starts_with(".bootstrap"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// One session whose bootstrap cannot install: the session runs, the Stop hook is the silent
/// placeholder, the user is shown the message (which it returns), nothing changes.
fn a_session_that_cannot_install(s: &GitInstall, release_url: &str) -> String {
    let committed = contents(&s.root);
    let lines = s.turn(release_url);
    let message = GitInstall::bootstrap_message(&lines).expect("a message for the user");
    assert!(
        message.starts_with("instar-hooks is not active: "),
        "{message}"
    );
    assert!(
        message.ends_with("Fix: `cargo install --locked instar-hooks`, then start a new session."),
        "{message}"
    );
    GitInstall::assert_stop_ran_cleanly(&lines);
    s.assert_nothing_installed(&committed);
    message
}

fn a_tampered_archive_installs_nothing_and_the_user_is_told() {
    let released = released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    let tmp = tempfile::tempdir().unwrap();
    released.copy_to(tmp.path());
    let archive = tmp.path().join(released.archive());
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&archive, bytes).unwrap();
    let dist = Server::files(tmp.path(), None);
    let message = a_session_that_cannot_install(&s, &dist.url());
    assert!(
        message.contains(&format!(
            "the download of {} does not match its SHA-256 in {}.sha256",
            released.archive(),
            released.archive()
        )),
        "{message}"
    );
}

fn with_the_release_server_down_nothing_is_installed_and_the_user_is_told() {
    released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    let nowhere = url_of_nothing();
    let message = a_session_that_cannot_install(&s, &nowhere);
    assert!(
        message.contains(&format!("downloading {nowhere}/")),
        "{message}"
    );
    assert!(
        message.contains("each new session tries again"),
        "{message}"
    );
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
