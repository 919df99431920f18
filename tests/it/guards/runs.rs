//! The sentinel by its last run: confirmed once the hook has run (the healthy posture), stale
//! when Claude Code ran here and the hook did not (a settings file dated at the epoch too),
//! errored when its last run failed, and off whatever its last run says once switched off.

use super::{QUEUE, SENTINEL, age, guards, migrated, reason, set_mtime, snapshot, state};
use crate::harness::Project;
use std::{
    fs,
    time::{Duration, SystemTime},
};

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
