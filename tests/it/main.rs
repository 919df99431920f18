//! Integration tests: the binaries run as processes, each test in its own temp project.
mod harness;

// The Stop hook's contract: records claims, exits 0 silently whatever it is given.
mod hooks;
// The operator CLI: classify, commitments.
mod cli;
// Same-turn follow-through: the reply that continues a turn, and `instar-hooks claims`.
mod same_turn;
// instar-migrate: fixtures, idempotence, refusal, dry run, backups.
mod migrate;
// Both CLIs' errors: human and --json, usage errors, exit code 2.
mod errors;
// instar-hooks resume-queue: status snapshots, heal and acquire racing across processes.
mod resume_queue;
// instar-hooks guards: posture fixtures.
mod guards;
// Reliability: bad input, faults, crashes, stale locks, racing writers.
mod reliability;
// Security: symlinks, writes outside the project, loopback only, no token shown.
mod security;
// The Claude Code plugin: package, validate, hooks run from it, `instar-hooks config`.
mod plugin;
// Installs: release archives, the plugin from a Git URL with no Rust (its bootstrap), the
// release workflow, the crate package.
mod install;
// The plugin package scripts/package-plugin builds (shared with the claude-code target).
mod packaged;
// A stand-in instar server, and ports held for it until it starts (shared with the
// claude-code target, which reads what it received).
#[allow(dead_code)]
mod stub_server;
