use super::*;
use crate::{
    commitments::{NewClaim, Policy},
    state::StateDir,
};
use std::fs;

fn at(min: u64) -> Timestamp {
    Timestamp::from_unix_ms(1_795_000_000_000 + min * 60_000)
}

struct P {
    dir: tempfile::TempDir,
    env: Env,
}

fn project() -> P {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".instar")).unwrap();
    fs::write(
        dir.path().join(".instar/config.json"),
        r#"{"actionClaim": {"enabled": true}}"#,
    )
    .unwrap();
    let env = Env {
        project_dir: Some(dir.path().to_path_buf()),
        conversation_id: Some("7".into()),
        ..Env::default()
    };
    P { dir, env }
}

impl P {
    fn store(&self) -> Store {
        Store::at(&StateDir::resolve(self.dir.path(), &self.env).unwrap())
    }

    fn claim(&self, verb: &str, topic: &str, when: Timestamp) {
        StateDir::resolve(self.dir.path(), &self.env)
            .unwrap()
            .ensure()
            .unwrap();
        let c = NewClaim {
            phrase: format!("I'll {verb} the server"),
            ..NewClaim::example(topic, verb)
        };
        self.store().record(&c, Policy::default(), when).unwrap();
    }

    fn prompt(&self, when: Timestamp) -> Reply {
        let raw = RawInput::from_bytes(
            br#"{"hook_event_name": "UserPromptSubmit", "prompt": "next"}"#.to_vec(),
        );
        prompt_hook(&raw, &self.env, when)
    }
}

#[test]
fn nothing_is_said_inside_the_grace_period() {
    let p = project();
    p.claim("restart", "7", at(0));
    assert_eq!(p.prompt(at(9)), Reply::Silent);
}

#[test]
fn an_old_open_promise_is_handed_back_once_per_grace_period() {
    let p = project();
    p.claim("restart", "7", at(0));
    let Reply::Json(line) = p.prompt(at(14)) else {
        panic!("expected a reminder")
    };
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["hookSpecificOutput"]["hookEventName"], "UserPromptSubmit");
    let text = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("14 min ago you said \"I'll restart the server\" (AC-001)"),
        "{text}"
    );
    assert!(text.contains("No command that does it has been seen since"));
    // Not again within the grace period; again after it.
    assert_eq!(p.prompt(at(20)), Reply::Silent);
    assert!(matches!(p.prompt(at(24)), Reply::Json(_)));
    let c = &p.store().list(at(24)).unwrap()[0];
    assert_eq!((c.reminders, c.reminded_at), (2, Some(at(24))));
}

#[test]
fn other_topics_fulfilled_and_expired_promises_are_not_mentioned() {
    let p = project();
    p.claim("push", "8", at(0));
    p.claim("deploy", "7", at(0));
    p.store().resolve("AC-002", None, at(1)).unwrap();
    assert_eq!(p.prompt(at(30)), Reply::Silent);
    p.claim("merge", "7", at(0));
    assert_eq!(p.prompt(at(7 * 60)), Reply::Silent, "expired after 6 h");
}

#[test]
fn the_feature_off_means_no_reminder_and_no_reads() {
    let p = project();
    p.claim("restart", "7", at(0));
    fs::write(
        p.dir.path().join(".instar/config.json"),
        r#"{"actionClaim": {"enabled": false}}"#,
    )
    .unwrap();
    assert_eq!(p.prompt(at(60)), Reply::Silent);
}

#[test]
fn the_text_stays_bounded() {
    let many: Vec<Commitment> = (0..30)
        .map(|i| {
            let mut doc = StoreDoc::default();
            let claim = NewClaim {
                phrase: "x".repeat(1000),
                ..NewClaim::example("7", "push")
            };
            crate::commitments::record_in(&mut doc, &claim, Policy::default(), at(i));
            doc.commitments.remove(0)
        })
        .collect();
    let t = text(&many, at(100));
    assert!(t.len() < 4000, "{}", t.len());
    assert!(t.contains("and 22 more"));
}

/// The one output Claude Code reads from this hook: exactly one JSON object of this shape.
#[test]
fn the_reply_is_the_json_claude_code_turns_into_context() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ReplyShape {
        #[serde(rename = "hookSpecificOutput")]
        output: Output,
    }
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Output {
        hook_event_name: String,
        additional_context: String,
    }
    let p = project();
    p.claim("restart", "7", at(0));
    p.claim("push", "7", at(2));
    let Reply::Json(line) = p.prompt(at(75)) else {
        panic!("expected a reminder")
    };
    assert!(!line.contains('\n'), "one line: {line}");
    let reply: ReplyShape = serde_json::from_str(&line).unwrap();
    assert_eq!(reply.output.hook_event_name, "UserPromptSubmit");
    assert!(
        reply.output.additional_context.len() < 10_000,
        "arrives whole"
    );
    crate::test_support::snapshot_settings()
        .bind(|| insta::assert_snapshot!("reminder_reply", line));
}

#[test]
fn a_config_problem_is_logged_and_the_run_recorded_by_the_reminder_too() {
    let p = project();
    fs::write(p.dir.path().join(".instar/config.json"), "{ not json").unwrap();
    assert_eq!(p.prompt(at(60)), Reply::Silent);
    let state = StateDir::resolve(p.dir.path(), &p.env).unwrap();
    let log = fs::read_to_string(state.root().join("logs/hooks.log")).unwrap();
    assert!(
        log.contains("action-claim-reminder") && log.contains("invalid JSON"),
        "{log}"
    );
    // A config problem switches the feature off: the run is not recorded as one that ran.
    assert!(!state.root().join("status").exists());
    // An enabled run is recorded, for the guard posture.
    let p = project();
    assert_eq!(p.prompt(at(60)), Reply::Silent);
    let state = StateDir::resolve(p.dir.path(), &p.env).unwrap();
    assert!(
        state
            .root()
            .join("status/action-claim-reminder.last-run")
            .exists()
    );
}
