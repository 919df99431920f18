//! `instar-hooks guards`: every posture state our two guards can be in, with the reason and the
//! fix on the row, and the one attention item.
//!
//! Every run gets `INSTAR_HOOKS_HOSTNAME` (so "this host" is fixed) and the fake `df` of
//! [`crate::resume_queue::df_path`] (so the disk verdict does not depend on the machine).

use crate::harness::Project;
use crate::resume_queue::df_path;
use crate::snapshot_settings;
use serde_json::Value;
use std::{
    fs,
    path::Path,
    time::{Duration, SystemTime},
};

const HOST: &str = "this-host";
const QUEUE: &str = "monitoring.resumeQueue.enabled";
const SENTINEL: &str = "actionClaim.enabled";

fn guards(p: &Project, code: i32) -> (String, Value) {
    let path = df_path(p, "0", false);
    let run = |args: &[&str]| {
        p.cli(args)
            .env("INSTAR_HOOKS_HOSTNAME", HOST)
            .env("PATH", &path)
            .run()
            .code(code)
            .stdout
    };
    let table = run(&["guards"]);
    let json = run(&["guards", "--json"]);
    (table, serde_json::from_str(&json).unwrap())
}

/// The row of the guard `key`.
fn row<'a>(json: &'a Value, key: &str) -> &'a Value {
    json["guards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}: {json}"))
}

fn state(json: &Value, key: &str) -> String {
    row(json, key)["effective"].as_str().unwrap().to_string()
}

fn reason<'a>(json: &'a Value, key: &str) -> &'a str {
    row(json, key)["reason"].as_str().unwrap()
}

fn snapshot(name: &str, table: &str, json: &Value) {
    let mut s = snapshot_settings!();
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

fn set_mtime(path: &Path, at: SystemTime) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(at).unwrap();
}

fn age(path: &Path, ago: Duration) {
    set_mtime(path, SystemTime::now() - ago);
}

/// An instar agent with the sentinel on, registered and deployed by the migrator.
fn migrated() -> Project {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    p
}

/// Claude Code wrote a session transcript for the project just now.
fn claude_code_ran(p: &Project) {
    let slug: String = fs::canonicalize(p.path())
        .unwrap()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let transcripts = p.root().join("home/.claude/projects").join(slug);
    fs::create_dir_all(&transcripts).unwrap();
    fs::write(transcripts.join("session.jsonl"), "{}\n").unwrap();
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
    assert_eq!(state(&json, SENTINEL), "on-confirmed");
    assert_eq!(state(&json, QUEUE), "on-dry-run");
    assert!(json["attention"].is_null());
    snapshot("healthy", &table, &json);
}

#[test]
fn a_running_server_owning_the_queue_is_healthy() {
    // This test process is alive; the lock is fresh and names this host: a server runs here.
    let p = migrated().file(
        ".instar/state/resume-queue.lock",
        format!(r#"{{"pid":{},"hostname":"{HOST}"}}"#, std::process::id()),
    );
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, QUEUE), "on-dry-run");
    assert_eq!(row(&json, QUEUE)["runtime"]["enabled"], true);
    let why = reason(&json, QUEUE);
    let owner = format!("pid {} on this host owns the queue", std::process::id());
    assert!(why.contains(&owner), "{why}");
    assert!(row(&json, QUEUE)["fix"].is_null());
    assert!(json["attention"].is_null());
}

#[test]
fn off_by_config() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}, "monitoring": {"resumeQueue": {"enabled": false}}}"#,
    );
    let (table, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "off");
    assert_eq!(row(&json, SENTINEL)["offClass"], "dark-default");
    assert_eq!(row(&json, QUEUE)["offClass"], "diverged-from-default");
    snapshot("off_by_config", &table, &json);
}

#[test]
fn a_sentinel_switched_off_is_off_whatever_its_last_run_says() {
    let p = migrated();
    // A store path that cannot be written: a directory where the store file should be.
    fs::create_dir_all(p.state().join("commitments.json")).unwrap();
    p.stop("Relaunching now.").run().silent_success();
    let p = p.file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "off");
    assert_eq!(reason(&json, SENTINEL), "actionClaim.enabled is off");
    assert!(json["attention"].is_null());
}

#[test]
fn enabled_but_unregistered_then_fixed_by_the_migrator() {
    let p = Project::enabled();
    let (table, json) = guards(&p, 1);
    // off-runtime-divergent, not missing: the facts are known (the settings file says the
    // hook is not there), and they say the sentinel is off at runtime while the config says
    // on. `missing` is for a server component that never reported at all.
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent");
    let attention = &json["attention"];
    assert_eq!(attention["title"], "Guard posture anomalies (1)");
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(fix.starts_with("instar-migrate --project-dir "), "{fix}");
    snapshot("enabled_unregistered", &table, &json);
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified");
}

#[test]
fn a_hook_registered_in_the_user_settings_is_registered() {
    let p = migrated();
    let project_settings = p.path().join(".claude/settings.json");
    let user_settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(user_settings.parent().unwrap()).unwrap();
    fs::rename(&project_settings, &user_settings).unwrap();
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");
}

#[test]
fn registration_dates_from_the_settings_file_even_at_the_epoch() {
    // A settings file unpacked with mtime 0 (a reproducible archive): registered at the epoch,
    // long before Claude Code ran here, and the hook never ran since.
    let p = migrated();
    set_mtime(
        &p.path().join(".claude/settings.json"),
        SystemTime::UNIX_EPOCH,
    );
    claude_code_ran(&p);
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "on-stale", "{json}");
    assert!(reason(&json, SENTINEL).contains("the hook has never run"));
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
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent");
    assert!(reason(&json, SENTINEL).contains("is missing"));
    snapshot("binary_missing", &table, &json);
}

/// The hook registered from outside the project (e.g. `~/.local/bin`, where `scripts/demo`
/// installs it): that file is the one judged, not the project's deployed copy.
#[test]
fn a_hook_registered_from_another_path_is_judged_by_that_file() {
    let p = migrated();
    let elsewhere = p.root().join("bin/action-claim-followthrough");
    fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    fs::rename(
        p.path()
            .join(".instar/hooks/instar/action-claim-followthrough"),
        &elsewhere,
    )
    .unwrap();
    let settings = p.path().join(".claude/settings.json");
    let text = fs::read_to_string(&settings).unwrap().replace(
        "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough",
        elsewhere.to_str().unwrap(),
    );
    fs::write(&settings, text).unwrap();
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");

    fs::remove_file(&elsewhere).unwrap();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    assert!(reason(&json, SENTINEL).contains("is missing"), "{json}");
}

/// Moves the Stop hook's group of a migrated project to UserPromptSubmit, where it gets the
/// wrong input and never runs on a Stop.
fn register_under_the_wrong_event(p: &Project) {
    let path = p.path().join(".claude/settings.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let stop = doc["hooks"]["Stop"].as_array_mut().unwrap().remove(0);
    doc["hooks"]["UserPromptSubmit"]
        .as_array_mut()
        .unwrap()
        .push(stop);
    fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

#[test]
fn a_stop_hook_registered_under_another_event_is_not_registered() {
    let p = migrated();
    register_under_the_wrong_event(&p);
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    let why = reason(&json, SENTINEL);
    assert!(
        why.contains("registers it for UserPromptSubmit instead, where it never runs on Stop"),
        "{why}"
    );
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(fix.starts_with("instar-migrate --project-dir "), "{fix}");
    // The fix works: instar-migrate moves it back to Stop.
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");
}

#[test]
fn a_stop_hook_under_another_event_in_the_users_settings_is_removed_by_hand() {
    let p = migrated();
    register_under_the_wrong_event(&p);
    let project_settings = p.path().join(".claude/settings.json");
    let user_settings = p.root().join("home/.claude/settings.json");
    fs::create_dir_all(user_settings.parent().unwrap()).unwrap();
    fs::rename(&project_settings, &user_settings).unwrap();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "off-runtime-divergent", "{json}");
    let fix = row(&json, SENTINEL)["fix"].as_str().unwrap();
    assert!(
        fix.starts_with(
            "remove `${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough` from hooks.UserPromptSubmit in "
        ) && fix.contains("by hand, then instar-migrate --project-dir "),
        "{fix}"
    );
}

#[test]
fn foreign_lock_disables_the_queue() {
    let p = migrated().file(
        ".instar/state/resume-queue.lock",
        r#"{"pid":4242,"hostname":"old-host"}"#,
    );
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, QUEUE), "off-runtime-divergent");
    let why = reason(&json, QUEUE);
    assert!(
        why.contains("belongs to host \"old-host\" (this host: \"this-host\")"),
        "{why}"
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
    let p = Project::new()
        .file(
            ".instar/config.json",
            r#"{"actionClaim": {"enabled": true}, "monitoring": {"resumeQueue": {"autoHealStaleHostLock": true, "dryRun": true}}}"#,
        )
        .file(".instar/state/resume-queue.lock", r#"{"pid":2147483000,"hostname":"old-host"}"#);
    p.migrate(&[]).run().code(0);
    age(
        &p.path().join(".instar/state/resume-queue.lock"),
        Duration::from_secs(6 * 60),
    );
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, QUEUE), "off-runtime-divergent");
    let why = reason(&json, QUEUE);
    assert!(why.contains("WOULD auto-heal"), "{why}");
    snapshot("would_auto_heal", &table, &json);
}

#[test]
fn errored_when_the_config_is_unreadable() {
    let p = migrated().file(".instar/config.json", "{\"actionClaim\": {\"enabled\": tru");
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "errored");
    assert_eq!(state(&json, QUEUE), "errored");
    snapshot("errored", &table, &json);
}

#[test]
fn config_values_that_fall_back_are_said_but_change_no_state() {
    let p = migrated().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": true, "perTopicCap": 0}, "port": 0,
            "monitoring": {"resumeQueue": {"dryRun": "yes"}}}"#,
    );
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, SENTINEL), "on-unverified", "{json}");
    assert!(reason(&json, SENTINEL).contains("perTopicCap"), "{json}");
    assert_eq!(state(&json, QUEUE), "on-dry-run", "{json}");
    let why = reason(&json, QUEUE);
    assert!(
        why.contains("monitoring.resumeQueue.dryRun should be true or false"),
        "{why}"
    );
}

#[test]
fn errored_when_the_last_run_failed() {
    let p = migrated();
    // A store path that cannot be written: a directory where the store file should be.
    fs::create_dir_all(p.state().join("commitments.json")).unwrap();
    p.stop("Relaunching now.").run().silent_success();
    let (_, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "errored");
    assert!(reason(&json, SENTINEL).contains("failed"));
}

#[test]
fn stale_when_claude_code_ran_and_the_hook_did_not() {
    let p = migrated();
    p.stop("All done.").run().silent_success();
    let last_run = p.state().join("status/action-claim-followthrough.last-run");
    age(&last_run, Duration::from_secs(3600));
    claude_code_ran(&p);
    let (table, json) = guards(&p, 1);
    assert_eq!(state(&json, SENTINEL), "on-stale");
    assert!(reason(&json, SENTINEL).contains("but the hook last ran at"));
    snapshot("stale", &table, &json);
}

#[test]
fn a_project_that_is_not_an_instar_agent_has_no_resume_queue() {
    let p = Project::new();
    let (_, json) = guards(&p, 0);
    assert_eq!(state(&json, QUEUE), "not-applicable");
    assert!(
        row(&json, QUEUE).get("runtimeReason").is_none(),
        "no runtime, and no runtime reason either: {json}"
    );
    assert_eq!(state(&json, SENTINEL), "off");
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
    assert_eq!(state(&json, SENTINEL), "on-unverified");
    assert_eq!(state(&json, QUEUE), "not-applicable");
}

#[test]
fn double_wiring_is_reported_with_the_fix() {
    let p = migrated();
    enable_plugin(&p);
    let (table, json) = guards(&p, 1);
    assert!(
        reason(&json, SENTINEL).starts_with("wired twice"),
        "{table}"
    );
    assert!(
        row(&json, SENTINEL)["fix"]
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

/// instar's next update re-adds its node Stop hook beside the native one: never silent.
#[test]
fn instars_node_hook_re_added_beside_the_native_one_raises_attention() {
    let p = migrated();
    let settings = p.path().join(".claude/settings.json");
    let mut doc: Value = serde_json::from_str(&fs::read_to_string(&settings).unwrap()).unwrap();
    // What instar's migrator pushes when no Stop command names action-claim-followthrough.js.
    doc["hooks"]["Stop"].as_array_mut().unwrap().push(serde_json::json!({
        "matcher": "",
        "hooks": [{"type": "command", "command": "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough.js", "timeout": 6000}]
    }));
    fs::write(&settings, doc.to_string()).unwrap();
    let (table, json) = guards(&p, 1);
    let why = reason(&json, SENTINEL);
    assert!(
        why.contains("instar's node hook") && why.contains("on every Stop"),
        "{why}"
    );
    assert!(
        row(&json, SENTINEL)["fix"]
            .as_str()
            .unwrap()
            .starts_with("instar-migrate --project-dir "),
        "{json}"
    );
    assert!(!json["attention"].is_null(), "{json}");
    snapshot("node_hook_re_added", &table, &json);
    // instar-migrate removes it again, and the posture is quiet.
    p.migrate(&[]).run().code(0);
    let (_, json) = guards(&p, 0);
    assert!(!reason(&json, SENTINEL).contains("node hook"), "{json}");
}
