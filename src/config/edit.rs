//! Edits to a config document (`.instar/config.json` or the per-user config), as pure
//! functions on an order-preserving JSON object: every key we do not touch stays where it
//! was, with its value.

use serde_json::{Map, Value};

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
                super::json_type_name(entry)
            ));
        }
        at = entry.as_object_mut().expect("checked just above");
    }
    at.insert(last.to_string(), value);
    Ok(())
}

/// Removes a dotted key; says whether it was there.
pub fn unset(doc: &mut Map<String, Value>, key: &str) -> bool {
    let parts: Vec<&str> = key.split('.').collect();
    let (last, path) = parts.split_last().expect("split gives at least one part");
    let mut at = doc;
    for part in path {
        match at.get_mut(*part).and_then(Value::as_object_mut) {
            Some(next) => at = next,
            None => return false,
        }
    }
    at.shift_remove(*last).is_some()
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
            super::json_type_name(top)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
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
    fn a_non_object_action_claim_is_refused() {
        let mut d = obj(json!({"actionClaim": true}));
        assert!(set_action_claim_enabled(&mut d, true).is_err());
    }
}
