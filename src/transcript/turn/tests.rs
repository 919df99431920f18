use super::*;
use serde_json::{Value, json};
use std::fs;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/e2e/fixtures")
        .join(name)
}

fn line(v: Value) -> String {
    format!("{v}\n")
}

fn prompt(text: &str, id: &str) -> String {
    line(json!({"type": "user", "promptId": id, "message": {"role": "user", "content": text}}))
}

fn text(t: &str) -> String {
    line(json!({"type": "assistant", "message": {"content": [{"type": "text", "text": t}]}}))
}

fn bash(id: &str, command: &str) -> String {
    line(
        json!({"type": "assistant", "timestamp": "2026-12-01T10:00:00.000Z",
        "message": {"content": [{"type": "tool_use", "id": id, "name": "Bash", "input": {"command": command}}]}}),
    )
}

fn result(id: &str, is_error: bool, content: &str) -> String {
    line(json!({"type": "user", "promptId": "p2",
        "message": {"content": [{"type": "tool_result", "tool_use_id": id, "is_error": is_error, "content": content}]}}))
}

fn write(lines: &[String]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.jsonl");
    fs::write(&p, lines.concat()).unwrap();
    (dir, p)
}

fn commands(turn: &Turn) -> Vec<(String, Outcome)> {
    turn.calls()
        .map(|c| {
            (
                c.command.clone().unwrap_or_default(),
                c.result().map(|r| r.outcome).unwrap_or(Outcome::NoResult),
            )
        })
        .collect()
}

/// A transcript written by Claude Code 2.1.331: a promise, a `git push` that failed, a report.
#[test]
fn a_real_turn_reads_as_texts_and_calls_with_their_outcomes() {
    let turn = read(&fixture("transcript-bash-failure.jsonl")).unwrap();
    assert!(turn.complete);
    assert_eq!(turn.entries.len(), 3, "{turn:#?}");
    assert_eq!(
        turn.entries[0],
        Entry::Text("I'll push the fix now.".into())
    );
    let Entry::Call(call) = &turn.entries[1] else {
        panic!("{turn:#?}")
    };
    assert_eq!(call.name, "Bash");
    assert!(call.command.as_deref().unwrap().starts_with("git push"));
    let result = call.result().unwrap();
    assert_eq!(result.outcome, Outcome::Failed { exit_code: Some(1) });
    assert!(
        result
            .output
            .contains("src refspec main does not match any")
    );
    assert_eq!(turn.after_text("The push failed."), Some(&[][..]));
    assert_eq!(
        turn.after_text("  I'll push the fix now.\n")
            .map(<[_]>::len),
        Some(2)
    );
    assert_eq!(turn.after_text("Something else."), None);

    let turn = read(&fixture("transcript-bash-tool-use.jsonl")).unwrap();
    let outcomes: Vec<Outcome> = commands(&turn).into_iter().map(|(_, o)| o).collect();
    assert_eq!(outcomes, [Outcome::Succeeded]);
}

#[test]
fn only_the_last_turn_is_read_and_meta_lines_do_not_end_it() {
    let (_d, p) = write(&[
        prompt("first", "p1"),
        bash("a", "npm test"),
        result("a", true, "Exit code 1\n2 failing"),
        text("Two tests fail."),
        prompt("fix them", "p2"),
        line(
            json!({"type": "user", "isMeta": true, "message": {"content": "<system-reminder>x</system-reminder>"}}),
        ),
        bash("b", "npm test"),
        result("b", false, "14 passing"),
        line(json!({"type": "attachment", "attachment": {"type": "hook"}})),
        text("All tests pass."),
    ]);
    let turn = read(&p).unwrap();
    assert!(turn.complete);
    assert_eq!(
        commands(&turn),
        [("npm test".to_string(), Outcome::Succeeded)]
    );
    assert_eq!(turn.after_text("All tests pass."), Some(&[][..]));
    assert_eq!(
        turn.after_text("Two tests fail."),
        None,
        "an earlier turn's text"
    );
}

#[test]
fn runs_that_did_not_finish_are_told_apart_from_failures() {
    let interrupted = line(
        json!({"type": "user", "toolUseResult": {"interrupted": true},
        "message": {"content": [{"type": "tool_result", "tool_use_id": "c", "is_error": false, "content": "partial"}]}}),
    );
    let background = line(json!({"type": "assistant",
        "message": {"content": [{"type": "tool_use", "id": "e", "name": "Bash",
            "input": {"command": "cargo test", "run_in_background": true}}]}}));
    let (_d, p) = write(&[
        prompt("go", "p"),
        bash("a", "cargo test"),
        result(
            "a",
            true,
            "Exit code 101\ntest result: FAILED. 3 passed; 1 failed",
        ),
        bash("b", "cargo test"),
        result("b", true, "Exit code 143\nCommand timed out after 2m 0s"),
        bash("c", "cargo test"),
        interrupted,
        bash("d", "cargo test"),
        result(
            "d",
            true,
            "The user doesn't want to proceed with this tool use.",
        ),
        background,
        result("e", false, "Command running in background with ID: abc"),
        bash("f", "cargo test"),
    ]);
    let turn = read(&p).unwrap();
    let calls: Vec<&Call> = turn.calls().collect();
    let outcome = |i: usize| calls[i].result().map(|r| r.outcome);
    assert_eq!(
        outcome(0),
        Some(Outcome::Failed {
            exit_code: Some(101)
        })
    );
    assert_eq!(outcome(1), Some(Outcome::NoResult), "timed out");
    assert_eq!(outcome(2), Some(Outcome::NoResult), "interrupted");
    assert_eq!(outcome(3), Some(Outcome::NoResult), "refused");
    assert!(calls[4].background);
    assert_eq!(outcome(5), None, "no result yet");
}

#[test]
fn long_outputs_keep_their_head_and_tail_and_the_cap_bounds_the_read() {
    let output = format!("HEAD{}TAIL: 2 failed", "x".repeat(200_000));
    let (_d, p) = write(&[
        prompt("go", "p"),
        bash("a", "pytest"),
        result("a", true, &format!("Exit code 1\n{output}")),
        text("Done."),
    ]);
    let turn = read(&p).unwrap();
    let out = turn.calls().next().unwrap().result().unwrap().output;
    assert!(out.len() < 20_000, "{}", out.len());
    assert!(out.starts_with("Exit code 1\nHEAD") && out.ends_with("TAIL: 2 failed"));
    // A cap smaller than the turn: the newest lines only, and not complete.
    let turn = read_capped(&p, 1000).unwrap();
    assert!(!turn.complete);
    assert_eq!(turn.after_text("Done."), Some(&[][..]));
    assert_eq!(turn.calls().count(), 0);
}

#[test]
fn garbage_and_unknown_shapes_are_skipped() {
    let (_d, p) = write(&[
        prompt("go", "p"),
        "not json at all \"assistant\"\n".into(),
        line(json!({"type": "assistant", "message": {"content": 7}})),
        line(json!({"type": "assistant", "message": "str"})),
        line(json!({"type": "user", "message": {"content": [{"type": "tool_result"}]}})),
        text("Fine."),
    ]);
    let turn = read(&p).unwrap();
    assert_eq!(turn.entries, [Entry::Text("Fine.".into())]);
}

#[test]
fn outcomes_read_from_a_tool_result() {
    assert_eq!(outcome_of(false, false, "ok"), Outcome::Succeeded);
    assert_eq!(
        outcome_of(true, false, "Exit code 101\ntest result: FAILED"),
        Outcome::Failed {
            exit_code: Some(101)
        }
    );
    // toolUseResult spells it after "Error: ".
    assert_eq!(
        outcome_of(true, false, "Error: Exit code 2\n"),
        Outcome::Failed { exit_code: Some(2) }
    );
    // Not run, not finished, or timed out: nothing to conclude.
    for (is_error, interrupted, content) in [
        (
            true,
            false,
            "<tool_use_error>Sibling tool call errored</tool_use_error>",
        ),
        (
            true,
            false,
            "The user doesn't want to proceed with this tool use.",
        ),
        (true, true, "Exit code 130"),
        (false, true, ""),
        (true, false, "Exit code 143\nCommand timed out after 2m 0s"),
    ] {
        assert_eq!(
            outcome_of(is_error, interrupted, content),
            Outcome::NoResult,
            "{content:?}"
        );
    }
}
