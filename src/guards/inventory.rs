//! The facts behind each guard's row, gathered at read time, and the one aggregated
//! attention item.
//!
//! - **Resume queue**: the decision instar's server would take at its next start
//!   ([`crate::resume_queue::evaluate`], read-only), as its runtime status. A project that is
//!   not an instar agent has no queue: `not-applicable`, never a problem.
//! - **Action-claim sentinel**: config (unreadable → `errored`), whether the Stop hook is
//!   registered and its binary deployed and executable (if not, the sentinel is off at
//!   runtime while the config says on: `off-runtime-divergent`), the hook's last run and last
//!   failure (a failed last run → `errored`), and staleness judged from evidence: Claude Code
//!   wrote a session transcript for this project more than [`STALE_AFTER`] after the hook
//!   last ran (or, never having run, after it was registered) → `on-stale`.

use serde::Serialize;
use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    time::Duration,
};

use super::{
    manifest::{self, Entry},
    posture::{self, Input, Row, RuntimeRead, RuntimeStatus, State},
    status,
};
use crate::{
    config::Config,
    env::Env,
    fixes, followthrough, plugin,
    resume_queue::{self, Paths, QueueConfig, System, status::StatusReport},
    settings::{self, HOOKS_DIR},
    state::StateDir,
    timestamp::Timestamp,
};

/// Claude Code activity this much later than the hook's last run means the hook is not
/// running on turns (the Stop hook runs at the end of every turn).
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

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
    let guards = vec![
        resume_queue_row(project, sys, now),
        sentinel_row(project, env, now),
    ];
    let double = plugin::wiring(project, env).is_double();
    let lines: Vec<String> = guards
        .iter()
        .filter(|r| r.effective.needs_attention() || (double && r.key == manifest::ACTION_CLAIM))
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

fn input(
    entry: &'static Entry,
    config_enabled: Option<bool>,
    runtime: RuntimeRead,
    now: Timestamp,
) -> Input<'static> {
    Input {
        manifest: entry,
        config_enabled,
        default_enabled: None,
        config_dry_run: None,
        // We read the config as the next start will see it: no boot snapshot to diverge from.
        boot_value: None,
        boot_snapshot_available: false,
        runtime,
        now,
    }
}

fn resume_queue_row(project: &Path, sys: &mut System<'_>, now: Timestamp) -> Row {
    let entry = manifest::entry(manifest::RESUME_QUEUE).expect("in the manifest");
    let paths = Paths::new(project);
    if !paths.is_instar_agent() {
        let mut row = posture::derive(input(entry, None, RuntimeRead::Unregistered, now));
        row.effective = State::NotApplicable;
        row.reason = Some(resume_queue::status::NOT_AN_AGENT.into());
        return row;
    }
    let config = match QueueConfig::load(project) {
        Ok(c) => c,
        Err(e) => {
            let mut row =
                posture::derive(input(entry, None, RuntimeRead::Error(e.to_string()), now));
            row.reason = Some(e.to_string());
            row.fix = e.hint();
            return row;
        }
    };
    let (enabled, dry_run) = (config.enabled(), config.dry_run());
    let (runtime, fix) = if enabled {
        let decision = resume_queue::evaluate(&paths, &config, sys);
        let report = StatusReport::new(&paths, config, &decision);
        let status = RuntimeStatus {
            enabled: report.will_start,
            dry_run: Some(dry_run),
            reason: Some(report.reason.clone().unwrap_or(report.summary.clone())),
            ..RuntimeStatus::default()
        };
        (
            RuntimeRead::Ok(status),
            report.fix.filter(|_| !report.will_start),
        )
    } else {
        // Upstream builds no queue at all and registers no status getter.
        (RuntimeRead::Unregistered, None)
    };
    let mut i = input(entry, Some(enabled), runtime, now);
    i.config_dry_run = Some(dry_run);
    let mut row = posture::derive(i);
    if !enabled {
        row.reason = Some("monitoring.resumeQueue.enabled is false".into());
    }
    row.fix = fix;
    row
}

/// The facts about the action-claim sentinel.
fn sentinel_row(project: &Path, env: &Env, now: Timestamp) -> Row {
    let entry = manifest::entry(manifest::ACTION_CLAIM).expect("in the manifest");
    let migrate = fixes::migrate(project, "");
    // Judge the config as the hooks see it: run from the plugin, they are on by default.
    let wiring = plugin::wiring(project, env);
    let env = plugin::hook_env(project, env, &wiring);
    let config = Config::load(project, &env);
    if let Some(p) = config.problems.first() {
        let why = format!("{}: {}", p.path.display(), p.message);
        let mut row = posture::derive(input(entry, None, RuntimeRead::Error(why.clone()), now));
        row.reason = Some(why);
        row.fix = Some(format!("fix {} by hand", p.path.display()));
        return row;
    }
    let enabled = config.is_enabled();
    let hook = followthrough::HOOK_NAME;
    // Where the hook runs from: the plugin's own bin/, or the project's deployed copy.
    let (registered, binary) = match wiring.plugin() {
        Some(p) => (
            registered_in_settings(project, hook).or(Some(Timestamp::from_unix_ms(0))),
            plugin::plugin_root(project, &env, p).map(|root| root.join("bin").join(hook)),
        ),
        None => (
            registered_in_settings(project, hook),
            Some(project.join(HOOKS_DIR).join(hook)),
        ),
    };
    let executable = binary
        .as_ref()
        .is_none_or(|b| std::fs::metadata(b).is_ok_and(|m| m.permissions().mode() & 0o111 != 0));
    let last = StateDir::resolve(project, &env)
        .map(|s| status::read(&s, hook))
        .unwrap_or_default();

    let (runtime, reason, fix) = if registered.is_none() {
        let why =
            "the Stop hook is not registered in .claude/settings.json (nor installed as a plugin)"
                .to_string();
        (off(&why), why, Some(migrate))
    } else if !executable {
        let path = binary.expect("only a known binary can be found not executable");
        let shown = path.strip_prefix(project).unwrap_or(&path).display();
        let why = match path.exists() {
            true => format!("{shown} is not executable"),
            false => format!("{shown} is missing"),
        };
        let fix = match wiring.plugin() {
            Some(_) => "scripts/package-plugin, then reinstall the plugin".to_string(),
            None => migrate,
        };
        (off(&why), why, Some(fix))
    } else if let Some((at, detail)) = &last.failure {
        let why = format!("the last run ({at}) failed: {detail}");
        (
            RuntimeRead::Error(why.clone()),
            why,
            Some(fixes::doctor(project)),
        )
    } else {
        let activity = claude_activity(&env, project);
        // Installed as a plugin, registration has no file date: judge by the last run only.
        let since = last.at.or(registered.filter(|t| t.unix_ms() > 0));
        let stale = match (activity, since) {
            (Some(a), Some(s)) => a.since(s) > STALE_AFTER,
            _ => false,
        };
        let why = match (stale, last.at) {
            (true, Some(run)) => format!(
                "Claude Code ran here at {} but the hook last ran at {run}",
                activity.expect("stale needs activity")
            ),
            (true, None) => format!(
                "Claude Code ran here at {} but the hook has never run",
                activity.expect("stale needs activity")
            ),
            (false, Some(run)) => format!("registered and deployed; last ran at {run}"),
            (false, None) => "registered and deployed; has not run yet".to_string(),
        };
        let fix = stale.then(|| fixes::doctor(project));
        let runtime = match last.at {
            None if !stale => RuntimeRead::Unregistered,
            _ => RuntimeRead::Ok(RuntimeStatus {
                enabled: true,
                last_tick_at: last.at,
                stale,
                reason: Some(why.clone()),
                ..RuntimeStatus::default()
            }),
        };
        (runtime, why, fix)
    };
    let mut row = posture::derive(input(entry, Some(enabled), runtime, now));
    row.reason = Some(if enabled {
        reason
    } else {
        "actionClaim.enabled is off".to_string()
    });
    row.fix = if enabled { fix } else { None };
    if wiring.is_double() {
        // Not one of instar's states, but never silent: every hook runs twice per event.
        row.reason = Some(format!(
            "wired twice, every hook runs twice per event: {}; {}",
            wiring.describe(),
            row.reason.take().unwrap_or_default()
        ));
        row.fix = wiring.fix();
    }
    row
}

fn off(why: &str) -> RuntimeRead {
    RuntimeRead::Ok(RuntimeStatus {
        enabled: false,
        reason: Some(why.to_string()),
        ..RuntimeStatus::default()
    })
}

/// When the hook was registered (the settings file's mtime), if it is.
fn registered_in_settings(project: &Path, hook: &str) -> Option<Timestamp> {
    [settings::SETTINGS_FILE, ".claude/settings.local.json"]
        .iter()
        .filter_map(|rel| {
            let path = project.join(rel);
            let bytes = std::fs::read(&path).ok()?;
            let doc = settings::parse(Path::new(rel), &bytes).ok()?;
            if settings::registrations_of(&doc, hook).is_empty() {
                return None;
            }
            std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .map(Timestamp::from_system_time)
        })
        .min()
}

/// The newest session transcript Claude Code wrote for this project
/// (`<claude dir>/projects/<slug>/*.jsonl`, the slug being the canonical path with every
/// character that is not a letter or digit replaced by `-`).
pub fn claude_activity(env: &Env, project: &Path) -> Option<Timestamp> {
    let canonical = std::fs::canonicalize(project).ok()?;
    let slug: String = canonical
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let dir = env.claude_dir.as_ref()?.join("projects").join(slug);
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .take(5000)
        .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max()
        .map(Timestamp::from_system_time)
}

#[cfg(test)]
mod tests;
