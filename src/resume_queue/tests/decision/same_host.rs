//! The same-host path (live, fresh, stale, our own pid), what counts as "same host", the
//! literal-`null` lock, no lock, and a disabled config.

use serde_json::json;

use super::{
    super::{SELF_PID, ago, cfg, fill, now},
    CATCH, FOREIGN_LOCK, LIVE, LOCK_PATH, NOTHING, SAME_LOCK, World, fresh, run,
};
use crate::resume_queue::{
    decision::{Failure, Verdict},
    lockfile::NULL_LOCK_ERROR,
};

#[test]
fn same_host_live_fresh_and_stale() {
    let c = cfg(true, false, false);
    // Live: pid alive and heartbeat fresh.
    let (d, calls) = run(
        Some(SAME_LOCK),
        &c,
        World {
            mtime: fresh(),
            fs: None,
            alive: Some(true),
        },
    );
    assert_eq!(calls, ["stat", "pid 4242"]);
    assert_eq!(d.verdict, Verdict::LiveOther { pid: 4242 });
    assert_eq!(
        d.reason().unwrap(),
        fill(LIVE, &[("pid", "4242"), ("lockPath", LOCK_PATH)])
    );
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(None)),
        json!({"otherPid": 4242})
    );
    // Alive but silent for 10 minutes: reclaimed (T-RQ #2).
    let (d, _) = run(
        Some(SAME_LOCK),
        &c,
        World {
            mtime: Some(Some(ago(now(), 600))),
            fs: None,
            alive: Some(true),
        },
    );
    assert_eq!(
        d.verdict,
        Verdict::Reclaim {
            heartbeat_fresh: false
        }
    );
    assert!(d.will_start() && d.reason().is_none());
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(Some(true))),
        json!({"priorPid": 4242, "heartbeatFresh": false, "took": true})
    );
    // Dead pid, fresh heartbeat: reclaimed (T-RQ #1).
    let (d, _) = run(
        Some(SAME_LOCK),
        &c,
        World {
            mtime: fresh(),
            fs: None,
            alive: Some(false),
        },
    );
    assert_eq!(
        d.verdict,
        Verdict::Reclaim {
            heartbeat_fresh: true
        }
    );
    // Exactly 300000 ms is no longer fresh on the same host.
    let at_window = Some(Some(now() - crate::resume_queue::HEARTBEAT_WINDOW));
    let (d, _) = run(
        Some(SAME_LOCK),
        &c,
        World {
            mtime: at_window,
            fs: None,
            alive: Some(true),
        },
    );
    assert_eq!(
        d.verdict,
        Verdict::Reclaim {
            heartbeat_fresh: false
        }
    );
    // Our own pid is never "another live process", and is not probed.
    let own = format!(r#"{{"pid":{SELF_PID},"hostname":"current-host"}}"#);
    let (d, calls) = run(
        Some(&own),
        &c,
        World {
            mtime: fresh(),
            fs: None,
            alive: None,
        },
    );
    assert_eq!(
        (d.verdict, calls),
        (
            Verdict::Reclaim {
                heartbeat_fresh: true
            },
            vec!["stat".to_string()]
        )
    );
    // Unreadable mtime with a live pid: fail closed (upstream reclaimed over the live pid).
    let (d, _) = run(
        Some(SAME_LOCK),
        &c,
        World {
            mtime: Some(None),
            fs: None,
            alive: Some(true),
        },
    );
    assert_eq!(d.verdict, Verdict::LiveOther { pid: 4242 });
}

#[test]
fn same_host_means_empty_missing_or_equal_hostname_and_unparsable_is_empty() {
    let c = cfg(true, false, false);
    for lock in [
        "",
        "{",
        "not json",
        "[]",
        "42",
        "\"x\"",
        "{}",
        r#"{"pid":4242}"#,
        r#"{"pid":4242,"hostname":""}"#,
        r#"{"pid":4242,"hostname":null}"#,
        r#"{"pid":4242,"hostname":false}"#,
        SAME_LOCK,
    ] {
        let (d, _) = run(
            Some(lock),
            &c,
            World {
                mtime: fresh(),
                fs: None,
                alive: Some(false),
            },
        );
        assert!(
            matches!(d.verdict, Verdict::Reclaim { .. }),
            "{lock}: {:?}",
            d.verdict
        );
    }
    // A truthy non-string hostname is a foreign host, as in JavaScript.
    let (d, _) = run(Some(r#"{"pid":1,"hostname":5}"#), &c, NOTHING);
    assert_eq!(d.lock_host.as_deref(), Some("5"));
    assert!(matches!(d.verdict, Verdict::Foreign { .. }));
}

#[test]
fn a_literal_null_lock_fails_closed_with_a_reason() {
    let (d, calls) = run(Some("null"), &cfg(true, false, true), NOTHING);
    assert!(calls.is_empty());
    assert_eq!(
        d.verdict,
        Verdict::Failed {
            error: NULL_LOCK_ERROR.into(),
            cause: Failure::BadLock
        }
    );
    assert_eq!(
        d.reason().unwrap(),
        fill(CATCH, &[("err.message", NULL_LOCK_ERROR)])
    );
    assert_eq!(d.event(), Some("lock-acquire-error"));
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(None)),
        json!({"error": NULL_LOCK_ERROR})
    );
}

#[test]
fn no_lock_starts_and_a_disabled_config_decides_nothing() {
    let (d, calls) = run(None, &cfg(true, true, false), NOTHING);
    assert!(calls.is_empty() && d.verdict == Verdict::Create && d.will_start());
    let (d, calls) = run(Some(FOREIGN_LOCK), &cfg(false, true, true), NOTHING);
    assert!(calls.is_empty() && d.verdict == Verdict::Off && d.event().is_none());
}
