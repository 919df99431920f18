//! Both guards as the config says: off by config, errored when the config cannot be read, and
//! values that fall back said on the row without changing its state.

use super::{QUEUE, SENTINEL, guards, migrated, reason, row, snapshot, state};
use crate::harness::Project;

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
