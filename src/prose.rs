/*!
Reading an assistant's prose: what the classifiers ([`crate::action_claim`], and any other
reader of end-of-turn messages) look at and what they must not.

- [`mask`]: fenced and inline code, quoted text, blockquotes, headings and table rows are taken
  out of play (code and quotes become opaque words; block lines become boundaries).
- [`scan`]: the rest is split, in one forward pass, into sentences and clauses and into
  normalised words (ASCII-lowercased, curly apostrophes made straight, `re-run` read as
  `rerun`).

Both are pure and linear in the text. [`phrase_span`] bounds the words a reader quotes.
*/

use std::ops::Range;

pub(crate) mod mask;
pub(crate) mod scan;

/// `start..end` of `text`, trimmed, and cut to at most `max` bytes at a word boundary: the
/// phrase a reader quotes (a commitment's, a claim's), one rule for all of them.
pub(crate) fn phrase_span(text: &str, start: usize, end: usize, max: usize) -> Range<usize> {
    let mut end = end.max(start);
    if end - start > max {
        end = start + max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        if let Some(space) = text[start..end].rfind(char::is_whitespace) {
            end = start + space;
        }
    }
    let trimmed = text[start..end].trim_end();
    start..start + trimmed.len()
}
