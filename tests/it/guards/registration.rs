//! Where the sentinel's hook is registered and what it runs: not registered (until the
//! migrator runs), registered in the user's settings or from another path, its binary missing,
//! a Stop hook under another event, the plugin alone or beside the project's hooks (wired
//! twice), and instar's node hook re-added beside the native one.

use super::{QUEUE, SENTINEL, guards, migrated, reason, row, snapshot, state};
use crate::harness::Project;
use serde_json::Value;
use std::fs;

#[test]
fn enabled_but_unregistered_then_fixed_by_the_migrator() {
    let p = Project::enabled();
    let (table, json) = guards(&p, 1);
    // off-runtime-divergent, not missing: the facts are known (the settings file says the
    // hook is not there), and they say the sentinel is off at runtime while the config says
    // on. `missing` is for a server component that never reported at all.
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent");
    let attention = &json["attention"];
    assert_eq!(attention["title"], "Guard posture anomalies (1)");
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(fix.starts_with("instar-migrate --project-dir "), "{fix}");
    snapshot("enabled_unregistered", &table, &json);
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified");
}

#[test]
fn a_hook_registered_in_the_user_settings_is_registered() {
    let p = migrated();
    let project_settings = p.path().join(".claude/settings.json");
    let user_settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(user_settings.parent().unwrap()).unwrap();
    fs::rename(&project_settings, &user_settings).unwrap();
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");
}

#[test]
fn registered_but_binary_missing() {
    let p = migrated();
    fs::remove_file(
        p.path()
            .join(".instar/hooks/instar/action-claim-followthrough"),
    )
    .unwrap();
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent");
    assert!(reason(&json, SENTINEL).contains("is missing"));
    snapshot("binary_missing", &table, &json);
}

/// The hook registered from outside the project (e.g. `~/.local/bin`, where `scripts/demo`
/// installs it): that file is the one judged, not the project's deployed copy.
#[test]
fn a_hook_registered_from_another_path_is_judged_by_that_file() {
    let p = migrated();
    let elsewhere = p.root().join("bin/action-claim-followthrough");
    fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    fs::rename(
        p.path()
            .join(".instar/hooks/instar/action-claim-followthrough"),
        &elsewhere,
    )
    .unwrap();
    let settings = p.path().join(".claude/settings.json");
    let text = fs::read_to_string(&settings).unwrap().replace(
        "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough",
        elsewhere.to_str().unwrap(),
    );
    fs::write(&settings, text).unwrap();
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");

    fs::remove_file(&elsewhere).unwrap();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    assert!(reason(&json, SENTINEL).contains("is missing"), "{json}");
}

/// Moves the Stop hook's group of a migrated project to UserPromptSubmit, where it gets the
/// wrong input and never runs on a Stop.
fn register_under_the_wrong_event(p: &Project) {
    let path = p.path().join(".claude/settings.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let stop = doc["hooks"]["Stop"].as_array_mut().unwrap().remove(0);
    doc["hooks"]["UserPromptSubmit"]
        .as_array_mut()
        .unwrap()
        .push(stop);
    fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn a_stop_hook_registered_under_another_event_is_not_registered() {
    let p = migrated();
    register_under_the_wrong_event(&p);
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    let why = reason(&json, SENTINEL);
    assert!(
        why.contains("registers it for UserPromptSubmit instead, where it never runs on Stop"),
        "{why}"
    );
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(fix.starts_with("instar-migrate --project-dir "), "{fix}");
    // The fix works: instar-migrate moves it back to Stop.
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");
}

#[test]
fn a_stop_hook_under_another_event_in_the_users_settings_is_removed_by_hand() {
    let p = migrated();
    register_under_the_wrong_event(&p);
    let project_settings = p.path().join(".claude/settings.json");
    let user_settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(user_settings.parent().unwrap()).unwrap();
    fs::rename(&project_settings, &user_settings).unwrap();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(
            "remove `${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough` from hooks.UserPromptSubmit in "
        ) && fix.contains("by hand, then instar-migrate --project-dir "),
        "{fix}"
    );
}

/// Claude Code's user settings with the plugin enabled, as `claude plugin install` writes.
fn enable_plugin(p: &Project) {
    let settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(settings.parent().unwrap()).unwrap();
    fs::write(
        settings,
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
    )
    .unwrap();
}

#[test]
fn a_plugin_user_has_the_sentinel_on_without_any_config() {
    let p = Project::new();
    enable_plugin(&p);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified");
    assert_eq!(state(&json, QUEUE), "not-applicable");
}

#[test]
fn double_wiring_is_reported_with_the_fix() {
    let p = migrated();
    enable_plugin(&p);
    let (table, json) = guards(&p, 1);
    assert!(
        reason(&json, SENTINEL).starts_with("wired twice"),
        "{table}"
    );
    assert!(
        row(&json, SENTINEL)["fix"]
            .as_str()
            .unwrap()
            .contains("claude plugin disable"),
        "{table}"
    );
    assert!(
        json["attention"]["summary"]
            .as_str()
            .unwrap()
            .contains("wired twice")
    );
}

/// instar's next update re-adds its node Stop hook beside the native one: never silent.
#[test]
fn instars_node_hook_re_added_beside_the_native_one_raises_attention() {
    let p = migrated();
    let settings = p.path().join(".claude/settings.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&settings).unwrap()).unwrap();
    // What instar's migrator pushes when no Stop command names action-claim-followthrough.js.
    doc["hooks"]["Stop"].as_array_mut().unwrap().push(serde_json::json!({
        "matcher": "",
        "hooks": [{"type": "command", "command": "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough.js", "timeout": 6000}]
    }));
    fs::write(&settings, doc.to_string()).unwrap();
    let (table, json) = guards(&p, 1);
    let why = reason(&json, SENTINEL);
    assert!(
        why.contains("instar's node hook") && why.contains("on every Stop"),
        "{why}"
    );
    assert!(
        row(&json, SENTINEL)["fix"]
            .as_str()
            .unwrap()
            .starts_with("instar-migrate --project-dir "),
        "{json}"
    );
    assert!(!json["attention"].is_null(), "{json}");
    snapshot("node_hook_re_added", &table, &json);
    // instar-migrate removes it again, and the posture is quiet.
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert!(!reason(&json, SENTINEL).contains("node hook"), "{json}");
}
