/*!
The resume-queue host lock of upstream instar (SPEC Part B §1): who may own a project's
revival queue, and what the queue does at server start when someone else's lock is there.

One lock per project, `<project>/.instar/state/resume-queue.lock`, holding compact JSON
`{"pid":N,"hostname":"H"}` (no newline); its **mtime is the heartbeat**. A lock whose mtime is
less than 5 minutes old is fresh on the same host; a foreign lock is stale at 5 minutes or more.

The module splits the question in two:
- [`decision`]: a pure function from the lock's bytes, this host, the config and three probes
  (the lock's mtime, "is the state dir on a host-local disk?", "is this pid alive?") to what
  the queue does at start, with upstream's reason text and audit event. The probes are
  parameters, so every branch is testable without sleeping, and the HARD INVARIANT holds by
  construction: with auto-heal off, a foreign lock is never probed at all.
- [`ops`] and [`heal`]: the side effects. Acquire / heartbeat / release for the process that
  owns the queue, and the operator's `heal` (the same decision, with auto-heal switched on).
  Every replacement of the lock is race-free among our processes (see [`ops`] for why) and
  every decision appends one audit row ([`audit`]).
- [`status`]: the read-only report behind `resume-queue status` and the `guards` row.

No binary of this crate owns a queue (upstream's server does): [`acquire`], [`heartbeat`] and
[`release`] are the reference implementation of a queue owner, kept as library API and raced
across processes by the tests; the CLI reads ([`evaluate`]) and heals.

[`reason`] renders a decision as upstream's reason text and audit row.

Plumbing: [`config`] (the `monitoring.resumeQueue` keys with upstream's dev-agent defaults),
[`df`] (`df -P` source classification, bounded to 3 s, fail closed), [`probe`] (pid liveness
with EPERM counted as alive, `gethostname`), [`lockfile`] (reading and parsing the lock).
*/

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

pub mod audit;
pub mod config;
pub mod decision;
pub mod df;
pub mod heal;
pub(crate) mod lockfile;
pub(crate) mod ops;
#[cfg(any(test, feature = "test-support"))]
mod owner;
pub mod probe;
pub mod reason;
pub mod status;

#[cfg(test)]
mod tests;

pub use config::QueueConfig;
pub use decision::FsVerdict;
pub use decision::{Decision, Verdict};
pub use ops::evaluate;
#[cfg(any(test, feature = "test-support"))]
pub use owner::{Acquire, Release, Touch, acquire, heartbeat, release};
pub use probe::System;

/// The heartbeat window: a same-host lock is fresh below it, a foreign lock stale at or above it.
pub(crate) const HEARTBEAT_WINDOW: Duration = Duration::from_millis(300_000);

/// Where the queue's files live for one project (SPEC §1.1, §1.11).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// The project directory.
    pub project: PathBuf,
    /// `<project>/.instar`: upstream's `stateDir`, the directory `df` is asked about.
    pub instar: PathBuf,
    /// `<project>/.instar/state`.
    pub state: PathBuf,
    /// `<project>/.instar/state/resume-queue.lock`.
    pub lock: PathBuf,
    /// `<project>/.instar/state/resume-queue.lock.guard`: the sidecar our processes hold an
    /// exclusive `flock` on while they re-check and replace the lock. Never holds data.
    pub guard: PathBuf,
    /// `<project>/logs/resume-queue.jsonl` (upstream writes `<project>/logs`, not
    /// `.instar/logs`).
    pub audit: PathBuf,
}

impl Paths {
    pub fn new(project: &Path) -> Paths {
        let instar = project.join(crate::state::INSTAR_DIR);
        let state = instar.join("state");
        Paths {
            project: project.to_path_buf(),
            lock: state.join("resume-queue.lock"),
            guard: state.join("resume-queue.lock.guard"),
            audit: project.join("logs").join("resume-queue.jsonl"),
            instar,
            state,
        }
    }

    /// Whether the project is an instar agent (it has a `.instar/` directory). Without one
    /// there is no resume queue.
    pub(crate) fn is_instar_agent(&self) -> bool {
        self.instar.is_dir()
    }
}
