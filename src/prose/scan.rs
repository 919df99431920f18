//! Splits a message into tokens (normalised words, opaque masked spans, clause marks) and
//! sentences, in one forward pass.

use std::ops::Range;

use super::mask::{self, Kind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Word,
    /// Inline code or a quotation: one word whose content does not count.
    Opaque,
    Comma,
    /// A dash or a colon-less strong break inside a sentence ("Tests pass — pushing now").
    Dash,
    Paren,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: Tok,
    norm: Range<usize>,
}

#[derive(Clone, Debug)]
pub(crate) struct Sentence {
    pub(crate) tokens: Range<usize>,
    /// The sentence ends with a question mark.
    pub(crate) question: bool,
    /// The sentence ends with a full stop, an exclamation mark, an ellipsis or the end of the
    /// message (not a colon or a line break: "Deploying" alone on a line is a label,
    /// "Deploying." is not).
    pub(crate) stated: bool,
    /// The sentence opens a list item ("- Restarting the api").
    pub(crate) bullet: bool,
    /// The sentence starts a line.
    pub(crate) line_start: bool,
}

pub(crate) struct Scan<'a> {
    pub(crate) text: &'a str,
    pub(crate) tokens: Vec<Token>,
    pub(crate) sentences: Vec<Sentence>,
    norm: String,
    /// The next sentence starts after a list marker.
    bullet: bool,
    /// The next sentence starts a line.
    line_start: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that stay inside a word when a word character follows them:
/// "I'll", "I’m", "re-run", "v1.2", "src/main.rs", "user@host", "snake_case" (but not the
/// underscores of `_emphasis_`, which are markup).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{02BC}' | '-' | '.' | '/' | '@' | '+' | '_'
    )
}

impl<'a> Scan<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let masks = mask::mask(text);
        // Sized for prose (a word or mark every ~5 bytes, a sentence every ~80), so the
        // buffers rarely grow: a few allocations per message, none per word.
        let mut scan = Scan {
            text,
            tokens: Vec::with_capacity(text.len() / 5 + 1),
            sentences: Vec::with_capacity(text.len() / 80 + 1),
            norm: String::with_capacity(text.len()),
            bullet: false,
            line_start: true,
        };
        let bytes = text.as_bytes();
        let mut sentence_start = 0;
        let mut m = 0;
        let mut i = 0;
        let mut line_start = true;
        while i < text.len() {
            if let Some(mk) = masks.get(m)
                && mk.range.start <= i
            {
                m += 1;
                match mk.kind {
                    Kind::Block => {
                        scan.end_sentence(&mut sentence_start, false);
                        line_start = true;
                    }
                    Kind::Inline => scan.push(mk.range.start, mk.range.end, Tok::Opaque),
                }
                i = mk.range.end.max(i);
                continue;
            }
            let mask_at = masks.get(m).map_or(text.len(), |mk| mk.range.start);
            if line_start {
                line_start = false;
                scan.line_start = true;
                let after = skip_list_marker(text, i, mask_at);
                scan.bullet = after != i
                    && text[i..after]
                        .trim_start()
                        .starts_with(|c: char| !c.is_whitespace());
                i = after;
                continue;
            }
            let c = char_at(text, i);
            let len = c.len_utf8();
            if is_word_char(c) {
                let mut end = i + len;
                while end < mask_at {
                    let d = char_at(text, end);
                    let joins = || {
                        let after = end + d.len_utf8();
                        is_joiner(d) && after < mask_at && char_at(text, after).is_alphanumeric()
                    };
                    if !(is_word_char(d) || joins()) {
                        break;
                    }
                    end += d.len_utf8();
                }
                scan.push(i, end, Tok::Word);
                i = end;
                continue;
            }
            match c {
                '\n' => {
                    scan.end_sentence(&mut sentence_start, false);
                    line_start = true;
                }
                '.' | '!' | '?' | ';' | ':' | '\u{2026}' => {
                    // A run like "?!" or "..." ends a sentence when whitespace (or the end,
                    // or closing punctuation) follows it.
                    let mut end = i;
                    let mut question = false;
                    let stated = matches!(c, '.' | '!' | '\u{2026}');
                    while let Some(d) = text[end..mask_at].chars().next()
                        && matches!(d, '.' | '!' | '?' | ';' | ':' | '\u{2026}')
                    {
                        question |= d == '?';
                        end += d.len_utf8();
                    }
                    let after = text[end..].chars().find(|d| {
                        !matches!(
                            d,
                            '"' | '\'' | ')' | ']' | '*' | '_' | '\u{201D}' | '\u{2019}'
                        )
                    });
                    if after.is_none_or(char::is_whitespace) || end >= mask_at {
                        scan.end(&mut sentence_start, question, stated && !question);
                    }
                    i = end;
                    continue;
                }
                ',' => scan.push(i, i + 1, Tok::Comma),
                '\u{2014}' | '\u{2013}' => scan.push(i, i + len, Tok::Dash),
                '-' if i > 0
                    && bytes[i - 1] == b' '
                    && matches!(bytes.get(i + 1), Some(b' ' | b'-')) =>
                {
                    scan.push(i, i + 1, Tok::Dash);
                }
                '(' | ')' | '[' | ']' | '{' | '}' => scan.push(i, i + 1, Tok::Paren),
                // An emoji ends a clause in chat-style text ("found it 🎉 rebuilding now").
                c if is_emoji(c) && scan.tokens.last().is_some_and(|t| t.kind != Tok::Dash) => {
                    scan.push(i, i + len, Tok::Dash);
                }
                _ => {}
            }
            i += len;
        }
        // The end of the message ends its last sentence as a full stop would.
        scan.end(&mut sentence_start, false, true);
        scan
    }

    fn push(&mut self, start: usize, end: usize, kind: Tok) {
        let from = self.norm.len();
        if kind == Tok::Word {
            let word = &self.text[start..end];
            if word.is_ascii() {
                self.norm.push_str(word);
                self.norm[from..].make_ascii_lowercase();
            } else {
                for c in word.chars() {
                    match c {
                        '\u{2019}' | '\u{02BC}' => self.norm.push('\''),
                        c => self.norm.push(c.to_ascii_lowercase()),
                    }
                }
            }
        }
        self.tokens.push(Token {
            start,
            end,
            kind,
            norm: from..self.norm.len(),
        });
    }

    fn end_sentence(&mut self, start: &mut usize, question: bool) {
        self.end(start, question, false);
    }

    fn end(&mut self, start: &mut usize, question: bool, stated: bool) {
        if self.tokens.len() > *start {
            self.sentences.push(Sentence {
                tokens: *start..self.tokens.len(),
                question,
                stated,
                bullet: std::mem::take(&mut self.bullet),
                line_start: std::mem::take(&mut self.line_start),
            });
        }
        *start = self.tokens.len();
    }

    /// The normalised word at token `i`, or "" for anything that is not a word.
    pub(crate) fn word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .map_or("", |t| &self.norm[t.norm.clone()])
    }

    pub(crate) fn kind(&self, i: usize) -> Option<Tok> {
        self.tokens.get(i).map(|t| t.kind)
    }
}

/// The character at byte `i` (a char boundary), without decoding when it is ASCII: most of
/// the text is.
#[inline]
fn char_at(text: &str, i: usize) -> char {
    match text.as_bytes()[i] {
        b if b.is_ascii() => char::from(b),
        _ => text[i..].chars().next().expect("i is a char boundary"),
    }
}

/// Pictographs and symbols used as emoji.
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x1F000..=0x1FAFF)
}

/// Skips a list marker at the start of a line: "- ", "* ", "+ ", "1. ", "2) ", and a task box
/// `"[ ] "` / `"[x] "` after it, so "- Pushing the fix now" opens its sentence with "Pushing".
fn skip_list_marker(text: &str, from: usize, limit: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from;
    while i < limit && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    let spaced = |j: usize| j < limit && (b[j] == b' ' || b[j] == b'\t');
    let mut j = i;
    if j < limit && matches!(b[j], b'-' | b'*' | b'+') && spaced(j + 1) {
        j += 2;
    } else {
        let digits = b[j..limit]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 0
            && digits <= 3
            && j + digits < limit
            && matches!(b[j + digits], b'.' | b')')
            && spaced(j + digits + 1)
        {
            j += digits + 2;
        } else {
            return i;
        }
    }
    while j < limit && b[j] == b' ' {
        j += 1;
    }
    if b[j..limit].starts_with(b"[ ] ")
        || b[j..limit].starts_with(b"[x] ")
        || b[j..limit].starts_with(b"[X] ")
    {
        j += 4;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<(String, bool)> {
        let s = Scan::new(text);
        s.sentences
            .iter()
            .map(|sent| {
                let words: Vec<&str> = sent
                    .tokens
                    .clone()
                    .map(|i| match s.tokens[i].kind {
                        Tok::Word => s.word(i),
                        Tok::Opaque => "<q>",
                        Tok::Comma => ",",
                        Tok::Dash => "—",
                        Tok::Paren => "()",
                    })
                    .collect();
                (words.join(" "), sent.question)
            })
            .collect()
    }

    #[test]
    fn splits_sentences_and_normalises_words() {
        assert_eq!(
            sentences("Done. I\u{2019}LL re-run it now! Ok?"),
            [
                ("done".into(), false),
                ("i'll re-run it now".into(), false),
                ("ok".into(), true)
            ]
        );
    }

    #[test]
    fn newlines_bullets_and_task_boxes_start_sentences() {
        assert_eq!(
            sentences("Done\n- [x] Pushing the fix\n2) merging now"),
            [
                ("done".into(), false),
                ("pushing the fix".into(), false),
                ("merging now".into(), false)
            ]
        );
    }

    #[test]
    fn dots_inside_words_and_urls_do_not_split() {
        assert_eq!(
            sentences("Bump v1.2.3 in src/main.rs, see https://x.io/a — pushing"),
            [(
                "bump v1.2.3 in src/main.rs , see https x.io/a — pushing".into(),
                false
            )]
        );
    }

    #[test]
    fn code_and_quotes_are_opaque_words_and_blocks_are_boundaries() {
        assert_eq!(
            sentences("I'll run `git push` now\n```\nx\n```\nHe said \"go\""),
            [
                ("i'll run <q> now".into(), false),
                ("he said <q>".into(), false)
            ]
        );
    }

    #[test]
    fn ellipses_and_closing_quotes_still_end_sentences() {
        assert_eq!(
            sentences("ok... restarting now"),
            [("ok".into(), false), ("restarting now".into(), false)]
        );
    }
}
