//! The turn that just ended, read once from the end of the transcript: its texts and tool
//! calls, each call with its result. The same-turn checks (did the model act after its last
//! words? does this turn's last test run contradict "all tests pass"?) read this, never the
//! whole transcript, and never more than [`TURN_CAP`] bytes.
//!
//! Where the turn begins: after the last user prompt — a user line with text, not a tool result
//! and not a meta line. Claude Code writes `promptId` on prompts, but nothing here depends on
//! it: what is read counts only when it ends with the final message the Stop hook was handed
//! ([`Turn::after_text`]), which proves the transcript is not lagging behind and that these
//! are the calls that came before that message. A turn cut short (by the cap, or by a prompt
//! line in its middle) can only hide calls, which makes a check unable to conclude; it can
//! never make a check conclude wrongly.

use serde_json::value::RawValue;
use std::{collections::HashMap, io, path::Path};

use super::backward::Backward;

mod lines;
use crate::{fsutil::contains, timestamp::Timestamp};

/// The most of a transcript's end read for one turn.
pub(crate) const TURN_CAP: u64 = 8 * 1024 * 1024;
/// How much of a tool's output is kept in memory for the checks: its head and its tail (a
/// test runner's summary is at the end of its output).
const OUTPUT_HEAD: usize = 2 * 1024;
const OUTPUT_TAIL: usize = 14 * 1024;
/// Longest command or text kept.
const FIELD_CAP: usize = 64 * 1024;

/// This turn's part of the transcript.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Turn {
    /// Oldest first.
    pub(crate) entries: Vec<Entry>,
    /// The reading reached the turn's prompt; false when the cap or the start of the file
    /// came first.
    pub(crate) complete: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Entry {
    /// An assistant text block.
    Text(String),
    Call(Call),
}

/// A tool call, and its result when the transcript has it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    pub(crate) name: String,
    /// `input.command` of a Bash call.
    pub(crate) command: Option<String>,
    /// A Bash call run in the background: its output is not in this result.
    pub(crate) background: bool,
    pub(crate) at: Option<Timestamp>,
    pub(crate) result: Option<CallResult>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CallResult {
    pub(crate) outcome: Outcome,
    /// The output's head and tail (see [`OUTPUT_TAIL`]), joined by a marker when cut.
    pub(crate) output: String,
}

/// How a call ended, as Claude Code records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Succeeded,
    /// `is_error`, with the exit code when the result starts "Exit code N".
    Failed {
        exit_code: Option<i32>,
    },
    /// It did not run to its end — interrupted, timed out, refused by the user or by Claude
    /// Code — or its result is not in the transcript: nothing can be concluded from it.
    NoResult,
}

impl Turn {
    /// The entries after the last text equal to `message` (as Claude Code hands the final
    /// text to the Stop hook); `None` when this turn's part of the transcript does not hold
    /// that text (the transcript lags behind, or is not this session's).
    pub(crate) fn after_text(&self, message: &str) -> Option<&[Entry]> {
        let message = message.trim();
        let at = self
            .entries
            .iter()
            .rposition(|e| matches!(e, Entry::Text(t) if t.trim() == message))?;
        Some(&self.entries[at + 1..])
    }

    /// The calls of the turn, oldest first.
    #[cfg(test)]
    pub(crate) fn calls(&self) -> impl Iterator<Item = &Call> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Call(c) => Some(c),
            Entry::Text(_) => None,
        })
    }
}

/// Reads the last turn (see the module docs) from the end of `path`.
pub(crate) fn read(path: &Path) -> io::Result<Turn> {
    read_capped(path, TURN_CAP)
}

pub(crate) fn read_capped(path: &Path, cap: u64) -> io::Result<Turn> {
    let mut lines = Backward::open(path, cap)?;
    // Newest first: results are met before their calls, and kept raw until then (only a
    // Bash call's output is decoded).
    let mut results: HashMap<String, RawResult> = HashMap::new();
    let mut newest_first: Vec<Entry> = Vec::new();
    let mut complete = false;
    while let Some(line) = lines.prev()? {
        // Only lines that can matter are parsed: a turn full of long text costs a substring
        // search per line, not a JSON parse.
        let user = contains(line, b"\"user\"");
        if !user && !contains(line, b"\"assistant\"") {
            continue;
        }
        let Ok(entry) = serde_json::from_slice::<lines::Line<'_>>(line) else {
            continue;
        };
        match entry.kind.as_deref() {
            Some("assistant") => assistant(&entry, &mut results, &mut newest_first),
            Some("user") => {
                if let UserLine::Prompt = user_line(&entry, &mut results) {
                    complete = true;
                    break;
                }
            }
            _ => {}
        }
    }
    newest_first.reverse();
    Ok(Turn {
        entries: newest_first,
        complete,
    })
}

/// A tool result before its call is met: raw, so that only a Bash call's output is decoded.
struct RawResult {
    is_error: bool,
    interrupted: bool,
    /// The result's `content`, as JSON.
    content: Option<String>,
}

impl RawResult {
    /// Decoded, for a Bash call; for another tool only whether it worked matters.
    fn decode(self, bash: bool) -> CallResult {
        let output = match (bash, self.content) {
            (true, Some(raw)) => serde_json::from_str::<&RawValue>(&raw)
                .map(|r| excerpt(&lines::output(r)))
                .unwrap_or_default(),
            _ => String::new(),
        };
        CallResult {
            outcome: outcome_of(self.is_error, self.interrupted, &output),
            output,
        }
    }
}

/// An assistant line: its text and tool_use blocks, last block first.
fn assistant(
    entry: &lines::Line<'_>,
    results: &mut HashMap<String, RawResult>,
    out: &mut Vec<Entry>,
) {
    let at = entry.timestamp.as_deref().and_then(Timestamp::parse);
    let Some(content) = entry
        .message
        .as_ref()
        .and_then(|m| m.content)
        .and_then(lines::content)
    else {
        return;
    };
    let blocks = match content {
        lines::Content::Blocks(blocks) => blocks,
        lines::Content::Text(text) => {
            out.push(Entry::Text(bounded(&text)));
            return;
        }
    };
    for b in blocks.iter().rev() {
        match b.kind.as_deref() {
            Some("text") => {
                if let Some(text) = &b.text {
                    out.push(Entry::Text(bounded(text)));
                }
            }
            Some("tool_use") => {
                let name = b.name.as_deref().unwrap_or_default();
                let input = b.input.as_ref();
                let command = input.and_then(|i| i.command.as_deref()).map(bounded);
                let background = input.and_then(|i| i.run_in_background).unwrap_or(false);
                let result =
                    b.id.as_deref()
                        .and_then(|id| results.remove(id))
                        .map(|r| r.decode(name == "Bash"));
                out.push(Entry::Call(Call {
                    name: name.to_string(),
                    command,
                    background,
                    at,
                    result,
                }));
            }
            _ => {}
        }
    }
}

enum UserLine {
    /// A prompt: the turn begins with it.
    Prompt,
    /// Tool results, meta lines, anything else a user line holds.
    Other,
}

fn user_line(entry: &lines::Line<'_>, results: &mut HashMap<String, RawResult>) -> UserLine {
    let content = entry
        .message
        .as_ref()
        .and_then(|m| m.content)
        .and_then(lines::content);
    let blocks = match &content {
        Some(lines::Content::Blocks(blocks)) => blocks.as_slice(),
        _ => &[],
    };
    let mut tool_results = blocks
        .iter()
        .filter(|b| b.kind.as_deref() == Some("tool_result"))
        .peekable();
    if tool_results.peek().is_some() {
        let interrupted = lines::interrupted(entry.tool_use_result);
        for b in tool_results {
            if let Some(id) = b.tool_use_id.as_deref() {
                results.insert(
                    id.to_string(),
                    RawResult {
                        is_error: b.is_error.unwrap_or(false),
                        interrupted,
                        content: b.content.map(|c| c.get().to_string()),
                    },
                );
            }
        }
        return UserLine::Other;
    }
    let prompt = !entry.is_meta.unwrap_or(false)
        && match &content {
            Some(lines::Content::Text(_)) => true,
            Some(lines::Content::Blocks(blocks)) => {
                blocks.iter().any(|b| b.kind.as_deref() == Some("text"))
            }
            None => false,
        };
    match prompt {
        true => UserLine::Prompt,
        false => UserLine::Other,
    }
}

/// How a tool result reads, the one place that decides it: `is_error`, the `interrupted` flag
/// and the result's text. A failing command's result starts "Exit code N" (measured with
/// Claude Code 2.1.331; `toolUseResult` has it after "Error: "); a timeout is recorded as exit
/// code 143 with "Command timed out"; an error without an exit code is a call that did not run
/// (refused by the user or by Claude Code, `<tool_use_error>`).
pub(crate) fn outcome_of(is_error: bool, interrupted: bool, content: &str) -> Outcome {
    if interrupted || content.contains("Command timed out") {
        return Outcome::NoResult;
    }
    if !is_error {
        return Outcome::Succeeded;
    }
    let rest = content.trim_start();
    let rest = rest.strip_prefix("Error: ").unwrap_or(rest);
    let exit_code = rest.strip_prefix("Exit code ").and_then(|r| {
        let digits = r
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'-')
            .count();
        r[..digits].parse().ok()
    });
    match exit_code {
        Some(code) => Outcome::Failed {
            exit_code: Some(code),
        },
        None => Outcome::NoResult,
    }
}

/// The head and tail of a long output.
fn excerpt(s: &str) -> String {
    if s.len() <= OUTPUT_HEAD + OUTPUT_TAIL {
        return s.to_string();
    }
    let head = floor_char_boundary(s, OUTPUT_HEAD);
    let tail = ceil_char_boundary(s, s.len() - OUTPUT_TAIL);
    format!("{}\n[…]\n{}", &s[..head], &s[tail..])
}

fn bounded(s: &str) -> String {
    s[..floor_char_boundary(s, FIELD_CAP)].to_string()
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests;
