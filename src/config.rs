/*!
Configuration, resolved leaf by leaf from (highest precedence first) the project's
`.instar/config.json` (shared with instar), the per-user `instar-hooks/config.json` in the
user's config directory, and built-in defaults.

Reading is tolerant: a missing file is normal, a key of the wrong type falls back to the next
source and is reported in `problems`, and an unparsable project config switches the feature
off (fail closed) and is reported. Nothing here ever fails a hook.

Keys (the same names in both files):
- `actionClaim.enabled` (bool, default off). The legacy `messaging.actionClaim.<key>` is read
  when `messaging` is an object (real instar configs have an array there). An explicit
  `false` in any file wins over a `true` in another: switching off is always respected.
- `actionClaim.perTopicCap` (integer ≥ 1, default 5), `actionClaim.expiresHours` (number > 0,
  default 6), `actionClaim.reminderGraceMinutes` (number ≥ 0, default 10),
  `actionClaim.forwardBackoffSeconds` (number ≥ 0, default 10: the first retry delay of an
  undelivered claim, doubling per failure up to 30 min; 0 retries on every hook run).
- `port` (1–65535) and `authToken` (string): the instar server to forward claims to.
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
    pub problems: Vec<Problem>,
}

/// Something wrong with a config file, said so that a person can fix it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub message: String,
}

impl Config {
    /// Resolves the configuration for `project` (never fails; see `problems`).
    pub fn load(project: &Path, env: &Env) -> Config {
        let mut problems = Vec::new();
        let mut docs: Vec<(PathBuf, Map<String, Value>)> = Vec::new();
        for path in [Some(project.join(PROJECT_CONFIG)), user_config_path(env)]
            .into_iter()
            .flatten()
        {
            match read_object(&path) {
                Ok(Some(obj)) => docs.push((path, obj)),
                Ok(None) => {}
                Err(message) => {
                    problems.push(Problem {
                        path: path.clone(),
                        message,
                    });
                    // Fail closed: with an unreadable file we cannot know it does not say
                    // "off", so the feature stays off until it is fixed.
                    let mut off = Map::new();
                    off.insert("actionClaim".into(), serde_json::json!({"enabled": false}));
                    docs.push((path, off));
                }
            }
        }
        let mut config = resolve(&docs, &mut problems);
        config.sources = docs.into_iter().map(|(p, _)| p).collect();
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
fn read_object(path: &Path) -> Result<Option<Map<String, Value>>, String> {
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

/// The `actionClaim` object of one file: top-level first, then the legacy location.
fn action_claim_leaf<'a>(doc: &'a Map<String, Value>, leaf: &str) -> Option<&'a Value> {
    let top = doc
        .get("actionClaim")
        .and_then(Value::as_object)
        .and_then(|o| o.get(leaf));
    top.or_else(|| {
        doc.get("messaging")
            .and_then(Value::as_object)
            .and_then(|m| m.get("actionClaim"))
            .and_then(Value::as_object)
            .and_then(|o| o.get(leaf))
    })
}

fn resolve(docs: &[(PathBuf, Map<String, Value>)], problems: &mut Vec<Problem>) -> Config {
    let mut out = Config::default();
    let mut problem = |path: &Path, message: String| {
        problems.push(Problem {
            path: path.to_path_buf(),
            message,
        })
    };

    // enabled: an explicit false anywhere wins; otherwise the first explicit true.
    let mut enabled = None;
    for (path, doc) in docs {
        match action_claim_leaf(doc, "enabled") {
            None => {}
            Some(Value::Bool(false)) => enabled = Some(false),
            Some(Value::Bool(true)) => {
                enabled.get_or_insert(true);
            }
            Some(other) => problem(
                path,
                format!(
                    "actionClaim.enabled must be true or false, found {}",
                    json_type_name(other)
                ),
            ),
        }
    }
    out.action_claim.enabled = enabled.unwrap_or(false);

    let number = |leaf: &str, ok: &dyn Fn(f64) -> bool, problem: &mut dyn FnMut(&Path, String)| {
        for (path, doc) in docs {
            match action_claim_leaf(doc, leaf) {
                None => {}
                Some(v) => match v.as_f64().filter(|n| ok(*n)) {
                    Some(n) => return Some(n),
                    None => problem(path, format!("actionClaim.{leaf} is out of range: {v}")),
                },
            }
        }
        None
    };
    if let Some(n) = number(
        "perTopicCap",
        &|n| (1.0..=1000.0).contains(&n) && n.fract() == 0.0,
        &mut problem,
    ) {
        out.action_claim.per_topic_cap = n as usize;
    }
    if let Some(n) = number(
        "expiresHours",
        &|n| n > 0.0 && n <= 24.0 * 365.0,
        &mut problem,
    ) {
        out.action_claim.expires_hours = n;
    }
    if let Some(n) = number(
        "reminderGraceMinutes",
        &|n| (0.0..=7.0 * 24.0 * 60.0).contains(&n),
        &mut problem,
    ) {
        out.action_claim.reminder_grace_minutes = n;
    }
    if let Some(n) = number(
        "forwardBackoffSeconds",
        &|n| (0.0..=3600.0).contains(&n),
        &mut problem,
    ) {
        out.action_claim.forward_backoff_seconds = n;
    }

    // The server is whatever the first file naming a port says; a bad port is reported and
    // disables forwarding rather than guessing.
    for (path, doc) in docs {
        let Some(port) = doc.get("port") else {
            continue;
        };
        let token = doc.get("authToken").and_then(Value::as_str);
        match port.as_u64().filter(|p| (1..=65535).contains(p)) {
            Some(p) => {
                out.server = token.map(|t| ServerConfig {
                    port: p as u16,
                    auth_token: t.to_string(),
                })
            }
            None => problem(
                path,
                format!("port must be an integer from 1 to 65535, found {port}"),
            ),
        }
        break;
    }
    out
}

pub mod edit;

#[cfg(test)]
mod tests;
