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
// scripts/release.
mod release;
// Loopback HTTP: the release location and Git's smart HTTP (the Git side serves the
// claude-code target's end-to-end install tests).
#[allow(dead_code)]
pub(crate) mod serve;
// What the install tests share with the claude-code target's.
#[allow(dead_code)]
pub(crate) mod support;

use crate::{
    harness::{skip, walk},
    test_name,
};
use std::{
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};
pub(crate) use support::*;

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
