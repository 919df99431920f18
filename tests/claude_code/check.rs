//! What the tests read back: commitments (`commitments list --json`), Claude Code's
//! transcripts (the Stop hooks' summary, Bash calls and their results) and the hooks' log.

use crate::claude::SETTINGS_STOP_HOOK;
use crate::harness::Project;
use serde_json::Value;
use std::{
    fs,
    path::{Path, PathBuf},
};

/// Words that only appear in the hook's log when something went wrong.
const LOG_ERROR_WORDS: &[&str] = &[
    "panic",
    "error",
    "could not",
    "unreadable",
    "exceeded",
    "config ",
];

impl Project {
    /// The Stop hook ran in `session` without an error, by Claude Code's own account.
    pub(crate) fn assert_hook_ran(&self, session: &str) {
        assert_stop_hook_ran_cleanly(&read_jsonl(&self.transcript_of(session)));
    }

    pub(crate) fn assert_log_has_no_errors(&self) {
        self.assert_log_has_no_errors_but(&[]);
    }

    /// As [`Project::assert_log_has_no_errors`], allowing lines that contain one of
    /// `expected` (e.g. a failed send the test arranged).
    pub(crate) fn assert_log_has_no_errors_but(&self, expected: &[&str]) {
        let log = self.hook_log();
        let bad: Vec<&str> = log
            .lines()
            .filter(|l| !expected.iter().any(|e| l.contains(e)))
            .filter(|l| {
                // Lines the hooks mark as problems, and, belt and braces, any line whose
                // words say something went wrong.
                let lower = l.to_lowercase();
                instar_hooks::diag::is_problem(l)
                    || LOG_ERROR_WORDS.iter().any(|w| lower.contains(w))
            })
            .collect();
        assert!(bad.is_empty(), "the hook logged problems: {bad:#?}");
    }

    /// The transcript file of `session` under this project's HOME.
    pub(crate) fn transcript_of(&self, session: &str) -> PathBuf {
        let projects = self.root().join("home/.claude/projects");
        let file = format!("{session}.jsonl");
        fs::read_dir(&projects)
            .unwrap_or_else(|e| panic!("{}: {e}", projects.display()))
            .filter_map(|d| Some(d.ok()?.path().join(&file)))
            .find(|p| p.is_file())
            .unwrap_or_else(|| panic!("no {file} under {}", projects.display()))
    }
}

pub(crate) fn text<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {v:#}"))
}

pub(crate) fn only(mut commitments: Vec<Value>) -> Value {
    assert_eq!(commitments.len(), 1, "exactly one commitment");
    commitments.pop().unwrap()
}

/// Commitments, pretty-printed for an assertion message.
pub(crate) fn show(commitments: &[Value]) -> String {
    serde_json::to_string_pretty(commitments).unwrap()
}

/// Every field `commitments list --json` promises, present and non-empty.
pub(crate) fn assert_complete(c: &Value) {
    for key in [
        "id",
        "externalKey",
        "topic",
        "verb",
        "phrase",
        "status",
        "createdAt",
        "updatedAt",
        "expiresAt",
    ] {
        assert!(!text(c, key).is_empty(), "{key} is empty in {c:#}");
    }
}

pub(crate) fn read_jsonl(path: &Path) -> Vec<Value> {
    let body = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    body.lines()
        .enumerate()
        .map(|(n, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1))
        })
        .collect()
}

/// Once the Stop hooks have run, Claude Code appends a `system` line summing them up: our hook
/// (by its command as registered, unexpanded) ran, and no hook reported an error.
pub(crate) fn assert_stop_hook_ran_cleanly(lines: &[Value]) {
    assert_stop_hooks_ran_cleanly(lines, &[SETTINGS_STOP_HOOK]);
}

/// The words that open every reason the Stop hook gives when it continues a turn: on an
/// undone promise, and on a completion claim the turn's own run contradicts.
const CONTINUED: [&str; 2] = ["You ended your turn ", "You said "];

/// As [`assert_stop_hook_ran_cleanly`], for exactly these Stop hook commands (in any order).
///
/// A turn that ends on a promise it did not keep is continued once (same-turn follow-through,
/// on by default): Claude Code then writes two summaries, the first carrying our reason in
/// `hookErrors` (it files a block's reason there, with no failed index). So: one or two
/// summaries, the same hooks at each, no failure at any, and a reason only in the first of
/// two — never a second continuation. Returns the reason the turn was continued with, if any.
pub(crate) fn assert_stop_hooks_ran_cleanly(lines: &[Value], commands: &[&str]) -> Option<String> {
    let summaries: Vec<&Value> = lines
        .iter()
        .filter(|l| l["type"] == "system" && l["subtype"] == "stop_hook_summary")
        .collect();
    assert!(
        matches!(summaries.len(), 1 | 2),
        "one Stop, or two when the turn was continued once: {summaries:#?}"
    );
    let mut want = commands.to_vec();
    want.sort_unstable();
    for summary in &summaries {
        assert_eq!(summary["hookCount"], commands.len(), "{summary:#}");
        let mut ran: Vec<&str> = summary["hookInfos"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i["command"].as_str())
            .collect();
        ran.sort_unstable();
        assert_eq!(ran, want, "{summary:#}");
        assert_eq!(
            summary["failedHookErrorIndexes"],
            serde_json::json!([]),
            "{summary:#}"
        );
    }
    let last = summaries[summaries.len() - 1];
    assert_eq!(last["hookErrors"], serde_json::json!([]), "{last:#}");
    let [first, _] = summaries[..] else {
        return None;
    };
    let reasons: Vec<&str> = first["hookErrors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let [reason] = reasons[..] else {
        panic!("a second Stop follows exactly one continuation: {first:#}");
    };
    assert!(CONTINUED.iter().any(|c| reason.starts_with(c)), "{first:#}");
    Some(reason.to_string())
}

/// Each Bash command of a transcript, with whether its result was an error.
pub(crate) fn bash_calls(lines: &[Value]) -> Vec<(String, bool)> {
    let blocks: Vec<&Value> = lines
        .iter()
        .filter_map(|l| l["message"]["content"].as_array())
        .flatten()
        .collect();
    blocks
        .iter()
        .filter(|b| b["type"] == "tool_use" && b["name"] == "Bash")
        .map(|u| {
            let result = blocks
                .iter()
                .find(|b| b["type"] == "tool_result" && b["tool_use_id"] == u["id"])
                .unwrap_or_else(|| panic!("no tool_result for {u:#}"));
            (
                text(&u["input"], "command").to_string(),
                result["is_error"] == true,
            )
        })
        .collect()
}
