//! Step 3: write the planned changes — each through [`file::replace`], which re-reads the file
//! just before replacing it (redoing the edit on what is there now), writes a symlinked file
//! where it points, and replaces atomically — backing up what is replaced first.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use super::{Change, Plan, Report, Skip, Step, Upgrade, backup};
use crate::{Error, config::file, fsutil, timestamp::Timestamp};

pub fn apply(plan: Plan, now: Timestamp) -> Report {
    let mut report = plan.report;
    let mut backups = Backups {
        place: plan.backups,
        dir: None,
        now,
    };
    for change in plan.changes {
        let rel = change.rel.clone();
        match apply_one(&plan.project, change, &mut backups) {
            Ok(Some(upgrades)) => {
                report.changed_files.push(rel.display().to_string());
                report
                    .steps
                    .extend(upgrades.into_iter().map(|upgrade| Step::Upgraded {
                        path: rel.clone(),
                        upgrade,
                    }));
            }
            Ok(None) => report.skipped(rel, Skip::ChangedMeanwhile),
            Err(e) => report.error(&e),
        }
    }
    report.backup_dir = backups.dir.map(|d| {
        d.strip_prefix(&plan.project)
            .map(Path::to_path_buf)
            .unwrap_or(d)
    });
    report
}

/// Writes one change; `None` when the file turned out to need nothing (someone else made the
/// same change meanwhile).
fn apply_one(
    project: &Path,
    change: Change,
    backups: &mut Backups,
) -> Result<Option<Vec<Upgrade>>, Error> {
    let Change {
        rel,
        before,
        after,
        mode,
        recompute,
        upgraded,
    } = change;
    // A text file is read as every hand-edited file is (capped); a binary we deploy is only
    // compared, whatever its size.
    let cap = match recompute {
        Some(_) => file::JSON_CAP,
        None => u64::MAX,
    };
    let replaced = file::replace(
        &project.join(&rel),
        cap,
        mode,
        |current| match &recompute {
            // Claude Code writes settings.json too (and running sessions pick changes up
            // within a second): redo the edit on whatever is there now, never on a stale read.
            Some(recompute) if current != before.as_deref() => recompute(current),
            _ => Ok(Some(after.clone())),
        },
        |target, current| match rel.is_absolute() {
            // The per-user config is not the project's: `cp -a <backup>/. <project>` could not
            // restore it, and the report gives the command that undoes the change instead.
            true => Ok(()),
            false => backups.save(&rel, current, target),
        },
    )?;
    Ok(replaced.written.then_some(upgraded))
}

/// The run's backup directory, claimed on the first file that needs backing up.
struct Backups {
    place: backup::Place,
    dir: Option<PathBuf>,
    now: Timestamp,
}

impl Backups {
    fn save(&mut self, rel: &Path, bytes: &[u8], original: &Path) -> Result<(), Error> {
        let dir = match &self.dir {
            Some(dir) => dir.clone(),
            None => self.dir.insert(self.place.claim(self.now)?).clone(),
        };
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, "create directory", e))?;
        }
        let mode = std::fs::metadata(original).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        fsutil::write_atomic_mode(&to, bytes, mode).map_err(|e| Error::io(&to, "back up to", e))
    }
}
