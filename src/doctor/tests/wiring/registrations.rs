//! Hook registrations in settings files: missing, healthy, from another path or the user's
//! settings, under the wrong event, duplicated, and instar's node hook beside the native one.

use super::*;

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
