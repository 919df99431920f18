//! The Claude Code plugin: the package (`scripts/package-plugin`: layout, modes, the zip,
//! idempotence, version checks), the hooks run the way the plugin runs them (on by default,
//! state outside the project), and `instar-hooks config`. `claude plugin validate --strict`
//! and the real sessions are in the `claude-code` test target (tests/claude_code/).

// scripts/package-plugin: the package it builds, and the script on a copy of a checkout.
mod package;
// The hooks as the plugin runs them.
mod hooks;
// instar-hooks config.
mod config;

use crate::harness::Project;

/// A project that is not an instar agent (no `.instar/`).
fn plain_project() -> Project {
    Project::new().file(".claude/settings.json", "{}\n")
}
