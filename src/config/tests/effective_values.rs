//! `effective`: each key's value as the hooks use it and where it comes from, including the
//! port and token taken together from one file.

use super::*;

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
