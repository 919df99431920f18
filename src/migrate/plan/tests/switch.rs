//! Where the plan writes the actionClaim.enabled switch: the per-user config for a project
//! without `.instar/`, the project's private config for an agent, nothing when it already holds,
//! and removing a per-user `false` that would win over the project.

use super::*;
use crate::migrate::apply;
use serde_json::Value;

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
