//! The Stop hook's same-turn step, end to end inside the library: the reply Claude Code reads,
//! the records it leaves, and every reason not to continue a turn.

use super::*;
use crate::commitments::Status;
use serde_json::{Value, json};
use std::fs;

struct Turn {
    dir: tempfile::TempDir,
    env: Env,
    transcript: std::path::PathBuf,
}

fn line(v: Value) -> String {
    format!("{v}\n")
}

fn prompt() -> String {
    line(json!({"type": "user", "promptId": "p1", "message": {"role": "user", "content": "go"}}))
}

fn say(text: &str) -> String {
    line(json!({"type": "assistant", "message": {"content": [{"type": "text", "text": text}]}}))
}

fn bash(id: &str, command: &str, is_error: bool, output: &str) -> String {
    let call = line(
        json!({"type": "assistant", "timestamp": "2026-12-01T10:00:00.000Z",
        "message": {"content": [{"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}]}}),
    );
    let result = line(json!({"type": "user", "promptId": "p1",
        "message": {"content": [{"type": "tool_result", "tool_use_id": id, "is_error": is_error, "content": output}]}}));
    call + &result
}

impl Turn {
    /// An instar agent with the feature on (and `extra` config), and a transcript of this
    /// turn's `lines`.
    fn new(extra: Value, lines: &[String]) -> Turn {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".instar")).unwrap();
        let mut config = json!({"actionClaim": {"enabled": true}});
        if let (Some(c), Some(e)) = (config["actionClaim"].as_object_mut(), extra.as_object()) {
            c.extend(e.clone());
        }
        fs::write(dir.path().join(".instar/config.json"), config.to_string()).unwrap();
        let transcript = dir.path().join("t.jsonl");
        fs::write(&transcript, lines.concat()).unwrap();
        let env = Env {
            project_dir: Some(dir.path().to_path_buf()),
            ..Env::default()
        };
        Turn {
            dir,
            env,
            transcript,
        }
    }

    fn stop_with(&self, message: &str, input: Value) -> Reply {
        let mut stdin = json!({
            "hook_event_name": "Stop",
            "session_id": "s1",
            "prompt_id": "p1",
            "permission_mode": "default",
            "stop_hook_active": false,
            "background_tasks": [],
            "transcript_path": self.transcript,
            "last_assistant_message": message,
        });
        stdin
            .as_object_mut()
            .unwrap()
            .extend(input.as_object().unwrap().clone());
        stop_hook(
            &RawInput::from_bytes(stdin.to_string().into_bytes()),
            &self.env,
            Timestamp::now(),
        )
    }

    fn stop(&self, message: &str) -> Reply {
        self.stop_with(message, json!({}))
    }

    fn state(&self) -> std::path::PathBuf {
        self.dir.path().join(".instar/instar-hooks")
    }

    fn commitments(&self) -> Vec<crate::commitments::Commitment> {
        Store::new(self.state().join("commitments.json"))
            .list(Timestamp::now())
            .unwrap_or_default()
    }

    /// The recorded verdicts on claims about tests.
    fn claims(&self) -> Vec<Value> {
        fs::read_to_string(self.state().join("claims.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|c| c["kind"] == "tests")
            .collect()
    }

    fn log(&self) -> String {
        fs::read_to_string(self.state().join("logs/hooks.log")).unwrap_or_default()
    }
}

/// The reason of a block reply; panics on anything else.
fn reason(reply: Reply) -> String {
    let Reply::Json(line) = reply else {
        panic!("expected a block, got {reply:?}")
    };
    let v: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    assert_eq!(v["decision"], "block");
    v["reason"].as_str().unwrap().to_string()
}

const PROMISE: &str = "Found it: the worker caches the config. Let me restart the worker now.";

#[test]
fn a_turn_ending_on_an_undone_promise_continues_once_and_marks_its_commitment() {
    let t = Turn::new(json!({}), &[prompt(), say(PROMISE)]);
    let why = reason(t.stop(PROMISE));
    assert!(
        why.contains("\"Let me restart the worker now\"") && why.contains("Do it now"),
        "{why}"
    );
    let c = &t.commitments()[0];
    assert_eq!(
        (c.verb.as_str(), c.status.clone()),
        ("restart", Status::Open)
    );
    assert!(c.nudged_at.is_some());
    assert!(t.log().contains("continued the turn"), "{}", t.log());
    // The same turn's next Stop (Claude Code says stop_hook_active, or not: #54360) is not
    // continued again.
    assert_eq!(t.stop(PROMISE), Reply::Silent);
    assert_eq!(
        t.stop_with(PROMISE, json!({"stop_hook_active": true})),
        Reply::Silent
    );
}

#[test]
fn a_session_is_continued_at_most_three_times() {
    let t = Turn::new(json!({}), &[prompt(), say(PROMISE)]);
    for prompt in ["p1", "p2", "p3"] {
        reason(t.stop_with(PROMISE, json!({"prompt_id": prompt})));
    }
    assert_eq!(
        t.stop_with(PROMISE, json!({"prompt_id": "p4"})),
        Reply::Silent
    );
    assert!(t.log().contains("3 times"), "{}", t.log());
}

#[test]
fn a_promise_acted_on_or_not_in_the_transcript_is_not_continued() {
    // A tool call after the words: the model went on working.
    let acted = Turn::new(
        json!({}),
        &[
            prompt(),
            say(PROMISE),
            bash("a", "systemctl restart worker", false, ""),
        ],
    );
    assert_eq!(acted.stop(PROMISE), Reply::Silent);
    // The transcript does not hold the words (it lags, or is another session's).
    let lagging = Turn::new(json!({}), &[prompt(), say("Looking into it.")]);
    assert_eq!(lagging.stop(PROMISE), Reply::Silent);
    // Still recorded, as a promise always is.
    assert_eq!(lagging.commitments().len(), 1);
}

#[test]
fn nothing_is_continued_off_in_plan_mode_without_an_identity_or_with_background_work() {
    let off = Turn::new(json!({"sameTurn": false}), &[prompt(), say(PROMISE)]);
    assert_eq!(off.stop(PROMISE), Reply::Silent);
    assert_eq!(off.commitments().len(), 1, "recorded as before");
    let t = Turn::new(json!({}), &[prompt(), say(PROMISE)]);
    for input in [
        json!({"permission_mode": "plan"}),
        json!({"prompt_id": null}),
        json!({"session_id": ""}),
        json!({"background_tasks": [{"id": "b1", "status": "running"}]}),
    ] {
        assert_eq!(
            t.stop_with(PROMISE, input.clone()),
            Reply::Silent,
            "{input}"
        );
    }
}

#[test]
fn promises_for_later_offers_and_reports_are_never_continued() {
    for message in [
        "I'll restart the worker tomorrow morning, after the freeze.",
        "Once the image finishes uploading I'll redeploy.",
        "Want me to restart the worker?",
        "I restarted the worker and the queue drained.",
    ] {
        let t = Turn::new(json!({}), &[prompt(), say(message)]);
        assert_eq!(t.stop(message), Reply::Silent, "{message}");
    }
}

const GREEN: &str = "The pager's off-by-one is gone. All tests pass.";

#[test]
fn a_green_claim_after_a_failing_run_continues_once_with_the_evidence_and_is_recorded() {
    let t = Turn::new(
        json!({}),
        &[
            prompt(),
            bash(
                "a",
                "npm test",
                true,
                "Exit code 1\n# tests 14\n# pass 12\n# fail 2",
            ),
            say(GREEN),
        ],
    );
    let why = reason(t.stop(GREEN));
    assert!(
        why.contains("All tests pass") && why.contains("`npm test`") && why.contains("exited 1"),
        "{why}"
    );
    let claims = t.claims();
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0]["verdict"], "refuted");
    assert_eq!(claims[0]["command"], "npm test");
    assert_eq!(claims[0]["exitCode"], 1);
    assert_eq!(claims[0]["continued"], true);
    assert!(t.commitments().is_empty(), "no promise: no commitment");
}

#[test]
fn true_claims_honest_reports_and_unverifiable_claims_are_recorded_not_continued() {
    let passing = Turn::new(
        json!({}),
        &[
            prompt(),
            bash("a", "npm test", false, "# tests 14\n# pass 14\n# fail 0"),
            say(GREEN),
        ],
    );
    assert_eq!(passing.stop(GREEN), Reply::Silent);
    assert_eq!(passing.claims()[0]["verdict"], "supported");

    let fixed = Turn::new(
        json!({}),
        &[
            prompt(),
            bash("a", "npm test", true, "Exit code 1\n# fail 2"),
            bash("b", "npm test", false, "# tests 14\n# pass 14\n# fail 0"),
            say(GREEN),
        ],
    );
    assert_eq!(fixed.stop(GREEN), Reply::Silent, "the last run decides");

    let none = Turn::new(json!({}), &[prompt(), say(GREEN)]);
    assert_eq!(none.stop(GREEN), Reply::Silent);
    assert_eq!(none.claims()[0]["verdict"], "unverified");

    let honest = "12 of 14 tests pass; 2 still fail in the pager.";
    let failing = Turn::new(
        json!({}),
        &[
            prompt(),
            bash("a", "npm test", true, "Exit code 1\n# fail 2"),
            say(honest),
        ],
    );
    assert_eq!(failing.stop(honest), Reply::Silent);
    assert!(
        failing.claims().is_empty(),
        "an honest report is not a claim"
    );
}

#[test]
fn with_same_turn_off_a_refuted_claim_is_recorded_and_the_turn_ends() {
    let t = Turn::new(
        json!({"sameTurn": false}),
        &[
            prompt(),
            bash("a", "npm test", true, "Exit code 1\n# fail 2"),
            say(GREEN),
        ],
    );
    assert_eq!(t.stop(GREEN), Reply::Silent);
    let claims = t.claims();
    assert_eq!(claims[0]["verdict"], "refuted");
    assert_eq!(claims[0]["continued"], false);
}

#[test]
fn a_hostile_transcript_never_continues_a_turn() {
    let dir = tempfile::tempdir().unwrap();
    for content in [
        b"\xff\xfe garbage \x00\n".repeat(10_000),
        b"{\"type\": \"assistant\"".repeat(100_000),
        Vec::new(),
    ] {
        let t = Turn::new(json!({}), &[]);
        fs::write(&t.transcript, &content).unwrap();
        assert_eq!(t.stop(PROMISE), Reply::Silent);
        assert_eq!(t.stop(GREEN), Reply::Silent);
    }
    // A directory where the transcript should be, and a missing one.
    let t = Turn::new(json!({}), &[]);
    let missing = dir.path().join("missing.jsonl");
    for path in [dir.path().to_path_buf(), missing] {
        let input = json!({"transcript_path": path});
        assert_eq!(t.stop_with(PROMISE, input.clone()), Reply::Silent);
        assert_eq!(t.stop_with(GREEN, input), Reply::Silent);
    }
}
