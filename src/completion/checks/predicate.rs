//! The predicate of a check claim, read rightwards from its head: coordinated checks ("tests,
//! lint and fmt"), a phrase that narrows it ("in `tests/api/`"), fillers ("are all now"), and
//! the success itself ("pass", "green", "clean", "0 issues", ✅), which must not take an
//! object ("passes the token").

use super::*;

pub(super) struct Right {
    pub(super) pred: usize,
    /// A prepositional phrase that narrows the check ("in `parser.rs`", "for the auth module").
    pub(super) pp: Option<(usize, usize)>,
}

pub(super) fn predicate_right(a: &Analysis, head: &Head, kind: CheckKind) -> Option<Right> {
    let r = a.reader;
    let end = a.unit.tokens.end;
    let mut j = head.last + 1;
    // Coordinated checks ("tests, lint and fmt pass") and a parenthesis ("tests (42) pass"),
    // a few of them.
    for round in 0.. {
        if round == 8 {
            return None;
        }
        if j >= end {
            return None;
        }
        match r.kind(j) {
            Some(Tok::Paren) if r.raw(j) == "(" => {
                let close = closing_paren(a, j)?;
                if kind != CheckKind::Tests && clean_count_within(a, j + 1, close) {
                    return Some(Right {
                        pred: close - 1,
                        pp: None,
                    });
                }
                j = close + 1;
            }
            Some(Tok::Comma) | Some(Tok::Word)
                if r.kind(j) == Some(Tok::Comma)
                    || matches!(r.word(j), "and" | "&" | "+" | "plus") =>
            {
                let mut k = j + 1;
                while k < end
                    && k - j < 4
                    && (r.kind(k) == Some(Tok::Comma)
                        || matches!(r.word(k), "and" | "&" | "+" | "the" | "all"))
                {
                    k += 1;
                }
                match a
                    .head_starting_at(k)
                    .filter(|(_, h)| matches!(h.kind, HeadKind::Check(_)))
                {
                    Some((_, h)) => j = h.last + 1,
                    // "`go vet`, `modernize`, `golangci-lint` — all clean": a tool we do not
                    // know, in a list of checks.
                    None if r.kind(k) == Some(Tok::Opaque) && kind != CheckKind::Tests => j = k + 1,
                    None => break,
                }
            }
            _ => break,
        }
    }
    let mut pp = None;
    if r.is_word(j)
        && matches!(
            r.word(j),
            "in" | "for" | "under" | "across" | "within" | "from" | "on" | "covering" | "inside"
        )
    {
        let first = j + 1;
        let mut k = first;
        while k < end
            && k - first < 6
            && matches!(r.kind(k), Some(Tok::Word | Tok::Opaque))
            && !(r.is_word(k) && ends_pp(kind, r.word(k)))
        {
            if r.is_word(k) && is_actor(r.word(k)) {
                return None;
            }
            if r.is_word(k) && matches!(r.word(k), "main" | "master") && r.word(j) == "on" {
                return None;
            }
            k += 1;
        }
        if k > first {
            let neutral = (first..k).all(|t| r.is_word(t) && neutral_pp(r.word(t)));
            if !neutral {
                pp = Some((first, k - 1));
            }
            j = k;
        }
    }
    let mut breaks = 0;
    let mut steps = 0;
    while j < end && steps < 10 {
        steps += 1;
        match r.kind(j) {
            Some(Tok::Dash) => {
                if is_tick(r.raw(j)) {
                    return Some(Right { pred: j, pp });
                }
                if is_cross_mark(r.raw(j)) {
                    return None;
                }
                breaks += 1;
            }
            Some(Tok::Comma) => breaks += 1,
            Some(Tok::Paren) => {
                if r.raw(j) != "(" {
                    return None;
                }
                j = closing_paren(a, j)?;
            }
            Some(Tok::Word) => {
                let w = r.word(j);
                if is_success(kind, w) {
                    return continues(a, j).then_some(Right { pred: j, pp });
                }
                if let Some(last) = ran_clean(a, j) {
                    return continues(a, last).then_some(Right { pred: last, pp });
                }
                if kind == CheckKind::Typecheck
                    && matches!(w, "check" | "checks")
                    && r.word(head.last) == "types"
                {
                    return Some(Right { pred: j, pp });
                }
                // "go vet reports nothing", "mypy found nothing".
                if w == "nothing"
                    && matches!(kind, CheckKind::Lint | CheckKind::Typecheck)
                    && matches!(
                        r.word(j - 1),
                        "reports"
                            | "reported"
                            | "shows"
                            | "showed"
                            | "found"
                            | "finds"
                            | "flags"
                            | "flagged"
                            | "returns"
                            | "says"
                    )
                {
                    return Some(Right { pred: j, pp });
                }
                if is_zero(w) {
                    return clean_count_within(a, j, (j + 3).min(end)).then(|| Right {
                        pred: (j + 2).min(end - 1),
                        pp,
                    });
                }
                if lexicon::is_negation(w)
                    || is_hedge(w)
                    || matches!(
                        w,
                        "will" | "i'll" | "won't" | "fail" | "fails" | "failed" | "failing"
                    )
                {
                    return None;
                }
                if let Some((x, y)) = ratio(w) {
                    if x != y {
                        return None;
                    }
                } else if number(w).is_some() {
                    if matches!(r.word(j + 1), "of" | "out") {
                        return None;
                    }
                } else if !is_predicate_filler(w)
                    && !matches!(w, "tests" | "specs" | "test" | "checks")
                {
                    return None;
                }
            }
            _ => return None,
        }
        if breaks > 1 {
            return None;
        }
        j += 1;
    }
    None
}

/// "completes successfully", "finishes without errors", "runs with no warnings", "exits 0":
/// a run that went clean, said of the check at `j`; the last token of the phrase.
fn ran_clean(a: &Analysis, j: usize) -> Option<usize> {
    let word = |t: usize| a.word_in_unit(t);
    let verb = word(j)?;
    let exits = is_exit_verb(verb);
    if !(exits || is_run_through_verb(verb)) {
        return None;
    }
    let mut t = j + 1;
    match word(t)? {
        "successfully" | "cleanly" if !exits => Some(t),
        "0" if exits => Some(t),
        "without" => {
            t += 1;
            if word(t) == Some("any") {
                t += 1;
            }
            word(t).filter(|w| is_issue_noun(w)).map(|_| t)
        }
        "with" => {
            t += 1;
            if exits && word(t) == Some("0") {
                return Some(t);
            }
            if !word(t).is_some_and(is_zero) {
                return None;
            }
            t += 1;
            if word(t).is_some_and(|w| count_kind(w).is_some()) {
                t += 1;
            }
            word(t).filter(|w| is_issue_noun(w)).map(|_| t)
        }
        _ => None,
    }
}

/// Words that end a prepositional phrase after a check: the predicate and its fillers.
pub(super) fn ends_pp(kind: CheckKind, w: &str) -> bool {
    is_success(kind, w)
        || matches!(
            w,
            "are"
                | "is"
                | "were"
                | "was"
                | "have"
                | "has"
                | "now"
                | "still"
                | "do"
                | "does"
                | "did"
                | "continue"
                | "continues"
                | "also"
                | "all"
                | "will"
                | "should"
                | "and"
        )
        || lexicon::is_negation(w)
}

/// Prepositional phrases that leave the check whole: "across the workspace", "in all crates".
pub(super) fn neutral_pp(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "all"
            | "every"
            | "both"
            | "each"
            | "workspace"
            | "repo"
            | "repository"
            | "project"
            | "crates"
            | "crate"
            | "packages"
            | "package"
            | "modules"
            | "platforms"
            | "targets"
            | "whole"
            | "entire"
            | "full"
            | "codebase"
            | "suite"
            | "matrix"
            | "os"
            | "versions"
            | "features"
            | "configurations"
            | "locally"
            | "local"
            | "release"
            | "debug"
            | "mode"
            | "this"
            | "branch"
            | "my"
            | "our"
            | "machine"
    ) || number(w).is_some()
}

/// The matching ")" within a few tokens.
pub(super) fn closing_paren(a: &Analysis, open: usize) -> Option<usize> {
    let r = a.reader;
    (open + 1..a.unit.tokens.end.min(open + 16))
        .find(|&k| r.kind(k) == Some(Tok::Paren) && r.raw(k) == ")")
}

/// After a success word: the end, punctuation, or words that keep it intransitive ("pass
/// now", "pass with no warnings"), not an object ("passes the token", "passes `ctx`").
pub(super) fn continues(a: &Analysis, p: usize) -> bool {
    let r = a.reader;
    if p + 1 >= a.unit.tokens.end {
        return true;
    }
    match r.kind(p + 1) {
        Some(Tok::Word) => {
            let w = r.word(p + 1);
            is_continuation(w) || is_condition(w) || number(w).is_some() || ratio(w).is_some()
        }
        // "passes `--release` to cargo" is an object; "passes: `Success: no issues found`"
        // shows the evidence.
        Some(Tok::Opaque) => r.text()[r.end_of(p)..r.start_of(p + 1)].contains(':'),
        _ => true,
    }
}

#[rustfmt::skip]
pub(super) fn is_continuation(w: &str) -> bool {
    matches!(w,
        "now" | "again" | "locally" | "cleanly" | "successfully" | "too" | "as" | "and" | "but"
        | "with" | "without" | "on" | "in" | "under" | "across" | "after" | "for" | "including"
        | "consistently" | "reliably" | "fine" | "ok" | "both" | "all" | "here" | "so" | "since"
        | "because" | "which" | "though" | "although" | "while" | "once" | "first" | "anymore"
        | "already" | "still" | "completely" | "fully" | "at" | "against" | "perfectly"
        | "everywhere" | "green" | "clean" | "when" | "then" | "afterwards" | "unchanged" | "as-is"
        | "either" | "also" | "end-to-end" | "100" | "in-process" | "quickly" | "deterministically")
}

pub(super) fn is_tick(raw: &str) -> bool {
    raw.starts_with(TICKS)
}

pub(super) fn is_cross_mark(raw: &str) -> bool {
    raw.starts_with(['❌', '✗', '✖', '✘', '⛔', '🔴', '⚠'])
}
