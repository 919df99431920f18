/*!
Where a project's state lives. One function, [`StateDir::resolve`], decides it for every hook
and CLI command, from the project directory and the environment alone:

- an instar agent (the project has a `.instar/` directory): `<project>/.instar/instar-hooks/`,
  next to instar's own files but never inside instar's own stores;
- any other project: `<user data dir>/instar-hooks/projects/<name>-<hash>/`, where `<name>` is
  the project folder's name (so a person can tell which project it is) and `<hash>` is taken
  from the project's canonical path (so two checkouts named alike never share state). Nothing
  is written into the user's repository.
*/

use std::path::{Path, PathBuf};

use crate::{env::Env, fsutil};

pub const INSTAR_DIR: &str = ".instar";
pub(crate) const STATE_SUBDIR: &str = "instar-hooks";

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StateKind {
    InstarAgent,
    PerUser,
}

#[derive(Clone, Debug)]
pub struct StateDir {
    /// The directory `root` must stay inside (no symlink may lead out of it).
    within: PathBuf,
    root: PathBuf,
    kind: StateKind,
}

impl StateDir {
    pub fn resolve(project: &Path, env: &Env) -> crate::Result<StateDir> {
        let instar = project.join(INSTAR_DIR);
        if instar.is_dir() {
            return Ok(StateDir {
                root: instar.join(STATE_SUBDIR),
                within: instar,
                kind: StateKind::InstarAgent,
            });
        }
        let data = env
            .data_dir
            .clone()
            .ok_or_else(|| crate::Error::UnsafePath {
                path: project.to_path_buf(),
                reason: "no user data directory (set HOME or XDG_DATA_HOME) to keep its state in"
                    .into(),
            })?;
        let within = data.join(STATE_SUBDIR).join("projects");
        Ok(StateDir {
            root: within.join(project_key(project)),
            within: data,
            kind: StateKind::PerUser,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn kind(&self) -> StateKind {
        self.kind
    }

    pub fn commitments_file(&self) -> PathBuf {
        self.root.join("commitments.json")
    }

    pub(crate) fn log_file(&self) -> PathBuf {
        self.root.join("logs").join("hooks.log")
    }

    /// Creates the state directory (and `logs/`), refusing symlinks on the way.
    pub(crate) fn ensure(&self) -> crate::Result<()> {
        if self.kind == StateKind::PerUser {
            // The user's data directory itself may not exist yet on a fresh account.
            std::fs::create_dir_all(&self.within)
                .map_err(|e| crate::Error::io(&self.within, "create directory", e))?;
        }
        fsutil::create_dir_within(&self.within, &self.root.join("logs"))
    }
}

/// `<folder name>-<12 hex of a 64-bit FNV-1a hash of the canonical path>`, safe as a single
/// path component. Not SHA-256: the key only has to be stable and well spread, and it is
/// computed on every hook run of a plugin user, where SHA-256's CPU-feature probe (CPUID,
/// which traps to the hypervisor in a VM) costs more than the rest of the run's hashing.
pub fn project_key(project: &Path) -> String {
    let canonical = std::fs::canonicalize(project).unwrap_or_else(|_| project.to_path_buf());
    let name: String = canonical
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "root".into())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    let name = name.trim_start_matches('.');
    let hash = canonical
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
    let hex = format!("{:012x}", hash >> 16);
    format!("{}-{hex}", if name.is_empty() { "project" } else { name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instar_agent_keeps_state_under_dot_instar() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".instar")).unwrap();
        let s = StateDir::resolve(dir.path(), &Env::default()).unwrap();
        assert_eq!(s.kind(), StateKind::InstarAgent);
        assert_eq!(s.root(), dir.path().join(".instar/instar-hooks"));
        s.ensure().unwrap();
        assert!(dir.path().join(".instar/instar-hooks/logs").is_dir());
    }

    #[test]
    fn other_projects_keep_state_in_the_user_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("My Project");
        std::fs::create_dir(&project).unwrap();
        let env = Env {
            data_dir: Some(dir.path().join("data")),
            ..Env::default()
        };
        let s = StateDir::resolve(&project, &env).unwrap();
        assert_eq!(s.kind(), StateKind::PerUser);
        let key = s.root().file_name().unwrap().to_str().unwrap().to_string();
        assert!(
            key.starts_with("My_Project-") && key.len() == "My_Project-".len() + 12,
            "{key}"
        );
        assert!(
            s.root()
                .starts_with(dir.path().join("data/instar-hooks/projects"))
        );
        s.ensure().unwrap();
        assert_eq!(
            std::fs::read_dir(&project).unwrap().count(),
            0,
            "repo untouched"
        );
    }

    /// The key names every plugin user's state folder: a change would orphan their records.
    /// Pinned to values computed outside this code (64-bit FNV-1a of the path, top 48 bits).
    #[test]
    fn the_key_is_pinned_for_known_paths() {
        for (path, key) in [
            (
                "/nonexistent-instar-hooks/My Project",
                "My_Project-95ffa039aa5a",
            ),
            ("/nonexistent-instar-hooks/.hidden", "hidden-0f2f9b0163e2"),
            (
                "/nonexistent-instar-hooks/ünïcode dir",
                "_n_code_dir-024c608dbf87",
            ),
            ("/", "root-af63a24c8601"),
        ] {
            assert_eq!(project_key(Path::new(path)), key, "{path}");
        }
    }

    #[test]
    fn the_key_is_path_specific_and_ignores_the_spelling() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_ne!(project_key(a.path()), project_key(b.path()));
        // A relative spelling of the same directory gives the same key.
        let dotted = a.path().join(".");
        assert_eq!(project_key(&dotted), project_key(a.path()));
    }
}
