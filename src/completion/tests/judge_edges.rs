//! `judge` at the edges: lists and pipelines, commands that never started, failures without
//! an exit code, a status against a summary, another script's failure line, vet findings,
//! actions, reruns and merge conflicts.

use super::judge_cases::{failed, ok, verdict};
use crate::completion::claims;
use crate::completion::verdict::{Outcome, Run, Verdict, Why, judge};

#[test]
fn a_list_decides_by_the_runner_at_its_end() {
    let out = "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
    // `cd` before, `&& echo` after: the status is still the runner's.
    let (v, why) = verdict(
        "All tests pass.",
        &[failed("cd api && cargo test && echo done", 101, out)],
    );
    assert_eq!((v, &why), (Verdict::Refuted, &Why::ExitStatus { code: 101, summary: Some("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s".into()) }));
    // `cargo build && cargo test` failing with no summary: either could have failed.
    assert_eq!(
        verdict(
            "All tests pass.",
            &[failed("cargo build && cargo test", 101, "")]
        )
        .0,
        Verdict::Unverified
    );
    // … but its success means both ran and passed.
    assert_eq!(
        verdict("All tests pass.", &[ok("cargo build && cargo test", "")]).0,
        Verdict::Supported
    );
    // `cargo test && git push` failing: the push may be what failed.
    assert_eq!(
        verdict(
            "All tests pass.",
            &[failed("cargo test && git push", 1, "")]
        )
        .0,
        Verdict::Unverified
    );
}

#[test]
fn grep_in_a_pipeline_does_not_refute() {
    // `grep` exits 1 when nothing matched: here, no failures.
    let out = "Exit code 1\n";
    assert_eq!(
        verdict(
            "All tests pass.",
            &[failed("cargo test 2>&1 | grep FAILED", 1, out)]
        )
        .0,
        Verdict::Unverified
    );
}

#[test]
fn a_command_that_never_started_is_passed_over() {
    let missing = failed(
        "golangci-lint run ./...",
        127,
        "Exit code 127\n(eval):1: command not found: golangci-lint\n",
    );
    let no_task = failed(
        "mise run lint:full",
        1,
        "Exit code 1\nmise ERROR no task lint:full found\n",
    );
    let real = ok("mise exec -- golangci-lint run ./...", "0 issues.\n");
    assert_eq!(
        verdict(
            "golangci-lint reports 0 issues.",
            std::slice::from_ref(&missing)
        )
        .0,
        Verdict::Unverified
    );
    assert_eq!(
        verdict("golangci-lint reports 0 issues.", &[real.clone(), no_task]).0,
        Verdict::Supported
    );
    assert_eq!(
        verdict("golangci-lint reports 0 issues.", &[real, missing]).0,
        Verdict::Supported
    );
}

#[test]
fn a_failed_call_without_an_exit_code_is_not_a_refutation() {
    let denied = Run {
        command: "cargo test",
        outcome: Outcome::Failed { exit_code: None },
        output: "The user doesn't want to proceed with this tool use.",
        background: false,
    };
    assert_eq!(
        verdict("All tests pass.", &[denied]),
        (Verdict::Unverified, Why::NoExitCode)
    );
}

#[test]
fn an_exit_status_against_a_passing_summary_is_unverified() {
    // pytest with a coverage floor: every test passed, the command failed.
    let out = "Exit code 1\n88 passed in 2.31s\nFAIL Required test coverage of 90% not reached. Total coverage: 85.00%\n";
    let (v, why) = verdict(
        "All tests pass.",
        &[failed("pytest --cov --cov-fail-under=90", 1, out)],
    );
    assert_eq!(v, Verdict::Unverified);
    assert!(
        matches!(why, Why::StatusDisagrees { code: 1, .. }),
        "{why:?}"
    );
}

#[test]
fn a_failure_summary_refutes_even_when_the_command_succeeded() {
    // A test script that swallows its status (`jest || true` in package.json).
    let out = "Tests:       2 failed, 40 passed, 42 total\n";
    assert_eq!(
        verdict("All tests pass.", &[ok("npm test", out)]).0,
        Verdict::Refuted
    );
}

#[test]
fn another_scripts_failure_line_is_not_the_tests() {
    let out = " 42 pass\n 0 fail\nRan 42 tests across 4 files. [45.00ms]\nsrc/x.ts lint error\nerror: script \"lint\" exited with code 1\n";
    assert_eq!(
        verdict(
            "All tests pass.",
            &[failed("bun run test && bun run lint", 1, out)]
        )
        .0,
        Verdict::Supported
    );
}

#[test]
fn vet_findings_are_not_a_build_failure() {
    let out =
        "# github.com/acme/app/cache\ncache/map.go:282:13: possible misuse of unsafe.Pointer\n";
    assert_eq!(
        verdict(
            "The build succeeds.",
            &[ok("go vet ./... 2>&1 | tail -20", out)]
        )
        .0,
        Verdict::Unverified
    );
    assert_eq!(
        verdict("`go vet` is clean.", &[failed("go vet ./...", 1, out)]).0,
        Verdict::Refuted
    );
}

#[test]
fn a_test_run_shows_the_build_compiles() {
    let out = "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
    // The tests failed, but they compiled and ran: the build claim stands.
    assert_eq!(
        verdict("The build succeeds.", &[failed("cargo test", 101, out)]).0,
        Verdict::Supported
    );
    let compile = "error[E0425]: cannot find value `y` in this scope\nerror: could not compile `app` (lib test) due to 1 previous error\n";
    assert_eq!(
        verdict("It compiles.", &[failed("cargo test", 101, compile)]).0,
        Verdict::Refuted
    );
}

#[test]
fn actions_are_judged_by_the_commands_that_perform_them() {
    let rejected = "To github.com:acme/app.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs\n";
    let pushed = "To github.com:acme/app.git\n   1a2b3c4..5d6e7f8  main -> main\n";
    // The push ran last in an `&&` chain after a commit: its own lines decide.
    assert_eq!(
        verdict(
            "Committed and pushed.",
            &[failed(
                "git add -A && git commit -m fix && git push",
                1,
                rejected
            )]
        )
        .0,
        Verdict::Refuted
    );
    assert_eq!(
        verdict(
            "Committed and pushed.",
            &[failed(
                "git add -A && git commit -m fix && git push",
                1,
                "nothing to commit, working tree clean\n"
            )]
        )
        .0,
        Verdict::Unverified
    );
    assert_eq!(
        verdict("Pushed.", &[ok("git push 2>&1 | tail -3", pushed)]).0,
        Verdict::Supported
    );
    assert_eq!(
        verdict(
            "I've restarted the worker.",
            &[failed(
                "sudo systemctl restart worker",
                1,
                "Job for worker.service failed.\n"
            )]
        )
        .0,
        Verdict::Refuted
    );
    assert_eq!(
        verdict("Deployed.", &[ok("fly deploy --remote-only", "")]).0,
        Verdict::Supported
    );
    assert_eq!(
        verdict("Deployed.", &[ok("git push", pushed)]).0,
        Verdict::Unverified
    );
    // "fix" has no command: edits are its evidence.
    assert_eq!(
        verdict("Fixed the parser.", &[ok("cargo test", "")]).1,
        Why::NoCommandForVerb
    );
}

#[test]
fn rerunning_failing_tests_is_still_a_rerun() {
    let out = "test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n";
    let found = claims("Reran the suite.");
    assert_eq!(
        judge(&found[0], &[failed("cargo test", 101, out)]).verdict,
        Verdict::Supported
    );
}

#[test]
fn a_merge_stopped_on_conflicts_is_refuted_unless_the_turn_went_on_with_it() {
    let out = "Auto-merging src/state.go\nCONFLICT (content): Merge conflict in src/state.go\nAutomatic merge failed; fix conflicts and then commit the result.\n";
    let merge = failed("git merge origin/main", 1, out);
    let claim = "Merged main into the branch.";
    // Nothing after it, or an abort: the merge is not done.
    for later in [
        vec![],
        vec![ok("git status", ""), ok("git merge --abort", "")],
    ] {
        let runs: Vec<Run> = std::iter::once(merge.clone()).chain(later).collect();
        assert_eq!(verdict(claim, &runs).0, Verdict::Refuted, "{runs:?}");
    }
    // The turn went on (resolving by hand, a build, a commit): its status is not the last
    // word, whatever those calls' results were.
    for later in [
        ok("go build ./...", ""),
        ok("git add -A && git commit --no-edit", ""),
        failed(
            "git commit -am merge",
            1,
            "error: Committing is not possible because you have unmerged files.\n",
        ),
    ] {
        let runs = [merge.clone(), later];
        assert_eq!(verdict(claim, &runs), (Verdict::Unverified, Why::Conflicts));
    }
    // `git merge --continue` is the merge itself, finishing: it decides.
    let runs = [merge.clone(), ok("git merge --continue", "")];
    assert_eq!(verdict(claim, &runs).0, Verdict::Supported);
    let rebase = failed(
        "git rebase origin/main",
        1,
        "Auto-merging a.rs\nCONFLICT (content): Merge conflict in a.rs\nerror: could not apply 1a2b3c4... wip\nResolve all conflicts manually\n",
    );
    assert_eq!(verdict("Rebased onto main.", &[rebase]).0, Verdict::Refuted);
    assert_eq!(
        verdict(
            claim,
            &[failed(
                "git merge origin/main",
                128,
                "fatal: refusing to merge unrelated histories\n"
            )]
        )
        .0,
        Verdict::Refuted
    );
}

#[test]
fn two_runs_in_one_call_share_one_output() {
    // A full run, then a deliberate negative check that must fail.
    let out = "ok  \tgithub.com/acme/e2e\t15.7s\n--- negative check ---\n    smoke_test.go:40: shell zsh is required\nFAIL\nFAIL\tgithub.com/acme/e2e\t0.097s\nFAIL\n";
    let call = "go test ./... 2>&1 | tail -2 && echo '--- negative check ---'; REQUIRE=zsh go test -run TestSmoke/zsh . 2>&1 | tail -4";
    assert_eq!(
        verdict("The full suite is green.", &[ok(call, out)]),
        (Verdict::Unverified, Why::Ambiguous)
    );
}
