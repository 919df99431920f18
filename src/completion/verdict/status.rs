//! Whose exit status is the command line's? A list's status is its last command's, a
//! pipeline's its last stage's (without `pipefail`), and `a && b` fails when either does. So
//! a runner's failure shows in the call's status only when nothing after it can change the
//! status and nothing before it in its `&&` chain can fail for it.

use crate::evidence::shell::{Command, Op};

/// Which way the call's status speaks for the runner at `at`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Decisive {
    /// Exit 0 means the runner ran and succeeded.
    pub(super) success: bool,
    /// A non-zero exit means the runner ran and failed.
    pub(super) failure: bool,
}

const NEITHER: Decisive = Decisive {
    success: false,
    failure: false,
};

pub(super) fn decisive(commands: &[Command], at: usize, output: &str) -> Decisive {
    let c = &commands[at];
    if c.nested || c.words.first().is_some_and(|w| w == "!") {
        return NEITHER;
    }
    let top: Vec<&Command> = commands.iter().filter(|c| !c.nested).collect();
    let Some(pos) = top.iter().position(|t| std::ptr::eq(*t, c)) else {
        return NEITHER;
    };
    // After the runner: nothing, or `&&` and commands that cannot fail ("&& echo done"). A
    // trailing `;` or newline ends the line as nothing would.
    let mut tail_transparent = true;
    let mut op = c.after;
    for next in &top[pos + 1..] {
        if op != Some(Op::And) {
            return NEITHER;
        }
        tail_transparent &= transparent(next);
        op = next.after;
    }
    if !matches!(op, None | Some(Op::Seq)) {
        return NEITHER;
    }
    // Before it: its `&&` chain back to the last `;`, newline or background `&`.
    let mut setup_only = true;
    for prev in top[..pos].iter().rev() {
        match prev.after {
            Some(Op::And) => setup_only &= setup(prev, output),
            Some(Op::Seq | Op::Background) | None => break,
            _ => return NEITHER,
        }
    }
    Decisive {
        success: true,
        failure: setup_only && tail_transparent,
    }
}

/// Commands that cannot fail in a way that matters ("echo done", "true").
fn transparent(c: &Command) -> bool {
    matches!(
        c.words.first().map(String::as_str),
        Some("echo" | "printf" | "true" | ":" | "sleep")
    )
}

/// Setup before a runner in an `&&` chain: if it failed, its own message says so ("cd: no
/// such file"), which we look for.
fn setup(c: &Command, output: &str) -> bool {
    let program = c.words.first().map_or("", String::as_str);
    match program {
        "cd" | "pushd" => !output.contains("cd: ") && !output.contains("pushd: "),
        "export" | "source" | "." | "set" | "unset" | "true" | ":" | "echo" | "printf"
        | "clear" | "ulimit" => true,
        "mkdir" => c.words.iter().any(|w| w == "-p"),
        _ => false,
    }
}
