use super::*;
use crate::{
    commitments::{NewClaim, Policy, Store},
    env::Env,
};
use serde_json::json;
use std::fs;

struct Fixture {
    dir: tempfile::TempDir,
    state: StateDir,
    store: Store,
    transcript: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join(".instar")).unwrap();
    let state = StateDir::resolve(dir.path(), &Env::default()).unwrap();
    state.ensure().unwrap();
    let store = Store::at(&state);
    let transcript = dir.path().join("session.jsonl");
    fs::write(&transcript, "").unwrap();
    Fixture {
        dir,
        state,
        store,
        transcript,
    }
}

fn at(s: u64) -> Timestamp {
    Timestamp::from_unix_ms(1_795_000_000_000 + s * 1000)
}

fn claim(f: &Fixture, verb: &str, when: Timestamp) {
    f.store
        .record(&NewClaim::example("7", verb), Policy::default(), when)
        .unwrap();
}

fn append(f: &Fixture, id: &str, when: Timestamp, name: &str, input: serde_json::Value, ok: bool) {
    let mut text = fs::read_to_string(&f.transcript).unwrap();
    let ts = when.to_string();
    text.push_str(&format!(
        "{}\n{}\n",
        json!({"type": "assistant", "timestamp": ts, "message": {"content": [{"type": "tool_use", "id": id, "name": name, "input": input}]}}),
        json!({"type": "user", "timestamp": ts, "message": {"content": [{"type": "tool_result", "tool_use_id": id, "is_error": !ok}]}})
    ));
    fs::write(&f.transcript, text).unwrap();
}

fn run(f: &Fixture, now: Timestamp) -> Vec<(String, Evidence)> {
    let doc = f.store.load().unwrap();
    let open = doc.open_for_topic("7", now).collect::<Vec<_>>();
    let found = scan(&f.state, &f.transcript, &open, Some("s")).unwrap();
    f.store
        .update(now, |doc| Ok(apply(doc, &found.evidence, now)))
        .unwrap();
    found.evidence
}

#[test]
fn a_matching_command_after_the_promise_fulfils_it() {
    let f = fixture();
    claim(&f, "push", at(10));
    append(
        &f,
        "a",
        at(20),
        "Bash",
        json!({"command": "git push origin main"}),
        true,
    );
    let found = run(&f, at(30));
    assert_eq!(found.len(), 1);
    let c = &f.store.list(at(30)).unwrap()[0];
    assert_eq!(c.status, Status::Fulfilled);
    let e = c.evidence.as_ref().unwrap();
    assert_eq!(
        (e.kind.as_str(), e.strength.as_str(), e.detail.as_str()),
        ("command", "strong", "git push origin main")
    );
    assert_eq!(c.resolved_at, Some(at(20)));
    assert_eq!(e.session_id.as_deref(), Some("s"));
}

#[test]
fn calls_before_the_promise_failed_calls_and_other_verbs_do_not_count() {
    let f = fixture();
    append(
        &f,
        "old",
        at(5),
        "Bash",
        json!({"command": "git push"}),
        true,
    );
    claim(&f, "push", at(10));
    append(
        &f,
        "fail",
        at(20),
        "Bash",
        json!({"command": "git push"}),
        false,
    );
    append(
        &f,
        "other",
        at(21),
        "Bash",
        json!({"command": "systemctl restart api"}),
        true,
    );
    assert!(run(&f, at(30)).is_empty());
    assert_eq!(f.store.list(at(30)).unwrap()[0].status, Status::Open);
}

#[test]
fn an_edit_is_weak_evidence_for_a_fix_only() {
    let f = fixture();
    claim(&f, "fix", at(10));
    claim(&f, "deploy", at(10));
    append(
        &f,
        "e",
        at(20),
        "Edit",
        json!({"file_path": "/p/src/lib.rs"}),
        true,
    );
    run(&f, at(30));
    let all = f.store.list(at(30)).unwrap();
    let fix = all.iter().find(|c| c.verb == "fix").unwrap();
    assert_eq!(fix.status, Status::Fulfilled);
    assert_eq!(fix.evidence.as_ref().unwrap().strength, Strength::Weak);
    assert_eq!(fix.evidence.as_ref().unwrap().detail, "/p/src/lib.rs");
    assert_eq!(
        all.iter().find(|c| c.verb == "deploy").unwrap().status,
        Status::Open
    );
}

#[test]
fn the_cursor_makes_each_stop_read_only_new_lines() {
    let f = fixture();
    claim(&f, "restart", at(10));
    append(&f, "x", at(11), "Bash", json!({"command": "ls"}), true);
    run(&f, at(12));
    let cursor: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(f.state.root().join(CURSOR_FILE)).unwrap())
            .unwrap();
    let len = fs::metadata(&f.transcript).unwrap().len();
    assert_eq!(cursor["transcripts"][f.transcript.to_str().unwrap()], len);
    // Corrupt the already-read part: if it were read again, parsing would skip it anyway,
    // but a read from the cursor never looks at it.
    append(
        &f,
        "y",
        at(20),
        "Bash",
        json!({"command": "sudo systemctl restart api"}),
        true,
    );
    assert_eq!(run(&f, at(21)).len(), 1);
}

#[test]
fn a_transcript_that_is_not_a_regular_file_is_an_error_not_a_hang() {
    let f = fixture();
    claim(&f, "push", at(10));
    let doc = f.store.load().unwrap();
    let open = doc.open_for_topic("7", at(11)).collect::<Vec<_>>();
    assert!(scan(&f.state, f.dir.path(), &open, None).is_err());
}
