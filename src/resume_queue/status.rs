//! The report behind `instar-hooks resume-queue status` (and the resume queue's row in
//! `instar-hooks guards`): what the queue will do at the next server start and why, built from
//! a read-only [`super::evaluate`] decision. It holds only what the decision probed (a foreign
//! lock with auto-heal off shows no heartbeat, disk or pid facts, because the server never
//! looks at them), plus the command that fixes it.
//!
//! A live owner on this host (`live-other`) is the normal case of a running instar server:
//! the queue runs, in that process. Only a queue that will stay disabled with no owner at all
//! is a finding.

use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

use super::{Decision, FsVerdict, Paths, QueueConfig, System, Verdict, decision::Failure};
use crate::timestamp::Timestamp;

pub const NOT_AN_AGENT: &str = "not an instar agent: no resume queue here";

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub project: PathBuf,
    pub instar_agent: bool,
    /// `not-an-instar-agent`, `off`, `create`, `reclaim`, `auto-heal`, `live-other`,
    /// `foreign-host`, `would-auto-heal`, `error`.
    pub verdict: &'static str,
    pub will_start: bool,
    pub summary: String,
    /// Upstream's `disabledReason`, verbatim.
    pub reason: Option<String>,
    /// The audit event a server start would write.
    pub event: Option<&'static str>,
    pub this_host: Option<String>,
    pub lock: Option<LockFacts>,
    pub config: Option<QueueConfig>,
    /// The command that fixes it.
    pub fix: Option<String>,
    pub hint: Option<String>,
    /// The decision behind it (`None`: not an instar agent).
    #[serde(skip)]
    pub decision: Option<Decision>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LockFacts {
    pub path: PathBuf,
    pub present: bool,
    pub pid: Option<Value>,
    pub hostname: Option<String>,
    pub foreign: bool,
    /// `null`: not probed.
    pub pid_alive: Option<bool>,
    /// `fresh` or `stale` (by the rule for this kind of lock), `unreadable`, `not-probed`.
    pub heartbeat: &'static str,
    pub heartbeat_at: Option<Timestamp>,
    pub heartbeat_age_ms: Option<u64>,
    /// `null`: not probed.
    pub filesystem: Option<FsVerdict>,
}

impl StatusReport {
    /// A project without `.instar/`.
    pub(crate) fn not_an_agent(project: &Path) -> StatusReport {
        StatusReport {
            project: project.into(),
            instar_agent: false,
            verdict: "not-an-instar-agent",
            will_start: false,
            summary: NOT_AN_AGENT.into(),
            reason: None,
            event: None,
            this_host: None,
            lock: None,
            config: None,
            fix: None,
            hint: None,
            decision: None,
        }
    }

    /// The status of `project`'s queue, probing through `sys`. Errors: the config cannot be
    /// read (the server would not boot with it either).
    pub fn evaluate(project: &Path, sys: &mut System<'_>) -> crate::Result<StatusReport> {
        let paths = Paths::new(project);
        if !paths.is_instar_agent() {
            return Ok(StatusReport::not_an_agent(project));
        }
        let config = QueueConfig::load(project)?;
        let decision = super::evaluate(&paths, &config, sys);
        Ok(StatusReport::new(&paths, config, decision))
    }

    pub fn new(paths: &Paths, config: QueueConfig, d: Decision) -> StatusReport {
        let foreign = d.lock_host.as_ref().is_some_and(|h| *h != d.this_host);
        let hb = d.facts.heartbeat;
        let (verdict, summary) = summarize(&d);
        let (fix, hint) = fix(&d, &paths.project);
        StatusReport {
            project: paths.project.clone(),
            instar_agent: true,
            verdict,
            will_start: d.will_start(),
            summary,
            reason: d.reason(),
            event: d.event(),
            this_host: Some(d.this_host.clone()),
            lock: Some(LockFacts {
                path: paths.lock.clone(),
                present: !matches!(d.verdict, Verdict::Create | Verdict::Off)
                    || paths.lock.exists(),
                pid: d.lock_pid.clone(),
                hostname: d.lock_host.clone(),
                foreign,
                pid_alive: d.facts.pid_alive,
                heartbeat: match (d.facts.heartbeat_probed, hb) {
                    (false, _) => "not-probed",
                    (true, None) => "unreadable",
                    (true, Some(h)) if h.stale() => "stale",
                    (true, Some(_)) => "fresh",
                },
                heartbeat_at: hb.map(|h| Timestamp::from_system_time(h.mtime)),
                heartbeat_age_ms: hb.map(|h| h.age_ms()),
                filesystem: d.facts.fs.clone(),
            }),
            config: Some(config),
            fix,
            hint,
            decision: Some(d),
        }
    }

    /// Whether this is a finding (exit 1): the queue is on in config, but no queue will run
    /// here (none starts, and no live owner on this host runs one).
    pub fn is_finding(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.verdict != Verdict::Off && !d.queue_runs())
    }
}

fn summarize(d: &Decision) -> (&'static str, String) {
    let (verdict, text) = match &d.verdict {
        Verdict::Off => (
            "off",
            "off: monitoring.resumeQueue.enabled is false".to_string(),
        ),
        Verdict::Create => ("create", "will start: there is no lock yet".into()),
        Verdict::Reclaim { .. } => (
            "reclaim",
            "will start: it reclaims a stale lock left on this host".into(),
        ),
        Verdict::AutoHeal => (
            "auto-heal",
            "will start: it auto-heals a stale lock left under another hostname".into(),
        ),
        Verdict::LiveOther { pid } => (
            "live-other",
            format!(
                "running: pid {pid} on this host owns the queue (a second server started now \
                 would stay disabled)"
            ),
        ),
        Verdict::Foreign { .. } => (
            "foreign-host",
            "will stay disabled: the lock belongs to another host".into(),
        ),
        Verdict::WouldAutoHeal => (
            "would-auto-heal",
            "will stay disabled: it would auto-heal, but dryRun is on".into(),
        ),
        Verdict::Failed { .. } => (
            "error",
            "will stay disabled: the lock cannot be evaluated".into(),
        ),
    };
    (verdict, text)
}

/// The command that fixes it, and a sentence around it.
fn fix(d: &Decision, project: &Path) -> (Option<String>, Option<String>) {
    let cmd = |force: bool| Some(crate::fixes::heal(project, force));
    let hint = |s: &str| Some(s.to_string());
    let fs_local = d.facts.fs.as_ref().map(|f| f.local);
    match &d.verdict {
        Verdict::LiveOther { pid } => (
            None,
            Some(format!(
                "nothing to fix while pid {pid} runs the queue; for another server here to own \
                 it, stop pid {pid} first (one queue owner per machine), or wait: its lock goes \
                 stale 5 min after its last heartbeat"
            )),
        ),
        Verdict::Foreign {
            auto_heal: false, ..
        } => (
            cmd(false),
            hint(
                "heal checks the heartbeat (>= 5 min stale), the disk (host-local) and the pid \
                 (dead here), then rewrites the lock for this host; to let the server do this at \
                 start, set monitoring.resumeQueue.autoHealStaleHostLock: true",
            ),
        ),
        Verdict::Foreign { .. } if fs_local == Some(false) => (
            cmd(true),
            hint(
                "the state dir is not proven host-local, so nothing heals it automatically; run \
                 this only after checking that no other host uses this state dir",
            ),
        ),
        Verdict::Foreign { stale: false, .. } if d.facts.heartbeat.is_none() => (
            cmd(true),
            hint(
                "the heartbeat (the lock's mtime) cannot be read, so neither the server nor heal \
                 can show that it is stale; run this only after checking that no server on the \
                 lock's host still runs",
            ),
        ),
        Verdict::Foreign { stale: false, .. } => (
            cmd(false),
            hint(
                "the heartbeat is under 5 min old: if a server on the lock's host still runs, \
                 stop it; heal refuses until the heartbeat is stale",
            ),
        ),
        Verdict::Foreign { .. } => (
            None,
            hint("the lock's pid is alive on this host: find out what it is (`ps -p PID`)"),
        ),
        Verdict::WouldAutoHeal => (
            cmd(false),
            hint(
                "or set monitoring.resumeQueue.dryRun: false so the server heals it at start \
                 (dryRun also keeps the whole queue observe-only)",
            ),
        ),
        Verdict::Failed {
            cause: Failure::BadLock,
            ..
        } => (
            cmd(true),
            hint("after checking that nothing else uses this state dir"),
        ),
        Verdict::Failed {
            cause: Failure::Io, ..
        } => (
            None,
            hint(
                "the lock cannot be read (see the reason): fix what the error names (permissions, \
                 a symlink in its place, …) and check again; heal cannot repair a lock it cannot \
                 read",
            ),
        ),
        Verdict::Off | Verdict::Create | Verdict::Reclaim { .. } | Verdict::AutoHeal => {
            (None, None)
        }
    }
}
