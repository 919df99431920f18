//! Hooks run from the plugin: a project it serves alone, its binaries (mode bits,
//! placeholders), the plugin disabled for the project, and the plugin beside a settings entry
//! (double wiring).

use super::*;

#[test]
fn a_project_served_by_the_plugin_alone_is_healthy_and_on_by_default() {
    let (dir, project, env) = plugin_project(None);
    let r = run(&project, &env, None);
    assert_eq!(r.problems, 0, "{r:#?}");
    assert!(
        check(&r, "config", Level::Ok)
            .detail
            .contains("default for hooks run from the plugin")
    );
    let p = check(&r, "plugin", Level::Ok);
    assert!(
        p.detail
            .contains("instar-hooks@instar-hooks is enabled (project scope"),
        "{p:?}"
    );
    assert!(
        p.detail
            .contains(&dir.path().join("checkout/plugin").display().to_string())
    );
    assert_eq!(levels(&r, "registered"), [Level::Ok, Level::Ok]);
    assert!(
        levels(&r, "deployed").is_empty(),
        "nothing deployed in the project is needed"
    );
    assert!(levels(&r, "wiring").is_empty());
    // State outside the repository.
    assert!(r.state_dir.unwrap().starts_with(dir.path().join("data")));
}

#[test]
fn with_the_plugin_enabled_only_the_double_wiring_is_reported() {
    // Settings register one hook of two: the other is run by the plugin, not missing.
    let (_dir, project, env) = plugin_project(Some(r#"{"actionClaim": {"enabled": true}}"#));
    fs::write(
        project.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}, "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"}]}]}}"#,
    )
    .unwrap();
    let r = run(&project, &env, None);
    let problems: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.level == Level::Problem)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(problems, ["wiring"], "{r:#?}");
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        !text.contains("not registered") && !text.contains("instar-migrate"),
        "{text}"
    );
}

#[test]
fn the_plugin_and_a_settings_entry_together_are_a_problem_with_the_fix() {
    let (_dir, project, env) = plugin_project(Some(r#"{"actionClaim": {"enabled": true}}"#));
    let mut doc: serde_json::Value = serde_json::from_str(settings::TEMPLATE).unwrap();
    doc["enabledPlugins"] = serde_json::json!({"instar-hooks@instar-hooks": true});
    fs::write(project.join(".claude/settings.json"), doc.to_string()).unwrap();
    let r = run(&project, &env, None);
    let w = check(&r, "wiring", Level::Problem);
    assert!(w.detail.contains("registered twice"), "{w:?}");
    assert!(
        w.detail.contains("runs each of them twice per event"),
        "{w:?}"
    );
    let fix = w.fix.as_deref().unwrap();
    assert!(
        fix.contains("claude plugin disable instar-hooks@instar-hooks --scope local"),
        "{fix}"
    );
    assert!(fix.contains(".claude/settings.json"), "{fix}");
    assert!(r.problems >= 1);
}

#[test]
fn a_plugin_binary_without_mode_bits_is_a_problem() {
    let (dir, project, env) = plugin_project(None);
    let bin = dir
        .path()
        .join("checkout/plugin/bin/action-claim-followthrough");
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_file(dir.path().join("checkout/plugin/bin/action-claim-reminder")).unwrap();
    let r = run(&project, &env, None);
    let text = serde_json::to_string(&r).unwrap();
    assert!(text.contains("is not executable"), "{text}");
    assert!(text.contains("action-claim-reminder is missing"), "{text}");
    assert!(text.contains("scripts/package-plugin"), "{text}");
    assert_eq!(r.problems, 2, "{r:#?}");
}

#[test]
fn a_plugin_disabled_for_the_project_is_mentioned_and_settings_are_checked_as_before() {
    let (_dir, project, env) = plugin_project(Some(r#"{"actionClaim": {"enabled": true}}"#));
    fs::write(
        project.join(".claude/settings.local.json"),
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": false}}"#,
    )
    .unwrap();
    let r = run(&project, &env, None);
    assert!(
        check(&r, "plugin", Level::Info)
            .detail
            .contains("is disabled for this project (local scope")
    );
    assert_eq!(levels(&r, "registered"), [Level::Problem, Level::Problem]);
}

/// A plugin installed from Git holds the committed placeholders until its bootstrap runs:
/// every hook then does nothing, which is a problem, said once with the fix.
#[test]
fn a_plugin_still_holding_its_placeholders_is_one_problem_with_the_fix() {
    let (dir, project, env) = plugin_project(None);
    for binary in settings::binaries() {
        let p = dir.path().join("checkout/plugin/bin").join(binary);
        let text = format!(
            "#!/bin/sh\n{} {binary}\nexit 0\n",
            plugin::install::PLACEHOLDER_MARK
        );
        fs::write(&p, text).unwrap();
    }
    let r = run(&project, &env, None);
    let problem = check(&r, "plugin", Level::Problem);
    assert!(problem.detail.contains("placeholders"), "{problem:#?}");
    assert!(problem.fix.is_some());
    assert_eq!(r.problems, 1, "{r:#?}");
}
