//! The baseline for `benches/startup.rs`: a process that does nothing but read its stdin to the
//! end and exit 0. Built by `scripts/build-release --with-noop`, exactly as the hooks are built
//! (the workspace's release profile, the same target and linker flags: static and not PIE on
//! x86_64 Linux), so the difference between this and the hook is the hook's own work, not
//! process creation, exec, the dynamic loader or a different profile.

use std::io::{self, Read};

fn main() {
    // Read everything, as a hook must (Claude Code would otherwise see a broken pipe), into a
    // fixed buffer: the baseline should not pay for a growing allocation it does not need.
    let mut stdin = io::stdin().lock();
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = stdin.read(&mut buf) {
        if n == 0 {
            break;
        }
    }
}
