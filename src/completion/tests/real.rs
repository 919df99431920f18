//! Replays real end-of-turn messages and their turns' Bash calls through `claims` and `judge`.
//! The data is other people's work and stays out of the repository: point
//! `COMPLETION_REAL_TURNS` at a JSON-lines file of
//! `{"id", "text", "runs": [{"command", "background", "result": {"is_error", "interrupted",
//! "content"} | null}]}` and run
//! `cargo test --lib completion::tests::real -- --ignored --nocapture`.

use crate::completion::secrets::mask_secrets;
use crate::completion::verdict::{Outcome, Run, Verdict, judge};
use crate::completion::{Subject, claims};
use crate::transcript::turn::outcome_of;

#[derive(serde::Deserialize)]
struct Turn {
    id: String,
    text: String,
    runs: Vec<RawRun>,
}

#[derive(serde::Deserialize)]
struct RawRun {
    command: String,
    background: bool,
    result: Option<RawResult>,
}

#[derive(serde::Deserialize)]
struct RawResult {
    is_error: bool,
    interrupted: bool,
    content: String,
}

#[test]
#[ignore = "needs COMPLETION_REAL_TURNS, real turns kept out of the repository"]
#[allow(clippy::print_stdout)]
fn replay_real_turns() {
    // Run on purpose (`--ignored`), it measures or fails: never a silent pass.
    let path = std::env::var("COMPLETION_REAL_TURNS")
        .expect("set COMPLETION_REAL_TURNS to the data file (see the module docs)");
    let data = std::fs::read_to_string(&path).expect("COMPLETION_REAL_TURNS is readable");
    let (mut turns, mut with_claims, mut total) = (0, 0, 0);
    let mut verdicts = [0usize; 3];
    let mut by_key: std::collections::BTreeMap<String, [usize; 3]> = Default::default();
    let show = std::env::var("COMPLETION_REAL_SHOW").is_ok();
    for line in data.lines() {
        let turn: Turn = serde_json::from_str(line).expect("a turn");
        turns += 1;
        let found = claims(&turn.text);
        if found.is_empty() {
            continue;
        }
        with_claims += 1;
        let runs: Vec<Run> = turn
            .runs
            .iter()
            .map(|r| Run {
                command: &r.command,
                outcome: r.result.as_ref().map_or(Outcome::NoResult, |x| {
                    outcome_of(x.is_error, x.interrupted, &x.content)
                }),
                output: r.result.as_ref().map_or("", |x| x.content.as_str()),
                background: r.background,
            })
            .collect();
        for c in &found {
            total += 1;
            let j = judge(c, &runs);
            let slot = match j.verdict {
                Verdict::Supported => 0,
                Verdict::Refuted => 1,
                Verdict::Unverified => 2,
            };
            verdicts[slot] += 1;
            by_key.entry(super::key(&c.subject)).or_default()[slot] += 1;
            if show {
                println!(
                    "CLAIM {} {:?} «{}» -> {:?}",
                    turn.id, c.subject, c.phrase, j.verdict
                );
            }
            if j.verdict == Verdict::Refuted {
                let run = &runs[j.run.expect("a refutation names its run")];
                println!(
                    "REFUTED {} {} «{}»\n    command: {}\n    why: {}",
                    turn.id,
                    match &c.subject {
                        Subject::Action { verb } => format!("action {verb}"),
                        Subject::Check { kind, scope } => format!("{} {scope:?}", kind.name()),
                    },
                    c.phrase,
                    mask_secrets(run.command, 200),
                    j.why
                );
            }
        }
    }
    let texts: Vec<Turn> = data
        .lines()
        .map(|l| serde_json::from_str(l).expect("a turn"))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.text.len()).sum();
    let t = std::time::Instant::now();
    let n: usize = texts.iter().map(|t| claims(&t.text).len()).sum();
    let ours = t.elapsed();
    let t = std::time::Instant::now();
    let scanned: usize = texts
        .iter()
        .map(|t| crate::prose::scan::Scan::new(&t.text).tokens.len())
        .sum();
    println!("scanning alone: {:?} ({scanned} tokens)", t.elapsed());
    let t = std::time::Instant::now();
    let m = texts
        .iter()
        .filter(|t| crate::action_claim::classify(&t.text).is_some())
        .count();
    println!(
        "classifying {bytes} bytes: claims {ours:?} ({n}), action_claim::classify {:?} ({m})",
        t.elapsed()
    );
    println!(
        "{turns} turns, {with_claims} with claims ({total} claims): supported {}, refuted {}, unverified {}",
        verdicts[0], verdicts[1], verdicts[2]
    );
    for (k, v) in by_key {
        println!(
            "  {k:<18} supported {:>4} refuted {:>3} unverified {:>4}",
            v[0], v[1], v[2]
        );
    }
}
