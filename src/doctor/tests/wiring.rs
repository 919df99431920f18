//! Wiring: registrations, the binaries they run, settings files that cannot be read, and
//! the plugin.

use super::*;
use crate::settings::{self, HOOKS_DIR};

#[test]
fn an_enabled_but_unregistered_hook_is_a_problem_with_the_fix() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let r = run(dir.path(), &env, None);
    assert!(r.problems >= 2, "{r:#?}");
    let unregistered = r.checks.iter().find(|c| c.name == "registered").unwrap();
    assert_eq!(unregistered.level, Level::Problem);
    assert!(
        unregistered
            .fix
            .as_deref()
            .unwrap()
            .starts_with("instar-migrate --project-dir ")
    );
}

#[test]
fn a_healthy_project_has_no_problems() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(dir.path().join(".claude/settings.json"), settings::TEMPLATE).unwrap();
    for reg in settings::template() {
        let p = dir.path().join(HOOKS_DIR).join(&reg.binary);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, b"bin").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let r = run(dir.path(), &env, None);
    assert_eq!(r.problems, 0, "{r:#?}");
    assert_eq!(levels(&r, "registered"), [Level::Ok, Level::Ok]);
}

#[test]
fn broken_settings_non_executable_binaries_and_exec_form_variables_are_problems() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(dir.path().join(".claude/settings.local.json"), "{ nope").unwrap();
    fs::write(
        dir.path().join(".claude/settings.json"),
        r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "$CLAUDE_PROJECT_DIR/.instar/hooks/instar/action-claim-followthrough", "args": []}]}]}}"#,
    )
    .unwrap();
    let p = dir
        .path()
        .join(HOOKS_DIR)
        .join("action-claim-followthrough");
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, b"bin").unwrap();
    let r = run(dir.path(), &env, None);
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.contains(
            "settings.local.json` at 1:3: key must be a string: Claude Code ignores this file"
        ),
        "{text}"
    );
    assert!(text.contains("never runs"), "{text}");
    assert!(text.contains("not executable"), "{text}");
}

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
fn a_hook_registered_from_another_path_or_in_the_users_settings_counts_as_registered() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".local/bin");
    fs::create_dir_all(&bin).unwrap();
    for binary in settings::binaries() {
        fs::write(bin.join(binary), b"bin").unwrap();
        fs::set_permissions(bin.join(binary), fs::Permissions::from_mode(0o755)).unwrap();
    }
    let hook = |binary: &str| {
        format!(
            r#"[{{"hooks": [{{"type": "command", "command": "{}"}}]}}]"#,
            bin.join(binary).display()
        )
    };
    // Where scripts/demo installs, in the project's file; and in the user's own settings.
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(
        dir.path().join(".claude/settings.json"),
        format!(
            r#"{{"hooks": {{"Stop": {}}}}}"#,
            hook("action-claim-followthrough")
        ),
    )
    .unwrap();
    let claude = home.path().join(".claude");
    fs::create_dir_all(&claude).unwrap();
    fs::write(
        claude.join("settings.json"),
        format!(
            r#"{{"hooks": {{"UserPromptSubmit": {}}}}}"#,
            hook("action-claim-reminder")
        ),
    )
    .unwrap();
    let env = Env {
        claude_dir: Some(claude.clone()),
        ..env
    };
    let r = run(dir.path(), &env, None);
    assert_eq!(r.problems, 0, "{r:#?}");
    assert_eq!(levels(&r, "registered"), [Level::Ok, Level::Ok]);
    assert_eq!(
        levels(&r, "deployed"),
        [Level::Ok, Level::Ok],
        "the binaries they run"
    );
    let text = serde_json::to_string(&r).unwrap();
    assert!(
        text.contains(&format!(
            "{} UserPromptSubmit[0]",
            claude.join("settings.json").display()
        )),
        "{text}"
    );
    assert!(
        !text.contains("instar-migrate"),
        "nothing for instar-migrate to do: {text}"
    );
}

#[test]
fn a_broken_project_settings_file_is_reported_when_the_plugin_runs_the_hooks() {
    let (_dir, project, env) = plugin_project(None);
    fs::write(project.join(".claude/settings.local.json"), "{ nope").unwrap();
    let r = run(&project, &env, None);
    let broken: Vec<&Check> = r.checks.iter().filter(|c| c.name == "settings").collect();
    assert_eq!(broken.len(), 1, "{r:#?}");
    assert_eq!(broken[0].level, Level::Problem);
    assert!(
        broken[0].detail.contains("settings.local.json` at 1:3"),
        "{broken:?}"
    );
    assert!(r.problems >= 1);
}

#[test]
fn a_project_that_is_the_home_directory_reports_its_broken_settings_once() {
    // The project's settings file is also the user's; the plugin, enabled in the local file,
    // runs the hooks, so no registration check would read the broken one.
    let (_dir, project, env) = plugin_project(None);
    fs::rename(
        project.join(".claude/settings.json"),
        project.join(".claude/settings.local.json"),
    )
    .unwrap();
    fs::write(project.join(".claude/settings.json"), "{ nope").unwrap();
    let env = Env {
        claude_dir: Some(project.join(".claude")),
        ..env
    };
    let r = run(&project, &env, None);
    assert!(
        r.checks
            .iter()
            .any(|c| c.name == "plugin" && c.level == Level::Ok),
        "{r:#?}"
    );
    assert_eq!(levels(&r, "settings"), [Level::Problem], "{r:#?}");
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
fn an_unexpected_shape_is_a_problem_but_not_a_file_claude_code_ignores() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(dir.path().join(".claude/settings.json"), r#"{"hooks": []}"#).unwrap();
    let r = run(dir.path(), &env, None);
    let c = check(&r, "settings", Level::Problem);
    assert!(
        c.detail.contains("`hooks` is an array, not an object"),
        "{c:?}"
    );
    assert!(!c.detail.contains("ignores"), "{c:?}");
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

#[test]
fn a_hook_under_the_wrong_event_elsewhere_is_removed_by_hand_and_does_not_count() {
    // The Stop hook registered only under UserPromptSubmit, in the local settings file
    // (which instar-migrate never edits); the reminder where it belongs.
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    let command = "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough";
    fs::write(
        dir.path().join(".claude/settings.local.json"),
        serde_json::json!({"hooks": {"UserPromptSubmit": [{"hooks": [
            {"type": "command", "command": command}
        ]}]}})
        .to_string(),
    )
    .unwrap();
    for reg in settings::template() {
        let p = dir.path().join(HOOKS_DIR).join(&reg.binary);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, b"bin").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let r = run(dir.path(), &env, None);
    let wrong: Vec<&Check> = r
        .checks
        .iter()
        .filter(|c| c.name == "registered" && c.detail.contains("but it is a Stop hook"))
        .collect();
    assert_eq!(wrong.len(), 1, "{r:#?}");
    assert_eq!(wrong[0].level, Level::Problem);
    assert_eq!(
        wrong[0].fix.as_deref(),
        Some(
            format!(
                "remove `{command}` from hooks.UserPromptSubmit in {} by hand",
                dir.path().join(".claude/settings.local.json").display()
            )
            .as_str()
        )
    );
    assert!(
        r.checks.iter().any(|c| c.level == Level::Problem
            && c.detail
                .starts_with("action-claim-followthrough is not registered for Stop")),
        "{r:#?}"
    );
}

#[test]
fn a_duplicate_in_the_project_file_of_a_hook_registered_elsewhere_is_for_instar_migrate() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(dir.path().join(".claude/settings.json"), settings::TEMPLATE).unwrap();
    let stop = r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/opt/bin/action-claim-followthrough"}]}]}}"#;
    fs::write(dir.path().join(".claude/settings.local.json"), stop).unwrap();
    let r = run(dir.path(), &env, None);
    let twice = r
        .checks
        .iter()
        .find(|c| {
            c.detail
                .starts_with("action-claim-followthrough is registered 2 times")
        })
        .unwrap_or_else(|| panic!("{r:#?}"));
    assert!(
        twice
            .fix
            .as_deref()
            .unwrap()
            .ends_with("(it removes the duplicates)"),
        "{twice:?}"
    );
    // Two outside the file it edits: by hand.
    let claude = dir.path().join("claude");
    fs::create_dir_all(&claude).unwrap();
    fs::write(claude.join("settings.json"), stop).unwrap();
    let env = Env {
        claude_dir: Some(claude),
        ..env
    };
    let r = run(dir.path(), &env, None);
    let thrice = r
        .checks
        .iter()
        .find(|c| {
            c.detail
                .starts_with("action-claim-followthrough is registered 3 times")
        })
        .unwrap_or_else(|| panic!("{r:#?}"));
    assert_eq!(
        thrice.fix.as_deref(),
        Some("keep one: remove the other entries by hand")
    );
}

/// instar's migrator adds its node Stop hook back after each instar update (it looks for a
/// command naming action-claim-followthrough.js): beside the native hook, both run.
#[test]
fn instars_node_hook_beside_the_native_one_is_a_double_run_with_the_fix() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let node = "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough.js";
    let mut doc: serde_json::Value = serde_json::from_str(settings::TEMPLATE).unwrap();
    doc["hooks"]["Stop"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"matcher": "", "hooks": [{"type": "command", "command": node, "timeout": 6000}]}));
    fs::create_dir_all(dir.path().join(".claude")).unwrap();
    fs::write(dir.path().join(".claude/settings.json"), doc.to_string()).unwrap();
    let r = run(dir.path(), &env, None);
    let twice = check(&r, "instar", Level::Problem);
    assert!(
        twice.detail.contains("runs twice per event") && twice.detail.contains(node),
        "{twice:#?}"
    );
    assert!(
        twice
            .fix
            .as_deref()
            .unwrap()
            .starts_with("instar-migrate --project-dir "),
        "{twice:#?}"
    );

    // Before the native hook is registered, the node hook is simply what runs.
    let only_node = format!(
        r#"{{"hooks": {{"Stop": [{{"hooks": [{{"type": "command", "command": "{node}"}}]}}]}}}}"#
    );
    fs::write(dir.path().join(".claude/settings.json"), only_node).unwrap();
    let r = run(dir.path(), &env, None);
    assert!(
        r.checks
            .iter()
            .all(|c| !(c.name == "instar" && c.level == Level::Problem))
    );
    check(&r, "instar", Level::Info);
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
