//! The committed plugin (placeholders, bootstrap, license) kept in step with Cargo and the
//! template, and [`not_installed`]. The bootstrap's behaviour is tested by running it:
//! `tests/it/install.rs`.

use super::super::install::{
    NotInstalled, PLACEHOLDER_MARK, checkout_of, is_placeholder, not_installed, plugin_binaries,
};
use super::super::package::{BOOTSTRAP, PLACEHOLDERS, placeholder};
use crate::settings;
use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The value of the first `NAME=` assignment at the start of a line of the bootstrap.
fn assignment(name: &str) -> String {
    let prefix = format!("{name}=");
    let line = BOOTSTRAP
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no {name}= in plugin/hooks/bootstrap"));
    line[prefix.len()..].trim_matches('\'').to_string()
}

#[test]
fn the_bootstrap_is_plugin_only_neither_the_template_nor_instar_migrate_registers_it() {
    assert!(
        settings::template()
            .iter()
            .all(|r| r.event != "SessionStart"),
        "settings-template.json registers nothing at SessionStart"
    );
    assert!(!settings::TEMPLATE.contains("bootstrap"));
    assert!(!settings::binaries().contains(&"bootstrap"));
}

#[test]
fn each_committed_placeholder_is_as_rendered_executable_and_recognised() {
    let names: Vec<&str> = PLACEHOLDERS.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, plugin_binaries().collect::<Vec<_>>());
    for (name, text) in PLACEHOLDERS {
        assert_eq!(
            text,
            placeholder(name),
            "plugin/bin/{name} has drifted; write this to it:\n{}",
            placeholder(name)
        );
        let path = repo().join("plugin/bin").join(name);
        assert!(is_placeholder(&path), "{}", path.display());
        assert_eq!(
            mode(&path),
            0o755,
            "{}: Claude Code execs it",
            path.display()
        );
    }
    let mut in_bin: Vec<String> = fs::read_dir(repo().join("plugin/bin"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    in_bin.sort();
    let mut want: Vec<String> = plugin_binaries().map(String::from).collect();
    want.sort();
    assert_eq!(
        in_bin, want,
        "plugin/bin holds the placeholders and nothing else"
    );
}

#[test]
fn a_native_binary_a_script_or_a_missing_file_is_not_a_placeholder() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    assert!(!is_placeholder(&exe));
    let script = tmp.path().join("script");
    fs::write(&script, "#!/bin/sh\necho hello\n").unwrap();
    assert!(!is_placeholder(&script));
    // The mark anywhere but right after the shebang is not ours.
    let late = tmp.path().join("late");
    fs::write(&late, format!("#!/bin/sh\n# x\n{PLACEHOLDER_MARK} for\n")).unwrap();
    assert!(!is_placeholder(&late));
    assert!(!is_placeholder(&tmp.path().join("missing")));
    assert!(!is_placeholder(tmp.path()), "a directory");
}

#[test]
fn the_bootstrap_names_this_version_every_binary_and_this_repositorys_release() {
    assert!(BOOTSTRAP.starts_with("#!/bin/sh\n"), "POSIX sh, exec form");
    assert_eq!(mode(&repo().join("plugin/hooks/bootstrap")), 0o755);
    assert_eq!(assignment("version"), env!("CARGO_PKG_VERSION"));
    assert_eq!(
        assignment("names"),
        plugin_binaries().collect::<Vec<_>>().join(" ")
    );
    assert_eq!(
        assignment("release"),
        format!(
            "{}/releases/download/v$version",
            env!("CARGO_PKG_REPOSITORY")
        )
    );
    // The archive name scripts/release writes, and the list the release workflow commits.
    assert!(BOOTSTRAP.contains("file=instar-hooks-$version-$target.tar.gz"));
    assert!(BOOTSTRAP.contains("\"$root/sha256sums.txt\""));
    let workflow = fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    assert!(workflow.contains("plugin/sha256sums.txt"), "{workflow}");
}

#[test]
fn a_committed_checksum_list_holds_release_archives_of_one_version() {
    let path = repo().join("plugin/sha256sums.txt");
    let Ok(text) = fs::read_to_string(&path) else {
        return; // none before the first release: the bootstrap then uses the published .sha256
    };
    let mut versions: Vec<&str> = Vec::new();
    for line in text.lines() {
        let (sum, file) = line
            .split_once("  ")
            .unwrap_or_else(|| panic!("{}: {line:?}", path.display()));
        assert!(
            sum.len() == 64
                && sum
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
            "{line:?}"
        );
        let rest = file
            .strip_prefix("instar-hooks-")
            .and_then(|f| f.strip_suffix(".tar.gz"))
            .unwrap_or_else(|| panic!("not a release archive: {line:?}"));
        let (version, target) = rest.split_once('-').unwrap();
        assert!(
            [
                "x86_64-unknown-linux-gnu",
                "aarch64-unknown-linux-gnu",
                "x86_64-apple-darwin",
                "aarch64-apple-darwin"
            ]
            .contains(&target),
            "{line:?}"
        );
        if !versions.contains(&version) {
            versions.push(version);
        }
    }
    assert_eq!(versions.len(), 1, "one version's list: {versions:?}");
}

#[test]
fn the_plugin_carries_the_license() {
    assert_eq!(
        fs::read(repo().join("plugin/LICENSE")).unwrap(),
        fs::read(repo().join("LICENSE")).unwrap(),
        "a plugin installed from Git gets only plugin/: copy LICENSE to plugin/LICENSE"
    );
}

/// A plugin directory under `dir` with the committed placeholders in `bin/`.
fn plugin_with_placeholders(dir: &Path) -> PathBuf {
    let root = dir.join("plugin");
    fs::create_dir_all(root.join("bin")).unwrap();
    for (name, text) in PLACEHOLDERS {
        fs::write(root.join("bin").join(name), text).unwrap();
    }
    root
}

#[test]
fn not_installed_names_the_placeholders_until_the_binaries_replace_them() {
    let tmp = tempfile::tempdir().unwrap();
    let root = plugin_with_placeholders(tmp.path());
    let bin = root.join("bin");
    let NotInstalled {
        placeholders,
        detail,
        fix,
    } = not_installed(&root).expect("placeholders");
    assert_eq!(
        placeholders,
        [
            bin.join("action-claim-followthrough"),
            bin.join("action-claim-reminder")
        ]
    );
    assert_eq!(
        detail,
        format!(
            "the plugin's binaries are not installed: {} holds placeholders for \
             action-claim-followthrough, action-claim-reminder, which do nothing",
            bin.display()
        )
    );
    assert!(fix.contains("start a new Claude Code session"), "{fix}");
    assert!(
        fix.contains("`cargo install --locked instar-hooks`"),
        "{fix}"
    );
    assert_eq!(checkout_of(&root), None);

    // Replaced one by one, by rename, as the bootstrap does.
    fs::copy(
        std::env::current_exe().unwrap(),
        bin.join(".new-followthrough"),
    )
    .unwrap();
    fs::rename(
        bin.join(".new-followthrough"),
        bin.join("action-claim-followthrough"),
    )
    .unwrap();
    assert_eq!(
        not_installed(&root).unwrap().placeholders,
        [bin.join("action-claim-reminder")]
    );
    fs::copy(
        std::env::current_exe().unwrap(),
        bin.join("action-claim-reminder"),
    )
    .unwrap();
    assert_eq!(not_installed(&root), None);
    // A missing binary is doctor's own finding, not a placeholder.
    fs::remove_file(bin.join("action-claim-reminder")).unwrap();
    assert_eq!(not_installed(&root), None);
}

#[test]
fn placeholders_run_in_place_from_a_checkout_get_the_development_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let checkout = tmp.path().join("my checkout");
    let root = plugin_with_placeholders(&checkout);
    fs::create_dir_all(checkout.join(".claude-plugin")).unwrap();
    fs::write(checkout.join(".claude-plugin/marketplace.json"), "{}").unwrap();
    fs::create_dir_all(checkout.join("scripts")).unwrap();
    fs::write(checkout.join("scripts/package-plugin"), "").unwrap();
    assert_eq!(checkout_of(&root), None, "not a git working tree yet");
    // A worktree's .git is a file.
    fs::write(checkout.join(".git"), "gitdir: elsewhere\n").unwrap();
    assert_eq!(checkout_of(&root), Some(checkout.clone()));
    let fix = not_installed(&root).unwrap().fix;
    assert!(
        fix.contains(&format!(
            "`cd '{}' && scripts/package-plugin`",
            checkout.display()
        )),
        "{fix}"
    );
    assert!(
        fix.contains(&format!(
            "`claude plugin marketplace remove instar-hooks && claude plugin marketplace add \
             '{}' && claude plugin install instar-hooks@instar-hooks`",
            checkout.join("target").display()
        )),
        "{fix}"
    );
    // This repository is such a checkout.
    assert_eq!(
        checkout_of(&repo().join("plugin")).as_deref(),
        Some(repo()),
        "the bootstrap's rule, which the e2e test relies on"
    );
}
