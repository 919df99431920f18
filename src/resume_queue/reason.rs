//! What a [`Decision`] says: upstream's `disabledReason` text (exactly, SPEC §1.4–§1.6) and
//! the audit row (event and fields, in upstream's order, SPEC §1.11).

use serde_json::{Map, Value, json};

use super::{
    audit::fields,
    decision::{Decision, Verdict},
};

impl Decision {
    fn lock_host_text(&self) -> &str {
        self.lock_host.as_deref().unwrap_or_default()
    }

    /// Upstream's `disabledReason`, exactly; `None` when the queue starts (or is off).
    pub fn reason(&self) -> Option<String> {
        let (path, lock_host, host) = (
            self.lock_path.display(),
            self.lock_host_text(),
            &self.this_host,
        );
        match &self.verdict {
            Verdict::Off | Verdict::Create | Verdict::Reclaim { .. } | Verdict::AutoHeal => None,
            Verdict::LiveOther { pid } => Some(format!(
                "resume-queue disabled: another live process (pid {pid}) holds {path} with a \
                 fresh heartbeat. Only one queue owner per machine is supported."
            )),
            Verdict::Foreign {
                auto_heal,
                fs_local,
                pid_dead,
                stale,
            } => {
                let declined = if *auto_heal {
                    format!(
                        "Auto-heal declined (fsLocal={fs_local}, pidDead={pid_dead}, \
                         heartbeatStale={stale}). "
                    )
                } else {
                    String::new()
                };
                Some(format!(
                    "resume-queue disabled: lock at {path} belongs to host \"{lock_host}\" (this \
                     host: \"{host}\"). The queue's state dir must be host-local; shared volumes \
                     are unsupported. {declined}Recovery: after verifying nothing else uses this \
                     state dir (host renamed, or restored from a backup), delete \
                     state/resume-queue.lock and restart."
                ))
            }
            Verdict::WouldAutoHeal => Some(format!(
                "resume-queue disabled (dryRun): WOULD auto-heal stale rename lock from \
                 \"{lock_host}\" \u{2192} \"{host}\" (fsLocal, pid dead, heartbeat stale). Set \
                 dryRun:false to enable the self-heal."
            )),
            Verdict::Failed { error, .. } => Some(acquire_error_reason(error)),
        }
    }

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

    /// The audit event this decision writes (`None`: none, the queue is off).
    pub fn event(&self) -> Option<&'static str> {
        Some(match self.verdict {
            Verdict::Off => return None,
            Verdict::Create => "lock-created",
            Verdict::Reclaim { .. } => "lock-stale-reclaimed",
            Verdict::LiveOther { .. } => "lock-live-other",
            Verdict::Foreign { .. } => "lock-foreign-host",
            Verdict::WouldAutoHeal => "lock-foreign-host-would-autoheal",
            Verdict::AutoHeal => "lock-foreign-host-autohealed",
            Verdict::Failed { .. } => "lock-acquire-error",
        })
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

/// Upstream's reason when acquisition throws.
pub(crate) fn acquire_error_reason(error: &str) -> String {
    format!("resume-queue disabled: lock acquisition raised: {error}")
}
