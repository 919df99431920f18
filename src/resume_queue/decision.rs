//! What the queue does at start, decided purely (SPEC §1.4–§1.6).
//!
//! [`decide`] takes the lock's parsed contents, this host, the config and a [`Probes`]
//! implementation, and returns a [`Decision`]: the [`Verdict`] and the facts it learned, from
//! which [`super::reason`] renders the disabled reason (upstream's text, exactly) and the
//! audit row. It performs no I/O of its own;
//! everything it learns about the world comes through the probes, so the order in which they
//! are asked is the contract:
//!
//! - **HARD INVARIANT.** A foreign lock with auto-heal off is never probed: no mtime, no `df`,
//!   no pid check. The decision returns before any probe is reachable.
//! - With auto-heal on, the heartbeat is read first, then the filesystem, and the pid is
//!   probed **only after the filesystem is proven local** (a pid on another host means
//!   nothing here).
//!
//! Three deliberate departures from upstream, all failing closed: an unreadable mtime never
//! counts as stale (upstream read it as 0, which forced a reclaim over a live pid, weakness
//! 11); a `pid` that is not a positive whole number is "no pid" rather than something to
//! hand to `kill` (see [`LockContents::pid`]); and a lock too large to read whole is not
//! evaluated (see [`LockContents::TooLarge`]).

use serde::Serialize;
use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use super::{HEARTBEAT_WINDOW, QueueConfig, lockfile::LockContents};

/// The filesystem-locality probe's answer, with a sentence saying why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FsVerdict {
    pub local: bool,
    pub detail: String,
}

/// The three questions a decision may ask about the world.
pub(crate) trait Probes {
    /// The lock file's mtime (its heartbeat); `None` when it cannot be read.
    fn lock_mtime(&mut self) -> Option<SystemTime>;
    /// Whether the state dir is on a host-local disk (`df -P`, see [`super::df`]).
    fn state_dir_local(&mut self) -> FsVerdict;
    /// Whether a process with this pid exists on this host.
    fn pid_alive(&mut self, pid: i32) -> bool;
}

/// [`Probes`] from three closures (tests hand in closures that record or `panic!`).
#[cfg(test)]
pub(crate) struct FnProbes<M, F, P> {
    pub mtime: M,
    pub fs: F,
    pub pid: P,
}

#[cfg(test)]
impl<M, F, P> Probes for FnProbes<M, F, P>
where
    M: FnMut() -> Option<SystemTime>,
    F: FnMut() -> FsVerdict,
    P: FnMut(i32) -> bool,
{
    fn lock_mtime(&mut self) -> Option<SystemTime> {
        (self.mtime)()
    }
    fn state_dir_local(&mut self) -> FsVerdict {
        (self.fs)()
    }
    fn pid_alive(&mut self, pid: i32) -> bool {
        (self.pid)(pid)
    }
}

/// Everything a decision is made from, besides the probes.
pub(crate) struct Inputs<'a> {
    /// The lock's path, as it appears in reason text.
    pub lock_path: &'a Path,
    /// The lock's contents: `Ok(None)` when there is no lock file, `Err` with why it could
    /// not be read.
    pub lock: Result<Option<&'a LockContents>, &'a str>,
    pub this_host: &'a str,
    pub self_pid: u32,
    pub config: &'a QueueConfig,
    /// The clock.
    pub now: SystemTime,
}

/// What the queue does at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// `monitoring.resumeQueue.enabled` is false: no queue at all (upstream constructs none).
    Off,
    /// No lock: create one and start.
    Create,
    /// A same-host lock whose owner is gone (dead pid, our own pid, no pid) or silent (stale
    /// heartbeat): take it over and start. Audit `lock-stale-reclaimed`.
    Reclaim { heartbeat_fresh: bool },
    /// A live process on this host holds the lock with a fresh heartbeat. Audit
    /// `lock-live-other`.
    LiveOther { pid: i32 },
    /// A foreign host's lock, and no heal: auto-heal off (every flag false, nothing probed),
    /// or on but declined (the three real facts). Audit `lock-foreign-host`.
    Foreign {
        auto_heal: bool,
        fs_local: bool,
        pid_dead: bool,
        stale: bool,
    },
    /// Every heal precondition holds but `dryRun` is on: stay disabled and say so. Audit
    /// `lock-foreign-host-would-autoheal`.
    WouldAutoHeal,
    /// Every heal precondition holds: take the lock over and start. Audit
    /// `lock-foreign-host-autohealed`.
    AutoHeal,
    /// The lock could not be evaluated (literal `null`, too large, unreadable, …): stay disabled.
    /// Audit `lock-acquire-error` (upstream audits nothing here, weakness 8).
    Failed { error: String, cause: Failure },
}

/// What made a decision fail, which decides how it is repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The lock was read, and what it holds is no lock (literal `null`, too large): removing
    /// it (`heal --force`) is the repair.
    BadLock,
    /// An I/O error: reading the lock or its directory, or replacing the lock. Nothing can
    /// repair a lock it cannot read; the error says what to fix.
    Io,
}

/// How old the heartbeat is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heartbeat {
    pub mtime: SystemTime,
    pub age: Duration,
}

impl Heartbeat {
    pub(crate) fn new(mtime: SystemTime, now: SystemTime) -> Heartbeat {
        Heartbeat {
            mtime,
            // A heartbeat from the future (clock skew) is as fresh as one from now.
            age: now.duration_since(mtime).unwrap_or_default(),
        }
    }
    /// Stale at or above the window (so fresh below it), on either host.
    pub(crate) fn stale(&self) -> bool {
        self.age >= HEARTBEAT_WINDOW
    }
    /// The age in whole milliseconds, as reports show it.
    pub(crate) fn age_ms(&self) -> u64 {
        u64::try_from(self.age.as_millis()).unwrap_or(u64::MAX)
    }
}

/// What the probes said. A `None` field was not probed (or, for the heartbeat with
/// `heartbeat_probed`, could not be read). Serialized as reports show it: `heartbeatAgeMs`,
/// `filesystem`, `pidAlive`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    #[serde(skip)]
    pub heartbeat_probed: bool,
    #[serde(rename = "heartbeatAgeMs", serialize_with = "age_ms")]
    pub heartbeat: Option<Heartbeat>,
    #[serde(rename = "filesystem")]
    pub fs: Option<FsVerdict>,
    pub pid_alive: Option<bool>,
}

fn age_ms<S: serde::Serializer>(h: &Option<Heartbeat>, s: S) -> Result<S::Ok, S::Error> {
    h.map(|h| h.age_ms()).serialize(s)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub lock_path: PathBuf,
    pub this_host: String,
    pub self_pid: u32,
    /// The lock's hostname when it names one.
    pub lock_host: Option<String>,
    /// The lock's raw `pid` value.
    pub lock_pid: Option<Value>,
    pub facts: Facts,
}

/// Decides what the queue does at start. See the module docs for the probing contract.
pub(crate) fn decide(inp: &Inputs<'_>, probes: &mut dyn Probes) -> Decision {
    let mut d = Decision::new(Verdict::Off, inp.lock_path, inp.this_host, inp.self_pid);
    if !inp.config.enabled() {
        return d;
    }
    let lock = match inp.lock {
        Err(error) => {
            d.verdict = Verdict::Failed {
                error: error.into(),
                cause: Failure::Io,
            };
            return d;
        }
        Ok(None) => {
            d.verdict = Verdict::Create;
            return d;
        }
        Ok(Some(lock)) => lock,
    };
    if let Some(error) = lock.unusable() {
        d.verdict = Verdict::Failed {
            error: error.into(),
            cause: Failure::BadLock,
        };
        return d;
    }
    d.lock_pid = lock.raw_pid().cloned();
    d.lock_host = lock.host().map(str::to_string);
    d.verdict = if lock.names_other_host(inp.this_host) {
        foreign(inp, lock, probes, &mut d.facts)
    } else {
        same_host(inp, lock, probes, &mut d.facts)
    };
    d
}

fn same_host(
    inp: &Inputs<'_>,
    lock: &LockContents,
    probes: &mut dyn Probes,
    facts: &mut Facts,
) -> Verdict {
    facts.heartbeat_probed = true;
    facts.heartbeat = probes.lock_mtime().map(|m| Heartbeat::new(m, inp.now));
    // Unreadable mtime: we cannot show the heartbeat is stale, so it is not.
    let fresh = facts.heartbeat.is_none_or(|h| !h.stale());
    let live = match lock.pid() {
        Some(pid) if i64::from(pid) != i64::from(inp.self_pid) => {
            let alive = probes.pid_alive(pid);
            facts.pid_alive = Some(alive);
            alive && fresh
        }
        _ => false,
    };
    match (live, lock.pid()) {
        (true, Some(pid)) => Verdict::LiveOther { pid },
        _ => Verdict::Reclaim {
            heartbeat_fresh: fresh,
        },
    }
}

fn foreign(
    inp: &Inputs<'_>,
    lock: &LockContents,
    probes: &mut dyn Probes,
    facts: &mut Facts,
) -> Verdict {
    if !inp.config.auto_heal() {
        // THE HARD INVARIANT: nothing below this line runs, so nothing is probed.
        return Verdict::Foreign {
            auto_heal: false,
            fs_local: false,
            pid_dead: false,
            stale: false,
        };
    }
    facts.heartbeat_probed = true;
    facts.heartbeat = probes.lock_mtime().map(|m| Heartbeat::new(m, inp.now));
    let stale = facts.heartbeat.is_some_and(|h| h.stale());
    let fs = probes.state_dir_local();
    let fs_local = fs.local;
    facts.fs = Some(fs);
    let pid_dead = fs_local
        && match lock.pid() {
            None => true,
            Some(pid) => {
                let alive = probes.pid_alive(pid);
                facts.pid_alive = Some(alive);
                !alive
            }
        };
    match (fs_local && pid_dead && stale, inp.config.dry_run()) {
        (true, true) => Verdict::WouldAutoHeal,
        (true, false) => Verdict::AutoHeal,
        (false, _) => Verdict::Foreign {
            auto_heal: true,
            fs_local,
            pid_dead,
            stale,
        },
    }
}

impl Decision {
    /// A decision with nothing learned about the lock yet.
    pub fn new(verdict: Verdict, lock_path: &Path, this_host: &str, self_pid: u32) -> Decision {
        Decision {
            verdict,
            lock_path: lock_path.to_path_buf(),
            this_host: this_host.to_string(),
            self_pid,
            lock_host: None,
            lock_pid: None,
            facts: Facts::default(),
        }
    }

    /// A decision that could not be carried out because of an I/O error.
    pub fn failed(lock_path: &Path, this_host: &str, self_pid: u32, error: String) -> Decision {
        let verdict = Verdict::Failed {
            error,
            cause: Failure::Io,
        };
        Decision::new(verdict, lock_path, this_host, self_pid)
    }

    /// Whether the queue starts (possibly after taking the lock over).
    pub(crate) fn will_start(&self) -> bool {
        matches!(
            self.verdict,
            Verdict::Create | Verdict::Reclaim { .. } | Verdict::AutoHeal
        )
    }

    /// Whether a queue runs on this host after the start: this one (it starts) or the live
    /// owner's that holds the lock (one queue per machine, and that is it).
    pub(crate) fn queue_runs(&self) -> bool {
        self.will_start() || matches!(self.verdict, Verdict::LiveOther { .. })
    }
}
