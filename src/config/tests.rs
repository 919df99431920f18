use super::*;
use std::fs;

struct Fixture {
    _dir: tempfile::TempDir,
    project: PathBuf,
    env: Env,
}

fn fixture(project_json: Option<&str>, user_json: Option<&str>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    let config_dir = dir.path().join("xdg-config");
    fs::create_dir_all(project.join(".instar")).unwrap();
    if let Some(text) = project_json {
        fs::write(project.join(PROJECT_CONFIG), text).unwrap();
    }
    if let Some(text) = user_json {
        fs::create_dir_all(config_dir.join(USER_CONFIG_DIR)).unwrap();
        fs::write(
            config_dir.join(USER_CONFIG_DIR).join(USER_CONFIG_FILE),
            text,
        )
        .unwrap();
    }
    let env = Env {
        config_dir: Some(config_dir),
        ..Env::default()
    };
    Fixture {
        _dir: dir,
        project,
        env,
    }
}

fn load(project_json: Option<&str>, user_json: Option<&str>) -> Config {
    let f = fixture(project_json, user_json);
    Config::load(&f.project, &f.env)
}

#[test]
fn absent_config_means_off_with_defaults() {
    let c = load(None, None);
    assert!(!c.is_enabled());
    // The documented defaults (README, `instar-hooks config list`), written out: not
    // `Default`, which is built from the same table as the value under test.
    assert_eq!(
        c.action_claim,
        ActionClaimConfig {
            enabled: false,
            per_topic_cap: 5,
            expires_hours: 6.0,
            reminder_grace_minutes: 10.0,
            forward_backoff_seconds: 10.0,
            same_turn: true,
        }
    );
    assert!(c.problems.is_empty());
    assert_eq!(c.enabled_origin, Origin::Default);
}

#[test]
fn top_level_action_claim_enables() {
    let c = load(
        Some(r#"{"actionClaim": {"enabled": true, "perTopicCap": 2}}"#),
        None,
    );
    assert!(c.is_enabled());
    assert_eq!(c.action_claim.per_topic_cap, 2);
}

#[test]
fn legacy_messaging_object_is_honoured() {
    let c = load(
        Some(r#"{"messaging": {"actionClaim": {"enabled": true, "expiresHours": 2}}}"#),
        None,
    );
    assert!(c.is_enabled());
    assert_eq!(c.action_claim.expires_hours, 2.0);
}

#[test]
fn array_shaped_messaging_is_ignored_not_an_error() {
    let c = load(Some(r#"{"messaging": [{"type": "telegram"}]}"#), None);
    assert!(!c.is_enabled());
    assert!(c.problems.is_empty());
}

#[test]
fn top_level_wins_leaf_by_leaf_over_legacy() {
    // Upstream's hook resolves per object and its route per leaf; we resolve per leaf, so an
    // empty top-level block does not hide a legacy `enabled: true`.
    let c = load(
        Some(r#"{"actionClaim": {}, "messaging": {"actionClaim": {"enabled": true}}}"#),
        None,
    );
    assert!(c.is_enabled());
    let c = load(
        Some(
            r#"{"actionClaim": {"enabled": false}, "messaging": {"actionClaim": {"enabled": true}}}"#,
        ),
        None,
    );
    assert!(!c.is_enabled());
}

#[test]
fn an_explicit_false_in_any_file_wins() {
    let c = load(
        Some(r#"{"actionClaim": {"enabled": true}}"#),
        Some(r#"{"actionClaim": {"enabled": false}}"#),
    );
    assert!(!c.is_enabled());
    let c = load(None, Some(r#"{"actionClaim": {"enabled": true}}"#));
    assert!(c.is_enabled());
}

#[test]
fn project_values_take_precedence_over_user_values() {
    let c = load(
        Some(r#"{"actionClaim": {"perTopicCap": 3}}"#),
        Some(r#"{"actionClaim": {"enabled": true, "perTopicCap": 9, "expiresHours": 1}}"#),
    );
    assert!(c.is_enabled());
    assert_eq!(c.action_claim.per_topic_cap, 3);
    assert_eq!(c.action_claim.expires_hours, 1.0);
    assert!(
        matches!(&c.enabled_origin, Origin::File { path, .. } if path.ends_with("instar-hooks/config.json")),
        "{:?}",
        c.enabled_origin
    );
}

#[test]
fn corrupt_project_config_fails_closed_and_is_reported() {
    let c = load(
        Some(r#"{"actionClaim": {"enabled": true"#),
        Some(r#"{"actionClaim": {"enabled": true}}"#),
    );
    assert!(!c.is_enabled());
    assert_eq!(c.problems.len(), 1);
    assert!(
        c.problems[0].message.contains("invalid JSON at 1:"),
        "{:?}",
        c.problems
    );
}

#[test]
fn non_object_config_is_reported() {
    let c = load(Some("[1, 2]"), None);
    assert!(!c.is_enabled());
    assert!(c.problems[0].message.contains("an array"));
}

#[test]
fn wrong_types_fall_back_and_are_reported() {
    let c = load(
        Some(r#"{"actionClaim": {"enabled": "yes", "perTopicCap": 0, "expiresHours": -1}}"#),
        None,
    );
    assert!(!c.is_enabled());
    assert_eq!(c.action_claim.per_topic_cap, 5);
    assert_eq!(c.action_claim.expires_hours, 6.0);
    let messages: Vec<&str> = c.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            r#"actionClaim.enabled must be true or false, found "yes""#,
            "actionClaim.perTopicCap must be an integer from 1 to 1000, found 0",
            "actionClaim.expiresHours must be a number of hours above 0, at most 8760, found -1",
        ],
        "each message says what the key accepts, from the key table"
    );
    let c = load(
        Some(
            r#"{"messaging": {"actionClaim": {"perTopicCap": "3"}}, "port": 4040, "authToken": 7}"#,
        ),
        None,
    );
    let messages: Vec<&str> = c.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            r#"messaging.actionClaim.perTopicCap must be an integer from 1 to 1000, found "3""#,
            "authToken must be a string, found 7",
        ],
        "a wrong type is not called out of range; the spelling the file uses is named"
    );
}

#[test]
fn server_needs_a_valid_port_and_a_token() {
    let c = load(Some(r#"{"port": 4040, "authToken": "t0k"}"#), None);
    assert_eq!(
        c.server,
        Some(ServerConfig {
            port: 4040,
            auth_token: "t0k".into()
        })
    );
    assert_eq!(load(Some(r#"{"port": 4040}"#), None).server, None);
    let c = load(Some(r#"{"port": 4040, "authToken": ["tok-SECRET"]}"#), None);
    assert!(
        !c.problems[0].message.contains("tok-SECRET"),
        "{:?}",
        c.problems
    );
    for bad in [
        r#"{"port": 0, "authToken": "x"}"#,
        r#"{"port": 70000, "authToken": "x"}"#,
        r#"{"port": "4040", "authToken": "x"}"#,
    ] {
        let c = load(Some(bad), None);
        assert_eq!(c.server, None, "{bad}");
        assert!(c.problems[0].message.contains("port must be"), "{bad}");
    }
}

fn plugin(mut f: Fixture) -> Fixture {
    f.env.from_plugin = true;
    f
}

#[test]
fn a_hook_run_from_the_plugin_is_on_with_no_config_anywhere() {
    let f = plugin(fixture(None, None));
    let c = Config::load(&f.project, &f.env);
    assert!(c.is_enabled());
    assert_eq!(c.enabled_origin, Origin::PluginDefault);
    // The same project, the hook registered in settings instead: off.
    let f = fixture(None, None);
    let c = Config::load(&f.project, &f.env);
    assert!(!c.is_enabled());
    assert_eq!(c.enabled_origin, Origin::Default);
}

#[test]
fn an_explicit_false_anywhere_switches_the_plugin_off() {
    for (project, user) in [
        (Some(r#"{"actionClaim": {"enabled": false}}"#), None),
        (None, Some(r#"{"actionClaim": {"enabled": false}}"#)),
        (
            Some(r#"{"actionClaim": {"enabled": true}}"#),
            Some(r#"{"actionClaim": {"enabled": false}}"#),
        ),
        (
            Some(r#"{"messaging": {"actionClaim": {"enabled": false}}}"#),
            None,
        ),
    ] {
        let f = plugin(fixture(project, user));
        let c = Config::load(&f.project, &f.env);
        assert!(!c.is_enabled(), "{project:?} {user:?}");
        assert!(
            matches!(&c.enabled_origin, Origin::File { key, .. } if key.ends_with("actionClaim.enabled")),
            "{:?}",
            c.enabled_origin
        );
    }
}

#[test]
fn an_unreadable_config_switches_the_plugin_off_and_says_which_file() {
    let f = plugin(fixture(None, Some("{ nope")));
    let c = Config::load(&f.project, &f.env);
    assert!(!c.is_enabled());
    let user = user_config_path(&f.env).unwrap();
    assert_eq!(c.enabled_origin, Origin::Unreadable { path: user.clone() });
    assert!(c.enabled_origin.describe().contains("cannot be read"));
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].path, user);
}

#[test]
fn effective_values_say_where_they_come_from() {
    let f = fixture(
        Some(
            r#"{"actionClaim": {"perTopicCap": 3}, "messaging": {"actionClaim": {"enabled": true}}, "extra": {"x": 1}}"#,
        ),
        Some(
            r#"{"actionClaim": {"perTopicCap": 9, "expiresHours": 2}, "port": 4040, "monitoring": {"resumeQueue": {"dryRun": false}}}"#,
        ),
    );
    let project_file = f.project.join(PROJECT_CONFIG);
    let user_file = user_config_path(&f.env).unwrap();
    let get = |k: &str| effective(&f.project, &f.env, k);

    let e = get("actionClaim.enabled");
    assert_eq!(e.value, Some(Value::Bool(true)));
    assert_eq!(
        e.origin,
        Some(Origin::File {
            path: project_file.clone(),
            key: "messaging.actionClaim.enabled".into()
        })
    );
    assert!(e.origin.unwrap().describe().contains("legacy"));
    let e = get("actionClaim.perTopicCap");
    assert_eq!(
        (e.value, e.origin),
        (
            Some(serde_json::json!(3)),
            Some(Origin::File {
                path: project_file,
                key: "actionClaim.perTopicCap".into()
            })
        )
    );
    let e = get("actionClaim.expiresHours");
    assert_eq!(e.value, Some(serde_json::json!(2)));
    assert!(matches!(e.origin, Some(Origin::File { path, .. }) if path == user_file));
    let e = get("actionClaim.reminderGraceMinutes");
    assert_eq!(
        (e.value, e.origin),
        (Some(serde_json::json!(10)), Some(Origin::Default))
    );
    assert_eq!(get("port").value, Some(serde_json::json!(4040)));
    assert_eq!(get("extra.x").value, Some(serde_json::json!(1)));
    let e = get("authToken");
    assert_eq!((e.value, e.origin), (None, None));
    // Read from the project file only: the user file's value does not count.
    assert_eq!(get("monitoring.resumeQueue.dryRun").value, None);
}

#[test]
fn port_and_token_are_shown_as_the_hooks_use_them_from_one_file() {
    // The project names a port without a token: the hooks do not forward, and the user's
    // token (or port) is not used either.
    let f = fixture(
        Some(r#"{"port": 4040}"#),
        Some(r#"{"port": 5050, "authToken": "user-token"}"#),
    );
    assert_eq!(Config::load(&f.project, &f.env).server, None);
    let get = |k: &str| effective(&f.project, &f.env, k);
    assert_eq!(get("port").value, Some(serde_json::json!(4040)));
    assert_eq!(
        get("authToken"),
        Effective {
            key: "authToken".into(),
            value: None,
            origin: None
        }
    );
    // A token alone in the project file does not pair with the user's port.
    let f = fixture(
        Some(r#"{"authToken": "project-token"}"#),
        Some(r#"{"port": 5050, "authToken": "user-token"}"#),
    );
    let server = Config::load(&f.project, &f.env).server.unwrap();
    let user_file = user_config_path(&f.env).unwrap();
    for (k, v) in [
        ("port", serde_json::json!(5050)),
        ("authToken", serde_json::json!("user-token")),
    ] {
        let e = effective(&f.project, &f.env, k);
        assert_eq!(e.value, Some(v), "{k}");
        assert!(
            matches!(e.origin, Some(Origin::File { ref path, .. }) if *path == user_file),
            "{k}"
        );
    }
    assert_eq!(
        (server.port, server.auth_token.as_str()),
        (5050, "user-token")
    );
    // An invalid port is not used, so it is not shown as the port.
    let f = fixture(Some(r#"{"port": "4040", "authToken": "t"}"#), None);
    assert_eq!(effective(&f.project, &f.env, "port").value, None);
    assert_eq!(Config::load(&f.project, &f.env).server, None);
}

#[test]
fn every_known_key_checks_its_values() {
    use serde_json::json;
    let ok = |k: &str, v: Value| key(k).unwrap().accepts(&v);
    assert!(ok("actionClaim.enabled", json!(false)));
    assert!(!ok("actionClaim.enabled", json!("false")));
    assert!(ok("actionClaim.perTopicCap", json!(1)) && ok("actionClaim.perTopicCap", json!(1000)));
    assert!(!ok("actionClaim.perTopicCap", json!(0)) && !ok("actionClaim.perTopicCap", json!(2.5)));
    assert!(
        !ok("actionClaim.expiresHours", json!(0)) && ok("actionClaim.expiresHours", json!(0.5))
    );
    assert!(ok("actionClaim.reminderGraceMinutes", json!(0)));
    assert!(!ok("actionClaim.forwardBackoffSeconds", json!(3601)));
    assert!(ok("port", json!(4040)) && !ok("port", json!(0)) && !ok("port", json!("4040")));
    assert!(ok("authToken", json!("t")) && !ok("authToken", json!(1)));
    assert!(key("monitoring.resumeQueue.enabled").unwrap().project_only);
    assert!(key("nope").is_none());
    // The table's defaults are the documented numbers.
    let default = |k: &str| key(k).unwrap().default_value().unwrap().as_f64().unwrap();
    assert_eq!(default("actionClaim.perTopicCap"), 5.0);
    assert_eq!(default("actionClaim.expiresHours"), 6.0);
    assert_eq!(default("actionClaim.reminderGraceMinutes"), 10.0);
    assert_eq!(default("actionClaim.forwardBackoffSeconds"), 10.0);
    assert_eq!(
        key("actionClaim.sameTurn").unwrap().default_value(),
        Some(json!(true))
    );
}

#[test]
fn enabled_frameworks_falls_back_to_claude_code_as_instars_migrator_does() {
    use serde_json::json;
    let enabled = |doc: serde_json::Value| claude_code_enabled(doc.get("enabledFrameworks"));
    assert!(claude_code_enabled(None));
    assert!(enabled(json!({})));
    assert!(enabled(json!({"enabledFrameworks": []})));
    assert!(
        enabled(json!({"enabledFrameworks": "codex-cli"})),
        "not an array"
    );
    assert!(
        enabled(json!({"enabledFrameworks": ["pi-cli"]})),
        "unrecognised only"
    );
    assert!(enabled(json!({"enabledFrameworks": [7, null]})));
    assert!(enabled(
        json!({"enabledFrameworks": ["codex-cli", "claude-code"]})
    ));
    assert!(!enabled(json!({"enabledFrameworks": ["codex-cli"]})));
    assert!(!enabled(
        json!({"enabledFrameworks": ["pi-cli", "gemini-cli"]})
    ));
    assert!(!enabled(json!({"enabledFrameworks": ["grok-build"]})));
}
