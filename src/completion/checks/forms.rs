//! Claims not built on a subject head: a clean count ("no clippy warnings"), a verb ("it
//! compiles", "everything builds cleanly"), and the check as an object ("passes all tests and
//! lint").

use super::*;

/// "no clippy warnings", "0 lint issues", "zero type errors", "no test failures", "no more
/// clippy warnings", "no failing tests", "0 failures across the whole suite" at `k`.
pub(super) fn clean_count(a: &Analysis, k: usize) -> Option<Candidate> {
    let word = |t: usize| a.word_in_unit(t);
    let clean = |kind, last| Candidate {
        kind,
        head: None,
        start: k,
        pred: last,
        end: last,
        scope: Scope::All,
    };
    // "no more warnings" counts none; "no more than 3 warnings" counts some.
    let mut j = k + 1;
    if word(j) == Some("more") && word(j + 1) != Some("than") {
        j += 1;
    }
    let first = word(j)?;
    // "no failing tests": the failures, counted by the check they belong to.
    if first == "failing" {
        let noun = word(j + 1)?;
        return (check_noun(noun) == Some(CheckKind::Tests))
            .then(|| clean(CheckKind::Tests, j + 1));
    }
    if let Some(kind) = count_kind(first) {
        let noun = word(j + 1).filter(|w| is_issue_noun(w))?;
        if kind == CheckKind::Tests && !matches!(noun, "failures" | "failure") {
            return None;
        }
        return Some(clean(kind, j + 1));
    }
    // "0 failures across the whole suite", "no errors in the build": the check named after.
    if is_issue_noun(first) {
        let (kind, last) = check_named_after(a, j + 1)?;
        if kind == CheckKind::Tests && !matches!(first, "failures" | "failure") {
            return None;
        }
        return Some(clean(kind, last));
    }
    None
}

/// "in the build", "across the whole suite", "from clippy" at `p`: the check a count is of,
/// and its last token, unless words narrow it ("in the new parser tests").
fn check_named_after(a: &Analysis, p: usize) -> Option<(CheckKind, usize)> {
    if !matches!(a.word_in_unit(p)?, "in" | "across" | "from") {
        return None;
    }
    for t in p + 1..=p + 3 {
        let w = a.word_in_unit(t)?;
        if let Some(kind) = check_noun(w) {
            return Some((kind, t));
        }
        if !(is_determiner(w) || is_neutral_modifier(w)) {
            return None;
        }
    }
    None
}

/// A word naming a check before an issue noun ("type errors", "compiler warnings").
pub(super) fn count_kind(w: &str) -> Option<CheckKind> {
    match w {
        "type" | "typing" | "typescript" | "ts" => Some(CheckKind::Typecheck),
        "compiler" | "compilation" | "compile" | "build" => Some(CheckKind::Build),
        "test" => Some(CheckKind::Tests),
        _ => check_noun(w).filter(|k| *k != CheckKind::Tests || w == "test"),
    }
}

/// Is there a clean count ("0 issues", "no warnings") in `from..to`?
pub(super) fn clean_count_within(a: &Analysis, from: usize, to: usize) -> bool {
    let r = a.reader;
    (from..to).any(|k| {
        r.is_word(k)
            && is_zero(r.word(k))
            && (r.is_word(k + 1) && is_issue_noun(r.word(k + 1))
                || (r.is_word(k + 1)
                    && count_kind(r.word(k + 1)).is_some()
                    && r.is_word(k + 2)
                    && is_issue_noun(r.word(k + 2))))
    })
}

/// "it compiles", "everything builds cleanly", "Compiles.", "the workspace compiled
/// successfully".
pub(super) fn compiles(a: &Analysis, k: usize) -> Option<Candidate> {
    let r = a.reader;
    let u = &a.unit;
    let w = r.word(k);
    // The subject: skip adverbs back to it.
    let mut s = k;
    while s > u.tokens.start
        && k - s < 6
        && r.is_word(s - 1)
        && matches!(
            r.word(s - 1),
            "now"
                | "still"
                | "also"
                | "all"
                | "both"
                | "again"
                | "finally"
                | "fully"
                | "cleanly"
                | "successfully"
                | "then"
        )
    {
        s -= 1;
    }
    let start = if a.initial(s) {
        s
    } else {
        let j = s - 1;
        let ok = match r.kind(j) {
            Some(Tok::Opaque) => true,
            Some(Tok::Word) => {
                let subj = r.word(j);
                // "builds" and "built" are nouns and adjectives as often as verbs ("verifiable
                // builds", "a built artifact"): only a subject that can be built makes them a
                // report. "compiles" takes any noun ("the parser compiles").
                is_buildable(subj)
                    || (w.starts_with("compile")
                        && !(ends_noun_phrase(subj)
                            || is_actor(subj)
                            || lexicon::verb(subj).is_some()
                            || lexicon::is_negation(subj)
                            || is_second_person(subj)
                            || is_plan(subj)
                            || is_hedge(subj)
                            || check_noun(subj).is_some_and(|c| c != CheckKind::Build)))
            }
            _ => false,
        };
        if !ok || matches!(r.word(j), "that" | "which" | "who" | "to") {
            return None;
        }
        // Back over the subject's determiners ("the whole workspace").
        let mut st = j;
        while st > u.tokens.start
            && j - st < 6
            && r.is_word(st - 1)
            && (is_determiner(r.word(st - 1)) || is_neutral_modifier(r.word(st - 1)))
        {
            st -= 1;
        }
        st
    };
    // After it: the end, or words that keep it a report about the build.
    let next = (k + 1 < u.tokens.end).then(|| k + 1);
    let after_ok = match next {
        None => true,
        Some(n) => match r.kind(n) {
            Some(Tok::Word) => {
                let nw = r.word(n);
                is_build_adverb(nw) && !(w == "builds" && matches!(nw, "on" | "upon" | "up"))
            }
            Some(Tok::Opaque) => false,
            _ => true,
        },
    };
    if !after_ok {
        return None;
    }
    // "built" and "compiled" also describe things ("built with Vite"): ask for a success
    // word or the end of the clause.
    if matches!(w, "built" | "compiled") {
        let clause_end = a.clause_end(k);
        let success = (k + 1..=clause_end).take(4).any(|t| {
            matches!(
                r.word(t),
                "successfully" | "cleanly" | "clean" | "fine" | "ok" | "without"
            ) || (is_zero(r.word(t)) && clean_count_within(a, t, t + 3))
        });
        if !(success || clause_end == k) {
            return None;
        }
    }
    Some(Candidate {
        kind: CheckKind::Build,
        head: None,
        start,
        pred: k,
        end: k,
        scope: Scope::All,
    })
}

/// "passes all tests and lint", "the PR passed the full suite".
pub(super) fn passes_object(a: &Analysis, k: usize) -> Vec<Candidate> {
    let r = a.reader;
    let u = &a.unit;
    let mut out = Vec::new();
    let w = r.word(k);
    let prev = if k > u.tokens.start {
        r.word(k - 1)
    } else {
        ""
    };
    if w == "passing" && !matches!(prev, "is" | "are" | "now" | "all") {
        return out;
    }
    // The subject: something that can pass checks ("the change passes all tests"), or none
    // ("Passes lint and typecheck."); not a noun "pass" ("its signing pass").
    let mut s = k;
    while s > u.tokens.start
        && k - s < 6
        && r.is_word(s - 1)
        && matches!(
            r.word(s - 1),
            "now" | "still" | "also" | "cleanly" | "successfully" | "fully"
        )
    {
        s -= 1;
    }
    // "every commit builds and passes `go test ./...`": a subject shared with "builds".
    let shared = s > u.tokens.start + 1
        && r.word(s - 1) == "and"
        && matches!(
            r.word(s - 2),
            "builds" | "build" | "compiles" | "compile" | "built" | "compiled"
        );
    let subject_ok = a.initial(s)
        || shared
        || (r.is_word(s - 1)
            && (is_buildable(r.word(s - 1))
                || matches!(
                    r.word(s - 1),
                    "implementation"
                        | "version"
                        | "refactor"
                        | "diff"
                        | "update"
                        | "migration"
                        | "commit"
                        | "feature"
                        | "that"
                        | "which"
                )));
    if !subject_ok {
        return out;
    }
    let mut j = k + 1;
    let mut modifiers: Option<(usize, usize)> = None;
    let mut steps = 0;
    while j < u.tokens.end && steps < 6 {
        steps += 1;
        if let Some((_, h)) = a.head_starting_at(j) {
            let HeadKind::Check(kind) = h.kind else { break };
            let scope = match subset_words(a, modifiers, None) {
                Some(what) if kind == CheckKind::Tests => Scope::Subset { what },
                _ => h
                    .scope
                    .clone()
                    .filter(|_| kind == CheckKind::Tests)
                    .unwrap_or(Scope::All),
            };
            out.push(Candidate {
                kind,
                head: None,
                start: k,
                pred: k,
                end: h.last,
                scope,
            });
            j = h.last + 1;
            modifiers = None;
            continue;
        }
        match r.kind(j) {
            // "passes all tests, lint and typecheck": a list once the first check is named.
            Some(Tok::Comma) if !out.is_empty() => {}
            Some(Tok::Word) => {
                let w = r.word(j);
                let quantity = is_determiner(w)
                    || number(w).is_some()
                    || ratio(w).is_some_and(|(x, y)| x == y)
                    || (matches!(w, "and" | "&" | "+") && !out.is_empty());
                if quantity {
                } else if !ends_noun_phrase(w)
                    && lexicon::verb(w).is_none()
                    && !is_actor(w)
                    && !is_partial_quantifier(w)
                {
                    modifiers = Some((modifiers.map_or(j, |m| m.0), j));
                } else {
                    break;
                }
            }
            _ => break,
        }
        j += 1;
    }
    out
}
