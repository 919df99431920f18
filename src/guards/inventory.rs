//! The facts behind each guard's row, gathered at read time, and the one aggregated
//! attention item.
//!
//! - `queue`, the resume queue: the decision instar's server would take at its next start
//!   ([`crate::resume_queue::status::StatusReport::evaluate`], read-only), as its runtime
//!   status. A live server on this host that holds the lock runs the queue: that is the
//!   normal case, `on-…`. A project that is not an instar agent has no queue:
//!   `not-applicable`, never a problem.
//! - `sentinel`, the action-claim sentinel: config (an unreadable file switches it off:
//!   `errored`; other problems fall back to defaults and are only said), whether the Stop hook
//!   is registered (any Claude Code settings file, or the plugin) and its binary deployed and
//!   executable (if not, the sentinel is off at runtime while the config says on:
//!   `off-runtime-divergent`), the hook's last run and last failure (a failed last run →
//!   `errored`), and staleness judged from evidence: Claude Code wrote a session transcript
//!   for this project more than [`STALE_AFTER`] after the hook last ran (or, never having
//!   run, after it was registered) → `on-stale`. Wired twice (plugin and settings) is not one
//!   of instar's states, but raises the attention item with the fix.

use serde::Serialize;
use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use super::posture::Row;
use crate::{env::Env, plugin, resume_queue::System, timestamp::Timestamp};

mod queue;
mod sentinel;

/// Claude Code activity this much later than the hook's last run means the hook is not
/// running on turns (the Stop hook runs at the end of every turn).
pub(crate) const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory {
    pub project: PathBuf,
    pub generated_at: Timestamp,
    pub guards: Vec<Row>,
    /// One item for everything that needs attention; `None` when nothing does.
    pub attention: Option<Attention>,
}

/// instar's aggregated guard-posture attention item, raised at once (no waiting for two
/// probe ticks) and keeping each guard's reason.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attention {
    pub id: &'static str,
    pub title: String,
    pub summary: String,
    pub priority: &'static str,
}

pub fn build(project: &Path, env: &Env, sys: &mut System<'_>, now: Timestamp) -> Inventory {
    let wiring = plugin::wiring(project, env);
    let guards = vec![
        queue::row(project, sys, now),
        sentinel::row(project, env, &wiring, now),
    ];
    let lines: Vec<String> = guards
        .iter()
        .filter(|r| r.needs_attention())
        .map(|r| {
            let mut line = format!("[local] {}: {}", r.key, r.effective.as_str());
            if let Some(reason) = &r.reason {
                line.push_str(&format!(" — {reason}"));
            }
            line
        })
        .collect();
    let attention = (!lines.is_empty()).then(|| Attention {
        id: "guard-posture:local",
        title: format!("Guard posture anomalies ({})", lines.len()),
        summary: format!(
            "Guard-posture anomalies:\n{}",
            lines
                .iter()
                .map(|l| format!("- {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        priority: "HIGH",
    });
    Inventory {
        project: project.to_path_buf(),
        generated_at: now,
        guards,
        attention,
    }
}

/// A row's reason, with the config problems that did not change its state (each falls back
/// to a default, and the guard runs) said after it.
fn with_problems(reason: String, problems: &[String]) -> String {
    match problems {
        [] => reason,
        _ => format!("{reason} (config problems: {})", problems.join("; ")),
    }
}
