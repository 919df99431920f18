/*!
`instar-migrate`: brings a project up to date for these hooks, the way instar's
PostUpdateMigrator does — deploy the hook binaries, register them in `.claude/settings.json`,
add the CLAUDE.md sections, optionally switch the feature in `.instar/config.json` — but
without ever losing a hand-edited setting.

It runs in three steps (see `plan_with`, `Plan::diff`, `apply`):
1. **Plan**: read every file once and compute its new bytes with pure functions. Nothing is
   written. A file that cannot be parsed is an error for that file; the others go on. How the
   project is wired ([`Wiring`], read once by the caller) decides what is deployed and
   registered: nothing when the Claude Code plugin serves the project, and nothing for a hook
   one of the settings files already runs (from any path).
2. **Show**: `--dry-run` prints a unified diff of every file that would change.
3. **Apply**: for each change, re-read the file just before replacing it; if it changed since
   the plan (Claude Code writes settings.json too), compute the edit again on what is there
   now. Back up the current bytes once per run, then replace the file atomically. Files whose
   bytes would not change are not written, so a second run reports nothing to do and writes
   nothing — not even a backup.

**`.instar/` makes a project an instar agent** (its hook state then lives inside it, see
[`crate::state`]), so the migrator creates it only by deploying the hooks into
`.instar/hooks/instar/` — the settings wiring this tool sets up — and says so. It never
creates it for a setting or a backup: in a project that has no `.instar/` and stays so (the
plugin runs its hooks, or they are registered from elsewhere), `--enable`/`--disable` edits
the per-user config, as `instar-hooks config set` does there, and backups go to the
project's per-user state directory.
*/

use std::path::PathBuf;

use crate::{Error, env::Env, plugin::Wiring, timestamp::Timestamp};

mod apply;
mod backup;
mod config;
mod deploy;
mod edits;
mod plan;
mod report;
mod targets;

pub use crate::config::file::Mode;
pub use apply::apply;
pub use plan::plan_with;
pub use report::HookAt;
pub use report::{Note, Report, Skip, Step, Upgrade};

#[derive(Clone, Debug)]
pub struct Options {
    pub project: PathBuf,
    /// Where the hook binaries to deploy are (normally: next to `instar-migrate`).
    pub source_dir: PathBuf,
    /// `Some(true)` for `--enable action-claim`, `Some(false)` for `--disable`.
    pub action_claim: Option<bool>,
    /// The user's directories (per-user config and state) and Claude Code's.
    pub env: Env,
}

/// One file to replace. `recompute` redoes the edit on the bytes found at apply time.
pub struct Change {
    /// Relative to the project; absolute for the per-user config (which is not backed up
    /// with the project's files).
    pub rel: PathBuf,
    pub before: Option<Vec<u8>>,
    pub after: Vec<u8>,
    /// Permissions for the file (an existing text file keeps its own).
    pub mode: Mode,
    pub recompute: Option<Recompute>,
    /// What this change does to the file.
    pub upgraded: Vec<Upgrade>,
}

pub(crate) type Recompute = Box<dyn Fn(Option<&[u8]>) -> Result<Option<Vec<u8>>, Error>>;

pub struct Plan {
    pub project: PathBuf,
    pub changes: Vec<Change>,
    pub report: Report,
    /// Where the run's backups go (decided before anything is written).
    backups: backup::Place,
}

impl Plan {
    /// A unified diff of every planned change (binaries are described, not diffed).
    pub(crate) fn diff(&self) -> String {
        let mut out = String::new();
        for c in &self.changes {
            let path = c.rel.strip_prefix("/").unwrap_or(&c.rel).display();
            match (
                std::str::from_utf8(c.before.as_deref().unwrap_or(b"")),
                std::str::from_utf8(&c.after),
            ) {
                (Ok(before), Ok(after)) if !is_binary(&c.after) => {
                    let from = if c.before.is_some() {
                        format!("a/{path}")
                    } else {
                        "/dev/null".into()
                    };
                    let diff = similar::TextDiff::from_lines(before, after);
                    out.push_str(
                        &diff
                            .unified_diff()
                            .context_radius(3)
                            .header(&from, &format!("b/{path}"))
                            .to_string(),
                    );
                }
                _ => {
                    let verb = if c.before.is_some() {
                        "replaced"
                    } else {
                        "created"
                    };
                    out.push_str(&format!(
                        "Binary file {path} would be {verb} ({} bytes, mode {})\n",
                        c.after.len(),
                        mode_text(c.mode)
                    ));
                }
            }
        }
        out
    }
}

fn is_binary(bytes: &[u8]) -> bool {
    bytes.iter().take(8000).any(|&b| b == 0)
}

fn mode_text(mode: Mode) -> String {
    match mode {
        Mode::KeepOr(m) | Mode::Exact(m) => format!("{m:o}"),
    }
}

/// Plans (given how the project is wired: see [`plan_with`]) and, unless `dry_run`,
/// applies. The report says what happened.
///
/// A plan with any error (a malformed file, a missing binary) is not applied at all: the
/// project is left exactly as it was, so fixing the error and running again is always safe.
pub fn run(
    opts: &Options,
    wiring: &Wiring,
    dry_run: bool,
    now: Timestamp,
) -> (Report, Option<String>) {
    let plan = plan_with(opts, wiring);
    if dry_run {
        let diff = plan.diff();
        let mut report = plan.report;
        report.dry_run = true;
        report.changed_files = plan_files(&plan.changes);
        report.steps.extend(plan.changes.iter().flat_map(upgrades));
        (report, Some(diff))
    } else if plan.report.has_errors() {
        let mut report = plan.report;
        let planned = plan_files(&plan.changes);
        if !planned.is_empty() {
            report.note(None, Note::NothingWritten { planned });
        }
        (report, None)
    } else {
        (apply(plan, now), None)
    }
}

/// The steps of one change written (or planned).
fn upgrades(change: &Change) -> impl Iterator<Item = Step> + '_ {
    change.upgraded.iter().map(|upgrade| Step::Upgraded {
        path: change.rel.clone(),
        upgrade: upgrade.clone(),
    })
}

fn plan_files(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| c.rel.display().to_string())
        .collect()
}

#[cfg(test)]
mod tests;
