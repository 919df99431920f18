//! The gate (see `completion::gate`) never changes what is found: the gated reading and the
//! full one agree on every labelled message of the project's sets, promises and completion
//! claims alike, and on generated text (in `proptests`).

use crate::completion::{claims, claims_ungated};

const SETS: [&str; 10] = [
    include_str!("../../../tests/data/completion_claims.jsonl"),
    include_str!("../../../tests/data/completion_claims_heldout.jsonl"),
    include_str!("../../../tests/data/action_claim_ending.jsonl"),
    include_str!("../../../tests/data/action_claim_ending_second.jsonl"),
    include_str!("../../../tests/data/action_claim_heldout.jsonl"),
    include_str!("../../../tests/data/action_claim_heldout2.jsonl"),
    include_str!("../../../tests/data/action_claim_issue15.jsonl"),
    include_str!("../../../tests/data/action_claim_issue15_second.jsonl"),
    include_str!("../../../tests/data/action_claim_realistic.jsonl"),
    include_str!("../../../tests/data/action_claim_truth_table.jsonl"),
];

#[test]
fn the_gate_changes_nothing_on_any_labelled_message() {
    let mut messages = 0;
    let mut with_claims = 0;
    for set in SETS {
        for line in set.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let text = case["text"].as_str().expect("a text");
            let gated = claims(text);
            assert_eq!(gated, claims_ungated(text), "{text:?}");
            messages += 1;
            with_claims += usize::from(!gated.is_empty());
        }
    }
    // Both sides are exercised: messages with claims and without.
    assert!(
        messages > 1500 && with_claims > 300,
        "{messages} messages, {with_claims} with claims"
    );
}

#[test]
fn a_runners_count_is_read_within_its_sentence() {
    // Found by the generated-text comparison: the count read the next sentence's first word.
    let across = "all\nlint. 42/42\npassing`cargo test`lint";
    assert_eq!(claims(across), claims_ungated(across));
    assert!(claims(across).is_empty());
    assert!(!claims("lint. 42/42 passing").is_empty());
}
