//! Action claims without a first-person subject or an auxiliary: the participle opening its
//! sentence or a comma-list item ("Pushed the fix.", "tests green, pushed"), a telegraphic
//! line ("Worker restarted."), and a participle joined to a reported action ("Committed and
//! pushed.").

use super::*;

/// "Pushed the fix to main.", "Done — deployed.", "OK, merged." — unless the participle is an
/// adjective in a subject ("Merged branches are deleted nightly"). Returns the start, and
/// whether it is a comma-list item (which may describe rather than report).
pub(super) fn opening(a: &Analysis, v: usize) -> Option<(usize, bool)> {
    let r = a.reader;
    let u = &a.unit;
    // Or an item of a comma list of results: "tests green, lint clean, pushed".
    let next = if v + 1 < u.tokens.end {
        r.word(v + 1)
    } else {
        ""
    };
    // Not inside an aside: "the auth layer (phase 2, shipped) is …".
    let aside = (u.tokens.start.max(v.saturating_sub(32))..v)
        .filter(|&k| r.kind(k) == Some(Tok::Paren))
        .fold(0i32, |depth, k| {
            depth + if r.raw(k) == "(" { 1 } else { -1 }
        })
        > 0;
    let listed = v > u.tokens.start
        && !aside
        && r.kind(v - 1) == Some(Tok::Comma)
        && (u.stated || u.bullet)
        && a.clause_end(v) - v <= 4
        && (a.clause_end(v) == v
            || r.kind(v + 1) == Some(Tok::Opaque)
            || matches!(
                next,
                "to" | "onto"
                    | "into"
                    | "and"
                    | "it"
                    | "them"
                    | "the"
                    | "a"
                    | "an"
                    | "this"
                    | "that"
                    | "as"
                    | "with"
                    | "on"
                    | "in"
                    | "at"
                    | "successfully"
                    | "cleanly"
                    | "now"
                    | "too"
                    | "all"
                    | "both"
                    | "everything"
                    | "upstream"
                    | "back"
            ));
    if !a.initial(v) && !listed {
        return None;
    }
    let clause_end = a.clause_end(v);
    if clause_end == v && v + 1 == u.tokens.end && !(u.stated || u.bullet) {
        // A bare "Deployed" label line.
        return None;
    }
    for k in v + 1..=clause_end.min(v + 12) {
        let w = r.word(k);
        if k > v + 1 && lexicon::opens_clause(w) {
            break;
        }
        if lexicon::is_finite_marker(w) && !matches!(w, "has" | "had") {
            return None;
        }
    }
    // A list item after a comma may be a reduced relative ("the image, rebuilt nightly"):
    // habits take it back.
    Some((v, listed && !a.initial(v)))
}

/// "Changes pushed to origin/main.", "Worker restarted.", "v1.2.3 published to crates.io."
pub(super) fn telegraphic(a: &Analysis, v: usize) -> Option<usize> {
    let r = a.reader;
    let c = a.clause_start(v);
    if c == v || v - c > 5 || !a.initial(c) {
        return None;
    }
    let np_ok = (c..v).all(|k| match r.kind(k) {
        Some(Tok::Opaque) => true,
        Some(Tok::Word) => {
            let w = r.word(k);
            !(matches!(
                w,
                "i" | "we"
                    | "you"
                    | "he"
                    | "she"
                    | "they"
                    | "it"
                    | "this"
                    | "that"
                    | "what"
                    | "which"
                    | "who"
            ) || is_actor(w)
                || is_negation(w)
                || is_plan(w)
                || lexicon::is_finite_marker(w)
                || lexicon::is_hedge(w)
                || matches!(lexicon::verb(w), Some((_, Form::Past | Form::Ing)))
                || crate::completion::words::is_preposition(w) && k == c
                || crate::completion::words::is_condition(w)
                || matches!(
                    w,
                    "once"
                        | "when"
                        | "after"
                        | "before"
                        | "until"
                        | "and"
                        | "or"
                        | "but"
                        | "so"
                        | "if"
                ))
        }
        _ => false,
    });
    if !np_ok {
        return None;
    }
    let end = a.clause_end(v);
    let next = r.word(v + 1);
    let next_ok = v == end
        || matches!(
            next,
            "and"
                | "successfully"
                | "cleanly"
                | "as"
                | "now"
                | "already"
                | "back"
                | "again"
                | "fine"
                | "ok"
        )
        || (crate::completion::words::is_preposition(next)
            && !matches!(
                next,
                "by" | "after" | "before" | "during" | "since" | "like" | "than"
            ));
    next_ok.then_some(c)
}

/// "Committed and pushed.", "I updated the config and restarted the worker", "Rebased,
/// re-ran the tests, and force-pushed."
pub(super) fn coordinated(a: &Analysis, v: usize) -> Option<usize> {
    let r = a.reader;
    let u = &a.unit;
    // Back over adverbs to "and", "then", "&", "+" or a comma: `x` is the first of them.
    let mut j = v;
    let mut joined: Option<usize> = None;
    for _ in 0..4 {
        if j == u.tokens.start {
            break;
        }
        j -= 1;
        match r.kind(j) {
            Some(Tok::Comma) => joined = Some(j),
            Some(Tok::Word) if matches!(r.word(j), "and" | "then" | "&" | "+" | "plus") => {
                joined = Some(j);
            }
            Some(Tok::Word) if is_adverb(r.word(j)) => {}
            _ => break,
        }
    }
    let x = joined?;
    // The first conjunct: from the unit start (or a dash) up to `x`.
    let mut from = x;
    while from > u.tokens.start && r.kind(from - 1) != Some(Tok::Dash) && x - from < 24 {
        from -= 1;
    }
    if x - from >= 24 {
        return None;
    }
    let mut k = from;
    while k < x
        && (r.kind(k) == Some(Tok::Comma)
            || (r.is_word(k) && lexicon::is_opener(r.word(k)) && !past_ish(r.word(k))))
    {
        k += 1;
    }
    let first = r.word(k);
    // A perfect first-person subject opening the conjunct is the subject looked for below
    // ("I've fixed the typo and pushed"), not another clause's: only elsewhere does it block.
    let subject = matches!(first, "i've" | "we've").then_some(k);
    for t in from..x {
        if r.is_word(t)
            && Some(t) != subject
            && lexicon::blocks_coordination(r.word(t))
            && !matches!(r.word(t), "so" | "that")
        {
            return None;
        }
    }
    if matches!(first, "i" | "we" | "i've" | "we've") {
        let reported = (k + 1..x.min(k + 4)).any(|t| past_ish(r.word(t)));
        return reported.then_some(k);
    }
    if past_ish(first) {
        return Some(k);
    }
    // "Everything is committed and pushed."
    (k..x)
        .find(|&t| matches!(r.word(t), "is" | "are" | "been" | "was" | "were" | "it's"))
        .filter(|&t| t + 1 < x && past_ish(r.word(t + 1)))
        .map(|_| k)
}

/// A past tense or participle: ours, any "-ed" word, or a common irregular one.
pub(super) fn past_ish(w: &str) -> bool {
    matches!(lexicon::verb(w), Some((_, Form::Past)))
        || (w.len() > 4
            && w.ends_with("ed")
            && !matches!(
                w,
                "need"
                    | "speed"
                    | "seed"
                    | "feed"
                    | "embed"
                    | "indeed"
                    | "proceed"
                    | "succeed"
                    | "exceed"
                    | "based"
            ))
        || matches!(
            w,
            "built"
                | "ran"
                | "reran"
                | "made"
                | "wrote"
                | "rewrote"
                | "put"
                | "set"
                | "got"
                | "did"
                | "found"
                | "kept"
                | "left"
                | "sent"
                | "took"
                | "gave"
                | "brought"
                | "rebuilt"
                | "redid"
                | "split"
                | "cut"
                | "bumped"
                | "tagged"
                | "began"
                | "undid"
                | "rerun"
        )
}
