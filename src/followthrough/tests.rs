use super::*;
use crate::commitments::{Delivery, Status};
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
        .outcome
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
    )
    .outcome;
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
    assert_eq!(
        on_stop(&raw, &p.env, Timestamp::now()).outcome,
        Outcome::NoMessage
    );
    let log = fs::read_to_string(p.dir.path().join(".instar/instar-hooks/logs/hooks.log")).unwrap();
    assert!(
        log.contains("stdin exceeded") && log.contains("not read"),
        "{log}"
    );
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

mod steps_7_and_8 {
    use super::*;
    use crate::forward::{Sent, Transport};
    use std::cell::RefCell;

    fn t(s: u64) -> Timestamp {
        Timestamp::from_unix_ms(1_795_000_000_000 + s * 1000)
    }

    /// A fake instar server: answers from a script, counts requests.
    struct Server {
        answers: RefCell<Vec<Result<(u16, String), String>>>,
        bodies: RefCell<Vec<String>>,
    }

    impl Server {
        fn new(answers: Vec<Result<(u16, String), String>>) -> Self {
            Server {
                answers: RefCell::new(answers),
                bodies: RefCell::new(Vec::new()),
            }
        }
    }

    impl Transport for Server {
        fn post(&self, _: &str, _: &[(&str, String)], body: &str) -> Result<(u16, String), String> {
            self.bodies.borrow_mut().push(body.to_string());
            self.answers.borrow_mut().remove(0)
        }
    }

    fn stop(
        p: &Project,
        message: &str,
        transcript: Option<&std::path::Path>,
        when: Timestamp,
        server: &Server,
    ) -> StopRun {
        let input = json!({
            "session_id": "sess-1",
            "last_assistant_message": message,
            "transcript_path": transcript,
        });
        on_stop_with(
            &RawInput::from_bytes(input.to_string().into_bytes()),
            &p.env,
            when,
            server,
        )
    }

    fn tool_call(id: &str, command: &str, when: Timestamp) -> String {
        format!(
            "{}\n{}\n",
            json!({"type": "assistant", "timestamp": when.to_string(), "message": {"content": [
                {"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}]}}),
            json!({"type": "user", "message": {"content": [
                {"type": "tool_result", "tool_use_id": id, "is_error": false}]}})
        )
    }

    #[test]
    fn a_later_turn_that_runs_the_command_fulfils_the_promise() {
        let p = Project::enabled();
        let transcript = p.dir.path().join("t.jsonl");
        fs::write(&transcript, "").unwrap();
        let none = Server::new(vec![]);
        let r = stop(&p, "I'll push the fix now.", Some(&transcript), t(0), &none);
        assert!(matches!(r.outcome, Outcome::Recorded(_)));
        fs::write(&transcript, tool_call("a", "git push origin main", t(5))).unwrap();
        let r = stop(&p, "Pushed.", Some(&transcript), t(10), &none);
        assert_eq!(r.fulfilled, ["AC-001"]);
        let c = &p.commitments()[0];
        assert_eq!(c.status, Status::Fulfilled);
        assert_eq!(c.evidence.as_ref().unwrap().detail, "git push origin main");
    }

    fn forwarding_project() -> Project {
        let mut p = Project::instar(
            json!({"actionClaim": {"enabled": true}, "port": 4040, "authToken": "tok"}),
        );
        p.env.conversation_id = Some("42".into());
        p
    }

    #[test]
    fn a_claim_is_written_first_then_forwarded() {
        let p = forwarding_project();
        let server = Server::new(vec![Ok((
            200,
            r#"{"observed":true,"registered":true}"#.into(),
        ))]);
        let r = stop(&p, "Relaunching now.", None, t(0), &server);
        assert_eq!(r.forwarded.len(), 1);
        assert!(matches!(r.forwarded[0].1, Sent::Delivered(_)));
        assert_eq!(
            server.bodies.borrow()[0],
            r#"{"message":"Relaunching now.","topicId":42}"#
        );
        let f = p.commitments()[0].forward.clone().unwrap();
        assert_eq!(
            (f.state.as_str(), f.attempts, f.body),
            ("delivered", 1, None)
        );
    }

    #[test]
    fn a_claim_made_while_the_server_is_down_is_delivered_by_a_later_turn() {
        let p = forwarding_project();
        let down = Server::new(vec![Err("Connection refused".into())]);
        stop(&p, "Relaunching now.", None, t(0), &down);
        let f = p.commitments()[0].forward.clone().unwrap();
        assert_eq!((f.state.as_str(), f.attempts), ("pending", 1));
        // Within the backoff, a non-claim turn does not retry, nor take the store's lock to
        // find that out: with the lock held elsewhere it still finishes at once.
        let lock = p
            .dir
            .path()
            .join(".instar/instar-hooks/commitments.json.lock");
        let held = crate::fsutil::lock_exclusive(&lock, std::time::Duration::ZERO).unwrap();
        let idle = Server::new(vec![]);
        let r = stop(&p, "Here is the summary.", None, t(5), &idle);
        // Waiting on the held lock would end in `Failed` after the lock wait.
        assert_eq!((r.outcome, r.forwarded), (Outcome::NoClaim, vec![]));
        drop(held);
        // After it, the next turn delivers — once.
        let up = Server::new(vec![Ok((200, "{}".into()))]);
        let r = stop(&p, "Here is the summary.", None, t(11), &up);
        assert_eq!(r.forwarded.len(), 1);
        assert_eq!(up.bodies.borrow().len(), 1);
        let again = Server::new(vec![]);
        assert!(
            stop(&p, "Anything else?", None, t(60), &again)
                .forwarded
                .is_empty()
        );
        assert_eq!(
            p.commitments()[0].forward.clone().unwrap().state,
            Delivery::Delivered
        );
    }

    #[test]
    fn a_rejected_claim_is_not_retried_and_a_session_topic_is_not_forwarded() {
        let p = forwarding_project();
        let bad = Server::new(vec![Ok((
            400,
            r#"{"error":"message (string) and topicId (number) are required"}"#.into(),
        ))]);
        stop(&p, "Pushing the fix.", None, t(0), &bad);
        let f = p.commitments()[0].forward.clone().unwrap();
        assert_eq!(f.state, Delivery::Rejected);
        assert!(f.last_error.unwrap().starts_with("HTTP 400"));
        let idle = Server::new(vec![]);
        assert!(stop(&p, "ok", None, t(3600), &idle).forwarded.is_empty());

        let mut q = forwarding_project();
        q.env.conversation_id = None; // the topic is the session id: instar cannot take it
        stop(&q, "Pushing the fix.", None, t(0), &idle);
        assert_eq!(q.commitments()[0].forward, None);
    }
}
