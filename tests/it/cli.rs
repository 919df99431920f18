//! The operator CLI, `instar-hooks`: each command's own behaviour, then what they all share.

// classify: one JSON answer per line of input.
mod classify;
// commitments list, show, resolve and flush.
mod commitments;
// doctor: whether the hooks are wired, and the fix when not.
mod doctor;
// config set: where it writes, and whether that takes effect.
mod config;
// Help, completions, usage errors, a missing project dir, a closed stdout.
mod usage;
