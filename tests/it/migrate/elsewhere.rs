//! Hooks and switches that live outside the project: a project the plugin serves (never made
//! an instar agent, its switch in the per-user config), a switch turned off in the per-user
//! config, and a hook registered in the user's own Claude Code settings (not registered or
//! deployed again; removed from the project's file when it is in both).

use super::{commands, settings, steps};
use crate::harness::Project;
use serde_json::Value;
use std::fs;

#[test]
fn a_project_the_plugin_serves_is_never_made_an_instar_agent() {
    let p = Project::new()
        .file(
            ".claude/settings.json",
            r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
        )
        .file("CLAUDE.md", "# Mine\n");
    // --disable: the plugin's hooks are on by default, so this switch takes a write.
    let out = p
        .migrate(&["--disable", "action-claim", "--json"])
        .run()
        .code(0);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        !p.path().join(".instar").exists(),
        "no .instar/: the hooks' state stays in the per-user data directory\n{report:#}"
    );
    // The switch went where `instar-hooks config set` puts it in such a project.
    let user = p.root().join("config/instar-hooks/config.json");
    let config: Value = serde_json::from_str(&fs::read_to_string(&user).unwrap()).unwrap();
    assert_eq!(config["actionClaim"]["enabled"], false);
    // The backup of CLAUDE.md is in the project's per-user state directory.
    let backup = std::path::PathBuf::from(report["backupDir"].as_str().unwrap());
    assert!(
        backup.starts_with(p.root().join("data/instar-hooks/projects")),
        "{backup:?}"
    );
    assert_eq!(
        fs::read_to_string(backup.join("CLAUDE.md")).unwrap(),
        "# Mine\n"
    );
    p.cli(&["doctor"]).run().code(0);
}

#[test]
fn enabling_where_the_plugin_runs_the_hooks_changes_no_config_file() {
    // On by default from the plugin: a `true` in the per-user file would change nothing here
    // and switch the hooks on in every other project of this user registered in settings.
    let p = Project::new().file(
        ".claude/settings.json",
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
    );
    let out = p
        .migrate(&["--enable", "action-claim", "--json"])
        .run()
        .code(0);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        steps(&report, "skipped", "switch-already"),
        [&serde_json::json!({
            "outcome": "skipped",
            "path": null,
            "what": "switch-already",
            "key": "actionClaim.enabled",
            "value": true,
            "origin": "built-in default for hooks run from the plugin",
        })],
        "{report:#}"
    );
    assert!(!p.root().join("config/instar-hooks").exists(), "{report:#}");
    assert_eq!(report["changedFiles"], serde_json::json!(["CLAUDE.md"]));
    p.cli(&["config", "get", "actionClaim.enabled"])
        .run()
        .code(0)
        .stdout_contains("actionClaim.enabled = true");
}

#[test]
fn enabling_an_agent_switched_off_in_the_user_file_really_switches_it_on() {
    // An explicit false in the per-user file wins over the project's true: the run used to
    // write `true` into .instar/config.json, say "upgraded", and leave the hooks off.
    let p = Project::enabled().file(
        "../config/instar-hooks/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    p.cli(&["config", "get", "actionClaim.enabled"])
        .run()
        .code(0)
        .stdout_contains("actionClaim.enabled = false");
    let out = p.migrate(&["--enable", "action-claim"]).run().code(0);
    assert!(
        out.stdout
            .contains("removed `actionClaim.enabled` (it was false)"),
        "{}",
        out.stdout
    );
    p.cli(&["config", "get", "actionClaim.enabled"])
        .run()
        .code(0)
        .stdout_contains("actionClaim.enabled = true");
    p.stop("Relaunching the server now.").run().silent_success();
    assert_eq!(p.commitments().len(), 1, "the hook records again");
}

#[test]
fn a_hook_registered_from_elsewhere_is_not_registered_or_deployed_again() {
    // Where scripts/demo installs the hooks, registered in the user's Claude Code settings.
    let bin = Project::new();
    let local_bin = bin.root().join("local-bin");
    fs::create_dir_all(&local_bin).unwrap();
    let installed = local_bin.join("action-claim-followthrough");
    fs::copy(crate::harness::STOP_HOOK, &installed).unwrap();
    let p = Project::enabled().file(
        "../home/.claude/settings.json",
        serde_json::json!({"hooks": {"Stop": [{"hooks": [
            {"type": "command", "command": installed, "args": [], "timeout": 10}
        ]}]}})
        .to_string(),
    );
    let out = p.migrate(&["--json"]).run().code(0);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let doc = settings(&p);
    let after = commands(&doc);
    assert!(
        !after
            .iter()
            .any(|c| c.contains("action-claim-followthrough")),
        "a second Stop hook would run twice: {after:?}"
    );
    assert!(after.iter().any(|c| c.contains("action-claim-reminder")));
    assert!(
        !p.path()
            .join(".instar/hooks/instar/action-claim-followthrough")
            .exists()
    );
    let elsewhere = steps(&report, "note", "registered-elsewhere");
    assert_eq!(elsewhere.len(), 1, "{report:#}");
    assert_eq!(elsewhere[0]["hook"], "Stop action-claim-followthrough");
    assert_eq!(
        elsewhere[0]["places"],
        serde_json::json!([{
            "file": p.root().join("home/.claude/settings.json"),
            "event": "Stop",
            "command": installed,
        }])
    );
    assert_eq!(
        elsewhere[0]["removed"],
        serde_json::json!([]),
        "not in the project's file"
    );
    // doctor sees it as registered, and checks the binary it really runs.
    let doctor = p.cli(&["doctor", "--json"]).run().code(0);
    assert!(
        doctor
            .stdout
            .contains(&format!("{} (executable)", installed.display())),
        "{}",
        doctor.stdout
    );
    // And a second run adds nothing either.
    p.migrate(&[])
        .run()
        .code(0)
        .stdout_contains("Nothing to do");
}

#[test]
fn a_hook_registered_in_the_project_and_the_user_settings_ends_up_running_once() {
    // Migrated first (registered from .instar/hooks/instar/), then also registered in the
    // user's own settings from where scripts/demo installs: it ran twice.
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    let local_bin = p.root().join("local-bin");
    fs::create_dir_all(&local_bin).unwrap();
    let installed = local_bin.join("action-claim-followthrough");
    fs::copy(crate::harness::STOP_HOOK, &installed).unwrap();
    let user_settings = serde_json::json!({"hooks": {"Stop": [{"hooks": [
        {"type": "command", "command": installed, "args": [], "timeout": 10}
    ]}]}})
    .to_string();
    let p = p.file("../home/.claude/settings.json", &user_settings);
    let doctor = p.cli(&["doctor"]).run().code(0);
    assert!(
        doctor
            .stdout
            .contains("action-claim-followthrough is registered 2 times"),
        "{}",
        doctor.stdout
    );
    let out = p.migrate(&["--json"]).run().code(0);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let elsewhere = steps(&report, "note", "registered-elsewhere");
    assert_eq!(elsewhere.len(), 1, "{report:#}");
    assert_eq!(
        elsewhere[0]["removed"][0]["command"],
        "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough",
        "the project's entry went: {report:#}"
    );
    assert_eq!(
        steps(&report, "upgraded", "hooks-removed")[0],
        &serde_json::json!({
            "outcome": "upgraded",
            "path": ".claude/settings.json",
            "what": "hooks-removed",
            "count": 1,
            "binary": "action-claim-followthrough",
            "event": "Stop",
            "registeredFor": "Stop",
        })
    );
    let after = commands(&settings(&p));
    assert!(
        !after
            .iter()
            .any(|c| c.contains("action-claim-followthrough")),
        "{after:?}"
    );
    assert!(after.iter().any(|c| c.contains("action-claim-reminder")));
    assert_eq!(
        fs::read_to_string(p.root().join("home/.claude/settings.json")).unwrap(),
        user_settings,
        "the user's own file is not touched"
    );
    let doctor = p.cli(&["doctor"]).run().code(0);
    assert!(
        doctor.stdout.contains(&format!(
            "action-claim-followthrough: {} Stop[0]",
            p.root().join("home/.claude/settings.json").display()
        )),
        "{}",
        doctor.stdout
    );
    p.migrate(&[])
        .run()
        .code(0)
        .stdout_contains("Nothing to do");
}
