//! Step 3: write the planned changes — re-reading each file just before replacing it, backing
//! up what is replaced, and replacing atomically.

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use super::{Change, Mode, Plan, Report, backup_dir, plan::describe};
use crate::{Error, fsutil, timestamp::Timestamp};

/// How many times a file may change under us before we give up on it.
const ATTEMPTS: usize = 3;

pub fn apply(plan: Plan, now: Timestamp) -> Report {
    let mut report = plan.report;
    report.upgraded.clear();
    let mut backups = Backups {
        project: plan.project.clone(),
        dir: None,
        now,
    };
    for change in plan.changes {
        let rel = change.rel.display().to_string();
        match apply_one(&plan.project, change, &mut backups) {
            Ok(Some(lines)) => {
                report.upgraded.extend(lines);
                report.changed_files.push(rel);
            }
            Ok(None) => report.skipped.push(format!(
                "{rel}: already up to date (changed meanwhile by someone else)"
            )),
            Err(e) => report.errors.push(describe(&e)),
        }
    }
    report.backup_dir = backups.dir.map(|d| {
        d.strip_prefix(&plan.project)
            .map(Path::to_path_buf)
            .unwrap_or(d)
    });
    report
}

fn apply_one(
    project: &Path,
    mut change: Change,
    backups: &mut Backups,
) -> Result<Option<Vec<String>>, Error> {
    let path = project.join(&change.rel);
    let target = write_target(&path)?;
    let mut attempt = 0;
    loop {
        // Claude Code writes settings.json too (and running sessions pick changes up within a
        // second): redo the edit on whatever is there now, never on a stale read.
        let current = read_optional(&target)?;
        if current == change.before {
            break;
        }
        attempt += 1;
        if attempt >= ATTEMPTS {
            return Err(Error::Changed { path: change.rel });
        }
        if let Some(recompute) = &change.recompute {
            match recompute(current.as_deref())? {
                Some(after) => change.after = after,
                None => return Ok(None),
            }
        }
        change.before = current;
    }
    if let Some(before) = &change.before {
        backups.save(&change.rel, before, &target)?;
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create directory", e))?;
    }
    let written = match change.mode {
        Mode::KeepOr(mode) => fsutil::write_atomic(&target, &change.after, mode),
        Mode::Exact(mode) => fsutil::write_atomic_mode(&target, &change.after, mode),
    };
    written.map_err(|e| Error::io(&target, "write", e))?;
    Ok(Some(change.upgraded))
}

/// A symlinked file (e.g. settings.json kept in a dotfiles repository) is updated where it
/// points, so the link stays a link.
fn write_target(path: &Path) -> Result<PathBuf, Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|e| Error::io(path, "follow the symlink", e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, "read", e)),
    }
}

/// The run's backup directory, created on the first file that needs backing up.
struct Backups {
    project: PathBuf,
    dir: Option<PathBuf>,
    now: Timestamp,
}

impl Backups {
    fn save(&mut self, rel: &Path, bytes: &[u8], original: &Path) -> Result<(), Error> {
        let dir = self
            .dir
            .get_or_insert_with(|| backup_dir(&self.project, self.now));
        let to = dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, "create directory", e))?;
        }
        let mode = std::fs::metadata(original).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        fsutil::write_atomic_mode(&to, bytes, mode).map_err(|e| Error::io(&to, "back up to", e))
    }
}
