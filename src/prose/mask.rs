//! Takes out of play what the assistant did not say in its own voice: code, quotations,
//! blockquotes, headings and table rows. Every step is a single forward pass (pairing uses
//! cursors that only move forward), so masking is linear in the text.

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Whole lines (fences and their content, `>` quotes, `#` headings, `|` tables): a
    /// sentence boundary.
    Block,
    /// Inline code or a quotation: stands in the sentence as one opaque word.
    Inline,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Masked {
    pub(crate) range: Range<usize>,
    pub(crate) kind: Kind,
}

/// Masked ranges, sorted and non-overlapping.
pub(crate) fn mask(text: &str) -> Vec<Masked> {
    let blocks = block_lines(text);
    let mut out = Vec::new();
    let mut scratch = Scratch::default();
    let mut from = 0;
    for b in blocks.iter().chain(std::iter::once(&Masked {
        range: text.len()..text.len(),
        kind: Kind::Block,
    })) {
        // Inline constructs never cross a block line or a blank line.
        for_each_paragraph(text, from, b.range.start, |para| {
            inline(text, para, &mut scratch, &mut out);
        });
        if !b.range.is_empty() {
            out.push(b.clone());
        }
        from = b.range.end;
    }
    out.sort_by_key(|m| m.range.start);
    out
}

/// Buffers reused from one paragraph to the next, so that masking allocates a few times
/// per message rather than a few times per paragraph.
#[derive(Default)]
struct Scratch {
    /// Code spans found in the current paragraph.
    code: Vec<Range<usize>>,
    /// Backtick runs: (start, length).
    runs: Vec<(usize, usize)>,
    /// For each run, the index of the next run of the same length.
    next_run: Vec<usize>,
    /// While building `next_run`: for each run length, the nearest run seen.
    last_of_len: std::collections::HashMap<usize, usize>,
    /// Quote marks: (start, byte length, kind, line number).
    marks: Vec<(usize, usize, usize, usize)>,
    /// `next[k * (marks + 1) + i]`: the first index >= i of a mark of kind k.
    next: Vec<usize>,
}

/// Fenced code blocks (see [`crate::markdown::Fences`]), blockquote, heading and table
/// lines.
fn block_lines(text: &str) -> Vec<Masked> {
    let mut out: Vec<Masked> = Vec::new();
    let mut fences = crate::markdown::Fences::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.len();
        start = range.end;
        let b = line.trim_start_matches([' ', '\t']).as_bytes();
        let hashes = b.iter().take_while(|&&c| c == b'#').count();
        let masked = fences.line(line)
            || b.first() == Some(&b'>')
            || b.first() == Some(&b'|')
            || (hashes > 0 && matches!(b.get(hashes), Some(b' ' | b'\t' | b'\n' | b'\r') | None));
        if masked {
            match out.last_mut() {
                Some(last) if last.range.end == range.start => last.range.end = range.end,
                _ => out.push(Masked {
                    range,
                    kind: Kind::Block,
                }),
            }
        }
    }
    out
}

/// Calls `f` with each part of `from..to` between blank lines.
fn for_each_paragraph(text: &str, from: usize, to: usize, mut f: impl FnMut(Range<usize>)) {
    let mut start = from;
    let mut pos = from;
    let region = &text[from..to];
    for line in region.split_inclusive('\n') {
        let end = pos + line.len();
        if line.trim().is_empty() {
            if pos > start {
                f(start..pos);
            }
            start = end;
        }
        pos = end;
    }
    if to > start {
        f(start..to);
    }
}

fn inline(text: &str, para: Range<usize>, scratch: &mut Scratch, out: &mut Vec<Masked>) {
    let first = out.len();
    code_spans(text, para.clone(), scratch, out);
    scratch.code.clear();
    scratch
        .code
        .extend(out[first..].iter().map(|m| m.range.clone()));
    quotes(text, para, scratch, out);
}

/// CommonMark code spans: a run of N backticks up to the next run of exactly N.
fn code_spans(text: &str, para: Range<usize>, scratch: &mut Scratch, out: &mut Vec<Masked>) {
    let bytes = text.as_bytes();
    let runs = &mut scratch.runs;
    runs.clear();
    let mut i = para.start;
    while i < para.end {
        if bytes[i] == b'`' {
            let s = i;
            while i < para.end && bytes[i] == b'`' {
                i += 1;
            }
            runs.push((s, i - s));
        } else {
            i += 1;
        }
    }
    if runs.is_empty() {
        return;
    }
    // The next run of the same length, for every run (a backward pass), so pairing is
    // linear.
    let next_run = &mut scratch.next_run;
    next_run.clear();
    next_run.resize(runs.len(), usize::MAX);
    scratch.last_of_len.clear();
    for idx in (0..runs.len()).rev() {
        if let Some(&later) = scratch.last_of_len.get(&runs[idx].1) {
            next_run[idx] = later;
        }
        scratch.last_of_len.insert(runs[idx].1, idx);
    }
    let mut k = 0;
    while k < runs.len() {
        let (s, _) = runs[k];
        match next_run[k] {
            usize::MAX => k += 1,
            close => {
                let (cs, cl) = runs[close];
                out.push(Masked {
                    range: s..cs + cl,
                    kind: Kind::Inline,
                });
                k = close + 1;
            }
        }
    }
}

/// Quoted text: "…", “…”, ‘…’ and '…' (a straight single quote opens only at the start of a
/// word and closes only at the end of one, so apostrophes in "I'll" or "users'" never open a
/// quotation). Quotes pair within a paragraph; a single quote pairs within a line.
fn quotes(text: &str, para: Range<usize>, scratch: &mut Scratch, out: &mut Vec<Masked>) {
    const STRAIGHT: usize = 0;
    const CURLY_OPEN: usize = 1;
    const CURLY_CLOSE: usize = 2;
    const SINGLE_OPEN: usize = 3;
    const SINGLE_CLOSE: usize = 4;
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);

    // (start, byte length, kind, line number), outside code spans (sorted: one cursor). Only
    // the bytes that can start a quote mark are looked at: '"', '\'' and the lead byte of
    // U+2018-U+201D.
    let code = &scratch.code;
    let marks = &mut scratch.marks;
    marks.clear();
    let bytes = text.as_bytes();
    let mut line = 0;
    let mut counted_to = para.start;
    let mut code_at = 0;
    let mut at = para.start;
    while let Some(off) = bytes[at..para.end]
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | 0xE2))
    {
        let pos = at + off;
        let c = text[pos..].chars().next().expect("a char boundary");
        at = pos + c.len_utf8();
        let prev = text[para.start..pos].chars().next_back();
        let next = text[at..para.end].chars().next();
        let kind = match c {
            '"' => Some(STRAIGHT),
            '\u{201C}' => Some(CURLY_OPEN),
            '\u{201D}' => Some(CURLY_CLOSE),
            '\u{2018}' => Some(SINGLE_OPEN),
            '\'' if !word(prev) && !space(next) => Some(SINGLE_OPEN),
            '\'' | '\u{2019}' if !space(prev) && !word(next) => Some(SINGLE_CLOSE),
            _ => None,
        };
        let Some(kind) = kind else { continue };
        while code_at < code.len() && code[code_at].end <= pos {
            code_at += 1;
        }
        if code.get(code_at).is_some_and(|r| r.contains(&pos)) {
            continue;
        }
        line += bytes[counted_to..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = pos;
        marks.push((pos, c.len_utf8(), kind, line));
    }

    if marks.is_empty() {
        return;
    }
    // next[k * stride + i]: the first index >= i of a mark of kind k (a backward pass), so
    // finding a closer is a lookup, not a search.
    let stride = marks.len() + 1;
    let next = &mut scratch.next;
    next.clear();
    next.resize(5 * stride, usize::MAX);
    for i in (0..marks.len()).rev() {
        for k in 0..5 {
            next[k * stride + i] = if marks[i].2 == k {
                i
            } else {
                next[k * stride + i + 1]
            };
        }
    }
    let next = |k: usize, i: usize| next[k * stride + i];
    let mut i = 0;
    while i < marks.len() {
        let (s, _, kind, line) = marks[i];
        let closer = match kind {
            STRAIGHT => Some(next(STRAIGHT, i + 1)),
            CURLY_OPEN => Some(next(CURLY_CLOSE, i + 1)),
            SINGLE_OPEN => {
                Some(next(SINGLE_CLOSE, i + 1)).filter(|&j| j != usize::MAX && marks[j].3 == line)
            }
            _ => None,
        }
        .filter(|&j| j != usize::MAX);
        match closer {
            Some(j) => {
                let (cs, cl, _, _) = marks[j];
                out.push(Masked {
                    range: s..cs + cl,
                    kind: Kind::Inline,
                });
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(text: &str) -> Vec<&str> {
        mask(text).iter().map(|m| &text[m.range.clone()]).collect()
    }

    #[test]
    fn fenced_code_is_masked_through_its_closing_fence() {
        let t = "Run:\n```sh\ngit push\n```\nI'll push.";
        assert_eq!(masked(t), ["```sh\ngit push\n```\n"]);
    }

    #[test]
    fn an_unclosed_fence_masks_to_the_end() {
        assert_eq!(masked("a\n~~~\nI'll push"), ["~~~\nI'll push"]);
    }

    #[test]
    fn inline_code_pairs_runs_of_equal_length() {
        assert_eq!(
            masked("use `git push` or ``a ` b`` now"),
            ["`git push`", "``a ` b``"]
        );
        assert_eq!(masked("a lone ` backtick"), Vec::<&str>::new());
    }

    #[test]
    fn blockquotes_headings_and_tables_are_blocks() {
        let t = "> I'll restart it\n## Deploying\n| a | b |\nok";
        assert_eq!(masked(t), ["> I'll restart it\n## Deploying\n| a | b |\n"]);
        assert_eq!(masked("#hashtag is text"), Vec::<&str>::new());
    }

    #[test]
    fn quotes_of_every_kind_but_not_apostrophes() {
        let t = "He said \"restarting now\" and \u{201C}pushing\u{201D} and 'fixing it' — I'll go, users' too";
        assert_eq!(
            masked(t),
            [
                "\"restarting now\"",
                "\u{201C}pushing\u{201D}",
                "'fixing it'"
            ]
        );
        assert_eq!(
            masked("I\u{2019}ll restart the server."),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn quotes_do_not_cross_paragraphs() {
        assert_eq!(masked("a \" b\n\nc \" d"), Vec::<&str>::new());
    }
}
