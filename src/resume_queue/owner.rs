//! The process that owns the queue: [`acquire`] at start, [`heartbeat`] while it runs,
//! [`release`] at the end — the reference implementation of upstream's server (see
//! [`super::ops`] for why every change of the lock is race-free), raced across processes by
//! the tests. Built only for tests (`cfg(test)`, and the `test-support` feature the
//! integration tests enable): no binary of this crate owns a queue.

use serde_json::{Map, Value, json};
use std::fs::{self, FileTimes};

use super::{
    Paths, QueueConfig,
    audit::{AuditSink, fields},
    decision::{Decision, Verdict},
    lockfile::{self, LockContents, LockRead},
    ops::{checked_state_dir, decide_on, guard, identity, install, read_lock},
    probe::System,
};
use crate::{Error, fsutil};

/// What [`acquire`] ended with.
#[derive(Debug)]
pub enum Acquire {
    /// `monitoring.resumeQueue.enabled` is false: nothing was written or audited.
    Off,
    /// This process owns the lock; start the queue.
    Owned { decision: Decision },
    /// The queue stays disabled, for `reason` (upstream's `disabledReason`).
    Disabled { decision: Decision, reason: String },
}

impl Acquire {
    pub fn owns(&self) -> bool {
        matches!(self, Acquire::Owned { .. })
    }
}

/// Decides what the queue does at start, acts on it (create, reclaim, auto-heal) and appends
/// one audit row. Never fails: an error disables the queue and is audited as
/// `lock-acquire-error`.
pub fn acquire(
    paths: &Paths,
    config: &QueueConfig,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> Acquire {
    match try_acquire(paths, config, sys, audit) {
        Ok(outcome) => outcome,
        Err(e) => {
            let decision = Decision::failed(&paths.lock, &sys.host, sys.pid, e.to_string());
            audit.record(sys.now(), "lock-acquire-error", decision.audit_fields(None));
            let reason = decision.reason().unwrap_or_default();
            Acquire::Disabled { decision, reason }
        }
    }
}

fn try_acquire(
    paths: &Paths,
    config: &QueueConfig,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> crate::Result<Acquire> {
    let read = read_lock(paths);
    let read = read.as_ref().map(Option::as_ref).map_err(String::as_str);
    let (decision, seen) = decide_on(paths, read, config, sys);
    let mine = lockfile::encode(&json!(sys.pid), &sys.host);
    let took = match (&decision.verdict, read) {
        (Verdict::Off, _) => return Ok(Acquire::Off),
        (Verdict::Create, _) => Some(install(paths, None, &mine, None)?),
        (Verdict::Reclaim { .. } | Verdict::AutoHeal, Ok(Some(read))) => {
            let expected = identity(paths, read, seen)?;
            Some(install(paths, Some(&expected), &mine, None)?)
        }
        _ => None,
    };
    if let Some(event) = decision.event() {
        audit.record(sys.now(), event, decision.audit_fields(took));
    }
    Ok(match took {
        Some(true) => Acquire::Owned { decision },
        Some(false) => Acquire::Disabled {
            reason: decision.lost_race_reason(),
            decision,
        },
        None => Acquire::Disabled {
            reason: decision.reason().unwrap_or_default(),
            decision,
        },
    })
}

/// What [`heartbeat`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Touch {
    /// The lock is ours; its mtime is now.
    Touched,
    /// The lock is not ours (any more): nothing was touched. Stop the queue.
    NotOwner { found: String },
}

/// What [`release`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Release {
    Released,
    /// The lock is not ours: it was left alone.
    NotOwner {
        found: String,
    },
}

/// Sets the lock's mtime to now, if the lock names this process and host.
pub fn heartbeat(paths: &Paths, sys: &System<'_>) -> crate::Result<Touch> {
    let t = sys.now();
    let touch = |r: &LockRead| {
        r.file
            .set_times(FileTimes::new().set_accessed(t).set_modified(t))
            .map_err(|e| Error::io(&paths.lock, "touch", e))
    };
    Ok(match as_owner(paths, sys, touch)? {
        Ok(()) => Touch::Touched,
        Err(found) => Touch::NotOwner { found },
    })
}

/// Deletes the lock, if it names this process and host.
pub fn release(paths: &Paths, sys: &System<'_>) -> crate::Result<Release> {
    let delete = |_: &LockRead| {
        fs::remove_file(&paths.lock).map_err(|e| Error::io(&paths.lock, "remove", e))?;
        fsutil::sync_dir(&paths.state);
        Ok(())
    };
    Ok(match as_owner(paths, sys, delete)? {
        Ok(()) => Release::Released,
        Err(found) => Release::NotOwner { found },
    })
}

/// Runs `act` on the lock under the guard if the lock names this process on this host;
/// otherwise leaves it alone and says whose it is (`Err(found)`).
fn as_owner(
    paths: &Paths,
    sys: &System<'_>,
    act: impl FnOnce(&LockRead) -> crate::Result<()>,
) -> crate::Result<Result<(), String>> {
    checked_state_dir(paths)?;
    let _guard = guard(paths)?;
    let read = lockfile::read(&paths.lock).map_err(|e| Error::io(&paths.lock, "read", e))?;
    let contents = read.as_ref().map(LockRead::contents);
    let mine = contents.as_ref().is_some_and(|lock| {
        lock.pid()
            .is_some_and(|p| i64::from(p) == i64::from(sys.pid))
            && lock.host() == Some(sys.host.as_str())
    });
    match read {
        Some(r) if mine => act(&r).map(Ok),
        _ => Ok(Err(describe(contents.as_ref()))),
    }
}

/// "a lock naming pid 42 on host "h"", for messages about someone else's lock.
fn describe(lock: Option<&LockContents>) -> String {
    match lock {
        None => "no lock file".into(),
        Some(LockContents::Null) => "a lock file holding null".into(),
        Some(LockContents::TooLarge) => "a lock file larger than 64 KiB".into(),
        Some(lock) => {
            let pid = lock
                .raw_pid()
                .map_or_else(|| "no pid".to_string(), |p| format!("pid {p}"));
            match lock.host() {
                Some(h) => format!("a lock naming {pid} on host \"{h}\""),
                None => format!("a lock naming {pid} and no host"),
            }
        }
    }
}

/// What the owner writes about a decision.
impl Decision {
    /// The reason when the takeover this decision called for lost to another process.
    pub(crate) fn lost_race_reason(&self) -> String {
        match self.verdict {
            Verdict::AutoHeal => format!(
                "resume-queue disabled: lost the atomic takeover race healing a rename lock from \
                 \"{}\". Re-evaluates next start.",
                self.lock_host_text()
            ),
            _ => format!(
                "resume-queue disabled: another process changed {} while this one was taking it; \
                 it owns the queue now. Re-evaluates next start.",
                self.lock_path.display()
            ),
        }
    }

    /// The audit row's fields after `event`, in upstream's order. `took` is the takeover's
    /// result for the verdicts that take the lock (absent before it was tried).
    pub(crate) fn audit_fields(&self, took: Option<bool>) -> Map<String, Value> {
        let (lock_host, this_host) = (self.lock_host_text(), &self.this_host);
        let mut f = fields(match &self.verdict {
            Verdict::Off => json!({}),
            Verdict::Create => json!({"pid": self.self_pid, "hostname": this_host}),
            // `JSON.stringify` leaves out an undefined `priorPid`.
            Verdict::Reclaim { heartbeat_fresh } => match &self.lock_pid {
                Some(pid) => json!({"priorPid": pid, "heartbeatFresh": heartbeat_fresh}),
                None => json!({"heartbeatFresh": heartbeat_fresh}),
            },
            Verdict::LiveOther { pid } => json!({"otherPid": pid}),
            Verdict::Foreign {
                auto_heal,
                fs_local,
                pid_dead,
                stale,
            } => json!({
                "lockHost": lock_host, "thisHost": this_host, "autoHeal": auto_heal,
                "fsLocal": fs_local, "pidDead": pid_dead, "foreignHeartbeatStale": stale
            }),
            Verdict::WouldAutoHeal => json!({
                "lockHost": lock_host, "thisHost": this_host,
                "fsLocal": true, "pidDead": true, "foreignHeartbeatStale": true
            }),
            Verdict::AutoHeal => json!({"lockHost": lock_host, "thisHost": this_host}),
            Verdict::Failed { error, .. } => json!({"error": error}),
        });
        if let Some(took) = took {
            f.insert("took".into(), json!(took));
        }
        f
    }
}
