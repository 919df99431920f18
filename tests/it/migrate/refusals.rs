//! What the migrator refuses, writing nothing: malformed or unexpected settings, a malformed
//! config, a hook binary it cannot find; usage errors and `--help`; errors in `--json`.

use super::{ReportJson, settings_path_filters, steps};
use crate::harness::{MIGRATE, Project};
use crate::snapshot_settings;
use serde_json::Value;
use std::fs;

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
