//! Edits to a config document (`.instar/config.json` or the per-user config), as pure
//! functions on an order-preserving JSON object: every key we do not touch stays where it
//! was, with its value. [`update_file`] is the one function here that writes.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use crate::Error;
use crate::json_file as file;

mod switch;
pub use switch::ConfigFile;
pub use switch::SwitchEdit;
pub use switch::{ENABLED, Switch, plan_switch};

/// A value as typed on a command line: JSON when it parses as JSON (`true`, `5`, `2.5`,
/// `"text"`, `{"a": 1}`, `null`), else the text itself as a string.
pub fn parse_cli_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// What [`update_file`] did.
#[derive(Debug)]
pub struct Updated<R> {
    pub value: R,
    /// The file's bytes changed and were written.
    pub written: bool,
    /// The file that was (or would have been) written: the target of a symlink.
    pub path: PathBuf,
}

/// Applies `edit` to the config document in `bytes` (`None`: the file does not exist, an
/// empty object) and renders it in the file's own indentation with a final newline. Returns
/// the edit's value and the new bytes, `None` when they would not change. A document that is
/// not a JSON object, or an edit that fails, is an error naming `path`.
pub(crate) fn edit_bytes<R>(
    path: &Path,
    bytes: Option<&[u8]>,
    edit: impl FnOnce(&mut Map<String, Value>) -> Result<R, String>,
) -> crate::Result<(R, Option<Vec<u8>>)> {
    let mut doc = match bytes {
        Some(b) => file::parse_object(path, b)?,
        None => Map::new(),
    };
    let value = edit(&mut doc).map_err(|found| Error::Unsupported {
        path: path.to_path_buf(),
        found,
    })?;
    let indent = bytes.map_or_else(|| b"  ".to_vec(), file::detect_indent);
    let after = file::render(&Value::Object(doc), &indent);
    let changed = bytes != Some(&after[..]);
    Ok((value, changed.then_some(after)))
}

/// Reads the config file at `path` (missing: an empty object), applies `edit`, and replaces
/// the file atomically when its bytes change (see [`file::replace`]) — same mode for an
/// existing file, 0600 for a new one (a config may hold `authToken`), its own indentation,
/// a final newline. A file that is not a JSON object is an error and is left exactly as it
/// was; so is an edit that fails. A symlink (e.g. into a dotfiles repository) is written where
/// it points. If another process changes the file while this runs, the edit is made again on
/// its new content.
pub fn update_file<R>(
    path: &Path,
    edit: impl Fn(&mut Map<String, Value>) -> Result<R, String>,
) -> crate::Result<Updated<R>> {
    let mut value = None;
    let replaced = file::replace(
        path,
        file::JSON_CAP,
        file::CONFIG_MODE,
        |bytes| {
            let (v, after) = edit_bytes(path, bytes, &edit)?;
            value = Some(v);
            Ok(after)
        },
        |_, _| Ok(()),
    )?;
    Ok(Updated {
        value: value.expect("replace runs the edit before it returns"),
        written: replaced.written,
        path: replaced.path,
    })
}

/// The value at a dotted key ("actionClaim.enabled").
pub fn get<'a>(doc: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    let mut parts = key.split('.');
    let mut at = doc.get(parts.next()?)?;
    for part in parts {
        at = at.as_object()?.get(part)?;
    }
    Some(at)
}

/// Sets a dotted key, creating objects on the way. Fails (changing nothing) when a value on
/// the way is not an object, rather than overwrite it.
pub fn set(doc: &mut Map<String, Value>, key: &str, value: Value) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(format!("`{key}` is not a valid key"));
    }
    let (last, path) = parts.split_last().expect("split gives at least one part");
    let mut at = doc;
    for (i, part) in path.iter().enumerate() {
        let entry = at
            .entry(part.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            return Err(format!(
                "`{}` is {}, not an object; fix it by hand",
                parts[..=i].join("."),
                file::type_name(entry)
            ));
        }
        at = entry.as_object_mut().expect("checked just above");
    }
    at.insert(last.to_string(), value);
    Ok(())
}

/// Removes a dotted key; says whether it was there. Objects on the way that this leaves empty
/// go too (`{"a": {"b": 1}}` without `a.b` is `{}`), so a set-then-unset leaves no trace.
pub fn unset(doc: &mut Map<String, Value>, key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    remove_path(doc, &parts)
}

fn remove_path(at: &mut Map<String, Value>, parts: &[&str]) -> bool {
    match parts {
        [] => false,
        [last] => at.shift_remove(*last).is_some(),
        [first, rest @ ..] => {
            let Some(next) = at.get_mut(*first).and_then(Value::as_object_mut) else {
                return false;
            };
            let removed = remove_path(next, rest);
            if removed && next.is_empty() {
                at.shift_remove(*first);
            }
            removed
        }
    }
}

/// Sets `actionClaim.enabled`, first moving a legacy `messaging.actionClaim` object to the
/// top-level key (values already at the top level win). Returns what it did, for the report.
pub fn set_action_claim_enabled(
    doc: &mut Map<String, Value>,
    enabled: bool,
) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    if let Some(top) = doc.get("actionClaim")
        && !top.is_object()
    {
        return Err(format!(
            "`actionClaim` is {}, not an object; fix it by hand",
            file::type_name(top)
        ));
    }
    let legacy = doc
        .get_mut("messaging")
        .and_then(Value::as_object_mut)
        .and_then(|m| match m.get("actionClaim") {
            Some(Value::Object(_)) => m.shift_remove("actionClaim"),
            _ => None,
        });
    if let Some(Value::Object(legacy)) = legacy {
        let top = doc
            .entry("actionClaim")
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("checked above");
        for (k, v) in legacy {
            top.entry(k).or_insert(v);
        }
        report.push("moved `messaging.actionClaim` to the top-level `actionClaim` key".into());
    }
    if get(doc, "actionClaim.enabled") != Some(&Value::Bool(enabled)) {
        set(doc, "actionClaim.enabled", Value::Bool(enabled))?;
        report.push(format!("set `actionClaim.enabled` to {enabled}"));
    }
    Ok(report)
}

/// Removes `actionClaim.enabled` — at the top level and at instar's legacy
/// `messaging.actionClaim.enabled` — so the file no longer says anything about it. Returns
/// what it did, for the report.
pub(crate) fn unset_action_claim_enabled(doc: &mut Map<String, Value>) -> Vec<String> {
    let mut report = Vec::new();
    for key in ["actionClaim.enabled", "messaging.actionClaim.enabled"] {
        let value = get(doc, key).cloned();
        if let Some(value) = value
            && unset(doc, key)
        {
            report.push(format!("removed `{key}` (it was {value})"));
        }
    }
    report
}

#[cfg(test)]
mod tests;
