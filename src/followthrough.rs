/*!
The Stop hook (`action-claim-followthrough`), step by step:

1. (`hook_io::run_hook`) exit-0 panic hook; stdin read up to 4 MiB, the rest drained.
2. The project: `CLAUDE_PROJECT_DIR`, else the input's `cwd`, else the working directory.
3. The config; feature off → done. This is the common path: stdin is not even parsed.
4. The message: `last_assistant_message`, else the last assistant text in the transcript tail.
5. The topic: `INSTAR_CONVERSATION_ID`, else `INSTAR_TELEGRAM_TOPIC`, else `session_id`.
6. Classify in-process; a claim is recorded in the commitment store (idempotent, capped).
7. Evidence: this topic's open commitments are checked against the tool calls the
   transcript shows since the last run ([`crate::evidence`]); a match fulfils them.
8. Forwarding (instar agents with a server `port` and `authToken`): due outbox entries are
   leased and sent to the server; outcomes are recorded ([`crate::forward`]).
9. Exit 0, nothing on stdout.

Steps 6–8 change the store in one locked transaction (plus one more to record what the
server answered), and only when there is something to change: a turn with no promise, no
open commitment and nothing to send reads at most the store and changes nothing in it (an
enabled run only touches its run-status file, for the guard posture: [`crate::guards::status`]).
*/

use std::{cell::OnceCell, path::Path};

use crate::{
    action_claim,
    commitments::{NewClaim, Policy, Recorded, Store, record_in},
    config::Config,
    diag::Log,
    env::Env,
    evidence,
    forward::{self, Sent},
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

/// Everything one run did.
#[derive(Debug, PartialEq)]
pub struct Run {
    pub outcome: Outcome,
    /// Commitments fulfilled by evidence in this run.
    pub fulfilled: Vec<String>,
    /// Forwarding attempts made in this run.
    pub forwarded: Vec<(String, Sent)>,
}

impl From<Outcome> for Run {
    fn from(outcome: Outcome) -> Self {
        Run {
            outcome,
            fulfilled: Vec::new(),
            forwarded: Vec::new(),
        }
    }
}

/// The hook binary's handler.
pub fn stop_hook(raw: &RawInput, env: &Env, now: Timestamp) -> Reply {
    on_stop(raw, env, now);
    Reply::Silent
}

pub fn on_stop(raw: &RawInput, env: &Env, now: Timestamp) -> Run {
    on_stop_with(raw, env, now, &forward::Http::default())
}

pub fn on_stop_with(
    raw: &RawInput,
    env: &Env,
    now: Timestamp,
    transport: &dyn forward::Transport,
) -> Run {
    let parsed = OnceCell::new();
    let input = || parsed.get_or_init(|| HookInput::parse(&raw.bytes));
    let Some(project) = hook_io::project_dir(env, || input().cwd.clone()) else {
        return Outcome::Disabled.into();
    };
    let config = Config::load(&project, env);
    // Feature off: one config read and nothing more, unless a config problem must be logged.
    if !config.is_enabled() && config.problems.is_empty() {
        return Outcome::Disabled.into();
    }
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
            log.problem(&format!("config {}: {}{off}", p.path.display(), p.message));
        }
    }
    if !config.is_enabled() {
        return Outcome::Disabled.into();
    }
    let (Some(state), Some(log)) = (state, log) else {
        return Outcome::Failed("no state directory for this project".into()).into();
    };
    let ctx = Ctx {
        env,
        now,
        transport,
        config: &config,
        state: &state,
        log: &log,
    };
    let run = steps(raw, input(), &ctx);
    let failure = match &run.outcome {
        Outcome::Failed(why) => Some(why.as_str()),
        _ => None,
    };
    crate::guards::status::record_run(&state, HOOK_NAME, failure, now);
    run
}

/// What steps 4–8 work with.
struct Ctx<'a> {
    env: &'a Env,
    now: Timestamp,
    transport: &'a dyn forward::Transport,
    config: &'a Config,
    state: &'a StateDir,
    log: &'a Log,
}

/// Steps 4–8, for an enabled project.
fn steps(raw: &RawInput, input: &HookInput, ctx: &Ctx<'_>) -> Run {
    let Ctx {
        env,
        now,
        transport,
        config,
        state,
        log,
    } = *ctx;
    crate::fault::fault_point("stop");
    if raw.truncated {
        log.problem(&format!(
            "stdin exceeded {} bytes; this turn was not classified",
            hook_io::STDIN_CAP
        ));
        return Outcome::NoMessage.into();
    }
    let transcript_path = input.transcript_path.as_deref().map(Path::new);
    let message = input
        .last_assistant_message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .or_else(|| transcript::last_assistant_text(transcript_path?, transcript::TAIL_CAP));
    let claim = message.as_deref().and_then(action_claim::classify);
    let topic = topic(env, input.session_id.as_deref());
    let store = Store::at(state);

    // 7. Evidence, read before taking the lock (it is file I/O, not store state).
    let snapshot = store.peek(&["\"open\"", "\"pending\""]);
    let mut found = Vec::new();
    if let (Some(doc), Some(path)) = (&snapshot, transcript_path) {
        let open: Vec<_> = doc.open_for_topic(&topic, now).collect();
        if !open.is_empty() {
            match evidence::scan(state, path, &open, input.session_id.as_deref()) {
                Ok(f) => {
                    if f.skipped_bytes > 0 {
                        log.write(&format!(
                            "evidence: skipped {} bytes of a long transcript",
                            f.skipped_bytes
                        ));
                    }
                    found = f.evidence;
                }
                Err(e) => log.problem(&format!("evidence: cannot read {}: {e}", path.display())),
            }
        }
    }

    // 8. Forwarding, when a server is configured: a new claim, or earlier ones still due.
    let sender = forward::Sender::configured(transport, config, env.bind_token.as_deref());
    let may_send =
        sender.is_some() && (claim.is_some() || snapshot.as_ref().is_some_and(has_due_forward));

    if claim.is_none() && found.is_empty() && !may_send {
        return match message {
            Some(_) => Outcome::NoClaim.into(),
            None => Outcome::NoMessage.into(),
        };
    }

    let new = claim.as_ref().map(|c| NewClaim {
        topic: topic.clone(),
        verb: c.verb.to_string(),
        phrase: c.phrase.clone(),
        message: message.clone().unwrap_or_default(),
        session_id: input.session_id.clone(),
        transcript_path: input.transcript_path.clone(),
        // Only claims with an instar topic id are forwarded (the route needs a number).
        forward_body: sender
            .as_ref()
            .and(forward::topic_id(&topic))
            .zip(message.as_deref())
            .map(|(id, m)| forward::body(m, id)),
    });
    let policy = Policy::from_config(&config.action_claim);
    let written = state.ensure().and_then(|()| {
        store.update(now, |doc| {
            let recorded = new.as_ref().map(|n| record_in(doc, n, policy, now));
            let fulfilled = evidence::apply(doc, &found, now);
            let batch = match sender {
                Some(_) => {
                    forward::claim_due(doc, now, forward::PER_RUN, forward::Selection::default())
                }
                None => Vec::new(),
            };
            Ok((recorded, fulfilled, batch))
        })
    });
    let (recorded, fulfilled, batch) = match written {
        Ok(w) => {
            if let Some(moved) = &w.recovered_from_corrupt {
                log.problem(&format!(
                    "commitment store was unreadable; kept it as {} and started a new one",
                    moved.display()
                ));
            }
            w.value
        }
        Err(e) => {
            // The claim is not lost silently: the log holds everything needed to redo it.
            if let Some(c) = &claim {
                log.problem(&format!(
                    "could not record {} claim {:?} for topic {topic}: {e}",
                    c.verb, c.phrase
                ));
            } else {
                log.problem(&format!("could not update the commitment store: {e}"));
            }
            return Outcome::Failed(e.to_string()).into();
        }
    };
    if let (Some(c), Some(r)) = (&claim, &recorded) {
        log.write(&format!(
            "topic {topic}: {:?} {} ({})",
            c.phrase,
            c.verb,
            serde_json::to_string(r).unwrap_or_default()
        ));
    }
    for id in &fulfilled {
        log.write(&format!(
            "topic {topic}: {id} fulfilled by evidence in the transcript"
        ));
    }
    let mut forwarded = Vec::new();
    if let (Some(sender), false) = (&sender, batch.is_empty()) {
        let sent = forward::deliver(&store, sender, batch, forward::RUN_BUDGET, now);
        match sent {
            Ok(outcomes) => {
                for (id, sent) in &outcomes {
                    let line = format!("forward {id}: {}", describe(sent));
                    // A rejection is not retried: someone has to fix the cause.
                    match sent {
                        Sent::Rejected(_) => log.problem(&line),
                        _ => log.write(&line),
                    }
                }
                forwarded = outcomes;
            }
            Err(e) => log.problem(&format!("forward: could not record the outcome: {e}")),
        }
    }
    Run {
        outcome: recorded.map_or(Outcome::NoClaim, Outcome::Recorded),
        fulfilled,
        forwarded,
    }
}

fn has_due_forward(doc: &crate::commitments::StoreDoc) -> bool {
    doc.commitments.iter().any(|c| {
        c.forward
            .as_ref()
            .is_some_and(|f| f.state == crate::commitments::Forward::PENDING)
    })
}

/// One line for the log about a send.
pub fn describe(sent: &Sent) -> String {
    match sent {
        Sent::Delivered(r) => format!(
            "delivered ({})",
            r.as_ref().map(|v| v.to_string()).unwrap_or_default()
        ),
        Sent::Retry(why) => format!("will retry: {why}"),
        Sent::Rejected(why) => format!("rejected, not retried: {why}"),
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
