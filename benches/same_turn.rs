//! The benchmark's same-turn variants: (h) a claim that ends its turn undone, so the hook
//! reads the turn, records the commitment, takes the once-per-turn record and continues the
//! turn; and (i) a completion claim whose turn holds about 900 KiB of tool output at the end of
//! a 50 MB transcript, so the hook reads that turn backwards, judges the claim and records
//! its verdict.

use super::{Expect, NON_CLAIM, ON, Proc, Result, Variant, project, seed_store, stop_input};
use serde_json::{Value, json};
use std::{
    fs::{self, OpenOptions},
    io::Write,
    path::{Path, PathBuf},
};

/// The targets: a turn that needs the transcript reads only its own part, and stays within
/// this many times the do-nothing binary while that part is under 1 MiB.
const TURN_RATIO_MAX: f64 = 4.0;
/// The tool output in (i)'s last turn.
const TURN_BYTES: usize = 900 * 1024;

/// A message that ends on a promise it does not keep in its turn.
const UNDONE: &str = "Found it. `RetryScheduler::schedule` computed the deadline from the time \
the chunk was queued rather than from the time the previous attempt failed, so a chunk that \
sat in the queue could be retried twice in a row. The fix is two lines in `scheduler.rs` plus a \
regression test.\n\nLet me restart the upload worker now so it picks up the fix.";

/// A completion claim its turn's last run supports.
const GREEN: &str = "The regression test now waits on `chunk_committed` instead of sleeping, \
and the scheduler computes the deadline from the failed attempt. All 48 tests pass.";

fn line(v: Value) -> String {
    format!("{v}\n")
}

/// The JSON Claude Code sends, with the turn's identity (the same-turn step needs it).
fn same_turn_input(session_id: &str, message: &str, transcript: &Path) -> (String, Vec<u8>) {
    let (id, bytes) = stop_input(session_id, message, transcript);
    let mut v: Value = serde_json::from_slice(&bytes).expect("stop_input writes JSON");
    v["prompt_id"] = json!(format!("{session_id}-prompt"));
    v["permission_mode"] = json!("default");
    v["background_tasks"] = json!([]);
    (id, v.to_string().into_bytes())
}

/// (h) and (i); `transcript` is (e)'s 50 MB transcript, which (i) extends with its turn.
pub(super) fn variants(
    tmp: &Path,
    hook: &Path,
    home: &Path,
    transcript: &Path,
) -> Result<Vec<Variant>> {
    let proc = |label, project: PathBuf| Proc {
        label,
        program: hook.to_path_buf(),
        home: home.to_path_buf(),
        project,
        env: Vec::new(),
    };
    // (h): a short turn that ends on the promise.
    let turn = tmp.join("turn-undone.jsonl");
    let text = [
        line(json!({"type": "user", "promptId": "p", "message": {"role": "user", "content": "Why does the upload test flake?"}})),
        line(json!({"type": "assistant", "message": {"content": [{"type": "text", "text": UNDONE}]}})),
    ]
    .concat();
    fs::write(&turn, text).map_err(|e| format!("write {}: {e}", turn.display()))?;
    let nudge = proc("(h) hook, claim + nudge", project(tmp, "nudge", ON)?);
    let Expect::NewCommitment {
        store,
        seed,
        seed_len,
    } = seed_store(&nudge)?
    else {
        unreachable!("seed_store opens commitments")
    };
    let record = nudge.state()?.root().join("same-turn.json");
    let h = Variant {
        expect: Expect::Nudged {
            store,
            seed,
            seed_len,
            record,
        },
        proc: nudge,
        inputs: vec![same_turn_input("bench-nudge", UNDONE, &turn)],
        max_ratio: Some(TURN_RATIO_MAX),
        what: "a claim its turn did not act on: record it, take the turn, continue it",
    };

    // (i): the last turn of a 50 MB transcript holds ~900 KiB of tool output.
    let long = tmp.join("transcript-long-turn.jsonl");
    fs::copy(transcript, &long).map_err(|e| format!("copy {}: {e}", long.display()))?;
    append_long_turn(&long)?;
    let judged = proc(
        "(i) hook, completion claim",
        project(tmp, "completion", ON)?,
    );
    let claims = judged.state()?.root().join("claims.jsonl");
    let i = Variant {
        expect: Expect::Judged {
            store: judged.store()?,
            claims,
        },
        proc: judged,
        inputs: vec![same_turn_input("bench-completion", GREEN, &long)],
        max_ratio: Some(TURN_RATIO_MAX),
        what: "a completion claim, its ~900 KiB turn read backwards and judged",
    };
    Ok(vec![h, i])
}

/// A turn of `TURN_BYTES` of tool output (files read, a build), a passing `cargo test`, and
/// the claim as its last words.
fn append_long_turn(path: &Path) -> Result<()> {
    let mut out = OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("open {}: {e}", path.display()))?;
    let mut lines = vec![line(
        json!({"type": "user", "promptId": "bench-completion-prompt",
        "message": {"role": "user", "content": "Fix the flaky upload test."}}),
    )];
    let output = NON_CLAIM.repeat(10 * 1024 / NON_CLAIM.len() + 1);
    let calls = TURN_BYTES / output.len();
    for n in 0..calls {
        let id = format!("toolu_turn_{n}");
        lines.push(line(json!({"type": "assistant", "message": {"content": [
            {"type": "tool_use", "id": id, "name": "Bash", "input": {"command": format!("cat src/upload/part{n}.rs")}}]}})));
        lines.push(line(json!({"type": "user", "promptId": "bench-completion-prompt",
            "message": {"content": [{"type": "tool_result", "tool_use_id": id, "content": output, "is_error": false}]}})));
    }
    lines.push(line(json!({"type": "assistant", "message": {"content": [
        {"type": "tool_use", "id": "toolu_test", "name": "Bash", "input": {"command": "cargo test -p upload"}}]}})));
    lines.push(line(json!({"type": "user", "promptId": "bench-completion-prompt",
        "message": {"content": [{"type": "tool_result", "tool_use_id": "toolu_test",
            "content": "running 48 tests\n...\ntest result: ok. 48 passed; 0 failed; 0 ignored", "is_error": false}]}})));
    lines.push(line(
        json!({"type": "assistant", "message": {"content": [{"type": "text", "text": GREEN}]}}),
    ));
    out.write_all(lines.concat().as_bytes())
        .map_err(|e| format!("append to {}: {e}", path.display()))
}

/// (i)'s check: the newest verdict is the claim's, supported by the turn's `cargo test`.
pub(super) fn last_verdict_supported(label: &str, claims: &Path) -> Result<()> {
    let text = fs::read_to_string(claims).map_err(|e| format!("read {}: {e}", claims.display()))?;
    let last: Value = text
        .lines()
        .last()
        .and_then(|l| serde_json::from_str(l).ok())
        .ok_or_else(|| format!("{label}: no verdict recorded in {}", claims.display()))?;
    if last["verdict"] == "supported" && last["command"] == "cargo test -p upload" {
        Ok(())
    } else {
        Err(format!(
            "{label}: expected the claim supported by `cargo test -p upload`, got {last}"
        ))
    }
}
