/*!
Evidence that a promise was kept, read from Claude Code's session transcript: the primitive
instar's sentinel lacked ("completed-action verification needs a per-turn evidence primitive
that does not exist yet"). The transcript records every tool call and its result.

At each Stop, for the open commitments of this conversation, the hook reads the transcript
from where it stopped last time (a per-transcript cursor), or the last [`TAIL`] bytes of a
transcript it has not seen, never more than [`READ_CAP`] bytes, and looks at the tool calls
that succeeded after the commitment was made:
- a Bash command that performs the verb ([`rules`]: `git push` for "push", `systemctl
  restart` for "restart", `cargo publish` for "publish" …) is strong evidence;
- for "fix", an edit (Edit, Write, MultiEdit, NotebookEdit) is weak evidence: work was done.

Failed or interrupted calls never count. The earliest matching call fulfils the commitment.

The cursor lives in a small cache file written without fsync: losing it costs one bounded
re-read of the tail (the timestamp check keeps old calls from counting).
*/

use serde_json::{Map, Value};
use std::path::Path;

use crate::{
    commitments::{Commitment, Evidence, EvidenceKind, Status, StoreDoc, Strength},
    state::StateDir,
    timestamp::Timestamp,
};

mod calls;
pub(crate) mod rules;
pub(crate) mod shell;

pub(crate) use calls::ToolCall;

/// How much of the end of a transcript is read the first time it is seen.
pub(crate) const TAIL: u64 = 1024 * 1024;
/// The most one Stop reads; more new text than this (a huge tool output) is skipped over.
pub(crate) const READ_CAP: u64 = 8 * 1024 * 1024;
/// Transcripts remembered in the cursor file.
const CURSORS_KEPT: usize = 32;
const CURSOR_FILE: &str = "evidence-cursor.json";

const EDIT_TOOLS: &[&str] = &["Edit", "Write", "MultiEdit", "NotebookEdit"];

/// What a scan found: evidence per commitment id, and a note when text was skipped.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub evidence: Vec<(String, Evidence)>,
    pub skipped_bytes: u64,
}

/// Reads the transcript's new calls and matches them against `open`. Updates the cursor.
pub(crate) fn scan(
    state: &StateDir,
    transcript: &Path,
    open: &[&Commitment],
    session_id: Option<&str>,
) -> std::io::Result<Found> {
    let cursor_path = state.root().join(CURSOR_FILE);
    let mut cursors = read_cursors(&cursor_path);
    let key = transcript.to_string_lossy().into_owned();
    let from = cursors.get(&key).and_then(Value::as_u64);
    let window = calls::read(transcript, from, TAIL, READ_CAP)?;
    let evidence = open
        .iter()
        .filter_map(|c| {
            let mut e = window
                .calls
                .iter()
                .filter(|call| call.at.is_none_or(|at| at > c.created_at))
                .find_map(|call| evidence_for(call, &c.verb))?;
            e.session_id = session_id.map(str::to_owned);
            Some((c.id.clone(), e))
        })
        .collect();
    if from != Some(window.resume_at) {
        cursors.shift_remove(&key);
        cursors.insert(key, Value::from(window.resume_at));
        while cursors.len() > CURSORS_KEPT {
            let oldest = cursors.keys().next().cloned().expect("not empty");
            cursors.shift_remove(&oldest);
        }
        write_cursors(state, &cursor_path, cursors);
    }
    Ok(Found {
        evidence,
        skipped_bytes: window.skipped,
    })
}

/// Evidence that `call` performed `verb`, if it did.
pub(crate) fn evidence_for(call: &ToolCall, verb: &str) -> Option<Evidence> {
    if call.name == "Bash" {
        let command = rules::performs(call.command.as_deref()?, verb)?;
        return Some(Evidence {
            kind: EvidenceKind::Command,
            strength: Strength::Strong,
            tool: call.name.clone(),
            detail: command,
            at: call.at,
            session_id: None,
        });
    }
    (verb == "fix" && EDIT_TOOLS.contains(&call.name.as_str())).then(|| Evidence {
        kind: EvidenceKind::Edit,
        strength: Strength::Weak,
        tool: call.name.clone(),
        detail: call.file.clone().unwrap_or_default(),
        at: call.at,
        session_id: None,
    })
}

/// Marks the commitments still open in `doc` fulfilled. Returns the ids it changed.
pub(crate) fn apply(
    doc: &mut StoreDoc,
    found: &[(String, Evidence)],
    now: Timestamp,
) -> Vec<String> {
    let mut changed = Vec::new();
    for (id, evidence) in found {
        if let Some(c) = doc
            .commitments
            .iter_mut()
            .find(|c| &c.id == id && c.status == Status::Open)
        {
            c.fulfil(evidence.clone(), now);
            changed.push(id.clone());
        }
    }
    changed
}

fn read_cursors(path: &Path) -> Map<String, Value> {
    crate::fsutil::read_capped(path, 64 * 1024)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| v.get("transcripts").and_then(Value::as_object).cloned())
        .unwrap_or_default()
}

/// Best effort: a lost cursor costs one bounded re-read of the tail.
fn write_cursors(state: &StateDir, path: &Path, transcripts: Map<String, Value>) {
    if state.ensure().is_ok() {
        let doc = serde_json::json!({"version": 1, "transcripts": transcripts});
        let _ = crate::fsutil::write_cache(path, doc.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests;
