//! The subject of a check claim, read leftwards from its head: determiners and quantities
//! ("all 214", "every", "none of the" — the last a failure, "9 of 11" a partial report) and
//! the words that narrow it ("the new parser tests").

use super::*;

pub(super) struct Left {
    pub(super) start: usize,
    /// Words between the determiners and the head that may narrow it.
    pub(super) modifiers: Option<(usize, usize)>,
    /// "all", "every", "each", "both": a singular head is still the whole check.
    pub(super) every: bool,
}

/// Walks left from the head over modifiers and determiners. None for a negative or partial
/// quantity ("no tests", "some tests", "9 of 11 tests", "9/11 tests").
pub(super) fn noun_phrase_left(a: &Analysis, head: &Head) -> Option<Left> {
    let r = a.reader;
    let u = &a.unit;
    let mut i = head.first;
    let mut modifiers: Option<(usize, usize)> = None;
    let mut determined = false;
    let mut every = false;
    for _ in 0..8 {
        // Not across the start of the unit or of a sentence joined after a colon.
        if i == u.tokens.start || a.joined_at(i) {
            break;
        }
        let j = i - 1;
        match r.kind(j) {
            Some(Tok::Opaque) if !determined => {
                modifiers = Some((j, modifiers.map_or(j, |m| m.1)));
            }
            Some(Tok::Word) => {
                let w = r.word(j);
                // "CI's build passes", "the reviewer's tests are green": theirs, relayed.
                if w.strip_suffix("'s")
                    .is_some_and(|owner| is_actor(owner) || is_ci(owner))
                {
                    return None;
                }
                if w == "of" || w == "out" {
                    // "9 of 11 tests", "9 out of 11", "all of the tests", "none of the …".
                    let after = r.word(i);
                    let before = if j > u.tokens.start {
                        r.word(j - 1)
                    } else {
                        ""
                    };
                    if let (Some(n), Some(m)) = (number(before), number(after))
                        && n != m
                    {
                        return None;
                    }
                    // "the rest of the suite": what is left of it.
                    if matches!(before, "rest" | "remainder") {
                        modifiers = Some((j - 1, j - 1));
                        i = j - 1;
                        break;
                    }
                    determined = true;
                } else if is_zero(w) || w == "neither" || is_partial_quantifier(w) {
                    return None;
                } else if let Some((x, y)) = ratio(w) {
                    if x != y {
                        return None;
                    }
                    determined = true;
                } else if number(w).is_some() || is_determiner(w) {
                    every |= matches!(w, "every" | "each" | "all" | "both");
                    determined = true;
                } else if determined
                    || ends_noun_phrase(w)
                    || is_ci(w)
                    || lexicon::verb(w).is_some()
                    || check_noun(w).is_some()
                    || (w.len() > 4 && w.ends_with("ly"))
                    || (w.ends_with("ed") && !is_adjective_ed(w))
                    || is_hedge(w)
                    || is_plan(w)
                {
                    if is_ci(w) && !determined {
                        // "CI tests pass": CI's report.
                        return None;
                    }
                    break;
                } else {
                    modifiers = Some((j, modifiers.map_or(j, |m| m.1)));
                }
            }
            _ => break,
        }
        i = j;
    }
    // "With this fix tests pass": the words before the head belonged to a phrase of their own.
    if i > u.tokens.start && r.is_word(i - 1) && is_preposition(r.word(i - 1)) && i < head.first {
        return Some(Left {
            start: head.first,
            modifiers: None,
            every: false,
        });
    }
    Some(Left {
        start: i,
        modifiers,
        every,
    })
}

/// "-ed" words that modify a test noun ("the added tests", "the updated specs").
pub(super) fn is_adjective_ed(w: &str) -> bool {
    matches!(
        w,
        "added"
            | "updated"
            | "modified"
            | "affected"
            | "related"
            | "targeted"
            | "changed"
            | "expanded"
            | "extended"
            | "rewritten"
            | "refactored"
            | "parameterized"
            | "parametrized"
            | "detailed"
            | "nested"
            | "isolated"
            | "focused"
            | "advanced"
    )
}
