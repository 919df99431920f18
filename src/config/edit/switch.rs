//! Switching `actionClaim.enabled` so that it takes effect in one project, as the hooks there
//! see it: the one answer `instar-migrate --enable/--disable`, `doctor`'s fix and the hint of
//! `instar-hooks config set` share.
//!
//! What decides (see [`crate::config`]): an explicit `false` in either file wins; otherwise
//! the first `true`; otherwise the default, on when the Claude Code plugin runs the hooks. The
//! project's `.instar/config.json` is read by this project only; the per-user file by every
//! project of the user. So [`plan_switch`] picks, among the changes that make the value take
//! effect here, the one that changes the fewest other projects:
//!
//! 1. nothing, when the value is in effect already;
//! 2. the project file alone (an instar agent, or a project `instar-migrate` deploys into):
//!    `true`/`false` written there, where it was not so already;
//! 3. otherwise the per-user file as well: first by **removing** its value — a `false` that
//!    keeps the feature off here, or (to switch off) a `true` — and only when that is not
//!    enough by **writing** the value there. Removing a per-user `false` changes only the
//!    projects that have no setting of their own and are on by default (the plugin's), and
//!    those whose own config says `true`; writing `true` would change those and every other
//!    project registered in settings. Removing a per-user `true` changes only the projects
//!    that relied on it; writing `false` would switch off every project. Either way the
//!    removal is the smaller change, and the report says which projects it reaches.
//!
//! `.instar/` is never created for a setting (that makes a project an instar agent, whose
//! hook state then lives in the repository): a project that has none and gets no hooks
//! deployed keeps its switch in the per-user file, as `instar-hooks config set` does.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use crate::{
    config::{self, Origin, PROJECT_CONFIG},
    env::Env,
    fixes, json_file as file,
    plugin::{self, Wiring},
};

/// The key this module switches.
pub const ENABLED: &str = "actionClaim.enabled";

/// One of the two config files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigFile {
    /// The project's `.instar/config.json`.
    Project,
    /// The per-user config: every project of this user reads it.
    User,
}

/// One file's change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwitchEdit {
    pub file: ConfigFile,
    pub path: PathBuf,
    /// The value the file holds now (`None`: none that counts).
    pub before: Option<bool>,
    /// The value it will hold: `Some` writes `actionClaim.enabled`; `None` removes it (and
    /// instar's legacy `messaging.actionClaim.enabled`).
    pub after: Option<bool>,
}

/// What makes `actionClaim.enabled` take a value in a project.
#[derive(Clone, Debug, PartialEq)]
pub enum Switch {
    /// It has that value already, as the hooks see it, decided by this origin.
    Already(Origin),
    /// These changes, at most one per file, project file first.
    Edits(Vec<SwitchEdit>),
    /// No config change can do it: why, and what to do.
    Blocked(String),
}

/// Plans `actionClaim.enabled = want` for `project`, judged as its hooks see it (`wiring`
/// says whether the plugin runs them, which makes the default on). `project_file`: the
/// project's `.instar/config.json` may be written (an instar agent, or a project that
/// `instar-migrate` makes one by deploying the hooks into it). See the module docs for the
/// choice.
pub fn plan_switch(
    project: &Path,
    env: &Env,
    wiring: &Wiring,
    want: bool,
    project_file: bool,
) -> Switch {
    let hooks = plugin::hook_env(env, wiring);
    let now = config::effective(project, &hooks, ENABLED);
    let origin = now.origin.unwrap_or_default();
    if now.value == Some(Value::Bool(want)) {
        return Switch::Already(origin);
    }
    if let Origin::Unreadable { path } = &origin {
        return Switch::Blocked(unreadable(path, explicit(path).err().as_ref()));
    }
    let project_path = project.join(PROJECT_CONFIG);
    let user_path = config::user_config_path(env);
    let p = match explicit(&project_path) {
        Ok(v) => v,
        Err(e) => return Switch::Blocked(unreadable(&project_path, Some(&e))),
    };
    let u = match user_path.as_deref().map(explicit).transpose() {
        Ok(v) => v.flatten(),
        Err(e) => {
            let path = user_path.expect("read only when known");
            return Switch::Blocked(unreadable(&path, Some(&e)));
        }
    };
    let default = config::default_enabled(&hooks);
    // In order of preference: the per-user file untouched, its value removed, then written;
    // within each, the project file untouched, then written.
    let mut user_options = vec![u];
    if user_path.is_some() {
        user_options.extend([None, Some(want)]);
    }
    let mut project_options = vec![p];
    if project_file {
        project_options.push(Some(want));
    }
    for &u2 in &user_options {
        for &p2 in &project_options {
            if resolve(p2, u2, default) != want {
                continue;
            }
            let mut edits = Vec::new();
            if p2 != p {
                edits.push(SwitchEdit {
                    file: ConfigFile::Project,
                    path: project_path,
                    before: p,
                    after: p2,
                });
            }
            if u2 != u {
                edits.push(SwitchEdit {
                    file: ConfigFile::User,
                    path: user_path.expect("an option only when known"),
                    before: u,
                    after: u2,
                });
            }
            return Switch::Edits(edits);
        }
    }
    Switch::Blocked(format!(
        "{ENABLED}: {} has no .instar/ and there is no per-user config directory (set HOME or XDG_CONFIG_HOME); .instar/ is not created for a setting, as that would make the project an instar agent",
        project.display()
    ))
}

/// The value the hooks resolve from the two files' explicit values and the default.
fn resolve(project: Option<bool>, user: Option<bool>, default: bool) -> bool {
    match (project, user) {
        (Some(false), _) | (_, Some(false)) => false,
        (Some(true), _) | (_, Some(true)) => true,
        (None, None) => default,
    }
}

/// The explicit `actionClaim.enabled` of one config file, read as the hooks read it: the
/// top-level key when it is there (a value that is not a boolean counts as none, and hides
/// the legacy one), else instar's `messaging.actionClaim.enabled` when `messaging` is an
/// object. `None` for a missing file.
fn explicit(path: &Path) -> Result<Option<bool>, crate::Error> {
    let Some(doc) = file::read_object(path)? else {
        return Ok(None);
    };
    Ok(explicit_in(&doc))
}

fn explicit_in(doc: &Map<String, Value>) -> Option<bool> {
    let leaf = |o: Option<&Value>| o?.as_object()?.get("enabled").cloned();
    let top = leaf(doc.get("actionClaim"));
    let value = top.or_else(|| leaf(doc.get("messaging")?.as_object()?.get("actionClaim")))?;
    value.as_bool()
}

fn unreadable(path: &Path, e: Option<&crate::Error>) -> String {
    let why = e
        .map(|e| format!(" ({})", file::problem(e)))
        .unwrap_or_default();
    format!(
        "{ENABLED}: {}{why} cannot be read, and a config file that cannot be read keeps the feature off: fix it by hand",
        path.display()
    )
}

impl Switch {
    /// What to run: the `instar-hooks config` command of each change, joined with ` && `;
    /// for `Blocked`, why it cannot be done; `None` when it is so already.
    pub fn commands(&self, project: &Path) -> Option<String> {
        match self {
            Switch::Already(_) => None,
            Switch::Blocked(why) => Some(why.clone()),
            Switch::Edits(edits) => Some(
                edits
                    .iter()
                    .map(|e| e.command(project))
                    .collect::<Vec<_>>()
                    .join(" && "),
            ),
        }
    }
}

impl SwitchEdit {
    /// Applies the change to a config document; returns what it did, for the report.
    pub(crate) fn apply(&self, doc: &mut Map<String, Value>) -> Result<Vec<String>, String> {
        match self.after {
            Some(on) => super::set_action_claim_enabled(doc, on),
            None => Ok(super::unset_action_claim_enabled(doc)),
        }
    }

    /// The `instar-hooks config` command that makes this change.
    pub(crate) fn command(&self, project: &Path) -> String {
        command(project, self.file, self.after)
    }

    /// The `instar-hooks config` command that undoes it.
    pub(crate) fn undo(&self, project: &Path) -> String {
        command(project, self.file, self.before)
    }

    /// For a change to the per-user file: what it means for the user's other projects, and
    /// how to undo it. `None` for the project file (it is this project's alone).
    pub(crate) fn explain(&self, project: &Path, wiring: &Wiring) -> Option<String> {
        if self.file != ConfigFile::User {
            return None;
        }
        let user = self.path.display();
        let undo = self.undo(project);
        Some(match (self.before, self.after) {
            (Some(false), None) => format!(
                "{user} said {ENABLED} = false, and a false in any config file wins: removed it rather than writing true there, so only the projects without a setting of their own that are on by default (where the plugin runs the hooks), and those whose own config says true, switch on; the others keep their own setting or default. Undo: `{undo}`"
            ),
            (Some(true), None) => format!(
                "{user} said {ENABLED} = true: removed it rather than writing false there (which would switch off every project of this user), as this project is off by default; projects that relied on it go back to their own setting or default. Undo: `{undo}`"
            ),
            (_, after) => {
                let value = after.unwrap_or(false);
                let mut note = format!(
                    "{} has no .instar/, so {ENABLED} goes into the per-user config {user} (set to {value}), which every project reads (an explicit false in any file wins); a project is not made an instar agent for a setting. Undo: `{undo}`",
                    project.display()
                );
                if let (false, Some(p)) = (value, wiring.plugin()) {
                    note.push_str(&format!(
                        "; to switch the hooks off in this project only, instead: `claude plugin disable {} --scope local`",
                        p.id
                    ));
                }
                note
            }
        })
    }
}

fn command(project: &Path, which: ConfigFile, value: Option<bool>) -> String {
    let user = which == ConfigFile::User;
    match value {
        Some(v) => fixes::config_set(project, ENABLED, &v.to_string(), user),
        None if user => fixes::config_unset(ENABLED),
        None => format!(
            "instar-hooks config unset {ENABLED} --project --project-dir {}",
            fixes::shell_word(project)
        ),
    }
}

#[cfg(test)]
mod tests;
