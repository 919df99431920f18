//! Whose promise, and is it made here: a lead inside reported speech ("Yesterday I wrote that
//! I'll rebase the branch", "the ticket says we'll redeploy") reports a promise; a lead inside a
//! relative clause ("the scenario we're fixing", "the PR that I'm reverting") describes its
//! noun. Neither is a new promise.

use super::super::lexicon;
use crate::prose::scan::{Scan, Sentence, Tok};

/// How many words may sit between a reporting verb and the lead ("I told *Dana* I'll …",
/// "I said *earlier* that I'll …"), or between a determiner and the lead ("the *flaky
/// integration* test I'm fixing").
const REACH: usize = 3;

/// The lead at `start` is reported: a reporting verb before it in the same clause, with an
/// optional "that".
pub(super) fn reported(scan: &Scan, s: &Sentence, start: usize) -> bool {
    let mut j = start;
    if j > s.tokens.start && scan.word(j - 1) == "that" {
        j -= 1;
    }
    for _ in 0..REACH {
        if j == s.tokens.start || scan.kind(j - 1) != Some(Tok::Word) {
            return false;
        }
        j -= 1;
        let w = scan.word(j);
        if lexicon::reports_speech(w) {
            return true;
        }
        if lexicon::opens_clause(w) || lexicon::is_opener(w) {
            return false;
        }
    }
    false
}

/// The lead at `start` opens a relative clause: a noun phrase right before it ("the scenario
/// we're fixing"), with an optional "that"/"which"/"who". A time adverbial is not one ("This
/// time I'll rebuild from scratch").
pub(super) fn relative(scan: &Scan, s: &Sentence, start: usize) -> bool {
    let mut j = start;
    if j > s.tokens.start && matches!(scan.word(j - 1), "that" | "which" | "who") {
        j -= 1;
    }
    if j == s.tokens.start || lexicon::is_time_noun(scan.word(j - 1)) {
        return false;
    }
    for _ in 0..REACH {
        if j == s.tokens.start || scan.kind(j - 1) != Some(Tok::Word) {
            return false;
        }
        j -= 1;
        let w = scan.word(j);
        if lexicon::is_determiner(w) {
            // A noun between them, and the noun phrase is not the subject of an adverbial
            // clause ("Once the build finishes I'll restart the workers").
            let adverbial = j > s.tokens.start
                && (lexicon::opens_clause(scan.word(j - 1))
                    || lexicon::fronts_clause(scan.word(j - 1)));
            return j + 1 < start && !adverbial;
        }
        let verb_like = lexicon::is_finite_marker(w) || lexicon::verb(w).is_some();
        if verb_like || lexicon::opens_clause(w) || lexicon::is_opener(w) || lexicon::is_filler(w) {
            return false;
        }
    }
    false
}
