//! What a [`Decision`] says: upstream's `disabledReason` text (exactly, SPEC §1.4–§1.6) and
//! the audit event (SPEC §1.11; the owner writes its fields: [`super::owner`]).

use super::decision::{Decision, Verdict};

impl Decision {
    pub(super) fn lock_host_text(&self) -> &str {
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
}

/// Upstream's reason when acquisition throws.
pub(crate) fn acquire_error_reason(error: &str) -> String {
    format!("resume-queue disabled: lock acquisition raised: {error}")
}
