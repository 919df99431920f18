//! The Stop hook's same-turn step: classify what the final message ends on and claims (pure);
//! only when it does either, read this turn's part of the transcript once; judge; record
//! every completion claim's verdict; and, when the turn ended on an undone promise or a
//! refuted claim and nothing holds it back, take the turn in the record and say why it
//! continues.

use std::path::Path;

use super::{
    Hold, Nudge,
    assess::{Assessment, Judged, Said, assess},
    record::{self, Take},
};
use crate::{
    action_claim::EndingKind,
    completion::{Scope, Subject, verdict::Verdict as ClaimVerdict},
    hook_io::Run,
    prose::scan::Scan,
    transcript::turn,
    verdicts::{self, ClaimRecord, Verdict},
};

/// What the step decided.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Decided {
    /// The turn continues, for this reason.
    pub(crate) nudge: Option<Nudge>,
    /// The turn would have continued, but did not.
    pub(crate) held: Option<Hold>,
    /// Completion claims judged in this turn.
    pub(crate) judged: usize,
}

impl Decided {
    /// The verb of a promise the turn continues for (its commitment is marked nudged).
    pub(crate) fn nudged_verb(&self) -> Option<&'static str> {
        match &self.nudge {
            Some(Nudge::Promise { verb, .. }) => *verb,
            _ => None,
        }
    }
}

/// Runs the step for `message` (the final text, scanned) in `run`'s turn.
pub(crate) fn decide(
    run: &Run<'_>,
    message: &Scan<'_>,
    transcript: Option<&Path>,
    topic: &str,
) -> Decided {
    let said = Said::of(message);
    let message = message.text;
    if said.is_empty() {
        return Decided::default();
    }
    let turn = transcript.and_then(|path| match turn::read(path) {
        Ok(t) => Some(t),
        Err(e) => {
            run.log.write(&format!(
                "same turn: cannot read {} ({e}): nothing is held against this turn",
                path.display()
            ));
            None
        }
    });
    let assessment = assess(message, said, turn.as_ref());
    let (nudge, held) = match candidate(&assessment) {
        Some(nudge) => match allow(run, &nudge) {
            Ok(()) => (Some(nudge), None),
            Err(hold) => (None, Some(hold)),
        },
        None => (None, None),
    };
    let continued_claim = match (&nudge, candidate_index(&assessment)) {
        (Some(Nudge::Refuted { .. }), Some(i)) => Some(i),
        _ => None,
    };
    let records: Vec<ClaimRecord> = assessment
        .verdicts
        .iter()
        .enumerate()
        .map(|(i, j)| claim_record(run, topic, j, continued_claim == Some(i)))
        .collect();
    if let Err(e) = verdicts::append(&run.state, &records) {
        run.log.problem(&format!(
            "same turn: could not record the claims' verdicts: {e}"
        ));
    }
    for r in records.iter().filter(|r| r.verdict == Verdict::Refuted) {
        run.log.write(&format!(
            "topic {topic}: {:?} is contradicted: {}",
            r.claim, r.why
        ));
    }
    match (&nudge, &held) {
        (Some(n), _) => run.log.write(&format!(
            "topic {topic}: continued the turn: {}",
            super::reason(n)
        )),
        (None, Some(hold)) => run.log.write(&format!(
            "topic {topic}: the turn is not continued ({})",
            hold.describe()
        )),
        _ => {}
    }
    Decided {
        nudge,
        held,
        judged: records.len(),
    }
}

/// The reason to continue, if the turn gives one: a refuted claim first (the user is about to
/// read something false), else the undone promise it ends on.
fn candidate(a: &Assessment) -> Option<Nudge> {
    if let Some(i) = candidate_index(a) {
        let j = &a.verdicts[i];
        return Some(Nudge::Refuted {
            phrase: j.claim.phrase.clone(),
            evidence: evidence(j),
        });
    }
    let ending = a.undone.as_ref()?;
    let verb = match ending.kind {
        EndingKind::Promise { verb } => Some(verb),
        EndingKind::NextStep => None,
    };
    Some(Nudge::Promise {
        phrase: ending.phrase.clone(),
        verb,
    })
}

/// The first refuted claim.
fn candidate_index(a: &Assessment) -> Option<usize> {
    a.verdicts
        .iter()
        .position(|j| j.judgement.verdict == ClaimVerdict::Refuted)
}

/// "the last `npm test` in this turn exited 1: 2 failed".
fn evidence(j: &Judged) -> String {
    match &j.command {
        Some(command) => format!("the last `{command}` in this turn {}", j.judgement.why),
        None => format!(
            "this turn's own evidence says otherwise ({})",
            j.judgement.why
        ),
    }
}

/// Whether this Stop may continue the turn: the switch, the Stop's own state, and the
/// once-per-turn record (taken here, before anything is printed). A promise is also held
/// back while background work will wake the session.
fn allow(run: &Run<'_>, nudge: &Nudge) -> Result<(), Hold> {
    let input = run.input();
    let (session, prompt) = super::allowed(&run.config, input)?;
    if matches!(nudge, Nudge::Promise { .. }) && input.background_tasks {
        return Err(Hold::BackgroundTasks);
    }
    match record::take(&run.state, session, prompt, run.now) {
        Ok(Take::Taken) => Ok(()),
        Ok(Take::TurnDone) => Err(Hold::TurnDone),
        Ok(Take::SessionCap) => Err(Hold::SessionCap),
        Err(e) => {
            run.log.problem(&format!(
                "same turn: could not record the continuation ({e}); not continuing"
            ));
            Err(Hold::RecordFailed)
        }
    }
}

fn claim_record(run: &Run<'_>, topic: &str, j: &Judged, continued: bool) -> ClaimRecord {
    let input = run.input();
    let (kind, verb, scope) = match &j.claim.subject {
        Subject::Action { verb } => ("action".to_string(), Some(verb.to_string()), None),
        Subject::Check { kind, scope } => (
            kind.name().to_string(),
            None,
            Some(match scope {
                Scope::All => "all".to_string(),
                Scope::Subset { what } => what.clone(),
            }),
        ),
    };
    ClaimRecord {
        at: run.now,
        topic: topic.to_string(),
        session_id: input.session_id.clone(),
        prompt_id: input.prompt_id.clone(),
        claim: j.claim.phrase.clone(),
        kind,
        verb,
        scope,
        verdict: match j.judgement.verdict {
            ClaimVerdict::Supported => Verdict::Supported,
            ClaimVerdict::Refuted => Verdict::Refuted,
            ClaimVerdict::Unverified => Verdict::Unverified,
        },
        why: j.judgement.why.to_string(),
        command: j.command.clone(),
        exit_code: j.exit_code,
        continued,
    }
}
