//! UserPromptSubmit hook: hands promises not yet kept back to the model as context for the
//! next turn. All logic lives in `instar_hooks::reminder`; this binary always exits 0.
//!
//! It starts from C's `main`, not Rust's (see [`instar_hooks::hook_io::run_hook`]).
#![no_main]

#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    instar_hooks::hook_io::run_hook(instar_hooks::reminder::prompt_hook)
}
