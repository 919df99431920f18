//! Which hooks run in a project: the plugin's, the settings', or both.
//!
//! **One wiring.** Claude Code runs a plugin hook *and* a settings hook for the same event, even
//! when they run the same binary: it deduplicates identical commands only within settings files.
//! [`wiring()`] reads what Claude Code reads to decide what runs in a project:
//!
//! - the plugin is enabled when the highest-precedence settings file that names one of our plugin
//!   ids (`instar-hooks@<marketplace>`) in `enabledPlugins` says `true`. Precedence, highest
//!   first: `<project>/.claude/settings.local.json` (scope `local`),
//!   `<project>/.claude/settings.json` (`project`), `<Claude dir>/settings.json` (`user`; the
//!   Claude dir is `CLAUDE_CONFIG_DIR`, else `~/.claude`). A file with a JSON syntax error is
//!   ignored by Claude Code altogether, so it is ignored here too (and reported). A one-run
//!   `claude --plugin-dir` is recorded nowhere and cannot be seen from outside the session.
//! - a settings hook is ours when the executable of its command is one of our hook binaries
//!   (`action-claim-followthrough`, `action-claim-reminder`), wherever it lives.
//!
//! Both at once is a double wiring: every hook then runs twice per event. The commitment store
//! makes the second delivery of a Stop a no-op (see `commitments`), but the work is done twice
//! and a reminder can be handed to the model twice, so `doctor` reports it with the fix, and
//! `instar-migrate` does not register hooks in a project the plugin already serves.

use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

use super::{NAME, hook_binaries};
use crate::{env::Env, settings};

/// A Claude Code settings scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Local,
    Project,
    User,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Local => "local",
            Scope::Project => "project",
            Scope::User => "user",
        }
    }
}

/// One settings file Claude Code reads for a project, highest precedence first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsFile {
    pub scope: Scope,
    pub path: PathBuf,
}

/// The settings files Claude Code reads for `project`, highest precedence first (the user
/// file only when `env.claude_dir` is known).
pub fn settings_files(project: &Path, env: &Env) -> Vec<SettingsFile> {
    let mut out = vec![
        SettingsFile {
            scope: Scope::Local,
            path: project.join(".claude/settings.local.json"),
        },
        SettingsFile {
            scope: Scope::Project,
            path: project.join(settings::SETTINGS_FILE),
        },
    ];
    if let Some(dir) = &env.claude_dir {
        out.push(SettingsFile {
            scope: Scope::User,
            path: dir.join("settings.json"),
        });
    }
    out
}

/// The setting that decides one of our plugin ids for this project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PluginSetting {
    /// `instar-hooks@<marketplace>`.
    pub id: String,
    pub enabled: bool,
    pub scope: Scope,
    pub file: PathBuf,
}

impl PluginSetting {
    /// The marketplace part of the id.
    pub fn marketplace(&self) -> &str {
        self.id.split_once('@').map_or("", |(_, m)| m)
    }
}

/// One of our hook binaries registered in a settings file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsHook {
    pub scope: Scope,
    pub file: PathBuf,
    pub event: String,
    pub binary: String,
    pub command: String,
}

/// A settings file Claude Code ignores (and so do we), with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    pub path: PathBuf,
    pub message: String,
}

/// How our hooks reach Claude Code in one project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Wiring {
    /// Every plugin id of ours named in `enabledPlugins`, with the setting that decides it.
    pub plugins: Vec<PluginSetting>,
    /// Our hooks registered in settings files (they run in addition to the plugin's).
    pub settings_hooks: Vec<SettingsHook>,
    /// Settings files Claude Code ignores because they cannot be parsed.
    pub unreadable: Vec<Unreadable>,
}

impl Wiring {
    /// The plugin ids that are enabled for the project.
    pub fn enabled_plugins(&self) -> impl Iterator<Item = &PluginSetting> {
        self.plugins.iter().filter(|p| p.enabled)
    }

    /// The enabled plugin (the first, when two marketplaces both provide it).
    pub fn plugin(&self) -> Option<&PluginSetting> {
        self.enabled_plugins().next()
    }

    pub fn plugin_enabled(&self) -> bool {
        self.plugin().is_some()
    }

    /// The hooks run more than once per event: the plugin is enabled and a settings file also
    /// registers them, or the plugin is enabled from two marketplaces.
    pub fn is_double(&self) -> bool {
        let plugins = self.enabled_plugins().count();
        plugins > 1 || (plugins == 1 && !self.settings_hooks.is_empty())
    }

    /// What the hooks run from, in a few words ("the plugin instar-hooks@x (project scope)",
    /// ".claude/settings.json", both, or nothing).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .enabled_plugins()
            .map(|p| format!("the plugin {} ({} scope)", p.id, p.scope.as_str()))
            .collect();
        let mut files: Vec<String> = Vec::new();
        for h in &self.settings_hooks {
            let f = h.file.display().to_string();
            if !files.contains(&f) {
                files.push(f);
            }
        }
        parts.extend(files);
        match parts.len() {
            0 => "nothing".into(),
            _ => parts.join(" and "),
        }
    }

    /// How to end a double wiring, as one sentence (`None` when there is none).
    pub fn fix(&self) -> Option<String> {
        if !self.is_double() {
            return None;
        }
        let plugin = self.plugin()?;
        if !self.settings_hooks.is_empty() {
            // "a, b from FILE", one group per file, in the order found.
            let mut by_file: Vec<(&Path, Vec<&str>)> = Vec::new();
            for h in &self.settings_hooks {
                match by_file.iter_mut().find(|(f, _)| *f == h.file.as_path()) {
                    Some((_, bins)) if !bins.contains(&h.binary.as_str()) => bins.push(&h.binary),
                    Some(_) => {}
                    None => by_file.push((&h.file, vec![&h.binary])),
                }
            }
            let places: Vec<String> = by_file
                .iter()
                .map(|(f, bins)| format!("{} from {}", bins.join(", "), f.display()))
                .collect();
            return Some(format!(
                "keep one: remove the hook entries {}, or stop the plugin in this project with \
                 `claude plugin disable {} --scope local`",
                places.join(" and "),
                plugin.id
            ));
        }
        let ids: Vec<&str> = self.enabled_plugins().map(|p| p.id.as_str()).collect();
        Some(format!(
            "keep one: `claude plugin uninstall <id>` for all but one of {}",
            ids.join(", ")
        ))
    }
}

/// Reads the settings files Claude Code reads for `project` (see the module docs). Never
/// fails: a missing file is normal, an unparsable one is listed in `unreadable`.
pub fn wiring(project: &Path, env: &Env) -> Wiring {
    let binaries = hook_binaries();
    let mut w = Wiring::default();
    let mut seen: Vec<PathBuf> = Vec::new();
    for file in settings_files(project, env) {
        // A project that is the home directory has one file in two scopes: read it once.
        if seen.contains(&file.path) {
            continue;
        }
        seen.push(file.path.clone());
        let bytes = match crate::fsutil::read_capped(&file.path, SETTINGS_CAP) {
            Ok((_, true)) => {
                w.unreadable.push(Unreadable {
                    path: file.path.clone(),
                    message: format!("larger than {SETTINGS_CAP} bytes"),
                });
                continue;
            }
            Ok((bytes, false)) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                w.unreadable.push(Unreadable {
                    path: file.path.clone(),
                    message: format!("cannot read: {e}"),
                });
                continue;
            }
        };
        let doc: Value = match serde_json::from_slice(&bytes) {
            Ok(doc) => doc,
            Err(e) => {
                w.unreadable.push(Unreadable {
                    path: file.path.clone(),
                    message: format!(
                        "invalid JSON at {}:{}: Claude Code ignores this file",
                        e.line(),
                        e.column()
                    ),
                });
                continue;
            }
        };
        for (id, enabled) in enabled_plugins(&doc) {
            // Files come highest precedence first: the first one naming an id decides it.
            if !w.plugins.iter().any(|p| p.id == id) {
                w.plugins.push(PluginSetting {
                    id,
                    enabled,
                    scope: file.scope,
                    file: file.path.clone(),
                });
            }
        }
        w.settings_hooks
            .extend(
                our_hooks(&doc, &binaries)
                    .into_iter()
                    .map(|(event, binary, command)| SettingsHook {
                        scope: file.scope,
                        file: file.path.clone(),
                        event,
                        binary,
                        command,
                    }),
            );
    }
    w
}

/// Settings files are small; a bigger one is not something Claude Code wrote.
pub(super) const SETTINGS_CAP: usize = 16 * 1024 * 1024;

/// Our plugin ids in a settings document's `enabledPlugins`, with their value. Claude Code
/// writes an object (`{"instar-hooks@m": true}`); a list of ids is read as all enabled.
fn enabled_plugins(doc: &Value) -> Vec<(String, bool)> {
    let ours = |id: &str| id.split_once('@').is_some_and(|(name, _)| name == NAME);
    match doc.get("enabledPlugins") {
        Some(Value::Object(map)) => map
            .iter()
            .filter(|(id, _)| ours(id))
            .filter_map(|(id, v)| Some((id.clone(), v.as_bool()?)))
            .collect(),
        Some(Value::Array(ids)) => ids
            .iter()
            .filter_map(Value::as_str)
            .filter(|id| ours(id))
            .map(|id| (id.to_string(), true))
            .collect(),
        _ => Vec::new(),
    }
}

/// (event, binary, command) of every hook in `doc` whose executable is one of `binaries`.
fn our_hooks(doc: &Value, binaries: &[String]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let Some(events) = doc.get("hooks").and_then(Value::as_object) else {
        return out;
    };
    for (event, groups) in events {
        for group in groups.as_array().into_iter().flatten() {
            let hooks = group.get("hooks").and_then(Value::as_array);
            for hook in hooks.into_iter().flatten() {
                let Some(command) = hook.get("command").and_then(Value::as_str) else {
                    continue;
                };
                if let Some(binary) = executable_name(command)
                    && let Some(b) = binaries.iter().find(|b| **b == binary)
                {
                    out.push((event.clone(), b.clone(), command.to_string()));
                }
            }
        }
    }
    out
}

/// The file name of the program a hook command runs (its first word, unquoted).
fn executable_name(command: &str) -> Option<String> {
    let first = command.split_whitespace().next()?;
    let unquoted = first.replace(['"', '\''], "");
    Some(unquoted.rsplit('/').next()?.to_string())
}
