//! Resolving keys across the config files: precedence, the "an explicit false wins" rule of
//! `actionClaim.enabled`, validation of each value, and where the winner came from.

use serde_json::{Map, Value};
use std::path::Path;

use super::{
    Config, Doc, Origin, PROJECT_CONFIG, Problem, ServerConfig, default_enabled, edit,
    json_type_name, key, load_docs,
};
use crate::env::Env;

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

pub(super) fn resolve(docs: &[Doc], default_on: bool, problems: &mut Vec<Problem>) -> Config {
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
                let default = key(name).and_then(|k| k.default_value());
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
