//! What the final message says that the turn can be held to, judged against the turn's own
//! transcript: the promise it ends on (kept, or not acted on), and each completion claim with
//! the verdict of the turn's last matching run. Pure: the caller reads the turn, once.

use crate::{
    action_claim::{self, Ending},
    completion::{
        self, CompletionClaim,
        secrets::mask_secrets,
        verdict::{self, Judgement, Run},
    },
    prose::scan::Scan,
    transcript::turn::{Call, CallResult, Entry, Outcome, Turn},
};

/// Longest command kept with a verdict (masked first).
const COMMAND_MAX: usize = 200;

/// What the final message claims or promises, before any reading: both classifiers are pure
/// and linear, so a turn with neither costs no I/O.
#[derive(Debug, Default)]
pub(crate) struct Said {
    /// The imminent promise the message ends on.
    pub(crate) ending: Option<Ending>,
    pub(crate) claims: Vec<CompletionClaim>,
}

impl Said {
    /// What the scanned final message says.
    pub(crate) fn of(message: &Scan<'_>) -> Said {
        Said {
            ending: action_claim::ending_in(message),
            claims: completion::claims_in(message),
        }
    }

    /// Nothing that needs the transcript.
    pub(crate) fn is_empty(&self) -> bool {
        self.ending.is_none() && self.claims.is_empty()
    }
}

/// One completion claim and what decided its verdict.
#[derive(Debug)]
pub(crate) struct Judged {
    pub(crate) claim: CompletionClaim,
    pub(crate) judgement: Judgement,
    /// The deciding run's command, masked and bounded.
    pub(crate) command: Option<String>,
    pub(crate) exit_code: Option<i32>,
}

/// The turn judged.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    /// The promise the message ends on, when the transcript shows the message as the turn's
    /// last words with no call after them.
    pub(crate) undone: Option<Ending>,
    pub(crate) verdicts: Vec<Judged>,
}

/// Judges what `message` said against `turn` (`None`: the transcript could not be read, so
/// every claim is unverified and no promise is taken as undone).
pub(crate) fn assess(message: &str, said: Said, turn: Option<&Turn>) -> Assessment {
    // The calls before the final words; `None` when the transcript does not hold them (it
    // lags, or is not this turn's): then nothing in it can be held against the message.
    let before: Option<Vec<&Call>> = turn.and_then(|t| {
        let after = t.after_text(message)?.len();
        let upto = t.entries.len() - after;
        Some(
            t.entries[..upto]
                .iter()
                .filter_map(|e| match e {
                    Entry::Call(c) if c.name == "Bash" => Some(c),
                    _ => None,
                })
                .collect(),
        )
    });
    let undone = match (said.ending, turn) {
        (Some(e), Some(t)) if super::ended_on(t, message) => Some(e),
        _ => None,
    };
    // A result is decoded only when a claim's judgement may read it (a turn can hold
    // hundreds of long outputs); the others stay `NoResult`, which nothing reads.
    let calls: Vec<(&Call, Option<CallResult>)> = match said.claims.is_empty() {
        true => Vec::new(),
        false => before
            .iter()
            .flatten()
            .map(|c| {
                let command = c.command.as_deref().unwrap_or_default();
                let result = verdict::concerns(&said.claims, command)
                    .then(|| c.result())
                    .flatten();
                (*c, result)
            })
            .collect(),
    };
    let runs: Vec<Run<'_>> = calls
        .iter()
        .map(|(c, result)| Run {
            command: c.command.as_deref().unwrap_or_default(),
            outcome: result.as_ref().map_or(Outcome::NoResult, |r| r.outcome),
            output: result.as_ref().map_or("", |r| r.output.as_str()),
            background: c.background,
        })
        .collect();
    let verdicts = said
        .claims
        .into_iter()
        .map(|claim| {
            let judgement = match before {
                Some(_) => verdict::judge(&claim, &runs),
                None => Judgement::no_transcript(),
            };
            let run = judgement.run.and_then(|i| runs.get(i));
            Judged {
                command: run.map(|r| mask_secrets(r.command, COMMAND_MAX)),
                exit_code: run.and_then(|r| match r.outcome {
                    Outcome::Failed { exit_code } => exit_code,
                    Outcome::Succeeded => Some(0),
                    Outcome::NoResult => None,
                }),
                claim,
                judgement,
            }
        })
        .collect();
    Assessment { undone, verdicts }
}
