/*!
Fault injection for process-level tests (debug builds only; release builds compile every check
out). A test names a fault in the environment variable `INSTAR_HOOKS_FAULT`, and the code at
that point fails the way the real fault would:

- `stop`, `prompt`: a panic in the Stop or UserPromptSubmit hook;
- `enospc`: an atomic write fails as on a full disk;
- `kill-before-rename`: SIGKILL between writing a temp file and renaming it;
- `stall-in-lock`: the store lock is held for a minute.

Kept apart from the log and the file helpers so that both can use it without depending on
each other.
*/

/// Whether the environment names this fault (always false in release builds).
pub(crate) fn fault(name: &str) -> bool {
    #[cfg(debug_assertions)]
    return std::env::var("INSTAR_HOOKS_FAULT").is_ok_and(|v| v == name);
    #[cfg(not(debug_assertions))]
    {
        let _ = name;
        false
    }
}

/// A panic injected at a named point (see [`fault`]).
pub(crate) fn fault_point(name: &str) {
    if fault(name) {
        panic!("fault injected at {name} (INSTAR_HOOKS_FAULT)");
    }
}
