//! "Let me check the config:", "Now I'll look at the failing test:", "Checking the
//! scheduler's retry logic:" — a sentence that announces the assistant's own next step, with
//! any verb: a first-person lead opening it, or a participle with an object.

use super::super::lexicon;
use super::conditions::{condition_markers, conditioned, hedged};
use super::leads::{Lead, head_after, lead_ending_at, sentence_initial};
use super::participle::{opening_participle, third_person_s};
use crate::prose::scan::{Scan, Sentence, Tok};

/// How far into the sentence the step may start: after openers, a dash or a fronted clause
/// ("Good question — let me check:", "Since the plan says so, I'll start with task 1:").
const REACH: usize = 16;

/// Where the announced step starts (its lead or participle), when sentence `s` opens with one,
/// and nothing takes it back: a condition, an offer, a hedge, a negation, or a step for
/// someone else ("let me know", "I'll need you to").
pub(in crate::action_claim) fn announced_step(scan: &Scan, s: &Sentence) -> Option<usize> {
    if s.question {
        return None;
    }
    let (start, head) = s
        .tokens
        .clone()
        .take(REACH)
        .find_map(|i| lead_at(scan, s, i).or_else(|| participle_at(scan, s, i)))?;
    let markers = condition_markers(scan, s);
    (!conditioned(scan, &markers, head) && !hedged(scan, s, start)).then_some(start)
}

/// A first-person lead ending at token `i` that opens the sentence ("let me", "I'll", "I'm
/// going to", "let's", "I'm" + -ing), and the verb it leads.
fn lead_at(scan: &Scan, s: &Sentence, i: usize) -> Option<(usize, usize)> {
    let (lead, start) = lead_ending_at(scan, s, i)?;
    if !sentence_initial(scan, s, start) || matches!(scan.word(start), "we'll" | "we" | "we're") {
        return None;
    }
    let head = head_after(scan, s, i)?;
    let verb = scan.word(head);
    let ing = verb.ends_with("ing") && !lexicon::is_false_ing(verb);
    let fits = match lead {
        // "let me try fetching it", "I'll keep digging".
        Lead::Future => !ing || lexicon::is_aspect(scan.word(head - 1)),
        Lead::Progressive => ing,
    };
    (fits && !lexicon::is_not_a_step(verb)).then_some((start, head))
}

/// A participle opening the sentence with an object after it ("Checking *the* logs",
/// "Looking *into* it"), in one clause; a participle before a bare noun is a label
/// ("Building blocks:", "Remaining issues:"), and one before a comma an adjunct ("Looking at
/// the trace, the parser never sees the flag:").
fn participle_at(scan: &Scan, s: &Sentence, i: usize) -> Option<(usize, usize)> {
    let w = scan.word(i);
    if scan.kind(i) != Some(Tok::Word)
        || !w.ends_with("ing")
        || lexicon::is_false_ing(w)
        || i + 1 >= s.tokens.end
        || !sentence_initial(scan, s, i)
        || (i + 1..s.tokens.end).any(|k| matches!(scan.kind(k), Some(Tok::Comma | Tok::Dash)))
    {
        return None;
    }
    let object = match scan.kind(i + 1) {
        Some(Tok::Opaque) => true,
        Some(Tok::Word) => {
            let next = scan.word(i + 1);
            lexicon::starts_object(next)
                || lexicon::is_determiner(next)
                || lexicon::opens_step_object(next)
        }
        _ => false,
    };
    (object && opening_participle(scan, s, i).is_some() && !present_verb_after(scan, s, i))
        .then_some((i, i))
}

/// Stricter than a status update needs, since a colon line often introduces a finding: an
/// "-s" word after a noun and before a bare word reads as the participle's verb ("Adding
/// `--user` *skips* project hooks:"); a plural before a preposition or an adverb does not
/// ("Checking open PRs for conflicts:", "Applying all 9 patches now:").
fn present_verb_after(scan: &Scan, s: &Sentence, i: usize) -> bool {
    (i + 2..s.tokens.end.saturating_sub(1)).any(|j| {
        let (prev, w, next) = (scan.word(j - 1), scan.word(j), scan.word(j + 1));
        matches!(scan.kind(j - 1), Some(Tok::Word | Tok::Opaque))
            && scan.kind(j + 1) == Some(Tok::Word)
            && third_person_s(w)
            && w.len() > 3
            && !lexicon::precedes_non_finite(prev)
            && !lexicon::is_determiner(prev)
            && !prev.starts_with(|c: char| c.is_ascii_digit())
            && !lexicon::is_filler(next)
            && !lexicon::ends_causative(next)
            && !lexicon::opens_step_object(next)
            && !lexicon::opens_clause(next)
    })
}
