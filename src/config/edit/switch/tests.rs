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
