/*!
Configuration, resolved leaf by leaf from (highest precedence first) the project's
`.instar/config.json` (shared with instar), the per-user `instar-hooks/config.json` in the
user's config directory (`$XDG_CONFIG_HOME`, else `~/.config`), and built-in defaults.

Reading is tolerant: a missing file is normal, a key of the wrong type falls back to the next
source and is reported in `problems`, and an unparsable config file switches the feature
off (fail closed) and is reported. Nothing here ever fails a hook.

Keys (the same names in both files; [`KEYS`] lists them with their checks):
- `actionClaim.enabled` (bool). The legacy `messaging.actionClaim.<key>` is read when
  `messaging` is an object (real instar configs have an array there). An explicit `false` in
  any file wins over a `true` in another: switching off is always respected. **Default: on
  when the hook runs from the Claude Code plugin** (`CLAUDE_PLUGIN_ROOT` is set: installing
  the plugin is the opt-in), off otherwise (a hook registered in `.claude/settings.json` is
  switched on by `instar-migrate --enable action-claim` or by hand).
- `actionClaim.perTopicCap` (integer 1–1000, default 5), `actionClaim.expiresHours` (hours
  above 0, default 6), `actionClaim.reminderGraceMinutes` (number ≥ 0, default 10),
  `actionClaim.forwardBackoffSeconds` (number 0–3600, default 10: the first retry delay of an
  undelivered claim, doubling per failure up to 30 min; 0 retries on every hook run).
- `actionClaim.sameTurn` (bool, default on wherever the feature is on): the Stop hook
  continues a turn once when it ends on a promise it did not keep or on a completion claim
  the turn's own last run contradicts; `false` records only.
- `port` (1–65535) and `authToken` (string): the instar server to forward claims to.
- `monitoring.resumeQueue.{enabled,dryRun,autoHealStaleHostLock}` (bool): read by
  `resume_queue` from the project file only.

[`effective`] says which file (or default) a key's value comes from; [`edit`] changes a file;
[`file`](mod@file) reads and replaces hand-edited JSON files (for the settings and the migrator too).
*/

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use crate::env::Env;

pub mod edit;
/// The JSON-file helpers under their old name, for `migrate` until it imports them directly.
pub use crate::json_file as file;
mod keys;
mod resolve;

pub use keys::Key;
pub use keys::{KEYS, key};
use resolve::resolve;
pub use resolve::{Effective, effective};

pub const PROJECT_CONFIG: &str = ".instar/config.json";
pub(crate) const USER_CONFIG_DIR: &str = "instar-hooks";
pub(crate) const USER_CONFIG_FILE: &str = "config.json";

#[derive(Clone, Debug, PartialEq)]
pub struct ActionClaimConfig {
    pub enabled: bool,
    pub per_topic_cap: usize,
    pub expires_hours: f64,
    pub reminder_grace_minutes: f64,
    pub forward_backoff_seconds: f64,
    /// Continue a turn once when it ends on an undone promise or a refuted completion claim.
    pub same_turn: bool,
}

impl Default for ActionClaimConfig {
    /// The defaults of a hook registered in settings (`enabled: false`); see
    /// [`default_enabled`] for a hook run from the plugin.
    fn default() -> Self {
        // The numbers live in one place, the key table.
        let number = |name: &str| {
            key(name)
                .and_then(Key::default_value)
                .and_then(|v| v.as_f64())
                .expect("every numeric actionClaim key has a numeric default")
        };
        ActionClaimConfig {
            enabled: false,
            per_topic_cap: number("actionClaim.perTopicCap") as usize,
            expires_hours: number("actionClaim.expiresHours"),
            reminder_grace_minutes: number("actionClaim.reminderGraceMinutes"),
            forward_backoff_seconds: number("actionClaim.forwardBackoffSeconds"),
            same_turn: key("actionClaim.sameTurn")
                .and_then(Key::default_value)
                .and_then(|v| v.as_bool())
                .expect("actionClaim.sameTurn has a boolean default"),
        }
    }
}

/// The built-in default of `actionClaim.enabled`: on when the hook runs from the Claude Code
/// plugin (`CLAUDE_PLUGIN_ROOT` is set; installing the plugin is the opt-in), off otherwise.
pub(crate) fn default_enabled(env: &Env) -> bool {
    env.from_plugin
}

/// Where a running instar server listens (forwarding target; loopback only).
#[derive(Clone, Debug, PartialEq)]
pub struct ServerConfig {
    pub port: u16,
    pub auth_token: String,
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    pub action_claim: ActionClaimConfig,
    pub server: Option<ServerConfig>,
    /// What decided `action_claim.enabled`.
    pub enabled_origin: Origin,
    pub problems: Vec<Problem>,
}

/// Something wrong with a config file, said so that a person can fix it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub message: String,
}

/// Where a resolved value comes from.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A config file, under `key` (the legacy `messaging.actionClaim.*` spelling, or the
    /// key itself).
    File { path: PathBuf, key: String },
    /// A config file that cannot be read: the feature is off until it is fixed.
    Unreadable { path: PathBuf },
    /// The built-in default.
    #[default]
    Default,
    /// The built-in default of a hook run from the Claude Code plugin.
    PluginDefault,
}

impl Origin {
    /// A few words for people: "/p/.instar/config.json", "default", ….
    pub fn describe(&self) -> String {
        match self {
            Origin::File { path, key } if key.starts_with("messaging.") => {
                format!("{} (as {key}, instar's legacy location)", path.display())
            }
            Origin::File { path, .. } => path.display().to_string(),
            Origin::Unreadable { path } => {
                format!("{} cannot be read, so the feature is off", path.display())
            }
            Origin::Default => "built-in default".into(),
            Origin::PluginDefault => "built-in default for hooks run from the plugin".into(),
        }
    }
}

/// One config file as read: its object, or why it could not be read.
struct Doc {
    path: PathBuf,
    obj: Map<String, Value>,
    unreadable: bool,
}

/// The project's and the user's config files, highest precedence first (missing ones left
/// out; unreadable ones kept as empty, flagged, and reported in `problems`).
fn load_docs(project: &Path, env: &Env, problems: &mut Vec<Problem>) -> Vec<Doc> {
    let mut docs = Vec::new();
    for path in [Some(project.join(PROJECT_CONFIG)), user_config_path(env)]
        .into_iter()
        .flatten()
    {
        match file::read_object(&path) {
            Ok(Some(obj)) => docs.push(Doc {
                path,
                obj,
                unreadable: false,
            }),
            Ok(None) => {}
            Err(e) => {
                problems.push(Problem {
                    path: path.clone(),
                    message: file::problem(&e),
                });
                docs.push(Doc {
                    path,
                    obj: Map::new(),
                    unreadable: true,
                });
            }
        }
    }
    docs
}

impl Config {
    /// Resolves the configuration for `project` (never fails; see `problems`).
    pub fn load(project: &Path, env: &Env) -> Config {
        let mut problems = Vec::new();
        let docs = load_docs(project, env, &mut problems);
        let mut config = resolve(&docs, default_enabled(env), &mut problems);
        config.problems = problems;
        config
    }

    /// Convenience for callers that only need to know whether the hook should run.
    pub(crate) fn is_enabled(&self) -> bool {
        self.action_claim.enabled
    }
}

/// `<config dir>/instar-hooks/config.json`, when the user has a config directory.
pub fn user_config_path(env: &Env) -> Option<PathBuf> {
    env.config_dir
        .as_ref()
        .map(|d| d.join(USER_CONFIG_DIR).join(USER_CONFIG_FILE))
}

/// The frameworks instar's migrator recognises in `enabledFrameworks` (instar @HEAD,
/// `PostUpdateMigrator.getEnabledFrameworks`; `pi-cli` is left out there on purpose).
const KNOWN_FRAMEWORKS: &[&str] = &["claude-code", "codex-cli", "gemini-cli", "grok-build"];

/// Whether an instar agent's `enabledFrameworks` (its value in `.instar/config.json`) lets
/// Claude Code's settings be managed, read exactly as instar's migrator reads it: the
/// recognised names in it when there are any; otherwise — missing, not an array, empty, or
/// only names instar does not recognise (`["pi-cli"]`) — instar's default, `["claude-code"]`.
pub(crate) fn claude_code_enabled(enabled_frameworks: Option<&Value>) -> bool {
    let known: Vec<&str> = enabled_frameworks
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|f| KNOWN_FRAMEWORKS.contains(f))
        .collect();
    known.is_empty() || known.contains(&"claude-code")
}

#[cfg(test)]
mod tests;
