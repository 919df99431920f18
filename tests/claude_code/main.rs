//! End to end: the real Claude Code CLI (pinned in `tests/e2e/install-claude-code.sh`) runs
//! whole turns in a temp project against a local fake Anthropic API
//! (`tests/e2e/fake_anthropic.py`, loopback only), so the hooks are registered exactly as a
//! user would register them and get Claude Code's genuine stdin and environment.
//!
//! A test target of its own, with this runner (libtest-mimic) instead of libtest's, so that a
//! test that needs Claude Code where it cannot be installed (no npm) is counted as ignored,
//! with the reason, never as passed; under `CI=true` it runs, and fails when it cannot.
//! `cargo test` runs it with the rest; `cargo test --test claude-code -- --ignored` has nothing
//! extra to run: what is ignored here could not run at all.
//!
//! Each test has its own [`harness::Project`] (the project, its HOME and user directories
//! under one temp dir), so the tests run in parallel; when one fails, the project prints
//! every command it ran, the settings file, the hooks' log, the commitment store and Claude
//! Code's account of the Stop hooks. The transcript fixtures in `tests/e2e/fixtures/` are
//! captured by hand with `tests/e2e/capture-fixtures.sh`; the tests here check that live
//! transcripts and the fixtures have the shape the fixtures document.

// Shared with the `it` target, which uses helpers this one does not.
#[allow(dead_code)]
#[path = "../it/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../it/packaged.rs"]
mod packaged;
#[allow(dead_code)]
#[path = "../it/stub_server.rs"]
mod stub_server;

// Claude Code on a project: install, trials, turns.
mod claude;
// What the tests read back: commitments, transcripts, the hooks' log.
mod check;
// One real turn: what the Stop hook records.
mod turns;
// The shape of tool calls in Claude Code's transcripts, live and in the fixtures.
mod transcripts;
// Several turns: evidence from a real git push, reminders at the next prompt.
mod followthrough;
// Claims forwarded to a stand-in instar server that is down, up, or refuses them.
mod forwarding;
// The plugin: validated, and loaded from its folder, its zip and a marketplace.
mod plugin;
// The plugin from the repository's Git URL with no Rust: its bootstrap installs the binaries.
mod install;
// A turn that ends on an undone promise or a refuted completion claim continues, once.
mod same_turn;

fn main() {
    let args = libtest_mimic::Arguments::from_args();
    let trials = [
        turns::trials(),
        transcripts::trials(),
        followthrough::trials(),
        forwarding::trials(),
        plugin::trials(),
        install::trials(),
        same_turn::trials(),
    ]
    .into_iter()
    .flatten()
    .collect();
    libtest_mimic::run(&args, trials).exit();
}
