use super::*;
use crate::{env::Env, migrate::apply, plugin};
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
    let skipped = plan.report.skipped.join("\n");
    for want in [
        ".claude/settings.json (skipped: the Claude Code plugin instar-hooks@instar-hooks is enabled for this project (project scope, ",
        ".instar/hooks/instar (skipped: ",
        "deploying and registering them here as well would run each hook twice",
    ] {
        assert!(skipped.contains(want), "{want:?} not in\n{skipped}");
    }
    let notes = plan.report.notes.join("\n");
    for want in [
        "has no .instar/, so actionClaim.enabled goes into the per-user config",
        "which every project reads",
        "Undo: `instar-hooks config unset actionClaim.enabled --user`",
        "to switch the hooks off in this project only, instead: `claude plugin disable instar-hooks@instar-hooks --scope local`",
    ] {
        assert!(notes.contains(want), "{want:?} not in\n{notes}");
    }
    assert!(plan.report.errors.is_empty());
    assert!(
        plan.diff().contains(&format!("+++ b{}", user.display())),
        "{}",
        plan.diff()
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(report.errors.is_empty(), "{report:?}");
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
            plan.report.skipped.iter().any(|s| s
                == "actionClaim.enabled: already true in this project, as its hooks see it (built-in default for hooks run from the plugin); nothing to change"),
            "{:?}",
            plan.report.skipped
        );
        assert!(plan.report.notes.is_empty(), "{:?}", plan.report.notes);
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
    let notes = plan.report.notes.join("\n");
    assert!(
        notes.contains("removed it rather than writing true there")
            && notes.contains("Undo: `instar-hooks config set actionClaim.enabled false --user`"),
        "{notes}"
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(report.errors.is_empty(), "{report:?}");
    assert!(
        report
            .upgraded
            .iter()
            .any(|l| l.ends_with("removed `actionClaim.enabled` (it was false)")),
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
    assert!(report.errors.is_empty(), "{report:?}");
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
    assert!(report.errors.is_empty(), "{report:?}");
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
    let notes = plan.report.notes.join("\n");
    assert!(notes.contains("already registered twice"), "{notes}");
    assert!(
        notes.contains("claude plugin disable instar-hooks@m --scope local"),
        "{notes}"
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
    assert!(plan.report.skipped.iter().all(|s| !s.contains("plugin")));
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
    let notes = plan.report.notes.join("\n");
    assert!(
        notes.contains("Stop action-claim-followthrough is registered in ")
            && notes.contains("which would run it twice"),
        "{notes}"
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
        plan.report
            .notes
            .iter()
            .any(|n| n.contains("runs `~/.local/bin/action-claim-followthrough`, not the copy in")),
        "{:?}",
        plan.report.notes
    );
}

#[test]
fn deploying_into_a_project_without_instar_says_it_becomes_an_agent_and_where_old_state_is() {
    let (_d, opts) = project("{}\n", Some(true));
    let notes = plan_of(&opts).report.notes.join("\n");
    assert!(notes.contains("makes it an instar agent"), "{notes}");
    assert!(
        !notes.contains("stay in"),
        "no state to leave behind: {notes}"
    );
    let old = StateDir::resolve(&opts.project, &opts.env).unwrap();
    old.ensure().unwrap();
    fs::write(old.commitments_file(), "{}").unwrap();
    let notes = plan_of(&opts).report.notes.join("\n");
    assert!(
        notes.contains(&format!(
            "the commitments recorded so far stay in {}",
            old.root().display()
        )) && notes.contains("`mv "),
        "{notes}"
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
    assert!(plan.report.errors.is_empty(), "{:?}", plan.report);
    let notes = plan.report.notes.join("\n");
    assert!(
        notes.contains(&format!(
            "Stop action-claim-followthrough is registered in {} (`/home/u/.local/bin/action-claim-followthrough`) and was in .claude/settings.json as well",
            local.display()
        )) && notes.contains("removed from .claude/settings.json, so it runs once"),
        "{notes}"
    );
    assert!(
        !files(&plan).contains(&".instar/hooks/instar/action-claim-followthrough".to_string()),
        "what runs it is the local registration: {:?}",
        files(&plan)
    );
    let report = apply(plan, crate::timestamp::Timestamp::now());
    assert!(report.errors.is_empty(), "{report:?}");
    assert!(
        report.upgraded.iter().any(|l| l
            == ".claude/settings.json: removed 1 action-claim-followthrough hook(s) from Stop: another settings file registers it for Stop already"),
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
