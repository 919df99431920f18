//! The summary formats, one family per block, as the tools print them (checked against their
//! documentation and real output). Every match is anchored at the start of the (trimmed)
//! line and needs the format's exact shape: a summary is evidence, so guessing is worse than
//! missing it.

use std::ops::Range;

use super::{Aspect, Families as F, Reading, count_of, counts, labelled};
use crate::completion::CheckKind::{Build, Lint, Tests, Typecheck};

mod runs;
mod tools;

use runs::*;
use tools::*;

pub(super) const TESTS: Aspect = Aspect::Check(Tests);
pub(super) const BUILD: Aspect = Aspect::Check(Build);
pub(super) const LINT: Aspect = Aspect::Check(Lint);
pub(super) const TYPES: Aspect = Aspect::Check(Typecheck);

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
pub(super) fn tally(r: &mut Reading, aspect: Aspect, failures: Option<u64>, l: &Range<usize>) {
    match failures {
        Some(0) => r.pass(aspect, l),
        Some(_) => r.fail(aspect, l),
        None => {}
    }
}
