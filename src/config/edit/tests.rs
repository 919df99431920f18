//! Edits to a config document: values typed on a command line, `update_file` (creating,
//! refusing, through a symlink), dotted keys set and unset, and the `actionClaim.enabled`
//! switch's edits.

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
