//! A lock too large to read whole is never evaluated, let alone taken over (it may name
//! another host in the part that was not read).

use serde_json::json;

use super::{Fixture, HOST, cfg, rows, untouchable};
use crate::resume_queue::{
    Acquire, acquire,
    audit::MemoryAudit,
    heal::{HealOptions, HealResult, heal},
    lockfile::{self, LOCK_CAP, LockContents, TOO_LARGE_LOCK_ERROR},
};

/// A foreign lock whose hostname lies beyond the first [`LOCK_CAP`] bytes.
fn oversized_foreign_lock() -> String {
    let pad = "x".repeat(LOCK_CAP as usize);
    format!(r#"{{"pad":"{pad}","pid":4242,"hostname":"other-machine"}}"#)
}

#[test]
fn a_lock_of_exactly_the_cap_is_read_whole_and_one_byte_more_is_too_large() {
    let f = Fixture::new();
    let lock = r#"{"pid":4242,"hostname":"current-host"}"#;
    // JSON allows trailing whitespace: the same lock, padded to the cap.
    let at_cap = lock.to_string() + &" ".repeat(LOCK_CAP as usize - lock.len());
    f.lock(&at_cap, 0);
    let read = lockfile::read(&f.paths.lock).unwrap().unwrap();
    assert!(!read.truncated);
    assert_eq!(read.contents().host(), Some(HOST));
    f.lock(&format!("{at_cap} "), 0);
    let read = lockfile::read(&f.paths.lock).unwrap().unwrap();
    assert!(read.truncated && read.bytes.len() == LOCK_CAP as usize);
    assert_eq!(read.contents(), LockContents::TooLarge);
}

#[test]
fn an_oversized_lock_fails_closed_and_is_left_as_it_was() {
    let f = Fixture::new();
    let lock = oversized_foreign_lock();
    f.lock(&lock, 3600);
    let before = f.mtime();
    let mut a = MemoryAudit::default();
    // Any config: nothing is probed, nothing taken over.
    for config in [cfg(true, false, false), cfg(true, false, true)] {
        let r = acquire(&f.paths, &config, &mut untouchable(HOST), &mut a);
        let Acquire::Disabled { reason, .. } = r else {
            panic!("{r:?}")
        };
        assert_eq!(
            reason,
            format!("resume-queue disabled: lock acquisition raised: {TOO_LARGE_LOCK_ERROR}")
        );
    }
    assert_eq!((f.lock_bytes().unwrap(), f.mtime()), (lock, before));
    assert_eq!(
        rows(&a)[0],
        json!({"event": "lock-acquire-error", "error": TOO_LARGE_LOCK_ERROR})
    );
}

#[test]
fn heal_refuses_an_oversized_lock_and_force_removes_it() {
    let f = Fixture::new();
    f.lock(&oversized_foreign_lock(), 3600);
    let mut a = MemoryAudit::default();
    let opts = HealOptions::default();
    let r = heal(&f.paths, opts, &mut untouchable(HOST), &mut a).unwrap();
    assert_eq!(r.result, HealResult::Refused);
    assert_eq!(r.failed[0].code, "bad-lock");
    assert!(r.failed[0].message.contains("heal --force"), "{r:?}");
    let force = HealOptions {
        force: true,
        ..opts
    };
    let r = heal(&f.paths, force, &mut untouchable(HOST), &mut a).unwrap();
    assert_eq!(r.result, HealResult::Removed);
    assert!(f.lock_bytes().is_none());
}
