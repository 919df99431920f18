//! The one piece of Markdown both the classifier and the CLAUDE.md patcher need: which lines
//! belong to a fenced code block (CommonMark: a line starting, after up to three spaces, with
//! three or more backticks or tildes opens a block; a line of at least as many of the same
//! character closes it; an unclosed block runs to the end of the text).

/// Feed lines in order; `line` says whether each is part of a fenced block (fence lines
/// included).
#[derive(Default, Debug)]
pub(crate) struct Fences {
    open: Option<(u8, usize)>,
}

impl Fences {
    pub(crate) fn line(&mut self, line: &str) -> bool {
        // A fence is indented by at most three spaces; four (or a tab, which counts as four)
        // make an indented code block's line, which neither opens nor closes a fence.
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let trimmed = match (indent, line.as_bytes().get(indent)) {
            (0..=3, Some(b'`' | b'~')) => &line[indent..],
            _ => "",
        };
        let run = |c: u8| trimmed.bytes().take_while(|&b| b == c).count();
        match self.open {
            Some((c, n)) => {
                let rest = &trimmed.as_bytes()[run(c)..];
                if run(c) >= n && rest.iter().all(u8::is_ascii_whitespace) {
                    self.open = None;
                }
                true
            }
            None => {
                for c in [b'`', b'~'] {
                    if run(c) >= 3 {
                        self.open = Some((c, run(c)));
                        return true;
                    }
                }
                false
            }
        }
    }

    /// The fence a text ended inside, as the line that would close it (e.g. "```").
    pub(crate) fn unclosed(&self) -> Option<String> {
        self.open
            .map(|(c, n)| String::from_utf8(vec![c; n]).expect("ASCII fence"))
    }
}

/// Whether `needle` occurs in `text` outside fenced code blocks.
pub(crate) fn contains_outside_fences(text: &str, needle: &str) -> bool {
    let mut fences = Fences::default();
    text.split_inclusive('\n')
        .any(|line| !fences.line(line) && line.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fenced(text: &str) -> Vec<bool> {
        let mut f = Fences::default();
        text.split_inclusive('\n').map(|l| f.line(l)).collect()
    }

    #[test]
    fn fences_open_and_close_with_the_same_character() {
        assert_eq!(
            fenced("a\n```rust\ncode\n~~~\n```\nb\n"),
            [false, true, true, true, true, false]
        );
        assert_eq!(
            fenced("````\nx\n```\n````\ny"),
            [true, true, true, true, false]
        );
    }

    #[test]
    fn a_fence_is_indented_by_at_most_three_spaces() {
        assert_eq!(fenced("   ```\nx\n   ```\ny"), [true, true, true, false]);
        // Four spaces or a tab: an indented code block's text, not a fence.
        assert_eq!(fenced("    ```\nx\n"), [false, false]);
        assert_eq!(fenced("\t~~~\nx\n"), [false, false]);
        // Nor does such a line close an open fence.
        assert_eq!(
            fenced("```\n    ```\nstill code\n```\nout\n"),
            [true, true, true, true, false]
        );
    }

    #[test]
    fn an_unclosed_fence_is_reported() {
        let mut f = Fences::default();
        for l in "text\n~~~~\nstill code\n".split_inclusive('\n') {
            f.line(l);
        }
        assert_eq!(f.unclosed().as_deref(), Some("~~~~"));
    }

    #[test]
    fn needles_inside_fences_do_not_count() {
        assert!(!contains_outside_fences("```\nSentinel\n```\n", "Sentinel"));
        assert!(contains_outside_fences("```\nx\n```\nSentinel", "Sentinel"));
    }
}
