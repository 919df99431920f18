//! UserPromptSubmit hook: hands promises not yet kept back to the model as context for the
//! next turn. All logic lives in `instar_hooks::reminder`; this binary always exits 0.
//!
//! It starts from C's `main`, not Rust's (see [`instar_hooks::hook_main`]).
#![no_main]

instar_hooks::hook_main!(instar_hooks::reminder::prompt_hook);
