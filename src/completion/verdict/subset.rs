//! A claim about a subset ("the parser tests pass"): a failure refutes it only inside the
//! subset — the run was narrowed to it, or a failing test's name or file places it there — and
//! a pass supports it only if the run covered it.

use super::*;

/// A subset claim: a failure refutes it only inside the subset (the run was narrowed to it,
/// or a failing test's name places it there); a pass supports it only if the run covered it.
pub(super) fn narrow(
    judged: Judgement,
    what: &str,
    run: &Run,
    m: &Match,
    reading: &Reading,
) -> Judgement {
    let keys = keywords(what);
    let Role::Check(runner) = m.role else {
        return judged;
    };
    let words: Vec<&str> = m.commands[m.at].words.iter().map(String::as_str).collect();
    let filters = runners::filters(&words, &runner);
    let in_filter = filters
        .iter()
        .any(|f| keys.iter().any(|k| find_ignore_case(f, k).is_some()));
    let summary = match &judged.why {
        Why::ExitStatus { summary, .. } => summary.clone(),
        Why::Summary { line } => Some(line.clone()),
        _ => None,
    };
    let undecided = Judgement {
        verdict: Verdict::Unverified,
        run: None,
        why: Why::SubsetUndecided { summary },
    };
    match judged.verdict {
        Verdict::Refuted if in_filter => judged,
        Verdict::Refuted => reading
            .failing()
            .find(|name| keys.iter().any(|k| find_ignore_case(name, k).is_some()))
            .map_or(undecided, |name| Judgement {
                verdict: Verdict::Refuted,
                run: None,
                why: Why::FailureInSubset {
                    test: excerpt(name, LINE_MAX),
                },
            }),
        Verdict::Supported if in_filter => judged,
        Verdict::Supported
            if filters.is_empty()
                && !keys.iter().any(|k| {
                    is_suite_category(k) && find_ignore_case(run.command, k).is_none()
                }) =>
        {
            judged
        }
        Verdict::Supported => undecided,
        Verdict::Unverified => judged,
    }
}

/// The words of a subset that can place a test: "new parser" -> ["parser"].
pub(super) fn keywords(what: &str) -> Vec<&str> {
    what.split(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | ',' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'))
        .filter(|w| w.len() >= 3 && !w.starts_with('-') && !is_generic(w))
        .collect()
}

#[rustfmt::skip]
pub(super) fn is_generic(w: &str) -> bool {
    let w = w.to_ascii_lowercase();
    matches!(w.as_str(),
        "new" | "newly" | "existing" | "old" | "added" | "relevant" | "related" | "affected"
        | "remaining" | "other" | "our" | "the" | "these" | "those" | "this" | "that" | "all"
        | "both" | "modified" | "updated" | "changed" | "targeted" | "specific" | "individual"
        | "previously" | "failing" | "broken" | "flaky" | "few" | "several" | "test" | "tests"
        | "spec" | "specs" | "suite" | "case" | "cases" | "cargo" | "npm" | "run" | "pnpm"
        | "yarn" | "pytest" | "jest" | "vitest" | "go" | "make" | "just" | "mise" | "and"
        | "for" | "in" | "of" | "my" | "your" | "their" | "its" | "one" | "two" | "three"
        | "specified" | "original" | "additional" | "extra" | "fixed" | "previous")
}

/// Kinds of suites a plain run may not include ("the e2e tests pass" after `npm test`).
#[rustfmt::skip]
pub(super) fn is_suite_category(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    matches!(k.as_str(),
        "integration" | "e2e" | "end-to-end" | "acceptance" | "system" | "browser" | "smoke"
        | "load" | "performance" | "perf" | "benchmark" | "benchmarks" | "visual" | "playwright"
        | "cypress" | "ui")
}
