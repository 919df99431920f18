//! `claims` then `judge`, end to end, for every runner we know: a pass, a failure, a failure
//! then a pass, a pass then a failure, a pipeline with and without the runner's summary, a
//! background run, a subset inside and outside the failure, and no run at all. Outputs are
//! the tools' real formats (from their documentation and runs), failures written as Claude
//! Code writes them ("Exit code N" first).

use crate::completion::claims;
use crate::completion::verdict::{Outcome, Run, Verdict, Why, judge};

use super::runner_outputs::RUNNERS;

pub(super) fn ok(command: &'static str, output: &'static str) -> Run<'static> {
    Run {
        command,
        outcome: Outcome::Succeeded,
        output,
        background: false,
    }
}

pub(super) fn failed(command: &'static str, code: i32, output: &'static str) -> Run<'static> {
    Run {
        command,
        outcome: Outcome::Failed {
            exit_code: Some(code),
        },
        output,
        background: false,
    }
}

#[track_caller]
pub(super) fn verdict(text: &str, runs: &[Run]) -> (Verdict, Why) {
    let found = claims(text);
    assert_eq!(found.len(), 1, "one claim in {text:?}: {found:?}");
    let j = judge(&found[0], runs);
    (j.verdict, j.why)
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn every_runner_pass_fail_and_order() {
    for r in RUNNERS {
        let pass = ok(r.command, r.pass);
        let fail = failed(r.command, r.code, r.fail);
        let name = r.command;
        assert_eq!(
            verdict(r.claim, std::slice::from_ref(&pass)).0,
            Verdict::Supported,
            "{name}: pass"
        );
        let (v, why) = verdict(r.claim, std::slice::from_ref(&fail));
        assert_eq!(v, Verdict::Refuted, "{name}: fail ({why:?})");
        assert!(
            matches!(why, Why::ExitStatus { code, .. } if code == r.code),
            "{name}: the exit status decides a lone runner: {why:?}"
        );
        assert_eq!(
            verdict(r.claim, &[fail.clone(), pass.clone()]).0,
            Verdict::Supported,
            "{name}: fail then pass"
        );
        assert_eq!(
            verdict(r.claim, &[pass.clone(), fail.clone()]).0,
            Verdict::Refuted,
            "{name}: pass then fail"
        );
        assert_eq!(
            verdict(r.claim, &[]).0,
            Verdict::Unverified,
            "{name}: no run"
        );
        let background = Run {
            background: true,
            ..fail.clone()
        };
        assert_eq!(
            verdict(r.claim, &[background]),
            (Verdict::Unverified, Why::Background),
            "{name}: background"
        );
        let interrupted = Run {
            outcome: Outcome::NoResult,
            ..fail.clone()
        };
        assert_eq!(
            verdict(r.claim, &[interrupted]),
            (Verdict::Unverified, Why::NoResult),
            "{name}: no result"
        );
    }
}

#[test]
fn every_runner_in_a_pipeline_is_judged_by_its_summary() {
    for r in RUNNERS {
        let piped = leak(format!("{} 2>&1 | tail -40", r.command));
        // `tail` succeeded, so the call did; only the runner's own words can tell.
        let (v, why) = verdict(r.claim, &[ok(piped, r.fail)]);
        if r.fail.trim().is_empty() {
            continue;
        }
        assert_eq!(v, Verdict::Refuted, "{piped}: failure summary ({why:?})");
        assert!(matches!(why, Why::Summary { .. }), "{piped}: {why:?}");
        // The summary cut off: nothing to go on.
        assert_eq!(
            verdict(r.claim, &[ok(piped, "")]),
            (Verdict::Unverified, Why::StatusNotTheRunners),
            "{piped}: no summary"
        );
        // `; echo` and `|| true` hide the status in the same way.
        for tail in ["; echo \"exit $?\"", " || true"] {
            let listed = leak(format!("{}{tail}", r.command));
            assert_eq!(
                verdict(r.claim, &[ok(listed, r.fail)]).0,
                Verdict::Refuted,
                "{listed}"
            );
            assert_eq!(
                verdict(r.claim, &[ok(listed, "")]).0,
                Verdict::Unverified,
                "{listed}"
            );
        }
    }
}

#[test]
fn every_test_runner_places_a_subset() {
    for r in RUNNERS.iter().filter(|r| r.names_tests) {
        let fail = failed(r.command, r.code, r.fail);
        let (v, why) = verdict("The parser tests pass.", std::slice::from_ref(&fail));
        assert_eq!(
            v,
            Verdict::Refuted,
            "{}: the failing test is a parser test ({why:?})",
            r.command
        );
        assert!(matches!(why, Why::FailureInSubset { .. }), "{why:?}");
        assert!(
            matches!(
                verdict("The config tests pass.", &[fail]).1,
                Why::SubsetUndecided { .. }
            ),
            "{}: the failure is not a config test",
            r.command
        );
        assert_eq!(
            verdict("The config tests pass.", &[ok(r.command, r.pass)]).0,
            Verdict::Supported,
            "{}: a whole passing run covers any subset",
            r.command
        );
    }
}

#[test]
fn a_run_narrowed_to_the_subset_decides_it() {
    let fail = failed(
        "cargo test auth",
        101,
        "test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n",
    );
    assert_eq!(
        verdict("The auth tests pass.", std::slice::from_ref(&fail)).0,
        Verdict::Refuted
    );
    assert_eq!(
        verdict("The parser tests pass.", std::slice::from_ref(&fail)).0,
        Verdict::Unverified
    );
    // A narrowed run that passes says nothing about another subset, or the whole.
    let pass = ok(
        "cargo test auth",
        "test result: ok. 4 passed; 0 failed; 0 ignored; 0 measured; 9 filtered out; finished in 0.01s\n",
    );
    assert_eq!(
        verdict("The auth tests pass.", std::slice::from_ref(&pass)).0,
        Verdict::Supported
    );
    assert!(matches!(
        verdict("The parser tests pass.", &[pass]).1,
        Why::SubsetUndecided { .. }
    ));
    // A suite kind the plain run may not include.
    let all = ok("npm test", "Tests:       42 passed, 42 total\n");
    assert_eq!(
        verdict("The e2e tests pass.", &[all]).0,
        Verdict::Unverified
    );
    let e2e = failed(
        "npm run test:e2e",
        1,
        "Tests:       1 failed, 9 passed, 10 total\n",
    );
    assert_eq!(verdict("The e2e tests pass.", &[e2e]).0, Verdict::Refuted);
}
