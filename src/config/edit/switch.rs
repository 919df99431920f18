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
    config::{self, Origin, PROJECT_CONFIG, file},
    env::Env,
    fixes,
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
                    path: project_path.clone(),
                    before: p,
                    after: p2,
                });
            }
            if u2 != u {
                edits.push(SwitchEdit {
                    file: ConfigFile::User,
                    path: user_path.clone().expect("an option only when known"),
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
    pub fn apply(&self, doc: &mut Map<String, Value>) -> Result<Vec<String>, String> {
        match self.after {
            Some(on) => super::set_action_claim_enabled(doc, on),
            None => Ok(super::unset_action_claim_enabled(doc)),
        }
    }

    /// The `instar-hooks config` command that makes this change.
    pub fn command(&self, project: &Path) -> String {
        command(project, self.file, self.after)
    }

    /// The `instar-hooks config` command that undoes it.
    pub fn undo(&self, project: &Path) -> String {
        command(project, self.file, self.before)
    }

    /// For a change to the per-user file: what it means for the user's other projects, and
    /// how to undo it. `None` for the project file (it is this project's alone).
    pub fn explain(&self, project: &Path, wiring: &Wiring) -> Option<String> {
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
mod tests {
    use super::*;
    use crate::plugin::{PluginSetting, Scope};
    use serde_json::json;
    use std::fs;

    /// A project (an instar agent when `agent`), the user's config directory, and how the
    /// hooks are wired: by the plugin when `plugin`, else from settings.
    struct Case {
        _dir: tempfile::TempDir,
        project: PathBuf,
        env: Env,
        wiring: Wiring,
    }

    fn case(agent: bool, plugin: bool) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        fs::create_dir_all(&project).unwrap();
        if agent {
            fs::create_dir_all(project.join(".instar")).unwrap();
        }
        let env = Env {
            config_dir: Some(dir.path().join("config")),
            ..Env::default()
        };
        let mut wiring = Wiring::default();
        if plugin {
            wiring.plugins.push(PluginSetting {
                id: "instar-hooks@m".into(),
                enabled: true,
                scope: Scope::Project,
                file: project.join(".claude/settings.json"),
            });
        }
        Case {
            _dir: dir,
            project,
            env,
            wiring,
        }
    }

    impl Case {
        fn user(&self) -> PathBuf {
            config::user_config_path(&self.env).unwrap()
        }

        fn write(&self, which: ConfigFile, doc: Value) -> &Self {
            let path = match which {
                ConfigFile::Project => self.project.join(PROJECT_CONFIG),
                ConfigFile::User => self.user(),
            };
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, doc.to_string()).unwrap();
            self
        }

        fn plan(&self, want: bool, project_file: bool) -> Switch {
            plan_switch(&self.project, &self.env, &self.wiring, want, project_file)
        }

        fn effective(&self) -> Option<Value> {
            let env = plugin::hook_env(&self.env, &self.wiring);
            config::effective(&self.project, &env, ENABLED).value
        }

        /// The planned edits, as (file, before, after), after checking that applying them
        /// really gives `want` (and that a second plan then has nothing to do).
        fn edits(
            &self,
            want: bool,
            project_file: bool,
        ) -> Vec<(ConfigFile, Option<bool>, Option<bool>)> {
            let Switch::Edits(edits) = self.plan(want, project_file) else {
                panic!("{:?}", self.plan(want, project_file));
            };
            for e in &edits {
                super::super::update_file(&e.path, |d| e.apply(d)).unwrap();
            }
            assert_eq!(self.effective(), Some(Value::Bool(want)), "{edits:?}");
            assert!(matches!(self.plan(want, project_file), Switch::Already(_)));
            edits.iter().map(|e| (e.file, e.before, e.after)).collect()
        }
    }

    use ConfigFile::{Project, User};

    #[test]
    fn the_plugins_default_is_already_on_and_nothing_is_written() {
        let c = case(false, true);
        assert_eq!(c.plan(true, false), Switch::Already(Origin::PluginDefault));
        assert!(!c.user().exists());
        let c = case(true, true);
        assert_eq!(c.plan(true, true), Switch::Already(Origin::PluginDefault));
    }

    #[test]
    fn a_users_false_is_removed_rather_than_overridden_in_vain() {
        // The project says true, the user file false: false wins, so writing true into the
        // project file would change nothing. Removing the user's false is what switches it on.
        let c = case(true, false);
        c.write(Project, json!({"actionClaim": {"enabled": true}}))
            .write(
                User,
                json!({"actionClaim": {"enabled": false}, "port": 4040}),
            );
        assert_eq!(c.edits(true, true), [(User, Some(false), None)]);
        let user: Value = serde_json::from_str(&fs::read_to_string(c.user()).unwrap()).unwrap();
        assert_eq!(user, json!({"port": 4040}), "the rest of the file is kept");
    }

    #[test]
    fn every_false_goes_and_the_project_file_says_true_where_it_can() {
        let c = case(true, false);
        c.write(
            User,
            json!({"messaging": {"actionClaim": {"enabled": false}}}),
        );
        assert_eq!(
            c.edits(true, true),
            [(Project, None, Some(true)), (User, Some(false), None)]
        );
        let c = case(true, false);
        c.write(Project, json!({"actionClaim": {"enabled": false}}))
            .write(User, json!({"actionClaim": {"enabled": false}}));
        assert_eq!(
            c.edits(true, true),
            [
                (Project, Some(false), Some(true)),
                (User, Some(false), None)
            ]
        );
        // From the plugin, removing the user's false is enough: on by default.
        let c = case(false, true);
        c.write(User, json!({"actionClaim": {"enabled": false}}));
        assert_eq!(c.edits(true, false), [(User, Some(false), None)]);
    }

    #[test]
    fn a_project_without_instar_is_switched_in_the_user_file_only_when_it_must() {
        let c = case(false, false);
        assert_eq!(c.edits(true, false), [(User, None, Some(true))]);
        let c = case(false, false);
        c.write(User, json!({"actionClaim": {"enabled": false}}));
        assert_eq!(c.edits(true, false), [(User, Some(false), Some(true))]);
        // A project instar-migrate deploys into gets its own file instead.
        let c = case(false, false);
        assert_eq!(c.edits(true, true), [(Project, None, Some(true))]);
    }

    #[test]
    fn switching_off_touches_the_user_file_as_little_as_it_can() {
        let c = case(true, true);
        c.write(User, json!({"actionClaim": {"enabled": true}}));
        assert_eq!(c.edits(false, true), [(Project, None, Some(false))]);
        // Off by default here: removing the user's true is enough.
        let c = case(false, false);
        c.write(User, json!({"actionClaim": {"enabled": true}}));
        assert_eq!(c.edits(false, false), [(User, Some(true), None)]);
        // On by default (the plugin): only a false does it, and the note offers the
        // project-only way.
        let c = case(false, true);
        let Switch::Edits(edits) = c.plan(false, false) else {
            panic!()
        };
        let note = edits[0].explain(&c.project, &c.wiring).unwrap();
        assert!(
            note.contains("claude plugin disable instar-hooks@m --scope local"),
            "{note}"
        );
        assert_eq!(c.edits(false, false), [(User, None, Some(false))]);
        // Already off by default: nothing.
        assert_eq!(
            case(false, false).plan(false, false),
            Switch::Already(Origin::Default)
        );
    }

    #[test]
    fn an_unreadable_file_blocks_switching_on_and_is_off_already() {
        let c = case(true, true);
        fs::create_dir_all(c.user().parent().unwrap()).unwrap();
        fs::write(c.user(), "{ nope").unwrap();
        let Switch::Blocked(why) = c.plan(true, true) else {
            panic!("{:?}", c.plan(true, true))
        };
        assert!(
            why.contains("cannot be read") && why.contains("fix it by hand"),
            "{why}"
        );
        assert!(matches!(
            c.plan(false, true),
            Switch::Already(Origin::Unreadable { .. })
        ));
        // Also when a project-file false is what the hooks name first.
        c.write(Project, json!({"actionClaim": {"enabled": false}}));
        assert!(matches!(c.plan(true, true), Switch::Blocked(_)));
    }

    #[test]
    fn without_a_user_config_directory_a_project_without_instar_cannot_be_switched() {
        let mut c = case(false, false);
        c.env.config_dir = None;
        let Switch::Blocked(why) = c.plan(true, false) else {
            panic!()
        };
        assert!(why.contains("no per-user config directory"), "{why}");
    }

    #[test]
    fn commands_do_and_undo_each_change() {
        let c = case(true, false);
        let edit = SwitchEdit {
            file: User,
            path: c.user(),
            before: Some(false),
            after: None,
        };
        assert_eq!(
            edit.command(&c.project),
            "instar-hooks config unset actionClaim.enabled --user"
        );
        assert_eq!(
            edit.undo(&c.project),
            "instar-hooks config set actionClaim.enabled false --user"
        );
        let edit = SwitchEdit {
            file: Project,
            path: c.project.join(PROJECT_CONFIG),
            before: None,
            after: Some(true),
        };
        assert_eq!(
            edit.command(&c.project),
            format!(
                "instar-hooks config set actionClaim.enabled true --project --project-dir {}",
                c.project.display()
            )
        );
        assert!(edit.explain(&c.project, &c.wiring).is_none());
    }

    #[test]
    fn the_files_are_read_as_the_hooks_read_them() {
        let docs = [
            json!({}),
            json!({"actionClaim": {"enabled": true}}),
            json!({"actionClaim": {"enabled": false}}),
            json!({"actionClaim": {"enabled": "yes"}}),
            json!({"actionClaim": {"enabled": "yes"}, "messaging": {"actionClaim": {"enabled": false}}}),
            json!({"messaging": {"actionClaim": {"enabled": false}}}),
            json!({"messaging": {"actionClaim": {"enabled": true}}}),
            json!({"messaging": [{"actionClaim": {"enabled": false}}]}),
            json!({"actionClaim": {}, "messaging": {"actionClaim": {"enabled": false}}}),
        ];
        for plugin in [false, true] {
            for p in &docs {
                for u in &docs {
                    let c = case(true, plugin);
                    c.write(Project, p.clone()).write(User, u.clone());
                    let mine = resolve(
                        explicit(&c.project.join(PROJECT_CONFIG)).unwrap(),
                        explicit(&c.user()).unwrap(),
                        plugin,
                    );
                    assert_eq!(c.effective(), Some(Value::Bool(mine)), "{p} {u} {plugin}");
                }
            }
        }
    }
}
