/*!
Same-turn follow-through: the Stop hook continues a turn — once — when it ends on a promise
the turn did not keep ("Let me restart the worker now." and no tool call after it), or on a
completion claim the turn's own last matching run contradicts ("All tests pass" after a
failing `npm test`). It prints `{"decision": "block", "reason": …}` and Claude Code hands the
reason back to the model as "Stop hook feedback".

A wrong continuation costs the user a model turn and a loop costs far more, so every doubt
holds it back ([`Hold`]): the feature switched off (`actionClaim.sameTurn: false`), a Stop
that is itself a continuation (`stop_hook_active`), plan mode (narrating the next steps is the
job there), no `session_id`/`prompt_id` to keep count by, a turn already continued, a session
continued [`record::SESSION_CAP`] times, or a record that cannot be written. The record is
written before anything is printed.
*/

mod assess;
mod phase;
pub(crate) mod record;

pub(crate) use phase::{Decided, decide};

use crate::{
    config::Config,
    hook_io::HookInput,
    transcript::turn::{Entry, Turn},
};

/// Why a turn is continued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Nudge {
    /// The final message ends on an imminent promise that no tool call followed: one of the
    /// closed verb set (`verb`), or a next step announced with a colon (`verb: None`).
    Promise {
        phrase: String,
        verb: Option<&'static str>,
    },
    /// A completion claim that the turn's last matching run contradicts; `evidence` says how
    /// ("the last `npm test` in this turn exited 1: 2 failed").
    Refuted { phrase: String, evidence: String },
}

/// Why a turn is not continued although it could be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Hold {
    Off,
    StopHookActive,
    PlanMode,
    /// No `session_id` or `prompt_id`: nothing to keep count by.
    NoTurnIdentity,
    TurnDone,
    SessionCap,
    /// Background tasks will wake the session: a promise may be waiting on them.
    BackgroundTasks,
    /// The record could not be written (logged as a problem).
    RecordFailed,
}

impl Hold {
    /// For the log.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Hold::Off => "actionClaim.sameTurn is off",
            Hold::StopHookActive => "this Stop follows a continuation (stop_hook_active)",
            Hold::PlanMode => "plan mode",
            Hold::NoTurnIdentity => "the Stop input has no session_id or prompt_id",
            Hold::TurnDone => "this turn was continued already",
            Hold::SessionCap => "this session was continued 3 times already",
            Hold::BackgroundTasks => "background tasks will wake the session",
            Hold::RecordFailed => "the record of continuations could not be written",
        }
    }
}

/// The turn's identity, `(session_id, prompt_id)`, when this Stop may be continued at all.
pub(crate) fn allowed<'a>(
    config: &Config,
    input: &'a HookInput,
) -> Result<(&'a str, &'a str), Hold> {
    if !config.action_claim.same_turn {
        return Err(Hold::Off);
    }
    if input.stop_hook_active {
        return Err(Hold::StopHookActive);
    }
    if input.permission_mode.as_deref() == Some("plan") {
        return Err(Hold::PlanMode);
    }
    match (input.session_id.as_deref(), input.prompt_id.as_deref()) {
        (Some(session), Some(prompt)) => Ok((session, prompt)),
        _ => Err(Hold::NoTurnIdentity),
    }
}

/// Whether this turn's transcript shows `message` as its last words with no tool call after
/// them. `false` when the transcript does not hold the message (it lags, or is another
/// session's): then nothing can be told, and nothing is done.
pub(crate) fn ended_on(turn: &Turn, message: &str) -> bool {
    turn.after_text(message)
        .is_some_and(|after| !after.iter().any(|e| matches!(e, Entry::Call(_))))
}

/// What the model reads: the promise or the claim, quoted, and what to do; no internals.
pub(crate) fn reason(nudge: &Nudge) -> String {
    match nudge {
        Nudge::Promise {
            phrase,
            verb: Some(_),
        } => format!(
            "You ended your turn on \"{}\" but did not do it. Do it now; if you cannot or should not, say so plainly.",
            quoted(phrase)
        ),
        Nudge::Promise { phrase, verb: None } => format!(
            "You ended your turn announcing \"{}\" but made no tool call. Do it now; if you cannot or should not, say so plainly.",
            quoted(phrase)
        ),
        Nudge::Refuted { phrase, evidence } => format!(
            "You said \"{}\", but {evidence}. Fix it, or correct the statement.",
            quoted(phrase)
        ),
    }
}

/// The Stop hook's reply that continues the turn.
pub(crate) fn block(nudge: &Nudge) -> String {
    serde_json::json!({"decision": "block", "reason": reason(nudge)}).to_string()
}

/// A phrase as quoted to the model: one line, at most 160 characters, cut at a word.
fn quoted(phrase: &str) -> String {
    let line: String = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(160) {
        Some((at, _)) => {
            let cut = line[..at].rfind(' ').unwrap_or(at);
            format!("{}…", &line[..cut])
        }
        None => line,
    }
}

#[cfg(test)]
mod tests;
