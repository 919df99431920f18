//! What takes a promise back: a condition or offer governing it ("if CI passes, I'll
//! merge", "want me to restart it?"), or a hedge in its clause ("maybe I'll rebuild").

use super::super::lexicon::{self, Form};
use super::MAX_CONJUNCT;
use super::leads::sentence_initial;
use crate::prose::scan::{Scan, Sentence, Tok};

/// How far after a promise a condition may come and still govern it ("I'll merge the PR
/// into the release branch … if CI passes"); further on it is about something else. Keeps
/// each check constant-time, whatever the sentence's length.
const REACH: usize = 32;

/// A condition or offer marker in a sentence.
pub(super) struct Marker {
    at: usize,
    /// An event condition ("if the smoke test passes"), which governs only the verb phrase
    /// it follows; every other marker governs the whole sentence.
    narrow: bool,
}

/// Condition and offer markers in the sentence ("if", "unless", "let me know", "once you",
/// "want me to" …), in order, skipping indirect questions ("check if").
pub(super) fn condition_markers(scan: &Scan, s: &Sentence) -> Vec<Marker> {
    let mut out = Vec::new();
    for j in s.tokens.clone() {
        if scan.kind(j) != Some(Tok::Word) {
            continue;
        }
        // An inverted condition opening the sentence: "Should the build fail, I'll rebuild",
        // "Were the tests to fail, …", "Had it worked, …".
        // A request to the user opening the sentence: "Say which one and I'll rebase",
        // "Merge it and I'll deploy".
        let w = scan.word(j);
        let request = (lexicon::asks_the_user(w)
            || matches!(lexicon::verb(w), Some((_, lexicon::Form::Base))))
            && j + 1 < s.tokens.end
            && lexicon::requests_object(scan.word(j + 1));
        if request && sentence_initial(scan, s, j) {
            out.push(Marker {
                at: j,
                narrow: false,
            });
            continue;
        }
        if matches!(scan.word(j), "should" | "were" | "had") && sentence_initial(scan, s, j) {
            out.push(Marker {
                at: j,
                narrow: false,
            });
            continue;
        }
        let words: [&str; 4] = std::array::from_fn(|k| {
            if j + k < s.tokens.end {
                scan.word(j + k)
            } else {
                ""
            }
        });
        if !lexicon::starts_condition(&words) {
            continue;
        }
        let before = |k: usize| {
            if j >= s.tokens.start + k {
                scan.word(j - k)
            } else {
                ""
            }
        };
        // "check if", "have a look at whether": an indirect question, not a condition.
        let inquiry = matches!(words[0], "if" | "whether")
            && (lexicon::is_inquiry_verb(before(1))
                || (before(1) == "at" && lexicon::is_inquiry_verb(before(2))));
        if !inquiry {
            out.push(Marker {
                at: j,
                narrow: lexicon::narrow_condition(&words),
            });
        }
    }
    out
}

/// A marker before the promise governs it; one after it governs it too, unless a new clause
/// starts first ("I'll push now, and if CI fails I'll revert"), or the marker is an event
/// condition on a later verb phrase ("I'll rebuild the wheel and publish it if …").
pub(super) fn conditioned(scan: &Scan, markers: &[Marker], v: usize) -> bool {
    if markers.first().is_some_and(|m| m.at <= v) {
        return true;
    }
    markers.iter().take_while(|m| m.at <= v + REACH).any(|m| {
        let mut k = m.at;
        while k > v + 1 && scan.kind(k - 1) == Some(Tok::Comma) {
            k -= 1;
        }
        let before = scan.word(k - 1);
        let new_clause =
            matches!(before, "and" | "but" | "then" | "so" | "also" | "plus") && k - 1 != v;
        let on_later_verb = m.narrow && later_verb_phrase(scan, v, m.at);
        !(new_clause || on_later_verb)
    })
}

/// Between the promise at `v` and `until`, "and"/"then" opens another verb phrase: a lead
/// ("and I'll roll it back"), a verb of the set ("and publish it"), or a word taking an
/// object ("and upload it") — not a second noun ("the api and the worker").
fn later_verb_phrase(scan: &Scan, v: usize, until: usize) -> bool {
    (v + 1..until).any(|k| {
        if !matches!(scan.word(k), "and" | "then" | "plus" | "&") {
            return false;
        }
        let mut h = k + 1;
        while h < until && (scan.kind(h) == Some(Tok::Comma) || lexicon::is_filler(scan.word(h))) {
            h += 1;
        }
        if h >= until {
            return false;
        }
        let w = scan.word(h);
        let lead = matches!(
            w,
            "i'll" | "i" | "we'll" | "we" | "let" | "i'm" | "we're" | "will" | "gonna" | "going"
        );
        let verb = matches!(lexicon::verb(w), Some((_, Form::Base | Form::Ing)));
        let takes_object = scan.kind(h) == Some(Tok::Word)
            && !lexicon::starts_object(w)
            && !lexicon::is_determiner(w)
            && h + 1 < until
            && lexicon::starts_object(scan.word(h + 1));
        lead || verb || takes_object
    })
}

/// "Maybe I'll rebuild", "Perhaps we'll redeploy": a hedge earlier in the lead's clause.
/// (A hedge in an earlier clause — "the build probably failed, so I'll rerun it" — is about
/// something else.) Looks back at most [`MAX_CONJUNCT`] words.
pub(super) fn hedged(scan: &Scan, s: &Sentence, start: usize) -> bool {
    (s.tokens.start..start)
        .rev()
        .take(MAX_CONJUNCT)
        .take_while(|&k| matches!(scan.kind(k), Some(Tok::Word | Tok::Opaque)))
        .any(|k| lexicon::is_hedge(scan.word(k)))
}
