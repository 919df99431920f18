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
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn cli_values_are_json_when_they_parse_and_strings_otherwise() {
        assert_eq!(parse_cli_value("false"), json!(false));
        assert_eq!(parse_cli_value("5"), json!(5));
        assert_eq!(parse_cli_value("2.5"), json!(2.5));
        assert_eq!(parse_cli_value(r#"{"a": [1]}"#), json!({"a": [1]}));
        assert_eq!(parse_cli_value(r#""5""#), json!("5"));
        assert_eq!(parse_cli_value("tok-123"), json!("tok-123"));
        assert_eq!(parse_cli_value("True"), json!("True"));
        assert_eq!(parse_cli_value(""), json!(""));
    }

    #[test]
    fn update_file_creates_keeps_unknown_keys_and_writes_only_on_change() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("instar-hooks/config.json");
        let u = update_file(&path, |d| set(d, "actionClaim.enabled", json!(false))).unwrap();
        assert!(u.written);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\n  \"actionClaim\": {\n    \"enabled\": false\n  }\n}\n"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a new config may hold a token");

        std::fs::write(
            &path,
            "{\n    \"zeta\": [1, 2],\n    \"actionClaim\": {\"enabled\": false}\n}\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let u = update_file(&path, |d| set(d, "actionClaim.perTopicCap", json!(3))).unwrap();
        assert!(u.written);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("{\n    \"zeta\""),
            "own indentation, order kept: {text}"
        );
        assert!(text.contains("\"perTopicCap\": 3"));
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );

        let before = std::fs::metadata(&path).unwrap().modified().unwrap();
        let u = update_file(&path, |d| set(d, "actionClaim.perTopicCap", json!(3))).unwrap();
        assert!(!u.written);
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            before
        );
    }

    #[test]
    fn update_file_refuses_a_broken_file_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.json");
        for text in ["{ \"a\": ", "[1]"] {
            std::fs::write(&path, text).unwrap();
            assert!(update_file(&path, |d| set(d, "a", json!(1))).is_err());
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        std::fs::write(&path, r#"{"messaging": [1]}"#).unwrap();
        let err = update_file(&path, |d| set(d, "messaging.x", json!(1))).unwrap_err();
        assert!(err.to_string().contains("`messaging` is an array"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            r#"{"messaging": [1]}"#
        );
    }

    #[test]
    fn update_file_writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-config.json");
        std::fs::write(&real, "{}\n").unwrap();
        let link = dir.path().join("config.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let u = update_file(&link, |d| set(d, "port", json!(4040))).unwrap();
        assert_eq!(u.path, std::fs::canonicalize(&real).unwrap());
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(std::fs::read_to_string(&real).unwrap().contains("4040"));
    }

    #[test]
    fn set_creates_objects_and_keeps_order() {
        let mut d = obj(json!({"b": 1, "a": {"x": 1}}));
        set(&mut d, "a.y.z", json!(true)).unwrap();
        set(&mut d, "c", json!("v")).unwrap();
        assert_eq!(
            Value::Object(d.clone()),
            json!({"b": 1, "a": {"x": 1, "y": {"z": true}}, "c": "v"})
        );
        assert_eq!(d.keys().collect::<Vec<_>>(), ["b", "a", "c"]);
        assert_eq!(get(&d, "a.y.z"), Some(&json!(true)));
    }

    #[test]
    fn set_refuses_to_overwrite_a_non_object_on_the_way() {
        let mut d = obj(json!({"messaging": [1]}));
        let err = set(&mut d, "messaging.actionClaim.enabled", json!(true)).unwrap_err();
        assert!(err.contains("`messaging` is an array"), "{err}");
        assert_eq!(Value::Object(d), json!({"messaging": [1]}));
        assert!(set(&mut obj(json!({})), "a..b", json!(1)).is_err());
    }

    #[test]
    fn unset_removes_only_what_is_there() {
        let mut d = obj(json!({"a": {"b": 1, "c": 2}}));
        assert!(unset(&mut d, "a.b"));
        assert!(!unset(&mut d, "a.b"));
        assert!(!unset(&mut d, "x.y"));
        assert_eq!(Value::Object(d), json!({"a": {"c": 2}}));
    }

    #[test]
    fn unset_removes_the_objects_it_empties_and_keeps_the_rest_in_order() {
        let mut d = obj(json!({"x": 1, "actionClaim": {"enabled": true}, "y": {}}));
        assert!(unset(&mut d, "actionClaim.enabled"));
        assert_eq!(Value::Object(d.clone()), json!({"x": 1, "y": {}}));
        assert_eq!(d.keys().collect::<Vec<_>>(), ["x", "y"]);
        set(&mut d, "a.b.c", json!(1)).unwrap();
        assert!(unset(&mut d, "a.b.c"));
        assert_eq!(
            Value::Object(d),
            json!({"x": 1, "y": {}}),
            "set then unset leaves no trace"
        );
    }

    #[test]
    fn enabling_moves_the_legacy_block_and_top_level_values_win() {
        let mut d = obj(json!({
            "port": 4040,
            "messaging": {"actionClaim": {"enabled": false, "perTopicCap": 3, "expiresHours": 2}, "other": 1},
            "actionClaim": {"expiresHours": 4}
        }));
        let report = set_action_claim_enabled(&mut d, true).unwrap();
        assert_eq!(
            Value::Object(d),
            json!({"port": 4040, "messaging": {"other": 1},
                   "actionClaim": {"expiresHours": 4, "enabled": true, "perTopicCap": 3}})
        );
        assert_eq!(report.len(), 2);
    }

    #[test]
    fn an_array_shaped_messaging_is_left_alone() {
        let mut d = obj(json!({"messaging": [{"type": "telegram"}]}));
        set_action_claim_enabled(&mut d, false).unwrap();
        assert_eq!(
            Value::Object(d),
            json!({"messaging": [{"type": "telegram"}], "actionClaim": {"enabled": false}})
        );
    }

    #[test]
    fn setting_the_current_value_reports_nothing() {
        let mut d = obj(json!({"actionClaim": {"enabled": true}}));
        assert!(set_action_claim_enabled(&mut d, true).unwrap().is_empty());
    }

    #[test]
    fn unsetting_removes_both_spellings_and_what_they_leave_empty() {
        let mut d = obj(json!({
            "port": 1,
            "messaging": {"actionClaim": {"enabled": false}, "other": 1},
            "actionClaim": {"enabled": true, "perTopicCap": 3}
        }));
        let report = unset_action_claim_enabled(&mut d);
        assert_eq!(
            Value::Object(d.clone()),
            json!({"port": 1, "messaging": {"other": 1}, "actionClaim": {"perTopicCap": 3}})
        );
        assert_eq!(report.len(), 2, "{report:?}");
        assert!(unset_action_claim_enabled(&mut d).is_empty());
        let mut arrays = obj(json!({"messaging": [1]}));
        assert!(unset_action_claim_enabled(&mut arrays).is_empty());
    }

    #[test]
    fn a_non_object_action_claim_is_refused() {
        let mut d = obj(json!({"actionClaim": true}));
        assert!(set_action_claim_enabled(&mut d, true).is_err());
    }
}
