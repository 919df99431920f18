/*!
`instar-hooks doctor`: checks that a project's hooks can work — config, registration (by the
Claude Code plugin or in `.claude/settings.json`), the binaries that run, the store, the log
and forwarding — and says what to fix. Read-only.

With the plugin enabled for the project (see [`crate::plugin::wiring()`]) the config is judged
as the plugin's hooks see it (on by default), the plugin's own `bin/` is checked instead of
`.instar/hooks/instar/`, and a settings registration of the same hooks is a **problem**: the
hooks then run twice per event. The store still records a claim once, but each run does the
work twice and a reminder can reach the model twice; it is never what was meant, and the fix
is one command.

Never prints a secret: the server's `authToken` is reported as set or not set.
*/

use serde::Serialize;
use std::path::{Path, PathBuf};

use crate::{
    commitments::{Forward, Status, Store},
    config::{Config, Origin},
    env::Env,
    plugin, settings,
    state::StateDir,
};

mod wiring;

use wiring::{check_binaries, check_plugin, check_registration};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Ok,
    Info,
    Warn,
    Problem,
}

#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub name: String,
    pub level: Level,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub project: PathBuf,
    pub state_dir: Option<PathBuf>,
    pub checks: Vec<Check>,
    pub problems: usize,
}

impl Report {
    fn push(&mut self, name: &str, level: Level, detail: impl Into<String>, fix: Option<String>) {
        self.checks.push(Check {
            name: name.into(),
            level,
            detail: detail.into(),
            fix,
        });
    }
}

/// Runs every check. `installed` is where this build's hook binaries are (next to the CLI),
/// to tell whether the deployed copies are current.
pub fn run(project: &Path, env: &Env, installed: Option<&Path>) -> Report {
    let mut r = Report {
        project: project.to_path_buf(),
        state_dir: None,
        checks: Vec::new(),
        problems: 0,
    };
    let migrate = crate::fixes::migrate(project, "");
    let wiring = plugin::wiring(project, env);
    // The config as the hooks will read it: from the plugin, the feature is on by default.
    let config = Config::load(project, &plugin::hook_env(project, env, &wiring));
    check_config(&mut r, &config, &migrate);
    let regs = settings::template();
    check_plugin(&mut r, project, env, &wiring, &regs);
    if wiring.plugin_enabled() && wiring.settings_hooks.is_empty() {
        // The plugin alone runs the hooks: nothing is registered or deployed in the project.
        for binary in plugin::hook_binaries() {
            let p = wiring.plugin().expect("enabled");
            r.push(
                "registered",
                Level::Ok,
                format!("{binary}: by the plugin {}", p.id),
                None,
            );
        }
    } else {
        check_registration(&mut r, project, &regs, config.is_enabled(), &migrate);
        // With the plugin enabled as well, the fix is to drop one wiring (reported above),
        // not to deploy binaries: instar-migrate would not deploy them next to the plugin.
        if !wiring.plugin_enabled() {
            check_binaries(&mut r, project, &regs, installed, &migrate);
        }
    }
    match StateDir::resolve(project, env) {
        Ok(state) => {
            r.state_dir = Some(state.root().to_path_buf());
            check_store(&mut r, &state, config.server.is_some());
            check_log(&mut r, &state);
        }
        Err(e) => r.push("state", Level::Problem, e.to_string(), e.hint()),
    }
    match &config.server {
        Some(s) => r.push(
            "forwarding",
            Level::Info,
            format!(
                "to the instar server on 127.0.0.1:{} (authToken set, not shown)",
                s.port
            ),
            None,
        ),
        None => r.push(
            "forwarding",
            Level::Info,
            "not configured (no `port` and `authToken`)",
            None,
        ),
    }
    r.problems = r
        .checks
        .iter()
        .filter(|c| c.level == Level::Problem)
        .count();
    r
}

fn check_config(r: &mut Report, config: &Config, migrate: &str) {
    for p in &config.problems {
        r.push(
            "config",
            Level::Problem,
            format!("{}: {}", p.path.display(), p.message),
            Some(format!("fix {} by hand", p.path.display())),
        );
    }
    if config.is_enabled() && config.enabled_origin == Origin::PluginDefault {
        r.push(
            "config",
            Level::Ok,
            "action-claim is on (the default for hooks run from the plugin; `instar-hooks config set actionClaim.enabled false` turns it off)",
            None,
        );
    } else if config.is_enabled() {
        let files: Vec<String> = config
            .sources
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        r.push(
            "config",
            Level::Ok,
            format!("action-claim is on ({})", files.join(", ")),
            None,
        );
    } else if config.problems.is_empty() {
        r.push(
            "config",
            Level::Info,
            "action-claim is off: nothing is recorded",
            Some(format!("{migrate} --enable action-claim")),
        );
    }
}

fn check_store(r: &mut Report, state: &StateDir, forwarding: bool) {
    let store = Store::at(state);
    match store.load() {
        Ok(doc) => {
            let count = |s: Status| doc.commitments.iter().filter(|c| c.status == s).count();
            r.push(
                "store",
                Level::Ok,
                format!(
                    "{}: {} open, {} fulfilled, {} refused, {} in all",
                    store.path().display(),
                    count(Status::Open),
                    count(Status::Fulfilled),
                    count(Status::Refused),
                    doc.commitments.len()
                ),
                None,
            );
            let pending: Vec<_> = doc
                .commitments
                .iter()
                .filter_map(|c| Some((c, c.forward.as_ref()?)))
                .filter(|(_, f)| f.state != Forward::DELIVERED)
                .collect();
            if !pending.is_empty() {
                let last = pending
                    .iter()
                    .filter_map(|(c, f)| Some(format!("{}: {}", c.id, f.last_error.as_ref()?)))
                    .next_back()
                    .unwrap_or_default();
                r.push(
                    "forwarding",
                    Level::Warn,
                    format!(
                        "{} claim(s) not delivered to the instar server yet ({last})",
                        pending.len()
                    ),
                    Some(if forwarding {
                        "instar-hooks commitments flush".into()
                    } else {
                        "configure `port` and `authToken`, then instar-hooks commitments flush"
                            .into()
                    }),
                );
            }
        }
        Err(e) => r.push(
            "store",
            Level::Problem,
            e.to_string(),
            Some("the next hook run moves it aside and starts a new store".into()),
        ),
    }
}

fn check_log(r: &mut Report, state: &StateDir) {
    let Ok(text) = std::fs::read_to_string(state.log_file()) else {
        return;
    };
    let bad = text.lines().rev().find(|l| {
        ["panic", "could not", "cannot", "unreadable"]
            .iter()
            .any(|w| l.contains(w))
    });
    if let Some(line) = bad {
        r.push(
            "log",
            Level::Warn,
            format!("latest trouble in {}: {line}", state.log_file().display()),
            None,
        );
    }
}

#[cfg(test)]
mod tests;
