//! End to end: the real Claude Code CLI (pinned in `tests/e2e/install-claude-code.sh`) runs
//! whole turns in a temp project against a local fake Anthropic API
//! (`tests/e2e/fake_anthropic.py`, loopback only), so the Stop hook is registered exactly as a
//! user would register it and gets Claude Code's genuine stdin and environment.
//!
//! Each test has its own project and HOME under one temp dir (removed at the end), so the tests
//! can run in parallel. Without npm (and no cached install) the tests print `SKIP` and pass,
//! unless `CI=true`, where that is a failure. When a test fails it prints every turn's output,
//! the settings file, the hook's log and the commitment store.
//!
//! The transcript fixtures in `tests/e2e/fixtures/` are captured by hand with
//! `tests/e2e/capture-fixtures.sh`; the tests here only check that live transcripts and the
//! fixtures have the shape the fixtures document.
//!
//! The follow-through tests (evidence, reminders, forwarding) run several turns of one
//! conversation: each `claude -p` is a new session, so every turn sets the same
//! `INSTAR_CONVERSATION_ID`. Forwarding goes to [`StubServer`], a stand-in instar server.
//!
//! The plugin tests load the plugin `scripts/package-plugin` builds (run once per test
//! process, release binaries: [`crate::plugin::packaged_plugin`]) the three ways a user can — `--plugin-dir`
//! with the folder, `claude plugin marketplace add` + `install` from this checkout, and
//! `--plugin-dir` with the release zip — in projects without `.instar/`, and check that the
//! state lands in the test HOME's data directory and nothing new appears in the project.

use crate::harness::{external_key, skip, walk};
use crate::plugin::packaged_plugin;
use crate::stub_server::{DEFAULT_REPLY, Reserved, StubServer};
use crate::test_name;
use serde_json::{Value, json};
use std::{
    cell::{Cell, RefCell},
    fmt::Write as _,
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::OnceLock,
    time::Instant,
};

/// Where the README's "By hand" section deploys the Stop hook, relative to the project.
macro_rules! hook_in_project {
    () => {
        ".instar/hooks/instar/action-claim-followthrough"
    };
}
const HOOK_IN_PROJECT: &str = hook_in_project!();
/// The Stop hook's command as settings.json registers it (and as Claude Code reports it).
const SETTINGS_STOP_HOOK: &str = concat!("${CLAUDE_PROJECT_DIR}/", hook_in_project!());
/// The Stop hook registration, in exec form, exactly as a user writes it by hand (README,
/// "By hand"); `tests/e2e/capture-fixtures.sh` installs the same file.
const SETTINGS: &str = include_str!("../e2e/stop-hook-settings.json");
/// The Stop hook's command as the plugin's hooks/hooks.json registers it.
const PLUGIN_STOP_HOOK: &str = "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough";
/// Relative to the project's state directory ([`Project::state_dir`]).
const HOOK_LOG: &str = "logs/hooks.log";
const STORE: &str = "commitments.json";
/// Seconds one `claude -p` turn may take (claude-turn's --timeout).
const TURN_TIMEOUT_S: u64 = 120;
/// Words that only appear in the hook's log when something went wrong.
const LOG_ERROR_WORDS: &[&str] = &[
    "panic",
    "error",
    "could not",
    "unreadable",
    "exceeded",
    "config ",
];

fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e")
}

fn fixture(name: &str) -> PathBuf {
    e2e_dir().join("fixtures").join(name)
}

/// `claude` (Claude Code's binary) bounded by `timeout`, with `home` as its HOME and nothing
/// from the caller's Claude Code session (ANTHROPIC_*, CLAUDE_*, CLAUDECODE: the tests may run
/// inside one), no non-essential traffic, and stdin closed.
pub(crate) fn claude_command(claude: &Path, home: &Path) -> Command {
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

/// Claude Code's native binary, installed (once per test process) by the project's own
/// install script; `None` when the tests must be skipped.
pub(crate) fn claude_bin(test: &str) -> Option<PathBuf> {
    static INSTALLED: OnceLock<Result<Option<PathBuf>, String>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        let script = e2e_dir().join("install-claude-code.sh");
        let out = Command::new(&script)
            .output()
            .map_err(|e| format!("could not run {}: {e}", script.display()))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {
                let bin = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if bin.is_empty() || !Path::new(&bin).is_file() {
                    return Err(format!("install-claude-code.sh printed no binary: {bin:?}"));
                }
                Ok(Some(PathBuf::from(bin)))
            }
            Some(3) => Ok(None),
            _ => Err(format!(
                "install-claude-code.sh failed ({}):\n{stderr}",
                out.status
            )),
        }
    });
    match installed {
        Ok(Some(bin)) => Some(bin.clone()),
        Ok(None) => {
            skip(
                test,
                "npm not found, so Claude Code cannot be installed; end-to-end test NOT run",
            );
            None
        }
        Err(e) => panic!("{e}"),
    }
}

/// What the fake model answers.
enum Reply<'a> {
    /// The same text for every model turn.
    Text(&'a str),
    /// A JSONL file, one reply per model turn (see fake_anthropic.py).
    Replies(&'a Path),
}

struct Turn {
    stdout: String,
    /// Every request the fake API got in this turn, with its body (claude-turn's --api-log).
    api_log: PathBuf,
}

impl Turn {
    /// The text of every message the model was sent in this turn's main requests (the
    /// conversation; hook context arrives as `<system-reminder>` text here).
    fn model_input_texts(&self) -> Vec<String> {
        let requests = read_jsonl(&self.api_log);
        let main = requests.iter().filter(|r| r["kind"] == "main");
        let messages = main.flat_map(|r| {
            r["body"]["messages"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        });
        messages
            .flat_map(|m| match &m["content"] {
                Value::String(s) => vec![s.clone()],
                Value::Array(blocks) => blocks
                    .iter()
                    .filter_map(|b| Some(b["text"].as_str()?.to_string()))
                    .collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// The follow-through reminders the model was sent in this turn.
    fn reminders(&self) -> Vec<String> {
        let texts = self.model_input_texts();
        assert!(
            !texts.is_empty(),
            "no model input in {}",
            self.api_log.display()
        );
        texts
            .into_iter()
            .filter(|t| t.contains("Follow-through reminder"))
            .collect()
    }

    /// The `--output-format json` result object claude printed.
    fn result(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("claude's stdout is not one JSON result ({e})"))
    }

    /// The session id Claude Code used, from its own result (not from the hook).
    fn session_id(&self) -> String {
        let id = self.result()["session_id"]
            .as_str()
            .expect("result has a session_id")
            .to_string();
        assert!(looks_like_uuid(&id), "session id {id:?}");
        id
    }
}

/// A temp project with the Stop hook installed, and a HOME of its own for Claude Code. When
/// the test panics, dropping it prints everything needed to see why.
struct Project {
    name: &'static str,
    started: Instant,
    claude: PathBuf,
    dir: PathBuf,
    home: PathBuf,
    /// Turns run so far (names each turn's API log).
    turns: Cell<usize>,
    transcript: RefCell<String>,
    // Last: removed after Drop::drop has printed the diagnostics.
    _tmp: tempfile::TempDir,
}

impl Project {
    /// A project set up by hand, as the README's "By hand" section says. `None` when the
    /// test is skipped (see [`claude_bin`]).
    fn new(name: &'static str) -> Option<Project> {
        let p = Project::empty(name)?;
        fs::write(
            with_parent(p.dir.join(".instar/config.json")),
            r#"{"actionClaim":{"enabled":true}}"#,
        )
        .unwrap();
        p.deploy_hook_by_hand();
        fs::write(with_parent(p.dir.join(".claude/settings.json")), SETTINGS).unwrap();
        Some(p)
    }

    /// An empty project brought up to date by `instar-migrate --enable action-claim`.
    fn migrated(name: &'static str) -> Option<Project> {
        let p = Project::empty(name)?;
        p.migrate(&[]);
        Some(p)
    }

    /// Copies the Stop hook into the project as the README's "By hand" step 1 says.
    fn deploy_hook_by_hand(&self) {
        let hook = with_parent(self.dir.join(HOOK_IN_PROJECT));
        fs::copy(env!("CARGO_BIN_EXE_action-claim-followthrough"), &hook).unwrap();
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// `instar-migrate --enable action-claim EXTRA…` on the project; asserts that it
    /// succeeded and returns its stdout.
    fn migrate(&self, extra: &[&str]) -> String {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_instar-migrate"));
        cmd.args(["--enable", "action-claim"])
            .args(extra)
            .arg("--project-dir")
            .arg(&self.dir);
        self.succeeded("instar-migrate", &mut cmd)
    }

    fn empty(name: &'static str) -> Option<Project> {
        let claude = claude_bin(name)?;
        let tmp = tempfile::Builder::new()
            .prefix("instar-e2e.")
            .tempdir()
            .expect("temp dir");
        let root = fs::canonicalize(tmp.path()).expect("canonical temp dir");
        let dir = root.join("project");
        let home = root.join("home");
        fs::create_dir_all(&dir).unwrap();
        fs::create_dir_all(home.join(".config")).unwrap();
        Some(Project {
            name,
            started: Instant::now(),
            claude,
            dir,
            home,
            turns: Cell::new(0),
            transcript: RefCell::new(String::new()),
            _tmp: tmp,
        })
    }

    /// Runs one real `claude -p` turn (always with `--output-format json`) and asserts that
    /// it succeeded.
    fn turn(&self, reply: Reply, env: &[(&str, &str)], claude_args: &[&str]) -> Turn {
        self.turns.set(self.turns.get() + 1);
        let api_log = self.root().join(format!("api-{}.jsonl", self.turns.get()));
        // claude-turn bounds claude itself; the outer `timeout` bounds the script as a whole.
        let mut cmd = Command::new("timeout");
        cmd.args(["-k", "10", &(TURN_TIMEOUT_S + 60).to_string()])
            .arg(e2e_dir().join("claude-turn"))
            .arg("--project")
            .arg(&self.dir)
            .arg("--home")
            .arg(&self.home)
            .arg("--api-log")
            .arg(&api_log)
            .args(["--timeout", &TURN_TIMEOUT_S.to_string()]);
        match reply {
            Reply::Text(t) => cmd.args(["--reply", t]),
            Reply::Replies(f) => cmd.arg("--replies").arg(f),
        };
        for (k, v) in env {
            cmd.arg("--env").arg(format!("{k}={v}"));
        }
        cmd.args(["--", "--output-format", "json"])
            .args(claude_args)
            .env("CLAUDE_BIN", &self.claude);
        let stdout = self.succeeded("turn", &mut cmd);
        Turn { stdout, api_log }
    }

    /// Runs `cmd` in this test's environment ([`Project::isolate`]) and appends what it did
    /// to the transcript printed when the test fails.
    fn logged(&self, label: &str, cmd: &mut Command) -> Output {
        let started = Instant::now();
        let out = self
            .isolate(cmd)
            .output()
            .unwrap_or_else(|e| panic!("run {label}: {e}"));
        let _ = write!(
            self.transcript.borrow_mut(),
            "--- {label}: {cmd:?}\n--- exit: {} after {} ms\n--- stdout:\n{}\n--- stderr:\n{}\n",
            out.status,
            started.elapsed().as_millis(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        out
    }

    /// As [`Project::logged`], and asserts that `cmd` succeeded; returns its stdout.
    fn succeeded(&self, label: &str, cmd: &mut Command) -> String {
        let out = self.logged(label, cmd);
        assert!(out.status.success(), "{label} failed: {}", out.status);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The temp dir holding the project, its HOME and whatever else a test needs beside them.
    fn root(&self) -> &Path {
        self.dir.parent().expect("the project is in the temp dir")
    }

    /// Merges `patch` into `.instar/config.json`, one level deep (so `{"actionClaim": {…}}`
    /// keeps `actionClaim.enabled`).
    fn configure(&self, patch: Value) {
        let path = self.dir.join(".instar/config.json");
        let mut config: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        for (key, value) in patch.as_object().expect("a JSON object") {
            match (config.get_mut(key), value) {
                (Some(Value::Object(old)), Value::Object(new)) => {
                    old.extend(new.clone());
                }
                _ => {
                    config[key] = value.clone();
                }
            }
        }
        let text = serde_json::to_string_pretty(&config).unwrap();
        let _ = writeln!(
            self.transcript.borrow_mut(),
            "--- .instar/config.json:\n{text}"
        );
        fs::write(path, text).unwrap();
    }

    /// Runs git (hermetic: no user or system config) in `dir`; returns its trimmed stdout.
    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "e2e")
            .env("GIT_AUTHOR_EMAIL", "e2e@example.invalid")
            .env("GIT_COMMITTER_NAME", "e2e")
            .env("GIT_COMMITTER_EMAIL", "e2e@example.invalid");
        self.succeeded(&format!("git {args:?}"), &mut cmd)
            .trim()
            .to_string()
    }

    /// Makes the project a git repository with one commit; with `remote`, also a bare
    /// repository beside it as `origin`, returned so the test can see what was pushed.
    fn git_repo_with_commit(&self, remote: bool) -> Option<PathBuf> {
        self.git(&self.dir, &["init", "-q"]);
        fs::write(self.dir.join("fix.txt"), "the fix\n").unwrap();
        // Only the fix: the deployed hook binaries (tens of MB in a debug build) would make
        // the push take seconds.
        self.git(&self.dir, &["add", "fix.txt"]);
        self.git(&self.dir, &["commit", "-q", "-m", "the fix"]);
        if !remote {
            return None;
        }
        let bare = self.root().join("remote.git");
        self.git(self.root(), &["init", "-q", "--bare", "remote.git"]);
        self.git(
            &self.dir,
            &["remote", "add", "origin", bare.to_str().unwrap()],
        );
        Some(bare)
    }

    /// Runs the operator CLI on the project: (exit code, stdout).
    fn cli(&self, args: &[&str]) -> (Option<i32>, String) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_instar-hooks"));
        cmd.args(args).arg("--project-dir").arg(&self.dir);
        let out = self.logged(&format!("instar-hooks {}", args.join(" ")), &mut cmd);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (out.status.code(), stdout)
    }

    /// `instar-hooks commitments flush --json`: its exit code and the outcomes it printed.
    fn flush(&self) -> (Option<i32>, Vec<Value>) {
        let (code, stdout) = self.cli(&["commitments", "flush", "--json"]);
        let outcomes = serde_json::from_str(&stdout).expect("a JSON array of outcomes");
        (code, outcomes)
    }

    /// The environment of everything the test runs: nothing from the caller's instar session
    /// or user config leaks in (the tests may run inside such a session).
    fn isolate<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("INSTAR_") {
                cmd.env_remove(k);
            }
        }
        cmd.env_remove("CLAUDE_PROJECT_DIR")
            // The CLIs read Claude Code's user settings (is the plugin enabled?) from here.
            .env_remove("CLAUDE_CONFIG_DIR")
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
    }

    /// Where the hooks keep this project's state: `.instar/instar-hooks/` for an instar
    /// agent, else the per-user data directory of this test's HOME.
    fn state_dir(&self) -> PathBuf {
        if self.dir.join(".instar").is_dir() {
            return self.dir.join(".instar/instar-hooks");
        }
        self.home
            .join(".local/share/instar-hooks/projects")
            .join(instar_hooks::state::project_key(&self.dir))
    }

    /// `instar-hooks commitments list --all --json`.
    fn commitments(&self) -> Vec<Value> {
        let (code, stdout) = self.cli(&["commitments", "list", "--all", "--json"]);
        assert_eq!(code, Some(0), "commitments list failed");
        serde_json::from_str::<Vec<Value>>(&stdout).expect("a JSON array of commitments")
    }

    /// The Stop hook ran in `session` without an error, by Claude Code's own account.
    fn assert_hook_ran(&self, session: &str) {
        assert_stop_hook_ran_cleanly(&read_jsonl(&self.transcript_of(session)));
    }

    fn assert_log_has_no_errors(&self) {
        self.assert_log_has_no_errors_but(&[]);
    }

    /// As [`Project::assert_log_has_no_errors`], allowing lines that contain one of
    /// `expected` (e.g. a failed send the test arranged).
    fn assert_log_has_no_errors_but(&self, expected: &[&str]) {
        let log = fs::read_to_string(self.state_dir().join(HOOK_LOG)).unwrap_or_default();
        let bad: Vec<&str> = log
            .lines()
            .filter(|l| !expected.iter().any(|e| l.contains(e)))
            .filter(|l| {
                // Lines the hooks mark as problems, and, belt and braces, any line whose
                // words say something went wrong.
                let lower = l.to_lowercase();
                instar_hooks::diag::is_problem(l)
                    || LOG_ERROR_WORDS.iter().any(|w| lower.contains(w))
            })
            .collect();
        assert!(bad.is_empty(), "the hook logged problems: {bad:#?}");
    }

    /// The transcript file of `session` under this project's HOME.
    fn transcript_of(&self, session: &str) -> PathBuf {
        let projects = self.home.join(".claude/projects");
        let file = format!("{session}.jsonl");
        fs::read_dir(&projects)
            .unwrap_or_else(|e| panic!("{}: {e}", projects.display()))
            .filter_map(|d| Some(d.ok()?.path().join(&file)))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("no {file} under {}", projects.display()))
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        let took = self.started.elapsed().as_millis();
        if !std::thread::panicking() {
            eprintln!("e2e {}: passed in {took} ms", self.name);
            return;
        }
        let read =
            |rel: &str| fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| format!("<{e}>"));
        let state = self.state_dir();
        let read_state =
            |rel: &str| fs::read_to_string(state.join(rel)).unwrap_or_else(|e| format!("<{e}>"));
        // Claude Code's own account of the Stop hooks (errors such as "Permission denied").
        let mut summaries = String::new();
        let sessions = fs::read_dir(self.home.join(".claude/projects"))
            .into_iter()
            .flatten()
            .filter_map(|d| fs::read_dir(d.ok()?.path()).ok())
            .flatten()
            .filter_map(|f| Some(f.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"));
        for transcript in sessions {
            let body = fs::read_to_string(&transcript).unwrap_or_default();
            for line in body.lines().filter(|l| l.contains("\"stop_hook_summary\"")) {
                let _ = writeln!(summaries, "{}: {line}", transcript.display());
            }
        }
        eprintln!(
            "\n===== e2e {} FAILED after {took} ms; project {} =====\n{}\
             --- .claude/settings.json:\n{}\n--- {}:\n{}\n--- {}:\n{}\n\
             --- stop_hook_summary lines in the transcripts:\n{summaries}=====",
            self.name,
            self.dir.display(),
            self.transcript.borrow(),
            read(".claude/settings.json"),
            state.join(HOOK_LOG).display(),
            read_state(HOOK_LOG),
            state.join(STORE).display(),
            read_state(STORE),
        );
    }
}

/// `path`, after creating its parent directory.
fn with_parent(path: PathBuf) -> PathBuf {
    fs::create_dir_all(path.parent().expect("has a parent")).unwrap();
    path
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v:#}"))
}

fn only(mut commitments: Vec<Value>) -> Value {
    assert_eq!(commitments.len(), 1, "exactly one commitment");
    commitments.pop().unwrap()
}

/// Every field `commitments list --json` promises, present and non-empty.
fn assert_complete(c: &Value) {
    for key in [
        "id",
        "externalKey",
        "topic",
        "verb",
        "phrase",
        "status",
        "createdAt",
        "updatedAt",
        "expiresAt",
    ] {
        assert!(!text(c, key).is_empty(), "{key} is empty in {c:#}");
    }
}

#[test]
fn the_settings_the_tests_install_are_the_readmes_by_hand_registration() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let by_hand = &readme[readme.find("### By hand").expect("a By hand section")..];
    let block = by_hand
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a JSON block in the By hand section");
    let readme_json: Value = serde_json::from_str(block).unwrap();
    let settings: Value = serde_json::from_str(SETTINGS).unwrap();
    assert_eq!(settings, readme_json);
    assert_eq!(
        settings["hooks"]["Stop"][0]["hooks"][0]["command"],
        SETTINGS_STOP_HOOK
    );
}

#[test]
fn a_real_stop_records_one_commitment_for_a_concrete_promise() {
    let Some(p) = Project::new(test_name!()) else {
        return;
    };
    let reply = "Relaunching the server now.";
    let turn = p.turn(Reply::Text(reply), &[], &[]);
    assert_eq!(turn.result()["result"], reply);
    let session = turn.session_id();
    p.assert_hook_ran(&session);

    let c = only(p.commitments());
    assert_complete(&c);
    assert_eq!(text(&c, "verb"), "relaunch");
    assert_eq!(text(&c, "status"), "open");
    // The topic is the session id the hook got on stdin: the one Claude Code used.
    assert_eq!(text(&c, "topic"), session);
    assert_eq!(text(&c, "sessionId"), session);
    assert_eq!(text(&c, "externalKey"), external_key(&session, "relaunch"));
    assert_eq!(text(&c, "message"), reply);
    assert_eq!(c["restated"], 0);
    // The transcript path is Claude Code's real one, in this test's HOME.
    assert_eq!(
        Path::new(text(&c, "transcriptPath")),
        p.transcript_of(&session)
    );
    p.assert_log_has_no_errors();
}

#[test]
fn instar_migrate_sets_up_a_fresh_project_and_the_real_cli_fires_the_native_hook() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    let settings = fs::read_to_string(p.dir.join(".claude/settings.json")).unwrap();
    assert!(settings.contains(SETTINGS_STOP_HOOK), "{settings}");
    let turn = p.turn(Reply::Text("Relaunching the server now."), &[], &[]);
    let session = turn.session_id();
    p.assert_hook_ran(&session);
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "relaunch");
    assert_eq!(text(&c, "topic"), session);

    let offer = p.turn(
        Reply::Text("Let me know if you want me to restart it."),
        &[],
        &[],
    );
    p.assert_hook_ran(&offer.session_id());
    assert_eq!(p.commitments().len(), 1, "the offer recorded nothing");
    p.assert_log_has_no_errors();
}

#[test]
fn a_real_stop_records_nothing_for_an_offer() {
    let Some(p) = Project::new(test_name!()) else {
        return;
    };
    let reply = "Let me know if you want me to restart it.";
    let turn = p.turn(Reply::Text(reply), &[], &[]);
    assert_eq!(turn.result()["result"], reply);
    p.assert_hook_ran(&turn.session_id());
    assert_eq!(p.commitments(), Vec::<Value>::new());
    p.assert_log_has_no_errors();
}

#[test]
fn a_restated_promise_across_two_real_turns_stays_one_commitment() {
    let Some(p) = Project::new(test_name!()) else {
        return;
    };
    // Each `claude -p` is a new session: the conversation id is what ties the turns together.
    let env = [("INSTAR_CONVERSATION_ID", "4242")];
    let first = p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    p.assert_hook_ran(&first.session_id());
    let before = only(p.commitments());
    assert_eq!(before["restated"], 0);

    let second = p.turn(Reply::Text("Restarting the server now."), &env, &[]);
    p.assert_hook_ran(&second.session_id());
    assert_ne!(first.session_id(), second.session_id(), "two sessions");
    let c = only(p.commitments());
    assert_complete(&c);
    assert_eq!(text(&c, "topic"), "4242");
    assert_eq!(text(&c, "verb"), "restart");
    assert_eq!(text(&c, "status"), "open");
    assert_eq!(c["restated"], 1);
    assert_eq!(text(&c, "externalKey"), external_key("4242", "restart"));
    assert_eq!(c["id"], before["id"]);
    assert_eq!(c["createdAt"], before["createdAt"]);
    assert_eq!(text(&c, "message"), "Restarting the server now.");
    p.assert_log_has_no_errors();
}

/// What a Bash tool call looks like in a Claude Code 2.1.331 transcript (`-p` mode), the shape
/// the fixtures document: the promise, the tool_use, its result, the final text.
fn assert_bash_transcript_shape(lines: &[Value], command: &str, failed: bool, final_text: &str) {
    let content = |l: &Value| {
        l["message"]["content"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let of_type = |t: &str| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i]["type"] == t)
            .collect()
    };
    // Each content block of an assistant message is an `assistant` line of its own.
    let uses: Vec<usize> = of_type("assistant")
        .into_iter()
        .filter(|&i| {
            content(&lines[i])
                .iter()
                .any(|b| b["type"] == "tool_use" && b["name"] == "Bash")
        })
        .collect();
    assert_eq!(uses.len(), 1, "one assistant line with a Bash tool_use");
    let use_line = &lines[uses[0]];
    let blocks = content(use_line);
    assert_eq!(blocks.len(), 1, "the tool_use is alone on its line");
    let tool_use = &blocks[0];
    assert_eq!(tool_use["input"]["command"], command);
    let id = text(tool_use, "id");

    // The result is a `user` line with a tool_result block and a top-level toolUseResult.
    let results: Vec<usize> = of_type("user")
        .into_iter()
        .filter(|&i| {
            content(&lines[i])
                .iter()
                .any(|b| b["type"] == "tool_result")
        })
        .collect();
    assert_eq!(results.len(), 1, "one user line with a tool_result");
    let result_line = &lines[results[0]];
    assert!(results[0] > uses[0], "the result follows the tool_use");
    let result = &content(result_line)[0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["tool_use_id"], id);
    assert_eq!(result["is_error"], failed);
    assert_eq!(
        result_line["sourceToolAssistantUUID"], use_line["uuid"],
        "the result points back at the tool_use line"
    );
    let output = text(result, "content");
    let tur = &result_line["toolUseResult"];
    if failed {
        // A failed command: the block's content starts "Exit code N", and toolUseResult is a
        // plain string, "Error: " + that content.
        assert!(output.starts_with("Exit code 1\n"), "{output:?}");
        assert_eq!(tur.as_str(), Some(format!("Error: {output}").as_str()));
    } else {
        // A successful command: content is the output; toolUseResult an object.
        assert!(tur.is_object(), "toolUseResult {tur:#}");
        assert_eq!(text(tur, "stdout"), output);
        assert_eq!(tur["interrupted"], false);
        assert!(tur.get("stderr").is_some_and(Value::is_string));
    }

    // The text said before the call is its own assistant line, just before the tool_use, and
    // the final text comes after the result.
    let texts: Vec<(usize, String)> = of_type("assistant")
        .into_iter()
        .flat_map(|i| {
            content(&lines[i])
                .into_iter()
                .filter(|b| b["type"] == "text")
                .map(move |b| (i, b["text"].as_str().unwrap_or_default().to_string()))
        })
        .collect();
    assert!(
        texts
            .iter()
            .any(|(i, t)| *i < uses[0] && t == "I'll push the fix now."),
        "the promise before the call: {texts:?}"
    );
    assert_eq!(
        texts.last().map(|(i, t)| (*i > results[0], t.as_str())),
        Some((true, final_text)),
        "the final text after the result"
    );
    assert_stop_hook_ran_cleanly(lines);
}

/// Once the Stop hooks have run, Claude Code appends a `system` line summing them up: our hook
/// (by its command as registered, unexpanded) ran, and no hook reported an error.
fn assert_stop_hook_ran_cleanly(lines: &[Value]) {
    assert_stop_hooks_ran_cleanly(lines, &[SETTINGS_STOP_HOOK]);
}

/// As [`assert_stop_hook_ran_cleanly`], for exactly these Stop hook commands (in any order).
fn assert_stop_hooks_ran_cleanly(lines: &[Value], commands: &[&str]) {
    let summaries: Vec<&Value> = lines
        .iter()
        .filter(|l| l["type"] == "system" && l["subtype"] == "stop_hook_summary")
        .collect();
    assert_eq!(summaries.len(), 1, "one stop_hook_summary line");
    let summary = summaries[0];
    assert_eq!(summary["hookCount"], commands.len(), "{summary:#}");
    let mut ran: Vec<&str> = summary["hookInfos"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["command"].as_str())
        .collect();
    ran.sort_unstable();
    let mut want = commands.to_vec();
    want.sort_unstable();
    assert_eq!(ran, want, "{summary:#}");
    assert_eq!(summary["hookErrors"], serde_json::json!([]), "{summary:#}");
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    let body = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    body.lines()
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// One real turn whose fake model calls Bash, then ends with `final_text`.
fn bash_turn(name: &'static str, replies: &str, command: &str, failed: bool, final_text: &str) {
    let Some(p) = Project::new(name) else {
        return;
    };
    // In -p mode nothing can answer a permission prompt; allowing the tool is what makes it
    // run (--dangerously-skip-permissions is refused when running as root).
    let turn = p.turn(
        Reply::Replies(&fixture(replies)),
        &[],
        &["--allowedTools", "Bash"],
    );
    assert_eq!(turn.result()["result"], final_text);
    let transcript = p.transcript_of(&turn.session_id());
    assert_bash_transcript_shape(&read_jsonl(&transcript), command, failed, final_text);
    p.assert_log_has_no_errors();
}

#[test]
fn a_real_bash_tool_call_leaves_tool_use_and_tool_result_in_the_transcript() {
    bash_turn(
        test_name!(),
        "replies-bash-tool-use.jsonl",
        "git --version",
        false,
        "Pushed the fix.",
    );
}

#[test]
fn a_real_failed_bash_command_leaves_an_error_tool_result_in_the_transcript() {
    // claude-turn git-initialises the fresh project: there is no `main` to push, exit 1.
    bash_turn(
        test_name!(),
        "replies-bash-failure.jsonl",
        "git push nowhere-remote main",
        true,
        "The push failed.",
    );
}

#[test]
fn the_captured_transcript_fixtures_have_the_live_shape() {
    let cases = [
        (
            "transcript-bash-tool-use.jsonl",
            "git --version",
            false,
            "Pushed the fix.",
        ),
        (
            "transcript-bash-failure.jsonl",
            "git push nowhere-remote main",
            true,
            "The push failed.",
        ),
    ];
    for (file, command, failed, final_text) in cases {
        let lines = read_jsonl(&fixture(file));
        assert_bash_transcript_shape(&lines, command, failed, final_text);
        // Sanitised: no temp path survives, only the placeholders.
        let body = fs::read_to_string(fixture(file)).unwrap();
        assert!(
            body.contains("/PROJECT") && body.contains("/HOME"),
            "{file}"
        );
        let tmp = std::env::temp_dir();
        for leak in [
            "/tmp/",
            &*tmp.to_string_lossy(),
            "instar-e2e",
            "claude-turn.",
        ] {
            assert!(!body.contains(leak), "{file} still contains {leak}");
        }
    }
}

/// Each Bash command of a transcript, with whether its result was an error.
fn bash_calls(lines: &[Value]) -> Vec<(String, bool)> {
    let blocks: Vec<&Value> = lines
        .iter()
        .filter_map(|l| l["message"]["content"].as_array())
        .flatten()
        .collect();
    blocks
        .iter()
        .filter(|b| b["type"] == "tool_use" && b["name"] == "Bash")
        .map(|u| {
            let result = blocks
                .iter()
                .find(|b| b["type"] == "tool_result" && b["tool_use_id"] == u["id"])
                .unwrap_or_else(|| panic!("no tool_result for {u:#}"));
            (
                text(&u["input"], "command").to_string(),
                result["is_error"] == true,
            )
        })
        .collect()
}

/// Commitments, pretty-printed for an assertion message.
fn show(commitments: &[Value]) -> String {
    serde_json::to_string_pretty(commitments).unwrap()
}

/// Turn 1 promises to push; turn 2 (same conversation, a new session) runs
/// `git push origin HEAD:main` through the real Bash tool and ends with "Pushed the fix.".
/// Returns the commitment afterwards, the push turn's session id and its transcript.
fn promise_then_push(p: &Project, conversation: &str) -> (Value, String, Vec<Value>) {
    let env = [("INSTAR_CONVERSATION_ID", conversation)];
    let promise = p.turn(Reply::Text("I'll push the fix now."), &env, &[]);
    p.assert_hook_ran(&promise.session_id());
    let before = only(p.commitments());
    assert_eq!(text(&before, "status"), "open", "{before:#}");
    assert_eq!(text(&before, "verb"), "push");
    assert_eq!(text(&before, "topic"), conversation);

    let push = p.turn(
        Reply::Replies(&fixture("replies-git-push-origin.jsonl")),
        &env,
        &["--allowedTools", "Bash"],
    );
    assert_eq!(push.result()["result"], "Pushed the fix.");
    let session = push.session_id();
    p.assert_hook_ran(&session);
    let c = only(p.commitments());
    assert_eq!(c["id"], before["id"], "the same commitment");
    let transcript = read_jsonl(&p.transcript_of(&session));
    (c, session, transcript)
}

#[test]
fn a_promise_then_a_real_git_push_in_a_later_turn_is_fulfilled_with_the_command_as_evidence() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    let remote = p.git_repo_with_commit(true).expect("a remote");
    let (c, session, transcript) = promise_then_push(&p, "5101");

    // The evidence is true: the command succeeded and the remote has the commit.
    assert_eq!(
        bash_calls(&transcript),
        [("git push origin HEAD:main".to_string(), false)]
    );
    let head = p.git(&p.dir, &["rev-parse", "HEAD"]);
    assert_eq!(p.git(&remote, &["rev-parse", "main"]), head);

    assert_eq!(text(&c, "status"), "fulfilled", "{c:#}");
    let evidence = &c["evidence"];
    assert_eq!(text(evidence, "kind"), "command", "{c:#}");
    assert_eq!(text(evidence, "strength"), "strong");
    assert_eq!(text(evidence, "tool"), "Bash");
    assert!(text(evidence, "detail").contains("git push"), "{c:#}");
    assert!(!text(evidence, "at").is_empty());
    assert_eq!(
        text(evidence, "sessionId"),
        session,
        "the push turn's session"
    );
    assert!(
        text(evidence, "at") > text(&c, "createdAt"),
        "after the promise"
    );
    p.assert_log_has_no_errors();
}

#[test]
fn a_failed_push_does_not_fulfil() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    // The same turn as above, but there is no `origin`: git exits 128. The model still says
    // "Pushed the fix." — only the tool result counts.
    p.git_repo_with_commit(false);
    let (c, _, transcript) = promise_then_push(&p, "5102");
    assert_eq!(
        bash_calls(&transcript),
        [("git push origin HEAD:main".to_string(), true)]
    );
    assert_eq!(text(&c, "status"), "open", "{c:#}");
    assert!(c.get("evidence").is_none(), "{c:#}");
    p.assert_log_has_no_errors();
}

#[test]
fn a_promise_with_no_action_is_handed_back_in_the_next_prompts_context() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    p.configure(json!({"actionClaim": {"reminderGraceMinutes": 0}}));
    let env = [("INSTAR_CONVERSATION_ID", "5103")];

    let promise = p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    p.assert_hook_ran(&promise.session_id());
    assert_eq!(
        promise.reminders(),
        Vec::<String>::new(),
        "nothing promised yet"
    );
    let c = only(p.commitments());
    let id = text(&c, "id");

    let next = p.turn(Reply::Text("Noted."), &env, &[]);
    p.assert_hook_ran(&next.session_id());
    let got = next.reminders();
    assert!(
        !got.is_empty(),
        "no reminder reached the model: {:#?}",
        next.model_input_texts()
    );
    for want in [
        r#"you said "I'll restart the server""#,
        id,
        "No command that does it has been seen since",
    ] {
        assert!(
            got.iter().any(|t| t.contains(want)),
            "{want:?} not in {got:#?}"
        );
    }

    let after = only(p.commitments());
    assert_eq!(text(&after, "status"), "open", "{after:#}");
    assert_eq!(after["reminders"], 1, "{after:#}");
    assert!(!text(&after, "remindedAt").is_empty());
    p.assert_log_has_no_errors();
}

/// Configures forwarding, retrying on every hook run, to a port held for a server that is
/// not up yet (the test starts it with [`Reserved::start`] when it wants it up).
fn forward_claims(p: &Project, token: &'static str) -> Reserved {
    let port = Reserved::new();
    p.configure(json!({
        "port": port.port(),
        "authToken": token,
        "actionClaim": {"forwardBackoffSeconds": 0},
    }));
    port
}

/// Two turns of `conversation` with two different claims, while the server is down: both
/// are recorded and wait to be sent. Returns the claims' messages.
fn two_claims_while_down(p: &Project, conversation: &str, port: u16) -> [&'static str; 2] {
    let messages = ["I'll restart the server.", "Pushing the fix now."];
    for m in messages {
        let turn = p.turn(
            Reply::Text(m),
            &[("INSTAR_CONVERSATION_ID", conversation)],
            &[],
        );
        p.assert_hook_ran(&turn.session_id());
    }
    let cs = p.commitments();
    assert_eq!(cs.len(), 2, "{}", show(&cs));
    for (c, m) in cs.iter().zip(messages) {
        assert_eq!(text(c, "message"), m);
        let f = &c["forward"];
        assert_eq!(text(f, "state"), "pending", "{c:#}");
        assert!(f["attempts"].as_u64() >= Some(1), "{c:#}");
        assert!(
            text(f, "lastError").contains(&format!("127.0.0.1:{port}")),
            "{c:#}"
        );
    }
    messages
}

/// Every request `server` got is a well-formed claim of `conversation`, and together they
/// are `messages`, each once, oldest first.
fn assert_delivered_once(
    p: &Project,
    server: &StubServer,
    token: &str,
    conversation: i64,
    messages: &[&str],
) {
    let requests = server.requests();
    let bodies: Vec<Value> = requests.iter().map(|r| r.json()).collect();
    let want: Vec<Value> = messages
        .iter()
        .map(|m| json!({"message": m, "topicId": conversation}))
        .collect();
    assert_eq!(bodies, want, "{requests:#?}");
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/action-claim/observe");
        assert_eq!(r.header("Authorization"), Some(&*format!("Bearer {token}")));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
    }
    let cs = p.commitments();
    let answer: Value = serde_json::from_str(DEFAULT_REPLY).unwrap();
    for c in &cs {
        let f = &c["forward"];
        assert_eq!(text(f, "state"), "delivered", "{}", show(&cs));
        assert!(!text(f, "deliveredAt").is_empty());
        assert_eq!(f["response"], answer, "the server's answer is kept");
        assert!(f.get("lastError").is_none(), "{c:#}");
    }
}

#[test]
fn every_claim_reaches_a_server_that_was_down_exactly_once() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    let token = "e2e-token-5104";
    let port = forward_claims(&p, token);
    let messages = two_claims_while_down(&p, "5104", port.port());
    // Backoff 0: the first claim was tried again at the second Stop.
    let attempts: Vec<Value> = p
        .commitments()
        .iter()
        .map(|c| c["forward"]["attempts"].clone())
        .collect();
    assert_eq!(attempts, [json!(2), json!(1)]);

    let server = port.start();
    let env = [("INSTAR_CONVERSATION_ID", "5104")];
    // A turn with no claim delivers what is waiting…
    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_delivered_once(&p, &server, token, 5104, &messages);
    // …and the next sends nothing again.
    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_delivered_once(&p, &server, token, 5104, &messages);
    let cs = p.commitments();
    assert!(cs.iter().all(|c| c["status"] == "open"), "{}", show(&cs));
    p.assert_log_has_no_errors_but(&["will retry: no answer from 127.0.0.1"]);
}

#[test]
fn nothing_is_lost_when_the_server_is_down_for_the_whole_run() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    let token = "e2e-token-5105";
    let port = forward_claims(&p, token);
    let messages = two_claims_while_down(&p, "5105", port.port());

    let server = port.start();
    let (code, outcomes) = p.flush();
    assert_eq!(code, Some(0), "{outcomes:#?}");
    let got: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|o| (text(o, "id"), text(o, "outcome")))
        .collect();
    assert_eq!(got, [("AC-001", "delivered"), ("AC-002", "delivered")]);
    assert_delivered_once(&p, &server, token, 5105, &messages);

    let (code, outcomes) = p.flush();
    assert_eq!(
        (code, outcomes),
        (Some(0), Vec::new()),
        "nothing left to send"
    );
    assert_delivered_once(&p, &server, token, 5105, &messages);
    p.assert_log_has_no_errors_but(&["will retry: no answer from 127.0.0.1"]);
}

#[test]
fn a_claim_the_server_turns_away_is_retried_on_5xx_and_dropped_on_4xx() {
    let Some(p) = Project::migrated(test_name!()) else {
        return;
    };
    let server = forward_claims(&p, "e2e-token-5106").start();
    server.script(&[
        (503, r#"{"error":"restarting"}"#),
        (400, r#"{"error":"bad topic"}"#),
    ]);
    let env = [("INSTAR_CONVERSATION_ID", "5106")];
    let forward = || only(p.commitments())["forward"].clone();

    p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    let f = forward();
    assert_eq!(text(&f, "state"), "pending", "503 is retried: {f:#}");
    assert!(text(&f, "lastError").contains("HTTP 503"), "{f:#}");

    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    let f = forward();
    assert_eq!(text(&f, "state"), "rejected", "400 is final: {f:#}");
    assert!(text(&f, "lastError").contains("HTTP 400"), "{f:#}");
    assert_eq!(f["attempts"], 2);

    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_eq!(
        server.requests().len(),
        2,
        "a rejected claim is not sent again"
    );
    assert_eq!(text(&forward(), "state"), "rejected");
    p.assert_log_has_no_errors_but(&["will retry: HTTP 503", "rejected, not retried: HTTP 400"]);
}

// ---------------------------------------------------------------------------------------------
// The Claude Code plugin

impl Project {
    /// A project with no `.instar/` (a git repository with an empty `.claude/settings.json`,
    /// as claude-turn needs), for the plugin. `None` when the test is skipped.
    fn for_plugin(name: &'static str) -> Option<Project> {
        let p = Project::empty(name)?;
        packaged_plugin();
        fs::create_dir_all(p.dir.join(".claude")).unwrap();
        fs::write(p.dir.join(".claude/settings.json"), "{}\n").unwrap();
        p.git(&p.dir, &["init", "-q"]);
        Some(p)
    }

    /// Runs `claude ARGS` (e.g. `plugin install …`) in the project, with this test's HOME and
    /// nothing from the caller's Claude Code session; asserts that it succeeded.
    fn claude(&self, args: &[&str]) -> String {
        let mut cmd = claude_command(&self.claude, &self.home);
        cmd.args(args).current_dir(&self.dir);
        self.succeeded(&format!("claude {args:?}"), &mut cmd)
    }

    /// Adds this checkout as a marketplace and installs the plugin from it for the project.
    fn install_plugin_from_checkout(&self) {
        self.claude(&["plugin", "marketplace", "add", env!("CARGO_MANIFEST_DIR")]);
        self.claude(&[
            "plugin",
            "install",
            "instar-hooks@instar-hooks",
            "--scope",
            "project",
        ]);
        let settings: Value = serde_json::from_str(
            &fs::read_to_string(self.dir.join(".claude/settings.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            settings["enabledPlugins"]["instar-hooks@instar-hooks"], true,
            "project scope: {settings:#}"
        );
    }

    /// Every file in the project (outside `.git/`) with its bytes.
    fn tree(&self) -> Vec<(String, Vec<u8>)> {
        walk(&self.dir)
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with(".git/"))
            .map(|(rel, _)| {
                let bytes = fs::read(self.dir.join(&rel)).unwrap_or_default();
                (rel, bytes)
            })
            .collect()
    }

    /// The project holds exactly the files it held `before` (same bytes).
    fn assert_tree_unchanged(&self, before: &[(String, Vec<u8>)]) {
        let after = self.tree();
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&after),
            names(before),
            "files appeared in the project"
        );
        assert!(after == before, "a file in the project changed");
    }

    /// One turn promising "Restarting the worker now." was recorded by the plugin's Stop hook
    /// alone, in the per-user data directory, and the project did not change.
    fn assert_recorded_by_the_plugin(&self, turn: &Turn, before: &[(String, Vec<u8>)]) {
        let session = turn.session_id();
        assert_stop_hooks_ran_cleanly(
            &read_jsonl(&self.transcript_of(&session)),
            &[PLUGIN_STOP_HOOK],
        );
        let c = only(self.commitments());
        assert_complete(&c);
        assert_eq!(text(&c, "verb"), "restart");
        assert_eq!(text(&c, "status"), "open");
        assert_eq!(text(&c, "topic"), session);
        assert_eq!(text(&c, "message"), "Restarting the worker now.");
        assert_eq!(c["restated"], 0);
        let state = self.state_dir();
        assert!(
            state.starts_with(self.home.join(".local/share/instar-hooks/projects")),
            "{}",
            state.display()
        );
        assert!(state.join(STORE).is_file(), "{}", state.display());
        assert!(!self.dir.join(".instar").exists());
        self.assert_tree_unchanged(before);
        self.assert_log_has_no_errors();
    }
}

/// One turn with `--plugin-dir PLUGIN` (the plugin's folder or its zip) in a project without
/// `.instar/`: the plugin's Stop hook records the promise, and the project does not change.
fn plugin_dir_turn(name: &'static str, plugin: &Path) {
    let Some(p) = Project::for_plugin(name) else {
        return;
    };
    let before = p.tree();
    let plugin = plugin.to_str().unwrap();
    let turn = p.turn(
        Reply::Text("Restarting the worker now."),
        &[],
        &["--plugin-dir", plugin],
    );
    p.assert_recorded_by_the_plugin(&turn, &before);
}

#[test]
fn the_plugin_dir_records_a_promise_and_writes_nothing_into_the_project() {
    plugin_dir_turn(test_name!(), &packaged_plugin().dir);
}

/// The plugin's `doctor --json` check called `name`.
fn doctor_check<'r>(report: &'r Value, name: &str) -> &'r Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {report:#}"))
}

#[test]
fn a_marketplace_install_from_the_checkout_records_a_promise_and_doctor_is_happy() {
    let Some(p) = Project::for_plugin(test_name!()) else {
        return;
    };
    p.install_plugin_from_checkout();
    let (code, doctor) = p.cli(&["doctor", "--json"]);
    assert_eq!(code, Some(0), "{doctor}");
    let report: Value = serde_json::from_str(&doctor).unwrap();
    let plugin = doctor_check(&report, "plugin");
    assert_eq!(plugin["level"], "ok");
    let detail = text(plugin, "detail");
    assert!(
        detail.contains("instar-hooks@instar-hooks is enabled (project scope"),
        "{detail}"
    );
    assert!(
        detail.contains(&packaged_plugin().dir.display().to_string()),
        "{detail}"
    );

    let before = p.tree();
    let turn = p.turn(Reply::Text("Restarting the worker now."), &[], &[]);
    p.assert_recorded_by_the_plugin(&turn, &before);
}

#[test]
fn the_release_zip_keeps_its_mode_bits_and_records_a_promise() {
    // A zip without mode bits fails every hook with "Permission denied":
    // assert_recorded_by_the_plugin sees that as a hook error and as a missing commitment.
    plugin_dir_turn(test_name!(), &packaged_plugin().zip);
}

#[test]
fn the_plugin_and_a_settings_entry_record_one_commitment_and_doctor_reports_the_double_wiring() {
    let Some(p) = Project::for_plugin(test_name!()) else {
        return;
    };
    p.install_plugin_from_checkout();

    // instar-migrate sees the plugin and registers nothing (and writes no config: the
    // plugin's hooks are on by default).
    let report: Value = serde_json::from_str(&p.migrate(&["--json"])).unwrap();
    let skipped: Vec<&Value> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "skipped" && s["what"] == "plugin-runs-hooks")
        .collect();
    assert_eq!(
        skipped
            .iter()
            .map(|s| (text(s, "path"), text(s, "plugin"), text(s, "scope")))
            .collect::<Vec<_>>(),
        [
            (
                ".instar/hooks/instar",
                "instar-hooks@instar-hooks",
                "project"
            ),
            (
                ".claude/settings.json",
                "instar-hooks@instar-hooks",
                "project"
            )
        ],
        "{report:#}"
    );
    let settings_path = p.dir.join(".claude/settings.json");
    let mut settings: Value =
        serde_json::from_str(&fs::read_to_string(&settings_path).unwrap()).unwrap();
    assert!(settings.get("hooks").is_none(), "{settings:#}");
    assert!(!p.dir.join(HOOK_IN_PROJECT).exists());

    // Wire it a second time by hand, as the README's "By hand" section says: deploy, switch
    // the feature on (a settings hook is off by default), register.
    p.deploy_hook_by_hand();
    let (code, out) = p.cli(&["config", "set", "actionClaim.enabled", "true"]);
    assert_eq!(code, Some(0), "{out}");
    let by_hand: Value = serde_json::from_str(SETTINGS).unwrap();
    settings["hooks"] = by_hand["hooks"].clone();
    fs::write(
        &settings_path,
        serde_json::to_string_pretty(&settings).unwrap(),
    )
    .unwrap();

    let turn = p.turn(Reply::Text("Restarting the worker now."), &[], &[]);
    let session = turn.session_id();
    // Both ran at the same Stop…
    assert_stop_hooks_ran_cleanly(
        &read_jsonl(&p.transcript_of(&session)),
        &[PLUGIN_STOP_HOOK, SETTINGS_STOP_HOOK],
    );
    // …and the store holds one commitment, not restated: the second delivery was a no-op.
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "restart");
    assert_eq!(text(&c, "topic"), session);
    assert_eq!(c["restated"], 0, "{c:#}");
    let log = fs::read_to_string(p.state_dir().join(HOOK_LOG)).unwrap();
    assert_eq!(
        (
            log.matches(r#""outcome":"created""#).count(),
            log.matches(r#""outcome":"duplicate""#).count()
        ),
        (1, 1),
        "both hooks recorded, the second as a duplicate:\n{log}"
    );
    p.assert_log_has_no_errors();

    let (code, doctor) = p.cli(&["doctor", "--json"]);
    assert_eq!(code, Some(1), "a problem: {doctor}");
    let report: Value = serde_json::from_str(&doctor).unwrap();
    let wiring = doctor_check(&report, "wiring");
    assert_eq!(wiring["level"], "problem");
    assert!(
        text(wiring, "detail").contains("registered twice"),
        "{wiring:#}"
    );
    assert!(
        text(wiring, "fix")
            .contains("claude plugin disable instar-hooks@instar-hooks --scope local"),
        "{wiring:#}"
    );
}

#[test]
fn the_plugins_reminder_and_cli_work_in_a_session_configured_per_user() {
    let Some(p) = Project::for_plugin(test_name!()) else {
        return;
    };
    // A project without .instar/: `config set` edits the per-user file, outside the project.
    let (code, out) = p.cli(&["config", "set", "actionClaim.reminderGraceMinutes", "0"]);
    assert_eq!(code, Some(0), "{out}");
    let user_config = p.home.join(".config/instar-hooks/config.json");
    assert!(out.contains(&user_config.display().to_string()), "{out}");
    let before = p.tree();
    let plugin = packaged_plugin().dir.to_str().unwrap().to_string();
    let env = [("INSTAR_CONVERSATION_ID", "6101")];
    let args = ["--plugin-dir", plugin.as_str(), "--allowedTools", "Bash"];

    let promise = p.turn(Reply::Text("I'll restart the server."), &env, &args);
    assert_stop_hooks_ran_cleanly(
        &read_jsonl(&p.transcript_of(&promise.session_id())),
        &[PLUGIN_STOP_HOOK],
    );
    let id = text(&only(p.commitments()), "id").to_string();

    // The next turn: the reminder reaches the model, and the model can run the plugin's CLI
    // (the plugin's bin/ is on the Bash tool's PATH).
    let replies = p.root().join("replies-cli.jsonl");
    fs::write(
        &replies,
        concat!(
            r#"{"content":[{"type":"tool_use","name":"Bash","input":{"command":"instar-hooks commitments list","description":"list commitments"}}]}"#,
            "\n",
            r#"{"text":"Noted."}"#,
            "\n"
        ),
    )
    .unwrap();
    let next = p.turn(Reply::Replies(&replies), &env, &args);
    assert!(
        next.reminders().iter().any(|t| t.contains(&id)),
        "no reminder of {id}: {:#?}",
        next.model_input_texts()
    );
    let transcript = read_jsonl(&p.transcript_of(&next.session_id()));
    assert_eq!(
        bash_calls(&transcript),
        [("instar-hooks commitments list".to_string(), false)]
    );
    let result = transcript
        .iter()
        .filter_map(|l| l["message"]["content"].as_array())
        .flatten()
        .find(|b| b["type"] == "tool_result")
        .expect("a tool result");
    assert!(result["content"].to_string().contains(&id), "{result:#}");
    p.assert_tree_unchanged(&before);
    p.assert_log_has_no_errors();
}
