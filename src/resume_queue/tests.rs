//! Unit tests, by concept. Shared fixtures live here.

mod decision;
mod df;
mod heal;
mod hygiene;
mod lockfile;
mod ops;
mod probe;
mod status;

use serde_json::{Value, json};
use std::{
    cell::RefCell,
    fs,
    path::Path,
    rc::Rc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::{FsVerdict, Paths, QueueConfig, System, audit::MemoryAudit};

pub(super) const HOST: &str = "current-host";
pub(super) const OLD_HOST: &str = "old-host-name";
pub(super) const SELF_PID: u32 = 777;

/// A fixed "now" for pure tests.
pub(super) fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

pub(super) fn ago(now: SystemTime, secs: u64) -> SystemTime {
    now - Duration::from_secs(secs)
}

/// `monitoring.resumeQueue` with all three keys explicit.
pub(super) fn cfg(enabled: bool, dry_run: bool, auto_heal: bool) -> QueueConfig {
    QueueConfig::resolve(Some(&json!({"monitoring": {"resumeQueue": {
        "enabled": enabled, "dryRun": dry_run, "autoHealStaleHostLock": auto_heal
    }}})))
}

pub(super) fn local() -> FsVerdict {
    FsVerdict {
        local: true,
        detail: "host-local disk (/dev/sda1)".into(),
    }
}

pub(super) fn remote() -> FsVerdict {
    FsVerdict {
        local: false,
        detail: "not a host-local disk".into(),
    }
}

/// A temp project that is an instar agent.
pub(super) struct Fixture {
    _dir: tempfile::TempDir,
    pub paths: Paths,
}

impl Fixture {
    pub(crate) fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join(".instar/state")).unwrap();
        let paths = Paths::new(dir.path());
        Fixture { _dir: dir, paths }
    }

    /// Writes the lock with this content and mtime `age_secs` ago (real clock).
    pub(crate) fn lock(&self, content: &str, age_secs: u64) {
        fs::write(&self.paths.lock, content).unwrap();
        set_mtime(&self.paths.lock, ago(SystemTime::now(), age_secs));
    }

    pub(crate) fn lock_bytes(&self) -> Option<String> {
        fs::read_to_string(&self.paths.lock).ok()
    }

    pub(crate) fn mtime(&self) -> SystemTime {
        fs::metadata(&self.paths.lock).unwrap().modified().unwrap()
    }
}

pub(super) fn set_mtime(path: &Path, t: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(t)
        .unwrap();
}

/// Calls made to a [`System`]'s probes, in order.
pub(super) type Calls = Rc<RefCell<Vec<String>>>;

/// A system on `host` (pid [`SELF_PID`], real clock) whose probes answer `fs` and
/// `alive(pid)`, recording every call.
pub(super) fn system(
    host: &str,
    fs: Option<FsVerdict>,
    alive: impl Fn(i32) -> bool + 'static,
) -> (System<'static>, Calls) {
    let calls: Calls = Rc::default();
    let (c1, c2) = (calls.clone(), calls.clone());
    let sys = System {
        host: host.into(),
        pid: SELF_PID,
        clock: Box::new(SystemTime::now),
        fs_probe: Box::new(move |_: &Paths| {
            c1.borrow_mut().push("df".into());
            fs.clone().expect("the filesystem must not be probed here")
        }),
        pid_probe: Box::new(move |pid| {
            c2.borrow_mut().push(format!("pid {pid}"));
            alive(pid)
        }),
    };
    (sys, calls)
}

/// A system whose probes fail the test when called.
pub(super) fn untouchable(host: &str) -> System<'static> {
    System {
        host: host.into(),
        pid: SELF_PID,
        clock: Box::new(SystemTime::now),
        fs_probe: Box::new(|_: &Paths| panic!("HARD INVARIANT: the filesystem was probed")),
        pid_probe: Box::new(|pid| panic!("HARD INVARIANT: pid {pid} was probed")),
    }
}

/// Fills upstream's `${name}` placeholders (SPEC text pasted as is).
pub(super) fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("${{{k}}}"), v);
    }
    assert!(!out.contains("${"), "unfilled placeholder in {out}");
    out
}

/// The audit rows without their timestamps, each checked to be one.
pub(super) fn rows(a: &MemoryAudit) -> Vec<Value> {
    a.rows
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let ts = r.as_object_mut().unwrap().shift_remove("ts").unwrap();
            assert!(
                crate::timestamp::Timestamp::parse(ts.as_str().unwrap()).is_some(),
                "{ts}"
            );
            r
        })
        .collect()
}
