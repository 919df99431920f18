//! Stop hook: records a concrete promise at the end of a turn as a follow-through commitment.
//! All logic lives in `instar_hooks::followthrough`; this binary always exits 0.
//!
//! It starts from C's `main`, not Rust's (see [`instar_hooks::hook_io::run_hook`]).
#![no_main]

#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    instar_hooks::hook_io::run_hook(instar_hooks::followthrough::stop_hook)
}
