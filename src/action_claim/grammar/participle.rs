//! Participles that open a sentence: a status update ("Relaunching now.", "Done. Pushing the
//! fix.") or the subject of what follows ("Pushing to main requires a review.").

use super::super::lexicon::{self, Form};
use super::MAX_SUBJECT_SCAN;
use super::leads::sentence_initial;
use crate::prose::scan::{Scan, Sentence, Tok};

/// "Relaunching now.", "Done. Pushing the fix." — a participle opening its sentence, with
/// something after it, that is not the sentence's subject ("Pushing to main requires …").
pub(super) fn opening_participle(scan: &Scan, s: &Sentence, v: usize) -> Option<usize> {
    if !sentence_initial(scan, s, v) && !status_after_comma(scan, s, v) {
        return None;
    }
    if v + 1 == s.tokens.end {
        // "Rebooting.", "OK, merging!" — but not a bare "Deploying" label line.
        return s.stated.then_some(v);
    }
    if !matches!(scan.kind(v + 1), Some(Tok::Word | Tok::Opaque)) {
        return None;
    }
    for j in v + 1..s.tokens.end.min(v + 1 + MAX_SUBJECT_SCAN) {
        if !matches!(scan.kind(j), Some(Tok::Word | Tok::Opaque)) {
            break;
        }
        // Right after the participle, "that" is a determiner ("Reverting that commit …").
        if j > v + 1 && lexicon::opens_clause(scan.word(j)) {
            break;
        }
        if looks_finite(scan, s, j) {
            return None;
        }
    }
    Some(v)
}

/// Is the word at `j` a finite verb (so a participle before it was the subject)? Listed
/// auxiliaries and irregular forms, one of our verbs in a finite form, or an "-ed" word
/// placed like a verb: after a noun and before an object ("… the server *fixed* it"). An
/// "-ed" word closing the clause is read as an adjective ("with the flag *enabled*"),
/// except for our own verbs ("Restarting the server fixed.").
fn looks_finite(scan: &Scan, s: &Sentence, j: usize) -> bool {
    let w = scan.word(j);
    if lexicon::is_finite_marker(w) {
        return true;
    }
    let prev = scan.word(j - 1);
    if lexicon::precedes_non_finite(prev) {
        return false;
    }
    let clause_ends = j + 1 >= s.tokens.end || scan.kind(j + 1) != Some(Tok::Word);
    let object_follows = !clause_ends && lexicon::starts_object(scan.word(j + 1));
    match lexicon::verb(w) {
        Some((_, Form::ThirdPerson)) => true,
        Some((_, Form::Past)) => clause_ends || object_follows,
        _ => w.len() > 4 && w.ends_with("ed") && object_follows,
    }
}

/// "The key was wrong, pushing the fix now", "on it, redeploying": a participle right after
/// a comma is a status update when its clause says when ("now") or it ends the sentence on
/// its own. Otherwise it is usually an adjunct of what came before ("I updated the docs,
/// fixing the typos").
fn status_after_comma(scan: &Scan, s: &Sentence, v: usize) -> bool {
    v > s.tokens.start
        && scan.kind(v - 1) == Some(Tok::Comma)
        && ((v + 1 == s.tokens.end && s.stated)
            || (v + 1..s.tokens.end)
                .take_while(|&k| matches!(scan.kind(k), Some(Tok::Word | Tok::Opaque)))
                .any(|k| lexicon::is_now(scan.word(k))))
}
