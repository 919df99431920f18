//! What every write of the lock refuses or cleans up: a state dir that is a symlink, and the
//! temp files of writers killed before their swap.

use std::{fs, time::SystemTime};

use super::{Fixture, HOST, ago, cfg, local, set_mtime, system};
use crate::{
    Error,
    resume_queue::{
        acquire,
        audit::MemoryAudit,
        heal::{HealOptions, heal},
    },
};

const STALE_FOREIGN: &str = r#"{"pid":99999,"hostname":"old-host-name"}"#;

/// A project whose `.instar/state` is a symlink to a directory outside it holding `lock`
/// (10 minutes old); returns the fixture, the outside directory and the lock there.
fn state_elsewhere(lock: &str) -> (Fixture, tempfile::TempDir, std::path::PathBuf) {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    let lock_there = outside.path().join("resume-queue.lock");
    fs::write(&lock_there, lock).unwrap();
    set_mtime(&lock_there, ago(SystemTime::now(), 600));
    fs::remove_dir(&f.paths.state).unwrap();
    std::os::unix::fs::symlink(outside.path(), &f.paths.state).unwrap();
    (f, outside, lock_there)
}

#[test]
fn heal_refuses_to_write_through_a_symlinked_state_dir() {
    let (f, _outside, lock_there) = state_elsewhere(STALE_FOREIGN);
    let (mut sys, _) = system(HOST, Some(local()), |_| false);
    let mut a = MemoryAudit::default();
    let err = heal(&f.paths, HealOptions::default(), &mut sys, &mut a).unwrap_err();
    assert!(matches!(err, Error::UnsafePath { .. }), "{err}");
    let force = HealOptions {
        force: true,
        dry_run: false,
    };
    let err = heal(&f.paths, force, &mut sys, &mut a).unwrap_err();
    assert!(matches!(err, Error::UnsafePath { .. }), "{err}");
    assert_eq!(fs::read_to_string(&lock_there).unwrap(), STALE_FOREIGN);
}

#[test]
fn acquire_refuses_to_write_through_a_symlinked_state_dir() {
    let stale_mine = r#"{"pid":99999,"hostname":"current-host"}"#;
    let (f, _outside, lock_there) = state_elsewhere(stale_mine);
    let (mut sys, _) = system(HOST, None, |_| false);
    let mut a = MemoryAudit::default();
    let r = acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a);
    assert!(!r.owns(), "{r:?}");
    assert_eq!(a.rows[0]["event"], "lock-acquire-error");
    assert!(a.rows[0]["error"].as_str().unwrap().contains("symlink"));
    assert_eq!(fs::read_to_string(&lock_there).unwrap(), stale_mine);
}

#[test]
fn a_dead_writers_temp_file_is_removed_and_a_live_ones_is_not() {
    let f = Fixture::new();
    let orphan = f.paths.state.join(".resume-queue.lock.dead01.tmp");
    let live = f.paths.state.join(".resume-queue.lock.live01.tmp");
    for t in [&orphan, &live] {
        fs::write(t, "{").unwrap();
    }
    set_mtime(&orphan, ago(SystemTime::now(), 600));
    let (mut sys, _) = system(HOST, None, |_| false);
    let mut a = MemoryAudit::default();
    assert!(acquire(&f.paths, &cfg(true, false, false), &mut sys, &mut a).owns());
    assert!(!orphan.exists(), "the dead writer's temp file is gone");
    assert!(
        live.exists(),
        "a temp file a live writer may still swap in is kept"
    );
}
