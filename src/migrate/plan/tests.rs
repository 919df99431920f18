use super::*;
use crate::{
    env::Env,
    migrate::{HookAt, Step, Upgrade, apply},
    plugin,
};
use serde_json::Value;
use std::fs;

/// A project (without `.instar/`) with these settings, a directory of hook binaries, and the
/// user's directories (Claude Code's, config, data) in the same temp dir.
fn project(settings: &str, action_claim: Option<bool>) -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let bin = dir.path().join("bin");
    fs::create_dir_all(project.join(".claude")).unwrap();
    fs::create_dir_all(dir.path().join("claude")).unwrap();
    fs::create_dir_all(&bin).unwrap();
    fs::write(project.join(SETTINGS_FILE), settings).unwrap();
    for binary in settings::binaries() {
        fs::write(bin.join(binary), b"\x7fELF fake hook").unwrap();
    }
    let env = Env {
        claude_dir: Some(dir.path().join("claude")),
        config_dir: Some(dir.path().join("config")),
        data_dir: Some(dir.path().join("data")),
        ..Env::default()
    };
    let opts = Options {
        project,
        source_dir: bin,
        action_claim,
        env,
    };
    (dir, opts)
}

fn plan_of(opts: &Options) -> Plan {
    plan_with(opts, &plugin::wiring(&opts.project, &opts.env))
}

fn files(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| c.rel.display().to_string())
        .collect()
}

const PLUGIN: &str = r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#;

fn skips(r: &Report) -> Vec<&Skip> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Skipped { skip, .. } => Some(skip),
            _ => None,
        })
        .collect()
}

fn notes(r: &Report) -> Vec<&Note> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Note { note, .. } => Some(note),
            _ => None,
        })
        .collect()
}

/// The words of the notes that another module wrote (e.g. the config edit's reach).
fn remarks(r: &Report) -> String {
    let words: Vec<&str> = notes(r)
        .into_iter()
        .filter_map(|n| match n {
            Note::Remark { detail } => Some(detail.as_str()),
            _ => None,
        })
        .collect();
    words.join("\n")
}

fn upgrades(r: &Report) -> Vec<(&Path, &Upgrade)> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Upgraded { path, upgrade } => Some((path.as_path(), upgrade)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_project_the_plugin_serves_gets_no_settings_entry_no_binaries_and_no_dot_instar() {
    // --disable: the plugin's hooks are on by default, so switching them off takes a write.
    let (_d, opts) = project(PLUGIN, Some(false));
    let user = crate::config::user_config_path(&opts.env).unwrap();
    let plan = plan_of(&opts);
    // Not `.instar/config.json`: that would make the project an instar agent and move its
    // hook state into the repository. The switch goes where `instar-hooks config set` puts
    // it in such a project: the per-user config.
    assert_eq!(
        files(&plan),
        [user.display().to_string(), claude_md::FILE.to_string()],
        "{:?}",
        plan.report
    );
    let plugin_runs_hooks = |path: &str| {
        plan.report.steps.iter().any(|s| {
            matches!(s, Step::Skipped { path: Some(p), skip: Skip::PluginRunsHooks { plugin, scope, .. } }
                if p == Path::new(path) && plugin == "instar-hooks@instar-hooks" && scope == "project")
        })
    };
    assert!(plugin_runs_hooks(SETTINGS_FILE), "{:?}", plan.report);
    assert!(plugin_runs_hooks(HOOKS_DIR), "{:?}", plan.report);
    let notes = remarks(&plan.report);
    for want in [
        "has no .instar/, so actionClaim.enabled goes into the per-user config",
        "which every project reads",
        "Undo: `instar-hooks config unset actionClaim.enabled --user`",
        "to switch the hooks off in this project only, instead: `claude plugin disable instar-hooks@instar-hooks --scope local`",
    ] {
        assert!(notes.contains(want), "{want:?} not in\n{notes}");
    }
    assert!(!plan.report.has_errors());
    assert!(
        plan.diff().contains(&format!("+++ b{}", user.display())),
        "{}",
        plan.diff()
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    assert!(
        !opts.project.join(".instar").exists(),
        "no .instar/ created"
    );
    assert!(opts.project.join(claude_md::FILE).is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&user).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let hooks = plugin::hook_env(&opts.env, &plugin::wiring(&opts.project, &opts.env));
    assert_eq!(
        crate::config::effective(&opts.project, &hooks, "actionClaim.enabled").value,
        Some(Value::Bool(false))
    );
    // A second run: already so.
    let again = plan_of(&opts);
    assert_eq!(files(&again), Vec::<String>::new(), "{:?}", again.report);
}

#[test]
fn enabling_where_the_plugin_runs_the_hooks_writes_nothing_it_is_on_by_default() {
    // Writing `true` into the per-user file would switch the hooks on in every project of
    // this user that registers them in settings; here it would change nothing at all.
    for agent in [false, true] {
        let (_d, opts) = project(PLUGIN, Some(true));
        if agent {
            fs::create_dir(opts.project.join(".instar")).unwrap();
        }
        let user = crate::config::user_config_path(&opts.env).unwrap();
        let plan = plan_of(&opts);
        assert_eq!(files(&plan), [claude_md::FILE], "{:?}", plan.report);
        assert!(
            skips(&plan.report).contains(&&Skip::SwitchAlready {
                key: "actionClaim.enabled".into(),
                value: true,
                origin: "built-in default for hooks run from the plugin".into()
            }),
            "{:?}",
            plan.report
        );
        assert!(notes(&plan.report).is_empty(), "{:?}", plan.report);
        apply(plan, crate::timestamp::Timestamp::now());
        assert!(!user.exists());
        assert!(!opts.project.join(PROJECT_CONFIG).exists());
    }
}

#[test]
fn enabling_an_agent_whose_user_file_says_false_removes_that_false() {
    // The project file saying true changes nothing while the user file says false (it wins):
    // the run that used to report "upgraded" and leave the feature off.
    let (_d, opts) = project("{}\n", Some(true));
    fs::create_dir(opts.project.join(".instar")).unwrap();
    fs::write(
        opts.project.join(PROJECT_CONFIG),
        r#"{"actionClaim": {"enabled": true}}"#,
    )
    .unwrap();
    let user = crate::config::user_config_path(&opts.env).unwrap();
    fs::create_dir_all(user.parent().unwrap()).unwrap();
    fs::write(
        &user,
        r#"{"actionClaim": {"enabled": false}, "port": 4040}"#,
    )
    .unwrap();
    let plan = plan_of(&opts);
    assert!(
        files(&plan).contains(&user.display().to_string()),
        "{:?}",
        files(&plan)
    );
    assert!(!files(&plan).contains(&PROJECT_CONFIG.to_string()));
    let notes = remarks(&plan.report);
    assert!(
        notes.contains("removed it rather than writing true there")
            && notes.contains("Undo: `instar-hooks config set actionClaim.enabled false --user`"),
        "{notes}"
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    assert!(
        upgrades(&report).iter().any(|(path, u)| *path == user
            && matches!(u, Upgrade::Edited { detail } if detail == "removed `actionClaim.enabled` (it was false)")),
        "{report:?}"
    );
    assert_eq!(
        crate::config::effective(&opts.project, &opts.env, "actionClaim.enabled").value,
        Some(Value::Bool(true)),
        "on, as the report says"
    );
    assert_eq!(
        fs::read_to_string(&user).unwrap(),
        "{\n  \"port\": 4040\n}\n"
    );
}

#[test]
fn backups_of_a_project_without_instar_go_to_its_per_user_state_directory() {
    let (_d, opts) = project(PLUGIN, None);
    fs::write(opts.project.join(claude_md::FILE), "# Mine\n").unwrap();
    let report = apply(plan_of(&opts), crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    let backup = report.backup_dir.unwrap();
    let state = StateDir::resolve(&opts.project, &opts.env).unwrap();
    assert!(
        backup.starts_with(state.root().join("backups")),
        "{backup:?}"
    );
    assert_eq!(
        fs::read_to_string(backup.join(claude_md::FILE)).unwrap(),
        "# Mine\n"
    );
    assert!(
        !opts.project.join(".instar").exists(),
        "no .instar/ for a backup"
    );
}

#[test]
fn an_instar_agent_the_plugin_serves_gets_its_switch_in_a_private_config_file() {
    let (_d, opts) = project(PLUGIN, Some(false));
    fs::create_dir(opts.project.join(".instar")).unwrap();
    let plan = plan_of(&opts);
    assert_eq!(files(&plan), [PROJECT_CONFIG, claude_md::FILE]);
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(opts.project.join(PROJECT_CONFIG))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "a config may hold the server's authToken"
    );
}

#[test]
fn an_existing_double_wiring_is_pointed_out_and_left_for_the_user() {
    let mut doc: Value = serde_json::from_str(settings::TEMPLATE).unwrap();
    doc["enabledPlugins"] = serde_json::json!({"instar-hooks@m": true});
    let (_d, opts) = project(&doc.to_string(), Some(true));
    let plan = plan_of(&opts);
    assert!(
        plan.changes
            .iter()
            .all(|c| c.rel != Path::new(SETTINGS_FILE))
    );
    assert!(
        notes(&plan.report)
            .iter()
            .any(|n| matches!(n, Note::RegisteredTwice { fix, .. }
            if fix.contains("claude plugin disable instar-hooks@m --scope local"))),
        "{:?}",
        plan.report
    );
}

#[test]
fn a_disabled_plugin_does_not_stop_the_registration() {
    let (_d, opts) = project(
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": false}}"#,
        Some(true),
    );
    let plan = plan_of(&opts);
    assert!(
        plan.changes
            .iter()
            .any(|c| c.rel == Path::new(SETTINGS_FILE))
    );
    assert!(
        !skips(&plan.report)
            .iter()
            .any(|s| matches!(s, Skip::PluginRunsHooks { .. })),
        "{:?}",
        plan.report
    );
}

#[test]
fn a_hook_registered_in_the_users_settings_is_not_registered_again() {
    let (dir, opts) = project("{}\n", None);
    fs::write(
        dir.path().join("claude/settings.json"),
        r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/home/u/.local/bin/action-claim-followthrough"}]}]}}"#,
    )
    .unwrap();
    let plan = plan_of(&opts);
    assert_eq!(
        files(&plan),
        [
            ".instar/hooks/instar/action-claim-reminder",
            SETTINGS_FILE,
            claude_md::FILE
        ],
        "only the hook that is not wired yet is deployed and registered"
    );
    let settings = String::from_utf8(plan.changes[1].after.clone()).unwrap();
    assert!(
        !settings.contains("action-claim-followthrough"),
        "{settings}"
    );
    assert!(
        notes(&plan.report).contains(&&Note::RegisteredElsewhere {
            hook: "Stop action-claim-followthrough".into(),
            places: vec![HookAt {
                file: dir.path().join("claude/settings.json"),
                event: "Stop".into(),
                command: "/home/u/.local/bin/action-claim-followthrough".into()
            }],
            removed: Vec::new(),
        }),
        "{:?}",
        plan.report
    );
}

#[test]
fn a_hook_registered_from_another_path_in_the_project_settings_is_left_and_not_deployed() {
    let (_d, opts) = project(
        r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "~/.local/bin/action-claim-followthrough"}]}]}}"#,
        None,
    );
    let plan = plan_of(&opts);
    assert!(
        !files(&plan).contains(&".instar/hooks/instar/action-claim-followthrough".to_string()),
        "{:?}",
        files(&plan)
    );
    let settings: Value = serde_json::from_slice(
        &plan
            .changes
            .iter()
            .find(|c| c.rel == Path::new(SETTINGS_FILE))
            .unwrap()
            .after,
    )
    .unwrap();
    assert_eq!(
        settings::registrations_of(&settings, "action-claim-followthrough"),
        ["Stop[0]"],
        "one registration, still theirs"
    );
    assert_eq!(
        settings["hooks"]["Stop"][0]["hooks"][0]["command"],
        "~/.local/bin/action-claim-followthrough"
    );
    assert!(
        plan.report.steps.contains(&Step::Note {
            path: Some(SETTINGS_FILE.into()),
            note: Note::RunsAnotherCopy {
                hook: "Stop action-claim-followthrough".into(),
                command: "~/.local/bin/action-claim-followthrough".into()
            }
        }),
        "{:?}",
        plan.report
    );
}

#[test]
fn deploying_into_a_project_without_instar_says_it_becomes_an_agent_and_where_old_state_is() {
    let (_d, opts) = project("{}\n", Some(true));
    let becomes_agent = |kept_in: Option<PathBuf>| Note::BecomesAgent {
        project: opts.project.clone(),
        kept_in,
        move_to: opts.project.join(".instar/instar-hooks"),
    };
    // No state to leave behind.
    let plan = plan_of(&opts);
    assert!(
        notes(&plan.report).contains(&&becomes_agent(None)),
        "{:?}",
        plan.report
    );
    let old = StateDir::resolve(&opts.project, &opts.env).unwrap();
    old.ensure().unwrap();
    fs::write(old.commitments_file(), "{}").unwrap();
    let plan = plan_of(&opts);
    assert!(
        notes(&plan.report).contains(&&becomes_agent(Some(old.root().to_path_buf()))),
        "{:?}",
        plan.report
    );
}

#[test]
fn a_hook_registered_in_the_project_file_and_another_one_is_removed_from_the_project_file() {
    // Registered from .instar/hooks/instar/ in .claude/settings.json (also, wrongly, for
    // UserPromptSubmit) and from ~/.local/bin in the local settings: it ran twice.
    let mut doc: Value = serde_json::from_str(settings::TEMPLATE).unwrap();
    let stop = doc["hooks"]["Stop"][0].clone();
    doc["hooks"]["UserPromptSubmit"]
        .as_array_mut()
        .unwrap()
        .push(stop);
    let (_d, opts) = project(&serde_json::to_string_pretty(&doc).unwrap(), None);
    let local = opts.project.join(settings::LOCAL_SETTINGS_FILE);
    let local_text = r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "/home/u/.local/bin/action-claim-followthrough"}]}]}}"#;
    fs::write(&local, local_text).unwrap();
    let plan = plan_of(&opts);
    assert!(!plan.report.has_errors(), "{:?}", plan.report);
    let ours = |event: &str| HookAt {
        file: opts.project.join(SETTINGS_FILE),
        event: event.into(),
        command: "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough".into(),
    };
    assert!(
        notes(&plan.report).contains(&&Note::RegisteredElsewhere {
            hook: "Stop action-claim-followthrough".into(),
            places: vec![HookAt {
                file: local.clone(),
                event: "Stop".into(),
                command: "/home/u/.local/bin/action-claim-followthrough".into()
            }],
            removed: vec![ours("Stop"), ours("UserPromptSubmit")],
        }),
        "{:?}",
        plan.report
    );
    assert!(
        !files(&plan).contains(&".instar/hooks/instar/action-claim-followthrough".to_string()),
        "what runs it is the local registration: {:?}",
        files(&plan)
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    assert!(
        upgrades(&report).contains(&(
            Path::new(SETTINGS_FILE),
            &Upgrade::HooksRemoved {
                count: 1,
                binary: "action-claim-followthrough".into(),
                event: "Stop".into(),
                registered_for: "Stop".into()
            }
        )),
        "{report:?}"
    );
    assert_eq!(fs::read_to_string(&local).unwrap(), local_text, "untouched");
    let wiring = plugin::wiring(&opts.project, &opts.env);
    let followthrough: Vec<_> = wiring
        .settings_hooks
        .iter()
        .filter(|h| h.binary == "action-claim-followthrough")
        .collect();
    assert_eq!(followthrough.len(), 1, "{followthrough:?}");
    assert_eq!(followthrough[0].file, local);
    let after: Value =
        serde_json::from_str(&fs::read_to_string(opts.project.join(SETTINGS_FILE)).unwrap())
            .unwrap();
    assert_eq!(
        settings::registrations_of(&after, "action-claim-reminder"),
        ["UserPromptSubmit[0]"],
        "the other hook is kept"
    );
    assert!(after["hooks"].get("Stop").is_none(), "{after:#}");
    // A second run has nothing to do.
    let again = plan_of(&opts);
    assert!(
        files(&again).iter().all(|f| f != SETTINGS_FILE),
        "{:?}",
        again.report
    );
}

#[test]
fn a_hook_the_other_file_runs_from_the_project_is_still_deployed() {
    let (_d, opts) = project(settings::TEMPLATE, None);
    fs::write(
        opts.project.join(settings::LOCAL_SETTINGS_FILE),
        r#"{"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"}]}]}}"#,
    )
    .unwrap();
    let plan = plan_of(&opts);
    assert!(
        files(&plan).contains(&".instar/hooks/instar/action-claim-followthrough".to_string()),
        "{:?}",
        files(&plan)
    );
    let settings = String::from_utf8(
        plan.changes
            .iter()
            .find(|c| c.rel == Path::new(SETTINGS_FILE))
            .unwrap()
            .after
            .clone(),
    )
    .unwrap();
    assert!(
        !settings.contains("action-claim-followthrough"),
        "{settings}"
    );
}
