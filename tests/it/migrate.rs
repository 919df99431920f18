use crate::harness::{CLI, MIGRATE, Project, STOP_HOOK};
use crate::snapshot_settings;
use serde_json::Value;
use std::fs;

const CASES: &[&str] = &[
    "no-file",
    "empty-object",
    "user-hooks",
    "instar-agent",
    "already-migrated",
];

fn settings(p: &Project) -> Value {
    serde_json::from_str(&p.read(".claude/settings.json")).unwrap()
}

/// Every hook command in a settings document.
fn commands(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for groups in doc["hooks"]
        .as_object()
        .into_iter()
        .flat_map(|h| h.values())
    {
        for group in groups.as_array().unwrap() {
            for hook in group["hooks"].as_array().unwrap() {
                out.push(hook["command"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// The `--json` report's steps with this outcome and `what`.
fn steps<'r>(report: &'r Value, outcome: &str, what: &str) -> Vec<&'r Value> {
    report["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in {report:#}"))
        .iter()
        .filter(|s| s["outcome"] == outcome && s["what"] == what)
        .collect()
}

/// The `--json` contract: these fields and no others, typed (the steps' own fields depend on
/// their `what`: see `steps_have_an_outcome_a_path_and_what`).
#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct ReportJson {
    project_dir: String,
    dry_run: bool,
    upgraded: Vec<String>,
    skipped: Vec<String>,
    errors: Vec<String>,
    notes: Vec<String>,
    changed_files: Vec<String>,
    backup_dir: Option<String>,
    steps: Vec<serde_json::Map<String, Value>>,
    diff: Option<String>,
}

impl ReportJson {
    /// Parses a report and checks what holds for every one: each step has an outcome, a path
    /// (or null) and a `what`, and for instar's MigrationResult each outcome has as many
    /// sentences as steps.
    #[track_caller]
    fn parse(stdout: &str) -> ReportJson {
        let r: ReportJson = serde_json::from_str(stdout)
            .unwrap_or_else(|e| panic!("not the --json report ({e}):\n{stdout}"));
        let count = |outcome: &str| r.steps.iter().filter(|s| s["outcome"] == outcome).count();
        for step in &r.steps {
            assert!(
                ["upgraded", "skipped", "note", "error"]
                    .contains(&step["outcome"].as_str().unwrap()),
                "{step:?}"
            );
            assert!(step["what"].is_string(), "{step:?}");
            assert!(
                step["path"].is_string() || step["path"].is_null(),
                "{step:?}"
            );
        }
        assert_eq!(
            [
                r.upgraded.len(),
                r.skipped.len(),
                r.notes.len(),
                r.errors.len()
            ],
            [
                count("upgraded"),
                count("skipped"),
                count("note"),
                count("error")
            ],
            "{stdout}"
        );
        r
    }
}

fn settings_path_filters() -> insta::Settings {
    let mut s = snapshot_settings!();
    s.add_filter(r#""/[^"]*/project""#, r#""[PROJECT]""#);
    s.add_filter(r"\(\d+ bytes", "([SIZE] bytes");
    s.add_filter(r#""bytes": \d+"#, r#""bytes": [SIZE]"#);
    s.add_filter(r"\d{8}T\d{6}Z(-\d+)?", "[STAMP]");
    s
}

#[test]
fn every_fixture_migrates_to_its_snapshot_and_keeps_every_user_hook() {
    for case in CASES {
        let p = Project::fixture(&format!("migrate/{case}/in"));
        let before = fs::read_to_string(p.path().join(".claude/settings.json")).ok();
        p.migrate(&[]).run().code(0);
        let after = p.read(".claude/settings.json");
        snapshot_settings!()
            .bind(|| insta::assert_snapshot!(format!("migrate_{case}_settings"), after));
        let doc = settings(&p);
        let after_commands = commands(&doc);
        if let Some(before) = before {
            for command in commands(&serde_json::from_str(&before).unwrap()) {
                if !command.contains("action-claim-followthrough.js") {
                    assert!(after_commands.contains(&command), "{case}: lost {command}");
                }
            }
        }
        for binary in ["action-claim-followthrough", "action-claim-reminder"] {
            let ours = after_commands.iter().filter(|c| c.contains(binary)).count();
            assert_eq!(ours, 1, "{case}: exactly one {binary} hook");
        }
        assert!(after.ends_with("}\n"), "final newline");
    }
}

#[test]
fn a_second_run_changes_nothing_and_writes_no_backup() {
    for case in CASES {
        let p = Project::fixture(&format!("migrate/{case}/in"));
        p.migrate(&["--enable", "action-claim"]).run().code(0);
        let tree = p.tree();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let out = p.migrate(&["--enable", "action-claim"]).run().code(0);
        assert!(
            out.stdout.contains("Nothing to do"),
            "{case}: {}",
            out.stdout
        );
        assert_eq!(p.tree(), tree, "{case}: the second run wrote something");
        let json = p.migrate(&["--json"]).run().code(0);
        let report = ReportJson::parse(&json.stdout);
        assert!(
            report.steps.iter().all(|s| s["outcome"] != "upgraded"),
            "{case}: {report:#?}"
        );
        assert_eq!(report.changed_files, Vec::<String>::new(), "{case}");
    }
}

#[test]
fn an_instar_agent_is_upgraded_in_place_with_notes_and_a_backup() {
    let p = Project::fixture("migrate/instar-agent/in");
    let original_settings = fs::read(p.path().join(".claude/settings.json")).unwrap();
    let original_claude_md = fs::read(p.path().join("CLAUDE.md")).unwrap();
    let out = p
        .migrate(&["--json", "--enable", "action-claim"])
        .run()
        .code(0);
    settings_path_filters().bind(|| {
        insta::assert_snapshot!("migrate_instar_agent_report_json", out.stdout);
        insta::assert_snapshot!("migrate_instar_agent_claude_md_after", p.read("CLAUDE.md"));
        insta::assert_snapshot!(
            "migrate_instar_agent_config_after",
            p.read(".instar/config.json")
        );
    });
    ReportJson::parse(&out.stdout);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let deployed = steps(&report, "upgraded", "deployed");
    assert_eq!(deployed.len(), 2, "{report:#}");
    assert_eq!(
        deployed[0]["path"],
        ".instar/hooks/instar/action-claim-followthrough"
    );
    assert!(deployed[0]["bytes"].as_u64().unwrap() > 0);
    assert_eq!(
        steps(&report, "upgraded", "section-added")[0]["section"],
        "resume-queue host-lock section"
    );
    // instar's millisecond timeouts: noted on the settings file, left as they are.
    let timeouts = steps(&report, "note", "millisecond-timeout");
    assert_eq!(timeouts.len(), 15, "{report:#}");
    assert!(
        timeouts
            .iter()
            .all(|n| n["path"] == ".claude/settings.json"),
        "{report:#}"
    );
    assert!(
        timeouts.iter().any(|n| n["event"] == "Stop"
            && n["timeout"] == 5000.0
            && n["command"]
                .as_str()
                .unwrap()
                .contains("stop-gate-router.js")),
        "{report:#}"
    );
    // And the legacy node hook: replaced, as a typed change.
    let replaced = steps(&report, "upgraded", "registration");
    assert!(
        replaced.iter().any(|c| c["change"] == "replaced-node-hook"
            && c["binary"] == "action-claim-followthrough"
            && c["event"] == "Stop"),
        "{report:#}"
    );
    // The legacy node hook was replaced where it was; stop-gate-router stays first.
    let stop = &settings(&p)["hooks"]["Stop"];
    assert!(
        stop[0]["hooks"][0]["command"]
            .as_str()
            .unwrap()
            .contains("stop-gate-router")
    );
    assert_eq!(
        stop[4]["hooks"][0]["command"],
        "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"
    );
    // The run's backup holds exactly the bytes it replaced.
    let backup = p.path().join(report["backupDir"].as_str().unwrap());
    assert_eq!(
        fs::read(backup.join(".claude/settings.json")).unwrap(),
        original_settings
    );
    assert_eq!(
        fs::read(backup.join("CLAUDE.md")).unwrap(),
        original_claude_md
    );
    // instar's own sentinel bullet was recognised: only the host-lock section was added.
    let claude_md = p.read("CLAUDE.md");
    assert!(claude_md.starts_with(std::str::from_utf8(&original_claude_md).unwrap()));
    assert_eq!(
        claude_md
            .matches("Action-Claim Follow-Through Sentinel")
            .count(),
        1
    );
    assert_eq!(
        claude_md.matches("autoHealStaleHostLock").count(),
        2,
        "heading and body"
    );
    // The config kept every key, in order, and gained the top-level switch.
    let config: Value = serde_json::from_str(&p.read(".instar/config.json")).unwrap();
    let keys: Vec<&String> = config.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "projectName",
            "port",
            "authToken",
            "messaging",
            "enabledFrameworks",
            "monitoring",
            "actionClaim"
        ]
    );
    assert_eq!(config["actionClaim"]["enabled"], true);
}

#[test]
fn the_human_report_says_what_changed_and_how_to_roll_it_back() {
    let p = Project::fixture("migrate/instar-agent/in");
    let out = p.migrate(&["--enable", "action-claim"]).run().code(0);
    assert_eq!(out.stderr, "");
    settings_path_filters()
        .bind(|| insta::assert_snapshot!("migrate_instar_agent_report", out.stdout));
}

#[test]
fn malformed_settings_are_refused_and_nothing_is_written() {
    let broken = "{\n  \"hooks\": {\n    \"Stop\": [,]\n  }\n}\n";
    let p = Project::new().file(".claude/settings.json", broken);
    let tree = p.tree();
    let out = p.migrate(&[]).run().code(2);
    let json = p.migrate(&["--json"]).run().code(2);
    assert_eq!(p.tree(), tree, "byte-identical, and no other file written");
    let report = ReportJson::parse(&json.stdout);
    assert!(report.upgraded.is_empty() && report.changed_files.is_empty());
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        steps(&v, "error", "parse"),
        [&serde_json::json!({
            "outcome": "error",
            "path": ".claude/settings.json",
            "what": "parse",
            "message": "cannot parse `.claude/settings.json` at 3:14: expected value",
            "hint": "fix the JSON syntax at that position in .claude/settings.json (nothing was changed)",
        })]
    );
    let held = steps(&v, "note", "nothing-written");
    assert_eq!(held.len(), 1, "{v:#}");
    assert!(
        held[0]["planned"]
            .as_array()
            .unwrap()
            .contains(&Value::from("CLAUDE.md")),
        "{v:#}"
    );
    settings_path_filters().bind(|| {
        insta::assert_snapshot!("migrate_malformed_settings_report", out.stdout);
        insta::assert_snapshot!("migrate_malformed_settings_report_json", json.stdout);
    });
}

#[test]
fn unexpected_shapes_are_refused_and_nothing_is_written() {
    for (text, found) in [
        ("{\"hooks\": []}\n", "`hooks` is an array, not an object"),
        (
            "{\"hooks\": {\"Stop\": {}}}\n",
            "`hooks.Stop` is an object, not an array",
        ),
        ("null\n", "the top level is null"),
    ] {
        let p = Project::new().file(".claude/settings.json", text);
        let tree = p.tree();
        let out = p.migrate(&["--json"]).run().code(2);
        ReportJson::parse(&out.stdout);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        let errors = steps(&report, "error", "unsupported");
        assert_eq!(errors.len(), 1, "{report:#}");
        assert_eq!(errors[0]["path"], ".claude/settings.json");
        assert!(
            errors[0]["message"].as_str().unwrap().contains(found),
            "{errors:?}"
        );
        assert_eq!(
            errors[0]["hint"],
            "fix the file by hand; it was left exactly as it was"
        );
        assert_eq!(p.tree(), tree, "{text}");
    }
}

#[test]
fn a_malformed_config_is_refused_too() {
    let p = Project::new().file(".instar/config.json", "{\"port\": 40");
    let tree = p.tree();
    let out = p.migrate(&["--enable", "action-claim"]).run().code(2);
    assert!(
        out.stdout.contains("cannot parse `.instar/config.json`"),
        "{}",
        out.stdout
    );
    assert_eq!(p.tree(), tree);
}

#[test]
fn a_dry_run_writes_nothing_and_shows_a_diff() {
    let p = Project::fixture("migrate/user-hooks/in");
    let tree = p.tree();
    let out = p
        .migrate(&["--dry-run", "--enable", "action-claim"])
        .run()
        .code(0);
    assert_eq!(p.tree(), tree);
    assert!(
        out.stdout
            .contains("--- a/.claude/settings.json\n+++ b/.claude/settings.json\n")
    );
    assert!(out.stdout.contains("--- /dev/null\n+++ b/CLAUDE.md\n"));
    assert!(out.stdout.contains("+            \"command\": \"${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough\","));
    assert!(
        out.stdout.contains(
            "Binary file .instar/hooks/instar/action-claim-followthrough would be created"
        )
    );
    assert!(out.stdout.contains("(dry run: nothing was written)"));
    settings_path_filters()
        .bind(|| insta::assert_snapshot!("migrate_user_hooks_dry_run", out.stdout));
}

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
fn a_missing_hook_binary_is_named_with_how_to_build_it() {
    let p = Project::new();
    let lonely = p.root().join("bin");
    fs::create_dir_all(&lonely).unwrap();
    fs::copy(MIGRATE, lonely.join("instar-migrate")).unwrap();
    let tree = p.tree();
    let out = p
        .run(lonely.join("instar-migrate").to_str().unwrap())
        .run()
        .code(2);
    assert!(
        out.stdout
            .contains("cannot deploy action-claim-followthrough"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("scripts/build-release"),
        "{}",
        out.stdout
    );
    assert_eq!(p.tree(), tree);
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
fn usage_errors_and_help() {
    let p = Project::new();
    p.migrate(&["--enable", "nope"])
        .run()
        .code(2)
        .stderr_contains("invalid value 'nope' for '--enable <FEATURE>'")
        .stderr_contains("[possible values: action-claim]");
    p.migrate(&["--bogus"]).run().code(2);
    p.migrate(&["--enable", "action-claim", "--disable", "action-claim"])
        .run()
        .code(2)
        .stdout("")
        .stderr_contains("'--enable <FEATURE>' cannot be used with '--disable <FEATURE>'");
    p.migrate(&["--project-dir", "/nonexistent/x"])
        .run()
        .code(2)
        .stderr_contains("/nonexistent/x");
    let help = p.migrate(&["--help"]).run().code(0);
    assert!(help.stdout.contains("Rolling back:"));
    snapshot_settings!().bind(|| insta::assert_snapshot!("migrate_help", help.stdout));
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

#[test]
fn an_already_migrated_file_is_left_byte_for_byte() {
    let p = Project::fixture("migrate/already-migrated/in");
    let before = fs::read(p.path().join(".claude/settings.json")).unwrap();
    let out = p.migrate(&["--json"]).run().code(0);
    assert_eq!(
        fs::read(p.path().join(".claude/settings.json")).unwrap(),
        before
    );
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        !report["changedFiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == ".claude/settings.json")
    );
}

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

#[test]
fn errors_in_json_name_the_file() {
    let p = Project::new();
    let out = p
        .migrate(&["--json", "--project-dir", "/nonexistent/x"])
        .run()
        .code(2);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "error");
    assert_eq!(v["data"]["kind"], "io");
    assert_eq!(v["data"]["path"], "/nonexistent/x");
}
