//! The summary formats, one family per block, as the tools print them (checked against their
//! documentation and real output). Every match is anchored at the start of the (trimmed)
//! line and needs the format's exact shape: a summary is evidence, so guessing is worse than
//! missing it.

use std::ops::Range;

use super::{Aspect, Families as F, Reading, count_of, counts, labelled};
use crate::completion::CheckKind::{Build, Lint, Tests, Typecheck};

const TESTS: Aspect = Aspect::Check(Tests);
const BUILD: Aspect = Aspect::Check(Build);
const LINT: Aspect = Aspect::Check(Lint);
const TYPES: Aspect = Aspect::Check(Typecheck);

/// What a format needs to remember between lines.
#[derive(Default)]
pub(super) struct State {
    /// Python's unittest printed "Ran N tests": a lone "OK" after it is its verdict.
    unittest_ran: bool,
}

pub(super) fn line(r: &mut Reading, st: &mut State, f: F, text: &str, line: Range<usize>) {
    let t = text.trim();
    if t.is_empty() {
        return;
    }
    let l = &line;
    if f.has(F::CARGO) {
        cargo(r, t, l);
    }
    if f.has(F::NEXTEST) {
        if t.starts_with("Summary [") && t.contains(" run: ") {
            if count_of(t, "failed").unwrap_or(0) + count_of(t, "out").unwrap_or(0) > 0 {
                r.fail(TESTS, l);
            } else if count_of(t, "passed").is_some() {
                r.pass(TESTS, l);
            }
        } else if let Some(rest) = t.strip_prefix("FAIL [") {
            let name = rest.split_once(']').map_or("", |(_, n)| n.trim());
            r.failing_name(t, name, l);
            r.fail(TESTS, l);
        } else if t.starts_with("error: test run failed") {
            r.fail(TESTS, l);
        }
    }
    if f.has(F::GO) {
        go(r, text, t, l);
    }
    if f.has(F::PYTEST) {
        pytest(r, t, l);
    }
    if f.has(F::UNITTEST) {
        if t.starts_with("Ran ") && t.contains(" test") {
            st.unittest_ran = true;
        } else if st.unittest_ran && (t == "OK" || t.starts_with("OK (")) {
            r.pass(TESTS, l);
        } else if t.starts_with("FAILED (") {
            r.fail(TESTS, l);
        } else if let Some(name) = t
            .strip_prefix("FAIL: ")
            .or_else(|| t.strip_prefix("ERROR: "))
        {
            r.failing_name(t, name, l);
        }
    }
    if f.has(F::JS) {
        js(r, t, l);
    }
    if f.has(F::DENO) {
        if t.starts_with("ok |") && count_of(t, "failed") == Some(0) {
            r.pass(TESTS, l);
        } else if t.starts_with("FAILED |") {
            r.fail(TESTS, l);
        } else if let Some((name, _)) = t.split_once(" ... FAILED") {
            r.failing_name(t, name, l);
        }
    }
    if f.has(F::MAVEN) {
        maven(r, t, l);
    }
    if f.has(F::GRADLE) {
        gradle(r, t, l);
    }
    if f.has(F::DOTNET) {
        dotnet(r, t, l);
    }
    if f.has(F::RUBY) {
        if t.contains(" examples, ") && count_of(t, "examples").is_some() {
            tally(
                r,
                TESTS,
                count_of(t, "failures").or(count_of(t, "failure")),
                l,
            );
        } else if t.contains(" runs, ") && t.contains(" assertions, ") {
            let bad = count_of(t, "failures").unwrap_or(0) + count_of(t, "errors").unwrap_or(0);
            tally(r, TESTS, Some(bad), l);
        } else if let Some(name) = t.strip_prefix("rspec ") {
            r.failing_name(t, name, l);
        }
    }
    if f.has(F::PHP) {
        if t.starts_with("OK (") && t.contains(" test") {
            r.pass(TESTS, l);
        } else if t == "FAILURES!"
            || t == "ERRORS!"
            || (t.starts_with("Tests:") && (t.contains("Failures:") || t.contains("Errors:")))
        {
            r.fail(TESTS, l);
        } else if t.starts_with("Tests:") && t.contains("passed") {
            tally(r, TESTS, count_of(t, "failed"), l);
        } else if let Some(name) = numbered(t).filter(|n| n.contains("::")) {
            r.failing_name(t, name, l);
        }
    }
    if f.has(F::CTEST) {
        if t.contains("% tests passed, ") && t.contains(" tests failed out of ") {
            tally(r, TESTS, failed_out_of(t), l);
        } else if let Some(name) = t
            .strip_suffix("(Failed)")
            .and_then(|n| n.split_once(" - "))
            .map(|(_, n)| n.trim())
        {
            r.failing_name(t, name, l);
        }
    }
    if f.has(F::TSC) {
        let diagnostic =
            t.contains(": error TS") || t.contains(" - error TS") || t.starts_with("error TS");
        let found = t.starts_with("Found ")
            && t.contains(" error")
            && count_of(t, "error").or(count_of(t, "errors")).unwrap_or(0) > 0;
        if diagnostic || found {
            r.fail(TYPES, l);
            r.fail(BUILD, l);
        }
    }
    if f.has(F::ESLINT) && (t.starts_with('✖') || t.starts_with('✕')) && t.contains(" problem")
    {
        if count_of(t, "errors").or(count_of(t, "error")).unwrap_or(1) > 0 {
            r.fail(LINT, l);
        } else {
            r.warn(LINT);
        }
    }
    if f.has(F::RUFF) {
        ruff(r, t, l);
    }
    if f.has(F::MYPY) {
        if t.starts_with("Success: no issues found") {
            r.pass(TYPES, l);
        } else if t.starts_with("Found ") && t.contains(" error") && t.contains(" in ") {
            r.fail(TYPES, l);
        }
    }
    if f.has(F::PYRIGHT) && t.starts_with(|c: char| c.is_ascii_digit()) && t.contains(" error") {
        let errors = count_of(t, "errors").or(count_of(t, "error"));
        if t.contains(" warning") {
            tally(r, TYPES, errors, l);
        }
    }
    if f.has(F::GOLANGCI)
        && (t.ends_with(" issues.") || t.ends_with(" issues:") || t.ends_with(" issue:"))
        && t.starts_with(|c: char| c.is_ascii_digit())
    {
        tally(r, LINT, count_of(t, "issues").or(count_of(t, "issue")), l);
    }
    if f.has(F::RUBOCOP) && t.contains(" inspected, ") {
        if t.ends_with("no offenses detected") {
            r.pass(LINT, l);
        } else if count_of(t, "offenses")
            .or(count_of(t, "offense"))
            .unwrap_or(0)
            > 0
        {
            r.fail(LINT, l);
        }
    }
    if f.has(F::LINTERS) {
        linters(r, t, l);
    }
    if f.has(F::RUSTFMT) && t.starts_with("Diff in ") {
        r.fail(LINT, l);
    }
    if f.has(F::JS_BUILD) {
        js_build(r, t, l);
    }
    if f.has(F::MAKE) {
        if t.starts_with("ninja: build stopped") || t.starts_with("FAILED: ") {
            r.fail(BUILD, l);
        } else if c_error(t) {
            r.diagnose(BUILD, l);
        }
    }
    if f.has(F::TASKS) && task_failure(t) {
        r.task_failure(l);
    }
    if f.has(F::PUSH) {
        push(r, t, l);
    }
}

/// A count of failures decides: 0 is a pass, more is a failure, none is nothing.
fn tally(r: &mut Reading, aspect: Aspect, failures: Option<u64>, l: &Range<usize>) {
    match failures {
        Some(0) => r.pass(aspect, l),
        Some(_) => r.fail(aspect, l),
        None => {}
    }
}

fn cargo(r: &mut Reading, t: &str, l: &Range<usize>) {
    if let Some(rest) = t.strip_prefix("test result: ") {
        let failed = count_of(rest, "failed").unwrap_or(0);
        if rest.starts_with("ok.") && failed == 0 {
            r.pass(TESTS, l);
        } else {
            r.fail(TESTS, l);
        }
        // It ran, so it compiled.
        r.pass(BUILD, l);
        r.pass(TYPES, l);
    } else if t.starts_with("error: could not compile")
        || t.starts_with("error[E")
        || t.starts_with("error: aborting due to")
    {
        for a in [TESTS, BUILD, LINT, TYPES] {
            r.fail(a, l);
        }
    } else if t.starts_with("error: test failed")
        || (t.starts_with("error: ") && t.contains(" target") && t.contains(" failed"))
    {
        r.fail(TESTS, l);
    } else if let Some(name) = t
        .strip_prefix("test ")
        .and_then(|n| n.strip_suffix(" ... FAILED"))
    {
        r.failing_name(t, name, l);
    } else if let Some(name) = t
        .strip_prefix("---- ")
        .and_then(|n| n.strip_suffix(" stdout ----"))
    {
        r.failing_name(t, name, l);
    } else if t.starts_with("Finished ") && t.contains(" target(s) in ") {
        r.pass(BUILD, l);
        r.pass(TYPES, l);
        if !r.said(LINT).warned {
            r.pass(LINT, l);
        }
    } else if t.starts_with("warning: ") && t.contains(" generated ") && t.contains(" warning") {
        r.warn(LINT);
        r.said[LINT.index()].passed = None;
    }
}

fn go(r: &mut Reading, text: &str, t: &str, l: &Range<usize>) {
    let mut fields = t.split_whitespace();
    let first = fields.next().unwrap_or("");
    let second = fields.next().unwrap_or("");
    let third = fields.next().unwrap_or("");
    let timing =
        |w: &str| w == "(cached)" || (w.ends_with('s') && w[..w.len() - 1].parse::<f64>().is_ok());
    if first == "ok" && !second.is_empty() && (timing(third) || third == "[no") {
        r.pass(TESTS, l);
        r.pass(BUILD, l);
    } else if t == "PASS" {
        r.pass(TESTS, l);
    } else if let Some(rest) = t.strip_prefix("--- FAIL: ") {
        r.failing_name(t, rest.split_whitespace().next().unwrap_or(""), l);
        r.fail(TESTS, l);
    } else if first == "FAIL" {
        r.fail(TESTS, l);
        if !second.is_empty() {
            r.failing_name(t, second, l);
        }
        if t.contains("[build failed]") || t.contains("[setup failed]") {
            r.fail(BUILD, l);
            r.fail(LINT, l);
        } else if !second.is_empty() {
            r.pass(BUILD, l);
        }
    } else if !text.starts_with([' ', '\t']) && go_diagnostic(t) {
        // "./parser.go:12:5: undefined: x" — a compile error, or a vet finding.
        r.diagnose(BUILD, l);
        r.diagnose(LINT, l);
        r.diagnose(TYPES, l);
    }
}

/// `path.go:LINE:COL: message`
fn go_diagnostic(t: &str) -> bool {
    let Some(at) = t.find(".go:") else {
        return false;
    };
    let rest = &t[at + 4..];
    let mut parts = rest.splitn(3, ':');
    let line_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let col_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    line_ok && col_ok && parts.next().is_some_and(|m| m.starts_with(' ')) && !t[..at].contains(' ')
}

fn pytest(r: &mut Reading, t: &str, l: &Range<usize>) {
    // "===== 2 failed, 40 passed, 1 warning in 1.23s =====" (or bare with -q).
    let core = t.trim_matches(|c| c == '=' || c == ' ');
    let timed = core.rsplit_once(" in ").is_some_and(|(_, d)| {
        d.split_whitespace()
            .next()
            .is_some_and(|d| d.ends_with('s') && d[..d.len() - 1].parse::<f64>().is_ok())
    });
    if timed && core.starts_with(|c: char| c.is_ascii_digit()) {
        let mut failed = 0;
        let mut passed = 0;
        let mut known = true;
        for (n, w) in counts(core.rsplit_once(" in ").map_or(core, |(c, _)| c)) {
            match w {
                "failed" | "error" | "errors" => failed += n,
                "passed" => passed += n,
                "skipped" | "xfailed" | "xpassed" | "warning" | "warnings" | "deselected"
                | "rerun" | "subtests" => {}
                _ => known = false,
            }
        }
        if known && failed > 0 {
            r.fail(TESTS, l);
        } else if known && passed > 0 {
            r.pass(TESTS, l);
        }
    } else if let Some(rest) = t
        .strip_prefix("FAILED ")
        .or_else(|| t.strip_prefix("ERROR "))
    {
        r.failing_name(t, rest.split(" - ").next().unwrap_or(rest).trim(), l);
    }
}

fn js(r: &mut Reading, t: &str, l: &Range<usize>) {
    let count_line = |prefix: &str| t.strip_prefix(prefix).map(str::trim_start);
    if let Some(rest) = count_line("Tests:")
        .or_else(|| count_line("Test Suites:"))
        .or_else(|| count_line("Test Files"))
        .or_else(|| {
            // vitest: "Tests  2 failed | 40 passed (42)"
            t.strip_prefix("Tests ")
                .filter(|r| r.contains('|') || r.contains('('))
        })
    {
        let failed = count_of(rest, "failed").unwrap_or(0);
        if failed > 0 {
            r.fail(TESTS, l);
        } else if count_of(rest, "passed").unwrap_or(0) > 0 {
            r.pass(TESTS, l);
        }
        return;
    }
    // mocha, playwright, bun, ava: a line that is only a count: "40 passing (2s)", "2 failing",
    // " 2 fail", "3 tests failed".
    if t.starts_with(|c: char| c.is_ascii_digit()) {
        let body = t.split(" (").next().unwrap_or(t).trim_end_matches('.');
        let mut words = body.split_whitespace();
        let n = words.next().and_then(|n| n.parse::<u64>().ok());
        let w1 = words.next().unwrap_or("");
        let w2 = words.next();
        let w = if w1 == "tests" || w1 == "test" {
            w2.unwrap_or("")
        } else {
            w1
        };
        if let (Some(n), None) = (n, words.next()) {
            match w {
                "failing" | "fail" | "failed" if n > 0 => r.fail(TESTS, l),
                "passing" | "pass" | "passed" if n > 0 => r.pass(TESTS, l),
                _ => {}
            }
        }
        return;
    }
    // node --test: TAP "# fail 2", spec "ℹ fail 2".
    if let Some(rest) = t.strip_prefix("# ").or_else(|| t.strip_prefix("ℹ ")) {
        let mut p = rest.split_whitespace();
        let (w, n) = (
            p.next().unwrap_or(""),
            p.next().and_then(|n| n.parse::<u64>().ok()),
        );
        match (w, n) {
            ("fail", Some(n)) if n > 0 => r.fail(TESTS, l),
            ("pass", Some(n)) if n > 0 => r.pass(TESTS, l),
            _ => {}
        }
        return;
    }
    let name = t
        .strip_prefix("not ok ")
        .map(|n| n.split_once(" - ").map_or(n, |(_, n)| n))
        .or_else(|| t.strip_prefix("FAIL ").map(str::trim_start))
        .or_else(|| t.strip_prefix("(fail) "))
        .or_else(|| t.strip_prefix("● ").filter(|n| n.contains(" › ")))
        .or_else(|| {
            ["×", "✕", "✗", "✘", "✖"]
                .iter()
                .find_map(|m| t.strip_prefix(m))
                .map(str::trim)
        });
    if let Some(name) = name {
        r.failing_name(t, name.trim(), l);
    }
}

fn maven(r: &mut Reading, t: &str, l: &Range<usize>) {
    let t = t
        .strip_prefix("[INFO]")
        .or_else(|| t.strip_prefix("[ERROR]"))
        .or_else(|| t.strip_prefix("[WARNING]"))
        .map_or(t, str::trim_start);
    if t.starts_with("Tests run:") {
        let bad = labelled(t, "Failures").unwrap_or(0) + labelled(t, "Errors").unwrap_or(0);
        tally(r, TESTS, Some(bad), l);
        r.pass(BUILD, l);
        if let Some((_, class)) = t
            .split_once("<<< FAILURE! - in ")
            .or_else(|| t.split_once("<<< FAILURE! -- in "))
        {
            r.failing_name(t, class.trim(), l);
        }
    } else if t == "BUILD SUCCESS" {
        r.pass(BUILD, l);
    } else if t.starts_with("COMPILATION ERROR") || t.contains("Compilation failure") {
        r.fail(BUILD, l);
        r.fail(TESTS, l);
    }
}

fn gradle(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t.starts_with("BUILD SUCCESSFUL") {
        r.pass(BUILD, l);
        r.pass(TESTS, l);
    } else if t.contains(" tests completed, ") && t.contains(" failed") {
        r.fail(TESTS, l);
    } else if let Some(name) = t.strip_suffix(" FAILED").filter(|n| n.contains(" > ")) {
        r.failing_name(t, name, l);
        r.fail(TESTS, l);
    } else if t.starts_with("> Task :") && t.ends_with(" FAILED") {
        if t.contains(":compile") {
            r.fail(BUILD, l);
            r.fail(TESTS, l);
        } else if t.contains("test") || t.contains("Test") {
            r.fail(TESTS, l);
        }
    }
}

fn dotnet(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t.starts_with("Passed!") && t.contains("Failed:") {
        tally(r, TESTS, labelled(t, "Failed"), l);
    } else if t.starts_with("Failed!") {
        r.fail(TESTS, l);
    } else if t.starts_with("Test summary:")
        || t.starts_with("Test Run Successful")
        || t.starts_with("Test Run Failed")
    {
        if t.starts_with("Test Run Successful") {
            r.pass(TESTS, l);
        } else if t.starts_with("Test Run Failed") {
            r.fail(TESTS, l);
        } else {
            tally(r, TESTS, labelled(t, "failed"), l);
        }
    } else if t == "Build succeeded." {
        r.pass(BUILD, l);
    } else if t == "Build FAILED." || t.contains(": error CS") {
        r.fail(BUILD, l);
    } else if let Some(name) = t.strip_prefix("Failed ").filter(|n| n.ends_with(']')) {
        r.failing_name(t, name.rsplit_once(" [").map_or(name, |(n, _)| n), l);
    }
}

fn ruff(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t == "All checks passed!" || (t.contains(" already formatted") && !t.contains("would")) {
        r.pass(LINT, l);
    } else if t.starts_with("Found ") && t.contains(" error") {
        // "Found 2 errors (2 fixed, 0 remaining)." is clean.
        if let Some(remaining) = count_of(t, "remaining") {
            tally(r, LINT, Some(remaining), l);
        } else {
            r.fail(LINT, l);
        }
    } else if t.contains(" would be reformatted") || t.starts_with("Would reformat: ") {
        r.fail(LINT, l);
    }
}

fn linters(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t == "All matched files use Prettier code style!"
        || t.starts_with("Checked ") && t.contains("No fixes applied")
    {
        r.pass(LINT, l);
    } else if t.starts_with("[warn] Code style issues found")
        || t.starts_with("would reformat ")
        || t.contains("files would be reformatted")
        || t.contains("file would be reformatted")
        || (t.starts_with("ERROR: ") && t.contains("Imports are incorrectly sorted"))
        || t.starts_with("************* Module ")
        || t.starts_with("Diff in ")
    {
        r.fail(LINT, l);
    } else if t.starts_with("Your code has been rated at 10.00/10") {
        r.pass(LINT, l);
    } else if t.starts_with("Found ")
        && t.contains(" error")
        && count_of(t, "errors").or(count_of(t, "error")).unwrap_or(0) > 0
    {
        r.fail(LINT, l);
    } else if linter_diagnostic(t) {
        r.diagnose(LINT, l);
    }
}

/// `path:LINE:COL: CODE message` (flake8, staticcheck, pycodestyle), or a ShellCheck code.
fn linter_diagnostic(t: &str) -> bool {
    if t.contains("SC")
        && t.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            w.len() == 6 && w.starts_with("SC") && w[2..].bytes().all(|b| b.is_ascii_digit())
        })
    {
        return true;
    }
    let mut parts = t.splitn(4, ':');
    let path = parts.next().unwrap_or("");
    let num =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let (line, col) = (parts.next(), parts.next());
    let message = parts.next().unwrap_or("").trim_start();
    !path.is_empty()
        && !path.contains(' ')
        && path.contains('.')
        && num(line)
        && num(col)
        && message.split_whitespace().next().is_some_and(|code| {
            code.len() >= 2
                && code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.bytes().skip(1).all(|b| b.is_ascii_alphanumeric())
                && code.bytes().any(|b| b.is_ascii_digit())
        })
}

fn js_build(r: &mut Reading, t: &str, l: &Range<usize>) {
    let t2 = t.trim_start_matches(['✓', '✔', '▲', ' ']);
    if t2.starts_with("built in ")
        || t2.starts_with("Compiled successfully")
        || t.contains("compiled successfully")
        || t.starts_with("Build success in")
        || t.starts_with("created ") && t.contains(" in ")
    {
        r.pass(BUILD, l);
    } else if t.starts_with("error during build")
        || t.starts_with("Failed to compile")
        || t.starts_with("Build error occurred")
        || (t.contains("compiled with ") && t.contains(" error"))
        || t.starts_with("ERROR in ")
        || t.starts_with("✘ [ERROR]")
        || t.starts_with("[!] ")
        || t.starts_with("Build failed")
    {
        r.fail(BUILD, l);
    }
}

/// gcc/clang: `file.c:12:5: error: …`
fn c_error(t: &str) -> bool {
    t.find(": error: ").is_some_and(|at| {
        let head = &t[..at];
        head.matches(':').count() >= 2 && !head.contains(' ')
    }) || t.starts_with("collect2: error")
}

/// A task runner's own line that the task failed.
fn task_failure(t: &str) -> bool {
    t.starts_with("npm ERR! Test failed")
        || t.starts_with("npm ERR! code ELIFECYCLE")
        || t.starts_with("npm error code ELIFECYCLE")
        || t.starts_with("npm error Lifecycle script")
        || t.starts_with("npm ERR! Lifecycle script")
        || (t.contains("ELIFECYCLE") && (t.contains("failed") || t.contains("Exit status")))
        || t.starts_with("ERR_PNPM_")
        || t.starts_with("error Command failed with exit code")
        || (t.starts_with("make") && t.contains(": *** ") && t.contains(" Error "))
        || (t.starts_with("error: Recipe `") && t.contains("failed"))
        || (t.starts_with("task: Failed to run task"))
        || (t.contains("ERROR") && t.contains("task failed"))
        || t.starts_with("rake aborted!")
        || (t.starts_with("ERROR") && t.contains("run failed"))
        || (t.starts_with("error: script \"") && t.contains("exited with code"))
}

fn push(r: &mut Reading, t: &str, l: &Range<usize>) {
    const PUSH: Aspect = Aspect::Push;
    let failed = t.starts_with("error: failed to push")
        || t.starts_with("! [rejected]")
        || t.starts_with("! [remote rejected]")
        || t.starts_with("fatal: unable to access")
        || t.starts_with("fatal: Authentication failed")
        || t.starts_with("fatal: could not read Username")
        || t.starts_with("fatal: The current branch")
        || t.starts_with("fatal: repository '")
        || (t.starts_with("fatal: '") && t.contains("does not appear to be a git repository"))
        || t.contains("Permission denied (publickey)")
        || (t.starts_with("remote: Permission to") && t.contains("denied"))
        || (t.starts_with("ERROR: Permission to") && t.contains("denied"))
        || t.starts_with("error: src refspec")
        || (t.starts_with("remote: error: GH") && t.contains("declined"))
        || t.starts_with("remote: error: GH006");
    if failed {
        r.fail(PUSH, l);
        return;
    }
    let updated = t.contains(" -> ")
        && (t.starts_with("* [new ")
            || t.starts_with("+ ")
            || t.split_whitespace().next().is_some_and(|w| {
                w.contains("..")
                    && w.trim_matches('.')
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b'.')
            }));
    if updated || t == "Everything up-to-date" {
        r.pass(PUSH, l);
    }
}

/// "1) Tests\\FooTest::testBar" -> the name.
fn numbered(t: &str) -> Option<&str> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then_some(())?;
    t[digits..].strip_prefix(") ").map(str::trim)
}

/// ctest: "95% tests passed, 2 tests failed out of 42" -> 2.
fn failed_out_of(t: &str) -> Option<u64> {
    let (_, rest) = t.split_once("passed, ")?;
    rest.split_whitespace().next()?.parse().ok()
}
