//! The plugin package `scripts/package-plugin` builds: every file with its mode, in the
//! directory and the zip; packaging again changes nothing; and the script itself, on a copy of
//! a checkout with stand-in binaries, removing what does not belong and refusing versions that
//! disagree.

use crate::{
    harness::{copy_tree, skip, walk},
    packaged::{package_plugin, packaged_plugin, release_bin_dir, repo},
    test_name,
};
use serde_json::Value;
use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::Command,
};

/// Whether python3, which the package script needs, runs here. When it does not, the test
/// is skipped, which is a failure under `CI=true`.
fn python3(test: &str) -> bool {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        skip(test, "python3 not found (scripts/package-plugin needs it)");
    }
    found
}

/// Every entry of a zip with its Unix mode, read by Python's zipfile (not by our script).
fn zip_modes(zip: &Path) -> Vec<(String, u32)> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile\n\
             for i in zipfile.ZipFile(sys.argv[1]).infolist():\n\
             \x20   print(f'{(i.external_attr >> 16) & 0o7777:o} {i.filename}')",
        ])
        .arg(zip)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (mode, name) = l.split_once(' ').unwrap();
            (name.to_string(), u32::from_str_radix(mode, 8).unwrap())
        })
        .collect()
}

/// The files of the plugin, with their modes, in name order: the committed plugin/ with the
/// release binaries in place of its placeholders, and the bootstrap's record that they are.
fn expected_files() -> Vec<(String, u32)> {
    let mut want: Vec<(String, u32)> = [
        ".claude-plugin/plugin.json",
        "hooks/hooks.json",
        "README.md",
        "LICENSE",
        ".installed",
    ]
    .iter()
    .map(|f| (f.to_string(), 0o644))
    .collect();
    want.push(("hooks/bootstrap".to_string(), 0o755));
    for bin in instar_hooks::plugin::install::plugin_binaries() {
        want.push((format!("bin/{bin}"), 0o755));
    }
    want.sort();
    want
}

/// Every file under `dir` with its mode, in name order.
fn tree_modes(dir: &Path) -> Vec<(String, u32)> {
    walk(dir)
        .into_iter()
        .map(|(rel, meta)| (rel, meta.permissions().mode() & 0o7777))
        .collect()
}

#[test]
fn the_package_has_every_file_with_its_mode_and_the_zip_keeps_them() {
    if !python3(test_name!()) {
        return;
    }
    let p = packaged_plugin();
    assert_eq!(tree_modes(&p.dir), expected_files());
    let mut zipped = zip_modes(&p.zip);
    zipped.sort();
    assert_eq!(
        zipped,
        expected_files(),
        "a zip without 755 silently does nothing"
    );
    // The committed sources, as they are; the binaries are this build's release binaries.
    for (src, rel) in [
        (
            "plugin/.claude-plugin/plugin.json",
            ".claude-plugin/plugin.json",
        ),
        ("plugin/hooks/hooks.json", "hooks/hooks.json"),
        ("plugin/hooks/bootstrap", "hooks/bootstrap"),
        ("plugin/README.md", "README.md"),
        ("plugin/LICENSE", "LICENSE"),
    ] {
        assert_eq!(
            fs::read(repo().join(src)).unwrap(),
            fs::read(p.dir.join(rel)).unwrap(),
            "{rel}"
        );
    }
    let out = Command::new(p.dir.join("bin/instar-hooks"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("instar-hooks {}\n", env!("CARGO_PKG_VERSION"))
    );
    // The bootstrap's record: this version is installed, so it does nothing here.
    let installed = fs::read_to_string(p.dir.join(".installed")).unwrap();
    assert!(
        installed.starts_with(&format!("{} ", env!("CARGO_PKG_VERSION")))
            && installed.ends_with(" package-plugin\n"),
        "{installed:?}"
    );
    // target/ is a local marketplace listing it, named as the repository's.
    let market: Value = serde_json::from_str(
        &fs::read_to_string(repo().join("target/.claude-plugin/marketplace.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(market["name"], "instar-hooks");
    assert_eq!(market["plugins"][0]["source"], "./plugin");
    assert_eq!(p.dir, repo().join("target").join("plugin"));
}

#[test]
fn packaging_again_changes_nothing() {
    if !python3(test_name!()) {
        return;
    }
    let p = packaged_plugin();
    let stamp = |path: &Path| {
        let m = fs::metadata(path).unwrap();
        (
            m.modified().unwrap(),
            std::os::unix::fs::MetadataExt::ino(&m),
        )
    };
    let files: Vec<PathBuf> = expected_files()
        .into_iter()
        .map(|(rel, _)| p.dir.join(rel))
        .collect();
    let before: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    let zip_before = fs::read(&p.zip).unwrap();
    let out = package_plugin(repo(), release_bin_dir().as_deref());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("plugin:  {}", p.dir.display())),
        "{stdout}"
    );
    assert!(
        stdout.contains("755  bin/action-claim-followthrough"),
        "{stdout}"
    );
    let after: Vec<_> = files.iter().map(|f| stamp(f)).collect();
    assert_eq!(before, after, "no file was rewritten");
    assert!(
        fs::read(&p.zip).unwrap() == zip_before,
        "the zip is byte for byte the same"
    );
}

/// A copy of what `scripts/package-plugin` reads from a checkout, and a directory of
/// stand-in binaries, so the script's own logic runs in seconds: (the temp dir, the
/// checkout, the binaries). `None` when `test` is skipped (no python3).
fn script_checkout(test: &str) -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    if !python3(test) {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("checkout");
    for dir in ["plugin", ".claude-plugin"] {
        copy_tree(&repo().join(dir), &root.join(dir));
    }
    fs::create_dir_all(root.join("scripts")).unwrap();
    for file in ["Cargo.toml", "LICENSE", "scripts/package-plugin"] {
        fs::copy(repo().join(file), root.join(file)).unwrap();
    }
    let bins = tmp.path().join("bins");
    fs::create_dir_all(&bins).unwrap();
    for (name, _) in expected_files() {
        if let Some(bin) = name.strip_prefix("bin/").filter(|b| !b.starts_with('.')) {
            fs::write(bins.join(bin), format!("#!/bin/sh\necho {bin}\n")).unwrap();
            // Built binaries are 755 already; the script must not rely on it.
            fs::set_permissions(bins.join(bin), fs::Permissions::from_mode(0o600)).unwrap();
        }
    }
    Some((tmp, root, bins))
}

#[test]
fn the_script_packages_a_fresh_checkout_and_removes_what_does_not_belong() {
    let Some((_tmp, root, bins)) = script_checkout(test_name!()) else {
        return;
    };
    // Left over from an older layout: goes.
    let stale = root.join("target/plugin/bin/old-hook");
    fs::create_dir_all(stale.parent().unwrap()).unwrap();
    fs::write(&stale, "old").unwrap();
    let out = package_plugin(&root, Some(&bins));
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(tree_modes(&root.join("target/plugin")), expected_files());
    let mut zipped = zip_modes(&root.join("target/instar-hooks-plugin.zip"));
    zipped.sort();
    assert_eq!(zipped, expected_files());
    assert_eq!(
        fs::read_to_string(root.join("target/plugin/bin/instar-hooks")).unwrap(),
        "#!/bin/sh\necho instar-hooks\n"
    );
}

#[test]
fn the_script_refuses_versions_that_disagree_and_builds_nothing() {
    let Some((_tmp, root, bins)) = script_checkout(test_name!()) else {
        return;
    };
    let manifest = root.join("plugin/.claude-plugin/plugin.json");
    let text = fs::read_to_string(&manifest).unwrap().replace(
        &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"version\": \"9.9.9\"",
    );
    fs::write(&manifest, text).unwrap();
    let out = package_plugin(&root, Some(&bins));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("plugin/.claude-plugin/plugin.json has version '9.9.9'"),
        "{stderr}"
    );
    assert!(!root.join("target/plugin").exists());
}
