//! The pure decision: every branch, the probing contract, reason text and audit rows.

mod same_host;

use serde_json::json;
use std::{cell::RefCell, path::Path, time::SystemTime};

use super::{HOST, OLD_HOST, SELF_PID, ago, cfg, fill, local, now, remote};
use crate::resume_queue::{
    FsVerdict, QueueConfig,
    decision::{Decision, FnProbes, Inputs, Verdict, decide},
    lockfile::LockContents,
};

pub(super) const LOCK_PATH: &str = "/p/.instar/state/resume-queue.lock";

// SPEC Part B §1.4–§1.6, pasted verbatim.
pub(super) const LIVE: &str = "resume-queue disabled: another live process (pid ${pid}) holds ${lockPath} with a fresh heartbeat. Only one queue owner per machine is supported.";
const FOREIGN: &str = "resume-queue disabled: lock at ${lockPath} belongs to host \"${lock.hostname}\" (this host: \"${hostname}\"). The queue's state dir must be host-local; shared volumes are unsupported. ${declined}Recovery: after verifying nothing else uses this state dir (host renamed, or restored from a backup), delete state/resume-queue.lock and restart.";
const DECLINED: &str = "Auto-heal declined (fsLocal=${fsLocal}, pidDead=${pidDead}, heartbeatStale=${foreignHeartbeatStale}). ";
const WOULD: &str = "resume-queue disabled (dryRun): WOULD auto-heal stale rename lock from \"${lock.hostname}\" → \"${hostname}\" (fsLocal, pid dead, heartbeat stale). Set dryRun:false to enable the self-heal.";
const LOST: &str = "resume-queue disabled: lost the atomic takeover race healing a rename lock from \"${lock.hostname}\". Re-evaluates next start.";
pub(super) const CATCH: &str = "resume-queue disabled: lock acquisition raised: ${err.message}";

/// The world a decision may probe: `None` answers panic when asked (so a test states exactly
/// which probes may run). Returns the decision and the probes called, in order.
pub(super) struct World {
    pub mtime: Option<Option<SystemTime>>,
    pub fs: Option<FsVerdict>,
    pub alive: Option<bool>,
}

pub(super) const NOTHING: World = World {
    mtime: None,
    fs: None,
    alive: None,
};

pub(super) fn run(
    lock: Option<&str>,
    config: &QueueConfig,
    world: World,
) -> (Decision, Vec<String>) {
    let calls = RefCell::new(Vec::new());
    let contents = lock.map(|s| LockContents::parse(s.as_bytes()));
    let mut probes = FnProbes {
        mtime: || {
            calls.borrow_mut().push("stat".to_string());
            world.mtime.expect("HARD INVARIANT: the lock was stat'ed")
        },
        fs: || {
            calls.borrow_mut().push("df".to_string());
            world.fs.clone().expect("HARD INVARIANT: df was run")
        },
        pid: |pid| {
            calls.borrow_mut().push(format!("pid {pid}"));
            world.alive.expect("HARD INVARIANT: the pid was probed")
        },
    };
    let inputs = Inputs {
        lock_path: Path::new(LOCK_PATH),
        lock: Ok(contents.as_ref()),
        this_host: HOST,
        self_pid: SELF_PID,
        config,
        now: now(),
    };
    let d = decide(&inputs, &mut probes);
    (d, calls.into_inner())
}

pub(super) const FOREIGN_LOCK: &str = r#"{"pid":4242,"hostname":"old-host-name"}"#;
pub(super) const SAME_LOCK: &str = r#"{"pid":4242,"hostname":"current-host"}"#;

fn stale() -> Option<Option<SystemTime>> {
    Some(Some(ago(now(), 360)))
}
pub(super) fn fresh() -> Option<Option<SystemTime>> {
    Some(Some(ago(now(), 30)))
}

#[test]
fn hard_invariant_a_foreign_lock_with_auto_heal_off_is_never_probed() {
    // Every probe panics when called (NOTHING); both dry-run settings, stale-looking or not.
    for dry_run in [true, false] {
        for lock in [
            FOREIGN_LOCK,
            r#"{"pid":1,"hostname":"some-other-machine"}"#,
            r#"{"hostname":"x"}"#,
        ] {
            let (d, calls) = run(Some(lock), &cfg(true, dry_run, false), NOTHING);
            assert!(calls.is_empty(), "{calls:?}");
            assert_eq!(
                d.verdict,
                Verdict::Foreign {
                    auto_heal: false,
                    fs_local: false,
                    pid_dead: false,
                    stale: false
                }
            );
            let reason = d.reason().unwrap();
            assert!(
                reason.contains("delete state/resume-queue.lock"),
                "{reason}"
            );
        }
    }
    // The code defaults of a fleet agent (no keys, not a development agent) are auto-heal off.
    let fleet = QueueConfig::resolve(Some(&json!({})));
    let (d, calls) = run(Some(FOREIGN_LOCK), &fleet, NOTHING);
    assert!(calls.is_empty() && !d.will_start());
}

#[test]
fn with_auto_heal_on_the_pid_is_probed_only_after_the_filesystem_is_proven_local() {
    let on = cfg(true, false, true);
    // Not local: the pid probe panics if reached.
    let (d, calls) = run(
        Some(FOREIGN_LOCK),
        &on,
        World {
            mtime: stale(),
            fs: Some(remote()),
            alive: None,
        },
    );
    assert_eq!(calls, ["stat", "df"]);
    assert_eq!(
        d.verdict,
        Verdict::Foreign {
            auto_heal: true,
            fs_local: false,
            pid_dead: false,
            stale: true
        }
    );
    assert_eq!(d.facts.pid_alive, None);
    // Local: heartbeat, then df, then the pid.
    let (d, calls) = run(
        Some(FOREIGN_LOCK),
        &on,
        World {
            mtime: stale(),
            fs: Some(local()),
            alive: Some(false),
        },
    );
    assert_eq!(calls, ["stat", "df", "pid 4242"]);
    assert_eq!(d.verdict, Verdict::AutoHeal);
}

#[test]
fn each_auto_heal_precondition_on_both_sides() {
    let on = cfg(true, false, true);
    for stale_hb in [true, false] {
        for fs_local in [true, false] {
            for alive in [true, false] {
                let world = World {
                    mtime: if stale_hb { stale() } else { fresh() },
                    fs: Some(if fs_local { local() } else { remote() }),
                    alive: fs_local.then_some(alive),
                };
                let (d, _) = run(Some(FOREIGN_LOCK), &on, world);
                let pid_dead = fs_local && !alive;
                let expected = if stale_hb && fs_local && pid_dead {
                    Verdict::AutoHeal
                } else {
                    Verdict::Foreign {
                        auto_heal: true,
                        fs_local,
                        pid_dead,
                        stale: stale_hb,
                    }
                };
                assert_eq!(
                    d.verdict, expected,
                    "stale={stale_hb} local={fs_local} alive={alive}"
                );
                if let Verdict::Foreign { .. } = d.verdict {
                    let declined = fill(
                        DECLINED,
                        &[
                            ("fsLocal", &fs_local.to_string()),
                            ("pidDead", &pid_dead.to_string()),
                            ("foreignHeartbeatStale", &stale_hb.to_string()),
                        ],
                    );
                    let want = fill(
                        FOREIGN,
                        &[
                            ("lockPath", LOCK_PATH),
                            ("lock.hostname", OLD_HOST),
                            ("hostname", HOST),
                            ("declined", &declined),
                        ],
                    );
                    assert_eq!(d.reason().unwrap(), want);
                }
            }
        }
    }
}

#[test]
fn heartbeat_boundaries_and_odd_pids() {
    let on = cfg(true, false, true);
    let at = |secs_ms: u64| Some(Some(now() - std::time::Duration::from_millis(secs_ms)));
    let w = |mtime| World {
        mtime,
        fs: Some(local()),
        alive: Some(false),
    };
    // Foreign: stale at >= 300000 ms.
    assert_eq!(
        run(Some(FOREIGN_LOCK), &on, w(at(300_000))).0.verdict,
        Verdict::AutoHeal
    );
    assert!(matches!(
        run(Some(FOREIGN_LOCK), &on, w(at(299_999))).0.verdict,
        Verdict::Foreign { stale: false, .. }
    ));
    // An unreadable mtime is never stale (upstream: 0, i.e. stale).
    assert!(matches!(
        run(Some(FOREIGN_LOCK), &on, w(Some(None))).0.verdict,
        Verdict::Foreign { stale: false, .. }
    ));
    // No pid, or one that is not a process id, counts as dead without probing.
    for lock in [
        r#"{"hostname":"old-host-name"}"#,
        r#"{"pid":"12","hostname":"old-host-name"}"#,
        r#"{"pid":0,"hostname":"old-host-name"}"#,
        r#"{"pid":-1,"hostname":"old-host-name"}"#,
        r#"{"pid":1.5,"hostname":"old-host-name"}"#,
    ] {
        let (d, calls) = run(
            Some(lock),
            &on,
            World {
                mtime: stale(),
                fs: Some(local()),
                alive: None,
            },
        );
        assert_eq!(
            (d.verdict, calls),
            (Verdict::AutoHeal, vec!["stat".into(), "df".into()]),
            "{lock}"
        );
    }
}

#[test]
fn dry_run_would_auto_heal_and_stays_disabled() {
    let (d, _) = run(
        Some(FOREIGN_LOCK),
        &cfg(true, true, true),
        World {
            mtime: stale(),
            fs: Some(local()),
            alive: Some(false),
        },
    );
    assert_eq!(d.verdict, Verdict::WouldAutoHeal);
    assert!(!d.will_start());
    let vars = [("lock.hostname", OLD_HOST), ("hostname", HOST)];
    assert_eq!(d.reason().unwrap(), fill(WOULD, &vars));
    assert_eq!(d.event(), Some("lock-foreign-host-would-autoheal"));
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(None)),
        json!({"lockHost": OLD_HOST, "thisHost": HOST, "fsLocal": true, "pidDead": true, "foreignHeartbeatStale": true})
    );
    // Dry run with a failed precondition is the ordinary declined disable.
    let (d, _) = run(
        Some(FOREIGN_LOCK),
        &cfg(true, true, true),
        World {
            mtime: fresh(),
            fs: Some(local()),
            alive: Some(false),
        },
    );
    assert!(matches!(
        d.verdict,
        Verdict::Foreign {
            auto_heal: true,
            stale: false,
            ..
        }
    ));
}

#[test]
fn foreign_audit_rows_and_lost_race_text() {
    let (d, _) = run(Some(FOREIGN_LOCK), &cfg(true, true, false), NOTHING);
    assert_eq!(d.event(), Some("lock-foreign-host"));
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(None)),
        json!({"lockHost": OLD_HOST, "thisHost": HOST, "autoHeal": false, "fsLocal": false, "pidDead": false, "foreignHeartbeatStale": false})
    );
    assert_eq!(
        d.reason().unwrap(),
        fill(
            FOREIGN,
            &[
                ("lockPath", LOCK_PATH),
                ("lock.hostname", OLD_HOST),
                ("hostname", HOST),
                ("declined", "")
            ]
        )
    );
    let (d, _) = run(
        Some(FOREIGN_LOCK),
        &cfg(true, false, true),
        World {
            mtime: stale(),
            fs: Some(local()),
            alive: Some(false),
        },
    );
    assert_eq!(d.event(), Some("lock-foreign-host-autohealed"));
    assert_eq!(
        serde_json::Value::Object(d.audit_fields(Some(false))),
        json!({"lockHost": OLD_HOST, "thisHost": HOST, "took": false})
    );
    assert_eq!(
        d.lost_race_reason(),
        fill(LOST, &[("lock.hostname", OLD_HOST)])
    );
}
