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
- `port` (1–65535) and `authToken` (string): the instar server to forward claims to.
- `monitoring.resumeQueue.{enabled,dryRun,autoHealStaleHostLock}` (bool): read by
  `resume_queue` from the project file only.

[`effective`] says which file (or default) a key's value comes from; [`edit`] changes a file.
*/

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use crate::env::Env;

pub const PROJECT_CONFIG: &str = ".instar/config.json";
pub const USER_CONFIG_DIR: &str = "instar-hooks";
pub const USER_CONFIG_FILE: &str = "config.json";
/// Config files are small; anything bigger is not a config we wrote or instar wrote.
const CONFIG_CAP: usize = 4 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct ActionClaimConfig {
    pub enabled: bool,
    pub per_topic_cap: usize,
    pub expires_hours: f64,
    pub reminder_grace_minutes: f64,
    pub forward_backoff_seconds: f64,
}

impl Default for ActionClaimConfig {
    /// The defaults of a hook registered in settings (`enabled: false`); see
    /// [`default_enabled`] for a hook run from the plugin.
    fn default() -> Self {
        ActionClaimConfig {
            enabled: false,
            per_topic_cap: 5,
            expires_hours: 6.0,
            reminder_grace_minutes: 10.0,
            forward_backoff_seconds: 10.0,
        }
    }
}

/// The built-in default of `actionClaim.enabled`: on when the hook runs from the Claude Code
/// plugin (`CLAUDE_PLUGIN_ROOT` is set; installing the plugin is the opt-in), off otherwise.
pub fn default_enabled(env: &Env) -> bool {
    env.plugin_root.is_some()
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
    /// The files that were found and parsed, highest precedence first.
    pub sources: Vec<PathBuf>,
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
        match read_object(&path) {
            Ok(Some(obj)) => docs.push(Doc {
                path,
                obj,
                unreadable: false,
            }),
            Ok(None) => {}
            Err(message) => {
                problems.push(Problem {
                    path: path.clone(),
                    message,
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
        config.sources = docs.into_iter().map(|d| d.path).collect();
        config.problems = problems;
        config
    }

    /// Convenience for callers that only need to know whether the hook should run.
    pub fn is_enabled(&self) -> bool {
        self.action_claim.enabled
    }
}

/// `<config dir>/instar-hooks/config.json`, when the user has a config directory.
pub fn user_config_path(env: &Env) -> Option<PathBuf> {
    env.config_dir
        .as_ref()
        .map(|d| d.join(USER_CONFIG_DIR).join(USER_CONFIG_FILE))
}

/// `Ok(None)` when the file does not exist; `Err` with a message when it exists but is not a
/// readable JSON object.
pub fn read_object(path: &Path) -> Result<Option<Map<String, Value>>, String> {
    let bytes = match crate::fsutil::read_capped(path, CONFIG_CAP) {
        Ok((_, true)) => return Err(format!("larger than {CONFIG_CAP} bytes")),
        Ok((bytes, false)) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(obj)) => Ok(Some(obj)),
        Ok(other) => Err(format!(
            "expected a JSON object, found {}",
            json_type_name(&other)
        )),
        Err(e) => Err(format!(
            "invalid JSON at {}:{}: {}",
            e.line(),
            e.column(),
            crate::Error::parse(path, &e)
                .to_string()
                .rsplit(": ")
                .next()
                .unwrap_or_default()
        )),
    }
}

pub fn json_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A key this crate reads, with what it accepts.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The dotted name, e.g. `actionClaim.enabled`.
    pub name: &'static str,
    /// What a valid value is, for messages ("true or false", "an integer from 1 to 1000").
    pub expects: &'static str,
    /// Read from the project's `.instar/config.json` only (not the per-user file).
    pub project_only: bool,
    check: fn(&Value) -> bool,
    /// The built-in default (`None`: unset; `actionClaim.enabled` depends on the runner).
    default: Option<fn() -> Value>,
}

impl Key {
    /// Whether `value` is valid for this key.
    pub fn accepts(&self, value: &Value) -> bool {
        (self.check)(value)
    }
}

fn in_range(v: &Value, lo: f64, hi: f64, lo_open: bool) -> bool {
    v.as_f64()
        .is_some_and(|n| (if lo_open { n > lo } else { n >= lo }) && n <= hi)
}

/// Every key instar-hooks reads, with its check and default.
pub const KEYS: &[Key] = &[
    Key {
        name: "actionClaim.enabled",
        expects: "true or false",
        project_only: false,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "actionClaim.perTopicCap",
        expects: "an integer from 1 to 1000",
        project_only: false,
        check: |v| in_range(v, 1.0, 1000.0, false) && v.as_f64().is_some_and(|n| n.fract() == 0.0),
        default: Some(|| Value::from(5)),
    },
    Key {
        name: "actionClaim.expiresHours",
        expects: "a number of hours above 0, at most 8760",
        project_only: false,
        check: |v| in_range(v, 0.0, 24.0 * 365.0, true),
        default: Some(|| Value::from(6)),
    },
    Key {
        name: "actionClaim.reminderGraceMinutes",
        expects: "a number of minutes from 0 to 10080",
        project_only: false,
        check: |v| in_range(v, 0.0, 7.0 * 24.0 * 60.0, false),
        default: Some(|| Value::from(10)),
    },
    Key {
        name: "actionClaim.forwardBackoffSeconds",
        expects: "a number of seconds from 0 to 3600",
        project_only: false,
        check: |v| in_range(v, 0.0, 3600.0, false),
        default: Some(|| Value::from(10)),
    },
    Key {
        name: "port",
        expects: "an integer from 1 to 65535",
        project_only: false,
        check: |v| v.as_u64().is_some_and(|p| (1..=65535).contains(&p)),
        default: None,
    },
    Key {
        name: "authToken",
        expects: "a string",
        project_only: false,
        check: Value::is_string,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.enabled",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.dryRun",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.autoHealStaleHostLock",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
];

/// The known key called `name`.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The `actionClaim` leaf of one file: top-level first, then the legacy location. Returns the
/// value and the key that spelled it.
fn action_claim_leaf<'a>(doc: &'a Map<String, Value>, leaf: &str) -> Option<(&'a Value, String)> {
    let top = doc
        .get("actionClaim")
        .and_then(Value::as_object)
        .and_then(|o| o.get(leaf))
        .map(|v| (v, format!("actionClaim.{leaf}")));
    top.or_else(|| {
        doc.get("messaging")
            .and_then(Value::as_object)
            .and_then(|m| m.get("actionClaim"))
            .and_then(Value::as_object)
            .and_then(|o| o.get(leaf))
            .map(|v| (v, format!("messaging.actionClaim.{leaf}")))
    })
}

/// `actionClaim.enabled`: an explicit false anywhere wins (an unreadable file counts as
/// one); otherwise the first explicit true; otherwise `default`.
fn resolve_enabled(
    docs: &[Doc],
    default: bool,
    problem: &mut dyn FnMut(&Path, String),
) -> (bool, Origin) {
    let mut off: Option<Origin> = None;
    let mut on: Option<Origin> = None;
    for doc in docs {
        if doc.unreadable {
            off.get_or_insert(Origin::Unreadable {
                path: doc.path.clone(),
            });
            continue;
        }
        match action_claim_leaf(&doc.obj, "enabled") {
            None => {}
            Some((Value::Bool(b), key)) => {
                let origin = Origin::File {
                    path: doc.path.clone(),
                    key,
                };
                if *b {
                    on.get_or_insert(origin);
                } else {
                    off.get_or_insert(origin);
                }
            }
            Some((other, key)) => problem(
                &doc.path,
                format!(
                    "{key} must be true or false, found {}",
                    json_type_name(other)
                ),
            ),
        }
    }
    match (off, on) {
        (Some(origin), _) => (false, origin),
        (None, Some(origin)) => (true, origin),
        (None, None) if default => (true, Origin::PluginDefault),
        (None, None) => (false, Origin::Default),
    }
}

/// The first valid value of an `actionClaim` leaf, with where it came from; invalid ones are
/// reported and skipped.
fn resolve_leaf(
    docs: &[Doc],
    leaf: &str,
    problem: &mut dyn FnMut(&Path, String),
) -> Option<(Value, Origin)> {
    let check = key(&format!("actionClaim.{leaf}")).expect("a known key");
    for doc in docs {
        if let Some((v, name)) = action_claim_leaf(&doc.obj, leaf) {
            if check.accepts(v) {
                return Some((
                    v.clone(),
                    Origin::File {
                        path: doc.path.clone(),
                        key: name,
                    },
                ));
            }
            problem(
                &doc.path,
                format!("actionClaim.{leaf} is out of range: {v}"),
            );
        }
    }
    None
}

fn resolve(docs: &[Doc], default_on: bool, problems: &mut Vec<Problem>) -> Config {
    let mut out = Config::default();
    let mut problem = |path: &Path, message: String| {
        problems.push(Problem {
            path: path.to_path_buf(),
            message,
        })
    };

    let (enabled, origin) = resolve_enabled(docs, default_on, &mut problem);
    out.action_claim.enabled = enabled;
    out.enabled_origin = origin;
    let number = |leaf: &str, problem: &mut dyn FnMut(&Path, String)| {
        resolve_leaf(docs, leaf, problem).and_then(|(v, _)| v.as_f64())
    };
    if let Some(n) = number("perTopicCap", &mut problem) {
        out.action_claim.per_topic_cap = n as usize;
    }
    if let Some(n) = number("expiresHours", &mut problem) {
        out.action_claim.expires_hours = n;
    }
    if let Some(n) = number("reminderGraceMinutes", &mut problem) {
        out.action_claim.reminder_grace_minutes = n;
    }
    if let Some(n) = number("forwardBackoffSeconds", &mut problem) {
        out.action_claim.forward_backoff_seconds = n;
    }

    // The server is whatever the first file naming a port says; a bad port is reported and
    // disables forwarding rather than guessing.
    for doc in docs {
        let Some(port) = doc.obj.get("port") else {
            continue;
        };
        let token = doc.obj.get("authToken").and_then(Value::as_str);
        match port.as_u64().filter(|p| (1..=65535).contains(p)) {
            Some(p) => {
                out.server = token.map(|t| ServerConfig {
                    port: p as u16,
                    auth_token: t.to_string(),
                })
            }
            None => problem(
                &doc.path,
                format!("port must be an integer from 1 to 65535, found {port}"),
            ),
        }
        break;
    }
    out
}

/// A key's value as the hooks resolve it, and where it comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Effective {
    pub key: String,
    /// `None`: set nowhere and without a default.
    pub value: Option<Value>,
    pub origin: Option<Origin>,
}

/// The effective value of `name` for `project` (see [`Config::load`] for the rules; a hook
/// run from the plugin is told by `env.plugin_root`). Keys this crate does not know are
/// looked up as written, project file first.
pub fn effective(project: &Path, env: &Env, name: &str) -> Effective {
    let mut problems = Vec::new();
    let docs = load_docs(project, env, &mut problems);
    let mut ignore = |_: &Path, _: String| {};
    let found = |value: Value, origin: Origin| Effective {
        key: name.to_string(),
        value: Some(value),
        origin: Some(origin),
    };
    if name == "actionClaim.enabled" {
        let (on, origin) = resolve_enabled(&docs, default_enabled(env), &mut ignore);
        return found(Value::Bool(on), origin);
    }
    if let Some(leaf) = name.strip_prefix("actionClaim.")
        && key(name).is_some()
    {
        return match resolve_leaf(&docs, leaf, &mut ignore) {
            Some((v, origin)) => found(v, origin),
            None => {
                let default = key(name).and_then(|k| k.default).map(|f| f());
                Effective {
                    key: name.to_string(),
                    origin: default.as_ref().map(|_| Origin::Default),
                    value: default,
                }
            }
        };
    }
    let project_file = project.join(PROJECT_CONFIG);
    let project_only = key(name).is_some_and(|k| k.project_only);
    for doc in docs
        .iter()
        .filter(|d| !project_only || d.path == project_file)
    {
        if let Some(v) = edit::get(&doc.obj, name) {
            return found(
                v.clone(),
                Origin::File {
                    path: doc.path.clone(),
                    key: name.to_string(),
                },
            );
        }
    }
    Effective {
        key: name.to_string(),
        value: None,
        origin: None,
    }
}

pub mod edit;

#[cfg(test)]
mod tests;
