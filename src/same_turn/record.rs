//! The continuations already made, per session: the record that makes "once per turn, at most
//! [`SESSION_CAP`] a session" hold whatever Claude Code says in `stop_hook_active` (which stays
//! false when system reminders interleave: anthropics/claude-code#54360), and however many
//! copies of the hook run at once.
//!
//! `<state>/same-turn.json`: `{"version": 1, "sessions": {"<session_id>": {"turns":
//! ["<prompt_id>", …], "updatedAt": …}}}`, the most recently active [`SESSIONS_KEPT`]
//! sessions. A turn is taken under an exclusive lock and written atomically before the hook
//! prints anything: a run that cannot write it does not continue the turn. It is not fsynced:
//! the hooks that read it run seconds later on the same machine (the page cache serves them),
//! and a crash that loses it also ended the turn it guarded, so two disk flushes on the path
//! of every continuation would buy nothing.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::path::PathBuf;

use crate::{fsutil, state::StateDir, timestamp::Timestamp};

/// Continuations in one session, both kinds together.
pub(crate) const SESSION_CAP: usize = 3;
const SESSIONS_KEPT: usize = 64;
const FILE: &str = "same-turn.json";
const CAP_BYTES: usize = 256 * 1024;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Doc {
    version: u64,
    #[serde(default)]
    sessions: Map<String, Value>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Session {
    #[serde(default)]
    turns: Vec<String>,
    updated_at: Option<Timestamp>,
}

/// Whether this turn may be continued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Take {
    /// Recorded: this run continues the turn.
    Taken,
    /// This turn was continued already.
    TurnDone,
    /// The session has had [`SESSION_CAP`] continuations.
    SessionCap,
}

fn path(state: &StateDir) -> PathBuf {
    state.root().join(FILE)
}

/// Takes `prompt_id` of `session_id` for a continuation, if it is still free.
pub(crate) fn take(
    state: &StateDir,
    session_id: &str,
    prompt_id: &str,
    now: Timestamp,
) -> crate::Result<Take> {
    state.ensure()?;
    let file = path(state);
    let lock = state.root().join(format!("{FILE}.lock"));
    let _lock = fsutil::lock_exclusive(&lock, fsutil::LOCK_WAIT)
        .map_err(|e| crate::Error::io(&lock, "lock", e))?;
    let mut doc = read(&file);
    let mut session: Session = doc
        .sessions
        .get(session_id)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    if session.turns.iter().any(|t| t == prompt_id) {
        return Ok(Take::TurnDone);
    }
    if session.turns.len() >= SESSION_CAP {
        return Ok(Take::SessionCap);
    }
    session.turns.push(prompt_id.to_string());
    session.updated_at = Some(now);
    doc.version = 1;
    doc.sessions.shift_remove(session_id);
    doc.sessions.insert(
        session_id.to_string(),
        serde_json::to_value(&session).expect("serializes"),
    );
    // Oldest first (insertion order is activity order): drop the least recent sessions.
    while doc.sessions.len() > SESSIONS_KEPT {
        let oldest = doc.sessions.keys().next().cloned().expect("not empty");
        doc.sessions.shift_remove(&oldest);
    }
    let bytes = serde_json::to_vec(&doc).expect("serializes");
    fsutil::write_cache(&file, &bytes).map_err(|e| crate::Error::io(&file, "write", e))?;
    Ok(Take::Taken)
}

/// The record, or an empty one when it is missing or unreadable (an unreadable record is
/// replaced: it only ever holds what this module wrote).
fn read(file: &std::path::Path) -> Doc {
    fsutil::read_capped(file, CAP_BYTES)
        .ok()
        .filter(|(_, truncated)| !truncated)
        .and_then(|(bytes, _)| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn state() -> (tempfile::TempDir, StateDir) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".instar")).unwrap();
        let state = StateDir::resolve(dir.path(), &Env::default()).unwrap();
        (dir, state)
    }

    #[test]
    fn a_turn_is_taken_once_and_a_session_at_most_three_times() {
        let (_d, s) = state();
        let now = Timestamp::now();
        assert_eq!(take(&s, "s1", "p1", now).unwrap(), Take::Taken);
        assert_eq!(take(&s, "s1", "p1", now).unwrap(), Take::TurnDone);
        assert_eq!(take(&s, "s1", "p2", now).unwrap(), Take::Taken);
        assert_eq!(take(&s, "s1", "p3", now).unwrap(), Take::Taken);
        assert_eq!(take(&s, "s1", "p4", now).unwrap(), Take::SessionCap);
        // Another session has its own count.
        assert_eq!(take(&s, "s2", "p1", now).unwrap(), Take::Taken);
    }

    #[test]
    fn old_sessions_are_dropped_and_a_corrupt_record_is_replaced() {
        let (_d, s) = state();
        let now = Timestamp::now();
        for i in 0..SESSIONS_KEPT + 5 {
            take(&s, &format!("s{i}"), "p", now).unwrap();
        }
        let doc = read(&path(&s));
        assert_eq!(doc.sessions.len(), SESSIONS_KEPT);
        assert!(!doc.sessions.contains_key("s0"));
        std::fs::write(path(&s), "{ broken").unwrap();
        assert_eq!(take(&s, "s0", "p", now).unwrap(), Take::Taken);
    }

    #[test]
    fn concurrent_runs_take_a_turn_exactly_once() {
        let (_d, s) = state();
        let taken: Vec<Take> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| take(&s, "s", "p", Timestamp::now()).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(taken.iter().filter(|t| **t == Take::Taken).count(), 1);
        assert_eq!(taken.iter().filter(|t| **t == Take::TurnDone).count(), 7);
    }
}
