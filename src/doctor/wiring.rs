//! How the hooks reach Claude Code in a project: the plugin (enabled, runnable, not doubled
//! by a settings registration), the registrations in `.claude/settings.json` (present, exec
//! form that will really run) and the deployed binaries (present, executable, current).

use std::{os::unix::fs::PermissionsExt, path::Path};

use super::{Level, Report};
use crate::{
    env::Env,
    plugin::{self, Wiring},
    settings::{self, HOOKS_DIR, Registration},
};

/// The plugin: enabled here (and from where), its binaries runnable, and no second wiring.
/// Adds nothing for a project the plugin is not mentioned for.
pub(super) fn check_plugin(
    r: &mut Report,
    project: &Path,
    env: &Env,
    wiring: &Wiring,
    regs: &[Registration],
) {
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

pub(super) fn check_registration(
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

pub(super) fn check_binaries(
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
