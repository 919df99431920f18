//! Short status lines: a check alone on a ticked line ("✅ Lint"), a success that refers back
//! to the previous sentence's check ("Ran the tests again; all passing."), and a runner's
//! count with no noun ("42/42 passing").

use super::*;
use crate::completion::context::REFERRING_UNIT_MAX;

/// "✅ Integration tests", "- ✓ Lint": a check named alone on a ticked line.
pub(super) fn ticked(a: &Analysis, head: &Head, kind: CheckKind) -> Option<Candidate> {
    let r = a.reader;
    if !a.line().ticked || a.unit.tokens.len() > 16 {
        return None;
    }
    let mut depth = 0;
    let alone = a.unit.tokens.clone().all(|k| {
        match r.kind(k) {
            Some(Tok::Paren) => depth += if r.raw(k) == "(" { 1 } else { -1 },
            Some(Tok::Dash) => {}
            _ if depth > 0 || (head.first..=head.last).contains(&k) => {}
            Some(Tok::Word)
                if k < head.first
                    && (is_determiner(r.word(k))
                        || number(r.word(k)).is_some()
                        || is_neutral_modifier(r.word(k))) => {}
            Some(Tok::Word) if k < head.first => {}
            _ => return false,
        }
        true
    });
    let left = noun_phrase_left(a, head)?;
    let scope = match (&head.scope, subset_words(a, left.modifiers, None)) {
        (Some(s), _) => s.clone(),
        (None, Some(what)) => Scope::Subset { what },
        (None, None) => Scope::All,
    };
    let scope = if kind == CheckKind::Tests {
        scope
    } else {
        Scope::All
    };
    alone.then_some(Candidate {
        kind,
        head: None,
        start: left.start,
        pred: head.last,
        end: head.last,
        scope,
    })
}

/// "Ran the tests again; all passing.": a short sentence of only a success, about the check
/// the previous sentence ended on.
pub(super) fn anaphora(a: &Analysis) -> Option<Candidate> {
    let r = a.reader;
    let u = &a.unit;
    let head = a.antecedent.as_ref()?;
    let HeadKind::Check(kind) = head.kind else {
        return None;
    };
    if !a.heads.is_empty() || u.tokens.len() > REFERRING_UNIT_MAX {
        return None;
    }
    let mut pred = None;
    for k in u.tokens.clone() {
        match r.kind(k) {
            Some(Tok::Word) if is_success(kind, r.word(k)) && pred.is_none() => pred = Some(k),
            Some(Tok::Word)
                if matches!(
                    r.word(k),
                    "all"
                        | "both"
                        | "they"
                        | "everything"
                        | "now"
                        | "still"
                        | "are"
                        | "is"
                        | "again"
                ) => {}
            Some(Tok::Dash) => {}
            _ => return None,
        }
    }
    let pred = pred?;
    Some(Candidate {
        kind,
        head: None,
        start: u.tokens.start,
        pred,
        end: pred,
        scope: head
            .scope
            .clone()
            .filter(|_| kind == CheckKind::Tests)
            .unwrap_or(Scope::All),
    })
}

/// A runner's count in prose with no noun: "42/42 passing", "214 passed, 0 failed".
pub(super) fn bare_count(a: &Analysis) -> Option<Candidate> {
    let r = a.reader;
    let u = &a.unit;
    if a.heads.iter().any(|h| matches!(h.kind, HeadKind::Check(_))) {
        return None;
    }
    // Within the unit: "42/42" ending one sentence and "passing" opening the next are two.
    let word = |k: usize| a.word_in_unit(k).unwrap_or("");
    u.tokens.clone().find_map(|k| {
        let next = word(k + 1);
        if !matches!(next, "passing" | "passed" | "pass" | "green") {
            return None;
        }
        let w = word(k);
        let whole = ratio(w).is_some_and(|(x, y)| x == y && x > 0);
        let none_failed = next == "passed"
            && number(w).is_some_and(|n| n > 0)
            && r.kind(k + 2) == Some(Tok::Comma)
            && number(word(k + 3)) == Some(0)
            && matches!(word(k + 4), "failed" | "failures" | "failing");
        (whole || none_failed).then_some(Candidate {
            kind: CheckKind::Tests,
            head: None,
            start: k,
            pred: k + 1,
            end: k + 1,
            scope: Scope::All,
        })
    })
}
