//! Stop hook: records a concrete promise at the end of a turn as a follow-through commitment.
//! All logic lives in `instar_hooks::followthrough`; this binary always exits 0.
fn main() {
    instar_hooks::hook_io::run_hook(instar_hooks::followthrough::stop_hook)
}
