//! Installs as users meet them: the release archive (`scripts/release`), the plugin from the
//! repository's Git URL with no Rust (its SessionStart bootstrap, end to end with the real
//! Claude Code CLI), the release workflow (actionlint) and the crate package (`cargo install`).
//!
//! The end-to-end tests serve `target/dist/` (made by `scripts/release` from the release
//! binaries `scripts/test` built, once per test process) and a bare clone of this checkout's
//! HEAD — its committed state, as a user's clone would be — over smart HTTP on loopback; add
//! that Git URL as a marketplace in a fresh HOME whose PATH has no cargo, rustc or binary of
//! ours; install the plugin; and run real turns against the fake Anthropic API. The bootstrap's
//! every branch is tested in `install/bootstrap.rs` and `install/refusals.rs`, under dash,
//! `bash --posix`, posh and busybox sh.

// The bootstrap installs (and its fast path), then every way it cannot.
mod bootstrap;
mod plugin_copy;
mod refusals;
// The plugin from the Git URL with the real Claude Code CLI.
mod git;
// scripts/release.
mod release;
// Loopback HTTP: the release location and Git's smart HTTP.
mod serve;

use crate::{
    harness::{skip, walk},
    test_name,
};
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

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What `scripts/release` wrote for this machine.
struct Released {
    /// `target/dist/`.
    dist: PathBuf,
    /// This machine's Rust target, as the bootstrap names it too.
    target: String,
    /// The binaries that went into the archive.
    bin_dir: PathBuf,
}

impl Released {
    /// `instar-hooks-<version>-<target>.tar.gz`.
    fn archive(&self) -> String {
        format!("instar-hooks-{VERSION}-{}.tar.gz", self.target)
    }

    /// A copy of the files a release publishes, in `dir`.
    fn copy_to(&self, dir: &Path) {
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
fn released(test: &str) -> Option<&'static Released> {
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
fn path_without_rust() -> OsString {
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
fn isolated<'c>(cmd: &'c mut Command, home: &Path) -> &'c mut Command {
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
fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every file under `dir` with its bytes (what must not change), but for Claude Code's own
/// `.in_use/` marks in an installed plugin.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walk(dir)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".in_use/"))
        .map(|(rel, _)| {
            let bytes = fs::read(dir.join(&rel)).unwrap_or_default();
            (rel, bytes)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The release workflow and the crate package

/// actionlint, installed (once per machine, cached) by `tests/tools/install-actionlint.sh`;
/// `None` when `test` is skipped (no python3 with pip).
fn actionlint(test: &str) -> Option<PathBuf> {
    static INSTALLED: OnceLock<Result<Option<PathBuf>, String>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        let script = repo().join("tests/tools/install-actionlint.sh");
        let out = Command::new(&script)
            .output()
            .map_err(|e| format!("{}: {e}", script.display()))?;
        match out.status.code() {
            Some(0) => Ok(Some(PathBuf::from(
                String::from_utf8_lossy(&out.stdout).trim(),
            ))),
            Some(3) => Ok(None),
            _ => Err(format!(
                "install-actionlint.sh failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    });
    match installed {
        Ok(Some(bin)) => Some(bin.clone()),
        Ok(None) => {
            skip(
                test,
                "python3 with pip not found, so actionlint cannot be installed",
            );
            None
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_release_workflow_passes_actionlint_with_shellcheck_on_its_scripts() {
    let Some(actionlint) = actionlint(test_name!()) else {
        return;
    };
    if Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_err()
    {
        skip(
            test_name!(),
            "shellcheck not found: actionlint would not check the run: scripts",
        );
        return;
    }
    let lint = |file: &Path| {
        Command::new(&actionlint)
            .arg("-no-color")
            .arg(file)
            .current_dir(repo())
            .output()
            .unwrap()
    };
    let workflows: Vec<PathBuf> = fs::read_dir(repo().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!workflows.is_empty());
    for workflow in &workflows {
        let out = lint(workflow);
        assert!(
            out.status.success() && out.stdout.is_empty(),
            "{}:\n{}{}",
            workflow.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The same linter finds a real mistake in a run: script (shellcheck) and in an expression.
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("release.yml");
    let text = fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let text = text
        .replacen(
            r#"run: scripts/release "$TARGET""#,
            "run: scripts/release $TARGET",
            1,
        )
        .replacen("${{ matrix.target }}", "${{ matrix.targte }}", 1);
    fs::write(&broken, text).unwrap();
    let out = lint(&broken);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains("SC2086"), "{report}");
    assert!(
        report.contains("property \"targte\" is not defined"),
        "{report}"
    );
}

#[test]
fn the_crate_package_holds_the_sources_the_build_needs_and_nothing_else() {
    let out = Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "--locked",
            "--allow-dirty",
            "--offline",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect();
    // Cargo's own files, the documents, what the binaries embed.
    let mut want: Vec<String> = [
        ".cargo_vcs_info.json",
        "Cargo.lock",
        "Cargo.toml",
        "Cargo.toml.orig",
        "LICENSE",
        "README.md",
        "settings-template.json",
    ]
    .iter()
    .map(|f| f.to_string())
    .collect();
    // Every source of the library and the binaries, but the test-only modules.
    for dir in ["src", "hooks", "migrator"] {
        for (rel, _) in walk(&repo().join(dir)) {
            let test_only = rel == "plugin/package.rs"
                || rel.ends_with("/tests.rs")
                || rel.contains("/tests/")
                || rel.ends_with("proptests.rs");
            if rel.ends_with(".rs") && !test_only {
                want.push(format!("{dir}/{rel}"));
            }
        }
    }
    let mut listed_sorted = listed.clone();
    listed_sorted.sort();
    want.retain(|f| f != ".cargo_vcs_info.json" || listed.contains(f));
    want.sort();
    assert_eq!(listed_sorted, want);
    // What the build embeds from outside src/ is in it.
    assert!(
        fs::read_to_string(repo().join("src/settings.rs"))
            .unwrap()
            .contains(r#"include_str!("../settings-template.json")"#)
    );
}
