//! `scripts/release`: what the archive holds, that it is reproducible, the checksum files,
//! and what it refuses. Run in a copy of what the script reads from a checkout, packaging the
//! release binaries `scripts/test` built, so nothing is built here.

use super::{VERSION, released, repo};
use crate::test_name;
use sha2::{Digest, Sha256};
use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

/// A copy of the files `scripts/release` reads (no git: the time stamps come from
/// SOURCE_DATE_EPOCH).
fn checkout() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("checkout");
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE",
        "scripts/release",
        "benches/noop/Cargo.toml",
    ] {
        fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
        fs::copy(repo().join(f), root.join(f)).unwrap();
    }
    (tmp, root)
}

fn release(root: &Path, bin_dir: &Path, args: &[&str]) -> Output {
    Command::new(root.join("scripts/release"))
        .args(args)
        .current_dir(root)
        .env("INSTAR_HOOKS_BIN_DIR", bin_dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap()
}

#[track_caller]
fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn sha256_hex(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `tar -tvzf`: (mode string, owner, name) of every entry, read by tar, not by our script.
fn entries(archive: &Path) -> Vec<(String, String, String)> {
    let out = Command::new("tar")
        .arg("-tvzf")
        .arg(archive)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f[f.len() - 1].to_string(),
            )
        })
        .collect()
}

#[test]
fn the_archive_holds_every_binary_the_readme_and_the_license_with_their_sha256() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let archive = r.dist.join(r.archive());
    let top = format!("instar-hooks-{VERSION}-{}", r.target);
    let mut want = vec![(
        "drwxr-xr-x".to_string(),
        "0/0".to_string(),
        format!("{top}/"),
    )];
    for (mode, name) in [
        ("-rw-r--r--", "LICENSE"),
        ("-rw-r--r--", "README.md"),
        ("-rwxr-xr-x", "action-claim-followthrough"),
        ("-rwxr-xr-x", "action-claim-reminder"),
        ("-rwxr-xr-x", "instar-hooks"),
        ("-rwxr-xr-x", "instar-migrate"),
    ] {
        want.push((mode.into(), "0/0".into(), format!("{top}/{name}")));
    }
    assert_eq!(entries(&archive), want);
    let line = format!("{}  {}\n", sha256_hex(&archive), r.archive());
    assert_eq!(
        fs::read_to_string(r.dist.join(format!("{}.sha256", r.archive()))).unwrap(),
        line
    );
    let list = fs::read_to_string(
        r.dist
            .join(format!("instar-hooks-{VERSION}-sha256sums.txt")),
    )
    .unwrap();
    assert!(list.lines().any(|l| format!("{l}\n") == line), "{list}");
}

#[test]
fn the_same_binaries_give_the_same_archive_and_other_targets_join_the_list() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let (_tmp, root) = checkout();
    let dist = root.join("target/dist");
    let stdout = succeeded(&release(&root, &r.bin_dir, &[]));
    assert!(stdout.contains(&r.archive()), "{stdout}");
    let first = fs::read(dist.join(r.archive())).unwrap();
    succeeded(&release(&root, &r.bin_dir, &[&r.target]));
    assert!(
        fs::read(dist.join(r.archive())).unwrap() == first,
        "byte for byte the same archive"
    );
    // Another target, packaged from binaries built for it (here this machine's, which are
    // static ELF too; they are not run, as they could not be on another machine).
    let other = if r.target.starts_with("x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    succeeded(&release(&root, &r.bin_dir, &[other]));
    let names = [
        format!("instar-hooks-{VERSION}-{other}.tar.gz"),
        r.archive(),
    ];
    let mut sorted = names.clone();
    sorted.sort();
    let list =
        fs::read_to_string(dist.join(format!("instar-hooks-{VERSION}-sha256sums.txt"))).unwrap();
    let want: String = sorted
        .iter()
        .map(|n| format!("{}  {n}\n", sha256_hex(&dist.join(n))))
        .collect();
    assert_eq!(list, want);

    // --checksums checks every archive against its .sha256 before it lists them.
    fs::write(dist.join(&names[0]), b"not the archive").unwrap();
    let out = release(&root, &r.bin_dir, &["--checksums"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("release: {}.sha256 says ", names[0]))
            && stderr.contains("but the archive's SHA-256 is"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(dist.join(format!("instar-hooks-{VERSION}-sha256sums.txt"))).unwrap(),
        want,
        "the list is not rewritten"
    );
}

#[test]
fn a_binary_that_needs_a_dynamic_loader_or_bad_usage_writes_nothing() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !r.target.contains("-linux-") {
        return; // the static check is Linux's
    }
    let (tmp, root) = checkout();
    // The test binary itself: a dynamically linked (PIE) executable.
    let dynamic = tmp.path().join("dynamic");
    fs::create_dir_all(&dynamic).unwrap();
    for b in instar_hooks::plugin::install::plugin_binaries().chain(["instar-migrate"]) {
        fs::copy(std::env::current_exe().unwrap(), dynamic.join(b)).unwrap();
    }
    let out = release(&root, &dynamic, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a static ELF executable"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for args in [&["--bogus"][..], &["a", "b"]] {
        assert_eq!(
            release(&root, &r.bin_dir, args).status.code(),
            Some(2),
            "{args:?}"
        );
    }
    let dist = root.join("target/dist");
    let written: Vec<_> = fs::read_dir(&dist)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}
