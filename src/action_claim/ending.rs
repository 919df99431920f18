/*!
How an end-of-turn message ends, for the Stop hook's same-turn nudge (issue 16): when the
message *ends on* an imminent first-person promise ("Let me restart the worker now.",
"Pushing the fix.") or announces the next step with a colon ("Let me check the config:"),
and the turn stops there, the tool call never came, and the hook may hold the assistant to it
once. A wrong nudge costs the user a model turn, so [`ending`] is far stricter than
[`super::classify`], which records any promise, for later or not.

What counts as ending on a promise ([`closing`]): the promise is in the last sentence of
content, or in the one before it when the last only says what to expect ("That should pick up
the new config."). After it may come at most two short courtesy lines ("Let me know if
anything else breaks.", "Thanks for the quick report!"), nothing else: not another sentence,
a list, a table, code, or a question (a question hands the turn to the user). A promise in a
list item is a plan, not the step the turn was about to take.

What counts as imminent ([`timing`]): "now", "next", "right away", a participle opening, "let
me", or no time word; not "tomorrow", "later today", "after the freeze", "at 5 pm", "in the
next session", "once the build finishes", "when CI is green", "I'll report back when it
finishes", nor after something still under way ("The build is still running. I'll publish.")
or a "then" after a step that is not the assistant's ("CI is running. Then I'll merge.").

Whose: the assistant's alone — "I", "let me", a participle; a promise with "we" or "let's"
may be the team's plan or an invitation to the user, and is not held to. And never for what
[`super::classify`] already refuses: questions, offers, conditions, past tense, quotes, code,
other people, negations, hedges.

The colon case: the message's last sentence ends with ':' and nothing follows it, and it
opens with the assistant's own next step with any verb ("Now let me look at the failing
test:", "Let's run the tests:", "Checking the scheduler's retry logic:"); not a label ("Next
steps:", "Remaining issues:"), someone else's step ("You can run:"), a request ("Let me know
which you prefer:"), a step that waits ("Let me wait for CI:"), a finding ("Adding the flag
skips the hooks:"), or a colon that introduces content that follows it.

Pure, total and linear in the message: one scan, then a bounded look at its last sentences.
*/

use std::ops::Range;

use super::{PHRASE_MAX, grammar};
use crate::prose::phrase_span;
use crate::prose::scan::Scan;

mod closing;
mod timing;

/// How an end-of-turn message ends, when it ends on an imminent first-person promise the
/// Stop hook may hold the assistant to in the same turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ending {
    pub(crate) kind: EndingKind,
    /// The words of the promise or step, as written (at most [`super::PHRASE_MAX`] bytes).
    pub(crate) phrase: String,
    /// Where `phrase` sits in the message: `&text[span] == phrase`.
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EndingKind {
    /// A promise of the closed verb set ("Let me restart the worker now.", "Pushing the
    /// fix."); `verb` is one of [`super::lexicon::VERBS`], as [`super::classify`] names it.
    Promise { verb: &'static str },
    /// The closing line announces the assistant's next step with any verb and ends on a
    /// colon ("Let me check the config:").
    NextStep,
}

/// How `text` ends, when it ends on an imminent first-person promise or an announced next
/// step; None for everything else.
#[cfg(test)]
pub(crate) fn ending(text: &str) -> Option<Ending> {
    ending_in(&Scan::new(text))
}

/// [`ending`] of a message already scanned.
pub(crate) fn ending_in(scan: &Scan<'_>) -> Option<Ending> {
    let text = scan.text;
    let close = closing::closing(scan)?;
    for &index in &close.candidates {
        if let Some(found) = grammar::claim_at(scan, index) {
            // The message ends on a promise: it is the one to judge, imminent or not.
            let now = grammar::first_person_singular(scan, found.lead)
                && timing::imminent(scan, index, found.lead);
            return now.then(|| {
                let span = phrase_span(text, found.start, found.clause_end, PHRASE_MAX);
                Ending {
                    kind: EndingKind::Promise { verb: found.verb },
                    phrase: text[span.clone()].to_string(),
                    span,
                }
            });
        }
    }
    let &last = close.candidates.first()?;
    if !close.colon || last + 1 != scan.sentences.len() {
        return None;
    }
    let s = &scan.sentences[last];
    let start = grammar::announced_step(scan, s)?;
    if !timing::imminent(scan, last, start) {
        return None;
    }
    let span = phrase_span(
        text,
        scan.tokens[start].start,
        scan.tokens[s.tokens.end - 1].end,
        PHRASE_MAX,
    );
    Some(Ending {
        kind: EndingKind::NextStep,
        phrase: text[span.clone()].to_string(),
        span,
    })
}

#[cfg(test)]
mod tests;
