//! Precision and recall of the completion-claim finder on two labelled sets: the dev set (270
//! end-of-turn messages in the styles assistants write: long markdown summaries, status lists,
//! terse chat, code spans and fences, tables; about half without a claim) and a blind set
//! (263). Claims are compared as keys per message ("tests:all", "action:push"); run with
//! `--nocapture` to see every miss.

use super::key;
use crate::completion::claims;

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    claims: Vec<Label>,
    category: String,
}

#[derive(serde::Deserialize)]
struct Label {
    kind: String,
    verb: Option<String>,
    scope: Option<String>,
}

impl Label {
    fn key(&self) -> String {
        match (&self.verb, &self.scope) {
            (Some(v), _) => format!("{}:{v}", self.kind),
            (None, Some(s)) => format!("{}:{s}", self.kind),
            (None, None) => self.kind.clone(),
        }
    }
}

/// A claim's key as the sets compare it: only claims about tests have a scope that matters
/// (a subset is judged differently); one set labels builds, lint and typechecks without one.
fn comparable(key: String) -> String {
    match key.split_once(':') {
        Some((kind @ ("build" | "lint" | "typecheck"), _)) => kind.to_string(),
        _ => key,
    }
}

/// Precision and recall of [`claims`] on one labelled set, printing every miss.
#[allow(clippy::print_stdout)]
fn measure(name: &str, data: &str) -> (usize, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    let mut messages = 0;
    for (n, line) in data.lines().enumerate() {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}:{}: {e}", n + 1));
        messages += 1;
        let mut want: Vec<String> = case.claims.iter().map(|l| comparable(l.key())).collect();
        want.sort();
        want.dedup();
        let mut got: Vec<String> = claims(&case.text)
            .iter()
            .map(|c| comparable(key(&c.subject)))
            .collect();
        got.sort();
        got.dedup();
        let hits = got.iter().filter(|g| want.contains(g)).count();
        tp += hits;
        fp += got.len() - hits;
        fn_ += want.len() - hits;
        if got != want {
            misses.push(format!(
                "line {} [{}] want {want:?} got {got:?}\n    {:?}",
                n + 1,
                case.category,
                case.text.chars().take(160).collect::<String>()
            ));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!(
        "{name}: {messages} messages: precision {precision:.3} ({tp}/{}), recall {recall:.3} ({tp}/{})",
        tp + fp,
        tp + fn_
    );
    for m in &misses {
        println!("{m}");
    }
    (messages, precision, recall)
}

/// Measures a set of at least `messages` and fails under the floors, which sit a little
/// under what was measured when they were set, so a regression fails the test.
fn holds(name: &str, data: &str, messages: usize, floors: (f64, f64)) {
    let (n, precision, recall) = measure(name, data);
    assert!(n >= messages, "{name}: {n} messages");
    assert!(precision >= floors.0, "{name}: precision {precision:.3}");
    assert!(recall >= floors.1, "{name}: recall {recall:.3}");
}

/// Measured 0.988 and 0.959 when the floors were set.
#[test]
fn dev_set_precision_and_recall() {
    let data = include_str!("../../../tests/data/completion_claims.jsonl");
    holds("completion_claims.jsonl", data, 200, (0.97, 0.93));
}

/// A set written by an evaluator who saw neither the finder nor its tests (263 messages, the
/// categories of the issue), measured once before any change (0.988 and 0.836) and kept as
/// a regression set; 0.988 and 0.894 after the fixes its misses showed, when the floors were
/// last raised.
#[test]
fn blind_set_precision_and_recall() {
    let data = include_str!("../../../tests/data/completion_claims_heldout.jsonl");
    holds("completion_claims_heldout.jsonl", data, 250, (0.97, 0.86));
}
