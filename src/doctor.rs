/*!
`instar-hooks doctor`: checks that a project's hooks can work — config, registration (by the
Claude Code plugin or in `.claude/settings.json`), the binaries that run, the store, the log
and forwarding — and says what to fix. Read-only.

With the plugin enabled for the project (see [`crate::plugin::wiring`]) the config is judged
as the plugin's hooks see it (on by default), the plugin's own `bin/` is checked instead of
`.instar/hooks/instar/`, and a settings registration of the same hooks is a **problem**: the
hooks then run twice per event. The store still records a claim once, but each run does the
work twice and a reminder can reach the model twice; it is never what was meant, and the fix
is one command.

Never prints a secret: the server's `authToken` is reported as set or not set.
*/

use serde::Serialize;
use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use crate::{
    commitments::{Forward, Status, Store},
    config::{Config, Origin},
    env::Env,
    plugin::{self, Wiring},
    settings::{self, HOOKS_DIR, Registration},
    state::StateDir,
};

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
    let migrate = format!("instar-migrate --project-dir {}", project.display());
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

/// The plugin: enabled here (and from where), its binaries runnable, and no second wiring.
/// Adds nothing for a project the plugin is not mentioned for.
fn check_plugin(r: &mut Report, project: &Path, env: &Env, wiring: &Wiring, regs: &[Registration]) {
    for u in &wiring.unreadable {
        // The project's files are reported with the registration; the user's file here.
        if !u.path.starts_with(project) {
            r.push(
                "plugin",
                Level::Warn,
                format!(
                    "{}: {} (its plugins and hooks are all off)",
                    u.path.display(),
                    u.message
                ),
                Some(format!("fix the JSON in {} by hand", u.path.display())),
            );
        }
    }
    for p in wiring.plugins.iter().filter(|p| !p.enabled) {
        r.push(
            "plugin",
            Level::Info,
            format!(
                "{} is disabled for this project ({} scope, {})",
                p.id,
                p.scope.as_str(),
                p.file.display()
            ),
            None,
        );
    }
    let Some(p) = wiring.plugin() else {
        return;
    };
    let root = plugin::plugin_root(project, env, p);
    r.push(
        "plugin",
        Level::Ok,
        format!(
            "{} is enabled ({} scope, {}){}",
            p.id,
            p.scope.as_str(),
            p.file.display(),
            root.as_ref()
                .map(|d| format!("; its hooks run from {}", d.display()))
                .unwrap_or_default()
        ),
        None,
    );
    if let Some(root) = &root {
        let mut seen = Vec::new();
        for reg in regs {
            if seen.contains(&reg.binary) {
                continue;
            }
            seen.push(reg.binary.clone());
            let path = root.join("bin").join(&reg.binary);
            match std::fs::metadata(&path) {
                Err(_) => r.push(
                    "plugin",
                    Level::Problem,
                    format!(
                        "{} is missing: Claude Code reports the hook as a non-blocking error and nothing is recorded",
                        path.display()
                    ),
                    Some(format!(
                        "rebuild the plugin (`scripts/package-plugin` in the checkout), or `claude plugin update {}`",
                        p.id
                    )),
                ),
                Ok(m) if m.permissions().mode() & 0o111 == 0 => r.push(
                    "plugin",
                    Level::Problem,
                    format!(
                        "{} is not executable (a zip without Unix mode bits?): every run fails with \"Permission denied\", silently",
                        path.display()
                    ),
                    Some(format!("chmod 755 {}", path.display())),
                ),
                Ok(_) => {}
            }
        }
    }
    if let Some(fix) = wiring.fix() {
        r.push(
            "wiring",
            Level::Problem,
            format!(
                "the hooks are registered twice — by {} — so Claude Code runs each of them twice per event (plugin and settings hooks are not deduplicated)",
                wiring.describe()
            ),
            Some(fix),
        );
    }
}

fn check_registration(
    r: &mut Report,
    project: &Path,
    regs: &[Registration],
    enabled: bool,
    migrate: &str,
) {
    let mut found: Vec<(String, Vec<String>)> = regs
        .iter()
        .map(|reg| (reg.binary.clone(), Vec::new()))
        .collect();
    for rel in [settings::SETTINGS_FILE, ".claude/settings.local.json"] {
        let path = project.join(rel);
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let doc = match settings::parse(Path::new(rel), &bytes) {
            Ok(doc) => doc,
            Err(e) => {
                r.push(
                    "settings",
                    Level::Problem,
                    format!("{e} — Claude Code ignores every hook and permission in this file"),
                    e.hint(),
                );
                continue;
            }
        };
        for (binary, places) in &mut found {
            for at in settings::registrations_of(&doc, binary) {
                places.push(format!("{rel} {at}"));
            }
        }
        for note in exec_form_problems(&doc, regs) {
            r.push(
                "settings",
                Level::Problem,
                format!("{rel}: {note}"),
                Some(migrate.to_string()),
            );
        }
    }
    for (binary, places) in found {
        match places.len() {
            0 => r.push(
                "registered",
                if enabled { Level::Problem } else { Level::Warn },
                format!("{binary} is not registered in .claude/settings.json"),
                Some(migrate.to_string()),
            ),
            1 => r.push(
                "registered",
                Level::Ok,
                format!("{binary}: {}", places[0]),
                None,
            ),
            _ => r.push(
                "registered",
                Level::Warn,
                format!(
                    "{binary} is registered {} times ({})",
                    places.len(),
                    places.join("; ")
                ),
                Some(format!("{migrate} (it removes the duplicates)")),
            ),
        }
    }
}

/// Our hooks in exec form with `$CLAUDE_PROJECT_DIR` (no braces) never run.
fn exec_form_problems(doc: &serde_json::Value, regs: &[Registration]) -> Vec<String> {
    let mut out = Vec::new();
    for groups in doc
        .get("hooks")
        .and_then(|h| h.as_object())
        .into_iter()
        .flat_map(|h| h.values())
    {
        for group in groups.as_array().into_iter().flatten() {
            for hook in group
                .get("hooks")
                .and_then(|h| h.as_array())
                .into_iter()
                .flatten()
            {
                let Some(hook) = hook.as_object() else {
                    continue;
                };
                let ours = regs.iter().any(|r| settings::runs_binary(hook, &r.binary));
                let command = hook.get("command").and_then(|c| c.as_str()).unwrap_or("");
                if ours && hook.contains_key("args") && command.contains("$CLAUDE_PROJECT_DIR") {
                    out.push(format!("`{command}` is in exec form, which does not expand `$VAR`: it never runs (write `${{CLAUDE_PROJECT_DIR}}`)"));
                }
            }
        }
    }
    out
}

fn check_binaries(
    r: &mut Report,
    project: &Path,
    regs: &[Registration],
    installed: Option<&Path>,
    migrate: &str,
) {
    let mut seen = Vec::new();
    for reg in regs {
        if seen.contains(&reg.binary) {
            continue;
        }
        seen.push(reg.binary.clone());
        let path = project.join(HOOKS_DIR).join(&reg.binary);
        let shown = format!("{HOOKS_DIR}/{}", reg.binary);
        match std::fs::metadata(&path) {
            Err(_) => r.push("deployed", Level::Problem, format!("{shown} is missing"), Some(migrate.to_string())),
            Ok(m) if m.permissions().mode() & 0o111 == 0 => r.push(
                "deployed",
                Level::Problem,
                format!("{shown} is not executable: Claude Code's hook fails with \"Permission denied\" (silently)"),
                Some(format!("chmod 755 {} (or {migrate})", path.display())),
            ),
            Ok(_) => {
                let current = installed
                    .map(|dir| dir.join(&reg.binary))
                    .and_then(|p| std::fs::read(p).ok());
                match current {
                    Some(bytes) if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) => r.push(
                        "deployed",
                        Level::Warn,
                        format!("{shown} differs from this build's copy (an older version?)"),
                        Some(migrate.to_string()),
                    ),
                    _ => r.push("deployed", Level::Ok, format!("{shown} (executable)"), None),
                }
            }
        }
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
