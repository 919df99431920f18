//! Stop hook: records a concrete promise at the end of a turn as a follow-through commitment.
//! All logic lives in `instar_hooks::followthrough`; this binary always exits 0.
//!
//! It starts from C's `main`, not Rust's (see [`instar_hooks::hook_main`]).
#![no_main]

instar_hooks::hook_main!(instar_hooks::followthrough::stop_hook);
