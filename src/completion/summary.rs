//! What a runner's own output says: its summary lines ("test result: FAILED. 40 passed; 2
//! failed", "=== 2 failed, 40 passed in 1.2s ===", "Found 3 errors.", "BUILD SUCCESSFUL"),
//! the names of failing tests, and a task runner's own failure line ("npm ERR! Test failed",
//! "make: *** [test] Error 1"). Only the formats of the families a command may print are
//! looked for, each anchored at the start of a line, so prose in a test's output rarely
//! passes for a summary. One pass over the lines; nothing is copied but a reused buffer for
//! lines with colour codes.

use std::ops::Range;

use super::CheckKind;

mod formats;

/// Summary formats, as a set: which ones a command's output may hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Families(u32);

impl Families {
    pub(crate) const CARGO: Self = Self(1);
    pub(crate) const NEXTEST: Self = Self(1 << 1);
    pub(crate) const GO: Self = Self(1 << 2);
    pub(crate) const PYTEST: Self = Self(1 << 3);
    pub(crate) const UNITTEST: Self = Self(1 << 4);
    /// jest, vitest, mocha, node --test (TAP and spec), bun, playwright, ava.
    pub(crate) const JS: Self = Self(1 << 5);
    pub(crate) const DENO: Self = Self(1 << 6);
    pub(crate) const MAVEN: Self = Self(1 << 7);
    pub(crate) const GRADLE: Self = Self(1 << 8);
    pub(crate) const DOTNET: Self = Self(1 << 9);
    /// rspec, minitest.
    pub(crate) const RUBY: Self = Self(1 << 10);
    /// phpunit, pest.
    pub(crate) const PHP: Self = Self(1 << 11);
    pub(crate) const CTEST: Self = Self(1 << 12);
    pub(crate) const TSC: Self = Self(1 << 13);
    pub(crate) const ESLINT: Self = Self(1 << 14);
    pub(crate) const RUFF: Self = Self(1 << 15);
    pub(crate) const MYPY: Self = Self(1 << 16);
    pub(crate) const PYRIGHT: Self = Self(1 << 17);
    pub(crate) const GOLANGCI: Self = Self(1 << 18);
    pub(crate) const RUBOCOP: Self = Self(1 << 19);
    /// flake8, shellcheck, prettier/black --check, biome, pylint, gofmt -l …
    pub(crate) const LINTERS: Self = Self(1 << 20);
    pub(crate) const RUSTFMT: Self = Self(1 << 21);
    /// vite, next, webpack, esbuild, rollup, tsup.
    pub(crate) const JS_BUILD: Self = Self(1 << 22);
    /// make, ninja and C compilers.
    pub(crate) const MAKE: Self = Self(1 << 23);
    /// A task runner's own failure line (npm, pnpm, yarn, make, just, mise, task, turbo, nx).
    pub(crate) const TASKS: Self = Self(1 << 24);
    pub(crate) const PUSH: Self = Self(1 << 25);
    /// Everything a check may print (a task runs whatever the project configured).
    pub(crate) const ANY: Self = Self((1 << 25) - 1);

    pub(crate) const fn or(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    pub(crate) const fn has(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// What the output said about one aspect: the last failure and the last success line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Said {
    pub(crate) failed: Option<Range<usize>>,
    pub(crate) passed: Option<Range<usize>>,
    /// A diagnostic line (`file.go:12:5: …`, `x.py:3:1: E302 …`): a failure only when the
    /// command that printed it is known, since several tools print the same shape.
    pub(crate) diagnostic: Option<Range<usize>>,
    /// Warnings without errors ("generated 3 warnings", "✖ 2 problems (0 errors, 2 warnings)").
    pub(crate) warned: bool,
}

/// What is read: a check kind, or a `git push`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Aspect {
    Check(CheckKind),
    Push,
}

impl Aspect {
    fn index(self) -> usize {
        match self {
            Aspect::Check(k) => k as usize,
            Aspect::Push => 4,
        }
    }
}

/// Failing test names kept at most (enough to place a subset, never the whole output).
const NAMES_MAX: usize = 64;
/// Only this much of the end of an output is read: summaries are at the end.
const READ_MAX: usize = 4 << 20;

/// One run's output, read.
#[derive(Debug, Default)]
pub(crate) struct Reading<'o> {
    output: &'o str,
    said: [Said; 5],
    failing: Vec<Range<usize>>,
    task_failed: Option<Range<usize>>,
}

impl<'o> Reading<'o> {
    pub(crate) fn of(output: &'o str, families: Families) -> Self {
        let mut from = output.len().saturating_sub(READ_MAX);
        while !output.is_char_boundary(from) {
            from += 1;
        }
        let mut reading = Reading {
            output,
            ..Reading::default()
        };
        let mut clean = String::new();
        let mut state = formats::State::default();
        let mut start = from;
        for line in output[from..].split_inclusive('\n') {
            let range = start..start + line.len();
            start = range.end;
            // A progress bar rewrites its line: what is left after the last `\r` is shown.
            let shown = line.trim_end_matches(['\n', '\r']);
            let shown = shown.rsplit('\r').next().unwrap_or(shown);
            let text = if shown.contains('\u{1b}') {
                strip_ansi(shown, &mut clean);
                clean.as_str()
            } else {
                shown
            };
            formats::line(&mut reading, &mut state, families, text, range);
        }
        reading
    }

    pub(crate) fn said(&self, aspect: Aspect) -> &Said {
        &self.said[aspect.index()]
    }

    /// The text of a line (as printed, without its colour codes' effect on the excerpt: see
    /// [`super::excerpt`]).
    pub(crate) fn text(&self, range: &Range<usize>) -> &'o str {
        &self.output[range.clone()]
    }

    /// Names (and files) of failing tests, as printed.
    pub(crate) fn failing(&self) -> impl Iterator<Item = &'o str> + '_ {
        self.failing.iter().map(|r| &self.output[r.clone()])
    }

    /// The task runner's own failure line, if any.
    pub(crate) fn task_failed(&self) -> Option<Range<usize>> {
        self.task_failed.clone()
    }

    fn fail(&mut self, aspect: Aspect, line: &Range<usize>) {
        self.said[aspect.index()].failed = Some(line.clone());
    }

    fn pass(&mut self, aspect: Aspect, line: &Range<usize>) {
        self.said[aspect.index()].passed = Some(line.clone());
    }

    fn diagnose(&mut self, aspect: Aspect, line: &Range<usize>) {
        self.said[aspect.index()].diagnostic = Some(line.clone());
    }

    fn warn(&mut self, aspect: Aspect) {
        self.said[aspect.index()].warned = true;
    }

    /// Records a failing test's name: `name` is a sub-slice of the line text, which is a
    /// sub-slice of `output` unless the line had colour codes (then the whole line is kept).
    fn failing_name(&mut self, text: &str, name: &str, line: &Range<usize>) {
        if self.failing.len() >= NAMES_MAX || name.is_empty() {
            return;
        }
        let base = self.output.as_ptr() as usize;
        let at = name.as_ptr() as usize;
        let range = if at >= base && at + name.len() <= base + self.output.len() {
            at - base..at - base + name.len()
        } else {
            let _ = text;
            line.clone()
        };
        self.failing.push(range);
    }

    fn task_failure(&mut self, line: &Range<usize>) {
        self.task_failed = Some(line.clone());
    }
}

/// Copies `line` into `out` without ANSI escape sequences (CSI `ESC [ … letter`, and two-byte
/// escapes).
fn strip_ansi(line: &str, out: &mut String) {
    out.clear();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\u{1b}' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('[') => {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            Some(']') => {
                // OSC: up to BEL or ESC \.
                for d in chars.by_ref() {
                    if d == '\u{7}' || d == '\\' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Pairs "N word" in a line, in order: "2 failed, 40 passed, 42 total" -> (2, "failed") …
pub(super) fn counts(line: &str) -> impl Iterator<Item = (u64, &str)> {
    let mut words = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '%'))
        .filter(|w| !w.is_empty())
        .peekable();
    std::iter::from_fn(move || {
        loop {
            let w = words.next()?;
            if let Ok(n) = w.parse::<u64>()
                && let Some(next) = words.peek()
                && next.parse::<u64>().is_err()
            {
                return Some((n, words.next().expect("peeked")));
            }
        }
    })
}

/// The number counted with `word` in the line ("2 failed" -> 2), if any.
pub(super) fn count_of(line: &str, word: &str) -> Option<u64> {
    counts(line)
        .find(|(_, w)| w.eq_ignore_ascii_case(word))
        .map(|(n, _)| n)
}

/// Pairs "Word: N" in a line: "Tests run: 42, Failures: 2" -> ("run", 42), ("Failures", 2).
pub(super) fn labelled(line: &str, label: &str) -> Option<u64> {
    let at = find_ignore_case(line, label)?;
    let rest = line[at + label.len()..].trim_start_matches([':', ' ', '\t']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[..digits].parse().ok()
}

/// Byte offset of `needle` in `hay`, ASCII case-insensitively.
pub(crate) fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() || n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests;
