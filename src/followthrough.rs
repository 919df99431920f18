/*!
The Stop hook (`action-claim-followthrough`), step by step:

1. (`hook_io::run_hook`) exit-0 panic hook; stdin read up to 4 MiB, the rest drained.
2. (`hook_io::start`, shared with the reminder) the project, the config — feature off → done:
   this is the common path, and stdin is not even parsed — the state directory and the log.
3. The message: `last_assistant_message`, else the last assistant text in the transcript tail.
   Its conversation (topic): `INSTAR_CONVERSATION_ID`, else `INSTAR_TELEGRAM_TOPIC`, else
   `session_id`.
4. Classify in-process. Same turn ([`crate::same_turn`]): when the message ends on an imminent
   promise or makes a completion claim, this turn's part of the transcript is read once, each
   claim judged and recorded, and the turn continued — once — when it ended on a promise it did
   not act on or on a claim its own last run contradicts.
5. Evidence ([`evidence_phase`]): this topic's open commitments are checked against the tool
   calls the transcript shows since the last run ([`crate::evidence`]).
6. Record ([`record_phase`]): in one locked transaction, the claim is recorded in the
   commitment store (idempotent, capped), evidence fulfils what it matched, and due outbox
   entries are leased.
7. Forward ([`forward_phase`], instar agents with a server `port` and `authToken`): the leased
   entries are sent to the server and the outcomes recorded ([`crate::forward`]).
8. (`hook_io::Run::finish`) the run status, for the guard posture; exit 0, and on stdout
   nothing, or the one `{"decision": "block", "reason": …}` that continues the turn.

The store changes only when there is something to change: a turn with no promise, no open
commitment and nothing due to send reads at most the store and changes nothing in it (an
enabled run only touches its run-status file: [`crate::run_status`]).
*/

use std::path::Path;

use crate::{
    action_claim::{self, Claim},
    commitments::{Evidence, NewClaim, Policy, Recorded, Status, Store, StoreDoc, record_in},
    env::Env,
    evidence,
    forward::{self, Selection, Sent},
    hook_io::{self, Hook, RawInput, Reply, Run, Skip},
    prose::scan::Scan,
    same_turn,
    timestamp::Timestamp,
    transcript,
};

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
pub(crate) struct StopRun {
    pub outcome: Outcome,
    /// The same-turn step: the turn continues (`nudge`), or why it does not.
    pub(crate) same_turn: same_turn::Decided,
    /// Commitments fulfilled by evidence in this run.
    pub fulfilled: Vec<String>,
    /// Forwarding attempts made in this run.
    pub forwarded: Vec<(String, Sent)>,
}

impl From<Outcome> for StopRun {
    fn from(outcome: Outcome) -> Self {
        StopRun {
            outcome,
            same_turn: same_turn::Decided::default(),
            fulfilled: Vec::new(),
            forwarded: Vec::new(),
        }
    }
}

/// The hook binary's handler: silent, unless the turn continues.
pub fn stop_hook(raw: &RawInput, env: &Env, now: Timestamp) -> Reply {
    match on_stop(raw, env, now).same_turn.nudge {
        Some(nudge) => Reply::Json(same_turn::block(&nudge)),
        None => Reply::Silent,
    }
}

pub(crate) fn on_stop(raw: &RawInput, env: &Env, now: Timestamp) -> StopRun {
    on_stop_with(raw, env, now, &forward::Http::default())
}

pub(crate) fn on_stop_with(
    raw: &RawInput,
    env: &Env,
    now: Timestamp,
    transport: &dyn forward::Transport,
) -> StopRun {
    let run = match hook_io::start(Hook::Stop, raw, env, now) {
        Ok(run) => run,
        Err(Skip::Off) => return Outcome::Disabled.into(),
        Err(Skip::NoState) => {
            return Outcome::Failed("no state directory for this project".into()).into();
        }
        Err(Skip::Truncated) => return Outcome::NoMessage.into(),
    };
    crate::fault::fault_point("stop");
    let result = steps(&run, transport);
    run.finish(match &result.outcome {
        Outcome::Failed(why) => Some(why.as_str()),
        _ => None,
    });
    result
}

/// Steps 3–7, for an enabled project.
fn steps(run: &Run<'_>, transport: &dyn forward::Transport) -> StopRun {
    let input = run.input();
    let transcript_path = input.transcript_path.as_deref().map(Path::new);
    let message = input
        .last_assistant_message
        .clone()
        .filter(|m| !m.trim().is_empty())
        .or_else(|| transcript::last_assistant_text(transcript_path?, transcript::TAIL_CAP));
    // One scan of the message for every reader of it.
    let scan = message.as_deref().map(Scan::new);
    let claim = scan.as_ref().and_then(action_claim::classify_in);
    let topic = run.topic();
    let same_turn = scan
        .as_ref()
        .map(|m| same_turn::decide(run, m, transcript_path, &topic))
        .unwrap_or_default();
    let store = Store::at(&run.state);
    let snapshot = store.peek(&["\"open\"", "\"pending\""]);
    let found = evidence_phase(run, snapshot.as_ref(), &topic, transcript_path);
    let sender = forward::Sender::configured(transport, &run.config, run.env.bind_token.as_deref());
    let due = |doc: &StoreDoc| {
        doc.commitments
            .iter()
            .any(|c| forward::is_due(c, run.now, Selection::default()))
    };
    let may_send = sender.is_some() && (claim.is_some() || snapshot.as_ref().is_some_and(due));
    if claim.is_none() && found.is_empty() && !may_send {
        let outcome = match message {
            Some(_) => Outcome::NoClaim,
            None => Outcome::NoMessage,
        };
        return StopRun {
            same_turn,
            ..outcome.into()
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
    let nudged = same_turn.nudged_verb();
    let written = record_phase(
        run,
        &store,
        new.as_ref(),
        claim.as_ref(),
        &found,
        nudged,
        sender.is_some(),
    );
    let (recorded, fulfilled, batch) = match written {
        Ok(written) => written,
        Err(why) => {
            return StopRun {
                same_turn,
                ..Outcome::Failed(why).into()
            };
        }
    };
    for id in &fulfilled {
        run.log.write(&format!(
            "topic {topic}: {id} fulfilled by evidence in the transcript"
        ));
    }
    let forwarded = match &sender {
        Some(sender) if !batch.is_empty() => forward_phase(run, &store, sender, batch),
        _ => Vec::new(),
    };
    StopRun {
        outcome: recorded.map_or(Outcome::NoClaim, Outcome::Recorded),
        same_turn,
        fulfilled,
        forwarded,
    }
}

/// Step 5: evidence for this topic's open commitments in the transcript, read before the
/// store's lock is taken (it is file I/O, not store state).
fn evidence_phase(
    run: &Run<'_>,
    snapshot: Option<&StoreDoc>,
    topic: &str,
    transcript_path: Option<&Path>,
) -> Vec<(String, Evidence)> {
    let (Some(doc), Some(path)) = (snapshot, transcript_path) else {
        return Vec::new();
    };
    let open: Vec<_> = doc.open_for_topic(topic, run.now).collect();
    if open.is_empty() {
        return Vec::new();
    }
    match evidence::scan(&run.state, path, &open, run.input().session_id.as_deref()) {
        Ok(found) => {
            if found.skipped_bytes > 0 {
                run.log.write(&format!(
                    "evidence: skipped {} bytes of a long transcript",
                    found.skipped_bytes
                ));
            }
            found.evidence
        }
        Err(e) => {
            run.log
                .problem(&format!("evidence: cannot read {}: {e}", path.display()));
            Vec::new()
        }
    }
}

/// What step 6 wrote: the claim's record, the commitments evidence fulfilled, and the
/// outbox entries leased for sending.
type Written = (Option<Recorded>, Vec<String>, Vec<(String, String)>);

/// Step 6: one locked transaction. A failure is logged with everything needed to redo it.
fn record_phase(
    run: &Run<'_>,
    store: &Store,
    new: Option<&NewClaim>,
    claim: Option<&Claim>,
    found: &[(String, Evidence)],
    nudged: Option<&str>,
    forwarding: bool,
) -> Result<Written, String> {
    let policy = Policy::from_config(&run.config.action_claim);
    let now = run.now;
    let written = run.state.ensure().and_then(|()| {
        store.update(now, |doc| {
            let recorded = new.map(|n| record_in(doc, n, policy, now));
            // The promise the turn is continued for: marked on its open commitment.
            if let (Some(n), Some(verb)) = (new, nudged) {
                let open = doc
                    .commitments
                    .iter_mut()
                    .find(|c| c.status == Status::Open && c.topic == n.topic && c.verb == verb);
                if let Some(c) = open {
                    c.nudged_at = Some(now);
                }
            }
            let fulfilled = evidence::apply(doc, found, now);
            let batch = match forwarding {
                true => forward::claim_due(doc, now, forward::PER_RUN, Selection::default()),
                false => Vec::new(),
            };
            Ok((recorded, fulfilled, batch))
        })
    });
    let topic = new.map_or_else(|| run.topic(), |n| n.topic.clone());
    match written {
        Ok(w) => {
            if let Some(moved) = &w.recovered_from_corrupt {
                run.log.problem(&format!(
                    "commitment store was unreadable; kept it as {} and started a new one",
                    moved.display()
                ));
            }
            if let (Some(c), Some(r)) = (claim, &w.value.0) {
                run.log.write(&format!(
                    "topic {topic}: {:?} {} ({})",
                    c.phrase,
                    c.verb,
                    serde_json::to_string(r).unwrap_or_default()
                ));
            }
            Ok(w.value)
        }
        Err(e) => {
            // The claim is not lost silently: the log holds everything needed to redo it.
            match claim {
                Some(c) => run.log.problem(&format!(
                    "could not record {} claim {:?} for topic {topic}: {e}",
                    c.verb, c.phrase
                )),
                None => run
                    .log
                    .problem(&format!("could not update the commitment store: {e}")),
            }
            Err(e.to_string())
        }
    }
}

/// Step 7: sends the leased entries and records what the server answered.
fn forward_phase(
    run: &Run<'_>,
    store: &Store,
    sender: &forward::Sender<'_>,
    batch: Vec<(String, String)>,
) -> Vec<(String, Sent)> {
    match forward::deliver(store, sender, batch, forward::RUN_BUDGET, run.now) {
        Ok(outcomes) => {
            for (id, sent) in &outcomes {
                let line = format!("forward {id}: {}", describe(sent));
                // A rejection is not retried: someone has to fix the cause.
                match sent {
                    Sent::Rejected(_) => run.log.problem(&line),
                    _ => run.log.write(&line),
                }
            }
            outcomes
        }
        Err(e) => {
            run.log
                .problem(&format!("forward: could not record the outcome: {e}"));
            Vec::new()
        }
    }
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod same_turn_tests;
