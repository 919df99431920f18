//! "I need to restart nginx for the cert to load, so I'm doing that now": a verb of the set
//! under a necessity ("I need to", "we have to", "I should") is no promise on its own ("I need
//! to restart nginx" states a need), but it is one when the rest of the sentence, or the next
//! sentence, takes it on with "do that" ("doing that now", "let me do that", "which I'm doing
//! now", "I'll do it now").

use super::super::lexicon::{self, Form};
use super::conditions::{condition_markers, conditioned, hedged};
use super::leads::lead_before;
use super::participle::opening_participle;
use super::{MAX_FILLERS, clause_end};
use crate::prose::scan::{Scan, Sentence, Tok};

/// How far after the verb the anaphor may come in its own sentence, and into the next one.
const SAME_SENTENCE_REACH: usize = 24;
const NEXT_SENTENCE_REACH: usize = 8;

/// The necessity's first token and the end (byte offset) of the clause that takes it on, when
/// the verb at `v` of sentence `index` is needed and then done.
pub(super) fn taken_on(scan: &Scan, index: usize, v: usize) -> Option<(usize, usize)> {
    let s = &scan.sentences[index];
    let start = necessity_before(scan, s, v)?;
    let same = v + 1..s.tokens.end.min(v + 1 + SAME_SENTENCE_REACH);
    if let Some(end) = anaphor(scan, s, same) {
        return Some((start, end));
    }
    let next = scan.sentences.get(index + 1)?;
    let reach = next.tokens.start..next.tokens.end.min(next.tokens.start + NEXT_SENTENCE_REACH);
    anaphor(scan, next, reach).map(|end| (start, end))
}

/// "I need to", "we have to", "I've got to", "I should", "we must" (fillers allowed: "I still
/// need to quickly …"), ending before the verb at `v`; returns where the subject starts.
fn necessity_before(scan: &Scan, s: &Sentence, v: usize) -> Option<usize> {
    let mut i = v;
    for _ in 0..MAX_FILLERS {
        if i == s.tokens.start {
            return None;
        }
        i -= 1;
        let w = scan.word(i);
        let prev = if i > s.tokens.start {
            scan.word(i - 1)
        } else {
            ""
        };
        if lexicon::is_necessity(prev, w) {
            let modal = if w == "to" { i - 1 } else { i };
            return first_person_subject(scan, s, modal);
        }
        if scan.kind(i) != Some(Tok::Word) || !lexicon::is_filler(w) {
            return None;
        }
    }
    None
}

/// "I", "we", "I've", "we've" right before the modal at `m`, over at most two adverbs ("I
/// still really need to").
fn first_person_subject(scan: &Scan, s: &Sentence, m: usize) -> Option<usize> {
    let mut j = m;
    for _ in 0..3 {
        if j == s.tokens.start {
            return None;
        }
        j -= 1;
        match scan.word(j) {
            "i" | "we" | "i've" | "we've" | "ive" => return Some(j),
            "still" | "also" | "really" | "first" | "just" | "now" | "then" | "actually"
            | "definitely" => {}
            _ => return None,
        }
    }
    None
}

/// A promise to "do that/it/so" within `range` of sentence `s`: "I'm doing that now", "doing
/// so now", "let me do that", "which I'll do now". Not when it is a question, negated,
/// hedged, conditioned or the subject of something else ("Doing that would drop the fix").
fn anaphor(scan: &Scan, s: &Sentence, range: std::ops::Range<usize>) -> Option<usize> {
    if s.question {
        return None;
    }
    for k in range {
        if scan.kind(k) != Some(Tok::Word) {
            continue;
        }
        let form = match scan.word(k) {
            "do" => Form::Base,
            "doing" => Form::Ing,
            _ => continue,
        };
        let object = if k + 1 < s.tokens.end {
            scan.word(k + 1)
        } else {
            ""
        };
        let start = lead_before(scan, s, k, form);
        let takes_it_on = match start {
            // "which I'm doing now": the relative pronoun is the object.
            Some(lead) if lead > s.tokens.start && scan.word(lead - 1) == "which" => true,
            Some(_) => matches!(object, "that" | "it" | "so" | "this"),
            None => {
                form == Form::Ing
                    && matches!(object, "that" | "it" | "so" | "this")
                    && opening_participle(scan, s, k).is_some()
            }
        };
        if !takes_it_on {
            continue;
        }
        let markers = condition_markers(scan, s);
        if conditioned(scan, &markers, k) || hedged(scan, s, start.unwrap_or(k)) {
            return None;
        }
        return Some(clause_end(scan, s, k));
    }
    None
}
