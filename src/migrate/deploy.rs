//! Deploying the hook binaries into `.instar/hooks/instar/` (mode 755). A binary that is
//! already identical (bytes and mode) is skipped.

use std::{os::unix::fs::PermissionsExt, path::Path};

use super::{Change, Mode, Report};
use crate::settings::HOOKS_DIR;

/// Plans one change per binary in `binaries`; returns the ones that will be in place
/// afterwards (deployed now or already there), so only those get registered.
pub fn plan(
    project: &Path,
    source_dir: &Path,
    binaries: &[&'static str],
    changes: &mut Vec<Change>,
    report: &mut Report,
) -> Vec<&'static str> {
    let mut ready = Vec::new();
    for &name in binaries {
        let rel = Path::new(HOOKS_DIR).join(name);
        let dest = project.join(&rel);
        let source = source_dir.join(name);
        let bytes = match std::fs::read(&source) {
            Ok(b) => b,
            Err(e) => {
                report.errors.push(format!(
                    "cannot deploy {name}: {} ({e}). Build it with `scripts/build-release` (or `cargo build --release`) and run the instar-migrate that sits next to it",
                    source.display()
                ));
                if dest.is_file() {
                    ready.push(name);
                }
                continue;
            }
        };
        let current = std::fs::read(&dest).ok();
        let mode_ok =
            std::fs::metadata(&dest).is_ok_and(|m| m.permissions().mode() & 0o777 == 0o755);
        if current.as_deref() == Some(&bytes[..]) && mode_ok {
            report
                .skipped
                .push(format!("{}: up to date", rel.display()));
        } else {
            let what = match &current {
                None => "deployed",
                Some(c) if *c == bytes => "made executable (mode 755)",
                Some(_) => "updated",
            };
            changes.push(Change {
                upgraded: vec![format!("{}: {what} ({} bytes)", rel.display(), bytes.len())],
                rel,
                before: current,
                after: bytes,
                mode: Mode::Exact(0o755),
                recompute: None,
            });
        }
        ready.push(name);
    }
    ready
}
