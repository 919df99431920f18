//! The operator's repair of a rename lock (`instar-hooks resume-queue heal`).
//!
//! **Heal** is the server's auto-heal, run by hand: it asks [`super::decide`] (through the
//! same probes) with auto-heal on and no dry run, so it checks the same preconditions, in the
//! same order, by construction (heartbeat, then filesystem, then, only on a proven-local
//! filesystem, the pid): the lock is foreign, its heartbeat at least 5 minutes stale, the
//! state dir on a host-local disk, its pid dead here. When the decision is to auto-heal it
//! replaces the lock, atomically and only if nobody changed it meanwhile
//! ([`super::ops::install`]), with one that names **this host**, keeps the **old, dead pid**,
//! and keeps the **old, stale mtime**. Any other decision is a refusal that names each failed
//! precondition. A lock that names this host (or none) is refused before anything is probed:
//! it is not heal's to repair, the server's next start reclaims it or leaves it to its live
//! owner.
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

use serde::Serialize;
use serde_json::{Value, json};

use super::{
    Paths, QueueConfig,
    audit::{AuditSink, fields},
    decision::{Decision, Facts, Heartbeat, Verdict},
    lockfile::{self, Identity, LockContents, LockRead},
    ops,
    probe::System,
    status::NOT_AN_AGENT,
};
use crate::{Error, timestamp::human_duration};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HealOptions {
    pub dry_run: bool,
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

/// A failed precondition: a short code and a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failed {
    pub code: &'static str,
    pub message: String,
}

/// What a heal did and found, as `heal --json` prints it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealReport {
    pub result: HealResult,
    pub this_host: String,
    pub lock_host: Option<String>,
    pub lock_pid: Option<Value>,
    /// What the checks looked at (a `None` was not looked at): `heartbeatAgeMs`,
    /// `filesystem`, `pidAlive`.
    #[serde(flatten)]
    pub facts: Facts,
    pub failed: Vec<Failed>,
    /// The audit event written, if any.
    #[serde(rename = "auditEvent")]
    pub event: Option<&'static str>,
}

impl HealReport {
    fn new(this_host: &str, lock: Option<&LockContents>) -> HealReport {
        HealReport {
            result: HealResult::Refused,
            this_host: this_host.to_string(),
            lock_host: lock.and_then(LockContents::host).map(str::to_string),
            lock_pid: lock.and_then(LockContents::raw_pid).cloned(),
            facts: Facts::default(),
            failed: Vec::new(),
            event: None,
        }
    }

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
/// the lock and its directory; every other outcome is in the report.
pub fn heal(
    paths: &Paths,
    opts: HealOptions,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> crate::Result<HealReport> {
    if !paths.is_instar_agent() {
        // Nothing to audit into: a project that is not an agent has no queue and no log.
        let mut report = HealReport::new(&sys.host, None);
        report
            .failed
            .push(failed("not-an-agent", NOT_AN_AGENT.into()));
        return Ok(report);
    }
    let read = lockfile::read(&paths.lock).map_err(|e| Error::io(&paths.lock, "read", e))?;
    match (&read, opts.force) {
        (Some(read), true) => force(paths, read, opts, sys, audit),
        _ => checked(paths, read.as_ref(), opts, sys, audit),
    }
}

/// The heal proper: the server's auto-heal decision, then the rewrite.
fn checked(
    paths: &Paths,
    read: Option<&LockRead>,
    opts: HealOptions,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> crate::Result<HealReport> {
    let contents = read.map(LockRead::contents);
    if let Some(lock) = &contents
        && lock.unusable().is_none()
        && !lock.names_other_host(&sys.host)
    {
        let mut report = HealReport::new(&sys.host, Some(lock));
        report.failed.push(not_foreign(lock.host()));
        return Ok(refuse(report, None, opts, sys, audit));
    }
    let (decision, seen) = ops::decide_on(paths, Ok(read), &QueueConfig::operator_heal(), sys);
    let mut report = HealReport::new(&sys.host, contents.as_ref());
    report.failed = refusals(&decision, contents.as_ref(), paths);
    report.facts = decision.facts.clone();
    let (true, Some(read)) = (report.failed.is_empty(), read) else {
        return Ok(refuse(report, Some(&decision.verdict), opts, sys, audit));
    };
    if opts.dry_run {
        report.result = HealResult::WouldHeal;
        return Ok(report);
    }
    // Keep the old pid (dead here) and the old, stale mtime: see the module docs.
    let identity = ops::identity(paths, read, seen)?;
    let pid = match &report.lock_pid {
        Some(n @ Value::Number(_)) => n.clone(),
        _ => Value::Null,
    };
    let bytes = lockfile::encode(&pid, &sys.host);
    let took = ops::install(paths, Some(&identity), &bytes, identity.mtime)?;
    report.result = if took {
        HealResult::Healed
    } else {
        HealResult::LostRace
    };
    let row = json!({
        "lockHost": report.lock_host, "thisHost": report.this_host, "took": took, "source": "cli"
    });
    record(&mut report, "lock-foreign-host-autohealed", row, sys, audit);
    Ok(report)
}

/// `--force`: remove the lock unless its pid is alive here.
fn force(
    paths: &Paths,
    read: &LockRead,
    opts: HealOptions,
    sys: &mut System<'_>,
    audit: &mut dyn AuditSink,
) -> crate::Result<HealReport> {
    let lock = read.contents();
    let meta = read
        .file
        .metadata()
        .map_err(|e| Error::io(&paths.lock, "inspect", e))?;
    let identity = Identity::new(&meta, read.bytes.clone());
    let mut report = HealReport::new(&sys.host, Some(&lock));
    report.facts.heartbeat_probed = true;
    report.facts.heartbeat = meta.modified().ok().map(|m| Heartbeat::new(m, sys.now()));
    if let Some(pid) = lock.pid() {
        let alive = (sys.pid_probe)(pid);
        report.facts.pid_alive = Some(alive);
        if alive {
            report.failed.push(pid_alive(pid));
            return Ok(refuse(report, None, opts, sys, audit));
        }
    }
    if opts.dry_run {
        report.result = HealResult::WouldRemove;
        return Ok(report);
    }
    let took = ops::remove(paths, &identity)?;
    report.result = if took {
        HealResult::Removed
    } else {
        HealResult::LostRace
    };
    let row = json!({
        "lockHost": report.lock_host, "thisHost": report.this_host, "priorPid": report.lock_pid,
        "took": took, "source": "cli", "forced": true
    });
    record(&mut report, "lock-force-removed", row, sys, audit);
    Ok(report)
}

fn failed(code: &'static str, message: String) -> Failed {
    Failed { code, message }
}

fn not_foreign(lock_host: Option<&str>) -> Failed {
    let names = lock_host.map_or_else(|| "no host".to_string(), |h| format!("this host, \"{h}\""));
    failed(
        "not-foreign",
        format!(
            "the lock does not belong to another host (it names {names}): the server reclaims it \
             by itself once its pid is dead or its heartbeat stale"
        ),
    )
}

fn pid_alive(pid: i32) -> Failed {
    failed(
        "pid-alive",
        format!(
            "pid {pid} is alive on this host (the owner may still be running, or another process \
             now has that number; check with `ps -p {pid}`)"
        ),
    )
}

/// Why the server's decision is not to auto-heal: each failed precondition, in the order the
/// decision checks them, with what it found.
fn refusals(d: &Decision, lock: Option<&LockContents>, paths: &Paths) -> Vec<Failed> {
    let (fs_local, pid_dead, stale) = match &d.verdict {
        Verdict::AutoHeal => return Vec::new(),
        Verdict::WouldAutoHeal | Verdict::Off => {
            unreachable!("the operator's config has the queue on and no dry run")
        }
        Verdict::Create => {
            return vec![failed(
                "no-lock",
                format!(
                    "there is no lock at {}: the queue starts at the next server start",
                    paths.lock.display()
                ),
            )];
        }
        // `checked` refuses these before probing; kept so that every verdict says why.
        Verdict::Reclaim { .. } | Verdict::LiveOther { .. } => {
            return vec![not_foreign(d.lock_host.as_deref())];
        }
        Verdict::Failed { error, .. } => {
            let (code, what) = match lock {
                Some(LockContents::Null) => ("null-lock", "the lock holds JSON null"),
                _ => ("bad-lock", error.as_str()),
            };
            return vec![failed(
                code,
                format!(
                    "{what}, which the server refuses to evaluate; after checking that nothing \
                     else uses this state dir, remove it with `heal --force`"
                ),
            )];
        }
        Verdict::Foreign {
            fs_local,
            pid_dead,
            stale,
            ..
        } => (*fs_local, *pid_dead, *stale),
    };
    let mut out = Vec::new();
    if !stale {
        out.push(match d.facts.heartbeat {
            Some(h) => failed(
                "heartbeat-fresh",
                format!(
                    "the heartbeat is fresh: the lock was touched {} ago, under 5 min (a server \
                     on \"{}\" may still be running)",
                    human_duration(h.age),
                    d.lock_host.as_deref().unwrap_or_default()
                ),
            ),
            None => failed(
                "heartbeat-unknown",
                "the heartbeat (the lock's mtime) cannot be read".into(),
            ),
        });
    }
    if !fs_local {
        let detail = d.facts.fs.as_ref().map_or("", |f| f.detail.as_str());
        out.push(failed(
            "not-local",
            format!("the state dir is not proven host-local ({detail}); the pid was not checked"),
        ));
    } else if !pid_dead && let Some(pid) = lock.and_then(LockContents::pid) {
        out.push(pid_alive(pid));
    }
    out
}

/// Audits a refusal (not in a dry run) and returns the report.
fn refuse(
    mut report: HealReport,
    verdict: Option<&Verdict>,
    opts: HealOptions,
    sys: &System<'_>,
    audit: &mut dyn AuditSink,
) -> HealReport {
    if opts.dry_run {
        return report;
    }
    let why: Vec<&str> = report.failed.iter().map(|f| f.code).collect();
    let mut row = fields(json!({
        "lockHost": report.lock_host, "thisHost": report.this_host, "why": why
    }));
    if let Some(Verdict::Foreign {
        fs_local,
        pid_dead,
        stale,
        ..
    }) = verdict
    {
        row.extend(fields(json!({
            "fsLocal": fs_local, "pidDead": pid_dead, "foreignHeartbeatStale": stale
        })));
    }
    row.extend(fields(json!({"forced": opts.force, "source": "cli"})));
    record(
        &mut report,
        "lock-heal-refused",
        Value::Object(row),
        sys,
        audit,
    );
    report
}

fn record(
    report: &mut HealReport,
    event: &'static str,
    row: Value,
    sys: &System<'_>,
    audit: &mut dyn AuditSink,
) {
    audit.record(sys.now(), event, fields(row));
    report.event = Some(event);
}
