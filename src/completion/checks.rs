//! Claims that a check passes. Each construction is read from a head (see [`super::heads`])
//! in a bounded window of tokens, so the pass is linear:
//! - subject + predicate: "(all 214) tests pass", "the build is green", "clippy is clean",
//!   "`cargo test` passes", "Tests: ✅", "lint (0 issues)", "tests and lint pass", "ran the
//!   suite — all green", "the parser tests in `tests/parser.rs` pass";
//! - the check as an object: "passes all tests and lint";
//! - a verb: "it compiles", "everything builds cleanly";
//! - a clean count: "no clippy warnings", "0 type errors", "no test failures".
//!
//! The scope is a subset when words narrow the check ("the new parser tests", "tests for the
//! auth module", "`cargo test parser`", "`test_parse_empty` passes", "the test passes").

use super::context::Analysis;
use super::heads::{Head, HeadKind};
use super::markers::Policy;
use super::words::*;
use super::{CheckKind, Found, Scope, Subject};
use crate::action_claim::lexicon;
use crate::prose::scan::Tok;

mod forms;
mod predicate;
mod short;
mod subject;

use forms::*;
use predicate::*;
use short::*;
use subject::*;

/// A claim before its context is checked: token positions.
struct Candidate {
    kind: CheckKind,
    /// The head it was read from (index into the unit's heads).
    head: Option<usize>,
    start: usize,
    pred: usize,
    end: usize,
    scope: Scope,
}

pub(super) fn find(a: &Analysis, out: &mut Vec<Found>) {
    if a.unit.question {
        return;
    }
    let mut push = |c: Candidate| {
        let policy = Policy::Check {
            kind: c.kind,
            head: c.head,
            all: c.scope == Scope::All,
        };
        if a.allowed(policy, c.start, c.pred) {
            out.push(Found {
                subject: Subject::Check {
                    kind: c.kind,
                    scope: c.scope,
                },
                start: a.reader.start_of(c.start),
                end: a.reader.end_of(c.end),
            });
        }
    };
    for (i, head) in a.heads.iter().enumerate() {
        if let HeadKind::Check(kind) = head.kind
            && let Some(mut c) = subject_predicate(a, head, kind).or_else(|| ticked(a, head, kind))
        {
            c.head = Some(i);
            push(c);
        }
    }
    if let Some(c) = anaphora(a).or_else(|| bare_count(a)) {
        push(c);
    }
    let r = a.reader;
    for k in a.unit.tokens.clone() {
        if !r.is_word(k) {
            continue;
        }
        match r.word(k) {
            "compiles" | "compiled" | "builds" | "built" => {
                if let Some(c) = compiles(a, k) {
                    push(c);
                }
            }
            "pass" | "passes" | "passed" | "passing" => {
                for c in passes_object(a, k) {
                    push(c);
                }
            }
            w if is_zero(w) => {
                if let Some(c) = clean_count(a, k) {
                    push(c);
                }
            }
            _ => {}
        }
    }
}

/// "the new parser tests (in X) are all passing".
fn subject_predicate(a: &Analysis, head: &Head, kind: CheckKind) -> Option<Candidate> {
    // "The integration tests in `tests/api.rs` pass": the second head is in the first's
    // phrase, not a subject of its own.
    let r0 = a.reader;
    if head.first > a.unit.tokens.start
        && r0.is_word(head.first - 1)
        && is_preposition(r0.word(head.first - 1))
        && (head.first.saturating_sub(8)..head.first).any(|k| {
            a.head_at(k)
                .is_some_and(|(_, h)| matches!(h.kind, HeadKind::Check(_)))
        })
    {
        return None;
    }
    let left = noun_phrase_left(a, head)?;
    let right = predicate_right(a, head, kind)?;
    let r = a.reader;
    let scope = if let Some(scope) = &head.scope {
        scope.clone()
    } else if let Some(what) = subset_words(a, left.modifiers, right.pp) {
        Scope::Subset { what }
    } else if head.singular && !left.every {
        Scope::Subset {
            what: r.raw(head.first).to_string(),
        }
    } else {
        Scope::All
    };
    let scope = if kind == CheckKind::Tests {
        scope
    } else {
        Scope::All
    };
    Some(Candidate {
        kind,
        head: None,
        start: left.start,
        pred: right.pred,
        end: right.pred,
        scope,
    })
}

/// The narrowing words of a check, as written, unless they leave it whole ("the full
/// suite"). Joins modifiers before the head and a phrase after it.
fn subset_words(
    a: &Analysis,
    modifiers: Option<(usize, usize)>,
    pp: Option<(usize, usize)>,
) -> Option<String> {
    let r = a.reader;
    let mut parts: Vec<&str> = Vec::new();
    if let Some((first, last)) = modifiers {
        let narrowing = (first..=last).find(|&t| !(r.is_word(t) && is_neutral_modifier(r.word(t))));
        if let Some(f) = narrowing {
            parts.push(&r.text()[r.start_of(f)..r.end_of(last)]);
        }
    }
    if let Some((first, last)) = pp {
        parts.push(&r.text()[r.start_of(first)..r.end_of(last)]);
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
