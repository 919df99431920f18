//! Claude Code's transcripts: the shape of a Bash tool call (the promise, the tool_use, its
//! result, the final text) that the evidence reader relies on, live and in the captured
//! fixtures; and the settings the tests install are the README's.

use crate::check::{assert_stop_hook_ran_cleanly, read_jsonl, text};
use crate::claude::{Reply, SETTINGS, SETTINGS_STOP_HOOK, fixture, needs_claude, runs_anywhere};
use crate::harness::Project;
use libtest_mimic::Trial;
use serde_json::Value;
use std::{fs, path::Path};

pub(crate) fn trials() -> Vec<Trial> {
    let mut trials = runs_anywhere![
        the_settings_the_tests_install_are_the_readmes_by_hand_registration,
        the_captured_transcript_fixtures_have_the_live_shape,
    ];
    trials.extend(needs_claude![
        a_real_bash_tool_call_leaves_tool_use_and_tool_result_in_the_transcript,
        a_real_failed_bash_command_leaves_an_error_tool_result_in_the_transcript,
    ]);
    trials
}

fn the_settings_the_tests_install_are_the_readmes_by_hand_registration() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let by_hand = &readme[readme.find("### By hand").expect("a By hand section")..];
    let block = by_hand
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a JSON block in the By hand section");
    let readme_json: Value = serde_json::from_str(block).unwrap();
    let settings: Value = serde_json::from_str(SETTINGS).unwrap();
    assert_eq!(settings, readme_json);
    assert_eq!(
        settings["hooks"]["Stop"][0]["hooks"][0]["command"],
        SETTINGS_STOP_HOOK
    );
}

/// What a Bash tool call looks like in a Claude Code 2.1.331 transcript (`-p` mode), the shape
/// the fixtures document: the promise, the tool_use, its result, the final text.
fn assert_bash_transcript_shape(lines: &[Value], command: &str, failed: bool, final_text: &str) {
    let content = |l: &Value| {
        l["message"]["content"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let of_type = |t: &str| -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| lines[i]["type"] == t)
            .collect()
    };
    // Each content block of an assistant message is an `assistant` line of its own.
    let uses: Vec<usize> = of_type("assistant")
        .into_iter()
        .filter(|&i| {
            content(&lines[i])
                .iter()
                .any(|b| b["type"] == "tool_use" && b["name"] == "Bash")
        })
        .collect();
    assert_eq!(uses.len(), 1, "one assistant line with a Bash tool_use");
    let use_line = &lines[uses[0]];
    let blocks = content(use_line);
    assert_eq!(blocks.len(), 1, "the tool_use is alone on its line");
    let tool_use = &blocks[0];
    assert_eq!(tool_use["input"]["command"], command);
    let id = text(tool_use, "id");

    // The result is a `user` line with a tool_result block and a top-level toolUseResult.
    let results: Vec<usize> = of_type("user")
        .into_iter()
        .filter(|&i| {
            content(&lines[i])
                .iter()
                .any(|b| b["type"] == "tool_result")
        })
        .collect();
    assert_eq!(results.len(), 1, "one user line with a tool_result");
    let result_line = &lines[results[0]];
    assert!(results[0] > uses[0], "the result follows the tool_use");
    let result = &content(result_line)[0];
    assert_eq!(result["type"], "tool_result");
    assert_eq!(result["tool_use_id"], id);
    assert_eq!(result["is_error"], failed);
    assert_eq!(
        result_line["sourceToolAssistantUUID"], use_line["uuid"],
        "the result points back at the tool_use line"
    );
    let output = text(result, "content");
    let tur = &result_line["toolUseResult"];
    if failed {
        // A failed command: the block's content starts "Exit code N", and toolUseResult is a
        // plain string, "Error: " + that content.
        assert!(output.starts_with("Exit code 1\n"), "{output:?}");
        assert_eq!(tur.as_str(), Some(format!("Error: {output}").as_str()));
    } else {
        // A successful command: content is the output; toolUseResult an object.
        assert!(tur.is_object(), "toolUseResult {tur:#}");
        assert_eq!(text(tur, "stdout"), output);
        assert_eq!(tur["interrupted"], false);
        assert!(tur.get("stderr").is_some_and(Value::is_string));
    }

    // The text said before the call is its own assistant line, just before the tool_use, and
    // the final text comes after the result.
    let texts: Vec<(usize, String)> = of_type("assistant")
        .into_iter()
        .flat_map(|i| {
            content(&lines[i])
                .into_iter()
                .filter(|b| b["type"] == "text")
                .map(move |b| (i, b["text"].as_str().unwrap_or_default().to_string()))
        })
        .collect();
    assert!(
        texts
            .iter()
            .any(|(i, t)| *i < uses[0] && t == "I'll push the fix now."),
        "the promise before the call: {texts:?}"
    );
    assert_eq!(
        texts.last().map(|(i, t)| (*i > results[0], t.as_str())),
        Some((true, final_text)),
        "the final text after the result"
    );
    assert_stop_hook_ran_cleanly(lines);
}

/// One real turn whose fake model calls Bash, then ends with `final_text`.
fn bash_turn(replies: &str, command: &str, failed: bool, final_text: &str) {
    let p = Project::by_hand();
    // In -p mode nothing can answer a permission prompt; allowing the tool is what makes it
    // run (--dangerously-skip-permissions is refused when running as root).
    let turn = p.turn(
        Reply::Replies(&fixture(replies)),
        &[],
        &["--allowedTools", "Bash"],
    );
    assert_eq!(turn.result()["result"], final_text);
    let transcript = p.transcript_of(&turn.session_id());
    assert_bash_transcript_shape(&read_jsonl(&transcript), command, failed, final_text);
    p.assert_log_has_no_errors();
}

fn a_real_bash_tool_call_leaves_tool_use_and_tool_result_in_the_transcript() {
    bash_turn(
        "replies-bash-tool-use.jsonl",
        "git --version",
        false,
        "Pushed the fix.",
    );
}

fn a_real_failed_bash_command_leaves_an_error_tool_result_in_the_transcript() {
    // claude-turn git-initialises the fresh project: there is no `main` to push, exit 1.
    bash_turn(
        "replies-bash-failure.jsonl",
        "git push nowhere-remote main",
        true,
        "The push failed.",
    );
}

fn the_captured_transcript_fixtures_have_the_live_shape() {
    let cases = [
        (
            "transcript-bash-tool-use.jsonl",
            "git --version",
            false,
            "Pushed the fix.",
        ),
        (
            "transcript-bash-failure.jsonl",
            "git push nowhere-remote main",
            true,
            "The push failed.",
        ),
    ];
    for (file, command, failed, final_text) in cases {
        let lines = read_jsonl(&fixture(file));
        assert_bash_transcript_shape(&lines, command, failed, final_text);
        // Sanitised: no temp path survives, only the placeholders.
        let body = fs::read_to_string(fixture(file)).unwrap();
        assert!(
            body.contains("/PROJECT") && body.contains("/HOME"),
            "{file}"
        );
        let tmp = std::env::temp_dir();
        for leak in [
            "/tmp/",
            &*tmp.to_string_lossy(),
            "instar-e2e",
            "claude-turn.",
        ] {
            assert!(!body.contains(leak), "{file} still contains {leak}");
        }
    }
}
