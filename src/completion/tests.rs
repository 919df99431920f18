//! The classifier's behaviour by category, and its precision and recall on the labelled dev
//! set (`tests/data/completion_claims.jsonl`).

use super::*;

mod devset;
mod gate;
mod judge_cases;
mod judge_edges;
mod proptests;
mod real;
mod runner_outputs;
mod shapes;

/// Each claim as a short key: "action:push", "tests:all", "lint:subset".
pub(super) fn keys(text: &str) -> Vec<String> {
    claims(text).into_iter().map(|c| key(&c.subject)).collect()
}

pub(super) fn key(subject: &Subject) -> String {
    match subject {
        Subject::Action { verb } => format!("action:{verb}"),
        Subject::Check { kind, scope } => format!(
            "{}:{}",
            kind.name(),
            match scope {
                Scope::All => "all",
                Scope::Subset { .. } => "subset",
            }
        ),
    }
}

#[track_caller]
fn assert_keys(text: &str, want: &[&str]) {
    assert_eq!(keys(text), want, "{text:?}");
}

#[test]
fn checks_in_their_common_shapes() {
    for (text, want) in [
        ("All 214 tests pass.", &["tests:all"][..]),
        ("Tests: all pass", &["tests:all"]),
        ("The test suite is green.", &["tests:all"]),
        ("`cargo test` passes.", &["tests:all"]),
        ("cargo test passes", &["tests:all"]),
        ("Ran `go test ./...`: all green.", &["tests:all"]),
        ("Test suite: 128 passed, 0 failed.", &["tests:all"]),
        ("42/42 tests passing ✅", &["tests:all"]),
        (
            "The build succeeds and clippy is clean.",
            &["build:all", "lint:all"],
        ),
        ("Build: green.", &["build:all"]),
        ("It compiles.", &["build:all"]),
        (
            "Everything builds cleanly and all tests pass.",
            &["build:all", "tests:all"],
        ),
        ("`npm run typecheck` passes.", &["typecheck:all"]),
        ("No type errors.", &["typecheck:all"]),
        ("No clippy warnings.", &["lint:all"]),
        ("clippy's happy.", &["lint:all"]),
        ("- **Lint**: Clean (0 issues)", &["lint:all"]),
        ("Tests and lint pass", &["tests:all", "lint:all"]),
        (
            "The change passes all tests and linting.",
            &["tests:all", "lint:all"],
        ),
        ("✅ Tests\n✅ Lint\n❌ Build", &["tests:all", "lint:all"]),
        ("Ran the tests again; all passing.", &["tests:all"]),
    ] {
        assert_keys(&text.replace("\\n", "\n"), want);
    }
}

#[test]
fn subsets_are_named_by_their_narrowing_words() {
    for (text, what) in [
        ("The new parser tests pass.", "new parser"),
        (
            "All integration tests in `tests/api/` are passing.",
            "integration `tests/api/`",
        ),
        ("`test_parse_empty` now passes.", "test_parse_empty"),
        ("TestHandleTimeout passes.", "TestHandleTimeout"),
        ("`cargo test -p store` passes.", "cargo test -p store"),
        ("The test passes.", "test"),
    ] {
        let found = claims(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(
            found[0].subject,
            Subject::Check {
                kind: CheckKind::Tests,
                scope: Scope::Subset { what: what.into() }
            },
            "{text:?}"
        );
    }
    assert_keys("Every test passes.", &["tests:all"]);
}

#[test]
fn actions_reported_done() {
    for (text, verb) in [
        ("Pushed the fix to main.", "push"),
        ("I've restarted the worker.", "restart"),
        ("Deployed.", "deploy"),
        ("Done — merged.", "merge"),
        ("Changes pushed to origin/main.", "push"),
        ("The fix has been pushed.", "push"),
        ("It's deployed.", "deploy"),
        ("Committed and pushed.", "push"),
        ("I updated the config and restarted nginx.", "restart"),
        ("Rolled back the migration.", "roll back"),
        ("I've rerun the suite.", "rerun"),
        ("Have redeployed the worker.", "redeploy"),
        ("tests green, lint clean, pushed", "push"),
    ] {
        assert!(
            keys(text).contains(&format!("action:{verb}")),
            "{text:?}: {:?}",
            keys(text)
        );
    }
}

#[test]
fn plans_hedges_questions_and_conditions_are_not_claims() {
    for text in [
        "I'll run the tests and push once they pass.",
        "Let me verify the build succeeds.",
        "Next steps:\n- All tests pass\n- Deploy to prod",
        "- [ ] Tests pass",
        "Tests should pass now.",
        "I think the build is green.",
        "All tests pass, I think.",
        "Do all tests pass?",
        "If the tests pass, I'll merge.",
        "Tests pass only if you run them serially.",
        "Once CI is green, merge it.",
        "Make sure lint is clean before committing.",
        "Run `npm test` to confirm it passes.",
        "I'm pushing the fix now.",
    ] {
        assert_keys(&text.replace("\\n", "\n"), &[]);
    }
}

#[test]
fn relayed_quoted_and_coded_reports_are_not_claims() {
    for text in [
        "CI says all tests pass.",
        "GitHub Actions shows the build as green.",
        "Tests pass in CI but not locally.",
        "According to the log, lint passed.",
        "You said the build was green.",
        "The bot merged the PR overnight.",
        "\"All tests pass\" is what the PR says.",
        "> All tests pass\n\nfrom the description.",
        "```\nAll tests pass\nDeployed\n```",
        "| Tests | ✅ |\n|---|---|",
        "## All tests pass",
    ] {
        assert_keys(&text.replace("\\n", "\n"), &[]);
    }
}

#[test]
fn failures_and_partial_reports_are_not_claims() {
    for text in [
        "9 of 11 tests pass; 2 still fail.",
        "All but one test pass.",
        "All tests pass except the flaky one.",
        "Most tests pass.",
        "9/11 tests passing.",
        "Tests: 40 passed, 2 failed.",
        "The build is broken.",
        "Lint is not clean yet.",
        "It doesn't compile.",
        "Pushed, but the push was rejected.",
        "I haven't pushed yet.",
        "Nothing was deployed.",
        "❌ Tests pass",
    ] {
        assert_keys(text, &[]);
    }
}

#[test]
fn a_failure_reported_elsewhere_takes_back_the_whole_check() {
    assert_keys(
        "All tests pass. The 2 failures in auth are pre-existing.",
        &[],
    );
    // … but not a subset, a failure told as the story of the turn, or one now passing.
    assert_keys(
        "The new tests pass. Two old tests still fail.",
        &["tests:subset"],
    );
    assert_keys(
        "The build failed on a missing import; I fixed it and now it compiles.",
        &["action:fix", "build:all"],
    );
    assert_keys(
        "The new test fails on the old code and passes with the fix. The full suite is green.",
        &["tests:all"],
    );
}

#[test]
fn descriptions_idioms_and_other_people_are_not_claims() {
    for text in [
        "The test passes a nil context.",
        "Merged branches are deleted nightly.",
        "The deploy script pushes the image and restarts the service.",
        "The frontend is deployed on Vercel via the GitHub integration.",
        "Pushing to main requires a review.",
        "I'd push back on that.",
        "This builds on the caching layer.",
        "You pushed a fix yesterday.",
        "The PR was merged by Alice.",
        "A fixed timeout of 30 seconds applies.",
        "Previously all tests passed, but now 3 fail.",
        "On main, the tests pass.",
    ] {
        assert_keys(text, &[]);
    }
}

#[test]
fn generalisations_are_not_claims_but_a_report_beside_a_habit_is() {
    for text in [
        "When the cache is warm the build usually succeeds in under a minute.",
        "On a laptop the suite typically passes; on the shared runners it times out.",
        "The lint step normally comes back clean on small diffs.",
        "It sometimes compiles on the first try, depending on the feature flags.",
    ] {
        assert_keys(text, &[]);
    }
    assert_keys("The build succeeds now.", &["build:all"]);
    assert_keys(
        "The suite passes, and CI usually takes ten minutes.",
        &["tests:all"],
    );
}

#[test]
fn the_phrase_is_the_text_at_the_span_and_bounded() {
    let text = "Summary.\n\n- All 42 tests pass (unit + integration)\n- Pushed to `main`";
    let found = claims(text);
    assert_eq!(
        found.iter().map(|c| c.phrase.as_str()).collect::<Vec<_>>(),
        ["All 42 tests pass", "Pushed to `main`"]
    );
    for c in &found {
        assert_eq!(&text[c.span.clone()], c.phrase);
    }
    let long = format!(
        "Pushed {} to main.",
        "the very long branch name ".repeat(20)
    );
    let c = &claims(&long)[0];
    assert!(c.phrase.len() <= PHRASE_MAX);
    assert_eq!(&long[c.span.clone()], c.phrase);
}

#[test]
fn one_claim_per_subject_and_a_bounded_count() {
    assert_keys(
        "All tests pass. Tests pass. All 42 tests pass.",
        &["tests:all"],
    );
    let many: String = (0..200)
        .map(|i| format!("`test_case_{i}` passes. "))
        .collect();
    assert_eq!(claims(&many).len(), CLAIMS_MAX);
}

#[test]
fn a_huge_message_is_linear() {
    let unit = "tests pass, lint and build and `cargo test` are green; pushed, and merged ";
    let big = unit.repeat((1 << 20) / unit.len());
    let t = std::time::Instant::now();
    let _ = claims(&big);
    let adversarial = "all all all of of the tests tests ( ( , , and and ".repeat(1 << 14);
    let _ = claims(&adversarial);
    // Generous: a quadratic pass over 1 MiB would take minutes.
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn what_is_not_a_failure_report() {
    // Words about code, a kind of test, a question heading: not tests failing.
    assert_keys(
        "All tests pass.\n\n- Logs errors with error messages on failure",
        &["tests:all"],
    );
    assert_keys("All tests pass.\n\nRegression test added.", &["tests:all"]);
    assert_keys(
        "All tests pass.\n\n**Why it doesn't fail locally:**",
        &["tests:all"],
    );
    // A count or a standing failure is.
    assert_keys(
        "All tests pass.\n\n2 failures remain in the legacy suite.",
        &[],
    );
    assert_keys("All tests pass.\n\nOne test is still failing.", &[]);
}

#[test]
fn lists_of_checks_with_tools_we_do_not_know() {
    assert_keys(
        "`go vet`, `modernize`, `golangci-lint` — all clean.",
        &["lint:all"],
    );
    assert_keys(
        "Full suite, vet, markdownlint: all green.",
        &["tests:all", "lint:all"],
    );
    assert_keys("All 20 sharing workflow tests pass.", &["tests:subset"]);
    assert_keys("CI tests pass.", &[]);
}
