//! Is a promise for now? Imminent means "now", "next", "right away", a participle opening
//! ("Relaunching now."), "let me …", or no time word at all; not when its clause puts it
//! later ("tomorrow", "after the freeze", "at 5 pm", "later today", "in the next session", "in
//! an hour") or makes it wait ("once the build finishes", "when CI is green", "until"), and
//! not when it follows something still under way ("The build is still running. I'll publish
//! the release.") or a step that is not the assistant's ("CI is running now. Then I'll
//! merge.").
//!
//! Time words inside an embedded clause say nothing about when the promise is kept ("Let me
//! check *what happens when* the cache is cold"), and "after"/"before"/"at the end" before a
//! place in the code are places, not times ("I'll add it *after* the `parse` function").

use super::super::lexicon;
use crate::prose::scan::{Scan, Sentence, Tok};

/// How far after "after", "before" or "at the end" a place may be named ("after the
/// existing state declarations").
const PLACE_REACH: usize = 5;

/// The promise starting at token `lead` of sentence `index` is for now.
pub(super) fn imminent(scan: &Scan, index: usize, lead: usize) -> bool {
    let s = &scan.sentences[index];
    if puts_later(scan, s, lead) {
        return false;
    }
    let previous = index.checked_sub(1).map(|p| &scan.sentences[p]);
    if previous.is_some_and(|p| under_way(scan, p)) {
        return false;
    }
    // "…, then I'll merge", "Then I'll merge": the step before must be the assistant's own
    // promise too ("Let me rebuild the image, then I'll push it").
    let then = (s.tokens.start..lead).find(|&k| scan.word(k) == "then");
    match then {
        Some(k) if !opener_only(scan, s, k) => promises_before(scan, s.tokens.start..k),
        Some(_) => previous.is_some_and(|p| promises_before(scan, p.tokens.clone())),
        None => true,
    }
}

/// "The build is *still running*", "*Waiting* for the canary", "CI is *queued*".
fn under_way(scan: &Scan, s: &Sentence) -> bool {
    s.tokens.clone().any(|k| {
        let w = scan.word(k);
        lexicon::is_under_way(w)
            || (w == "still" && {
                let next = scan.word(k + 1);
                (next.ends_with("ing") && !lexicon::is_false_ing(next)) || next == "in"
            })
    })
}

/// Only openers and commas before token `k`: "OK, then …", "And then …".
fn opener_only(scan: &Scan, s: &Sentence, k: usize) -> bool {
    (s.tokens.start..k)
        .all(|j| scan.kind(j) == Some(Tok::Comma) || lexicon::is_opener(scan.word(j)))
}

/// A first-person lead of a promise among these tokens: "I'll", "let me", "I'm going to".
fn promises_before(scan: &Scan, tokens: std::ops::Range<usize>) -> bool {
    let mut prev = "";
    tokens.into_iter().any(|k| {
        let w = scan.word(k);
        let lead = matches!(w, "i'll" | "lemme" | "gonna" | "i'm")
            || (w == "me" && prev == "let")
            || (w == "will" && prev == "i");
        prev = w;
        lead
    })
}

/// A time expression in the promise's own clause puts it later or makes it wait. The scan
/// stops where an embedded clause starts after the lead ("what happens when", "to see if").
fn puts_later(scan: &Scan, s: &Sentence, lead: usize) -> bool {
    for k in s.tokens.clone() {
        if scan.kind(k) != Some(Tok::Word) {
            continue;
        }
        if k > lead && embeds_clause(scan, s, k) {
            return false;
        }
        if later_at(scan, s, k) {
            return true;
        }
    }
    false
}

/// "what", "how", "whether", "so", "because", or "to" with a verb of purpose ("to see",
/// "to understand") opens a clause whose time words are its own.
fn embeds_clause(scan: &Scan, s: &Sentence, k: usize) -> bool {
    match scan.word(k) {
        "what" | "how" | "why" | "where" | "whether" | "which" | "who" | "so" | "because"
        | "since" => true,
        "to" => k + 1 < s.tokens.end && lexicon::is_purpose_verb(scan.word(k + 1)),
        _ => false,
    }
}

/// Token `k` starts a time expression that puts the promise later or makes it wait.
fn later_at(scan: &Scan, s: &Sentence, k: usize) -> bool {
    let at = |d: usize| {
        if k + d < s.tokens.end {
            scan.word(k + d)
        } else {
            ""
        }
    };
    let number = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    let verb_ing = |w: &str| w.ends_with("ing") && !lexicon::is_false_ing(w);
    match at(0) {
        // "once more", "once again"; "after rebuilding it", "when running the suite": the
        // assistant's own sequence, or a manner.
        "once" if matches!(at(1), "more" | "again") => false,
        "after" | "when" | "once" | "until" | "before" if verb_ing(at(1)) => false,
        "after" | "before" => !names_a_place(scan, s, k),
        w if lexicon::is_later(w) => true,
        // "next week", "the next session"; not "Next, I'll push" nor "next step".
        "next" => lexicon::is_later_period(at(1)),
        // "in an hour", "in 10 minutes", "in a few days", "in the next session".
        "in" => {
            let (a, b, c) = (at(1), at(2), at(3));
            let delay = lexicon::is_delay_unit(b)
                || (matches!(b, "few" | "couple") && lexicon::is_delay_unit(c))
                || (b == "couple" && c == "of");
            ((matches!(a, "a" | "an" | "one" | "two" | "few") || number(a)) && delay)
                || (a == "the" && b == "next")
        }
        // "at 5 pm", "at noon", "by tomorrow", "by the end of the day" (not "at the end of
        // the file").
        "at" | "by" => {
            number(at(1))
                || lexicon::is_appointed(at(1))
                || (at(1) == "the"
                    && matches!(at(2), "end" | "latest")
                    && !names_a_place(scan, s, k))
        }
        // "on Monday", "on the 5th".
        "on" => number(at(1)) || lexicon::is_later(at(1)),
        // "this afternoon", "this week".
        "this" => lexicon::is_later(at(1)) || lexicon::is_later_period(at(1)),
        // "at some point", "first thing".
        "some" => matches!(at(1), "point" | "stage"),
        "first" => at(1) == "thing",
        "as" => at(1) == "soon" && at(2) == "as",
        _ => false,
    }
}

/// A place in the code or the text follows within a few words: code (`` `parse` ``) or a
/// word such as "file", "function", "line", "section" — and no event is told of it ("after
/// `make release` *finishes*" is a time).
fn names_a_place(scan: &Scan, s: &Sentence, k: usize) -> bool {
    let limit = s.tokens.end.min(k + 1 + 2 * PLACE_REACH);
    let end = (k + 1..limit)
        .find(|&j| !matches!(scan.kind(j), Some(Tok::Word | Tok::Opaque)))
        .unwrap_or(limit);
    let place = (k + 1..end.min(k + 1 + PLACE_REACH))
        .any(|j| scan.kind(j) == Some(Tok::Opaque) || lexicon::is_place(scan.word(j)));
    place && !(k + 1..end).any(|j| lexicon::tells_event(scan.word(j)))
}
