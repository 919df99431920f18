use super::*;
use std::fs;

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
