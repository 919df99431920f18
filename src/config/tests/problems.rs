//! Config that cannot be used: corrupt JSON and non-object files fail closed, wrong types fall
//! back to the defaults, and a server needs a valid port and a token; each is reported.

use super::*;

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
