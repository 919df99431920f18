//! Hooks already registered elsewhere (the plugin, the user's settings, another path, the local
//! settings): what the plan registers and deploys, and which double registrations it points out
//! or removes.

use super::*;
use crate::migrate::{HookAt, apply};
use serde_json::Value;

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
