//! Claude Code as a user runs it, on the shared [`Project`]: installed once per test process
//! (`tests/e2e/install-claude-code.sh`), whole `claude -p` turns against the fake API
//! (`tests/e2e/claude-turn`) and what the model was sent in them, `claude` commands, git, and
//! how each test becomes a trial that runs only where Claude Code is.

use crate::check::read_jsonl;
use crate::harness::{Project, in_ci};
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::Value;
use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

/// Where the README's "By hand" section deploys the Stop hook, relative to the project.
macro_rules! hook_in_project {
    () => {
        ".instar/hooks/instar/action-claim-followthrough"
    };
}
pub(crate) const HOOK_IN_PROJECT: &str = hook_in_project!();
/// The Stop hook's command as settings.json registers it (and as Claude Code reports it).
pub(crate) const SETTINGS_STOP_HOOK: &str = concat!("${CLAUDE_PROJECT_DIR}/", hook_in_project!());
/// The Stop hook registration, in exec form, exactly as a user writes it by hand (README,
/// "By hand"); `tests/e2e/capture-fixtures.sh` installs the same file.
pub(crate) const SETTINGS: &str = include_str!("../e2e/stop-hook-settings.json");
/// The Stop hook's command as the plugin's hooks/hooks.json registers it.
pub(crate) const PLUGIN_STOP_HOOK: &str = "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough";
/// Relative to the project's state directory ([`Project::hook_state`]).
pub(crate) const HOOK_LOG: &str = "logs/hooks.log";
pub(crate) const STORE: &str = "commitments.json";
/// Seconds one `claude -p` turn may take (claude-turn's --timeout).
const TURN_TIMEOUT_S: u64 = 120;
/// The trials of a module, each named `module::function`: `needs_claude!` for those that run
/// Claude Code (ignored, with the reason, where it cannot be installed; a failure under
/// `CI=true`), `runs_anywhere!` for the rest.
macro_rules! needs_claude {
    ($($test:ident),* $(,)?) => {
        vec![$($crate::claude::trial(module_path!(), stringify!($test), $test, true)),*]
    };
}
macro_rules! runs_anywhere {
    ($($test:ident),* $(,)?) => {
        vec![$($crate::claude::trial(module_path!(), stringify!($test), $test, false)),*]
    };
}
pub(crate) use {needs_claude, runs_anywhere};

/// One test as a trial of this runner. One that needs Claude Code where it cannot be
/// installed (no npm) is ignored with the reason, so the count shows it was not run; under
/// `CI=true` it fails instead. An install that fails is a failure everywhere.
pub(crate) fn trial(module: &str, name: &str, test: fn(), needs_claude: bool) -> Trial {
    let module = module.split_once("::").map_or(module, |(_, m)| m);
    Trial::ignorable_test(format!("{module}::{name}"), move || {
        if needs_claude {
            match installed() {
                Ok(Some(_)) => {}
                Ok(None) if in_ci() => {
                    return Err(Failed::from(format!(
                        "{NOT_INSTALLABLE}, and CI=true: the end-to-end tests must run in CI"
                    )));
                }
                Ok(None) => return Ok(Completion::ignored_with(NOT_INSTALLABLE)),
                Err(e) => return Err(Failed::from(e.as_str())),
            }
        }
        test();
        Ok(Completion::Completed)
    })
}

const NOT_INSTALLABLE: &str = "npm not found, so Claude Code cannot be installed";

pub(crate) fn e2e_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e")
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    e2e_dir().join("fixtures").join(name)
}

/// Claude Code's native binary, installed (once per test process) by the project's own
/// install script: `Ok(None)` when it cannot be installed here (no npm), `Err` when the
/// install failed.
fn installed() -> &'static Result<Option<PathBuf>, String> {
    static INSTALLED: OnceLock<Result<Option<PathBuf>, String>> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let script = e2e_dir().join("install-claude-code.sh");
        let out = Command::new(&script)
            .output()
            .map_err(|e| format!("could not run {}: {e}", script.display()))?;
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
                "install-claude-code.sh failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    })
}

/// Claude Code's binary, in a trial that [`needs_claude!`] (which checked it is there).
pub(crate) fn claude_bin() -> &'static Path {
    match installed() {
        Ok(Some(bin)) => bin,
        _ => panic!("Claude Code is not installed: run this test with needs_claude!"),
    }
}

/// What the fake model answers.
pub(crate) enum Reply<'a> {
    /// The same text for every model turn.
    Text(&'a str),
    /// A JSONL file, one reply per model turn (see fake_anthropic.py).
    Replies(&'a Path),
}

pub(crate) struct Turn {
    pub(crate) stdout: String,
    /// Every request the fake API got in this turn, with its body (claude-turn's --api-log).
    pub(crate) api_log: PathBuf,
}

impl Turn {
    /// The text of every message the model was sent in this turn's main requests (the
    /// conversation; hook context arrives as `<system-reminder>` text here).
    pub(crate) fn model_input_texts(&self) -> Vec<String> {
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
    pub(crate) fn reminders(&self) -> Vec<String> {
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
    pub(crate) fn result(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("claude's stdout is not one JSON result ({e})"))
    }

    /// The session id Claude Code used, from its own result (not from the hook).
    pub(crate) fn session_id(&self) -> String {
        let id = self.result()["session_id"]
            .as_str()
            .expect("result has a session_id")
            .to_string();
        assert!(looks_like_uuid(&id), "session id {id:?}");
        id
    }
}

impl Project {
    /// A project set up by hand, as the README's "By hand" section says: an instar agent with
    /// the feature on, the Stop hook deployed and registered.
    pub(crate) fn by_hand() -> Project {
        let p = Project::enabled();
        p.deploy_hook_by_hand();
        p.file(".claude/settings.json", SETTINGS)
    }

    /// An empty project brought up to date by `instar-migrate --enable action-claim`.
    pub(crate) fn migrated() -> Project {
        let p = Project::new();
        p.migrate_enabling(&[]);
        p
    }

    /// Copies the Stop hook into the project as the README's "By hand" step 1 says.
    pub(crate) fn deploy_hook_by_hand(&self) {
        let hook = self.path().join(HOOK_IN_PROJECT);
        fs::create_dir_all(hook.parent().unwrap()).unwrap();
        fs::copy(env!("CARGO_BIN_EXE_action-claim-followthrough"), &hook).unwrap();
        fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// `instar-migrate --enable action-claim EXTRA…` on the project; asserts that it
    /// succeeded and returns its stdout.
    pub(crate) fn migrate_enabling(&self, extra: &[&str]) -> String {
        self.migrate(&[&["--enable", "action-claim"], extra].concat())
            .run()
            .code(0)
            .stdout
    }

    /// Runs one real `claude -p` turn (always with `--output-format json`) and asserts that
    /// it succeeded.
    pub(crate) fn turn(&self, reply: Reply, env: &[(&str, &str)], claude_args: &[&str]) -> Turn {
        static TURNS: AtomicUsize = AtomicUsize::new(0);
        let api_log = self.root().join(format!(
            "api-{}.jsonl",
            TURNS.fetch_add(1, Ordering::Relaxed)
        ));
        let (project, home, log) = (self.path(), self.root().join("home"), api_log.clone());
        let script = e2e_dir().join("claude-turn");
        let outer_timeout = (TURN_TIMEOUT_S + 60).to_string();
        let mut args: Vec<&str> = vec!["-k", "10", &outer_timeout];
        let turn_timeout = TURN_TIMEOUT_S.to_string();
        // claude-turn bounds claude itself; the outer `timeout` bounds the script as a whole.
        args.extend([
            path_str(&script),
            "--project",
            path_str(&project),
            "--home",
            path_str(&home),
            "--api-log",
            path_str(&log),
            "--timeout",
            &turn_timeout,
        ]);
        match reply {
            Reply::Text(t) => args.extend(["--reply", t]),
            Reply::Replies(f) => args.extend(["--replies", path_str(f)]),
        }
        let env: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        for kv in &env {
            args.extend(["--env", kv]);
        }
        args.extend(["--", "--output-format", "json"]);
        args.extend(claude_args);
        let stdout = self
            .tool("timeout")
            .args(&args)
            .env("CLAUDE_BIN", claude_bin())
            .run()
            .code(0)
            .stdout;
        Turn { stdout, api_log }
    }

    /// Runs `claude ARGS` (e.g. `plugin install …`) in the project, with this project's HOME
    /// and nothing from the caller's Claude Code session; asserts that it succeeded.
    pub(crate) fn claude(&self, args: &[&str]) -> String {
        self.tool("timeout")
            .args(&["-k", "5", "120", path_str(claude_bin())])
            .args(args)
            .env("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1")
            .run()
            .code(0)
            .stdout
    }

    /// Runs git (hermetic: no user or system config) in `dir`; returns its trimmed stdout.
    pub(crate) fn git(&self, dir: &Path, args: &[&str]) -> String {
        self.tool("git")
            .args(&["-C", path_str(dir)])
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "e2e")
            .env("GIT_AUTHOR_EMAIL", "e2e@example.invalid")
            .env("GIT_COMMITTER_NAME", "e2e")
            .env("GIT_COMMITTER_EMAIL", "e2e@example.invalid")
            .run()
            .code(0)
            .stdout
            .trim()
            .to_string()
    }
}

/// A path as the `&str` a command line takes (the tests' temp paths are UTF-8).
pub(crate) fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn looks_like_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}
