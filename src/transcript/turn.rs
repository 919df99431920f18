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

use std::{collections::HashMap, io, path::Path, rc::Rc};

use super::backward::Backward;

mod lines;
use crate::{
    bytes::{contains, find},
    timestamp::Timestamp,
};

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

/// A tool call, and where its result is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Call {
    pub(crate) id: String,
    pub(crate) name: String,
    /// `input.command` of a Bash call.
    pub(crate) command: Option<String>,
    /// A Bash call run in the background: its output is not in this result.
    pub(crate) background: bool,
    pub(crate) at: Option<Timestamp>,
    /// The transcript line that holds its result, as read: decoded only when a check asks
    /// ([`Call::result`]), so the outputs of the calls no check is about are never parsed.
    result_line: Option<Rc<[u8]>>,
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

impl Call {
    /// A call with no result in the transcript, for tests.
    #[cfg(test)]
    pub(crate) fn example(name: &str, command: &str) -> Call {
        Call {
            id: "toolu_example".into(),
            name: name.into(),
            command: Some(command.into()),
            background: false,
            at: None,
            result_line: None,
        }
    }

    /// The call's result, when the transcript has it: its outcome, and its output's head and
    /// tail. `None` also for a line that does not parse as expected (nothing to conclude).
    pub(crate) fn result(&self) -> Option<CallResult> {
        let line = self.result_line.as_deref()?;
        let entry: lines::Line<'_> = serde_json::from_slice(line).ok()?;
        let content = entry.message.as_ref()?.content.and_then(lines::content)?;
        let lines::Content::Blocks(blocks) = content else {
            return None;
        };
        let block = blocks.iter().find(|b| {
            b.kind.as_deref() == Some("tool_result") && b.tool_use_id.as_deref() == Some(&self.id)
        })?;
        let output = block
            .content
            .map(|c| excerpt(&lines::output(c)))
            .unwrap_or_default();
        Some(CallResult {
            outcome: outcome_of(
                block.is_error.unwrap_or(false),
                lines::interrupted(entry.tool_use_result),
                &output,
            ),
            output,
        })
    }
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
    // Newest first: a result is met before its call, and kept as its raw line until then.
    let mut results: HashMap<String, Rc<[u8]>> = HashMap::new();
    let mut newest_first: Vec<Entry> = Vec::new();
    let mut complete = false;
    while let Some(line) = lines.prev()? {
        // Only lines that can matter are looked at: a turn full of long text costs a
        // substring search per line, not a JSON parse.
        let user = contains(line, b"\"user\"");
        if !user && !contains(line, b"\"assistant\"") {
            continue;
        }
        // A tool result is not parsed here: its call decides whether it ever is.
        if user && contains(line, b"\"tool_result\"") {
            let ids = result_ids(line);
            if !ids.is_empty() {
                let raw: Rc<[u8]> = Rc::from(line);
                for id in ids {
                    results.insert(id, Rc::clone(&raw));
                }
                continue;
            }
        }
        let Ok(entry) = serde_json::from_slice::<lines::Line<'_>>(line) else {
            continue;
        };
        match entry.kind.as_deref() {
            Some("assistant") => assistant(&entry, &mut results, &mut newest_first),
            Some("user") if is_prompt(&entry) => {
                complete = true;
                break;
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

/// The `tool_use_id`s a tool-result line answers, found without parsing it (Claude Code
/// writes compact JSON; `": "` as other writers do is read too). Ids are plain ASCII.
fn result_ids(line: &[u8]) -> Vec<String> {
    const KEY: &[u8] = b"\"tool_use_id\"";
    let mut ids = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&line[at..], KEY) {
        let mut j = at + i + KEY.len();
        while line.get(j).is_some_and(|b| matches!(b, b' ' | b':')) {
            j += 1;
        }
        at = j;
        if line.get(j) != Some(&b'"') {
            continue;
        }
        let start = j + 1;
        let Some(len) = line[start..].iter().position(|&b| b == b'"' || b == b'\\') else {
            break;
        };
        if line[start + len] == b'"'
            && let Ok(id) = std::str::from_utf8(&line[start..start + len])
        {
            ids.push(id.to_string());
        }
        at = start + len;
    }
    ids
}

/// An assistant line: its text and tool_use blocks, last block first.
fn assistant(
    entry: &lines::Line<'_>,
    results: &mut HashMap<String, Rc<[u8]>>,
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
                let id = b.id.as_deref().unwrap_or_default().to_string();
                let input = b.input.as_ref();
                out.push(Entry::Call(Call {
                    name: b.name.as_deref().unwrap_or_default().to_string(),
                    command: input.and_then(|i| i.command.as_deref()).map(bounded),
                    background: input.and_then(|i| i.run_in_background).unwrap_or(false),
                    at,
                    result_line: results.remove(&id),
                    id,
                }));
            }
            _ => {}
        }
    }
}

/// A user line that is a prompt: text, not a tool result, not a meta line (system reminders,
/// a Stop hook's feedback).
fn is_prompt(entry: &lines::Line<'_>) -> bool {
    if entry.is_meta.unwrap_or(false) {
        return false;
    }
    match entry
        .message
        .as_ref()
        .and_then(|m| m.content)
        .and_then(lines::content)
    {
        Some(lines::Content::Text(_)) => true,
        Some(lines::Content::Blocks(blocks)) => {
            blocks.iter().any(|b| b.kind.as_deref() == Some("text"))
                && !blocks
                    .iter()
                    .any(|b| b.kind.as_deref() == Some("tool_result"))
        }
        None => false,
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
