//! Which sentences close a message: the last sentence of content, after at most two courtesy
//! lines ("Let me know if anything else breaks."), and the one before it when the last only
//! says what to expect ("That should pick up the new config."). Nothing else may follow:
//! no further sentence, list, table or code.

use super::super::lexicon;
use crate::prose::scan::{Scan, Tok};

/// Longest courtesy or expectation line, in tokens: a line longer than that is content.
const SHORT_LINE: usize = 20;
/// Courtesy lines that may follow the last step.
const MAX_COURTESY: usize = 2;

pub(super) struct Closing {
    /// The sentences that may hold the message's last step, last first.
    pub(super) candidates: Vec<usize>,
    /// The last sentence ends with a colon, and nothing comes after it.
    pub(super) colon: bool,
}

/// The closing sentences of the message, or None when it ends on a question, or on content
/// that no sentence holds (code, a table, a heading), or has no sentence at all.
pub(super) fn closing(scan: &Scan) -> Option<Closing> {
    let last = scan.sentences.len().checked_sub(1)?;
    if scan.sentences[last].question {
        return None;
    }
    let tail = &scan.text[sentence_end(scan, last)..];
    if !trivial(tail) {
        return None;
    }
    let colon = tail
        .trim_start_matches(|c: char| c.is_whitespace() || is_markup(c))
        .starts_with(':');
    let mut k = last;
    if !colon {
        let mut courtesy = 0;
        loop {
            // A line of marks only (an emoji) is skipped without counting.
            let marks_only = wordless(scan, k);
            if !marks_only && (courtesy == MAX_COURTESY || !courtesy_line(scan, k)) {
                break;
            }
            courtesy += usize::from(!marks_only);
            k = k.checked_sub(1)?;
            if !trivial(gap_after(scan, k)) {
                return None;
            }
        }
    }
    let mut candidates = vec![k];
    if !colon && k > 0 && expectation_line(scan, k) {
        let gap = gap_after(scan, k - 1);
        if trivial(gap) && !gap.contains("\n\n") {
            candidates.push(k - 1);
        }
    }
    candidates.retain(|&c| !in_list_item(scan, c));
    Some(Closing { candidates, colon })
}

/// Byte offset where sentence `index`'s last token ends.
fn sentence_end(scan: &Scan, index: usize) -> usize {
    let s = &scan.sentences[index];
    scan.tokens[s.tokens.end - 1].end
}

/// The text between sentence `index` and the next one.
fn gap_after<'a>(scan: &Scan<'a>, index: usize) -> &'a str {
    let next = &scan.sentences[index + 1];
    &scan.text[sentence_end(scan, index)..scan.tokens[next.tokens.start].start]
}

/// Punctuation, whitespace, markup and emoji only: no words, no code, no table.
fn trivial(gap: &str) -> bool {
    !gap.chars().any(char::is_alphanumeric)
}

fn is_markup(c: char) -> bool {
    matches!(
        c,
        '*' | '_' | '`' | '~' | ')' | ']' | '"' | '\'' | '\u{201D}' | '\u{2019}'
    )
}

/// A sentence of marks only (an emoji, a dash): nothing to read.
fn wordless(scan: &Scan, index: usize) -> bool {
    !scan.sentences[index]
        .tokens
        .clone()
        .any(|k| matches!(scan.kind(k), Some(Tok::Word | Tok::Opaque)))
}

/// "Let me know if anything else breaks.", "Thanks for the quick report!", "Hope this helps."
fn courtesy_line(scan: &Scan, index: usize) -> bool {
    let s = &scan.sentences[index];
    if s.tokens.len() > SHORT_LINE || s.question {
        return false;
    }
    let let_me_know = s.tokens.clone().any(|k| {
        scan.word(k) == "lmk"
            || (scan.word(k) == "let"
                && matches!(scan.word(k + 1), "me" | "us")
                && scan.word(k + 2) == "know")
    });
    let_me_know || lexicon::opens_courtesy(scan.word(s.tokens.start))
}

/// "That should pick up the new config.", "It takes about 30 seconds."
fn expectation_line(scan: &Scan, index: usize) -> bool {
    let s = &scan.sentences[index];
    s.tokens.len() <= SHORT_LINE
        && !s.question
        && !s.bullet
        && lexicon::opens_expectation(scan.word(s.tokens.start))
        && s.tokens.clone().any(|k| lexicon::expects(scan.word(k)))
}

/// The sentence is part of a list item: the sentence that starts its line is a bullet. A
/// list at the end of a message is a plan, not the step the turn was about to take.
fn in_list_item(scan: &Scan, index: usize) -> bool {
    let mut k = index;
    while !scan.sentences[k].line_start && k > 0 {
        k -= 1;
    }
    scan.sentences[k].bullet
}
