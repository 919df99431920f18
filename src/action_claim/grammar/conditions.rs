//! What takes a promise back: a condition or offer governing it ("if CI passes, I'll
//! merge", "want me to restart it?"), or a hedge in its clause ("maybe I'll rebuild").

use super::super::lexicon;
use super::leads::sentence_initial;
use crate::prose::scan::{Scan, Sentence, Tok};

/// Positions of condition and offer markers in the sentence ("if", "unless", "let me know",
/// "once you", "want me to" …), skipping indirect questions ("check if").
pub(super) fn condition_markers(scan: &Scan, s: &Sentence) -> Vec<usize> {
    let mut out = Vec::new();
    for j in s.tokens.clone() {
        if scan.kind(j) != Some(Tok::Word) {
            continue;
        }
        // An inverted condition opening the sentence: "Should the build fail, I'll rebuild",
        // "Were the tests to fail, …", "Had it worked, …".
        if matches!(scan.word(j), "should" | "were" | "had") && sentence_initial(scan, s, j) {
            out.push(j);
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
            out.push(j);
        }
    }
    out
}

/// A marker before the promise governs it; one after it governs it too, unless a new clause
/// starts first ("I'll push now, and if CI fails I'll revert").
pub(super) fn conditioned(scan: &Scan, markers: &[usize], v: usize) -> bool {
    markers.iter().any(|&m| {
        if m <= v {
            return true;
        }
        let mut k = m;
        while k > v + 1 && scan.kind(k - 1) == Some(Tok::Comma) {
            k -= 1;
        }
        let before = scan.word(k - 1);
        !matches!(before, "and" | "but" | "then" | "so" | "also" | "plus") || k - 1 == v
    })
}

/// "Maybe I'll rebuild", "Perhaps we'll redeploy": a hedge earlier in the lead's clause.
/// (A hedge in an earlier clause — "the build probably failed, so I'll rerun it" — is about
/// something else.)
pub(super) fn hedged(scan: &Scan, s: &Sentence, start: usize) -> bool {
    (s.tokens.start..start)
        .rev()
        .take_while(|&k| matches!(scan.kind(k), Some(Tok::Word | Tok::Opaque)))
        .any(|k| lexicon::is_hedge(scan.word(k)))
}
