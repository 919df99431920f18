use super::*;
use crate::settings::HOOKS_DIR;
use std::os::unix::fs::PermissionsExt;
use std::{fs, path::PathBuf};

fn project(config: &str) -> (tempfile::TempDir, Env) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join(".instar")).unwrap();
    fs::write(dir.path().join(".instar/config.json"), config).unwrap();
    let env = Env {
        project_dir: Some(dir.path().to_path_buf()),
        ..Env::default()
    };
    (dir, env)
}

fn levels(r: &Report, name: &str) -> Vec<Level> {
    r.checks
        .iter()
        .filter(|c| c.name == name)
        .map(|c| c.level)
        .collect()
}

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
    assert!(text.contains("ignores every hook and permission"), "{text}");
    assert!(text.contains("never runs"), "{text}");
    assert!(text.contains("not executable"), "{text}");
}

#[test]
fn the_auth_token_is_never_shown() {
    let (dir, env) = project(
        r#"{"actionClaim": {"enabled": true}, "port": 4040, "authToken": "tok-SECRET-123"}"#,
    );
    let r = run(dir.path(), &env, None);
    let text = serde_json::to_string(&r).unwrap();
    assert!(!text.contains("tok-SECRET-123"));
    assert!(text.contains("authToken set, not shown"));
}

#[test]
fn a_corrupt_store_and_a_troubled_log_are_reported() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let state = StateDir::resolve(dir.path(), &env).unwrap();
    state.ensure().unwrap();
    fs::write(state.commitments_file(), "{ broken").unwrap();
    fs::write(state.log_file(), "t x pid=1 could not record push claim\n").unwrap();
    let r = run(dir.path(), &env, None);
    assert_eq!(levels(&r, "store"), [Level::Problem]);
    assert_eq!(levels(&r, "log"), [Level::Warn]);
}

/// A project whose `.claude/settings.json` enables the plugin from a checkout marketplace
/// (recorded in `<claude dir>/plugins/known_marketplaces.json`), with the plugin's binaries
/// built there (mode 755).
fn plugin_project(config: Option<&str>) -> (tempfile::TempDir, PathBuf, Env) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    fs::create_dir_all(project.join(".claude")).unwrap();
    if let Some(text) = config {
        fs::create_dir_all(project.join(".instar")).unwrap();
        fs::write(project.join(".instar/config.json"), text).unwrap();
    }
    fs::write(
        project.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
    )
    .unwrap();
    let checkout = dir.path().join("checkout");
    fs::create_dir_all(checkout.join(".claude-plugin")).unwrap();
    fs::write(
        checkout.join(".claude-plugin/marketplace.json"),
        plugin::MARKETPLACE_JSON,
    )
    .unwrap();
    for binary in plugin::hook_binaries() {
        let p = checkout.join("target/plugin/bin").join(binary);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, b"bin").unwrap();
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let claude = dir.path().join("claude");
    fs::create_dir_all(claude.join("plugins")).unwrap();
    fs::write(
        claude.join("plugins/known_marketplaces.json"),
        serde_json::json!({"instar-hooks": {"source": {"source": "directory", "path": checkout}}})
            .to_string(),
    )
    .unwrap();
    let env = Env {
        claude_dir: Some(claude),
        data_dir: Some(dir.path().join("data")),
        config_dir: Some(dir.path().join("config")),
        ..Env::default()
    };
    (dir, project, env)
}

fn check<'r>(r: &'r Report, name: &str, level: Level) -> &'r Check {
    r.checks
        .iter()
        .find(|c| c.name == name && c.level == level)
        .unwrap_or_else(|| panic!("no {level:?} {name} check in {r:#?}"))
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
        p.detail.contains(
            &dir.path()
                .join("checkout/target/plugin")
                .display()
                .to_string()
        )
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
fn an_explicit_false_is_reported_as_off_even_with_the_plugin() {
    let (_dir, project, env) = plugin_project(Some(r#"{"actionClaim": {"enabled": false}}"#));
    let r = run(&project, &env, None);
    assert_eq!(
        check(&r, "config", Level::Info).detail,
        "action-claim is off: nothing is recorded"
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
        .join("checkout/target/plugin/bin/action-claim-followthrough");
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o644)).unwrap();
    fs::remove_file(
        dir.path()
            .join("checkout/target/plugin/bin/action-claim-reminder"),
    )
    .unwrap();
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
