use super::*;
use crate::commitments::Status;
use serde_json::json;
use std::fs;

struct Project {
    dir: tempfile::TempDir,
    env: Env,
}

impl Project {
    fn instar(config: serde_json::Value) -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".instar")).unwrap();
        fs::write(dir.path().join(".instar/config.json"), config.to_string()).unwrap();
        let env = Env {
            project_dir: Some(dir.path().to_path_buf()),
            ..Env::default()
        };
        Project { dir, env }
    }

    fn enabled() -> Self {
        Project::instar(json!({"actionClaim": {"enabled": true}}))
    }

    fn stop(&self, message: &str) -> Outcome {
        let input = json!({
            "hook_event_name": "Stop",
            "session_id": "sess-1",
            "last_assistant_message": message,
        });
        on_stop(
            &RawInput::from_bytes(input.to_string().into_bytes()),
            &self.env,
            Timestamp::from_unix_ms(1_795_000_000_000),
        )
    }

    fn commitments(&self) -> Vec<crate::commitments::Commitment> {
        Store::new(
            self.dir
                .path()
                .join(".instar/instar-hooks/commitments.json"),
        )
        .list(Timestamp::from_unix_ms(1_795_000_000_000))
        .unwrap()
    }
}

#[test]
fn a_claim_is_recorded_once_per_restatement() {
    let p = Project::enabled();
    assert!(matches!(
        p.stop("Relaunching the server now."),
        Outcome::Recorded(Recorded::Created { .. })
    ));
    assert!(matches!(
        p.stop("I'll relaunch it."),
        Outcome::Recorded(Recorded::Restated { .. })
    ));
    let all = p.commitments();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].verb.as_str(), all[0].topic.as_str()),
        ("relaunch", "sess-1")
    );
    assert_eq!(all[0].status, Status::Open);
}

#[test]
fn non_claims_record_nothing_and_create_no_store() {
    let p = Project::enabled();
    assert_eq!(
        p.stop("Let me know if you want me to restart it."),
        Outcome::NoClaim
    );
    assert!(
        !p.dir
            .path()
            .join(".instar/instar-hooks/commitments.json")
            .exists()
    );
}

#[test]
fn the_feature_is_off_unless_enabled() {
    for config in [
        json!({}),
        json!({"actionClaim": {"enabled": false}}),
        json!({"messaging": []}),
    ] {
        let p = Project::instar(config);
        assert_eq!(p.stop("Relaunching now."), Outcome::Disabled);
        assert!(
            !p.dir.path().join(".instar/instar-hooks").exists(),
            "no state written when off"
        );
    }
}

#[test]
fn the_legacy_messaging_flag_enables() {
    let p = Project::instar(json!({"messaging": {"actionClaim": {"enabled": true}}}));
    assert!(matches!(p.stop("Pushing the fix."), Outcome::Recorded(_)));
}

#[test]
fn a_corrupt_config_is_off_and_logged() {
    let p = Project::enabled();
    fs::write(
        p.dir.path().join(".instar/config.json"),
        "{\"actionClaim\": ",
    )
    .unwrap();
    assert_eq!(p.stop("Relaunching now."), Outcome::Disabled);
    let log = fs::read_to_string(p.dir.path().join(".instar/instar-hooks/logs/hooks.log")).unwrap();
    assert!(
        log.contains("invalid JSON") && log.contains("feature off"),
        "{log}"
    );
}

#[test]
fn the_topic_prefers_instar_conversation_ids() {
    let mut env = Env::default();
    assert_eq!(topic(&env, Some("sess")), "sess");
    assert_eq!(topic(&env, None), "no-session");
    env.telegram_topic = Some("0042".into());
    assert_eq!(topic(&env, Some("sess")), "42");
    env.conversation_id = Some("-777".into());
    assert_eq!(topic(&env, Some("sess")), "-777");
    env.conversation_id = Some("slack-thread".into());
    assert_eq!(topic(&env, Some("sess")), "slack-thread");
}

#[test]
fn the_message_falls_back_to_the_transcript() {
    let p = Project::enabled();
    let t = p.dir.path().join("t.jsonl");
    fs::write(
        &t,
        format!(
            "{}\n",
            json!({"type": "assistant", "message": {"content": [{"type": "text", "text": "I'll rebase on main."}]}})
        ),
    )
    .unwrap();
    let input = json!({"session_id": "s", "transcript_path": t});
    let out = on_stop(
        &RawInput::from_bytes(input.to_string().into_bytes()),
        &p.env,
        Timestamp::from_unix_ms(1_795_000_000_000),
    );
    assert!(matches!(out, Outcome::Recorded(_)), "{out:?}");
    assert_eq!(p.commitments()[0].verb, "rebase");
}

#[test]
fn oversized_stdin_is_logged_not_classified() {
    let p = Project::enabled();
    let raw = RawInput {
        bytes: b"{\"last_assistant_message\": \"Relaunching".to_vec(),
        truncated: true,
    };
    assert_eq!(on_stop(&raw, &p.env, Timestamp::now()), Outcome::NoMessage);
    let log = fs::read_to_string(p.dir.path().join(".instar/instar-hooks/logs/hooks.log")).unwrap();
    assert!(log.contains("not classified"));
}

#[test]
fn a_read_only_state_directory_fails_quietly() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::enabled();
    let instar = p.dir.path().join(".instar");
    fs::set_permissions(&instar, fs::Permissions::from_mode(0o555)).unwrap();
    let out = p.stop("Relaunching now.");
    fs::set_permissions(&instar, fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores directory permissions; either way the hook must not panic.
    assert!(
        matches!(out, Outcome::Failed(_) | Outcome::Recorded(_)),
        "{out:?}"
    );
}
