//! A builder for process-level tests, shared by both test targets (`it`, and `claude-code`
//! through `#[path]`): a temp project (and a temp HOME, config and data dir), a binary to run,
//! its stdin and environment, and assertions that print everything (command, stdout, stderr,
//! the project's hook log) before failing. A project also keeps every command run in it, and
//! prints them with its files and Claude Code's account of its hooks when a test fails.
//!
//! Here: the binaries under test, skipping, snapshots and the file helpers; the project is in
//! `harness/project.rs`, a run and its output in `harness/run.rs`.

// The paths are spelled out: the `claude-code` target includes this file through `#[path]`,
// where a plain `mod` would look for these files beside it rather than in `harness/`.

// A temp project, its user's directories, and what it prints when a test fails.
#[path = "harness/project.rs"]
mod project;
// A command run in a project, and assertions on what it did.
#[path = "harness/run.rs"]
mod run;

pub(crate) use project::Project;
// `Output` is named by the `it` target only.
#[allow(unused_imports)]
pub(crate) use run::{Output, Run};

use std::{fs, io::Write, path::Path, time::Duration};

pub(crate) const STOP_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-followthrough");
pub(crate) const REMINDER_HOOK: &str = env!("CARGO_BIN_EXE_action-claim-reminder");
/// Every hook binary the project ships.
pub(crate) const HOOKS: &[&str] = &[STOP_HOOK, REMINDER_HOOK];
pub(crate) const CLI: &str = env!("CARGO_BIN_EXE_instar-hooks");
pub(crate) const MIGRATE: &str = env!("CARGO_BIN_EXE_instar-migrate");

/// Generous bound for one hook run in these tests (a debug build on a loaded 2-core CI box;
/// release runs take about a millisecond). The real performance targets live in
/// `scripts/bench`.
pub(crate) const RUN_BOUND: Duration = Duration::from_secs(10);

/// The name of the test function it is used in (the last path segment of a nested fn's
/// type name; not the thread name, which libtest may not set).
#[macro_export]
macro_rules! test_name {
    () => {{
        fn here() {}
        let path = std::any::type_name_of_val(&here);
        let path = path.strip_suffix("::here").unwrap_or(path);
        &path[path.rfind("::").map_or(0, |i| i + 2)..]
    }};
}

/// Whether this is a CI run (`CI=true`), where a test that cannot run must fail, not skip.
pub(crate) fn in_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

/// A test that cannot run here: under `CI=true` that is a failure; otherwise it says `SKIP`
/// where it is seen (straight to stderr: libtest hides `eprintln!` of a passing test).
#[track_caller]
pub(crate) fn skip(test: &str, why: &str) {
    assert!(
        !in_ci(),
        "{test} cannot run ({why}) and CI=true: it must run in CI"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIP {test}: {why} (CI=true makes this a failure)"
    );
}

/// instar's key of a commitment: `actionclaim:` + the first 16 hex digits of
/// sha256(`topic|verb`), computed here independently of the hooks.
pub(crate) fn external_key(topic: &str, verb: &str) -> String {
    use sha2::{Digest, Sha256};
    let hex: String = Sha256::digest(format!("{topic}|{verb}").as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("actionclaim:{hex}")
}

/// Every file (anything but a directory; symlinks are not followed) under `dir`, by its path
/// relative to `dir`, with its metadata, in name order.
pub(crate) fn walk(dir: &Path) -> Vec<(String, fs::Metadata)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = e.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, meta));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Whether this process runs with root's power to ignore file permissions (effective uid 0),
/// so that a mode-000 file or a 0o555 directory stops nothing unless the child drops it (see
/// [`Run::without_root_file_access`]).
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// Where insta keeps this suite's snapshots (top-level `snapshots/`).
#[macro_export]
macro_rules! snapshot_settings {
    () => {{
        let mut s = insta::Settings::clone_current();
        s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
        s.set_prepend_module_to_snapshot(false);
        s.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", "[TIME]");
        s.add_filter(r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]");
        s
    }};
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}
