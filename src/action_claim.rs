/*!
The action-claim classifier: does this assistant message end a turn with a concrete,
first-person promise to act ("I'll restart the server", "Relaunching now", "Pushing the fix")?

`classify(text) -> Option<Claim>` is pure, total and linear in the length of the text: a
hand-written scanner, no regex, no allocation per word. It is built to be precise first —
a false claim nags the model about something it never promised — and to catch the ways
assistants actually phrase promises.

How it reads a message:
1. `crate::prose::mask`: fenced and inline code, quoted text, blockquotes, headings and table rows are
   taken out of play (code and quotes become opaque words; block lines become boundaries).
2. `crate::prose::scan`: the rest is split into sentences (`.`, `!`, `?`, `;`, `:`, `…`, a newline, a
   list bullet) and clauses (`,`, dashes, parentheses), and into normalised words
   (ASCII-lowercased, curly apostrophes made straight, `re-run` read as `rerun`).
3. `grammar`: each verb of the closed set ([`lexicon::VERBS`]) is tested against the
   constructions that make a promise, and the sentence against what cancels one:
   - a first-person future lead, possibly with words between it and the verb: "I'll",
     "I will", "I'm (now) going to", "I'm about to", "let me", "let's", "we'll", "gonna",
     "I plan to" … + "quickly", "just", "go ahead and", "try to", "then" … + the verb;
   - a progressive lead: "I'm (now) deploying", "We're pushing";
   - a participle opening a sentence or strong clause, with something after it
     ("Relaunching now.", "Done. Pushing the fix."), unless it is the subject of the
     sentence ("Pushing to main requires a review.");
   - a verb coordinated with a promised one ("I'll update the config and restart it"), or
     its means ("Let me confirm it by rerunning the suite");
   - a causative ("Let me get this merged", "I'll have it deployed by five");
   - a necessity taken on ("I need to restart nginx, so I'm doing that now"; a bare "I need
     to restart nginx" is not a promise).

   A repeated action names its verb of the set ("run the suite again" is a rerun, "start
   the worker again" a restart, "deploy it again" a redeploy).

   No claim when the sentence is a question, negated ("I won't merge", "I'm not going to
   push"), hedged ("I'll probably restart"), modal or an offer ("I can restart it", "I'd
   revert that"), conditional ("If you want, I'll deploy", "I'll merge once you approve",
   "Let me know and I'll push"), about someone else ("you", "CI", "he"), in the past
   ("I've pushed it"), an idiom ("push back on that"), or the verb is a noun ("merge
   conflicts", "a quick fix", "the deploy pipeline", "walk through the bug and fix step by
   step"). Nor when the promise is reported ("Yesterday I wrote that I'll rebase"), sits in a
   relative clause ("the scenario we're fixing"), or the participle is a subject ("Reverting
   both commits would lose the fix"; a purpose clause's verb is not the main verb:
   "Rebuilding the index now so the results are fresh" is a promise). A condition on an
   event governs only the verb phrase it follows ("I'll rebuild the wheel and publish it if
   the smoke test passes" promises the rebuild); one on the user governs the sentence.
4. The first claim in the text wins; its `phrase` runs from the start of the lead to the end
   of the clause (at most [`PHRASE_MAX`] bytes) and `span` is where that phrase sits in the
   input, so `&text[span] == phrase`.

`ending` asks a stricter question of the same grammar for the Stop hook's same-turn nudge:
does the message *end on* an imminent promise of the assistant's own (or on a line announcing
its next step, ending with a colon)? See its module.
*/

use std::ops::Range;

mod ending;
mod grammar;
pub mod lexicon;

pub(crate) use ending::{Ending, EndingKind, ending_in};

/// Longest phrase kept for a claim, in bytes (cut at a word boundary).
pub const PHRASE_MAX: usize = 120;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Claim {
    /// The canonical verb: one of [`lexicon::VERBS`].
    pub verb: &'static str,
    /// The words that make the promise, as written.
    pub phrase: String,
    /// Byte range of `phrase` in the classified text.
    pub span: Range<usize>,
}

/// The first action claim in `text`, if any.
pub fn classify(text: &str) -> Option<Claim> {
    classify_in(&crate::prose::scan::Scan::new(text))
}

/// [`classify`] of a message already scanned (the Stop hook scans it once for every reader).
pub(crate) fn classify_in(scan: &crate::prose::scan::Scan<'_>) -> Option<Claim> {
    let text = scan.text;
    let found = grammar::first_claim(scan)?;
    let span = crate::prose::phrase_span(text, found.start, found.clause_end, PHRASE_MAX);
    Some(Claim {
        verb: found.verb,
        phrase: text[span.clone()].to_string(),
        span,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
