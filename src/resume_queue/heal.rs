//! The operator's repair of a rename lock (`instar-hooks resume-queue heal`).
//!
//! **Heal** checks the same preconditions as the server's auto-heal, in the same order
//! (heartbeat, then filesystem, then, only on a proven-local filesystem, the pid): the lock is
//! foreign, its heartbeat at least 5 minutes stale, the state dir on a host-local disk, its
//! pid dead here. When all hold it replaces the lock, atomically and only if nobody changed
//! it meanwhile ([`super::ops::install`]), with one that names **this host**, keeps the **old,
//! dead pid**, and keeps the **old, stale mtime**.
//!
//! Why that lock: it is exactly what the next server start (ours or upstream's) reclaims by
//! itself. The start sees a same-host lock and asks "is it live?" = pid alive **and**
//! heartbeat fresh. The heartbeat is the old mtime, already at least 5 minutes old, so the
//! answer is "no" even if, by then, the old pid number has been reused by an unrelated
//! process here; the pid is dead today besides. Writing our own pid instead would make the
//! lock look live until the CLI exited and fresh for 5 minutes after, and writing no lock
//! at all would lose the record of who held it. Nothing about the heal needs the server to
//! trust a new kind of file: the result is an ordinary stale same-host lock.
//!
//! **Heal with `force`** is upstream's manual recovery ("delete state/resume-queue.lock and
//! restart") for an operator who has checked by hand: it skips the heartbeat and filesystem
//! checks and removes the lock, but still refuses while the recorded pid is alive here.
//!
//! A dry run probes the same way and writes nothing, not even an audit row.

use serde_json::{Map, Value, json};

use super::{
    Paths,
    audit::AuditSink,
    decision::{FsVerdict, Heartbeat},
    lockfile::{self, Identity, LockContents},
    ops,
    probe::System,
};
use crate::{Error, timestamp::human_duration};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HealOptions {
    pub dry_run: bool,
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HealResult {
    /// The lock now names this host (old pid and heartbeat kept).
    Healed,
    /// Dry run: it would have been healed.
    WouldHeal,
    /// `--force`: the lock was deleted.
    Removed,
    /// `--force --dry-run`: it would have been deleted.
    WouldRemove,
    /// A precondition failed; nothing was written. See `failed`.
    Refused,
    /// Another process changed the lock between our checks and our write; nothing was written.
    LostRace,
}

#[derive(Clone, Debug, PartialEq)]
pub struct HealReport {
    pub result: HealResult,
    pub this_host: String,
    pub lock_host: Option<String>,
    pub lock_pid: Option<Value>,
    pub heartbeat: Option<Heartbeat>,
    pub fs: Option<FsVerdict>,
    /// `None`: not probed (no pid, or the filesystem was not proven local).
    pub pid_alive: Option<bool>,
    /// Each failed precondition: a short code and a sentence.
    pub failed: Vec<(&'static str, String)>,
    /// The audit event written, if any.
    pub event: Option<&'static str>,
}

impl HealReport {
    /// Whether the lock was (or, in a dry run, would be) rewritten or removed.
    pub fn changed(&self) -> bool {
        matches!(
            self.result,
            HealResult::Healed
                | HealResult::WouldHeal
                | HealResult::Removed
                | HealResult::WouldRemove
        )
    }
}

/// Heals (or, with `force`, removes) the lock; see the module docs. Errors are I/O errors on
/// the lock itself; every other outcome is in the report.
pub fn heal(
    paths: &Paths,
    opts: HealOptions,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> crate::Result<HealReport> {
    let mut report = HealReport {
        result: HealResult::Refused,
        this_host: sys.host.clone(),
        lock_host: None,
        lock_pid: None,
        heartbeat: None,
        fs: None,
        pid_alive: None,
        failed: Vec::new(),
        event: None,
    };
    let read = lockfile::read(&paths.lock).map_err(|e| Error::io(&paths.lock, "read", e))?;
    let Some(read) = read else {
        report.failed.push((
            "no-lock",
            format!(
                "there is no lock at {}: the queue starts at the next server start",
                paths.lock.display()
            ),
        ));
        return Ok(finish(report, opts, paths, sys, audit));
    };
    let meta = read
        .file
        .metadata()
        .map_err(|e| Error::io(&paths.lock, "inspect", e))?;
    let identity = Identity::new(&meta, read.bytes.clone());
    let lock = LockContents::parse(&read.bytes);
    report.lock_host = lock.host().map(str::to_string);
    report.lock_pid = lock.raw_pid().cloned();
    let now = sys.now();
    report.heartbeat = meta.modified().ok().map(|m| Heartbeat::new(m, now));

    if opts.force {
        if let Some(pid) = lock.pid() {
            let alive = (sys.pid_probe)(pid);
            report.pid_alive = Some(alive);
            if alive {
                report.failed.push(("pid-alive", pid_alive_sentence(pid)));
            }
        }
        if report.failed.is_empty() && !opts.dry_run {
            let took = ops::remove(paths, &identity)?;
            report.result = if took {
                HealResult::Removed
            } else {
                HealResult::LostRace
            };
            let mut f = base_fields(&report);
            f.insert(
                "priorPid".into(),
                report.lock_pid.clone().unwrap_or(Value::Null),
            );
            f.insert("took".into(), json!(took));
            f.insert("source".into(), json!("cli"));
            f.insert("forced".into(), json!(true));
            audit.record(sys.now(), "lock-force-removed", f);
            report.event = Some("lock-force-removed");
        } else if report.failed.is_empty() {
            report.result = HealResult::WouldRemove;
        }
        return Ok(finish(report, opts, paths, sys, audit));
    }

    match (&lock, lock.host()) {
        (LockContents::Null, _) => report.failed.push((
            "null-lock",
            "the lock holds JSON null, which the server refuses to evaluate; after checking \
             that nothing else uses this state dir, remove it with `heal --force`"
                .into(),
        )),
        (_, Some(host)) if host != sys.host => {}
        _ => report.failed.push((
            "not-foreign",
            format!(
                "the lock does not belong to another host (it names {}): the server reclaims it \
                 by itself once its pid is dead or its heartbeat stale",
                report
                    .lock_host
                    .as_deref()
                    .map_or_else(|| "no host".to_string(), |h| format!("this host, \"{h}\""))
            ),
        )),
    }
    if !report.failed.is_empty() {
        return Ok(finish(report, opts, paths, sys, audit));
    }

    // The server's auto-heal order: heartbeat, filesystem, then the pid on a local disk only.
    match report.heartbeat {
        Some(h) if h.stale() => {}
        Some(h) => report.failed.push((
            "heartbeat-fresh",
            format!(
                "the heartbeat is fresh: the lock was touched {} ago, under 5 min (a server on \
                 \"{}\" may still be running)",
                human_duration(h.age),
                report.lock_host.as_deref().unwrap_or_default()
            ),
        )),
        None => report.failed.push((
            "heartbeat-unknown",
            "the heartbeat (the lock's mtime) cannot be read".into(),
        )),
    }
    let fs = (sys.fs_probe)(paths);
    if fs.local {
        if let Some(pid) = lock.pid() {
            let alive = (sys.pid_probe)(pid);
            report.pid_alive = Some(alive);
            if alive {
                report.failed.push(("pid-alive", pid_alive_sentence(pid)));
            }
        }
    } else {
        report.failed.push((
            "not-local",
            format!(
                "the state dir is not proven host-local ({}); the pid was not checked",
                fs.detail
            ),
        ));
    }
    report.fs = Some(fs);
    if !report.failed.is_empty() {
        return Ok(finish(report, opts, paths, sys, audit));
    }
    if opts.dry_run {
        report.result = HealResult::WouldHeal;
        return Ok(report);
    }
    // Keep the old pid (dead here) and the old, stale mtime: see the module docs.
    let pid = match report.lock_pid.clone() {
        Some(n @ Value::Number(_)) => n,
        _ => Value::Null,
    };
    let bytes = lockfile::encode(&pid, &sys.host);
    let took = ops::install(paths, Some(&identity), &bytes, identity.mtime)?;
    report.result = if took {
        HealResult::Healed
    } else {
        HealResult::LostRace
    };
    let mut f = base_fields(&report);
    f.insert("took".into(), json!(took));
    f.insert("source".into(), json!("cli"));
    audit.record(sys.now(), "lock-foreign-host-autohealed", f);
    report.event = Some("lock-foreign-host-autohealed");
    Ok(report)
}

fn pid_alive_sentence(pid: i32) -> String {
    format!(
        "pid {pid} is alive on this host (the owner may still be running, or another process \
         now has that number; check with `ps -p {pid}`)"
    )
}

fn base_fields(report: &HealReport) -> Map<String, Value> {
    let mut f = Map::new();
    f.insert(
        "lockHost".into(),
        report.lock_host.clone().map_or(Value::Null, Value::String),
    );
    f.insert("thisHost".into(), json!(report.this_host));
    f
}

/// Audits a refusal (not in a dry run) and returns the report.
fn finish(
    mut report: HealReport,
    opts: HealOptions,
    paths: &Paths,
    sys: &System<'_>,
    audit: &mut dyn AuditSink,
) -> HealReport {
    if report.result != HealResult::Refused || opts.dry_run || !paths.instar.is_dir() {
        return report;
    }
    let mut f = base_fields(&report);
    f.insert(
        "why".into(),
        json!(
            report
                .failed
                .iter()
                .map(|(code, _)| *code)
                .collect::<Vec<_>>()
        ),
    );
    if let Some(fs) = &report.fs {
        f.insert("fsLocal".into(), json!(fs.local));
        f.insert(
            "pidDead".into(),
            json!(fs.local && report.pid_alive != Some(true)),
        );
        f.insert(
            "foreignHeartbeatStale".into(),
            json!(report.heartbeat.is_some_and(|h| h.stale())),
        );
    }
    f.insert("forced".into(), json!(opts.force));
    f.insert("source".into(), json!("cli"));
    audit.record(sys.now(), "lock-heal-refused", f);
    report.event = Some("lock-heal-refused");
    report
}
