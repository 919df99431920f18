//! Same-turn follow-through through the built Stop hook: the exact reply Claude Code reads
//! when a turn is continued (snapshots), that a second Stop of the same turn ends it, and what
//! `instar-hooks claims` shows a person afterwards (snapshots of the table and the JSON).

use crate::harness::Project;
use crate::snapshot_settings;
use serde_json::{Value, json};
use std::fs;

fn line(v: Value) -> String {
    format!("{v}\n")
}

/// A user prompt line of turn `id` (shared with the hooks tests).
pub(crate) fn prompt(id: &str) -> String {
    line(json!({"type": "user", "promptId": id, "message": {"role": "user", "content": "go"}}))
}

/// An assistant text line.
pub(crate) fn say(text: &str) -> String {
    line(json!({"type": "assistant", "message": {"content": [{"type": "text", "text": text}]}}))
}

fn bash(id: &str, command: &str, is_error: bool, output: &str) -> String {
    line(
        json!({"type": "assistant", "timestamp": "2026-12-01T10:00:00.000Z",
        "message": {"content": [{"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}]}}),
    ) + &line(json!({"type": "user",
        "message": {"content": [{"type": "tool_result", "tool_use_id": id, "is_error": is_error, "content": output}]}}))
}

/// The Stop hook at the end of turn `prompt_id`, whose transcript holds `lines`.
fn stop(p: &Project, prompt_id: &str, lines: &[String], message: &str, active: bool) -> String {
    let transcript = p.path().join("session.jsonl");
    fs::write(&transcript, lines.concat()).unwrap();
    p.run(crate::harness::STOP_HOOK)
        .stdin_json(json!({
            "hook_event_name": "Stop",
            "session_id": "11111111-2222-3333-4444-555555555555",
            "prompt_id": prompt_id,
            "permission_mode": "default",
            "stop_hook_active": active,
            "background_tasks": [],
            "transcript_path": transcript,
            "cwd": p.path(),
            "last_assistant_message": message,
        }))
        .run()
        .code(0)
        .stdout
}

const PROMISE: &str = "Found it: the worker caches its config. Restarting the worker now.";
const GREEN: &str = "Fixed the parser. All tests pass now.";

#[test]
fn an_undone_promise_continues_the_turn_once_with_this_reply() {
    let p = Project::enabled();
    let turn = [prompt("p1"), say(PROMISE)];
    let reply = stop(&p, "p1", &turn, PROMISE, false);
    let parsed: Value = serde_json::from_str(&reply).expect("one JSON object");
    assert_eq!(parsed["decision"], "block");
    snapshot_settings!().bind(|| insta::assert_snapshot!("same_turn_promise_reply", reply));
    // The continuation's own Stop, even without Claude Code's flag: the turn ends.
    assert_eq!(stop(&p, "p1", &turn, PROMISE, false), "");
    let c = &p.commitments()[0];
    assert_eq!(
        (c["status"].as_str(), c["nudgedAt"].is_string()),
        (Some("open"), true)
    );
    // A person sees it too: in the list and in the commitment's details.
    p.cli(&["commitments", "list"])
        .run()
        .code(0)
        .stdout_contains("AC-001  open (continued)  restart");
    p.cli(&["commitments", "show", "AC-001"])
        .run()
        .code(0)
        .stdout_contains("continued:  ");
}

#[test]
fn a_green_claim_after_a_failing_run_continues_the_turn_with_this_reply_and_claims_shows_it() {
    let p = Project::enabled();
    let failing = bash(
        "t1",
        "npm test",
        true,
        "Exit code 1\n# tests 14\n# pass 12\n# fail 2",
    );
    let reply = stop(&p, "p1", &[prompt("p1"), failing, say(GREEN)], GREEN, false);
    snapshot_settings!().bind(|| insta::assert_snapshot!("same_turn_refuted_reply", reply));

    // A later turn's claim that its own run supports, and one nothing in its turn decides.
    let passing = bash(
        "t2",
        "cargo test",
        false,
        "test result: ok. 12 passed; 0 failed",
    );
    let green = "All tests pass.";
    assert_eq!(
        stop(&p, "p2", &[prompt("p2"), passing, say(green)], green, false),
        ""
    );
    let unrun = "The build is green.";
    assert_eq!(
        stop(&p, "p3", &[prompt("p3"), say(unrun)], unrun, false),
        ""
    );

    let table = p.cli(&["claims", "--all"]).run().code(0).stdout;
    let json = p.cli(&["claims", "--all", "--json"]).run().code(0).stdout;
    let mut settings = snapshot_settings!();
    settings.add_filter(r"\d+ s ago", "[AGE]");
    settings.bind(|| {
        insta::assert_snapshot!("claims_table", table);
        insta::assert_snapshot!("claims_json", json);
    });
    // By default only what needs a look: the refuted and the unverified claims.
    let default: Vec<Value> = p.cli(&["claims", "--json"]).run().code(0).json();
    let verdicts: Vec<&str> = default
        .iter()
        .filter_map(|c| c["verdict"].as_str())
        .collect();
    assert_eq!(verdicts, ["unverified", "refuted", "unverified"]);
}
