//! Same-turn follow-through through the real Claude Code CLI, counted in the requests Claude
//! Code sends the fake API: a turn that ends on a promise it did not keep, or on a completion
//! claim that the turn's own last run contradicts, is continued exactly once — the next
//! request carries the hook's reason as "Stop hook feedback" — and every other turn ends
//! where the model ended it.
//!
//! The commands run for real through the Bash tool: `make` (a rebuild), `npm test` on a
//! package whose test passes or fails as the test says, and `git push` to a remote that
//! exists or not.

use crate::check::{only, read_jsonl, text};
use crate::claude::{Reply, Turn, needs_claude};
use crate::harness::Project;
use libtest_mimic::Trial;
use serde_json::{Value, json};
use std::fs;

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        an_undone_promise_is_continued_once_and_the_action_done_in_it_ends_the_turn,
        a_model_that_promises_again_in_the_continuation_is_not_continued_twice,
        questions_reports_promises_for_tomorrow_and_same_turn_off_end_the_turn,
        a_green_claim_after_a_failing_npm_test_is_continued_once_with_the_evidence,
        a_pushed_claim_after_a_failed_git_push_is_continued_once,
        honest_reports_claims_without_a_run_and_a_pass_after_a_failure_end_the_turn,
        with_same_turn_off_a_refuted_claim_ends_the_turn_and_its_verdict_is_recorded,
    ]
}

/// The feedback marker Claude Code puts before a Stop hook's reason (measured with 2.1.331).
const FEEDBACK: &str = "Stop hook feedback";

impl Turn {
    /// The main requests (the conversation, not side requests) Claude Code sent in this turn.
    fn main_requests(&self) -> Vec<Value> {
        read_jsonl(&self.api_log)
            .into_iter()
            .filter(|r| r["kind"] == "main")
            .collect()
    }

    /// The text of the last user message of each main request.
    fn last_user_texts(&self) -> Vec<String> {
        self.main_requests()
            .iter()
            .map(|r| {
                let messages = r["body"]["messages"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let last = messages
                    .iter()
                    .rev()
                    .find(|m| m["role"] == "user")
                    .cloned()
                    .unwrap_or_default();
                match &last["content"] {
                    Value::String(s) => s.clone(),
                    Value::Array(blocks) => blocks
                        .iter()
                        .filter_map(|b| b["text"].as_str().or(b["content"].as_str()))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    _ => String::new(),
                }
            })
            .collect()
    }

    /// The requests that carried a Stop hook's feedback, and the feedback.
    fn continuations(&self) -> Vec<String> {
        self.last_user_texts()
            .into_iter()
            .filter(|t| t.contains(FEEDBACK))
            .collect()
    }
}

/// A replies file: one model reply per line (see fake_anthropic.py).
fn replies(p: &Project, name: &str, lines: &[Value]) -> std::path::PathBuf {
    let path = p.root().join(format!("{name}.jsonl"));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(&path, text).unwrap();
    path
}

fn say(text: &str) -> Value {
    json!(text)
}

fn bash(command: &str) -> Value {
    json!({"content": [{"type": "tool_use", "name": "Bash", "input": {"command": command}}],
           "stop_reason": "tool_use"})
}

const BASH: [&str; 2] = ["--allowedTools", "Bash"];

impl Project {
    /// A project set up by hand with a Makefile whose `make` prints "built": a rebuild.
    fn with_makefile() -> Project {
        let p = Project::by_hand();
        fs::write(p.path().join("Makefile"), "all:\n\t@echo built\n").unwrap();
        p
    }

    /// A project set up by hand with an npm package whose `npm test` passes, or fails the
    /// way a test runner does (its own summary and a non-zero exit).
    fn with_npm_test(&self, passing: bool) {
        fs::write(
            self.path().join("package.json"),
            r#"{"name": "demo", "version": "1.0.0", "scripts": {"test": "node test.js"}}"#,
        )
        .unwrap();
        let body = match passing {
            true => "console.log('# tests 14\\n# pass 14\\n# fail 0');\n",
            false => "console.log('# tests 14\\n# pass 12\\n# fail 2');\nprocess.exit(1);\n",
        };
        fs::write(self.path().join("test.js"), body).unwrap();
    }

    /// The completion-claim verdicts recorded in this project (`instar-hooks claims --all --json`).
    fn claims(&self) -> Vec<Value> {
        let out = self
            .cli(&["claims", "--all", "--json"])
            .run()
            .code(0)
            .stdout;
        serde_json::from_str(&out).unwrap()
    }

    /// Switches `actionClaim.sameTurn` off in the project's config.
    fn same_turn_off(&self) {
        let path = self.path().join(".instar/config.json");
        let mut config: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        config["actionClaim"]["sameTurn"] = json!(false);
        fs::write(&path, config.to_string()).unwrap();
    }
}

fn an_undone_promise_is_continued_once_and_the_action_done_in_it_ends_the_turn() {
    let p = Project::with_makefile();
    let script = replies(
        &p,
        "rebuild",
        &[
            say("Let me rebuild the site now."),
            bash("make"),
            say("Rebuilt the site."),
        ],
    );
    let turn = p.turn(Reply::Replies(&script), &[], &BASH);
    assert_eq!(turn.result()["result"], "Rebuilt the site.");
    // The promise, the continuation with the feedback, the call's result: three requests.
    assert_eq!(turn.main_requests().len(), 3);
    let fed = turn.continuations();
    assert_eq!(fed.len(), 1, "{fed:#?}");
    assert!(
        fed[0].contains("\"Let me rebuild the site now\"") && fed[0].contains("Do it now"),
        "{}",
        fed[0]
    );
    // The promise was recorded, nudged in its turn, and fulfilled by the make it led to.
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "rebuild");
    assert!(c["nudgedAt"].is_string(), "{c:#}");
    assert_eq!(text(&c, "status"), "fulfilled", "{c:#}");
    assert_eq!(c["evidence"]["detail"], "make");
    assert!(
        p.hook_log().contains("continued the turn"),
        "{}",
        p.hook_log()
    );
    p.assert_log_has_no_errors();
}

fn a_model_that_promises_again_in_the_continuation_is_not_continued_twice() {
    let p = Project::with_makefile();
    let script = replies(
        &p,
        "again",
        &[
            say("Let me rebuild the site now."),
            say("Rebuilding the site now."),
        ],
    );
    let turn = p.turn(Reply::Replies(&script), &[], &[]);
    assert_eq!(turn.result()["result"], "Rebuilding the site now.");
    assert_eq!(turn.main_requests().len(), 2);
    assert_eq!(turn.continuations().len(), 1);
    let c = only(p.commitments());
    assert_eq!(text(&c, "status"), "open");
    p.assert_log_has_no_errors();
}

fn questions_reports_promises_for_tomorrow_and_same_turn_off_end_the_turn() {
    let p = Project::with_makefile();
    for reply in [
        "Should I rebuild the site now?",
        "I rebuilt the site and the pages look right.",
        "I'll rebuild the site tomorrow morning, after the content freeze.",
    ] {
        let turn = p.turn(Reply::Text(reply), &[], &[]);
        assert_eq!(turn.main_requests().len(), 1, "{reply}");
        assert!(turn.continuations().is_empty(), "{reply}");
    }
    // The promise for tomorrow is still recorded.
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "rebuild");
    assert!(c.get("nudgedAt").is_none(), "{c:#}");

    let off = Project::with_makefile();
    off.same_turn_off();
    let turn = off.turn(Reply::Text("Let me rebuild the site now."), &[], &[]);
    assert_eq!(turn.main_requests().len(), 1);
    assert_eq!(text(&only(off.commitments()), "verb"), "rebuild");
    p.assert_log_has_no_errors();
    off.assert_log_has_no_errors();
}

fn a_green_claim_after_a_failing_npm_test_is_continued_once_with_the_evidence() {
    let p = Project::by_hand();
    p.with_npm_test(false);
    let script = replies(
        &p,
        "green",
        &[
            bash("npm test"),
            say("All tests pass."),
            say("Correction: 2 of the 14 tests fail; I have not fixed them yet."),
        ],
    );
    let turn = p.turn(Reply::Replies(&script), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 3);
    let fed = turn.continuations();
    assert_eq!(fed.len(), 1, "{fed:#?}");
    assert!(
        fed[0].contains("All tests pass")
            && fed[0].contains("npm test")
            && fed[0].contains("exited 1"),
        "{}",
        fed[0]
    );
    let claims = p.claims();
    let refuted = claims
        .iter()
        .find(|c| c["verdict"] == "refuted")
        .unwrap_or_else(|| panic!("{claims:#?}"));
    assert_eq!(refuted["command"], "npm test");
    assert_eq!(refuted["exitCode"], 1);
    assert_eq!(refuted["continued"], true);
    p.assert_log_has_no_errors();
}

fn a_pushed_claim_after_a_failed_git_push_is_continued_once() {
    let p = Project::by_hand();
    p.git(&p.path(), &["init", "-q"]);
    fs::write(p.path().join("fix.txt"), "the fix\n").unwrap();
    p.git(&p.path(), &["add", "fix.txt"]);
    p.git(&p.path(), &["commit", "-q", "-m", "the fix"]);
    let script = replies(
        &p,
        "push",
        &[
            bash("git push origin HEAD:main"),
            say("Pushed the fix to main."),
            say("The push failed: there is no remote named origin here."),
        ],
    );
    let turn = p.turn(Reply::Replies(&script), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 3);
    let fed = turn.continuations();
    assert_eq!(fed.len(), 1, "{fed:#?}");
    assert!(
        fed[0].contains("Pushed the fix") && fed[0].contains("git push"),
        "{}",
        fed[0]
    );
    p.assert_log_has_no_errors();
}

fn honest_reports_claims_without_a_run_and_a_pass_after_a_failure_end_the_turn() {
    let passing = Project::by_hand();
    passing.with_npm_test(true);
    let green = replies(
        &passing,
        "green",
        &[bash("npm test"), say("All 14 tests pass.")],
    );
    let turn = passing.turn(Reply::Replies(&green), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 2, "a true claim");
    assert!(turn.continuations().is_empty());
    assert_eq!(passing.claims()[0]["verdict"], "supported");

    let failing = Project::by_hand();
    failing.with_npm_test(false);
    let honest = replies(
        &failing,
        "honest",
        &[
            bash("npm test"),
            say("12 of 14 tests pass; 2 still fail in the parser."),
        ],
    );
    let turn = failing.turn(Reply::Replies(&honest), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 2, "an honest report");
    assert!(turn.continuations().is_empty());

    let turn = failing.turn(Reply::Text("All tests pass."), &[], &[]);
    assert_eq!(
        turn.main_requests().len(),
        1,
        "no run in this turn: unverified"
    );
    assert!(turn.continuations().is_empty());

    let fixed = Project::by_hand();
    fixed.with_npm_test(false);
    let script = replies(
        &fixed,
        "fixed",
        &[
            bash("npm test"),
            bash("node -e \"require('fs').writeFileSync('test.js', 'console.log(1)')\""),
            bash("npm test"),
            say("All tests pass now."),
        ],
    );
    let turn = fixed.turn(Reply::Replies(&script), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 4, "the last run passed");
    assert!(turn.continuations().is_empty());
    for p in [passing, failing, fixed] {
        p.assert_log_has_no_errors();
    }
}

fn with_same_turn_off_a_refuted_claim_ends_the_turn_and_its_verdict_is_recorded() {
    let p = Project::by_hand();
    p.same_turn_off();
    p.with_npm_test(false);
    let script = replies(&p, "green", &[bash("npm test"), say("All tests pass.")]);
    let turn = p.turn(Reply::Replies(&script), &[], &BASH);
    assert_eq!(turn.main_requests().len(), 2);
    assert!(turn.continuations().is_empty());
    let claims = p.claims();
    assert_eq!(claims.len(), 1, "{claims:#?}");
    assert_eq!(claims[0]["verdict"], "refuted");
    assert_eq!(claims[0]["continued"], false);
    p.assert_log_has_no_errors();
}
