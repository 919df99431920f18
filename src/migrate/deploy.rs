//! Deploying the hook binaries into `.instar/hooks/instar/` (mode 755). A binary that is
//! already identical (bytes and mode) is skipped.

use std::{os::unix::fs::PermissionsExt, path::Path};

use super::{Change, Mode, Report, Skip, Step, Upgrade};
use crate::settings::HOOKS_DIR;

/// Plans one change per binary in `binaries`; returns the ones that will be in place
/// afterwards (deployed now or already there), so only those get registered.
pub(super) fn plan(
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
                report.steps.push(Step::Error {
                    message: format!("cannot deploy {name}: {}: {e}", source.display()),
                    path: Some(source),
                    what: "deploy",
                    hint: Some("build it with `scripts/build-release` (or `cargo build --release`) and run the instar-migrate that sits next to it".into()),
                });
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
            report.skipped(rel, Skip::UpToDate);
        } else {
            let size = bytes.len() as u64;
            let upgrade = match &current {
                None => Upgrade::Deployed { bytes: size },
                Some(c) if *c == bytes => Upgrade::MadeExecutable { bytes: size },
                Some(_) => Upgrade::Updated { bytes: size },
            };
            changes.push(Change {
                upgraded: vec![upgrade],
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
