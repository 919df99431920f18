use crate::harness::{Project, STOP_HOOK};
use crate::snapshot_settings;
use serde_json::Value;
use std::{
    fs,
    path::Path,
    time::{Duration, SystemTime},
};

const HOST: &str = "this-host";

fn guards(p: &Project, code: i32) -> (String, Value) {
    let table = p
        .cli(&["guards"])
        .env("INSTAR_HOOKS_HOSTNAME", HOST)
        .run()
        .code(code)
        .stdout;
    let json = p
        .cli(&["guards", "--json"])
        .env("INSTAR_HOOKS_HOSTNAME", HOST)
        .run()
        .code(code)
        .stdout;
    (table, serde_json::from_str(&json).unwrap())
}

fn state(v: &Value, key: &str) -> String {
    v["guards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .map(|r| r["effective"].as_str().unwrap().to_string())
        .unwrap()
}

fn snapshot(name: &str, table: &str, json: &Value) {
    let mut s = snapshot_settings!();
    s.add_filter(r"/[^\s'`]*/project", "[PROJECT]");
    s.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", "[TIME]");
    s.add_filter(r#""tickAgeMs": \d+"#, r#""tickAgeMs": [AGE]"#);
    s.add_filter(r"\(pid \d+\)", "(pid [PID])");
    s.bind(|| {
        insta::assert_snapshot!(format!("guards_{name}_table"), table);
        insta::assert_snapshot!(
            format!("guards_{name}_json"),
            serde_json::to_string_pretty(json).unwrap()
        );
    });
}

fn set_mtime(path: &Path, ago: Duration) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() - ago).unwrap();
}

fn migrated() -> Project {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": true}}"#,
    );
    p.migrate(&[]).run().code(0);
    p
}

#[test]
fn healthy() {
    let p = migrated();
    p.run(
        &p.path()
            .join(".instar/hooks/instar/action-claim-followthrough")
            .display()
            .to_string(),
    )
    .stdin(r#"{"session_id": "s", "last_assistant_message": "All done."}"#)
    .run()
    .silent_success();
    let (table, json) = guards(&p, 0);
    assert_eq!(state(&json, "actionClaim.enabled"), "on-confirmed");
    assert_eq!(state(&json, "monitoring.resumeQueue.enabled"), "on-dry-run");
    assert!(json["attention"].is_null());
    snapshot("healthy", &table, &json);
}

#[test]
fn off_by_config() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}, "monitoring": {"resumeQueue": {"enabled": false}}}"#,
    );
    let (table, json) = guards(&p, 0);
    assert_eq!(state(&json, "actionClaim.enabled"), "off");
    assert_eq!(json["guards"][1]["offClass"], "dark-default");
    assert_eq!(json["guards"][0]["offClass"], "diverged-from-default");
    snapshot("off_by_config", &table, &json);
}

#[test]
fn enabled_but_unregistered_then_fixed_by_the_migrator() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": true}}"#,
    );
    let (table, json) = guards(&p, 1);
    // off-runtime-divergent, not missing: the facts are known (the settings file says the
    // hook is not there), and they say the sentinel is off at runtime while the config says
    // on. `missing` is for a server component that never reported at all.
    assert_eq!(state(&json, "actionClaim.enabled"), "off-runtime-divergent");
    let attention = &json["attention"];
    assert_eq!(attention["title"], "Guard posture anomalies (1)");
    let fix = json["guards"][1]["fix"].as_str().unwrap();
    assert!(fix.starts_with("instar-migrate --project-dir "), "{fix}");
    snapshot("enabled_unregistered", &table, &json);
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, "actionClaim.enabled"), "on-unverified");
}

#[test]
fn registered_but_binary_missing() {
    let p = migrated();
    fs::remove_file(
        p.path()
            .join(".instar/hooks/instar/action-claim-followthrough"),
    )
    .unwrap();
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, "actionClaim.enabled"), "off-runtime-divergent");
    assert!(
        json["guards"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("is missing")
    );
    snapshot("binary_missing", &table, &json);
}

#[test]
fn foreign_lock_disables_the_queue() {
    let p = migrated().file(
        ".instar/state/resume-queue.lock",
        r#"{"pid":4242,"hostname":"old-host"}"#,
    );
    let (table, json) = guards(&p, 1);
    assert_eq!(
        state(&json, "monitoring.resumeQueue.enabled"),
        "off-runtime-divergent"
    );
    let reason = json["guards"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("belongs to host \"old-host\" (this host: \"this-host\")"),
        "{reason}"
    );
    assert!(
        json["attention"]["summary"]
            .as_str()
            .unwrap()
            .contains("[local] monitoring.resumeQueue.enabled: off-runtime-divergent")
    );
    snapshot("foreign_lock", &table, &json);
}

#[test]
fn would_auto_heal_in_dry_run() {
    // On a real disk (the build directory), so `df` can prove it local.
    let p = Project::new_in(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .file(
            ".instar/config.json",
            r#"{"actionClaim": {"enabled": true}, "monitoring": {"resumeQueue": {"autoHealStaleHostLock": true, "dryRun": true}}}"#,
        )
        .file(".instar/state/resume-queue.lock", r#"{"pid":999999,"hostname":"old-host"}"#);
    p.migrate(&[]).run().code(0);
    set_mtime(
        &p.path().join(".instar/state/resume-queue.lock"),
        Duration::from_secs(6 * 60),
    );
    let (table, json) = guards(&p, 1);
    assert_eq!(
        state(&json, "monitoring.resumeQueue.enabled"),
        "off-runtime-divergent"
    );
    let reason = json["guards"][0]["reason"].as_str().unwrap();
    if reason.contains("fsLocal=false") {
        eprintln!(
            "NOTE: the build directory is not on a local block device here; the heal is declined, as it must be: {reason}"
        );
        return;
    }
    assert!(reason.contains("WOULD auto-heal"), "{reason}");
    snapshot("would_auto_heal", &table, &json);
}

#[test]
fn errored_when_the_config_is_unreadable() {
    let p = migrated().file(".instar/config.json", "{\"actionClaim\": {\"enabled\": tru");
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, "actionClaim.enabled"), "errored");
    assert_eq!(state(&json, "monitoring.resumeQueue.enabled"), "errored");
    snapshot("errored", &table, &json);
}

#[test]
fn errored_when_the_last_run_failed() {
    let p = migrated();
    // A store path that cannot be written: a directory where the store file should be.
    fs::create_dir_all(p.state().join("commitments.json")).unwrap();
    p.run(STOP_HOOK)
        .stdin(r#"{"session_id": "s", "last_assistant_message": "Relaunching now."}"#)
        .run()
        .silent_success();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, "actionClaim.enabled"), "errored");
    assert!(
        json["guards"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("failed")
    );
}

#[test]
fn stale_when_claude_code_ran_and_the_hook_did_not() {
    let p = migrated();
    p.run(STOP_HOOK)
        .stdin(r#"{"session_id": "s", "last_assistant_message": "All done."}"#)
        .run()
        .silent_success();
    let last_run = p.state().join("status/action-claim-followthrough.last-run");
    set_mtime(&last_run, Duration::from_secs(3600));
    let slug: String = fs::canonicalize(p.path())
        .unwrap()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let transcripts = p.root().join("home/.claude/projects").join(slug);
    fs::create_dir_all(&transcripts).unwrap();
    fs::write(transcripts.join("session.jsonl"), "{}\n").unwrap();
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, "actionClaim.enabled"), "on-stale");
    assert!(
        json["guards"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("but the hook last ran at")
    );
    snapshot("stale", &table, &json);
}

#[test]
fn a_project_that_is_not_an_instar_agent_has_no_resume_queue() {
    let p = Project::new();
    let (_, json) = guards(&p, 0);
    assert_eq!(
        state(&json, "monitoring.resumeQueue.enabled"),
        "not-applicable"
    );
    assert_eq!(state(&json, "actionClaim.enabled"), "off");
}

/// Claude Code's user settings with the plugin enabled, as `claude plugin install` writes.
fn enable_plugin(p: &Project) {
    let settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(settings.parent().unwrap()).unwrap();
    fs::write(
        settings,
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
    )
    .unwrap();
}

#[test]
fn a_plugin_user_has_the_sentinel_on_without_any_config() {
    let p = Project::new();
    enable_plugin(&p);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, "actionClaim.enabled"), "on-unverified");
    assert_eq!(
        state(&json, "monitoring.resumeQueue.enabled"),
        "not-applicable"
    );
}

#[test]
fn double_wiring_is_reported_with_the_fix() {
    let p = migrated();
    enable_plugin(&p);
    let (table, json) = guards(&p, 1);
    let row = &json["guards"][1];
    assert!(
        row["reason"].as_str().unwrap().starts_with("wired twice"),
        "{table}"
    );
    assert!(
        row["fix"]
            .as_str()
            .unwrap()
            .contains("claude plugin disable"),
        "{table}"
    );
    assert!(
        json["attention"]["summary"]
            .as_str()
            .unwrap()
            .contains("wired twice")
    );
}
