//! `instar-hooks doctor`: exit 1 with the fix while the hooks are not wired, 0 once
//! instar-migrate has run, and a hook registered under the wrong event.

use crate::harness::Project;
use crate::snapshot_settings;

#[test]
fn doctor_exits_1_with_the_fix_when_the_hook_is_not_wired() {
    let p = Project::enabled();
    let out = p.cli(&["doctor"]).run().code(1);
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_unwired_table", out.stdout));
    assert!(
        out.stdout
            .contains("PROBLEM registered  action-claim-followthrough is not registered")
    );
    assert!(out.stdout.contains("fix: instar-migrate --project-dir "));
    let json = p.cli(&["doctor", "--json"]).run().code(1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["problems"], 4, "two hooks unregistered, two not deployed");
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_unwired_json", json.stdout));
}

#[test]
fn doctor_exits_0_after_instar_migrate() {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    let out = p.cli(&["doctor"]).run().code(0);
    assert!(
        out.stdout.ends_with("No problems found.\n"),
        "{}",
        out.stdout
    );
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_wired_table", out.stdout));
}

#[test]
fn doctor_reports_a_hook_under_the_wrong_event_and_instar_migrate_moves_it() {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    let path = p.path().join(".claude/settings.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let stop = doc["hooks"]["Stop"].as_array_mut().unwrap().remove(0);
    doc["hooks"]["UserPromptSubmit"]
        .as_array_mut()
        .unwrap()
        .push(stop);
    std::fs::write(&path, doc.to_string()).unwrap();
    let json: serde_json::Value = p.cli(&["doctor", "--json"]).run().code(1).json();
    let registered: Vec<&serde_json::Value> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "registered" && c["level"] == "problem")
        .collect();
    assert_eq!(registered.len(), 2, "{json:#}");
    assert_eq!(
        registered[0]["detail"],
        "action-claim-followthrough is registered for UserPromptSubmit in .claude/settings.json (UserPromptSubmit[1]), but it is a Stop hook: there it runs on input it is not made for, and never on Stop"
    );
    assert!(
        registered[0]["fix"]
            .as_str()
            .unwrap()
            .ends_with("(it moves it to Stop)"),
        "{json:#}"
    );
    assert_eq!(
        registered[1]["detail"],
        "action-claim-followthrough is not registered for Stop in any Claude Code settings file (local, project or user)"
    );
    p.migrate(&[]).run().code(0);
    let out = p.cli(&["doctor"]).run().code(0);
    assert!(
        out.stdout.ends_with("No problems found.\n"),
        "{}",
        out.stdout
    );
}
