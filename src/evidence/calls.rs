//! The tool calls in a stretch of Claude Code's transcript that ran and succeeded.
//!
//! Each `tool_use` block sits on its own `assistant` line; its result is a `tool_result`
//! block on a later `user` line (`is_error` true when it failed; `toolUseResult` is an
//! object on success and a plain string on failure, with `interrupted` set when the user
//! stopped it). Only lines that mention a tool are parsed, so a transcript full of long
//! text costs a substring search, not a JSON parse per line.

use serde_json::Value;
use std::{collections::HashMap, path::Path};

use crate::{bytes::contains, timestamp::Timestamp, transcript};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ToolCall {
    pub name: String,
    /// `input.command` of a Bash call.
    pub command: Option<String>,
    /// `input.file_path` (or `notebook_path`) of an edit.
    pub file: Option<String>,
    pub at: Option<Timestamp>,
}

/// What one read produced.
#[derive(Debug, Default)]
pub(super) struct Window {
    /// Successful calls, in the order they were made.
    pub calls: Vec<ToolCall>,
    /// Where the next read should start: after the last complete line, or at a call whose
    /// result has not been written yet.
    pub resume_at: u64,
    /// Bytes jumped over because there was more new text than one read may take.
    pub skipped: u64,
}

/// Reads `path` from byte `from` (a line start from an earlier read; `None` for "the last
/// `tail` bytes") and returns the successful calls in it, reading at most `cap` bytes.
pub(super) fn read(path: &Path, from: Option<u64>, tail: u64, cap: u64) -> std::io::Result<Window> {
    let chunk = transcript::read_from(path, from, tail, cap)?;
    let mut window = parse(&chunk.bytes, chunk.start);
    window.skipped = chunk.skipped;
    Ok(window)
}

/// Parses complete lines of `bytes`, which start at file offset `base`.
fn parse(bytes: &[u8], base: u64) -> Window {
    struct Pending {
        call: ToolCall,
        line_start: u64,
        order: usize,
    }
    let mut pending: HashMap<String, Pending> = HashMap::new();
    let mut done: Vec<(usize, ToolCall)> = Vec::new();
    let mut pos = 0;
    let mut order = 0;
    while let Some(nl) = bytes[pos..].iter().position(|&b| b == b'\n') {
        let line = &bytes[pos..pos + nl];
        let line_start = base + pos as u64;
        pos += nl + 1;
        if !contains(line, b"\"tool_use\"") && !contains(line, b"\"tool_result\"") {
            continue;
        }
        let Ok(entry) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let blocks = entry
            .pointer("/message/content")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let at = entry
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(Timestamp::parse);
        match entry.get("type").and_then(Value::as_str) {
            Some("assistant") => {
                for b in blocks.iter().filter(|b| b["type"] == "tool_use") {
                    let (Some(id), Some(name)) = (b["id"].as_str(), b["name"].as_str()) else {
                        continue;
                    };
                    let input = &b["input"];
                    let text = |k: &str| input.get(k).and_then(Value::as_str).map(str::to_owned);
                    let call = ToolCall {
                        name: name.to_string(),
                        command: text("command"),
                        file: text("file_path").or_else(|| text("notebook_path")),
                        at,
                    };
                    pending.insert(
                        id.to_string(),
                        Pending {
                            call,
                            line_start,
                            order,
                        },
                    );
                    order += 1;
                }
            }
            Some("user") => {
                let interrupted = entry
                    .pointer("/toolUseResult/interrupted")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                for b in blocks.iter().filter(|b| b["type"] == "tool_result") {
                    let Some(p) = b["tool_use_id"].as_str().and_then(|id| pending.remove(id))
                    else {
                        continue;
                    };
                    let failed = b["is_error"].as_bool().unwrap_or(false) || interrupted;
                    if !failed {
                        done.push((p.order, p.call));
                    }
                }
            }
            _ => {}
        }
    }
    done.sort_by_key(|(order, _)| *order);
    // A call still waiting for its result is read again next time, with its result.
    let resume_at = pending
        .values()
        .map(|p| p.line_start)
        .min()
        .unwrap_or(base + pos as u64);
    Window {
        calls: done.into_iter().map(|(_, c)| c).collect(),
        resume_at,
        skipped: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::fs;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/e2e/fixtures")
            .join(name)
    }

    #[test]
    fn a_real_successful_bash_call_is_read_from_the_fixture() {
        let w = read(
            &fixture("transcript-bash-tool-use.jsonl"),
            Some(0),
            0,
            1 << 24,
        )
        .unwrap();
        assert_eq!(w.calls.len(), 1, "{:?}", w.calls);
        assert_eq!(w.calls[0].name, "Bash");
        assert_eq!(w.calls[0].command.as_deref(), Some("git --version"));
        assert!(w.calls[0].at.is_some());
        let len = fs::metadata(fixture("transcript-bash-tool-use.jsonl"))
            .unwrap()
            .len();
        assert_eq!(w.resume_at, len);
    }

    #[test]
    fn a_real_failed_bash_call_does_not_count() {
        let w = read(
            &fixture("transcript-bash-failure.jsonl"),
            Some(0),
            0,
            1 << 24,
        )
        .unwrap();
        assert!(w.calls.is_empty(), "{:?}", w.calls);
    }

    fn line(v: Value) -> String {
        format!("{v}\n")
    }

    fn tool_use(id: &str, name: &str, input: Value) -> String {
        line(
            json!({"type": "assistant", "timestamp": "2026-11-24T10:00:00.000Z",
            "message": {"content": [{"type": "tool_use", "id": id, "name": name, "input": input}]}}),
        )
    }

    fn tool_result(id: &str, is_error: bool, interrupted: bool) -> String {
        line(
            json!({"type": "user", "toolUseResult": {"interrupted": interrupted},
            "message": {"content": [{"type": "tool_result", "tool_use_id": id, "is_error": is_error}]}}),
        )
    }

    #[test]
    fn calls_pair_with_results_and_waiting_ones_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        let text = [
            tool_use("a", "Bash", json!({"command": "git push"})),
            tool_result("a", false, false),
            tool_use("b", "Bash", json!({"command": "systemctl restart x"})),
            tool_result("b", false, true),
            tool_use("c", "Edit", json!({"file_path": "/p/src/lib.rs"})),
            tool_result("c", false, false),
            tool_use("d", "Bash", json!({"command": "cargo publish"})),
        ]
        .concat();
        fs::write(&p, &text).unwrap();
        let w = read(&p, Some(0), 0, 1 << 20).unwrap();
        let names: Vec<_> = w
            .calls
            .iter()
            .map(|c| (c.name.as_str(), c.command.clone(), c.file.clone()))
            .collect();
        assert_eq!(
            names,
            [
                ("Bash", Some("git push".to_string()), None),
                ("Edit", None, Some("/p/src/lib.rs".to_string()))
            ],
            "the interrupted call and the unanswered one do not count"
        );
        let d_start = text
            .find("\"id\":\"d\"")
            .map(|i| text[..i].rfind('\n').unwrap() + 1)
            .unwrap();
        assert_eq!(w.resume_at, d_start as u64);
        // Next time, from there, the result has arrived.
        fs::write(&p, format!("{text}{}", tool_result("d", false, false))).unwrap();
        let w = read(&p, Some(w.resume_at), 0, 1 << 20).unwrap();
        assert_eq!(w.calls.len(), 1);
        assert_eq!(w.calls[0].command.as_deref(), Some("cargo publish"));
    }

    #[test]
    fn reads_are_bounded_and_start_at_a_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        let filler = line(
            json!({"type": "assistant", "message": {"content": [{"type": "text", "text": "x".repeat(500)}]}}),
        );
        let text = format!(
            "{}{}{}",
            filler.repeat(100),
            tool_use("z", "Bash", json!({"command": "git push"})),
            tool_result("z", false, false)
        );
        fs::write(&p, &text).unwrap();
        let w = read(&p, Some(0), 0, 2000).unwrap();
        assert!(w.skipped > 0);
        assert_eq!(w.calls.len(), 1, "the newest bytes are the ones read");
        let w = read(&p, None, 1500, 1 << 20).unwrap();
        assert_eq!(w.calls.len(), 1, "tail read");
        let w = read(&p, Some(u64::MAX), 1500, 1 << 20).unwrap();
        assert_eq!(
            w.calls.len(),
            1,
            "a cursor past the end falls back to the tail"
        );
    }
}
