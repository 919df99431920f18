use super::*;
use crate::completion::CheckKind::{Build, Lint, Tests, Typecheck};

fn said(output: &str, families: Families, aspect: Aspect) -> (bool, bool) {
    let r = Reading::of(output, families);
    let s = r.said(aspect);
    (s.failed.is_some(), s.passed.is_some())
}

const TESTS: Aspect = Aspect::Check(Tests);
const FAILED: (bool, bool) = (true, false);
const PASSED: (bool, bool) = (false, true);
const NOTHING: (bool, bool) = (false, false);

#[test]
fn test_summaries_pass_and_fail() {
    for (family, line, want) in [
        (
            Families::CARGO,
            "test result: ok. 9 passed; 0 failed; 0 ignored",
            PASSED,
        ),
        (
            Families::CARGO,
            "test result: FAILED. 8 passed; 1 failed; 0 ignored",
            FAILED,
        ),
        (
            Families::CARGO,
            "error: could not compile `app` (lib test) due to 2 previous errors",
            FAILED,
        ),
        (
            Families::NEXTEST,
            "     Summary [   0.020s] 42 tests run: 42 passed, 0 skipped",
            PASSED,
        ),
        (
            Families::NEXTEST,
            "     Summary [   0.020s] 42 tests run: 40 passed, 2 failed, 0 skipped",
            FAILED,
        ),
        (
            Families::PYTEST,
            "============ 2 failed, 40 passed, 1 warning in 1.23s ============",
            FAILED,
        ),
        (Families::PYTEST, "42 passed, 3 skipped in 0.50s", PASSED),
        (Families::PYTEST, "1 error in 0.20s", FAILED),
        (Families::PYTEST, "no tests ran in 0.01s", NOTHING),
        (Families::GO, "ok  \tgithub.com/acme/app\t0.012s", PASSED),
        (Families::GO, "FAIL\tgithub.com/acme/app\t0.012s", FAILED),
        (
            Families::GO,
            "FAIL\tgithub.com/acme/app [build failed]",
            FAILED,
        ),
        (
            Families::JS,
            "Tests:       2 failed, 40 passed, 42 total",
            FAILED,
        ),
        (Families::JS, "Tests:       42 passed, 42 total", PASSED),
        (
            Families::JS,
            "Test Suites: 1 failed, 3 passed, 4 total",
            FAILED,
        ),
        (
            Families::JS,
            "      Tests  1 failed | 41 passed (42)",
            FAILED,
        ),
        (Families::JS, " Test Files  4 passed (4)", PASSED),
        (Families::JS, "  40 passing (2s)", PASSED),
        (Families::JS, "  2 failing", FAILED),
        (Families::JS, "# fail 2", FAILED),
        (Families::JS, "ℹ pass 42", PASSED),
        (Families::JS, " 2 fail", FAILED),
        (Families::DENO, "ok | 42 passed | 0 failed (100ms)", PASSED),
        (
            Families::DENO,
            "FAILED | 41 passed | 1 failed (120ms)",
            FAILED,
        ),
        (
            Families::MAVEN,
            "[ERROR] Tests run: 42, Failures: 1, Errors: 0, Skipped: 0",
            FAILED,
        ),
        (
            Families::MAVEN,
            "[INFO] Tests run: 42, Failures: 0, Errors: 0, Skipped: 2",
            PASSED,
        ),
        (Families::GRADLE, "42 tests completed, 2 failed", FAILED),
        (Families::GRADLE, "BUILD SUCCESSFUL in 5s", PASSED),
        (
            Families::DOTNET,
            "Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42",
            FAILED,
        ),
        (
            Families::DOTNET,
            "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42",
            PASSED,
        ),
        (
            Families::DOTNET,
            "Test summary: total: 42, failed: 2, succeeded: 40, skipped: 0",
            FAILED,
        ),
        (Families::RUBY, "42 examples, 2 failures", FAILED),
        (Families::RUBY, "42 examples, 0 failures, 1 pending", PASSED),
        (
            Families::RUBY,
            "42 runs, 100 assertions, 0 failures, 1 errors, 0 skips",
            FAILED,
        ),
        (Families::PHP, "OK (42 tests, 88 assertions)", PASSED),
        (Families::PHP, "FAILURES!", FAILED),
        (
            Families::PHP,
            "Tests:    2 failed, 40 passed (100 assertions)",
            FAILED,
        ),
        (
            Families::CTEST,
            "100% tests passed, 0 tests failed out of 42",
            PASSED,
        ),
        (
            Families::CTEST,
            "95% tests passed, 2 tests failed out of 42",
            FAILED,
        ),
    ] {
        assert_eq!(said(line, family, TESTS), want, "{line}");
    }
}

#[test]
fn other_families_lines_are_not_read() {
    // A pytest-shaped line in cargo's output, or a cargo line in go's, is not a summary.
    assert_eq!(
        said("2 failed, 40 passed in 1.23s", Families::CARGO, TESTS),
        NOTHING
    );
    assert_eq!(
        said(
            "test result: FAILED. 1 passed; 1 failed;",
            Families::GO,
            TESTS
        ),
        NOTHING
    );
    // A summary quoted inside a line (a test's own log) is not at the start of the line.
    assert_eq!(
        said("log: test result: FAILED. 1 failed", Families::CARGO, TESTS),
        NOTHING
    );
}

#[test]
fn tool_summaries() {
    let lint = Aspect::Check(Lint);
    let types = Aspect::Check(Typecheck);
    let build = Aspect::Check(Build);
    for (family, line, aspect, want) in [
        (
            Families::TSC,
            "src/a.ts(4,2): error TS2322: Type 'x' is not assignable",
            types,
            FAILED,
        ),
        (Families::TSC, "Found 3 errors in 2 files.", types, FAILED),
        (
            Families::ESLINT,
            "✖ 5 problems (3 errors, 2 warnings)",
            lint,
            FAILED,
        ),
        (
            Families::ESLINT,
            "✖ 2 problems (0 errors, 2 warnings)",
            lint,
            NOTHING,
        ),
        (Families::RUFF, "All checks passed!", lint, PASSED),
        (Families::RUFF, "Found 3 errors.", lint, FAILED),
        (
            Families::RUFF,
            "Found 2 errors (2 fixed, 0 remaining).",
            lint,
            PASSED,
        ),
        (
            Families::RUFF,
            "2 files would be reformatted, 10 files already formatted",
            lint,
            FAILED,
        ),
        (
            Families::MYPY,
            "Success: no issues found in 12 source files",
            types,
            PASSED,
        ),
        (
            Families::MYPY,
            "Found 2 errors in 1 file (checked 12 source files)",
            types,
            FAILED,
        ),
        (
            Families::PYRIGHT,
            "0 errors, 0 warnings, 0 informations",
            types,
            PASSED,
        ),
        (
            Families::PYRIGHT,
            "3 errors, 1 warning, 0 informations",
            types,
            FAILED,
        ),
        (Families::GOLANGCI, "0 issues.", lint, PASSED),
        (Families::GOLANGCI, "3 issues:", lint, FAILED),
        (
            Families::RUBOCOP,
            "42 files inspected, no offenses detected",
            lint,
            PASSED,
        ),
        (
            Families::RUBOCOP,
            "42 files inspected, 3 offenses detected",
            lint,
            FAILED,
        ),
        (
            Families::LINTERS,
            "All matched files use Prettier code style!",
            lint,
            PASSED,
        ),
        (
            Families::LINTERS,
            "[warn] Code style issues found in 2 files. Run Prettier with --write to fix.",
            lint,
            FAILED,
        ),
        (
            Families::RUSTFMT,
            "Diff in /p/src/lib.rs at line 3:",
            lint,
            FAILED,
        ),
        (
            Families::CARGO,
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.50s",
            build,
            PASSED,
        ),
        (
            Families::CARGO,
            "error[E0425]: cannot find value `y` in this scope",
            build,
            FAILED,
        ),
        (Families::JS_BUILD, "✓ built in 1.20s", build, PASSED),
        (Families::JS_BUILD, "error during build:", build, FAILED),
        (Families::JS_BUILD, "Failed to compile.", build, FAILED),
        (Families::DOTNET, "Build succeeded.", build, PASSED),
        (Families::DOTNET, "Build FAILED.", build, FAILED),
        (
            Families::GRADLE,
            "> Task :compileKotlin FAILED",
            build,
            FAILED,
        ),
        (
            Families::PUSH,
            " ! [rejected]        main -> main (fetch first)",
            Aspect::Push,
            FAILED,
        ),
        (
            Families::PUSH,
            "   1a2b3c4..5d6e7f8  main -> main",
            Aspect::Push,
            PASSED,
        ),
        (
            Families::PUSH,
            " * [new branch]      fix -> fix",
            Aspect::Push,
            PASSED,
        ),
        (
            Families::PUSH,
            "Everything up-to-date",
            Aspect::Push,
            PASSED,
        ),
    ] {
        assert_eq!(said(line, family, aspect), want, "{line}");
    }
}

#[test]
fn clippy_warnings_are_not_a_clean_pass() {
    let out = "warning: unused variable: `x`\nwarning: `app` (lib) generated 1 warning\n    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.5s\n";
    let r = Reading::of(out, Families::CARGO);
    assert_eq!(r.said(Aspect::Check(Lint)).passed, None);
    assert!(r.said(Aspect::Check(Lint)).warned);
    assert!(r.said(Aspect::Check(Build)).passed.is_some());
}

#[test]
fn diagnostics_are_kept_apart_from_failures() {
    let r = Reading::of("./main.go:12:2: undefined: y\n", Families::GO);
    let build = r.said(Aspect::Check(Build));
    assert!(build.failed.is_none() && build.diagnostic.is_some());
    // Indented, it is a test's log line, not a diagnostic.
    let r = Reading::of("    parser_test.go:42: got 1, want 2\n", Families::GO);
    assert!(r.said(Aspect::Check(Build)).diagnostic.is_none());
}

#[test]
fn failing_names_colour_codes_and_progress_bars() {
    let out = "\u{1b}[31mtest parser::empty ... FAILED\u{1b}[0m\nrunning\r\rtest result: FAILED. 1 passed; 1 failed;\n--- FAIL: TestLexer (0.00s)\n";
    let r = Reading::of(out, Families::CARGO.or(Families::GO));
    let names: Vec<&str> = r.failing().collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].contains("parser::empty"));
    assert_eq!(names[1], "TestLexer");
    assert!(
        r.said(TESTS).failed.is_some(),
        "after the last carriage return"
    );
}

#[test]
fn task_runners_own_failure_lines() {
    for line in [
        "npm ERR! Test failed.  See above for more details.",
        "npm error code ELIFECYCLE",
        " ELIFECYCLE  Test failed. See above for more details.",
        "error Command failed with exit code 1.",
        "make: *** [Makefile:12: test] Error 1",
        "make[1]: *** [test] Error 2",
        "error: Recipe `test` failed on line 5 with exit code 1",
        "error: script \"test\" exited with code 1",
    ] {
        assert!(
            Reading::of(line, Families::TASKS).task_failed().is_some(),
            "{line}"
        );
    }
    assert!(
        Reading::of("make: Nothing to be done for 'all'.", Families::TASKS)
            .task_failed()
            .is_none()
    );
}

#[test]
fn counting_helpers() {
    assert_eq!(
        counts("2 failed, 40 passed, 42 total").collect::<Vec<_>>(),
        [(2, "failed"), (40, "passed"), (42, "total")]
    );
    assert_eq!(
        count_of("Tests:  1 failed | 41 passed (42)", "passed"),
        Some(41)
    );
    assert_eq!(
        labelled("Tests run: 42, Failures: 2, Errors: 0", "Failures"),
        Some(2)
    );
    assert_eq!(
        find_ignore_case("tests/Test_Parser.py", "test_parser"),
        Some(6)
    );
    assert_eq!(find_ignore_case("x", "longer"), None);
}
