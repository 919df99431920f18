/*!
The reminder hook (`action-claim-reminder`, UserPromptSubmit): when this conversation has
open commitments older than a grace period (`actionClaim.reminderGraceMinutes`, default 10)
with no matching action seen, it hands them back to the model as `additionalContext` — what
was said, how long ago, and that nothing matching has been seen — at most once per
commitment per grace period. It never blocks a prompt and always exits 0.

Why UserPromptSubmit and not Stop: `additionalContext` from a Stop hook makes the model
continue the turn at once, and an unconditional one loops it; from UserPromptSubmit it is a
note for the next turn.
*/

use serde_json::json;
use std::time::Duration;

use crate::{
    commitments::{Commitment, Store, StoreDoc},
    env::Env,
    hook_io::{self, Hook, RawInput, Reply},
    timestamp::{Timestamp, human_duration},
};

/// At most this many commitments are named in one reminder.
const MAX_NAMED: usize = 8;

/// The hook binary's handler.
pub fn prompt_hook(raw: &RawInput, env: &Env, now: Timestamp) -> Reply {
    match on_prompt(raw, env, now) {
        Some(text) => Reply::Json(
            json!({"hookSpecificOutput": {"hookEventName": "UserPromptSubmit", "additionalContext": text}})
                .to_string(),
        ),
        None => Reply::Silent,
    }
}

/// The reminder text for this prompt, if one is due (and marks those commitments reminded).
pub(crate) fn on_prompt(raw: &RawInput, env: &Env, now: Timestamp) -> Option<String> {
    let run = hook_io::start(Hook::Prompt, raw, env, now).ok()?;
    crate::fault::fault_point("prompt");
    let (text, failure) = remind(&run);
    run.finish(failure.as_deref());
    text
}

/// The reminder, and what went wrong writing it.
fn remind(run: &hook_io::Run<'_>) -> (Option<String>, Option<String>) {
    let now = run.now;
    let store = Store::at(&run.state);
    let Some(doc) = store.peek(&["\"open\""]) else {
        return (None, None);
    };
    let topic = run.topic();
    let grace = Duration::from_secs_f64(run.config.action_claim.reminder_grace_minutes * 60.0);
    if due(&doc, &topic, grace, now).is_empty() {
        return (None, None);
    }
    // Re-check under the lock: another prompt may have just reminded them.
    let written = store.update(now, |doc| {
        let ids: Vec<String> = due(doc, &topic, grace, now)
            .iter()
            .map(|c| c.id.clone())
            .collect();
        let mut reminded = Vec::new();
        for c in doc.commitments.iter_mut().filter(|c| ids.contains(&c.id)) {
            c.reminded_at = Some(now);
            c.reminders += 1;
            reminded.push(c.clone());
        }
        Ok(reminded)
    });
    match written {
        Ok(w) if !w.value.is_empty() => {
            let ids: Vec<&str> = w.value.iter().map(|c| c.id.as_str()).collect();
            run.log
                .write(&format!("topic {topic}: reminded of {}", ids.join(", ")));
            (Some(text(&w.value, now)), None)
        }
        Ok(_) => (None, None),
        Err(e) => {
            let why = format!("could not update reminders: {e}");
            run.log.problem(&why);
            (None, Some(why))
        }
    }
}

/// Open commitments of `topic` made at least `grace` ago and not reminded within `grace`.
pub(crate) fn due<'a>(
    doc: &'a StoreDoc,
    topic: &str,
    grace: Duration,
    now: Timestamp,
) -> Vec<&'a Commitment> {
    doc.open_for_topic(topic, now)
        .filter(|c| {
            now.since(c.created_at) >= grace && c.reminded_at.is_none_or(|r| now.since(r) >= grace)
        })
        .collect()
}

/// What the model is told.
pub fn text(due: &[Commitment], now: Timestamp) -> String {
    let mut out = String::from(
        "Follow-through reminder (instar-hooks): you made a promise in this conversation that has not been seen done yet.\n",
    );
    for c in due.iter().take(MAX_NAMED) {
        let phrase: String = c.phrase.chars().take(200).collect();
        out.push_str(&format!(
            "- {} ago you said \"{phrase}\" ({}). No command that does it has been seen since.\n",
            human_duration(now.since(c.created_at)),
            c.id,
        ));
    }
    if due.len() > MAX_NAMED {
        out.push_str(&format!("- and {} more.\n", due.len() - MAX_NAMED));
    }
    out.push_str(
        "If it still needs doing, do it now or tell the user why not. If it was done another way or is no longer wanted, say so, and it can be closed with `instar-hooks commitments resolve <id> --note \"…\"`.",
    );
    out
}

#[cfg(test)]
mod tests;
