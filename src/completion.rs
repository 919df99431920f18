/*!
Completion claims and the turn's own evidence: does the final message say something is done
("Pushed the fix to main.", "All 214 tests pass", "clippy is clean") that this turn's Bash
calls contradict?

Two pure halves, both deterministic and in-process:

- [`claims`]: `&str -> Vec<CompletionClaim>`, a hand-written scanner over [`crate::prose`]
  (linear in the text, no regex, no allocation per word). A claim is a first-person or
  subjectless report that an action of the closed verb set ([`crate::action_claim::lexicon`])
  is done, or that a check (tests, build, lint, typecheck) passes. Built precision first:
  quotes, code blocks, questions, relayed reports (CI, a log, another person), hedges ("should
  pass now"), plans ("I'll run the tests"), conditions, failure reports and honest partial
  reports ("9 of 11 pass; 2 still fail") are not claims. See [`checks`] and [`actions`] for
  the constructions, [`context`] for what cancels them.
- [`verdict::judge`]: a claim and this turn's Bash runs -> `Supported`, `Refuted` or `Unverified`, with
  the run and the reason that decided. The last matching run decides; only the runner's own
  exit status or summary line can refute, and every blind spot (a pipeline without a summary,
  a background run, a subset the output cannot place, no run at all) is `Unverified`. See
  [`runners`] (what a command runs), [`summary`] (what its output says) and [`verdict`].

[`secrets::mask_secrets`] and [`secrets::excerpt`] bound what of a command and its output may
be stored.
*/

use std::ops::Range;

mod actions;
mod checks;
mod context;
mod gate;
mod heads;
mod markers;
mod runners;
pub(crate) mod secrets;
mod summary;
pub(crate) mod verdict;
mod words;

/// Longest phrase kept for a claim, in bytes (cut at a word boundary).
pub(crate) const PHRASE_MAX: usize = 120;
/// At most this many claims are returned for one message (distinct subjects, first first).
pub(crate) const CLAIMS_MAX: usize = 32;

/// One completion claim in a message.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct CompletionClaim {
    pub(crate) subject: Subject,
    /// The words that make the claim, as written.
    pub(crate) phrase: String,
    /// Byte range of `phrase` in the classified text: `&text[span] == phrase`.
    pub(crate) span: Range<usize>,
}

/// What a claim says is done.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Subject {
    /// An action of the closed verb set is done ("Pushed the fix", "I've restarted it").
    Action {
        /// The canonical verb: one of [`crate::action_claim::lexicon::VERBS`].
        verb: &'static str,
    },
    /// A check passes ("All tests pass", "the build succeeds", "clippy is clean").
    Check { kind: CheckKind, scope: Scope },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CheckKind {
    Tests,
    Build,
    Lint,
    Typecheck,
}

impl CheckKind {
    #[cfg(test)]
    pub(crate) const ALL: [CheckKind; 4] = [Self::Tests, Self::Build, Self::Lint, Self::Typecheck];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Tests => "tests",
            Self::Build => "build",
            Self::Lint => "lint",
            Self::Typecheck => "typecheck",
        }
    }
}

/// How much of a check a claim covers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Scope {
    /// "All tests pass", "the suite is green", "`cargo test` passes".
    All,
    /// "The new parser tests pass", "`test_parse_empty` passes", "tests in foo.rs pass":
    /// `what` is the words that narrow it, as written.
    Subset { what: String },
}

/// The completion claims in `text`, in the order they appear, one per distinct subject (the
/// first occurrence), at most [`CLAIMS_MAX`].
#[cfg(test)]
pub(crate) fn claims(text: &str) -> Vec<CompletionClaim> {
    claims_in(&crate::prose::scan::Scan::new(text))
}

/// [`claims`] on a message already scanned (a caller that runs several classifiers on one
/// message scans it once).
pub(crate) fn claims_in(scan: &crate::prose::scan::Scan) -> Vec<CompletionClaim> {
    let reader = context::Reader::new(scan);
    let units = reader.units();
    // Most units cannot hold a claim (see `gate`): only those that may are analysed, and the
    // unit before a short one (its check is what "All passing." refers back to).
    let wanted: Vec<bool> = if gate::ticked_anywhere(scan.text) {
        vec![true; units.len()]
    } else {
        units.iter().map(|u| gate::may_claim(&reader, u)).collect()
    };
    if !wanted.contains(&true) {
        return Vec::new();
    }
    let referred_to: Vec<bool> = (0..units.len())
        .map(|i| {
            units.get(i + 1).is_some_and(|next| {
                wanted[i + 1] && next.tokens.len() <= context::REFERRING_UNIT_MAX
            })
        })
        .collect();
    let mut found = Vec::new();
    let mut previous: Option<context::Analysis> = None;
    for (i, unit) in units.into_iter().enumerate() {
        if !(wanted[i] || referred_to[i]) {
            previous = None;
            continue;
        }
        let analysis = context::Analysis::new(&reader, unit, previous.as_ref());
        if wanted[i] {
            checks::find(&analysis, &mut found);
            actions::find(&analysis, &mut found);
        }
        previous = Some(analysis);
    }
    if found.is_empty() {
        return Vec::new();
    }
    // A claim: the failures the message acknowledges anywhere may take it back, so every
    // unit is read after all, in full.
    finish(&reader, all_found(&reader))
}

/// Every unit analysed, in order: what the grammar finds, and each unit's acknowledged
/// failures applied.
fn all_found(reader: &context::Reader) -> Vec<Found> {
    let mut found = Vec::new();
    let mut analyses: Vec<context::Analysis> = Vec::new();
    for unit in reader.units() {
        let analysis = context::Analysis::new(reader, unit, analyses.last());
        checks::find(&analysis, &mut found);
        actions::find(&analysis, &mut found);
        analyses.push(analysis);
    }
    if found.is_empty() {
        return found;
    }
    let mut acks = markers::Acks::default();
    for analysis in &analyses {
        analysis.acknowledged(&mut acks);
    }
    markers::drop_acknowledged(&acks, &mut found);
    found
}

/// The claims in the order they appear, one per subject, at most [`CLAIMS_MAX`].
fn finish(reader: &context::Reader, mut found: Vec<Found>) -> Vec<CompletionClaim> {
    let text = reader.text();
    found.sort_by_key(|f| f.start);
    let mut out: Vec<CompletionClaim> = Vec::new();
    for f in found {
        if out.len() == CLAIMS_MAX {
            break;
        }
        if out.iter().any(|c| c.subject == f.subject) {
            continue;
        }
        let span = crate::prose::phrase_span(text, f.start, f.end, PHRASE_MAX);
        out.push(CompletionClaim {
            subject: f.subject,
            phrase: text[span.clone()].to_string(),
            span,
        });
    }
    out
}

/// [`claims_in`] without the gate: every unit analysed (what the gate must never change).
#[cfg(test)]
pub(crate) fn claims_ungated(text: &str) -> Vec<CompletionClaim> {
    let scan = crate::prose::scan::Scan::new(text);
    let reader = context::Reader::new(&scan);
    finish(&reader, all_found(&reader))
}

/// A claim as the grammar finds it: byte offsets of its first and last token.
pub(crate) struct Found {
    pub(crate) subject: Subject,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[cfg(test)]
mod tests;
