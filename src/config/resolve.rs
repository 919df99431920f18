//! Resolving keys across the config files: precedence, the "an explicit false wins" rule of
//! `actionClaim.enabled`, validation of each value against [`KEYS`](super::KEYS), and where
//! the winner came from. [`resolve`] (what the hooks use) and [`effective`] (what
//! `instar-hooks config get|list` shows) are built from the same functions, so the CLI never
//! shows a value the hooks do not use.

use serde_json::{Map, Value};
use std::path::Path;

use super::{
    Config, Doc, Origin, PROJECT_CONFIG, Problem, ServerConfig, default_enabled, edit, key,
    load_docs,
};
use crate::env::Env;

/// Where resolving reports a value it cannot use: (file, message).
type Report<'a> = &'a mut dyn FnMut(&Path, String);

/// A resolved value and where it comes from.
type Found = (Value, Origin);

/// "`name` must be <what the key accepts>, found <value>". A token is never shown.
fn invalid(name: &str, spelled: &str, value: &Value) -> String {
    let expects = key(name).map_or("valid", |k| k.expects);
    let found = match value {
        Value::String(_) | Value::Array(_) | Value::Object(_) if name == "authToken" => {
            crate::json_file::type_name(value).to_string()
        }
        other => other.to_string(),
    };
    format!("{spelled} must be {expects}, found {found}")
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
fn resolve_enabled(docs: &[Doc], default: bool, problem: Report<'_>) -> (bool, Origin) {
    const NAME: &str = "actionClaim.enabled";
    let check = key(NAME).expect("a known key");
    let mut off: Option<Origin> = None;
    let mut on: Option<Origin> = None;
    for doc in docs {
        if doc.unreadable {
            off.get_or_insert(Origin::Unreadable {
                path: doc.path.clone(),
            });
            continue;
        }
        let Some((value, spelled)) = action_claim_leaf(&doc.obj, "enabled") else {
            continue;
        };
        if !check.accepts(value) {
            problem(&doc.path, invalid(NAME, &spelled, value));
            continue;
        }
        let origin = Origin::File {
            path: doc.path.clone(),
            key: spelled,
        };
        if value == &Value::Bool(true) {
            on.get_or_insert(origin);
        } else {
            off.get_or_insert(origin);
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
/// reported and skipped; then the key's built-in default.
fn resolve_leaf(docs: &[Doc], leaf: &str, problem: Report<'_>) -> Option<Found> {
    let name = format!("actionClaim.{leaf}");
    let check = key(&name).expect("a known key");
    for doc in docs {
        if let Some((value, spelled)) = action_claim_leaf(&doc.obj, leaf) {
            if check.accepts(value) {
                let origin = Origin::File {
                    path: doc.path.clone(),
                    key: spelled,
                };
                return Some((value.clone(), origin));
            }
            problem(&doc.path, invalid(&name, &spelled, value));
        }
    }
    check.default_value().map(|v| (v, Origin::Default))
}

/// The instar server to forward to, as `port` and `authToken`: both from the first file that
/// names a port, never one from each file. A bad port is reported and disables forwarding
/// rather than guessing.
struct Server {
    port: Option<Found>,
    token: Option<Found>,
}

fn resolve_server(docs: &[Doc], problem: Report<'_>) -> Server {
    let Some(doc) = docs.iter().find(|d| d.obj.contains_key("port")) else {
        return Server {
            port: None,
            token: None,
        };
    };
    let mut valid = |name: &str| -> Option<Found> {
        let value = doc.obj.get(name)?;
        if !key(name).expect("a known key").accepts(value) {
            problem(&doc.path, invalid(name, name, value));
            return None;
        }
        let origin = Origin::File {
            path: doc.path.clone(),
            key: name.to_string(),
        };
        Some((value.clone(), origin))
    };
    Server {
        port: valid("port"),
        token: valid("authToken"),
    }
}

/// Any other key: the first file that has it (the project file only for `project_only` keys).
fn resolve_other(docs: &[Doc], project_file: &Path, name: &str) -> Option<Found> {
    let project_only = key(name).is_some_and(|k| k.project_only);
    docs.iter()
        .filter(|d| !project_only || d.path == project_file)
        .find_map(|doc| {
            let value = edit::get(&doc.obj, name)?;
            let origin = Origin::File {
                path: doc.path.clone(),
                key: name.to_string(),
            };
            Some((value.clone(), origin))
        })
}

pub(super) fn resolve(docs: &[Doc], default_on: bool, problems: &mut Vec<Problem>) -> Config {
    let mut problem = |path: &Path, message: String| {
        problems.push(Problem {
            path: path.to_path_buf(),
            message,
        });
    };
    let mut out = Config::default();
    let (enabled, origin) = resolve_enabled(docs, default_on, &mut problem);
    out.action_claim.enabled = enabled;
    out.enabled_origin = origin;
    let mut number = |leaf: &str| {
        resolve_leaf(docs, leaf, &mut problem)
            .and_then(|(v, _)| v.as_f64())
            .expect("every numeric leaf has a numeric default")
    };
    out.action_claim.per_topic_cap = number("perTopicCap") as usize;
    out.action_claim.expires_hours = number("expiresHours");
    out.action_claim.reminder_grace_minutes = number("reminderGraceMinutes");
    out.action_claim.forward_backoff_seconds = number("forwardBackoffSeconds");
    out.action_claim.same_turn = resolve_leaf(docs, "sameTurn", &mut problem)
        .and_then(|(v, _)| v.as_bool())
        .expect("sameTurn has a boolean default");
    let server = resolve_server(docs, &mut problem);
    out.server = server
        .port
        .zip(server.token)
        .map(|((port, _), (token, _))| ServerConfig {
            port: port
                .as_u64()
                .and_then(|p| u16::try_from(p).ok())
                .expect("checked by the key"),
            auth_token: token.as_str().expect("checked by the key").to_string(),
        });
    out
}

/// A key's value as the hooks resolve it, and where it comes from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Effective {
    pub key: String,
    /// `None`: set nowhere and without a default, or not used (see [`effective`]).
    pub value: Option<Value>,
    pub origin: Option<Origin>,
}

/// The effective value of `name` for `project`: the one the hooks use (see [`Config::load`]
/// for the rules; a hook run from the plugin is told by `env.from_plugin`). `port` and
/// `authToken` are the pair the hooks forward with, both from the file that decides the
/// server: a token in another file, or an invalid port, is not used and not shown. Keys this
/// crate does not know are looked up as written, project file first.
pub fn effective(project: &Path, env: &Env, name: &str) -> Effective {
    let mut problems = Vec::new();
    let docs = load_docs(project, env, &mut problems);
    let mut ignore = |_: &Path, _: String| {};
    let found = match name {
        "actionClaim.enabled" => {
            let (on, origin) = resolve_enabled(&docs, default_enabled(env), &mut ignore);
            Some((Value::Bool(on), origin))
        }
        "port" => resolve_server(&docs, &mut ignore).port,
        "authToken" => resolve_server(&docs, &mut ignore).token,
        _ => match name.strip_prefix("actionClaim.") {
            Some(leaf) if key(name).is_some() => resolve_leaf(&docs, leaf, &mut ignore),
            _ => resolve_other(&docs, &project.join(PROJECT_CONFIG), name),
        },
    };
    let (value, origin) = found.unzip();
    Effective {
        key: name.to_string(),
        value,
        origin,
    }
}
