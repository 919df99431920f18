//! What the grammar reads: units (sentences, with a "Label: value" pair joined into one), the
//! heads in each unit, and what each line's start says (a ✅ or ❌ mark, an unchecked task box,
//! a list under a "Next steps:" lead-in). Built in forward passes, so reading is linear.

use std::cell::OnceCell;
use std::ops::Range;

use super::heads::{self, Head};
use super::markers::Markers;
use crate::prose::scan::{Scan, Tok};

/// How far a clause is followed: a "clause" of hundreds of words without a comma is not one
/// a claim is read from, and bounding it keeps every per-claim window constant.
pub(super) const CLAUSE_MAX: usize = 48;

/// Only a unit this short may refer back to the check the one before it ended on ("… ran
/// the tests. All passing.").
pub(super) const REFERRING_UNIT_MAX: usize = 5;

pub(super) struct Reader<'s, 'a> {
    pub(super) scan: &'s Scan<'a>,
    /// Built on first use: most messages have no candidate claim to look them up for.
    lines: OnceCell<Vec<Line>>,
}

/// One sentence, or several joined by a colon on one line ("Tests: all pass").
pub(super) struct Unit {
    pub(super) tokens: Range<usize>,
    pub(super) question: bool,
    /// Ends with a full stop, "!" or the end of the message (not a bare label line).
    pub(super) stated: bool,
    /// Starts a list item.
    pub(super) bullet: bool,
    /// Where each sentence joined after a colon starts ("Tests: all pass").
    pub(super) joins: Vec<usize>,
}

/// What the start of a line says about the sentences on it.
#[derive(Clone, Copy, Default)]
pub(super) struct Line {
    start: usize,
    /// ✅ / ✓ / ✔ before the first word.
    pub(super) ticked: bool,
    /// ❌ / ✗ / ⚠ before the first word, or an unchecked task box `[ ]`.
    pub(super) unticked: bool,
    /// ❌ / ✗ / ⚠ before the first word: what the line names failed.
    pub(super) crossed: bool,
    /// A list item under a lead-in of plans, steps or options ("Next steps:", "To verify:").
    pub(super) planned: bool,
}

/// A unit with its heads; markers are computed on first use (most units never need them).
pub(super) struct Analysis<'r, 's, 'a> {
    pub(super) reader: &'r Reader<'s, 'a>,
    pub(super) unit: Unit,
    pub(super) heads: Vec<Head>,
    /// The check the previous sentence of the paragraph ended on, for "… ran the tests. All
    /// passing."
    pub(super) antecedent: Option<Head>,
    /// For each token of the unit, 1 + the index of the head covering it (0: none), so
    /// looking a head up by position is constant time whatever the unit's length.
    cover: Vec<u32>,
    /// Indices of the heads that are not action verbs, in order (for nearest-head search).
    nouns: Vec<usize>,
    markers: OnceCell<Markers>,
}

impl<'s, 'a> Reader<'s, 'a> {
    pub(super) fn new(scan: &'s Scan<'a>) -> Self {
        Reader {
            scan,
            lines: OnceCell::new(),
        }
    }

    pub(super) fn text(&self) -> &'a str {
        self.scan.text
    }

    pub(super) fn word(&self, i: usize) -> &str {
        self.scan.word(i)
    }

    pub(super) fn kind(&self, i: usize) -> Option<Tok> {
        self.scan.kind(i)
    }

    pub(super) fn is_word(&self, i: usize) -> bool {
        self.kind(i) == Some(Tok::Word)
    }

    /// The token as written.
    pub(super) fn raw(&self, i: usize) -> &'a str {
        self.scan
            .tokens
            .get(i)
            .map_or("", |t| &self.scan.text[t.start..t.end])
    }

    pub(super) fn start_of(&self, i: usize) -> usize {
        self.scan.tokens[i].start
    }

    pub(super) fn end_of(&self, i: usize) -> usize {
        self.scan.tokens[i].end
    }

    /// The line the byte offset is on.
    pub(super) fn line_at(&self, offset: usize) -> Line {
        let lines = self.lines.get_or_init(|| lines(self.scan.text));
        let k = lines.partition_point(|l| l.start <= offset);
        lines[k.saturating_sub(1)]
    }

    /// Units in order: sentences, joined across a colon that does not end its line.
    pub(super) fn units(&self) -> Vec<Unit> {
        let mut out: Vec<Unit> = Vec::new();
        let text = self.text();
        for s in &self.scan.sentences {
            // A sentence ended by a semicolon is stated as a full stop states it ("Pushed;
            // tests pass."): only a line without end punctuation is a bare label.
            let stated = s.stated
                || text[self.end_of(s.tokens.end - 1)..]
                    .trim_start_matches([' ', '*', '_', '`'])
                    .starts_with(';');
            let joins = out.last().is_some_and(|prev| {
                let gap = &text[self.end_of(prev.tokens.end - 1)..self.start_of(s.tokens.start)];
                gap.contains(':') && !gap.contains('\n') && !prev.question
            });
            if joins {
                let prev = out.last_mut().expect("checked");
                prev.joins.push(s.tokens.start);
                prev.tokens.end = s.tokens.end;
                prev.question |= s.question;
                prev.stated = stated;
            } else {
                out.push(Unit {
                    tokens: s.tokens.clone(),
                    question: s.question,
                    stated,
                    bullet: s.bullet,
                    joins: Vec::new(),
                });
            }
        }
        out
    }
}

impl<'r, 's, 'a> Analysis<'r, 's, 'a> {
    pub(super) fn new(reader: &'r Reader<'s, 'a>, unit: Unit, previous: Option<&Self>) -> Self {
        let heads = heads::find(reader, &unit);
        let antecedent = previous
            .filter(|p| {
                let text = reader.text();
                let gap =
                    &text[reader.end_of(p.unit.tokens.end - 1)..reader.start_of(unit.tokens.start)];
                !gap.contains("\n\n")
            })
            .and_then(|p| {
                p.heads
                    .iter()
                    .rev()
                    .find(|h| matches!(h.kind, heads::HeadKind::Check(_)))
            })
            .cloned();
        let mut cover = if heads.is_empty() {
            Vec::new()
        } else {
            vec![0u32; unit.tokens.len()]
        };
        for (i, h) in heads.iter().enumerate() {
            for k in h.first..=h.last {
                cover[k - unit.tokens.start] = i as u32 + 1;
            }
        }
        let nouns = (0..heads.len())
            .filter(|&i| !matches!(heads[i].kind, heads::HeadKind::Action(_)))
            .collect();
        Analysis {
            reader,
            unit,
            heads,
            antecedent,
            cover,
            nouns,
            markers: OnceCell::new(),
        }
    }

    /// The word at token `k`, when it is a word of this unit.
    pub(super) fn word_in_unit(&self, k: usize) -> Option<&str> {
        (self.unit.tokens.contains(&k) && self.reader.is_word(k)).then(|| self.reader.word(k))
    }

    /// The head covering token `k`, and its index.
    pub(super) fn head_at(&self, k: usize) -> Option<(usize, &Head)> {
        let slot = *self.cover.get(k.checked_sub(self.unit.tokens.start)?)?;
        let i = (slot as usize).checked_sub(1)?;
        Some((i, &self.heads[i]))
    }

    /// The head starting at token `k`.
    pub(super) fn head_starting_at(&self, k: usize) -> Option<(usize, &Head)> {
        self.head_at(k).filter(|(_, h)| h.first == k)
    }

    /// The nearest head that is not an action verb ending before token `k`, and the nearest
    /// starting after it.
    pub(super) fn noun_heads_around(&self, k: usize) -> (Option<usize>, Option<usize>) {
        let split = self.nouns.partition_point(|&i| self.heads[i].last < k);
        let before = split.checked_sub(1).map(|p| self.nouns[p]);
        let after = self.nouns[split..]
            .iter()
            .copied()
            .find(|&i| self.heads[i].first > k);
        (before, after)
    }

    pub(super) fn markers(&self) -> &Markers {
        self.markers.get_or_init(|| Markers::of(self))
    }

    /// The line the unit starts on.
    pub(super) fn line(&self) -> Line {
        self.reader
            .line_at(self.reader.start_of(self.unit.tokens.start))
    }

    /// Token `i` opens its unit, or a clause after a dash, with at most opener words ("OK,
    /// so", "Done —", "Also") and emoji before it.
    pub(super) fn initial(&self, i: usize) -> bool {
        let r = self.reader;
        let mut j = i;
        while j > self.unit.tokens.start && !self.joined_at(j) {
            j -= 1;
            if i - j > 6 {
                return false;
            }
            match r.kind(j) {
                Some(Tok::Dash) => return true,
                Some(Tok::Comma) => {}
                Some(Tok::Word) if crate::action_claim::lexicon::is_opener(r.word(j)) => {}
                _ => return false,
            }
        }
        true
    }

    /// The first token of the clause holding `i` (after a comma, dash or parenthesis), at
    /// most [`CLAUSE_MAX`] tokens back.
    pub(super) fn clause_start(&self, i: usize) -> usize {
        let r = self.reader;
        let mut j = i;
        while j > self.unit.tokens.start
            && i - j < CLAUSE_MAX
            && matches!(r.kind(j - 1), Some(Tok::Word | Tok::Opaque))
        {
            j -= 1;
        }
        j
    }

    /// The last token of the clause holding `i`, at most [`CLAUSE_MAX`] tokens on.
    pub(super) fn clause_end(&self, i: usize) -> usize {
        let r = self.reader;
        let mut j = i;
        while j + 1 < self.unit.tokens.end
            && j - i < CLAUSE_MAX
            && matches!(r.kind(j + 1), Some(Tok::Word | Tok::Opaque))
        {
            j += 1;
        }
        j
    }

    /// A sentence joined after a colon starts at token `k`.
    pub(super) fn joined_at(&self, k: usize) -> bool {
        self.unit.joins.binary_search(&k).is_ok()
    }
}

/// One entry per line: its start, its mark, and whether it is a list item under a lead-in of
/// plans (one forward pass: the lead-in is the last non-list line seen).
fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut lead_in_plans = false;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']);
        let (rest, bullet) = strip_bullet(body);
        let b = rest.as_bytes();
        let boxed =
            b.len() >= 3 && b[0] == b'[' && b[2] == b']' && matches!(b[1], b' ' | b'x' | b'X');
        let unchecked = boxed && b[1] == b' ';
        let rest = if boxed { &rest[3..] } else { rest };
        let first = rest
            .trim_start_matches([' ', '*', '_'])
            .chars()
            .next()
            .unwrap_or(' ');
        let ticked = super::words::TICKS.contains(&first);
        let crossed = matches!(first, '❌' | '✗' | '✖' | '⚠' | '🔴' | '⛔' | '❗');
        if !bullet {
            // A lead-in is a heading, a line that ends in a colon, or a short label line.
            let bare = body.trim_end().trim_end_matches(['*', '_', ' ']);
            if !bare.is_empty() {
                let lead_in = body.starts_with('#')
                    || bare.ends_with(':')
                    || bare.split_whitespace().take(5).count() <= 4;
                lead_in_plans = lead_in && leads_into_plans(body);
            }
        }
        out.push(Line {
            start,
            ticked,
            unticked: unchecked || crossed,
            crossed,
            planned: bullet && lead_in_plans,
        });
        start += line.len();
    }
    if out.is_empty() {
        out.push(Line::default());
    }
    out
}

/// "- item", "* item", "+ item", "1. item", "2) item".
fn strip_bullet(body: &str) -> (&str, bool) {
    let b = body.as_bytes();
    if b.len() >= 2 && matches!(b[0], b'-' | b'*' | b'+') && b[1] == b' ' {
        return (&body[2..], true);
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits)
        && matches!(b.get(digits), Some(b'.' | b')'))
        && b.get(digits + 1) == Some(&b' ')
    {
        return (&body[digits + 2..], true);
    }
    (body, false)
}

/// A line that introduces a list of things not yet done: "Next steps:", "## TODO", "To
/// verify:", "Remaining work", "Options:", "Before merging you should:".
fn leads_into_plans(line: &str) -> bool {
    let mut after_to = false;
    let mut after_how = false;
    let mut buf = [0u8; 24];
    for word in line
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty() && w.len() <= 24)
    {
        let n = word.len();
        buf[..n].copy_from_slice(word.as_bytes());
        buf[..n].make_ascii_lowercase();
        let w = std::str::from_utf8(&buf[..n]).unwrap_or("");
        let plans = matches!(
            w,
            "next"
                | "todo"
                | "todos"
                | "to-do"
                | "steps"
                | "plan"
                | "checklist"
                | "criteria"
                | "requirements"
                | "remaining"
                | "need"
                | "needs"
                | "must"
                | "should"
                | "would"
                | "could"
                | "recommend"
                | "recommended"
                | "recommendations"
                | "suggest"
                | "suggested"
                | "suggestions"
                | "options"
                | "follow-up"
                | "followups"
                | "follow-ups"
                | "ideas"
                | "goals"
                | "goal"
                | "acceptance"
                | "expected"
                | "if"
                | "once"
                | "before"
                | "future"
                | "later"
                | "pending"
                | "outstanding"
        ) || (after_to
            && matches!(w, "verify" | "test" | "do" | "check" | "confirm" | "run"))
            || (after_how && w == "to");
        if plans {
            return true;
        }
        after_to = w == "to";
        after_how = w == "how";
    }
    false
}
