//! Lock operations: the one primitive every change of the lock goes through, [`install`]; the
//! read-only [`evaluate`] behind `status`; and what the process that owns the queue does
//! ([`super::owner`]).
//!
//! # A reference implementation
//!
//! No binary of this crate owns a queue: upstream's (Node) server does. [`super::owner`]'s
//! `acquire`, `heartbeat` and `release` are the reference implementation of what a queue owner does
//! with the lock, race-free where upstream's is not (weaknesses 1, 2, 10), and the tests race
//! them across processes; they are built only for tests (`cfg(test)`, and the
//! `test-support` feature the integration tests enable), never into the binaries. The CLI uses [`evaluate`] (`status`) and, through
//! [`super::heal`], [`install`] and [`remove`].
//!
//! # Why a takeover is race-free
//!
//! Upstream replaces a stale lock with unlink-then-create (`open(…, 'wx')`): a second booter
//! can unlink the first one's brand-new lock and create its own, and both believe they own
//! the queue (weakness 1); the same-host path is plain last-writer-wins (weakness 2). Here,
//! every change of the lock file by our processes (create, take over, heal, remove) is:
//!
//! 1. **Prepare outside any lock.** Decide from a snapshot of the lock (its bytes, and the
//!    device, inode and mtime of the very descriptor they were read through), probing as
//!    needed (a `df` may take seconds). Write the complete new lock to a temp file in the same
//!    directory and fsync it.
//! 2. **Re-check under the guard.** Take an exclusive `flock` on the sidecar
//!    `resume-queue.lock.guard` and read the lock again. Go on only if it is still exactly the
//!    snapshot (same device, inode, mtime and bytes), or, for a create, still absent.
//! 3. **Swap under the guard.** `rename(2)` the temp file over the lock (or, for a create,
//!    link it into place without replacing anything, failing on `EEXIST`); fsync the directory.
//!
//! Of any number of racers that decided on the same snapshot, the guard admits one at a time.
//! The first finds the snapshot unchanged and swaps; the swap gives the lock a new inode (and
//! new bytes), so every later racer's re-check fails and it reports that it lost. Exactly one
//! wins. A heartbeat (an mtime change) by a live owner also fails the re-check, so a takeover
//! can never land on a lock that moved since it was judged; heartbeats and releases take the
//! same guard, so they cannot slip in between a re-check and its swap either.
//!
//! Readers never see a torn or empty lock: the new file is complete and durable before it
//! gets the lock's name, and `rename` replaces the name atomically, so an `open` finds either
//! the old file or the new one, never a partial one and never no file at all (a forced
//! removal is the only operation that makes the lock absent).
//!
//! Every write refuses a state dir that is a symlink (or has one on the way from the
//! project), so the lock cannot be planted or replaced outside the project. A writer killed
//! between its temp file and the swap leaves the temp file behind; the next writer removes it
//! under the guard.
//!
//! The guard is advisory and only our processes take it. An upstream (Node) server sharing
//! the directory does not; against it we are no worse than upstream, and the create path
//! still cannot clobber its lock (link/`RENAME_NOREPLACE` fails rather than replaces).

use std::{
    fs::{self, FileTimes, Metadata, Permissions},
    io::{self, Write},
    os::unix::fs::PermissionsExt,
    time::{Duration, SystemTime},
};

use super::{
    Paths, QueueConfig,
    decision::{Decision, Inputs, decide},
    lockfile::{self, Identity, LockRead},
    probe::{FileProbes, System},
};
use crate::{
    Error,
    fsutil::{self, FileLock},
};

/// A temp file of the lock this old is a dead writer's: a live one holds its temp file only
/// while it writes, fsyncs and waits at most [`fsutil::LOCK_WAIT`] for the guard.
const ORPHAN_AGE: Duration = Duration::from_secs(60);

/// The snapshot a takeover re-checks: the lock as read, with the metadata its heartbeat was
/// judged by (`seen`), else fetched now through the same descriptor.
pub(super) fn identity(
    paths: &Paths,
    read: &LockRead,
    seen: Option<Metadata>,
) -> crate::Result<Identity> {
    let meta = match seen {
        Some(meta) => meta,
        None => read
            .file
            .metadata()
            .map_err(|e| Error::io(&paths.lock, "inspect", e))?,
    };
    Ok(Identity::new(&meta, read.bytes.clone()))
}

/// Refuses a state dir that is a symlink or has one on the way from the project (creating
/// what is missing): every write of the lock goes through it.
pub(super) fn checked_state_dir(paths: &Paths) -> crate::Result<()> {
    fsutil::create_dir_within(&paths.project, &paths.state)
}

/// The guard every change of the lock is made under (see the module docs).
pub(super) fn guard(paths: &Paths) -> crate::Result<FileLock> {
    fsutil::lock_exclusive(&paths.guard, fsutil::LOCK_WAIT)
        .map_err(|e| Error::io(&paths.guard, "lock", e))
}

/// Puts `bytes` in place as the lock, only if the lock is still `expected` (`None`: still
/// absent). `mtime`, when given, is the new lock's heartbeat. `Ok(false)`: someone else
/// changed the lock first and nothing was written. See the module docs for why this is safe.
pub(crate) fn install(
    paths: &Paths,
    expected: Option<&Identity>,
    bytes: &[u8],
    mtime: Option<SystemTime>,
) -> crate::Result<bool> {
    let err = |action: &'static str| move |e: io::Error| Error::io(&paths.lock, action, e);
    checked_state_dir(paths)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".resume-queue.lock.")
        .suffix(".tmp")
        .tempfile_in(&paths.state)
        .map_err(err("create a temp file for"))?;
    (|| {
        tmp.as_file()
            .set_permissions(Permissions::from_mode(0o644))?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()
    })()
    .map_err(err("write a new"))?;

    let _guard = guard(paths)?;
    fsutil::remove_orphan_temps(&paths.lock, ORPHAN_AGE);
    if Identity::current(&paths.lock)
        .map_err(err("re-read"))?
        .as_ref()
        != expected
    {
        return Ok(false);
    }
    // Backdated only now: a temp file with an old mtime is an orphan to every other writer's
    // cleanup, so it exists only under the guard, for the moment before its swap.
    if let Some(t) = mtime {
        let f = tmp.as_file();
        (|| {
            f.set_times(FileTimes::new().set_accessed(t).set_modified(t))?;
            f.sync_all()
        })()
        .map_err(err("date a new"))?;
    }
    match expected {
        // link(2) / RENAME_NOREPLACE: even a writer that ignores the guard is never clobbered.
        None => match tmp.persist_noclobber(&paths.lock) {
            Ok(_) => {}
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => return Err(err("create")(e.error)),
        },
        Some(_) => {
            tmp.persist(&paths.lock)
                .map_err(|e| err("replace")(e.error))?;
        }
    }
    fsutil::sync_dir(&paths.state);
    Ok(true)
}

/// Deletes the lock, only if it is still `expected`. `Ok(false)`: it changed first.
pub(crate) fn remove(paths: &Paths, expected: &Identity) -> crate::Result<bool> {
    checked_state_dir(paths)?;
    let _guard = guard(paths)?;
    let current =
        Identity::current(&paths.lock).map_err(|e| Error::io(&paths.lock, "re-read", e))?;
    if current.as_ref() != Some(expected) {
        return Ok(false);
    }
    fs::remove_file(&paths.lock).map_err(|e| Error::io(&paths.lock, "remove", e))?;
    fsutil::sync_dir(&paths.state);
    Ok(true)
}

/// What `acquire` would decide right now, with the same probes, but read-only: no
/// directory is created, the lock is never rewritten and nothing is audited (`status`).
pub fn evaluate(paths: &Paths, config: &QueueConfig, sys: &mut System<'_>) -> Decision {
    let read = read_lock(paths);
    let read = read.as_ref().map(Option::as_ref).map_err(String::as_str);
    decide_on(paths, read, config, sys).0
}

/// The lock, or why it cannot be read, in words (a decision's input).
pub(super) fn read_lock(paths: &Paths) -> Result<Option<LockRead>, String> {
    lockfile::read(&paths.lock).map_err(|e| Error::io(&paths.lock, "read", e).to_string())
}

/// Decides on a lock as read, probing through `sys`; also returns the lock's metadata if the
/// heartbeat was probed (the snapshot a takeover re-checks).
pub(super) fn decide_on(
    paths: &Paths,
    read: Result<Option<&LockRead>, &str>,
    config: &QueueConfig,
    sys: &mut System<'_>,
) -> (Decision, Option<Metadata>) {
    let contents = read.map(|r| r.map(LockRead::contents));
    let (host, pid, now) = (sys.host.clone(), sys.pid, sys.now());
    let mut probes = FileProbes {
        file: read.ok().flatten().map(|r| &r.file),
        paths,
        sys,
        seen: None,
    };
    let inputs = Inputs {
        lock_path: &paths.lock,
        lock: contents.as_ref().map(Option::as_ref).map_err(|e| *e),
        this_host: &host,
        self_pid: pid,
        config,
        now,
    };
    let decision = decide(&inputs, &mut probes);
    (decision, probes.seen)
}
