/*!
instar-hooks: native Claude Code hooks that turn an assistant's concrete promises ("I'll restart
the server", "Relaunching now") into tracked follow-through commitments, plus the stores and
safety tools around them.

The library owns every rule; the binaries (`hooks/`, `src/bin/instar-hooks`, `migrator/`) only
parse their input, call in here and decide what people see. The library never prints.

Module map (one concept each):
- [`action_claim`]: the classifier, `&str -> Option<Claim>`; pure.
- [`commitments`]: the commitment store (idempotent record, cap, expiry, resolve, outbox).
- [`evidence`]: tool calls in the transcript that keep a promise.
- [`completion`]: completion claims ("all tests pass", "pushed") and this turn's verdict on them.
- [`forward`]: delivering claims to a running instar server, exactly once.
- [`followthrough`] and [`reminder`]: the Stop and UserPromptSubmit hooks' steps, in order.
- [`config`]: `.instar/config.json` and the per-user config, tolerant, with legacy fallbacks.
- [`state`]: where a project's state lives (one function decides for every binary).
- [`hook_io`]: bounded stdin, lenient hook input, the exit-0 runner.
- [`transcript`]: bounded reads of Claude Code's JSONL transcript.
- [`settings`], [`claude_md`], [`markdown`], [`migrate`]: what `instar-migrate` changes, and how.
- [`plugin`]: the Claude Code plugin, and whether a project is wired through it.
- [`doctor`], [`guards`], [`fixes`]: what is wrong, and the command that fixes it.
- [`resume_queue`]: instar's rename-aware resume-queue host lock.
- [`fsutil`], [`diag`], [`env`], [`timestamp`], [`error`], `fault`: plumbing.
*/
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod action_claim;
mod bytes;
mod claude_md;
pub mod commitments;
mod completion;
pub mod config;
pub mod diag;
pub mod doctor;
pub mod env;
pub mod error;
mod evidence;
mod fault;
pub mod fixes;
pub mod followthrough;
pub mod forward;
pub mod fsutil;
pub mod guards;
pub mod hook_io;
pub mod json_file;
mod markdown;
pub mod migrate;
pub mod plugin;
mod prose;
mod registration;
pub mod reminder;
pub mod resume_queue;
mod run_status;
mod same_turn;
pub mod settings;
pub mod state;
#[cfg(test)]
mod test_support;
pub mod timestamp;
mod transcript;
pub mod verdicts;

pub use error::{Error, Result};
