//! UserPromptSubmit hook: hands promises not yet kept back to the model as context for the
//! next turn. All logic lives in `instar_hooks::reminder`; this binary always exits 0.
fn main() {
    instar_hooks::hook_io::run_hook(instar_hooks::reminder::prompt_hook)
}
