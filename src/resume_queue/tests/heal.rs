//! The operator's heal: preconditions on both sides, dry run, force, the lost race, and what
//! the next server start makes of a healed lock.

use serde_json::json;
use std::fs;

use super::{Fixture, HOST, OLD_HOST, SELF_PID, cfg, local, remote, rows, system, untouchable};
use crate::resume_queue::{
    System, acquire,
    audit::MemoryAudit,
    heal::{HealOptions, HealResult, heal},
};

const STALE_FOREIGN: &str = r#"{"pid":99999,"hostname":"old-host-name"}"#;
const HEAL: HealOptions = HealOptions {
    dry_run: false,
    force: false,
};
const DRY: HealOptions = HealOptions {
    dry_run: true,
    force: false,
};
const FORCE: HealOptions = HealOptions {
    dry_run: false,
    force: true,
};

#[test]
fn heals_a_rename_lock_into_one_the_next_start_reclaims() {
    let f = Fixture::new();
    f.lock(STALE_FOREIGN, 600);
    let old_mtime = f.mtime();
    let (mut sys, calls) = system(HOST, Some(local()), |_| false);
    let mut a = MemoryAudit::default();
    let r = heal(&f.paths, HEAL, &mut sys, &mut a).unwrap();
    assert_eq!(r.result, HealResult::Healed, "{r:?}");
    assert_eq!(*calls.borrow(), ["df", "pid 99999"]);
    // This host, the old (dead) pid, the old (stale) heartbeat.
    assert_eq!(
        f.lock_bytes().unwrap(),
        r#"{"pid":99999,"hostname":"current-host"}"#
    );
    assert_eq!(f.mtime(), old_mtime);
    assert_eq!(
        rows(&a),
        [
            json!({"event": "lock-foreign-host-autohealed", "lockHost": OLD_HOST, "thisHost": HOST, "took": true, "source": "cli"})
        ]
    );
    // The next server start, fleet defaults (auto-heal off), even if pid 99999 has been
    // reused by then: a same-host lock with a stale heartbeat, reclaimed.
    let (mut server, _) = system(HOST, None, |_| true);
    let start = acquire(&f.paths, &cfg(true, true, false), &mut server, &mut a);
    assert!(start.owns(), "{start:?}");
    assert_eq!(
        rows(&a)[1],
        json!({"event": "lock-stale-reclaimed", "priorPid": 99999, "heartbeatFresh": false, "took": true})
    );
    assert_eq!(
        f.lock_bytes().unwrap(),
        format!(r#"{{"pid":{SELF_PID},"hostname":"current-host"}}"#)
    );
}

#[test]
fn dry_run_probes_the_same_and_writes_nothing() {
    let f = Fixture::new();
    f.lock(STALE_FOREIGN, 600);
    let (mut sys, _) = system(HOST, Some(local()), |_| false);
    let mut a = MemoryAudit::default();
    let r = heal(&f.paths, DRY, &mut sys, &mut a).unwrap();
    assert_eq!(r.result, HealResult::WouldHeal);
    assert!(r.changed());
    assert_eq!(f.lock_bytes().unwrap(), STALE_FOREIGN);
    assert!(a.rows.is_empty());
    assert!(!f.paths.audit.exists());
}

/// Runs a heal that must refuse, checks nothing changed, and returns the failed codes.
fn refused(f: &Fixture, mut sys: System<'static>, opts: HealOptions) -> Vec<&'static str> {
    let before = f.lock_bytes();
    let mut a = MemoryAudit::default();
    let r = heal(&f.paths, opts, &mut sys, &mut a).unwrap();
    assert_eq!(r.result, HealResult::Refused, "{r:?}");
    assert!(!r.changed());
    assert_eq!(f.lock_bytes(), before);
    let codes: Vec<&str> = r.failed.iter().map(|f| f.code).collect();
    assert_eq!(rows(&a)[0]["event"], "lock-heal-refused");
    assert_eq!(rows(&a)[0]["why"], json!(codes));
    assert_eq!(rows(&a)[0]["source"], "cli");
    codes
}

#[test]
fn each_precondition_refuses_and_says_which() {
    let f = Fixture::new();
    // Fresh heartbeat (and everything else fine).
    f.lock(STALE_FOREIGN, 60);
    assert_eq!(
        refused(&f, system(HOST, Some(local()), |_| false).0, HEAL),
        ["heartbeat-fresh"]
    );
    // Not a local disk: the pid is not probed (the pid probe panics).
    f.lock(STALE_FOREIGN, 600);
    let sys = System {
        pid_probe: Box::new(|_| panic!("pid probed on a non-local disk")),
        ..system(HOST, Some(remote()), |_| false).0
    };
    assert_eq!(refused(&f, sys, HEAL), ["not-local"]);
    // The pid is alive here.
    assert_eq!(
        refused(&f, system(HOST, Some(local()), |_| true).0, HEAL),
        ["pid-alive"]
    );
    // All three at once.
    f.lock(STALE_FOREIGN, 10);
    assert_eq!(
        refused(&f, system(HOST, Some(remote()), |_| true).0, HEAL),
        ["heartbeat-fresh", "not-local"]
    );
    // Not foreign, no lock, a null lock: refused before any probe.
    for (lock, code) in [
        (
            Some(r#"{"pid":5,"hostname":"current-host"}"#),
            "not-foreign",
        ),
        (Some("{}"), "not-foreign"),
        (Some("null"), "null-lock"),
        (None, "no-lock"),
    ] {
        match lock {
            Some(l) => f.lock(l, 600),
            None => fs::remove_file(&f.paths.lock).unwrap(),
        }
        assert_eq!(refused(&f, untouchable(HOST), HEAL), [code]);
    }
}

#[test]
fn a_refused_dry_run_writes_no_audit_row() {
    let f = Fixture::new();
    f.lock(STALE_FOREIGN, 60);
    let mut a = MemoryAudit::default();
    let r = heal(
        &f.paths,
        DRY,
        &mut system(HOST, Some(local()), |_| false).0,
        &mut a,
    )
    .unwrap();
    assert_eq!(r.result, HealResult::Refused);
    assert!(a.rows.is_empty());
}

#[test]
fn force_removes_unless_the_pid_is_alive_here() {
    let f = Fixture::new();
    // Fresh heartbeat and a remote-looking disk do not matter with --force; a live pid does.
    f.lock(STALE_FOREIGN, 5);
    let sys = System {
        fs_probe: Box::new(|_| panic!("force does not run df")),
        ..system(HOST, None, |_| true).0
    };
    assert_eq!(refused(&f, sys, FORCE), ["pid-alive"]);
    let mut a = MemoryAudit::default();
    let r = heal(
        &f.paths,
        HealOptions {
            dry_run: true,
            force: true,
        },
        &mut system(HOST, None, |_| false).0,
        &mut a,
    )
    .unwrap();
    assert_eq!(r.result, HealResult::WouldRemove);
    assert_eq!(f.lock_bytes().unwrap(), STALE_FOREIGN);
    let r = heal(
        &f.paths,
        FORCE,
        &mut system(HOST, None, |_| false).0,
        &mut a,
    )
    .unwrap();
    assert_eq!(r.result, HealResult::Removed);
    assert!(f.lock_bytes().is_none());
    assert_eq!(
        rows(&a),
        [
            json!({"event": "lock-force-removed", "lockHost": OLD_HOST, "thisHost": HOST, "priorPid": 99999, "took": true, "source": "cli", "forced": true})
        ]
    );
    // A null lock has no pid to be alive: --force removes it.
    f.lock("null", 0);
    let r = heal(&f.paths, FORCE, &mut untouchable(HOST), &mut a).unwrap();
    assert_eq!(r.result, HealResult::Removed);
}

#[test]
fn a_heal_that_loses_the_race_writes_nothing_and_says_so() {
    let f = Fixture::new();
    f.lock(STALE_FOREIGN, 600);
    let (lock, tmp) = (f.paths.lock.clone(), f.paths.state.join("other"));
    let mut sys = System {
        fs_probe: Box::new(move |_| {
            fs::write(&tmp, r#"{"pid":99999,"hostname":"current-host"}"#).unwrap();
            fs::rename(&tmp, &lock).unwrap();
            local()
        }),
        ..system(HOST, None, |_| false).0
    };
    let mut a = MemoryAudit::default();
    let r = heal(&f.paths, HEAL, &mut sys, &mut a).unwrap();
    assert_eq!(r.result, HealResult::LostRace);
    assert_eq!(rows(&a)[0]["took"], false);
}

#[test]
fn heal_heals_exactly_when_the_servers_auto_heal_would() {
    use crate::resume_queue::{Verdict, evaluate};
    let f = Fixture::new();
    for age in [60, 600] {
        for fs in [local(), remote()] {
            for alive in [true, false] {
                f.lock(STALE_FOREIGN, age);
                let world = || system(HOST, Some(fs.clone()), move |_| alive).0;
                let server = evaluate(&f.paths, &cfg(true, true, true), &mut world());
                let r = heal(&f.paths, DRY, &mut world(), &mut MemoryAudit::default()).unwrap();
                assert_eq!(
                    r.result == HealResult::WouldHeal,
                    server.verdict == Verdict::WouldAutoHeal,
                    "age {age}, {fs:?}, alive {alive}: {r:?}"
                );
                // The same checks, the same findings (ages differ by the time between them).
                let seen = |f: &crate::resume_queue::decision::Facts| {
                    (f.heartbeat.map(|h| h.mtime), f.fs.clone(), f.pid_alive)
                };
                assert_eq!(seen(&r.facts), seen(&server.facts));
            }
        }
    }
}
