//! A claim against this turn's Bash runs. The last run that matches the claim decides, and it
//! can refute only through what the runner itself reported: its exit status when that status
//! is the command line's (not piped, not followed by `;` or `||`), or its own failure summary.
//! Everything the turn cannot show is `Unverified`, never `Refuted`: no matching run, no
//! result, a background run, a pipeline without a summary, a subset the output cannot place.

use super::runners::{self, Runner};
use super::secrets::excerpt;
use super::summary::{Aspect, Families, Reading, find_ignore_case};
use super::{CheckKind, CompletionClaim, Scope, Subject};
use crate::evidence::{rules, shell};

mod calls;
mod status;
mod subset;

use calls::*;
use status::decisive;
use subset::*;

/// Longest summary line or test name kept in a [`Why`].
pub(super) const LINE_MAX: usize = 160;

/// One Bash call of this turn, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Run<'a> {
    pub(crate) command: &'a str,
    pub(crate) outcome: Outcome,
    /// The tool result's text (as the transcript holds it, bounded by the reader).
    pub(crate) output: &'a str,
    /// Started with `run_in_background`: its result is not this call's.
    pub(crate) background: bool,
}

/// How a run ended: decided where the transcript is read.
pub(crate) use crate::transcript::turn::Outcome;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Verdict {
    Supported,
    Refuted,
    Unverified,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Judgement {
    pub(crate) verdict: Verdict,
    /// Index (into the runs) of the run that decided.
    pub(crate) run: Option<usize>,
    pub(crate) why: Why,
}

/// What decided a verdict. Lines and names are bounded excerpts, never the output.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub(crate) enum Why {
    /// The runner's exit status, which was the command's (with its summary line, if shown).
    ExitStatus { code: i32, summary: Option<String> },
    /// The runner's own summary line (the exit status was not the runner's, or disagreed in
    /// the runner's favour of failure).
    Summary { line: String },
    /// A failing test whose name or file places it inside the claimed subset.
    FailureInSubset { test: String },
    /// No Bash call of this turn ran a matching command.
    NoMatchingRun,
    /// The transcript does not show this turn (it could not be read, lags behind the final
    /// message, or is not this session's).
    NoTranscript,
    /// The matching call was interrupted or has no result.
    NoResult,
    /// The matching command ran in the background.
    Background,
    /// The claim is about a subset and the output cannot tell whether it passed.
    SubsetUndecided { summary: Option<String> },
    /// A pipeline or list whose status is not the runner's, and no summary line.
    StatusNotTheRunners,
    /// A failed call without an exit code (blocked, denied or timed out) and no summary.
    NoExitCode,
    /// The runner's exit status says failed but its summary shows every test passing
    /// (a coverage threshold, a teardown error): not this claim's failure to call.
    StatusDisagrees { code: i32, line: String },
    /// No command performs this action ("fix": edits are its evidence).
    NoCommandForVerb,
    /// Several commands for the same check in one call, and the output's failure line could
    /// be any of theirs.
    Ambiguous,
    /// The merge, rebase or revert stopped on conflicts and the turn went on with it (resolving
    /// by hand, committing): its exit status is not the last word.
    Conflicts,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::ExitStatus {
                code,
                summary: Some(s),
            } => write!(f, "exited {code}: {s}"),
            Why::ExitStatus {
                code,
                summary: None,
            } => write!(f, "exited {code}"),
            Why::Summary { line } => write!(f, "reported \"{line}\""),
            Why::FailureInSubset { test } => write!(f, "failed {test}"),
            Why::NoMatchingRun => f.write_str("no matching command ran in this turn"),
            Why::NoTranscript => f.write_str("the transcript does not show this turn"),
            Why::NoResult => f.write_str("the command has no result"),
            Why::Background => f.write_str("the command ran in the background"),
            Why::SubsetUndecided { .. } => {
                f.write_str("the output does not show whether that part passed")
            }
            Why::StatusNotTheRunners => {
                f.write_str("its exit status was another command's and it printed no summary")
            }
            Why::NoExitCode => f.write_str("it failed without an exit code"),
            Why::StatusDisagrees { code, line } => {
                write!(f, "exited {code} but reported \"{line}\"")
            }
            Why::NoCommandForVerb => f.write_str("no command performs it"),
            Why::Conflicts => {
                f.write_str("it stopped on conflicts, and the turn went on to resolve them")
            }
            Why::Ambiguous => f.write_str("several runs in one call share its output"),
        }
    }
}

impl Judgement {
    /// Nothing to judge by: the turn's transcript is not there to read.
    pub(crate) fn no_transcript() -> Judgement {
        Judgement {
            verdict: Verdict::Unverified,
            run: None,
            why: Why::NoTranscript,
        }
    }
}

/// Judges `claim` against this turn's Bash `runs`, in order.
pub(crate) fn judge(claim: &CompletionClaim, runs: &[Run]) -> Judgement {
    let unverified = |why| Judgement {
        verdict: Verdict::Unverified,
        run: None,
        why,
    };
    if let Subject::Action { verb } = claim.subject
        && !rules::has_rule(verb)
    {
        return unverified(Why::NoCommandForVerb);
    }
    let matched = last_match(runs, |words| role(&claim.subject, words));
    let Some(m) = matched else {
        return unverified(Why::NoMatchingRun);
    };
    let run = &runs[m.run];
    let mut judgement = decide(claim, run, &m, &runs[m.run + 1..]);
    judgement.run = Some(m.run);
    judgement
}

/// What a simple command is to a claim about `subject`, if it is its run at all: the one
/// place that decides which calls a claim is judged by.
fn role(subject: &Subject, words: &[&str]) -> Option<Role<'static>> {
    match *subject {
        Subject::Action { verb } => {
            rules::simple_command_performs(words, verb).then_some(Role::Action(verb))
        }
        Subject::Check { kind, .. } => {
            let runner = runners::classify(words)?;
            runner.covers(kind).then_some(Role::Check(runner))
        }
    }
}

/// Whether judging `claims` may read the result of a call that ran `command`: only a claim's
/// matching run is read for its outcome and output (the calls after it count by their
/// commands), so the transcript reader need not decode the others.
pub(crate) fn concerns(claims: &[CompletionClaim], command: &str) -> bool {
    shell::command_list(command).iter().any(|c| {
        let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
        claims
            .iter()
            .any(|claim| role(&claim.subject, &words).is_some())
    })
}

/// What the matching command is to the claim.
#[derive(Clone, Copy)]
pub(super) enum Role<'v> {
    Action(&'v str),
    Check(Runner),
}

pub(super) struct Match<'v> {
    run: usize,
    commands: Vec<shell::Command>,
    at: usize,
    role: Role<'v>,
}

/// The last run with a simple command that `fits`; within a run, its last such command. A
/// call whose command never ran (not found, no such task or script) is not evidence either
/// way and is passed over.
fn last_match<'v>(runs: &[Run], fits: impl Fn(&[&str]) -> Option<Role<'v>>) -> Option<Match<'v>> {
    runs.iter()
        .enumerate()
        .rev()
        .filter(|(_, run)| !never_ran(run))
        .find_map(|(i, run)| {
            let commands = shell::command_list(run.command);
            let (at, role) = commands.iter().enumerate().rev().find_map(|(at, c)| {
                let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
                fits(&words).map(|role| (at, role))
            })?;
            Some(Match {
                run: i,
                commands,
                at,
                role,
            })
        })
}

/// Judges `claim` by its matching `run`; `later` are the turn's calls after it.
fn decide(claim: &CompletionClaim, run: &Run, m: &Match, later: &[Run]) -> Judgement {
    let verdict = |verdict, why| Judgement {
        verdict,
        run: None,
        why,
    };
    let command = &m.commands[m.at];
    if run.background || command.after == Some(shell::Op::Background) {
        return verdict(Verdict::Unverified, Why::Background);
    }
    if run.outcome == Outcome::NoResult {
        return verdict(Verdict::Unverified, Why::NoResult);
    }
    if matches!(m.role, Role::Action("merge" | "rebase" | "revert"))
        && conflicted(run)
        && went_on(later)
    {
        return verdict(Verdict::Unverified, Why::Conflicts);
    }
    let (aspect, families, direct) = match (&claim.subject, m.role) {
        (Subject::Check { kind, .. }, Role::Check(r)) => {
            (Aspect::Check(*kind), r.families, r.decides.has(*kind))
        }
        (_, Role::Action("push")) => (Aspect::Push, Families::PUSH, true),
        (_, Role::Action("rerun")) if reran_tests(command) => {
            // "Reran the tests" is true whether they passed or not: it ran, with a result.
            return match run.outcome {
                Outcome::Succeeded | Outcome::Failed { exit_code: Some(_) } => verdict(
                    Verdict::Supported,
                    Why::ExitStatus {
                        code: exit(run.outcome),
                        summary: None,
                    },
                ),
                _ => verdict(Verdict::Unverified, Why::NoExitCode),
            };
        }
        _ => (Aspect::Push, Families::default(), true),
    };
    let reading = Reading::of(run.output, families);
    let said = reading.said(aspect);
    let line = |r: &std::ops::Range<usize>| excerpt(reading.text(r), LINE_MAX);
    // A diagnostic line is this check's failure when this command decides the check and is
    // the only check in the call; so is a test task's own "failed" line ("npm test", "make
    // test", "error: script \"test\" exited with code 1").
    let alone = direct && only_check_in_call(m);
    let failed_line = said.failed.clone().or_else(|| {
        let task = matches!(m.role, Role::Check(r) if r.families.has(Families::TASKS));
        let task_line = (task && aspect == Aspect::Check(CheckKind::Tests))
            .then(|| reading.task_failed())
            .flatten();
        alone
            .then(|| said.diagnostic.clone().or(task_line))
            .flatten()
    });
    let passed_line = said.passed.clone().filter(|_| failed_line.is_none());
    let status = decisive(&m.commands, m.at, run.output);
    let judged = match (run.outcome, &failed_line, &passed_line) {
        (_, Some(f), _) => match run.outcome {
            Outcome::Failed {
                exit_code: Some(code),
            } if direct && status.failure => verdict(
                Verdict::Refuted,
                Why::ExitStatus {
                    code,
                    summary: Some(line(f)),
                },
            ),
            // Two test runs in one call (a run, then a deliberate negative check): whose
            // failure the output shows cannot be told.
            _ if several(claim, m) => verdict(Verdict::Unverified, Why::Ambiguous),
            _ => verdict(Verdict::Refuted, Why::Summary { line: line(f) }),
        },
        (
            Outcome::Failed {
                exit_code: Some(code),
            },
            None,
            Some(p),
        ) if direct && status.failure => verdict(
            Verdict::Unverified,
            Why::StatusDisagrees {
                code,
                line: line(p),
            },
        ),
        (
            Outcome::Failed {
                exit_code: Some(code),
            },
            None,
            None,
        ) if direct && status.failure => verdict(
            Verdict::Refuted,
            Why::ExitStatus {
                code,
                summary: None,
            },
        ),
        (Outcome::Succeeded, None, p) if status.success && (direct || p.is_some()) => verdict(
            Verdict::Supported,
            Why::ExitStatus {
                code: 0,
                summary: p.as_ref().map(line),
            },
        ),
        (_, None, Some(p)) => verdict(Verdict::Supported, Why::Summary { line: line(p) }),
        (Outcome::Failed { exit_code: None }, None, None) => {
            verdict(Verdict::Unverified, Why::NoExitCode)
        }
        _ => verdict(Verdict::Unverified, Why::StatusNotTheRunners),
    };
    match &claim.subject {
        Subject::Check {
            kind: CheckKind::Tests,
            scope: Scope::Subset { what },
        } => narrow(judged, what, run, m, &reading),
        _ => judged,
    }
}

fn reran_tests(command: &shell::Command) -> bool {
    let words: Vec<&str> = command.words.iter().map(String::as_str).collect();
    runners::classify(&words).is_some_and(|r| r.decides.has(CheckKind::Tests))
}

fn exit(outcome: Outcome) -> i32 {
    match outcome {
        Outcome::Failed { exit_code: Some(c) } => c,
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
