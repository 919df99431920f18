//! How the hooks reach Claude Code in a project, judged from the one [`Wiring`] read of the
//! settings files: the files themselves (each one that cannot be read, once), the plugin
//! (enabled, runnable, not doubled by a settings registration), the settings registrations
//! (present once, in a form that runs) and the binaries they run (present, executable,
//! current).

use std::path::{Path, PathBuf};

use super::{Level, Report};
use crate::{
    env::Env,
    fixes::shell_word,
    plugin::{self, Scope, Wiring},
    registration::{self, Runnable, Source},
    settings::{self, HOOKS_DIR, SETTINGS_FILE},
};

/// `path` relative to the project when it is inside it, for people.
fn shown(project: &Path, path: &Path) -> String {
    path.strip_prefix(project)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every settings file that cannot be (wholly) read, once. The project's own files are a
/// problem; the user's file is a warning here (it is every project's).
pub(super) fn check_settings_files(r: &mut Report, wiring: &Wiring) {
    for u in &wiring.unreadable {
        r.push(
            "settings",
            match u.scope {
                Scope::User => Level::Warn,
                Scope::Local | Scope::Project => Level::Problem,
            },
            u.message.clone(),
            Some(
                u.hint
                    .clone()
                    .unwrap_or_else(|| format!("fix {} by hand", u.path.display())),
            ),
        );
    }
}

/// The plugin: enabled here (and from where), its binaries runnable, and no second wiring.
/// Adds nothing for a project the plugin is not mentioned for.
pub(super) fn check_plugin(r: &mut Report, project: &Path, env: &Env, wiring: &Wiring) {
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
    if let Some(n) = root.as_deref().and_then(plugin::install::not_installed) {
        r.push("plugin", Level::Problem, n.detail, Some(n.fix));
    }
    if root.is_some() {
        for binary in settings::binaries() {
            let reg = registration::judge(project, env, wiring, binary);
            let Some(program) = reg.programs.iter().find(|p| p.source == Source::Plugin) else {
                continue;
            };
            let Some(path) = &program.path else { continue };
            match program.runnable {
                Runnable::Missing => r.push(
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
                Runnable::NotExecutable => r.push(
                    "plugin",
                    Level::Problem,
                    format!(
                        "{} is not executable (a zip without Unix mode bits?): every run fails with \"Permission denied\", silently",
                        path.display()
                    ),
                    Some(format!("chmod 755 {}", shell_word(path))),
                ),
                // Reported once for the whole plugin, above.
                Runnable::Placeholder | Runnable::Executable | Runnable::Unchecked => {}
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

/// Each binary registered once, for the event it is made for, in a form Claude Code runs, in
/// any settings file it reads. One registered under another event is a problem of its own
/// (and does not count as registered).
pub(super) fn check_registration(
    r: &mut Report,
    project: &Path,
    env: &Env,
    wiring: &Wiring,
    enabled: bool,
    migrate: &str,
) {
    let edited_by_migrate = project.join(SETTINGS_FILE);
    for h in &wiring.settings_hooks {
        if settings::exec_form_unexpanded(&h.hook) {
            r.push(
                "settings",
                Level::Problem,
                format!(
                    "{}: `{}` is in exec form, which does not expand `$VAR`: it never runs (write `${{CLAUDE_PROJECT_DIR}}`)",
                    shown(project, &h.file),
                    h.command
                ),
                Some(match h.file == edited_by_migrate {
                    true => migrate.to_string(),
                    false => format!("write `${{CLAUDE_PROJECT_DIR}}` in {}", h.file.display()),
                }),
            );
        }
    }
    for binary in settings::binaries() {
        let reg = registration::judge(project, env, wiring, binary);
        let (hooks, misplaced, events) = (reg.placed, reg.misplaced, reg.events);
        let events = events.join(" or ");
        for h in &misplaced {
            r.push(
                "registered",
                Level::Problem,
                format!(
                    "{binary} is registered for {} in {} ({}[{}]), but it is a {events} hook: there it runs on input it is not made for, and never on {events}",
                    h.event,
                    shown(project, &h.file),
                    h.event,
                    h.group
                ),
                Some(match h.file == edited_by_migrate {
                    true => format!("{migrate} (it moves it to {events})"),
                    false => format!(
                        "remove `{}` from hooks.{} in {} by hand",
                        h.command,
                        h.event,
                        h.file.display()
                    ),
                }),
            );
        }
        let places: Vec<String> = hooks
            .iter()
            .map(|h| format!("{} {}[{}]", shown(project, &h.file), h.event, h.group))
            .collect();
        let outside = hooks.iter().filter(|h| h.file != edited_by_migrate).count();
        match places.len() {
            0 => r.push(
                "registered",
                if enabled { Level::Problem } else { Level::Warn },
                format!(
                    "{binary} is not registered for {events} in any Claude Code settings file (local, project or user)"
                ),
                Some(migrate.to_string()),
            ),
            1 => r.push(
                "registered",
                Level::Ok,
                format!("{binary}: {}", places[0]),
                None,
            ),
            n => r.push(
                "registered",
                Level::Warn,
                format!(
                    "{binary} is registered {n} times, so Claude Code runs it {n} times ({})",
                    places.join("; ")
                ),
                // instar-migrate removes duplicates from the one file it edits, and its entry
                // when another file registers the hook too; it never edits the others.
                Some(if outside <= 1 {
                    format!("{migrate} (it removes the duplicates)")
                } else {
                    "keep one: remove the other entries by hand".to_string()
                }),
            ),
        }
    }
}

/// The binaries the registrations for the right event run (where instar-migrate would deploy
/// one that is not registered): present, executable, and the same as this build's copy in `installed`.
pub(super) fn check_binaries(
    r: &mut Report,
    project: &Path,
    env: &Env,
    wiring: &Wiring,
    installed: Option<&Path>,
    migrate: &str,
) {
    for binary in settings::binaries() {
        let deployed = project.join(HOOKS_DIR).join(binary);
        for program in registration::judge(project, env, wiring, binary).programs {
            let Some(path) = &program.path else {
                if let Source::Settings(h) = program.source {
                    r.push(
                        "deployed",
                        Level::Info,
                        format!(
                            "{binary}: `{}` is found by the shell that runs it; not checked",
                            h.command
                        ),
                        None,
                    );
                }
                continue;
            };
            check_binary(
                r,
                project,
                path,
                program.runnable,
                installed.map(|d| d.join(binary)),
                *path == deployed,
                migrate,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_binary(
    r: &mut Report,
    project: &Path,
    path: &Path,
    runnable: Runnable,
    current: Option<PathBuf>,
    by_migrate: bool,
    migrate: &str,
) {
    let shown = shown(project, path);
    let copy = || match &current {
        Some(from) => format!("cp {} {}", shell_word(from), shell_word(path)),
        None => format!("install the hook binary at {}", shell_word(path)),
    };
    let reinstall = || {
        if by_migrate {
            migrate.to_string()
        } else {
            copy()
        }
    };
    match runnable {
        Runnable::Missing | Runnable::Unchecked => r.push("deployed", Level::Problem, format!("{shown} is missing"), Some(reinstall())),
        Runnable::Placeholder => r.push(
            "deployed",
            Level::Problem,
            format!("{shown} is one of the plugin's placeholders, which do nothing"),
            Some(reinstall()),
        ),
        Runnable::NotExecutable => r.push(
            "deployed",
            Level::Problem,
            format!("{shown} is not executable: Claude Code's hook fails with \"Permission denied\" (silently)"),
            Some(match by_migrate {
                true => format!("chmod 755 {} (or {migrate})", shell_word(path)),
                false => format!("chmod 755 {}", shell_word(path)),
            }),
        ),
        Runnable::Executable => {
            let built = current.as_ref().and_then(|p| std::fs::read(p).ok());
            match built {
                Some(bytes) if std::fs::read(path).ok().as_deref() != Some(&bytes[..]) => r.push(
                    "deployed",
                    Level::Warn,
                    format!("{shown} differs from this build's copy (an older version?)"),
                    Some(reinstall()),
                ),
                _ => r.push("deployed", Level::Ok, format!("{shown} (executable)"), None),
            }
        }
    }
}

/// instar's node implementation of a hook registered beside ours (see
/// [`crate::registration`]): each event then runs both. Before the native hook is registered
/// it is what `instar-migrate` replaces.
pub(super) fn check_node_hooks(r: &mut Report, project: &Path, env: &Env, wiring: &Wiring) {
    for binary in settings::binaries() {
        let reg = registration::judge(project, env, wiring, binary);
        for h in &reg.node {
            let place = format!("{} {}[{}]", shown(project, &h.file), h.event, h.group);
            let fix = reg.node_fix(project, h);
            if reg.doubled_by_node() {
                r.push(
                    "instar",
                    Level::Problem,
                    format!(
                        "{binary} runs twice per event: instar's node hook `{}` ({place}) is registered beside the native one. instar's migrator adds it back after each instar update, because it looks for a Stop command naming action-claim-followthrough.js; the node hook costs about 100 ms per run and sends every turn to the instar server",
                        h.command
                    ),
                    Some(fix),
                );
            } else {
                r.push(
                    "instar",
                    Level::Info,
                    format!(
                        "instar's node hook `{}` ({place}) runs instead of the native {binary}",
                        h.command
                    ),
                    Some(fix),
                );
            }
        }
    }
}
