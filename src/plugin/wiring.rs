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
//! - a settings hook is ours when the program its command runs is one of our hook binaries
//!   (`action-claim-followthrough`, `action-claim-reminder`), wherever it lives
//!   ([`settings::our_binary`], the one predicate every module uses). Every file Claude Code
//!   reads counts, the user's included.
//!
//! Each file is read once, here: `doctor` and `instar-migrate` judge the registrations from
//! this [`Wiring`] rather than read the files again.
//!
//! Both at once is a double wiring: every hook then runs twice per event. The commitment store
//! makes the second delivery of a Stop a no-op (see `commitments`), but the work is done twice
//! and a reminder can be handed to the model twice, so `doctor` reports it with the fix, and
//! `instar-migrate` does not register hooks in a project the plugin already serves.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::NAME;
use crate::{Error, env::Env, json_file as file, settings};

/// A Claude Code settings scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// The settings files Claude Code reads for `project`, highest precedence first (the user
/// file only when `env.claude_dir` is known).
fn settings_files(project: &Path, env: &Env) -> Vec<(Scope, PathBuf)> {
    let mut out = vec![
        (Scope::Local, project.join(settings::LOCAL_SETTINGS_FILE)),
        (Scope::Project, project.join(settings::SETTINGS_FILE)),
    ];
    if let Some(dir) = &env.claude_dir {
        out.push((Scope::User, dir.join("settings.json")));
    }
    out
}

/// The setting that decides one of our plugin ids for this project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginSetting {
    /// `instar-hooks@<marketplace>`.
    pub id: String,
    pub enabled: bool,
    pub scope: Scope,
    pub file: PathBuf,
}

impl PluginSetting {
    /// The marketplace part of the id.
    pub(crate) fn marketplace(&self) -> &str {
        self.id.split_once('@').map_or("", |(_, m)| m)
    }
}

/// One of our hook binaries registered in a settings file (see [`settings::our_binary`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsHook {
    pub scope: Scope,
    pub file: PathBuf,
    pub event: String,
    /// The index of its group in `hooks.<event>`.
    pub group: usize,
    pub binary: String,
    pub command: String,
    /// The hook object as written.
    pub hook: Map<String, Value>,
}

impl SettingsHook {
    /// The file this registration runs in `project`, when it can be told without a shell
    /// (`None`: a name looked up on `PATH`, or a path through `~` or a variable).
    pub(crate) fn program_path(&self, project: &Path) -> Option<PathBuf> {
        match settings::program(&self.command)? {
            settings::Program::InProject(rel) => Some(project.join(rel)),
            settings::Program::Absolute(path) => Some(path),
            settings::Program::Elsewhere(_) => None,
        }
    }
}

/// A settings file that cannot be read, or not wholly: why, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub scope: Scope,
    pub path: PathBuf,
    /// What is wrong, naming the file (and, when so, that Claude Code ignores it).
    pub message: String,
    pub hint: Option<String>,
    /// Claude Code ignores the whole file: a JSON syntax error (then so do we). A file of an
    /// unexpected shape is still read, by Claude Code and here.
    pub ignored: bool,
}

/// How our hooks reach Claude Code in one project.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Wiring {
    /// Every plugin id of ours named in `enabledPlugins`, with the setting that decides it.
    pub plugins: Vec<PluginSetting>,
    /// Our hooks registered in settings files (they run in addition to the plugin's).
    pub settings_hooks: Vec<SettingsHook>,
    /// instar's node implementations of our hooks (`node …/action-claim-followthrough.js`)
    /// registered in settings files: `binary` is the hook they stand for. instar's own
    /// migrator adds the Stop one back after each of its updates (see [`crate::registration`]).
    pub node_hooks: Vec<SettingsHook>,
    /// Settings files that cannot be (wholly) read, each once.
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

/// Reads the settings files Claude Code reads for `project` (see the module docs), each
/// once. Never fails: a missing file is normal, one that cannot be read is listed in
/// `unreadable`.
pub fn wiring(project: &Path, env: &Env) -> Wiring {
    let mut w = Wiring::default();
    let mut seen: Vec<PathBuf> = Vec::new();
    for (scope, path) in settings_files(project, env) {
        // A project that is the home directory has one file in two scopes: read it once.
        if seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        let unreadable = |e: Error, ignored: bool| Unreadable {
            scope,
            path: path.clone(),
            message: match ignored {
                true => format!(
                    "{e}: Claude Code ignores this file (every hook, permission and plugin setting in it)"
                ),
                false => e.to_string(),
            },
            hint: e.hint(),
            ignored,
        };
        let doc = match file::read_json(&path) {
            Ok(Some(doc)) => doc,
            Ok(None) => continue,
            Err(e) => {
                let ignored = matches!(e, Error::Parse { .. });
                w.unreadable.push(unreadable(e, ignored));
                continue;
            }
        };
        if let Err(e) = settings::check_shape(&path, &doc) {
            w.unreadable.push(unreadable(e, false));
        }
        for (id, enabled) in enabled_plugins(&doc) {
            // Files come highest precedence first: the first one naming an id decides it.
            if !w.plugins.iter().any(|p| p.id == id) {
                w.plugins.push(PluginSetting {
                    id,
                    enabled,
                    scope,
                    file: path.clone(),
                });
            }
        }
        for at in settings::hooks(&doc) {
            let Some(command) = at.command() else {
                continue;
            };
            let (list, binary) = match (
                settings::our_binary(command),
                settings::legacy_binary(command),
            ) {
                (Some(b), _) => (&mut w.settings_hooks, b),
                (None, Some(b)) => (&mut w.node_hooks, b),
                (None, None) => continue,
            };
            list.push(SettingsHook {
                scope,
                file: path.clone(),
                event: at.event.to_string(),
                group: at.group_index,
                binary: binary.to_string(),
                command: command.to_string(),
                hook: at.hook.clone(),
            });
        }
    }
    w
}

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
