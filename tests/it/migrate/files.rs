//! What a run writes outside the fixtures: an empty directory made a working project, the
//! template as a new project's settings, the legacy messaging block moved to its top-level
//! key, a symlinked settings file kept a symlink, and no Claude Code settings unless
//! claude-code is an enabled framework (as instar decides it).

use crate::harness::{CLI, Project, STOP_HOOK};
use crate::snapshot_settings;
use std::fs;

#[test]
fn an_empty_directory_becomes_a_working_project() {
    let p = Project::new();
    p.migrate(&["--enable", "action-claim"]).run().code(0);
    let hook = p
        .path()
        .join(".instar/hooks/instar/action-claim-followthrough");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&hook).unwrap().permissions().mode() & 0o777,
        0o755
    );
    p.run(hook.to_str().unwrap())
        .stdin_json(serde_json::json!({"session_id": "s", "last_assistant_message": "Relaunching the server now."}))
        .run()
        .silent_success();
    assert_eq!(p.commitments().len(), 1);
    assert!(p.path().join("CLAUDE.md").is_file());
}

#[test]
fn the_legacy_messaging_block_moves_to_the_top_level_key() {
    let p = Project::new().file(
        ".instar/config.json",
        "{\n  \"messaging\": {\n    \"actionClaim\": {\n      \"enabled\": true,\n      \"perTopicCap\": 3\n    }\n  },\n  \"port\": 4040\n}\n",
    );
    p.migrate(&["--disable", "action-claim"]).run().code(0);
    assert_eq!(
        p.read(".instar/config.json"),
        "{\n  \"messaging\": {},\n  \"port\": 4040,\n  \"actionClaim\": {\n    \"enabled\": false,\n    \"perTopicCap\": 3\n  }\n}\n"
    );
}

#[test]
fn a_symlinked_settings_file_stays_a_symlink() {
    let p = Project::new();
    let dotfiles = p.root().join("dotfiles");
    fs::create_dir_all(&dotfiles).unwrap();
    fs::write(dotfiles.join("settings.json"), "{\"model\": \"opus\"}\n").unwrap();
    fs::create_dir_all(p.path().join(".claude")).unwrap();
    std::os::unix::fs::symlink(
        dotfiles.join("settings.json"),
        p.path().join(".claude/settings.json"),
    )
    .unwrap();
    p.migrate(&[]).run().code(0);
    let link = fs::symlink_metadata(p.path().join(".claude/settings.json")).unwrap();
    assert!(link.file_type().is_symlink());
    let target = fs::read_to_string(dotfiles.join("settings.json")).unwrap();
    assert!(
        target.starts_with("{\n  \"model\": \"opus\",\n  \"hooks\""),
        "{target}"
    );
}

#[test]
fn settings_are_skipped_when_claude_code_is_not_an_enabled_framework() {
    let p = Project::new().file(
        ".instar/config.json",
        "{\"enabledFrameworks\": [\"codex-cli\"]}\n",
    );
    let out = p.migrate(&[]).run().code(0);
    assert!(
        out.stdout
            .contains("claude-code is not in enabledFrameworks"),
        "{}",
        out.stdout
    );
    assert!(!p.path().join(".claude").exists());
}

/// instar's migrator falls back to `["claude-code"]` when the list is empty or holds only
/// names it does not recognise; so does this one.
#[test]
fn enabled_frameworks_without_a_recognised_name_means_claude_code_as_for_instar() {
    for frameworks in ["[]", "[\"pi-cli\"]", "[\"codex\"]", "\"claude-code\""] {
        let p = Project::new().file(
            ".instar/config.json",
            format!("{{\"enabledFrameworks\": {frameworks}}}\n"),
        );
        let out = p.migrate(&[]).run().code(0);
        assert!(
            !out.stdout.contains("enabledFrameworks"),
            "{frameworks}: {}",
            out.stdout
        );
        assert!(
            p.path().join(".claude/settings.json").exists(),
            "{frameworks}: {}",
            out.stdout
        );
    }
}

#[test]
fn the_template_is_what_a_new_project_gets() {
    let template = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/settings-template.json"
    ))
    .unwrap();
    snapshot_settings!().bind(|| insta::assert_snapshot!("settings_template", template));
    let p = Project::new();
    p.migrate(&[]).run().code(0);
    assert_eq!(
        p.read(".claude/settings.json"),
        template,
        "no file + template = the template"
    );
    let _ = (CLI, STOP_HOOK);
}
