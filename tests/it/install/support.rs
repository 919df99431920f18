//! What the install tests share, here and in the `claude-code` target's end-to-end install
//! tests: the release `scripts/release` made for this machine, a PATH without Rust, commands
//! isolated from the caller's session, and reading back files.

use crate::harness::{skip, walk};
use instar_hooks::plugin::install::plugin_binaries;
use serde_json::Value;
use std::{
    ffi::OsString,
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
    time::Instant,
};

pub(crate) const VERSION: &str = env!("CARGO_PKG_VERSION");

pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What `scripts/release` wrote for this machine.
pub(crate) struct Released {
    /// `target/dist/`.
    pub(crate) dist: PathBuf,
    /// This machine's Rust target, as the bootstrap names it too.
    pub(crate) target: String,
    /// The binaries that went into the archive.
    pub(crate) bin_dir: PathBuf,
}

impl Released {
    /// `instar-hooks-<version>-<target>.tar.gz`.
    pub(crate) fn archive(&self) -> String {
        format!("instar-hooks-{VERSION}-{}.tar.gz", self.target)
    }

    /// A copy of the files a release publishes, in `dir`.
    pub(crate) fn copy_to(&self, dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        for name in [
            self.archive(),
            format!("{}.sha256", self.archive()),
            format!("instar-hooks-{VERSION}-sha256sums.txt"),
        ] {
            fs::copy(self.dist.join(&name), dir.join(&name)).unwrap();
        }
    }
}

/// Runs `scripts/release` for this machine once per test process, packaging the release
/// binaries `scripts/test` built (`INSTAR_HOOKS_BIN_DIR`), or, under plain `cargo test`,
/// building them (a fat-LTO build: minutes). `None` when `test` is skipped (no python3).
pub(crate) fn released(test: &str) -> Option<&'static Released> {
    static RELEASED: OnceLock<Result<Released, String>> = OnceLock::new();
    if Command::new("python3").arg("--version").output().is_err() {
        skip(test, "python3 not found (scripts/release needs it)");
        return None;
    }
    let released = RELEASED.get_or_init(|| {
        let started = Instant::now();
        let mut cmd = Command::new(repo().join("scripts/release"));
        cmd.current_dir(repo());
        let bin_dir = match std::env::var_os("INSTAR_HOOKS_BIN_DIR") {
            Some(dir) => {
                cmd.env("INSTAR_HOOKS_BIN_DIR", &dir);
                PathBuf::from(dir)
            }
            None => {
                cmd.env_remove("INSTAR_HOOKS_BIN_DIR");
                PathBuf::new() // set from the build below
            }
        };
        let out = cmd.output().map_err(|e| format!("scripts/release: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "scripts/release failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let _ = writeln!(
            std::io::stderr(),
            "scripts/release took {} ms",
            started.elapsed().as_millis()
        );
        let rustc = Command::new("rustc").arg("-vV").output().unwrap();
        let target = String::from_utf8_lossy(&rustc.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: "))
            .expect("rustc -vV names the host")
            .to_string();
        let bin_dir = match bin_dir.as_os_str().is_empty() {
            true => repo().join("target").join(&target).join("release"),
            false => bin_dir,
        };
        Ok(Released {
            dist: repo().join("target/dist"),
            target,
            bin_dir,
        })
    });
    match released {
        Ok(r) => Some(r),
        Err(e) => panic!("{e}"),
    }
}

/// This process's PATH without any directory that holds cargo, rustc or a binary of ours: a
/// user with no Rust who never installed instar-hooks.
pub(crate) fn path_without_rust() -> OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let unwanted = ["cargo", "rustc", "rustup", "instar-migrate"];
    let keep: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| {
            !unwanted
                .iter()
                .copied()
                .chain(plugin_binaries())
                .any(|b| dir.join(b).exists())
        })
        .collect();
    std::env::join_paths(keep).unwrap()
}

/// `cmd` with nothing from the caller's instar or Claude Code session, and the XDG
/// directories inside `home`.
pub(crate) fn isolated<'c>(cmd: &'c mut Command, home: &Path) -> &'c mut Command {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("INSTAR_")
            || (k.starts_with("CLAUDE_") && k != "CLAUDE_BIN")
            || k.starts_with("ANTHROPIC_")
            || k.starts_with("XDG_")
            || k == "CLAUDECODE"
        {
            cmd.env_remove(&*k);
        }
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
}

/// The lines of a JSON Lines file.
pub(crate) fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every file under `dir` with its bytes (what must not change), but for Claude Code's own
/// `.in_use/` marks in an installed plugin.
pub(crate) fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".in_use/"))
        .map(|(rel, _)| {
            let bytes = fs::read(dir.join(&rel)).unwrap_or_default();
            (rel, bytes)
        })
        .collect()
}
