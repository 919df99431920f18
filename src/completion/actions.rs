//! Claims that an action of the closed verb set is done: a past form (or "rerun" after
//! "have") in one of these constructions, each tested in a bounded window of tokens:
//! - first person: "I pushed", "I've just restarted the worker", "We merged it";
//! - subjectless, opening its sentence or a clause after a dash: "Pushed the fix to main.",
//!   "Done — deployed.", "✅ Published to crates.io" (not when it is an adjective before a
//!   verb: "Merged branches are deleted");
//! - passive or resultative: "The fix has been pushed", "Everything is merged", "It's
//!   deployed", "The branch got rebased";
//! - telegraphic: "Changes pushed to origin/main.", "Worker restarted.", "PR #12 merged.";
//! - coordinated with a reported action: "Committed and pushed.", "I updated the config and
//!   restarted the worker", "Rebased onto main, re-ran the tests, and force-pushed."
//!
//! Not when negated ("haven't pushed", "nothing was deployed"), an adjective ("the merged
//! PR"), done by someone else ("merged by Alice", "you pushed"), or taken back by the unit
//! (see [`super::markers`]).

use super::context::Analysis;
use super::heads::HeadKind;
use super::markers::Policy;
use super::words::{is_actor, is_plan, is_second_person};
use super::{Found, Subject};
use crate::action_claim::lexicon::{self, Form};
use crate::prose::scan::Tok;

mod clauses;

use clauses::*;

pub(super) fn find(a: &Analysis, out: &mut Vec<Found>) {
    if a.unit.question {
        return;
    }
    let r = a.reader;
    // The unit's action heads are its verbs of the set, found once (see `heads`).
    for head in &a.heads {
        let (HeadKind::Action(_), v) = (&head.kind, head.first) else {
            continue;
        };
        let Some((verb, form)) = lexicon::verb(r.word(v)) else {
            continue;
        };
        let participle = match form {
            Form::Past => true,
            // "I've rerun the suite": the participle of "rerun" is its base form.
            Form::Base => verb == "rerun" && perfect_before(a, v),
            _ => false,
        };
        if !participle || !particles_fit(a, v, verb) || adjective(a, v) || agent_after(a, v) {
            continue;
        }
        let found = first_person(a, v)
            .map(|s| (s, false))
            .or_else(|| passive(a, v).map(|s| (s, true)))
            .or_else(|| opening(a, v))
            .or_else(|| telegraphic(a, v).map(|s| (s, true)))
            .or_else(|| coordinated(a, v).map(|s| (s, false)));
        let Some((start, describes)) = found else {
            continue;
        };
        if !a.allowed(Policy::Action { verb, describes }, start, v) {
            continue;
        }
        out.push(Found {
            subject: Subject::Action { verb },
            start: r.start_of(start),
            end: r.end_of(a.clause_end(v)),
        });
    }
}

/// Adverbs that may stand between a subject or auxiliary and the participle.
fn is_adverb(w: &str) -> bool {
    matches!(
        w,
        "just"
            | "also"
            | "already"
            | "now"
            | "then"
            | "finally"
            | "successfully"
            | "manually"
            | "quickly"
            | "both"
            | "all"
            | "again"
            | "cleanly"
            | "safely"
            | "properly"
            | "actually"
            | "indeed"
            | "since"
            | "fully"
            | "officially"
            | "only"
            | "simply"
            | "first"
            | "even"
            | "personally"
            | "locally"
    )
}

fn perfect_before(a: &Analysis, v: usize) -> bool {
    let r = a.reader;
    (a.unit.tokens.start.max(v.saturating_sub(4))..v)
        .rev()
        .take_while(|&k| r.is_word(k))
        .any(|k| {
            matches!(
                r.word(k),
                "have" | "has" | "i've" | "we've" | "ive" | "weve" | "been"
            )
        })
}

/// "rolled" needs "back"; "pushed back/for/through" are idioms; "fixed at 30s" and "shipped
/// with Node" describe, they do not report.
fn particles_fit(a: &Analysis, v: usize, verb: &str) -> bool {
    let r = a.reader;
    let end = a.unit.tokens.end;
    let next = if v + 1 < end && r.is_word(v + 1) {
        r.word(v + 1)
    } else {
        ""
    };
    match verb {
        "roll back" => (v + 1..end.min(v + 5))
            .take_while(|&k| r.is_word(k))
            .any(|k| r.word(k) == "back"),
        "push" => !lexicon::is_push_idiom_particle(next),
        "fix" => !matches!(
            next,
            "at" | "size"
                | "width"
                | "length"
                | "point"
                | "number"
                | "rate"
                | "cost"
                | "price"
                | "amount"
                | "position"
                | "interval"
                | "seed"
                | "value"
                | "delay"
                | "height"
                | "format"
                | "order"
                | "string"
                | "set"
                | "costs"
        ),
        "ship" => !matches!(next, "with" | "in" | "inside" | "by"),
        _ => true,
    }
}

/// "the merged PR", "a fixed version", "newly deployed pods": an adjective.
fn adjective(a: &Analysis, v: usize) -> bool {
    let r = a.reader;
    v > a.unit.tokens.start
        && r.is_word(v - 1)
        && matches!(
            r.word(v - 1),
            "the"
                | "a"
                | "an"
                | "this"
                | "that"
                | "these"
                | "those"
                | "my"
                | "our"
                | "your"
                | "its"
                | "their"
                | "his"
                | "her"
                | "any"
                | "some"
                | "newly"
                | "recently"
                | "previously"
                | "being"
        )
}

/// "merged by Alice", "deployed by the CI job": someone else did it ("by running …", "by
/// hand", "by me" are fine).
fn agent_after(a: &Analysis, v: usize) -> bool {
    let r = a.reader;
    let end = a.clause_end(v);
    (v + 1..=end.min(v + 8)).any(|k| {
        r.word(k) == "by"
            && k < end
            && !(r.word(k + 1).ends_with("ing")
                || matches!(r.word(k + 1), "me" | "us" | "hand" | "myself" | "ourselves"))
    })
}

/// "I pushed", "We've now merged", "I have restarted".
fn first_person(a: &Analysis, v: usize) -> Option<usize> {
    let r = a.reader;
    let mut j = v;
    for _ in 0..5 {
        if j == a.unit.tokens.start || !r.is_word(j - 1) {
            return None;
        }
        j -= 1;
        let w = r.word(j);
        if matches!(w, "i" | "we" | "i've" | "we've" | "ive" | "weve") {
            return Some(j);
        }
        // "Have redeployed the worker": the subject left out, as in a status line.
        if matches!(w, "have" | "'ve") && a.initial(j) {
            return Some(j);
        }
        if !(is_adverb(w) || matches!(w, "have" | "has")) {
            return None;
        }
    }
    None
}

/// "X has been pushed", "everything is merged", "it's deployed", "the branch got rebased".
fn passive(a: &Analysis, v: usize) -> Option<usize> {
    let r = a.reader;
    let u = &a.unit;
    let mut j = v;
    let aux = loop {
        if j == u.tokens.start || !r.is_word(j - 1) || v - j > 4 {
            return None;
        }
        j -= 1;
        let w = r.word(j);
        if matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "been"
                | "got"
                | "it's"
                | "that's"
                | "everything's"
                | "everythings"
                | "its"
        ) {
            break j;
        }
        if !is_adverb(w) {
            return None;
        }
    };
    let w = r.word(aux);
    if w == "been" {
        // "has been", "have been", "'s been"; not "should have been", "will have been".
        let has = aux > u.tokens.start
            && matches!(
                r.word(aux - 1),
                "has" | "have" | "it's" | "that's" | "i've" | "we've" | "everything's"
            );
        if !has {
            return None;
        }
        let before = if aux > u.tokens.start + 1 {
            r.word(aux - 2)
        } else {
            ""
        };
        if lexicon::is_hedge(before)
            || matches!(
                before,
                "should" | "would" | "could" | "might" | "must" | "will" | "may" | "not"
            )
        {
            return None;
        }
    } else {
        let before = if aux > u.tokens.start {
            r.word(aux - 1)
        } else {
            ""
        };
        if matches!(
            before,
            "to" | "be"
                | "will"
                | "should"
                | "would"
                | "could"
                | "might"
                | "must"
                | "can"
                | "may"
                | "not"
                | "never"
        ) {
            return None;
        }
        // A description rather than a report: "the site is deployed on Vercel via Actions".
        if matches!(w, "is" | "are" | "its" | "it's" | "that's")
            && (v + 1..=a.clause_end(v).min(v + 6)).any(|k| {
                matches!(
                    r.word(k),
                    "via" | "through" | "using" | "behind" | "on" | "at" | "automatically"
                )
            })
        {
            return None;
        }
    }
    // The subject: the clause's words before the auxiliary.
    let start = a.clause_start(aux);
    let subject_ok = (start..aux).all(|k| {
        !(r.is_word(k)
            && (is_negation(r.word(k))
                || is_second_person(r.word(k))
                || matches!(
                    r.word(k),
                    "if" | "once" | "when" | "whether" | "what" | "which"
                )))
    });
    if !subject_ok || aux - start > 8 {
        return None;
    }
    if start == aux && !matches!(w, "it's" | "that's" | "everything's" | "everythings") {
        return None;
    }
    Some(start)
}

fn is_negation(w: &str) -> bool {
    lexicon::is_negation(w)
        || matches!(
            w,
            "nothing" | "none" | "nor" | "wasn't" | "weren't" | "aren't" | "yet"
        )
}
