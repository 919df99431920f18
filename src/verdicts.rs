/*!
What the Stop hook concluded about the completion claims of each turn ("All tests pass",
"Pushed the fix"): one JSON line per claim in `<state>/claims.jsonl`, so that `instar-hooks
claims` can list the recent ones the turn's own evidence contradicted or could not confirm.

A record holds the claim's words, its verdict and why, and the deciding command — bounded,
with secrets such as tokens and passwords masked — and its exit status: never the command's
output beyond the runner's own summary line. Lines are appended in one write per turn (no
lock, no rewrite), and the file is rotated at [`CAP`] with one old copy, so the hook's cost
does not grow with a project's age. A line that cannot be parsed (a crash mid-write, a newer
format) is skipped when reading.
*/

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::{fsutil, state::StateDir, timestamp::Timestamp};

/// Size at which `claims.jsonl` is rotated to `claims.jsonl.1`.
const CAP: u64 = 512 * 1024;
const FILE: &str = "claims.jsonl";

/// What the turn's evidence says about a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The last matching run in the turn succeeded.
    Supported,
    /// The last matching run in the turn failed.
    Refuted,
    /// The turn shows nothing that decides it.
    Unverified,
}

/// One claim's verdict, as recorded and listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimRecord {
    pub at: Timestamp,
    /// The conversation (as for commitments).
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_id: Option<String>,
    /// The words that make the claim, as written.
    pub claim: String,
    /// `tests`, `build`, `lint`, `typecheck`, or `action`.
    pub kind: String,
    /// The action's verb (`push`, `deploy`, …), for an action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// For a check: `all`, or the words that narrow it ("the parser tests").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub verdict: Verdict,
    /// What decided, in a few words ("exited 1: 2 failed, 40 passed").
    pub why: String,
    /// The deciding command, bounded and with secrets masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// The turn was continued because of this claim.
    #[serde(default)]
    pub continued: bool,
}

fn path(state: &StateDir) -> PathBuf {
    state.root().join(FILE)
}

/// Appends this turn's records, in one write.
pub(crate) fn append(state: &StateDir, records: &[ClaimRecord]) -> std::io::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for r in records {
        serde_json::to_writer(&mut lines, r).map_err(std::io::Error::other)?;
        lines.push(b'\n');
    }
    fsutil::append_rotated(&path(state), &lines, CAP, || {
        state.ensure().map_err(std::io::Error::other)
    })
}

/// Every record kept, oldest first.
pub fn read(state: &StateDir) -> Vec<ClaimRecord> {
    let current = path(state);
    let mut old = current.clone().into_os_string();
    old.push(".1");
    let mut out = Vec::new();
    for file in [PathBuf::from(old), current] {
        // Rotated at CAP, so a file is never much larger; read through no symlink.
        let Ok((bytes, _)) = fsutil::read_capped(&file, 2 * CAP as usize) else {
            continue;
        };
        out.extend(
            bytes
                .split(|&b| b == b'\n')
                .filter_map(|line| serde_json::from_slice::<ClaimRecord>(line).ok()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    fn record(claim: &str, verdict: Verdict) -> ClaimRecord {
        ClaimRecord {
            at: Timestamp::from_unix_ms(1_796_000_000_000),
            topic: "t".into(),
            session_id: Some("s".into()),
            prompt_id: Some("p".into()),
            claim: claim.into(),
            kind: "tests".into(),
            verb: None,
            scope: Some("all".into()),
            verdict,
            why: "exited 1".into(),
            command: Some("npm test".into()),
            exit_code: Some(1),
            continued: false,
        }
    }

    #[test]
    fn records_round_trip_skip_garbage_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".instar")).unwrap();
        let state = StateDir::resolve(dir.path(), &Env::default()).unwrap();
        assert!(read(&state).is_empty());
        let a = record("All tests pass", Verdict::Refuted);
        let b = record("The build is green", Verdict::Unverified);
        append(&state, &[a.clone(), b.clone()]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(path(&state))
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"{\"torn\n"))
            .unwrap();
        assert_eq!(read(&state), [a.clone(), b.clone()]);
        // Past the cap the file rotates, and both files are read.
        let big = record(&"x".repeat(1000), Verdict::Supported);
        for _ in 0..CAP / 1000 + 1 {
            append(&state, std::slice::from_ref(&big)).unwrap();
        }
        let all = read(&state);
        assert_eq!(&all[..2], [a, b]);
        assert!(std::fs::metadata(path(&state)).unwrap().len() < CAP);
    }
}
