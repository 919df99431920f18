//! Leads: the words that make a following verb a promise ("I'll", "let me", "going to",
//! "I'm" + -ing, "Now I …"), found by walking back from the verb over at most
//! [`MAX_FILLERS`] filler words ("I'll just quickly restart").

use super::super::lexicon::{self, Form};
use super::MAX_FILLERS;
use crate::prose::scan::{Scan, Sentence, Tok};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Lead {
    /// "I'll", "let me", "going to": the verb follows in its base form.
    Future,
    /// "I'm", "we're", "I'll be": the verb follows in its -ing form.
    Progressive,
}

/// Walks back from the verb over fillers to a lead of the right kind; returns the token
/// where the lead starts.
pub(super) fn lead_before(scan: &Scan, s: &Sentence, v: usize, form: Form) -> Option<usize> {
    let mut i = v;
    let mut aspect = false;
    for step in 0..MAX_FILLERS {
        if i == s.tokens.start {
            return None;
        }
        i -= 1;
        if let Some((lead, start)) = lead_ending_at(scan, s, i) {
            let fits = match (lead, form) {
                (Lead::Future, Form::Base) => true,
                (Lead::Future, Form::Ing) => aspect,
                (Lead::Progressive, Form::Ing) => true,
                _ => false,
            };
            if fits {
                return Some(start);
            }
        }
        let w = scan.word(i);
        if scan.kind(i) != Some(Tok::Word) || !lexicon::is_filler(w) {
            return None;
        }
        if step == 0 {
            aspect = lexicon::is_aspect(w);
        }
    }
    None
}

/// A lead whose last token is `i`, and the token it starts at.
pub(super) fn lead_ending_at(scan: &Scan, s: &Sentence, i: usize) -> Option<(Lead, usize)> {
    let w = scan.word(i);
    let prev = |k: usize| {
        if i >= s.tokens.start + k {
            scan.word(i - k)
        } else {
            ""
        }
    };
    match w {
        "i'll" | "ill" | "we'll" | "imma" | "i'mma" | "lemme" => Some((Lead::Future, i)),
        "will" | "shall" if matches!(prev(1), "i" | "we") => Some((Lead::Future, i - 1)),
        "me" if prev(1) == "let" => Some((Lead::Future, i - 1)),
        "let's" | "lets" if sentence_initial(scan, s, i) => Some((Lead::Future, i)),
        "us" if prev(1) == "let" && sentence_initial(scan, s, i - 1) => Some((Lead::Future, i - 1)),
        "gonna" => subject_before(scan, s, i)
            .or_else(|| sentence_initial(scan, s, i).then_some(i))
            .map(|start| (Lead::Future, start)),
        "to" if i > s.tokens.start => {
            let p = i - 1;
            match prev(1) {
                "going" | "about" | "planning" => subject_before(scan, s, p)
                    .or_else(|| {
                        (prev(1) != "planning" && sentence_initial(scan, s, p)).then_some(p)
                    })
                    .map(|start| (Lead::Future, start)),
                "plan" | "intend" => {
                    first_person_before(scan, s, p).map(|start| (Lead::Future, start))
                }
                _ => None,
            }
        }
        // "Now I push the branch", "Next, we redeploy": a plan in the simple present, made
        // a promise by the opening time word (habits — "each night I rebuild" — are not).
        "i" | "we" => {
            let mut t = i;
            while t > s.tokens.start && scan.kind(t - 1) == Some(Tok::Comma) {
                t -= 1;
            }
            (t > s.tokens.start
                && matches!(scan.word(t - 1), "now" | "next" | "first")
                && sentence_initial(scan, s, t - 1))
            .then_some((Lead::Future, i))
        }
        "i'm" | "im" | "we're" => Some((Lead::Progressive, i)),
        "am" if prev(1) == "i" => Some((Lead::Progressive, i - 1)),
        "are" if prev(1) == "we" => Some((Lead::Progressive, i - 1)),
        // "I'll be deploying": a future lead, then "be".
        "be" => {
            let mut j = i;
            for _ in 0..MAX_FILLERS {
                if j == s.tokens.start {
                    return None;
                }
                j -= 1;
                if let Some((Lead::Future, start)) = lead_ending_at(scan, s, j) {
                    return Some((Lead::Progressive, start));
                }
                if !lexicon::is_filler(scan.word(j)) || scan.word(j) == "be" {
                    return None;
                }
            }
            None
        }
        _ => None,
    }
}

/// "I'm / I am / we're / we are" before token `i` (fillers allowed in between): the subject
/// of "going to", "about to", "gonna".
pub(super) fn subject_before(scan: &Scan, s: &Sentence, i: usize) -> Option<usize> {
    let mut j = i;
    for _ in 0..4 {
        if j == s.tokens.start {
            return None;
        }
        j -= 1;
        match scan.word(j) {
            "i'm" | "im" | "we're" => return Some(j),
            "am" if j > s.tokens.start && scan.word(j - 1) == "i" => return Some(j - 1),
            "are" if j > s.tokens.start && scan.word(j - 1) == "we" => return Some(j - 1),
            w if scan.kind(j) == Some(Tok::Word) && lexicon::is_filler(w) => {}
            _ => return None,
        }
    }
    None
}

/// "I / we" before "plan to", "intend to" (fillers allowed).
pub(super) fn first_person_before(scan: &Scan, s: &Sentence, i: usize) -> Option<usize> {
    let mut j = i;
    for _ in 0..3 {
        if j == s.tokens.start {
            return None;
        }
        j -= 1;
        match scan.word(j) {
            "i" | "we" => return Some(j),
            w if scan.kind(j) == Some(Tok::Word) && lexicon::is_filler(w) => {}
            _ => return None,
        }
    }
    None
}

/// Token `i` opens its sentence, or a clause after a dash, with at most opener words
/// ("OK, so", "Done —", "Now") before it.
pub(super) fn sentence_initial(scan: &Scan, s: &Sentence, i: usize) -> bool {
    let mut j = i;
    let mut seen = 0;
    while j > s.tokens.start {
        j -= 1;
        seen += 1;
        if seen > MAX_FILLERS {
            return false;
        }
        match scan.kind(j) {
            Some(Tok::Dash) => return true,
            Some(Tok::Comma) if fronted_clause_before(scan, s, j) => return true,
            Some(Tok::Comma) => {}
            Some(Tok::Word) if lexicon::is_opener(scan.word(j)) => {}
            _ => return false,
        }
    }
    true
}

/// The sentence opens with an adverbial clause that ends at the comma `comma`: "Since CI is
/// green, …", "Given that, …". (A condition — "If …," — is a marker, handled separately.)
fn fronted_clause_before(scan: &Scan, s: &Sentence, comma: usize) -> bool {
    comma > s.tokens.start
        && lexicon::fronts_clause(scan.word(s.tokens.start))
        && (s.tokens.start..comma).all(|k| matches!(scan.kind(k), Some(Tok::Word | Tok::Opaque)))
}

/// The first word after a lead that is not a filler: the head of its verb phrase. None when
/// it is a negation or a hedge ("I'll not…", "I'll probably…").
pub(super) fn head_after(scan: &Scan, s: &Sentence, lead_end: usize) -> Option<usize> {
    (lead_end + 1..s.tokens.end)
        .take(MAX_FILLERS)
        .find(|&k| !(scan.kind(k) == Some(Tok::Word) && lexicon::is_filler(scan.word(k))))
        .filter(|&k| {
            scan.kind(k) == Some(Tok::Word)
                && !lexicon::is_negation(scan.word(k))
                && !lexicon::is_hedge(scan.word(k))
        })
}
