//! The action-claim sentinel's row: config, registration, deployment, last run, staleness.

use std::path::Path;

use super::{STALE_AFTER, with_problems};
use crate::{
    config::{Config, Origin},
    env::Env,
    fixes,
    guards::{
        manifest::{self, Entry},
        posture::{self, Input, Row, RuntimeRead, RuntimeStatus},
    },
    hook_io::Hook,
    plugin::{self, Wiring},
    registration::{self, Runnable, Source},
    run_status,
    settings::SETTINGS_FILE,
    state::StateDir,
    timestamp::Timestamp,
};

pub(super) fn row(project: &Path, env: &Env, wiring: &Wiring, now: Timestamp) -> Row {
    let entry = manifest::entry(manifest::ACTION_CLAIM).expect("in the manifest");
    // Judge the config as the hooks see it: run from the plugin, they are on by default.
    let env = plugin::hook_env(env, wiring);
    let config = Config::load(project, &env);
    let problems: Vec<String> = config
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.path.display(), p.message))
        .collect();
    let mut row = match &config.enabled_origin {
        // The one config problem that switches the feature off (fail closed).
        Origin::Unreadable { path } => {
            let why = problems.join("; ");
            let runtime = RuntimeRead::Error(why.clone());
            let mut row = posture::derive(Input::new(entry, None, runtime, now));
            row.reason = Some(why);
            row.fix = Some(format!("fix {} by hand", path.display()));
            row
        }
        // Off: the hooks do nothing, so nothing they left behind says anything.
        _ if !config.is_enabled() => {
            let runtime = RuntimeRead::Unregistered;
            let mut row = posture::derive(Input::new(entry, Some(false), runtime, now));
            row.reason = Some(with_problems(
                "actionClaim.enabled is off".into(),
                &problems,
            ));
            row
        }
        _ => enabled(project, &env, wiring, entry, &problems, now),
    };
    let reg = registration::judge(project, &env, wiring, Hook::Stop.name());
    if config.is_enabled() && reg.doubled_by_node() {
        // Not one of instar's states either, and never silent: both hooks run on every Stop.
        let node = &reg.node[0];
        row.reason = Some(format!(
            "instar's node hook `{}` ({}) runs beside the native one on every Stop; instar's migrator adds it back after each instar update; {}",
            node.command,
            node.file.display(),
            row.reason.take().unwrap_or_default()
        ));
        row.fix = Some(reg.node_fix(project, node));
        row.flagged = true;
    }
    if wiring.is_double() {
        // Not one of instar's states, but never silent: every hook runs twice per event.
        row.reason = Some(format!(
            "wired twice, every hook runs twice per event: {}; {}",
            wiring.describe(),
            row.reason.take().unwrap_or_default()
        ));
        row.fix = wiring.fix();
        row.flagged = true;
    }
    row
}

/// The row of a sentinel the config switches on.
fn enabled(
    project: &Path,
    env: &Env,
    wiring: &Wiring,
    entry: &'static Entry,
    problems: &[String],
    now: Timestamp,
) -> Row {
    let migrate = fixes::migrate(project, "");
    let hook = Hook::Stop.name();
    // Registered for the event it is made for (Stop): under another one it never runs on a
    // Stop, so it does not count. The same judgement as doctor's.
    let reg = registration::judge(project, env, wiring, hook);
    let event = reg.events.join(" or ");
    let registered = reg.is_registered();
    // Registered no later than the settings file naming it was last written; the plugin
    // records no date.
    let registered_since = reg
        .placed
        .iter()
        .filter_map(|h| std::fs::metadata(&h.file).and_then(|m| m.modified()).ok())
        .min()
        .map(Timestamp::from_system_time);
    let last = StateDir::resolve(project, env)
        .map(|s| run_status::read(&s, hook))
        .unwrap_or_default();

    let (runtime, reason, fix) = if !registered {
        let mut why = "the Stop hook is not registered in any Claude Code settings file (local, \
                   project or user) nor installed as a plugin"
            .to_string();
        let mut fix = migrate.clone();
        for h in &reg.misplaced {
            why.push_str(&format!(
                "; {} registers it for {} instead, where it never runs on {event}",
                h.file.display(),
                h.event
            ));
            if h.file != project.join(SETTINGS_FILE) {
                fix = format!(
                    "remove `{}` from hooks.{} in {} by hand, then {migrate}",
                    h.command,
                    h.event,
                    h.file.display()
                );
            }
        }
        (off(&why), why, Some(fix))
    } else if let Some(program) = reg.broken() {
        let path = program
            .path
            .as_deref()
            .expect("only a known file is found broken");
        let shown = path.strip_prefix(project).unwrap_or(path).display();
        let placeholder = match program.runnable {
            Runnable::Placeholder => path
                .parent()
                .and_then(Path::parent)
                .and_then(plugin::install::not_installed),
            _ => None,
        };
        let why = match (program.runnable, &placeholder) {
            (Runnable::NotExecutable, _) => format!("{shown} is not executable"),
            (_, Some(n)) => n.detail.clone(),
            (Runnable::Placeholder, None) => format!("{shown} is a placeholder that does nothing"),
            _ => format!("{shown} is missing"),
        };
        let fix = match (placeholder, program.source) {
            (Some(n), _) => n.fix,
            (None, Source::Plugin) => {
                "reinstall the plugin: `claude plugin update instar-hooks@<marketplace>`, then a new session".to_string()
            }
            (None, Source::Settings(_) | Source::Deploy) => migrate,
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
        let activity = claude_activity(env, project);
        let stale = match (activity, last.at.or(registered_since)) {
            (Some(a), Some(since)) => a.since(since) > STALE_AFTER,
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
    let mut row = posture::derive(Input::new(entry, Some(true), runtime, now));
    row.reason = Some(with_problems(reason, problems));
    row.fix = fix;
    row
}

fn off(why: &str) -> RuntimeRead {
    RuntimeRead::Ok(RuntimeStatus {
        enabled: false,
        reason: Some(why.to_string()),
        ..RuntimeStatus::default()
    })
}

/// The newest session transcript Claude Code wrote for this project
/// (`<claude dir>/projects/<slug>/*.jsonl`, the slug being the canonical path with every
/// character that is not a letter or digit replaced by `-`).
pub(crate) fn claude_activity(env: &Env, project: &Path) -> Option<Timestamp> {
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
