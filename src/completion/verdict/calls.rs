//! What a call says about itself beyond its status: that its command never started, that a
//! merge stopped on conflicts, that other checks ran in the same call.

use super::*;

/// The command could not start: the shell or the task runner says the program, task or
/// script does not exist.
pub(super) fn never_ran(run: &Run) -> bool {
    let mut cut = run.output.len().min(2000);
    while !run.output.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &run.output[..cut];
    matches!(
        run.outcome,
        Outcome::Failed {
            exit_code: Some(126 | 127)
        }
    ) || (matches!(run.outcome, Outcome::Failed { .. })
        && (head.contains("command not found")
            || head.contains("ERROR no task")
            || head.contains("Missing script:")
            || head.contains("missing script:")
            || head.contains("does not contain recipe")
            || head.contains("No rule to make target")
            || (head.contains("error: Script not found"))
            || head.contains("is not a task")
            || head.contains("no such command")))
}

/// After a merge, rebase or revert stopped on conflicts, did the turn go on with it? Any
/// later call (resolving by hand, staging, committing, `--continue`, a build to check the
/// result) may have finished it, so its failed status is not the last word; an `--abort`
/// gave it up, and a turn that did nothing more left it unfinished.
pub(super) fn went_on(later: &[Run]) -> bool {
    !later.is_empty()
        && !later
            .iter()
            .flat_map(|run| shell::command_list(run.command))
            .any(|c| {
                c.words.first().is_some_and(|w| w == "git")
                    && c.words.iter().any(|w| w == "--abort")
            })
}

/// The command stopped on merge conflicts.
pub(super) fn conflicted(run: &Run) -> bool {
    run.output.contains("CONFLICT (")
        || run.output.contains("Automatic merge failed")
        || run.output.contains("could not apply")
        || run.output.contains("Resolve all conflicts")
        || run.output.contains("after resolving the conflicts")
}

/// More than one command in the call that the claim matches (`go test ./... ; go test -run
/// X`): their outputs are interleaved in one result.
pub(super) fn several(claim: &CompletionClaim, m: &Match) -> bool {
    m.commands
        .iter()
        .filter(|c| {
            let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
            match &claim.subject {
                Subject::Check { kind, .. } => {
                    runners::classify(&words).is_some_and(|r| r.covers(*kind))
                }
                Subject::Action { verb } => rules::simple_command_performs(&words, verb),
            }
        })
        .count()
        > 1
}

/// Other check commands in the same call: then a line that any of them could have printed
/// (a diagnostic, a task runner's "script exited 1") cannot be laid at this one's door.
pub(super) fn only_check_in_call(m: &Match) -> bool {
    m.commands
        .iter()
        .filter(|c| {
            let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
            runners::classify(&words).is_some()
        })
        .count()
        <= 1
}
