//! Test runners' formats that need more than a line or two each: cargo, go, pytest, the
//! JavaScript runners, maven, gradle, dotnet.

use super::*;

pub(super) fn cargo(r: &mut Reading, t: &str, l: &Range<usize>) {
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

pub(super) fn go(r: &mut Reading, text: &str, t: &str, l: &Range<usize>) {
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
pub(super) fn go_diagnostic(t: &str) -> bool {
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

pub(super) fn pytest(r: &mut Reading, t: &str, l: &Range<usize>) {
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

pub(super) fn js(r: &mut Reading, t: &str, l: &Range<usize>) {
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

pub(super) fn maven(r: &mut Reading, t: &str, l: &Range<usize>) {
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

pub(super) fn gradle(r: &mut Reading, t: &str, l: &Range<usize>) {
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

pub(super) fn dotnet(r: &mut Reading, t: &str, l: &Range<usize>) {
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

/// "1) Tests\\FooTest::testBar" -> the name.
pub(super) fn numbered(t: &str) -> Option<&str> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0).then_some(())?;
    t[digits..].strip_prefix(") ").map(str::trim)
}

/// ctest: "95% tests passed, 2 tests failed out of 42" -> 2.
pub(super) fn failed_out_of(t: &str) -> Option<u64> {
    let (_, rest) = t.split_once("passed, ")?;
    rest.split_whitespace().next()?.parse().ok()
}
