//! The fixture projects (`tests/fixtures/migrate/`): each migrates to its snapshot and keeps
//! every user hook, a second run changes nothing, an already-migrated file is left byte for
//! byte, the instar agent is upgraded in place (its report, notes and backup), and a dry run
//! writes nothing and shows its diff.

use super::{CASES, ReportJson, commands, settings, settings_path_filters, steps};
use crate::harness::Project;
use crate::snapshot_settings;
use serde_json::Value;
use std::fs;

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
