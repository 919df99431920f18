//! Claim shapes the blind set showed missing, each a rule tested on both sides with sentences
//! of our own: actions coordinated under "I've", a check command in prose before its
//! predicate, clean counts, a check that ran clean, a semicolon that ends a report, and
//! evidence after a colon.

use super::assert_keys;
use super::keys;

#[test]
fn every_action_coordinated_under_i_ve_or_we_ve_is_reported_done() {
    for (text, want) in [
        (
            "I've fixed the typo and pushed.",
            &["action:fix", "action:push"][..],
        ),
        (
            "We've merged the PR, then deployed.",
            &["action:deploy", "action:merge"],
        ),
        (
            "I've rebuilt the image, redeployed it and restarted the worker.",
            &["action:rebuild", "action:redeploy", "action:restart"],
        ),
        // Another subject, a condition or a plan in the second conjunct: only the first.
        ("I've fixed the typo and you pushed it.", &["action:fix"]),
        (
            "I've fixed the typo and will push after lunch.",
            &["action:fix"],
        ),
        (
            "I've fixed the typo and haven't pushed yet.",
            &["action:fix"],
        ),
        ("If I've fixed the typo and pushed, CI will run.", &[]),
    ] {
        let mut got = keys(text);
        got.sort();
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn a_check_command_written_in_prose_ends_where_its_predicate_begins() {
    // gradle takes every word after it as a task, "passes" too, unless the predicate ends it.
    for (text, want) in [
        ("The Gradle build passes.", &["build:all"][..]),
        ("gradle test succeeds now.", &["tests:all"]),
        ("The gradle build fails on the new module.", &[]),
        ("The Gradle build passes on CI.", &[]),
    ] {
        assert_keys(text, want);
    }
}

#[test]
fn clean_counts_with_more_a_failing_noun_or_the_check_named_after() {
    for (text, want) in [
        ("No more type errors.", &["typecheck:all"][..]),
        ("Zero failing specs now.", &["tests:all"]),
        ("No failures across the full test suite.", &["tests:all"]),
        ("0 warnings from eslint.", &["lint:all"]),
        ("No errors in the release build.", &["build:all"]),
        // A comparison, a narrowed check, a question, someone else's run, the past: nothing.
        ("No more than two eslint warnings remain.", &[]),
        ("No failures in the new cache tests.", &[]),
        ("No failing tests on your side?", &[]),
        ("No failing specs in CI.", &[]),
        ("There were no failing tests before the refactor.", &[]),
        ("No errors in the server logs.", &[]),
    ] {
        assert_keys(text, want);
    }
}

#[test]
fn a_check_that_ran_clean_is_a_claim_and_theirs_or_a_partial_one_is_not() {
    for (text, want) in [
        ("`just build` finishes without errors.", &["build:all"][..]),
        ("The test suite ran successfully.", &["tests:all"]),
        ("The specs run with no failures now.", &["tests:all"]),
        ("`npm test` exited 0.", &["tests:all"]),
        ("The build completes, but with 2 warnings.", &[]),
        ("The build finishes without errors only in debug.", &[]),
        ("Does the build finish without errors?", &[]),
        ("The build used to finish without errors.", &[]),
        ("CI's build finishes without errors.", &[]),
        ("The reviewer's tests are green.", &[]),
    ] {
        assert_keys(text, want);
    }
}

#[test]
fn a_semicolon_ends_a_reported_action_as_a_full_stop_does() {
    for (text, want) in [
        ("Merged; the branch is deleted.", &["action:merge"][..]),
        ("Rebased onto main; no conflicts.", &["action:rebase"]),
        // A bare label line stays a label.
        ("Deployed\nStaging: pending", &[]),
        ("Deployed?", &[]),
    ] {
        assert_keys(text, want);
    }
}

#[test]
fn evidence_after_a_colon_does_not_take_a_check_claim_back() {
    for (text, want) in [
        (
            "pyright passes: `0 errors, 0 warnings`.",
            &["typecheck:all"][..],
        ),
        ("The suite passes: `42 passed in 3.1s`.", &["tests:all"]),
        // Code right after the predicate is its object, not evidence.
        ("The wrapper passes `--release` to cargo.", &[]),
        ("The build passes `-Dwarnings` through.", &[]),
    ] {
        assert_keys(text, want);
    }
}
