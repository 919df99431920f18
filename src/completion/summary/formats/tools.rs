//! Linters, builds, task runners' own failure lines, and `git push`.

use super::*;

pub(super) fn ruff(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t == "All checks passed!" || (t.contains(" already formatted") && !t.contains("would")) {
        r.pass(LINT, l);
    } else if t.starts_with("Found ") && t.contains(" error") {
        // "Found 2 errors (2 fixed, 0 remaining)." is clean.
        if let Some(remaining) = count_of(t, "remaining") {
            tally(r, LINT, Some(remaining), l);
        } else {
            r.fail(LINT, l);
        }
    } else if t.contains(" would be reformatted") || t.starts_with("Would reformat: ") {
        r.fail(LINT, l);
    }
}

pub(super) fn linters(r: &mut Reading, t: &str, l: &Range<usize>) {
    if t == "All matched files use Prettier code style!"
        || t.starts_with("Checked ") && t.contains("No fixes applied")
    {
        r.pass(LINT, l);
    } else if t.starts_with("[warn] Code style issues found")
        || t.starts_with("would reformat ")
        || t.contains("files would be reformatted")
        || t.contains("file would be reformatted")
        || (t.starts_with("ERROR: ") && t.contains("Imports are incorrectly sorted"))
        || t.starts_with("************* Module ")
        || t.starts_with("Diff in ")
    {
        r.fail(LINT, l);
    } else if t.starts_with("Your code has been rated at 10.00/10") {
        r.pass(LINT, l);
    } else if t.starts_with("Found ")
        && t.contains(" error")
        && count_of(t, "errors").or(count_of(t, "error")).unwrap_or(0) > 0
    {
        r.fail(LINT, l);
    } else if linter_diagnostic(t) {
        r.diagnose(LINT, l);
    }
}

/// `path:LINE:COL: CODE message` (flake8, staticcheck, pycodestyle), or a ShellCheck code.
pub(super) fn linter_diagnostic(t: &str) -> bool {
    if t.contains("SC")
        && t.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            w.len() == 6 && w.starts_with("SC") && w[2..].bytes().all(|b| b.is_ascii_digit())
        })
    {
        return true;
    }
    let mut parts = t.splitn(4, ':');
    let path = parts.next().unwrap_or("");
    let num =
        |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let (line, col) = (parts.next(), parts.next());
    let message = parts.next().unwrap_or("").trim_start();
    !path.is_empty()
        && !path.contains(' ')
        && path.contains('.')
        && num(line)
        && num(col)
        && message.split_whitespace().next().is_some_and(|code| {
            code.len() >= 2
                && code.starts_with(|c: char| c.is_ascii_uppercase())
                && code.bytes().skip(1).all(|b| b.is_ascii_alphanumeric())
                && code.bytes().any(|b| b.is_ascii_digit())
        })
}

pub(super) fn js_build(r: &mut Reading, t: &str, l: &Range<usize>) {
    let t2 = t.trim_start_matches(['✓', '✔', '▲', ' ']);
    if t2.starts_with("built in ")
        || t2.starts_with("Compiled successfully")
        || t.contains("compiled successfully")
        || t.starts_with("Build success in")
        || t.starts_with("created ") && t.contains(" in ")
    {
        r.pass(BUILD, l);
    } else if t.starts_with("error during build")
        || t.starts_with("Failed to compile")
        || t.starts_with("Build error occurred")
        || (t.contains("compiled with ") && t.contains(" error"))
        || t.starts_with("ERROR in ")
        || t.starts_with("✘ [ERROR]")
        || t.starts_with("[!] ")
        || t.starts_with("Build failed")
    {
        r.fail(BUILD, l);
    }
}

/// gcc/clang: `file.c:12:5: error: …`
pub(super) fn c_error(t: &str) -> bool {
    t.find(": error: ").is_some_and(|at| {
        let head = &t[..at];
        head.matches(':').count() >= 2 && !head.contains(' ')
    }) || t.starts_with("collect2: error")
}

/// A task runner's own line that the task failed.
pub(super) fn task_failure(t: &str) -> bool {
    t.starts_with("npm ERR! Test failed")
        || t.starts_with("npm ERR! code ELIFECYCLE")
        || t.starts_with("npm error code ELIFECYCLE")
        || t.starts_with("npm error Lifecycle script")
        || t.starts_with("npm ERR! Lifecycle script")
        || (t.contains("ELIFECYCLE") && (t.contains("failed") || t.contains("Exit status")))
        || t.starts_with("ERR_PNPM_")
        || t.starts_with("error Command failed with exit code")
        || (t.starts_with("make") && t.contains(": *** ") && t.contains(" Error "))
        || (t.starts_with("error: Recipe `") && t.contains("failed"))
        || (t.starts_with("task: Failed to run task"))
        || (t.contains("ERROR") && t.contains("task failed"))
        || t.starts_with("rake aborted!")
        || (t.starts_with("ERROR") && t.contains("run failed"))
        || (t.starts_with("error: script \"") && t.contains("exited with code"))
}

pub(super) fn push(r: &mut Reading, t: &str, l: &Range<usize>) {
    const PUSH: Aspect = Aspect::Push;
    let failed = t.starts_with("error: failed to push")
        || t.starts_with("! [rejected]")
        || t.starts_with("! [remote rejected]")
        || t.starts_with("fatal: unable to access")
        || t.starts_with("fatal: Authentication failed")
        || t.starts_with("fatal: could not read Username")
        || t.starts_with("fatal: The current branch")
        || t.starts_with("fatal: repository '")
        || (t.starts_with("fatal: '") && t.contains("does not appear to be a git repository"))
        || t.contains("Permission denied (publickey)")
        || (t.starts_with("remote: Permission to") && t.contains("denied"))
        || (t.starts_with("ERROR: Permission to") && t.contains("denied"))
        || t.starts_with("error: src refspec")
        || (t.starts_with("remote: error: GH") && t.contains("declined"))
        || t.starts_with("remote: error: GH006");
    if failed {
        r.fail(PUSH, l);
        return;
    }
    let updated = t.contains(" -> ")
        && (t.starts_with("* [new ")
            || t.starts_with("+ ")
            || t.split_whitespace().next().is_some_and(|w| {
                w.contains("..")
                    && w.trim_matches('.')
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b'.')
            }));
    if updated || t == "Everything up-to-date" {
        r.pass(PUSH, l);
    }
}
