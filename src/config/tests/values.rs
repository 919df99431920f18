//! Values on their own: each known key's accepted values and documented defaults, and an
//! `enabledFrameworks` that falls back to Claude Code as instar's migrator does.

use super::*;

#[test]
fn every_known_key_checks_its_values() {
    use serde_json::json;
    let ok = |k: &str, v: Value| key(k).unwrap().accepts(&v);
    assert!(ok("actionClaim.enabled", json!(false)));
    assert!(!ok("actionClaim.enabled", json!("false")));
    assert!(ok("actionClaim.perTopicCap", json!(1)) && ok("actionClaim.perTopicCap", json!(1000)));
    assert!(!ok("actionClaim.perTopicCap", json!(0)) && !ok("actionClaim.perTopicCap", json!(2.5)));
    assert!(
        !ok("actionClaim.expiresHours", json!(0)) && ok("actionClaim.expiresHours", json!(0.5))
    );
    assert!(ok("actionClaim.reminderGraceMinutes", json!(0)));
    assert!(!ok("actionClaim.forwardBackoffSeconds", json!(3601)));
    assert!(ok("port", json!(4040)) && !ok("port", json!(0)) && !ok("port", json!("4040")));
    assert!(ok("authToken", json!("t")) && !ok("authToken", json!(1)));
    assert!(key("monitoring.resumeQueue.enabled").unwrap().project_only);
    assert!(key("nope").is_none());
    // The table's defaults are the documented numbers.
    let default = |k: &str| key(k).unwrap().default_value().unwrap().as_f64().unwrap();
    assert_eq!(default("actionClaim.perTopicCap"), 5.0);
    assert_eq!(default("actionClaim.expiresHours"), 6.0);
    assert_eq!(default("actionClaim.reminderGraceMinutes"), 10.0);
    assert_eq!(default("actionClaim.forwardBackoffSeconds"), 10.0);
    assert_eq!(
        key("actionClaim.sameTurn").unwrap().default_value(),
        Some(json!(true))
    );
}

#[test]
fn enabled_frameworks_falls_back_to_claude_code_as_instars_migrator_does() {
    use serde_json::json;
    let enabled = |doc: serde_json::Value| claude_code_enabled(doc.get("enabledFrameworks"));
    assert!(claude_code_enabled(None));
    assert!(enabled(json!({})));
    assert!(enabled(json!({"enabledFrameworks": []})));
    assert!(
        enabled(json!({"enabledFrameworks": "codex-cli"})),
        "not an array"
    );
    assert!(
        enabled(json!({"enabledFrameworks": ["pi-cli"]})),
        "unrecognised only"
    );
    assert!(enabled(json!({"enabledFrameworks": [7, null]})));
    assert!(enabled(
        json!({"enabledFrameworks": ["codex-cli", "claude-code"]})
    ));
    assert!(!enabled(json!({"enabledFrameworks": ["codex-cli"]})));
    assert!(!enabled(
        json!({"enabledFrameworks": ["pi-cli", "gemini-cli"]})
    ));
    assert!(!enabled(json!({"enabledFrameworks": ["grok-build"]})));
}
