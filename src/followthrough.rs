/*!
The Stop hook (`action-claim-followthrough`), step by step:

1. (`hook_io::run_hook`) exit-0 panic hook; stdin read up to 4 MiB, the rest drained.
2. The project: `CLAUDE_PROJECT_DIR`, else the input's `cwd`, else the working directory.
3. The config; feature off → done. This is the common path: stdin is not even parsed.
4. The message: `last_assistant_message`, else the last assistant text in the transcript tail.
5. The topic: `INSTAR_CONVERSATION_ID`, else `INSTAR_TELEGRAM_TOPIC`, else `session_id`.
6. Classify in-process; a claim is recorded in the commitment store (idempotent, capped).
9. Exit 0, nothing on stdout.

Steps 7 (evidence from the transcript) and 8 (forwarding to an instar server) plug in after
step 6 and before step 9.
*/

use std::{cell::OnceCell, path::Path};

use crate::{
    action_claim,
    commitments::{NewClaim, Policy, Recorded, Store},
    config::Config,
    diag::Log,
    env::Env,
    hook_io::{self, HookInput, RawInput, Reply},
    state::StateDir,
    timestamp::Timestamp,
    transcript,
};

pub const HOOK_NAME: &str = "action-claim-followthrough";

/// What one run did (for tests and the log; the hook itself prints nothing).
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Disabled,
    NoMessage,
    NoClaim,
    Recorded(Recorded),
    Failed(String),
}

/// The hook binary's handler.
pub fn stop_hook(raw: &RawInput, env: &Env, now: Timestamp) -> Reply {
    on_stop(raw, env, now);
    Reply::Silent
}

pub fn on_stop(raw: &RawInput, env: &Env, now: Timestamp) -> Outcome {
    let parsed = OnceCell::new();
    let input = || parsed.get_or_init(|| HookInput::parse(&raw.bytes));
    let Some(project) = hook_io::project_dir(env, || input().cwd.clone()) else {
        return Outcome::Disabled;
    };
    let config = Config::load(&project, env);
    // Resolving the state directory and the log does no I/O: the directory is created only
    // when there is something to write, so a turn without a promise touches nothing.
    let state = StateDir::resolve(&project, env).ok();
    let log = state.as_ref().map(|s| Log::for_state(s, HOOK_NAME));
    if let Some(log) = &log {
        log.install_global();
        let off = if config.is_enabled() {
            ""
        } else {
            " (feature off)"
        };
        for p in &config.problems {
            log.write(&format!("config {}: {}{off}", p.path.display(), p.message));
        }
    }
    if !config.is_enabled() {
        return Outcome::Disabled;
    }
    let (Some(state), Some(log)) = (state, log) else {
        return Outcome::Failed("no state directory for this project".into());
    };
    crate::diag::fault_point("stop");
    if raw.truncated {
        log.write(&format!(
            "stdin exceeded {} bytes; this turn was not classified",
            hook_io::STDIN_CAP
        ));
        return Outcome::NoMessage;
    }
    let input = input();
    let message = input
        .last_assistant_message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .or_else(|| {
            let path = input.transcript_path.as_deref()?;
            transcript::last_assistant_text(Path::new(path), transcript::TAIL_CAP)
        });
    let Some(message) = message else {
        return Outcome::NoMessage;
    };
    let Some(claim) = action_claim::classify(&message) else {
        return Outcome::NoClaim;
    };
    let topic = topic(env, input.session_id.as_deref());
    let new = NewClaim {
        topic: topic.clone(),
        verb: claim.verb.to_string(),
        phrase: claim.phrase.clone(),
        message,
        session_id: input.session_id.clone(),
        transcript_path: input.transcript_path.clone(),
    };
    let recorded = state.ensure().and_then(|()| {
        Store::at(&state).record(&new, Policy::from_config(&config.action_claim), now)
    });
    match recorded {
        Ok(written) => {
            if let Some(moved) = &written.recovered_from_corrupt {
                log.write(&format!(
                    "commitment store was unreadable; kept it as {} and started a new one",
                    moved.display()
                ));
            }
            log.write(&format!(
                "topic {topic}: {:?} {} ({})",
                claim.phrase,
                claim.verb,
                serde_json::to_string(&written.value).unwrap_or_default()
            ));
            Outcome::Recorded(written.value)
        }
        Err(e) => {
            // The claim is not lost silently: the log holds everything needed to redo it.
            log.write(&format!(
                "could not record {} claim {:?} for topic {topic}: {e}",
                claim.verb, claim.phrase
            ));
            Outcome::Failed(e.to_string())
        }
    }
}

/// The conversation a claim belongs to. instar's ids are integers ("0042" and "42" are the
/// same topic, as JavaScript's parseInt reads them); anything else is used as written.
pub fn topic(env: &Env, session_id: Option<&str>) -> String {
    let raw = env
        .conversation_id
        .as_deref()
        .or(env.telegram_topic.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match raw {
        Some(t) => t
            .parse::<i64>()
            .map_or_else(|_| t.to_string(), |n| n.to_string()),
        None => session_id.unwrap_or("no-session").to_string(),
    }
}

#[cfg(test)]
mod tests;
