/*!
`instar-hooks doctor`: checks that a project's hooks can work — config, registration (by the
Claude Code plugin or in `.claude/settings.json`), the binaries that run, the store, the log
and forwarding — and says what to fix. Read-only.

Every settings file is read once, into a [`Wiring`](crate::plugin::Wiring): a hook is
registered when any file Claude Code reads runs one of our binaries, from wherever it lives,
and the binary checked is the one that registration runs. Every settings file that cannot be
read is reported once, whatever else is wired.

With the plugin enabled for the project the config is judged as the plugin's hooks see it (on
by default) and the plugin's own `bin/` is checked; the settings registrations are not judged
(the plugin runs the hooks), except that any of them at all is a **problem**: the hooks then
run twice per event. The store still records a claim once, but each run does the work twice
and a reminder can reach the model twice; it is never what was meant, and the fix is one
command.

When the feature is off, the fix edits the file that switched it off (an explicit false in
any config file wins, so nothing else would work).

Never prints a secret: the server's `authToken` is reported as set or not set.
*/

use serde::Serialize;
use std::path::{Path, PathBuf};

use crate::{config::Config, env::Env, plugin, state::StateDir};

mod config;
mod state;
mod wiring;

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
    // Every settings file is read once, here; the checks below judge this wiring.
    let wiring = plugin::wiring(project, env);
    // The config as the hooks will read it: from the plugin, the feature is on by default.
    let config = Config::load(project, &plugin::hook_env(env, &wiring));
    config::check_config(&mut r, project, env, &config, &wiring);
    wiring::check_settings_files(&mut r, &wiring);
    wiring::check_plugin(&mut r, project, env, &wiring);
    wiring::check_node_hooks(&mut r, project, env, &wiring);
    if let Some(p) = wiring.plugin() {
        // The plugin runs the hooks: nothing needs registering or deploying in the project,
        // and a settings registration as well is the double wiring check_plugin reported.
        for binary in crate::settings::binaries() {
            r.push(
                "registered",
                Level::Ok,
                format!("{binary}: by the plugin {}", p.id),
                None,
            );
        }
    } else {
        wiring::check_registration(&mut r, project, env, &wiring, config.is_enabled(), &migrate);
        wiring::check_binaries(&mut r, project, env, &wiring, installed, &migrate);
    }
    match StateDir::resolve(project, env) {
        Ok(state) => {
            r.state_dir = Some(state.root().to_path_buf());
            state::check_store(&mut r, &state, config.server.is_some());
            state::check_log(&mut r, &state);
        }
        Err(e) => r.push("state", Level::Problem, e.to_string(), e.hint()),
    }
    config::check_forwarding(&mut r, &config);
    r.problems = r
        .checks
        .iter()
        .filter(|c| c.level == Level::Problem)
        .count();
    r
}

#[cfg(test)]
mod tests;
