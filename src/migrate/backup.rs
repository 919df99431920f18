//! Where a run backs up the files it replaces, and claiming that directory.
//!
//! An instar agent (or a project this run makes one, by deploying the hooks into it) keeps
//! them in `.instar/backups/<time>/`, next to its other files. Any other project keeps them in its per-user state directory (`<data dir>/instar-hooks/projects/
//! <name>-<hash>/backups/<time>/`, where `instar-hooks doctor` shows `state:`): creating
//! `.instar/` for a backup would turn the project into an instar agent and move its hook state
//! into the repository, and a copy next to the file would be a new file in the user's
//! repository for every run. Either way the backup keeps each file's project-relative path,
//! so `cp -a <backup>/. <project>` rolls the run back.

use std::{io, path::PathBuf};

use crate::{Error, env::Env, fsutil, state::StateDir, timestamp::Timestamp};

pub(super) enum Place {
    /// An instar agent's `.instar/`.
    Agent { instar: PathBuf },
    /// The project's per-user state directory.
    PerUser(StateDir),
    /// No per-user data directory to put them in (why).
    Nowhere { project: PathBuf, why: String },
}

impl Place {
    /// Decided before the run writes anything: `agent` says whether the project has
    /// `.instar/` once the run is done.
    pub(super) fn for_project(project: &std::path::Path, env: &Env, agent: bool) -> Place {
        let instar = project.join(crate::state::INSTAR_DIR);
        if agent {
            return Place::Agent { instar };
        }
        match StateDir::resolve(project, env) {
            Ok(state) => Place::PerUser(state),
            Err(e) => Place::Nowhere {
                project: project.to_path_buf(),
                why: e.to_string(),
            },
        }
    }

    /// Creates this run's backup directory, `<stamp>` or, when another run (of this second)
    /// has it, the next free `<stamp>-N`. Creating it is the claim, so two runs at once never
    /// share one (and never overwrite each other's copy of the original file).
    pub(super) fn claim(&self, now: Timestamp) -> Result<PathBuf, Error> {
        let (within, base) = match self {
            Place::Agent { instar } => (instar.clone(), instar.join("backups")),
            Place::PerUser(state) => {
                state.ensure()?;
                (state.root().to_path_buf(), state.root().join("backups"))
            }
            Place::Nowhere { project, why } => {
                return Err(Error::io(
                    project,
                    "back up files of",
                    io::Error::new(io::ErrorKind::NotFound, why.clone()),
                ));
            }
        };
        fsutil::create_dir_within(&within, &base)?;
        let stamp = stamp(now);
        for n in 1.. {
            let dir = match n {
                1 => base.join(&stamp),
                n => base.join(format!("{stamp}-{n}")),
            };
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(Error::io(&dir, "create directory", e)),
            }
        }
        unreachable!("a free name is found before the counter runs out")
    }
}

/// `YYYYMMDDTHHMMSSZ`, a directory name that sorts by time.
fn stamp(now: Timestamp) -> String {
    let digits: String = now
        .to_string()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .take(15)
        .collect();
    format!("{digits}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_in_the_same_second_claim_their_own_directories() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".instar")).unwrap();
        let place = Place::for_project(dir.path(), &Env::default(), true);
        let now = Timestamp::from_unix_ms(1_795_000_000_000);
        // Claiming is creating: a run that has not backed anything up yet still owns its
        // directory, and the next run of the same second takes the next name.
        let first = place.claim(now).unwrap();
        assert!(first.is_dir());
        assert_ne!(place.claim(now).unwrap(), first);
        // Many runs at once: each gets a directory of its own.
        let claimed: Vec<PathBuf> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..8)
                .map(|_| s.spawn(|| place.claim(now).unwrap()))
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let mut unique = claimed.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 8, "{claimed:?}");
        assert!(
            first.ends_with(".instar/backups/20261118T110640Z"),
            "{first:?}"
        );
        assert!(unique.iter().any(|d| d.ends_with("20261118T110640Z-10")));
    }

    #[test]
    fn a_project_without_instar_backs_up_in_its_per_user_state_directory() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        std::fs::create_dir(&project).unwrap();
        let env = Env {
            data_dir: Some(dir.path().join("data")),
            ..Env::default()
        };
        let claimed = Place::for_project(&project, &env, false)
            .claim(Timestamp::from_unix_ms(1_795_000_000_000))
            .unwrap();
        let state = StateDir::resolve(&project, &env).unwrap();
        assert!(
            claimed.starts_with(state.root().join("backups")),
            "{claimed:?}"
        );
        assert!(!project.join(".instar").exists(), "never a new .instar/");
        let nowhere = Place::for_project(&project, &Env::default(), false);
        assert!(nowhere.claim(Timestamp::now()).is_err());
    }
}
