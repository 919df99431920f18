/*!
Reading an assistant's prose: what the classifiers ([`crate::action_claim`], and any other
reader of end-of-turn messages) look at and what they must not.

- [`mask`]: fenced and inline code, quoted text, blockquotes, headings and table rows are taken
  out of play (code and quotes become opaque words; block lines become boundaries).
- [`scan`]: the rest is split, in one forward pass, into sentences and clauses and into
  normalised words (ASCII-lowercased, curly apostrophes made straight, `re-run` read as
  `rerun`).

Both are pure and linear in the text.
*/

pub(crate) mod mask;
pub(crate) mod scan;
