//! Which setting wins: the defaults, the top-level block over the legacy `messaging` one (leaf
//! by leaf), an explicit false in any file, and the project file over the user's.

use super::*;

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
