//! The resume queue and its host lock: a running server on this host owning it, another
//! host's lock disabling it, a stale lock it would auto-heal in dry run, and no queue outside
//! an instar agent.

use super::{HOST, QUEUE, SENTINEL, age, guards, migrated, reason, row, snapshot, state};
use crate::harness::Project;
use std::time::Duration;

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
