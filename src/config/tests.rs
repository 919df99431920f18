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
    assert_eq!(c.action_claim, ActionClaimConfig::default());
    assert!(c.problems.is_empty() && c.sources.is_empty());
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
    assert_eq!(c.sources.len(), 2);
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
    assert_eq!(c.problems.len(), 3, "{:?}", c.problems);
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
