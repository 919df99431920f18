//! Acquire, heartbeat, release and the guarded takeover, on real files in a temp project.

use serde_json::{Value, json};
use std::{
    fs,
    os::unix::fs::PermissionsExt,
    sync::{Arc, Barrier},
    time::SystemTime,
};

use super::{Fixture, HOST, OLD_HOST, SELF_PID, cfg, local, rows, system, untouchable};
use crate::resume_queue::{
    Acquire, Release, System, Touch, acquire,
    audit::{AuditSink, FileAudit, MemoryAudit, ROTATE_BYTES},
    heartbeat,
    lockfile::{Identity, encode},
    ops::install,
    release,
};

const MINE: &str = r#"{"pid":777,"hostname":"current-host"}"#;

#[test]
fn no_lock_creates_one_in_the_exact_format() {
    let f = Fixture::new();
    let (mut sys, calls) = system(HOST, None, |_| panic!("no pid to probe"));
    let mut a = MemoryAudit::default();
    assert!(acquire(&f.paths, &cfg(true, true, false), &mut sys, &mut a).owns());
    assert_eq!(f.lock_bytes().unwrap(), MINE);
    assert_eq!(
        fs::metadata(&f.paths.lock).unwrap().permissions().mode() & 0o777,
        0o644
    );
    assert!(calls.borrow().is_empty());
    assert_eq!(
        rows(&a),
        [json!({"event": "lock-created", "pid": SELF_PID, "hostname": HOST, "took": true})]
    );
}

#[test]
fn a_disabled_config_touches_nothing() {
    let f = Fixture::new();
    fs::remove_dir(&f.paths.state).unwrap();
    let mut a = MemoryAudit::default();
    let r = acquire(
        &f.paths,
        &cfg(false, true, true),
        &mut untouchable(HOST),
        &mut a,
    );
    assert!(matches!(r, Acquire::Off) && a.rows.is_empty() && !f.paths.state.exists());
}

#[test]
fn same_host_stale_is_reclaimed_and_live_is_left_alone() {
    let f = Fixture::new();
    f.lock(r#"{"pid":4242,"hostname":"current-host"}"#, 30);
    let (mut sys, _) = system(HOST, None, |_| true);
    let mut a = MemoryAudit::default();
    let r = acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a);
    let Acquire::Disabled { reason, .. } = r else {
        panic!("{r:?}")
    };
    assert!(
        reason.contains("another live process (pid 4242)"),
        "{reason}"
    );
    assert_eq!(
        f.lock_bytes().unwrap(),
        r#"{"pid":4242,"hostname":"current-host"}"#
    );

    f.lock(r#"{"pid":4242,"hostname":"current-host"}"#, 600);
    let r = acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a);
    assert!(r.owns(), "{r:?}");
    assert_eq!(f.lock_bytes().unwrap(), MINE);
    assert_eq!(
        rows(&a),
        [
            json!({"event": "lock-live-other", "otherPid": 4242}),
            json!({"event": "lock-stale-reclaimed", "priorPid": 4242, "heartbeatFresh": false, "took": true}),
        ]
    );
}

#[test]
fn hard_invariant_through_acquire_a_foreign_lock_is_left_exactly_as_it_was() {
    let f = Fixture::new();
    f.lock(r#"{"pid":1,"hostname":"some-other-machine"}"#, 3600);
    let before = f.mtime();
    let mut a = MemoryAudit::default();
    // The probes panic if called.
    let r = acquire(
        &f.paths,
        &cfg(true, false, false),
        &mut untouchable(HOST),
        &mut a,
    );
    let Acquire::Disabled { reason, .. } = r else {
        panic!("{r:?}")
    };
    assert!(
        reason.contains("some-other-machine") && reason.contains("delete state/resume-queue.lock")
    );
    assert_eq!(
        (f.lock_bytes().unwrap(), f.mtime()),
        (
            r#"{"pid":1,"hostname":"some-other-machine"}"#.into(),
            before
        )
    );
    assert_eq!(rows(&a)[0]["event"], "lock-foreign-host");
}

#[test]
fn auto_heal_takes_over_and_dry_run_does_not() {
    let f = Fixture::new();
    let stale = format!(r#"{{"pid":99999,"hostname":"{OLD_HOST}"}}"#);
    f.lock(&stale, 360);
    let (mut sys, calls) = system(HOST, Some(local()), |_| false);
    let mut a = MemoryAudit::default();
    let r = acquire(&f.paths, &cfg(true, true, true), &mut sys, &mut a);
    let Acquire::Disabled { reason, .. } = r else {
        panic!("{r:?}")
    };
    assert!(
        reason.starts_with("resume-queue disabled (dryRun): WOULD auto-heal"),
        "{reason}"
    );
    assert_eq!(f.lock_bytes().unwrap(), stale);
    assert_eq!(*calls.borrow(), ["df", "pid 99999"]);

    let r = acquire(&f.paths, &cfg(true, false, true), &mut sys, &mut a);
    assert!(r.owns(), "{r:?}");
    assert_eq!(f.lock_bytes().unwrap(), MINE);
    assert_eq!(
        rows(&a)[1],
        json!({"event": "lock-foreign-host-autohealed", "lockHost": OLD_HOST, "thisHost": HOST, "took": true})
    );
}

#[test]
fn acquisition_errors_are_audited() {
    let f = Fixture::new();
    f.lock("null", 0);
    let mut a = MemoryAudit::default();
    let r = acquire(
        &f.paths,
        &cfg(true, false, true),
        &mut untouchable(HOST),
        &mut a,
    );
    let Acquire::Disabled { reason, .. } = r else {
        panic!("{r:?}")
    };
    assert!(
        reason.starts_with("resume-queue disabled: lock acquisition raised: "),
        "{reason}"
    );
    assert_eq!(f.lock_bytes().unwrap(), "null");
    assert_eq!(rows(&a)[0]["event"], "lock-acquire-error");

    // A symlink where the lock should be is refused, not followed.
    fs::remove_file(&f.paths.lock).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &f.paths.lock).unwrap();
    let r = acquire(
        &f.paths,
        &cfg(true, false, true),
        &mut untouchable(HOST),
        &mut a,
    );
    assert!(!r.owns());
    let row = &rows(&a)[1];
    assert_eq!(row["event"], "lock-acquire-error");
    assert!(
        row["error"].as_str().unwrap().contains("resume-queue.lock"),
        "{row}"
    );
}

/// A system whose filesystem probe, when asked, lets another process change the lock first.
fn meddling(host: &str, meddle: impl Fn() + 'static, alive: bool) -> System<'static> {
    System {
        fs_probe: Box::new(move |_| {
            meddle();
            local()
        }),
        ..system(host, None, move |_| alive).0
    }
}

#[test]
fn a_takeover_loses_when_the_lock_changed_after_the_decision() {
    // Auto-heal: between our checks and our write, another healer takes the lock.
    let f = Fixture::new();
    f.lock(r#"{"pid":99999,"hostname":"old-host-name"}"#, 360);
    let (lock, winner) = (f.paths.lock.clone(), f.paths.state.join("w"));
    let mut sys = meddling(
        HOST,
        move || {
            fs::write(&winner, r#"{"pid":1234,"hostname":"current-host"}"#).unwrap();
            fs::rename(&winner, &lock).unwrap();
        },
        false,
    );
    let mut a = MemoryAudit::default();
    let r = acquire(&f.paths, &cfg(true, false, true), &mut sys, &mut a);
    let Acquire::Disabled { reason, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(
        reason,
        "resume-queue disabled: lost the atomic takeover race healing a rename lock from \"old-host-name\". Re-evaluates next start."
    );
    assert_eq!(
        f.lock_bytes().unwrap(),
        r#"{"pid":1234,"hostname":"current-host"}"#
    );
    assert_eq!(rows(&a)[0]["took"], false);
    // Same host: the owner's heartbeat (mtime only) lands while we decide. No takeover.
    f.lock(r#"{"pid":4242,"hostname":"current-host"}"#, 600);
    let lock = f.paths.lock.clone();
    let (mut sys, _) = system(HOST, None, move |_| {
        super::set_mtime(&lock, SystemTime::now());
        true
    });
    let r = acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a);
    assert!(!r.owns(), "{r:?}");
    assert_eq!(
        f.lock_bytes().unwrap(),
        r#"{"pid":4242,"hostname":"current-host"}"#
    );
    assert_eq!(
        rows(&a)[1],
        json!({"event": "lock-stale-reclaimed", "priorPid": 4242, "heartbeatFresh": false, "took": false})
    );
}

#[test]
fn install_creates_only_when_absent_and_replaces_only_the_expected_file() {
    let f = Fixture::new();
    f.lock("{\"pid\":1,\"hostname\":\"a\"}", 0);
    assert!(
        !install(&f.paths, None, b"{}", None).unwrap(),
        "create never clobbers"
    );
    let seen = Identity::current(&f.paths.lock).unwrap().unwrap();
    f.lock("{\"pid\":2,\"hostname\":\"a\"}", 0);
    assert!(!install(&f.paths, Some(&seen), b"{}", None).unwrap());
    let seen = Identity::current(&f.paths.lock).unwrap().unwrap();
    let old = super::ago(SystemTime::now(), 900);
    assert!(install(&f.paths, Some(&seen), b"{\"pid\":3}", Some(old)).unwrap());
    assert_eq!(
        (f.lock_bytes().unwrap(), f.mtime()),
        ("{\"pid\":3}".into(), old)
    );
    let names: Vec<_> = fs::read_dir(&f.paths.state)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "only the lock and its guard: {names:?}");
}

#[test]
fn racing_threads_one_takeover_and_no_torn_reads() {
    let f = Fixture::new();
    f.lock(r#"{"pid":99999,"hostname":"old-host-name"}"#, 600);
    let seen = Identity::current(&f.paths.lock).unwrap().unwrap();
    let n = 16;
    let barrier = Arc::new(Barrier::new(n));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (lock, done) = (f.paths.lock.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let bytes = fs::read(&lock).expect("the lock always exists");
                let v: Value = serde_json::from_slice(&bytes).expect("the lock always parses");
                assert!(v["pid"].is_number() && v["hostname"].is_string(), "{v}");
                reads += 1;
            }
            reads
        })
    };
    let winners: usize = (0..n)
        .map(|i| {
            let (paths, seen, barrier) = (f.paths.clone(), seen.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                install(&paths, Some(&seen), &encode(&json!(i), HOST), None).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|t| usize::from(t.join().unwrap()))
        .sum();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().unwrap() > 0);
    assert_eq!(winners, 1);
}

#[test]
fn heartbeat_and_release_act_only_for_the_owner() {
    let f = Fixture::new();
    let (mut sys, _) = system(HOST, None, |_| false);
    let mut a = MemoryAudit::default();
    assert!(acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a).owns());
    super::set_mtime(&f.paths.lock, super::ago(SystemTime::now(), 120));
    assert_eq!(heartbeat(&f.paths, &sys).unwrap(), Touch::Touched);
    assert!(
        SystemTime::now()
            .duration_since(f.mtime())
            .unwrap()
            .as_secs()
            < 5
    );

    let (other, _) = system(HOST, None, |_| false);
    let other = System { pid: 4242, ..other };
    let before = f.mtime();
    let elsewhere = System {
        host: OLD_HOST.into(),
        ..system(HOST, None, |_| false).0
    };
    for stranger in [&other, &elsewhere] {
        assert!(matches!(
            heartbeat(&f.paths, stranger).unwrap(),
            Touch::NotOwner { .. }
        ));
        assert!(matches!(
            release(&f.paths, stranger).unwrap(),
            Release::NotOwner { .. }
        ));
    }
    assert_eq!(
        (f.lock_bytes().unwrap(), f.mtime()),
        (MINE.to_string(), before)
    );
    assert_eq!(release(&f.paths, &sys).unwrap(), Release::Released);
    assert!(f.lock_bytes().is_none());
    let Release::NotOwner { found } = release(&f.paths, &sys).unwrap() else {
        panic!()
    };
    assert_eq!(found, "no lock file");
}

#[test]
fn the_audit_log_is_jsonl_in_project_logs_and_rotates_above_5_mib() {
    let f = Fixture::new();
    assert!(f.paths.audit.ends_with("logs/resume-queue.jsonl"));
    assert!(!f.paths.audit.starts_with(&f.paths.instar));
    let mut audit = FileAudit::new(&f.paths);
    let at = crate::timestamp::Timestamp::from_unix_ms(1_795_000_000_123).system_time();
    audit.record(
        at,
        "lock-live-other",
        json!({"otherPid": 7}).as_object().unwrap().clone(),
    );
    assert!(audit.last_error.is_none(), "{:?}", audit.last_error);
    let text = fs::read_to_string(&f.paths.audit).unwrap();
    assert_eq!(
        text,
        "{\"ts\":\"2026-11-18T11:06:40.123Z\",\"event\":\"lock-live-other\",\"otherPid\":7}\n"
    );

    fs::write(&f.paths.audit, vec![b'x'; ROTATE_BYTES as usize + 1]).unwrap();
    audit.record(at, "lock-created", serde_json::Map::new());
    let backup = f.paths.project.join("logs/resume-queue.jsonl.1");
    assert_eq!(fs::metadata(backup).unwrap().len(), ROTATE_BYTES + 1);
    assert_eq!(
        fs::read_to_string(&f.paths.audit).unwrap().lines().count(),
        1
    );
    // Exactly 5 MiB is not above 5 MiB.
    fs::write(&f.paths.audit, vec![b'x'; ROTATE_BYTES as usize]).unwrap();
    audit.record(at, "lock-created", serde_json::Map::new());
    assert!(fs::metadata(&f.paths.audit).unwrap().len() > ROTATE_BYTES);
}
