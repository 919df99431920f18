//! Participles that open a sentence: a status update ("Relaunching now.", "Done. Pushing the
//! fix.") or the subject of what follows ("Pushing to main requires a review.",
//! "Reverting both commits would lose the logging fix.").

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
    if governed_by_colon(scan, s) {
        return None;
    }
    if v + 1 == s.tokens.end {
        // "Rebooting.", "OK, merging!" — but not a bare "Deploying" label line.
        return s.stated.then_some(v);
    }
    if !matches!(scan.kind(v + 1), Some(Tok::Word | Tok::Opaque)) {
        return None;
    }
    (!subject_of_finite_verb(scan, s, v)).then_some(v)
}

/// Is the participle at `v` the subject of a finite verb later in its clause? Each clause
/// opened after it ("so the binary *gets* picked up", "that *broke* login", "to make sure the
/// fix *is* live") owns one finite verb; a finite verb left over belongs to the participle
/// ("Restarting the worker so the binary gets picked up *is* overkill").
fn subject_of_finite_verb(scan: &Scan, s: &Sentence, v: usize) -> bool {
    let mut owned_by_clauses = 0;
    for j in v + 1..s.tokens.end.min(v + 1 + MAX_SUBJECT_SCAN) {
        if !matches!(scan.kind(j), Some(Tok::Word | Tok::Opaque)) {
            break;
        }
        // Right after the participle, "that" is a determiner ("Reverting that commit …").
        let determiner = j == v + 1 && scan.word(j) == "that";
        if !determiner && (opens_subordinate(scan, j) || opens_purpose(scan, s, j)) {
            owned_by_clauses += 1;
            continue;
        }
        if looks_finite(scan, s, j) {
            if owned_by_clauses == 0 {
                return true;
            }
            owned_by_clauses -= 1;
        }
    }
    false
}

/// A subordinate clause opener. Not a coordinator: "Restarting the worker and clearing the
/// cache fixes it", "Rebuilding with the cache off and the base layer pinned would take an
/// hour" — the finite verb after "and" is still the gerund's.
fn opens_subordinate(scan: &Scan, j: usize) -> bool {
    let w = scan.word(j);
    lexicon::opens_clause(w) && !matches!(w, "and" | "but" | "then")
}

/// "to" opening a purpose clause that has a finite verb of its own ("to make sure the fix
/// is live", "to confirm the flake is gone").
fn opens_purpose(scan: &Scan, s: &Sentence, j: usize) -> bool {
    scan.word(j) == "to" && j + 1 < s.tokens.end && lexicon::is_purpose_verb(scan.word(j + 1))
}

/// Is the word at `j` a finite verb (so a participle before it was the subject)? Listed
/// auxiliaries and irregular forms, one of our verbs in a finite form, or an "-ed" or "-s" word
/// placed like a verb: after a noun and before an object ("… the server *fixed* it", "… from a
/// laptop *bypasses* the audit log"). An "-ed" word closing the clause is read as an adjective
/// ("with the flag *enabled*"), except for our own verbs ("Restarting the server fixed.").
fn looks_finite(scan: &Scan, s: &Sentence, j: usize) -> bool {
    let w = scan.word(j);
    let prev = scan.word(j - 1);
    // Right after a determiner, a past form is an adjective ("Rerunning the *failed* shard");
    // after "this" or "that", a pronoun, it may be a verb ("Shipping this *required* …").
    if lexicon::is_determiner(prev) && !matches!(prev, "this" | "that") && w.ends_with("ed") {
        return false;
    }
    if lexicon::is_finite_marker(w) {
        return true;
    }
    if lexicon::precedes_non_finite(prev) {
        return false;
    }
    let clause_ends = j + 1 >= s.tokens.end || scan.kind(j + 1) != Some(Tok::Word);
    let next = if clause_ends { "" } else { scan.word(j + 1) };
    let object_follows = lexicon::starts_object(next);
    match lexicon::verb(w) {
        Some((_, Form::ThirdPerson)) => true,
        Some((_, Form::Past)) => clause_ends || object_follows,
        _ if w.len() <= 4 => false,
        _ if w.ends_with("ed") => object_follows,
        // A plural noun is followed by a relative clause far more often than a verb is
        // ("the cache entries *that* went stale"), so "that" does not count here.
        _ => third_person_s(w) && object_follows && next != "that",
    }
}

/// "bypasses", "rewrites" — but not "class", "status", "analysis" or "it's".
pub(super) fn third_person_s(w: &str) -> bool {
    w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("'s")
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
                // "the next field" is not a time.
                .any(|k| {
                    lexicon::is_now(scan.word(k)) && !lexicon::is_determiner(scan.word(k - 1))
                }))
}

/// "Repeat for: re-running the async line, …", "Steps include: rebuilding the index": the
/// sentence goes on from a colon on the same line after a word that wants an object, so its
/// participle is that object, not a status update ("Done: pushing the fix" still is one).
pub(super) fn governed_by_colon(scan: &Scan, s: &Sentence) -> bool {
    let first = s.tokens.start;
    if s.line_start || first == 0 {
        return false;
    }
    let gap = &scan.text[scan.tokens[first - 1].end..scan.tokens[first].start];
    // A colon and a space or two, maybe markup ("**for:** re-running"); a long gap is
    // something else, and looking at it must stay constant-time.
    gap.len() <= 16
        && gap.contains(':')
        && !gap.contains('\n')
        && lexicon::wants_object(scan.word(first - 1))
}
