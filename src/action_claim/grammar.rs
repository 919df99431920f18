//! Which verb occurrences are promises. Every test looks at a bounded window of tokens
//! around a verb (at most [`MAX_FILLERS`] back for a lead, [`MAX_CONJUNCT`] back across a
//! coordination, [`MAX_SUBJECT_SCAN`] forward for a gerund subject), so the whole pass is
//! linear in the message.

use super::lexicon::{self, Form};
use crate::prose::scan::{Scan, Sentence, Tok};

mod again;
mod conditions;
mod leads;
mod lists;
mod necessity;
mod next_step;
mod participle;
mod voice;

use conditions::{condition_markers, conditioned, hedged};
use leads::{Lead, head_after, lead_before, lead_ending_at, sentence_initial};
use lists::ListLeadIn;
use participle::opening_participle;

pub(super) use next_step::announced_step;

const MAX_FILLERS: usize = 8;
const MAX_CONJUNCT: usize = 24;
const MAX_SUBJECT_SCAN: usize = 20;

pub(super) struct Found {
    pub(super) verb: &'static str,
    /// Byte offset where the promise starts (the lead, or the participle).
    pub(super) start: usize,
    /// Byte offset where the clause holding the verb ends.
    pub(super) clause_end: usize,
    /// The token the promise starts at.
    pub(super) lead: usize,
}

/// The first promise in sentence `index` alone (a list item is read without its lead-in).
pub(super) fn claim_at(scan: &Scan, index: usize) -> Option<Found> {
    if scan.sentences[index].question {
        return None;
    }
    claim_in(scan, index, &mut ListLeadIn::default())
}

/// The promise starting at token `lead` is the assistant's alone ("I'll", "let me", "I'm",
/// a participle), not a "we" that may be the team or an invitation ("we'll", "let's").
pub(super) fn first_person_singular(scan: &Scan, lead: usize) -> bool {
    match scan.word(lead) {
        "we'll" | "we" | "we're" | "let's" | "lets" => false,
        "let" => scan.word(lead + 1) != "us",
        _ => true,
    }
}

pub(super) fn first_claim(scan: &Scan) -> Option<Found> {
    let mut list = ListLeadIn::default();
    for (index, s) in scan.sentences.iter().enumerate() {
        list.see(index, s);
        if s.question {
            continue;
        }
        if let Some(found) = claim_in(scan, index, &mut list) {
            return Some(found);
        }
    }
    None
}

/// The first promise in sentence `index`.
fn claim_in(scan: &Scan, index: usize, list: &mut ListLeadIn) -> Option<Found> {
    let s = &scan.sentences[index];
    let mut markers = None;
    for v in s.tokens.clone() {
        if scan.kind(v) != Some(Tok::Word) {
            continue;
        }
        let Some((verb, form)) = again::verb_at(scan, s, v) else {
            continue;
        };
        if !particles_fit(scan, s, v, verb, form) {
            continue;
        }
        let mut end = None;
        let start = match form {
            Form::Base => lead_before(scan, s, v, Form::Base)
                .or_else(|| coordinated(scan, s, v, Form::Base))
                .or_else(|| action_noun(scan, s, v, verb))
                .or_else(|| {
                    let (start, anaphor_end) = necessity::taken_on(scan, index, v)?;
                    end = Some(anaphor_end);
                    Some(start)
                }),
            Form::Ing => lead_before(scan, s, v, Form::Ing)
                .or_else(|| opening_participle(scan, s, v))
                .or_else(|| coordinated(scan, s, v, Form::Ing)),
            Form::Past => causative(scan, s, v, verb),
            Form::ThirdPerson => None,
        };
        let Some(start) = start else { continue };
        let markers = markers.get_or_insert_with(|| condition_markers(scan, s));
        if conditioned(scan, markers, v)
            || hedged(scan, s, start)
            || voice::reported(scan, s, start)
            || voice::relative(scan, s, start)
            || (s.bullet && list.retrospective(scan, index))
        {
            continue;
        }
        return Some(Found {
            verb,
            start: scan.tokens[start].start,
            clause_end: end.unwrap_or_else(|| clause_end(scan, s, v)),
            lead: start,
        });
    }
    None
}

/// "roll" needs "back" ("roll the change back"); "push back/for/through" and "fixing to"
/// are idioms, not the action.
fn particles_fit(scan: &Scan, s: &Sentence, v: usize, verb: &str, form: Form) -> bool {
    let next = if v + 1 < s.tokens.end {
        scan.word(v + 1)
    } else {
        ""
    };
    match verb {
        "roll back" if !scan.word(v).starts_with("rollback") && scan.word(v) != "roll-back" => {
            (v + 1..s.tokens.end.min(v + 5))
                .take_while(|&j| scan.kind(j) == Some(Tok::Word))
                .any(|j| scan.word(j) == "back")
        }
        "push" => !lexicon::is_push_idiom_particle(next),
        "fix" => !(form == Form::Ing && next == "to"),
        _ => true,
    }
}

/// "I'll kick off a rebuild", "Let me trigger a redeploy", "Running a full restart now": an
/// action noun (one of our verbs, after a determiner and at most two modifiers) as the
/// object of a light verb that has a lead. "Fix" and "ship" are left out: "apply a quick
/// fix" is about a patch, not the act of fixing.
fn action_noun(scan: &Scan, s: &Sentence, v: usize, verb: &str) -> Option<usize> {
    if matches!(verb, "fix" | "ship") {
        return None;
    }
    let ends = v + 1 >= s.tokens.end
        || match scan.kind(v + 1) {
            Some(Tok::Word) => lexicon::ends_noun_phrase(scan.word(v + 1)),
            Some(Tok::Opaque) => false,
            _ => true,
        };
    if !ends {
        return None;
    }
    let det = (v.saturating_sub(3).max(s.tokens.start)..v)
        .rev()
        .find(|&k| matches!(scan.word(k), "a" | "an" | "the" | "another"))?;
    let modifiers_ok = (det + 1..v).all(|k| {
        scan.kind(k) == Some(Tok::Word)
            && !lexicon::blocks_coordination(scan.word(k))
            && lexicon::verb(scan.word(k)).is_none()
    });
    if !modifiers_ok || det == s.tokens.start {
        return None;
    }
    let mut light = det - 1;
    if matches!(scan.word(light), "off" | "up") && light > s.tokens.start {
        light -= 1;
    }
    match lexicon::light_verb(scan.word(light))? {
        Form::Base => lead_before(scan, s, light, Form::Base),
        _ => lead_before(scan, s, light, Form::Ing)
            .or_else(|| sentence_initial(scan, s, light).then_some(light)),
    }
}

/// "I'll update the config and restart the server": the verb is joined by "and"/"then" to
/// a verb phrase that has a lead. Or it is the means of one: "Let me confirm it by rerunning
/// the suite".
fn coordinated(scan: &Scan, s: &Sentence, v: usize, form: Form) -> Option<usize> {
    // Back over fillers and commas to the coordinator.
    let mut i = v;
    let mut joined = false;
    let mut means = false;
    loop {
        if i == s.tokens.start {
            return None;
        }
        i -= 1;
        let w = scan.word(i);
        match scan.kind(i) {
            Some(Tok::Comma) => {}
            Some(Tok::Word) if matches!(w, "and" | "then" | "&" | "plus") => joined = true,
            Some(Tok::Word) if w == "by" && form == Form::Ing && i + 1 == v => {
                joined = true;
                means = true;
            }
            Some(Tok::Word) if lexicon::is_filler(w) => {}
            _ => break,
        }
        if v - i > MAX_FILLERS {
            return None;
        }
    }
    if !joined || (!means && noun_conjunct(scan, s, i, v)) {
        return None;
    }
    // `i` ends the previous conjunct; look back through it for its lead.
    let mut j = i + 1;
    for _ in 0..MAX_CONJUNCT {
        if j == s.tokens.start {
            break;
        }
        j -= 1;
        let w = scan.word(j);
        if scan.kind(j) == Some(Tok::Word) && lexicon::blocks_coordination(w) {
            return None;
        }
        if let Some((lead, start)) = lead_ending_at(scan, s, j) {
            let head = head_after(scan, s, j)?;
            let head_word = scan.word(head);
            // "Now I need to update X and merge it" states a need, as "I need to merge it"
            // does.
            if lexicon::is_necessity(scan.word(head + 1), head_word)
                || lexicon::is_necessity(head_word, scan.word(head + 1))
            {
                return None;
            }
            let fits = match (lead, form) {
                (Lead::Future, Form::Base) => !head_word.ends_with("ing"),
                (Lead::Future, Form::Ing) => means && !head_word.ends_with("ing"),
                (Lead::Progressive, Form::Ing) => head_word.ends_with("ing"),
                _ => false,
            };
            // "Let me walk through the bug and fix step by step": after a verb that takes a
            // topic, the second conjunct is an action only with an object of its own ("and
            // fix it"); otherwise it is a second topic, a noun.
            let topic = lexicon::is_discourse_verb(head_word)
                && !(v + 1 < s.tokens.end
                    && (scan.kind(v + 1) == Some(Tok::Opaque)
                        || lexicon::starts_object(scan.word(v + 1))));
            return (fits && !topic).then_some(start);
        }
        if scan.kind(j) == Some(Tok::Dash) {
            break;
        }
    }
    // "Updating the config and restarting the server now."
    if form == Form::Ing {
        let first = (s.tokens.start..=i)
            .find(|&k| scan.kind(k) == Some(Tok::Word) && !lexicon::is_opener(scan.word(k)))?;
        let w = scan.word(first);
        if w.ends_with("ing")
            && !lexicon::is_false_ing(w)
            && sentence_initial(scan, s, first)
            && !participle::governed_by_colon(scan, s)
        {
            return Some(first);
        }
    }
    None
}

/// "the rebase and merge steps", "the deploy and rollback plan": the conjunct before the
/// coordinator ends on a verb of the set used as a noun (right after a determiner), and the
/// verb at `v` goes on into a noun compound too ("steps", "plan"), rather than taking an
/// object ("review the fix and push it") or ending its clause.
fn noun_conjunct(scan: &Scan, s: &Sentence, i: usize, v: usize) -> bool {
    let compound = v + 1 < s.tokens.end && scan.kind(v + 1) == Some(Tok::Word) && {
        let next = scan.word(v + 1);
        !lexicon::starts_object(next) && !lexicon::is_filler(next) && !lexicon::ends_causative(next)
    };
    compound
        && i > s.tokens.start
        && scan.kind(i) == Some(Tok::Word)
        && lexicon::verb(scan.word(i)).is_some()
        && lexicon::is_determiner(scan.word(i - 1))
}

/// "Let me get this merged", "I'll have it deployed by five", "I'm getting the fix shipped".
fn causative(scan: &Scan, s: &Sentence, v: usize, verb: &str) -> Option<usize> {
    // "get the migration rolled back": the particle belongs to the participle.
    let after = if verb == "roll back" && scan.word(v + 1) == "back" {
        v + 2
    } else {
        v + 1
    };
    if after < s.tokens.end {
        let ends = match scan.kind(after) {
            Some(Tok::Word) => lexicon::ends_causative(scan.word(after)),
            Some(Tok::Opaque) => false,
            _ => true,
        };
        if !ends {
            return None;
        }
    }
    let mut j = v;
    for _ in 0..5 {
        if j == s.tokens.start {
            return None;
        }
        j -= 1;
        let w = scan.word(j);
        match w {
            "get" | "have" => return lead_before(scan, s, j, Form::Base),
            "getting" | "having" => return lead_before(scan, s, j, Form::Ing),
            _ if !matches!(scan.kind(j), Some(Tok::Word | Tok::Opaque))
                || lexicon::blocks_causative(w) =>
            {
                return None;
            }
            _ => {}
        }
    }
    None
}

/// End of the clause holding token `v`: the last token before a comma, dash or parenthesis.
fn clause_end(scan: &Scan, s: &Sentence, v: usize) -> usize {
    let mut end = scan.tokens[v].end;
    for k in v + 1..s.tokens.end {
        match scan.kind(k) {
            Some(Tok::Word | Tok::Opaque) => end = scan.tokens[k].end,
            _ => break,
        }
    }
    end
}
