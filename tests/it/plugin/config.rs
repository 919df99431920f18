//! `instar-hooks config`: its help; set, get and unset in the user file of a plain project;
//! never making a project an instar agent; an instar agent's project file edited keeping
//! instar's keys; known keys checked and a broken file left alone; the plugin on by default.

use super::plain_project;
use crate::{harness::Project, snapshot_settings};
use serde_json::{Value, json};
use std::{fs, os::unix::fs::PermissionsExt};

#[test]
fn config_help() {
    let out = Project::new()
        .cli(&["config", "--help"])
        .run()
        .code(0)
        .stdout;
    snapshot_settings!().bind(|| insta::assert_snapshot!("config_help", out));
}

#[test]
fn config_set_get_unset_round_trip_in_the_user_file_of_a_plain_project() {
    let p = plain_project();
    let user = p.root().join("config/instar-hooks/config.json");
    p.cli(&["config", "get", "actionClaim.perTopicCap"])
        .run()
        .code(0)
        .stdout("actionClaim.perTopicCap = 5  (built-in default)\n");
    p.cli(&["config", "set", "actionClaim.perTopicCap", "3"])
        .run()
        .code(0)
        .stdout(&format!(
            "set actionClaim.perTopicCap = 3 in {}\n",
            user.display()
        ));
    assert_eq!(
        fs::metadata(&user).unwrap().permissions().mode() & 0o777,
        0o600
    );
    p.cli(&["config", "set", "actionClaim.perTopicCap", "3"])
        .run()
        .code(0)
        .stdout_contains("(unchanged)");
    p.cli(&["config", "get", "actionClaim.perTopicCap", "--json"])
        .run()
        .code(0)
        .stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({
                "key": "actionClaim.perTopicCap",
                "value": 3,
                "origin": {"kind": "file", "path": user, "key": "actionClaim.perTopicCap"}
            }))
            .unwrap()
        ));
    // Strings, and JSON values, as typed.
    p.cli(&["config", "set", "authToken", "tok-1"])
        .run()
        .code(0);
    p.cli(&["config", "set", "custom.list", "[1, 2]"])
        .run()
        .code(0);
    let doc: Value = serde_json::from_str(&fs::read_to_string(&user).unwrap()).unwrap();
    assert_eq!(
        doc,
        json!({"actionClaim": {"perTopicCap": 3}, "authToken": "tok-1", "custom": {"list": [1, 2]}})
    );
    p.cli(&["config", "unset", "actionClaim.perTopicCap"])
        .run()
        .code(0)
        .stdout(&format!(
            "removed actionClaim.perTopicCap from {}\n\
             the hooks now use actionClaim.perTopicCap = 5 (built-in default)\n",
            user.display()
        ));
    p.cli(&["config", "get", "actionClaim.perTopicCap", "--user"])
        .run()
        .code(1)
        .stdout(&format!(
            "actionClaim.perTopicCap is not set in {}\n",
            user.display()
        ));
    assert!(!p.path().join(".instar").exists());
}

#[test]
fn config_never_makes_a_project_an_instar_agent() {
    let p = plain_project();
    p.cli(&["config", "set", "actionClaim.enabled", "true", "--project"])
        .run()
        .code(2)
        .stderr_contains("--project needs ")
        .stderr_contains("use --user");
    assert!(!p.path().join(".instar").exists());
}

#[test]
fn config_edits_an_instar_agents_project_file_keeping_instars_keys() {
    let original = "{\n    \"port\": 4040,\n    \"messaging\": {\"actionClaim\": {\"enabled\": true, \"perTopicCap\": 2}},\n    \"agentName\": \"echo\"\n}\n";
    let p = Project::new().file(".instar/config.json", original);
    p.cli(&["config", "set", "actionClaim.enabled", "false"])
        .run()
        .code(0)
        .stdout_contains(".instar/config.json");
    let doc: Value = serde_json::from_str(&p.read(".instar/config.json")).unwrap();
    assert_eq!(
        doc,
        json!({"port": 4040, "messaging": {}, "agentName": "echo",
               "actionClaim": {"enabled": false, "perTopicCap": 2}}),
        "the legacy block moved up, as instar-migrate does; the rest kept"
    );
    assert!(p.read(".instar/config.json").starts_with("{\n    \"port\""));
    p.cli(&["config", "get", "actionClaim.enabled"])
        .run()
        .code(0)
        .stdout_contains("actionClaim.enabled = false  (")
        .stdout_contains(".instar/config.json)");
}

#[test]
fn config_checks_known_keys_and_leaves_a_broken_file_alone() {
    let p = Project::new().file(".instar/config.json", "{ \"port\": ");
    for (args, err) in [
        (
            vec!["set", "actionClaim.enabled", "yes"],
            "actionClaim.enabled must be true or false, not \"yes\"",
        ),
        (
            vec!["set", "actionClaim.perTopicCap", "0"],
            "must be an integer from 1 to 1000",
        ),
        (
            vec!["set", "port", "70000"],
            "must be an integer from 1 to 65535",
        ),
        (
            vec!["set", "monitoring.resumeQueue.dryRun", "false", "--user"],
            "is read from the project's .instar/config.json only",
        ),
        (vec!["set", "port", "4040"], "cannot parse"),
        (vec!["get", "a", "b"], "unexpected argument 'b'"),
        (
            vec!["get", "a", "--user", "--project"],
            "'--user' cannot be used with '--project'",
        ),
    ] {
        let mut full = vec!["config"];
        full.extend(args.iter());
        p.cli(&full).run().code(2).stderr_contains(err);
    }
    assert_eq!(p.read(".instar/config.json"), "{ \"port\": ");
}

#[test]
fn config_says_the_plugin_is_on_by_default() {
    let p = plain_project().file(
        ".claude/settings.json",
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#,
    );
    p.cli(&["config", "get", "actionClaim.enabled"])
        .run()
        .code(0)
        .stdout("actionClaim.enabled = true  (built-in default for hooks run from the plugin)\n");
    let list = p.cli(&["config", "list"]).run().code(0).stdout;
    snapshot_settings!().bind(|| insta::assert_snapshot!("config_list_plugin_table", list));
    // (A `set` that another file overrides is said so: see
    // `cli::config::config_set_writes_where_asked_and_says_what_would_take_effect`.)
}
