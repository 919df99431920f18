//! Settings files that cannot be read or whose entries never run (unparseable, an unexpected
//! shape, an exec-form variable, a binary that is not executable), reported once, also where the
//! plugin runs the hooks.

use super::*;

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
