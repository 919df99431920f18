use super::*;
use std::os::unix::fs::PermissionsExt;
use std::{fs, path::PathBuf};

mod wiring;

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
    let log = crate::diag::Log::for_state(&state, "test");
    log.problem("stdin exceeded 4194304 bytes; this turn was not classified");
    log.write("topic 7: \"I'll restart it\" restart (could not, cannot: words, not a signal)");
    let r = run(dir.path(), &env, None);
    assert_eq!(levels(&r, "store"), [Level::Problem]);
    assert_eq!(levels(&r, "log"), [Level::Warn]);
    let detail = &r.checks.iter().find(|c| c.name == "log").unwrap().detail;
    assert!(detail.contains(" ERROR stdin exceeded"), "{detail}");
}

#[test]
fn only_marked_lines_of_the_logs_end_count_and_a_planted_link_is_not_read() {
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let state = StateDir::resolve(dir.path(), &env).unwrap();
    state.ensure().unwrap();
    // Invalid UTF-8 and free text that merely sounds bad: no finding.
    fs::write(
        state.log_file(),
        b"t x pid=1 panic? could not, cannot, unreadable \xff\xfe\n",
    )
    .unwrap();
    assert!(levels(&run(dir.path(), &env, None), "log").is_empty());
    // A problem far from the end is old news; the latest is what is shown.
    let log = crate::diag::Log::for_state(&state, "test");
    log.problem("old problem");
    for i in 0..2000 {
        log.write(&format!(
            "topic {i}: nothing to see here, just a long enough line"
        ));
    }
    assert!(levels(&run(dir.path(), &env, None), "log").is_empty());
    log.problem("new problem");
    let r = run(dir.path(), &env, None);
    let log_check = r.checks.iter().find(|c| c.name == "log").unwrap();
    assert!(
        log_check.detail.ends_with("ERROR new problem"),
        "{log_check:?}"
    );
    // A symlink planted at the log's place is not followed.
    let outside = dir.path().join("outside.log");
    fs::write(&outside, "t x pid=1 ERROR planted\n").unwrap();
    fs::remove_file(state.log_file()).unwrap();
    std::os::unix::fs::symlink(&outside, state.log_file()).unwrap();
    assert!(levels(&run(dir.path(), &env, None), "log").is_empty());
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
        plugin::package::MARKETPLACE_JSON,
    )
    .unwrap();
    for binary in crate::settings::binaries() {
        let p = checkout.join("plugin/bin").join(binary);
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
fn an_explicit_false_is_reported_as_off_even_with_the_plugin() {
    let (_dir, project, env) = plugin_project(Some(r#"{"actionClaim": {"enabled": false}}"#));
    let r = run(&project, &env, None);
    let off = check(&r, "config", Level::Info);
    assert_eq!(
        off.detail,
        format!(
            "action-claim is off ({} says false): nothing is recorded",
            project.join(".instar/config.json").display()
        )
    );
    assert_eq!(
        off.fix.as_deref(),
        Some(
            format!(
                "instar-hooks config set actionClaim.enabled true --project --project-dir {}",
                project.display()
            )
            .as_str()
        ),
        "the file that says false is the one to change"
    );
}

#[test]
fn a_false_in_the_user_file_is_named_and_the_fix_changes_that_file() {
    // The project says true, the user file false: false wins, so enabling the project (what
    // instar-migrate --enable does) would change nothing.
    let (dir, env) = project(r#"{"actionClaim": {"enabled": true}}"#);
    let env = Env {
        config_dir: Some(dir.path().join("xdg")),
        ..env
    };
    let user = crate::config::user_config_path(&env).unwrap();
    fs::create_dir_all(user.parent().unwrap()).unwrap();
    fs::write(&user, r#"{"actionClaim": {"enabled": false}}"#).unwrap();
    let r = run(dir.path(), &env, None);
    let off = check(&r, "config", Level::Info);
    assert!(
        off.detail
            .contains(&format!("({} says false)", user.display())),
        "{off:?}"
    );
    // Removed rather than overridden with a per-user true: a true there would also switch
    // on every project of this user that relies on its default being off.
    let fix = off.fix.as_deref().unwrap();
    assert!(
        fix.starts_with("instar-hooks config unset actionClaim.enabled --user"),
        "{fix}"
    );
    assert!(!fix.contains("instar-migrate"), "{fix}");
    // On: the file that decided is named, not every file found.
    fs::write(&user, r#"{"actionClaim": {"perTopicCap": 3}}"#).unwrap();
    let r = run(dir.path(), &env, None);
    assert_eq!(
        check(&r, "config", Level::Ok).detail,
        format!(
            "action-claim is on ({})",
            dir.path().join(".instar/config.json").display()
        )
    );
}

#[test]
fn the_fix_for_a_project_without_instar_writes_the_user_file_only_when_removing_is_not_enough() {
    // Registered in settings from elsewhere (off by default), no .instar/: removing the
    // user's false leaves the default, off; the per-user file must say true.
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    fs::create_dir_all(project.join(".claude")).unwrap();
    fs::write(
        project.join(".claude/settings.json"),
        crate::settings::TEMPLATE.replace("${CLAUDE_PROJECT_DIR}/.instar/hooks/instar", "/opt/bin"),
    )
    .unwrap();
    let env = Env {
        config_dir: Some(dir.path().join("xdg")),
        data_dir: Some(dir.path().join("data")),
        ..Env::default()
    };
    let user = crate::config::user_config_path(&env).unwrap();
    fs::create_dir_all(user.parent().unwrap()).unwrap();
    fs::write(&user, r#"{"actionClaim": {"enabled": false}}"#).unwrap();
    let r = run(&project, &env, None);
    assert_eq!(
        check(&r, "config", Level::Info).fix.as_deref(),
        Some(
            "instar-hooks config set actionClaim.enabled true --user (the per-user file applies to every project)"
        )
    );
    // A hook nothing registers yet: instar-migrate deploys it, which makes the project an
    // instar agent with its own switch; that is the fix.
    let only_stop = r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/opt/bin/action-claim-followthrough"}]}]}}"#;
    fs::write(project.join(".claude/settings.json"), only_stop).unwrap();
    let r = run(&project, &env, None);
    assert_eq!(
        check(&r, "config", Level::Info).fix.as_deref(),
        Some(crate::fixes::migrate(&project, "--enable action-claim").as_str())
    );
    // With the plugin (on by default), removing the false is enough.
    fs::write(
        project.join(".claude/settings.json"),
        r#"{"enabledPlugins": {"instar-hooks@m": true}}"#,
    )
    .unwrap();
    let r = run(&project, &env, None);
    let fix = check(&r, "config", Level::Info).fix.clone().unwrap();
    assert!(
        fix.starts_with("instar-hooks config unset actionClaim.enabled --user ("),
        "{fix}"
    );
}
