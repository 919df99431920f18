//! The marker classes that need a word's neighbours: "run" is a plan as an imperative, "once"
//! a condition before a present tense, "before" another time unless "as before", a count of
//! errors a failure only above zero.

use super::*;

/// "run", "check", "make sure" … are plans as imperatives or after "to"; "can" is not a plan
/// in "I can confirm".
pub(super) fn plan(a: &Analysis, k: usize, w: &str, prev: &str, next: &str) -> bool {
    match w {
        "run" | "rerun" | "re-run" | "check" | "verify" | "confirm" | "ensure" | "make" | "get"
        | "keep" | "see" | "try" | "wait" => {
            (w == "make" && next == "sure")
                || a.initial(k)
                || matches!(
                    prev,
                    "to" | "and"
                        | "please"
                        | "then"
                        | "let's"
                        | "me"
                        | "will"
                        | "i'll"
                        | "we'll"
                        | "gonna"
                        | "should"
                        | "must"
                )
        }
        "can" => !matches!(next, "confirm" | "see" | "verify" | "report"),
        "about" => next == "to",
        "able" => prev == "be",
        "let" => matches!(next, "me" | "us"),
        "about-to" => true,
        _ => is_plan(w),
    }
}

/// "if", "unless" …; "once"/"when" only before a present tense ("once the build passes"),
/// not a past one ("once I fixed the import, …"); "as long as", "in case", "after you".
pub(super) fn condition(a: &Analysis, k: usize, w: &str, next: &str) -> bool {
    match w {
        "once" | "when" | "whenever" | "until" => {
            let r = a.reader;
            let past = (k + 1..a.unit.tokens.end.min(k + 5)).any(|j| {
                let w = r.word(j);
                matches!(lexicon::verb(w), Some((_, Form::Past)))
                    || (w.len() > 4 && w.ends_with("ed"))
                    || matches!(
                        w,
                        "was" | "were" | "had" | "did" | "got" | "ran" | "made" | "built" | "went"
                    )
            });
            w == "until" || !past
        }
        "as" => next == "long",
        "in" => next == "case",
        "after" | "before" => is_second_person(next),
        "whether" => true,
        _ => is_condition(w),
    }
}

pub(super) fn narrative(w: &str, prev: &str, next: &str) -> bool {
    match w {
        // "the previously failing test": a modifier, not another time.
        "previously" | "formerly" | "originally" | "initially" if is_failure_word(next) => false,
        "before" => !matches!(prev, "as" | "than" | "from" | "just" | "ever" | "even"),
        "main" | "master" => matches!(prev, "on" | "against"),
        "last" => matches!(
            next,
            "time" | "week" | "night" | "month" | "year" | "session" | "friday" | "monday"
        ),
        "used" => next == "to",
        _ => is_narrative(w),
    }
}

pub(super) fn habit(w: &str, next: &str) -> bool {
    match w {
        "every" | "each" => matches!(
            next,
            "time"
                | "run"
                | "night"
                | "day"
                | "week"
                | "commit"
                | "push"
                | "deploy"
                | "build"
                | "morning"
                | "hour"
                | "minute"
                | "release"
                | "merge"
        ),
        _ => is_habit(w),
    }
}

pub(super) fn partial(w: &str, prev: &str, next: &str) -> bool {
    match w {
        "save" => next == "for",
        "apart" | "aside" => next == "from",
        "exception" => matches!(prev, "the" | "an" | "one"),
        "but" => prev == "all" || number(next).is_some_and(|n| n > 0) || next == "one",
        "other" => next == "than",
        _ => is_partial(w),
    }
}

/// A failure report at this word (or, for a count, at the noun one or two words on): a
/// failure word not taken back ("no failures", "previously failing"), a count of errors or
/// failures above zero ("2 tests failed", "3 lint errors"), or a negated success ("doesn't
/// compile", "not passing").
pub(super) fn failure(w: &str, prev: &str, prev2: &str, next: &str, next2: &str) -> Option<usize> {
    if is_failure_word(w) {
        // "were failing", "was broken": the past of a state; "was rejected" is a failure.
        let past_state =
            matches!(prev, "was" | "were" | "had") && matches!(w, "failing" | "broken" | "flaky");
        let resolved = resolves_failure(prev)
            || past_state
            || matches!(
                prev2,
                "fixed"
                    | "fix"
                    | "fixes"
                    | "fixing"
                    | "resolved"
                    | "no"
                    | "without"
                    | "previously"
                    | "formerly"
            )
            || prev == "longer";
        // "0 failed", "zero failures"; a count above zero is reported at the count.
        let counted = number(prev).is_some() || number(prev2).is_some();
        return (!resolved && !counted).then_some(0);
    }
    if number(w).is_some_and(|n| n > 0) {
        let counted = |x: &str| {
            matches!(
                x,
                "errors"
                    | "error"
                    | "failures"
                    | "failure"
                    | "failing"
                    | "failed"
                    | "fail"
                    | "fails"
                    | "issues"
                    | "problems"
                    | "offenses"
                    | "violations"
            )
        };
        if counted(next) {
            return Some(1);
        }
        return (check_noun(next).is_some() && counted(next2)).then_some(2);
    }
    if matches!(
        w,
        "pass"
            | "passes"
            | "passing"
            | "passed"
            | "compile"
            | "compiles"
            | "clean"
            | "green"
            | "succeed"
            | "succeeds"
            | "build"
            | "builds"
            | "work"
            | "works"
    ) {
        return (is_negation(prev) || is_negation(prev2) || (prev == "longer" && prev2 == "no"))
            .then_some(0);
    }
    (w == "red" && matches!(prev, "is" | "are" | "went" | "turned" | "still")).then_some(0)
}

pub(super) fn is_cross(raw: &str) -> bool {
    raw.starts_with(['❌', '✗', '✖', '✘', '⛔'])
}
