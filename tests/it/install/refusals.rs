//! Every way the bootstrap cannot install — a tampered archive, a checksum list that disagrees,
//! a truncated download, a 404, no server, a read-only plugin, no download or checksum tool,
//! an unknown platform, a checkout — ends the same: nothing in the plugin changes, exit 0,
//! and one systemMessage saying what is missing and the command that fixes it.

use super::plugin_copy::{Plugin, SHELLS, message, shells, silent};
use super::serve::{Server, url_of_nothing};
use super::{Released, VERSION, released};
use crate::{harness::skip, test_name};
use sha2::{Digest, Sha256};
use std::{
    ffi::OsString,
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

const CARGO_FIX: &str = "Fix: `cargo install --locked instar-hooks`, then start a new session.";

/// A copy of the release with one byte of the archive changed; with `vouch`, its .sha256
/// rewritten to match (a server that was broken into, not a corrupt transfer).
fn tampered(r: &Released, dir: &Path, vouch: bool) -> PathBuf {
    r.copy_to(dir);
    let archive = dir.join(r.archive());
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&archive, &bytes).unwrap();
    if vouch {
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        fs::write(
            dir.join(format!("{}.sha256", r.archive())),
            format!("{hex}  {}\n", r.archive()),
        )
        .unwrap();
    }
    dir.to_path_buf()
}

/// Under every shell, a fresh plugin and `serve`'s release: the message (the same under every
/// shell), after checking that nothing changed.
fn refused(
    serve: impl Fn(&Path) -> (Option<Server>, String),
    setup: impl Fn(&mut Plugin),
) -> (String, Vec<String>) {
    let mut seen: Option<(String, Vec<String>)> = None;
    for shell in SHELLS {
        let mut p = Plugin::new();
        setup(&mut p);
        let tmp = tempfile::tempdir().unwrap();
        let (server, url) = serve(tmp.path());
        let text = message(&p.run(shell, &url));
        assert!(text.ends_with(CARGO_FIX), "{text}");
        p.assert_untouched();
        let requests = server.map(|s| s.requests()).unwrap_or_default();
        let url = url.clone();
        let root = p.root.display().to_string();
        let normalised = (text.replace(&url, "URL").replace(&root, "ROOT"), requests);
        match &seen {
            None => seen = Some(normalised),
            Some(first) => assert_eq!(&normalised, first, "{shell:?} differs"),
        }
    }
    seen.unwrap()
}

#[test]
fn a_tampered_archive_installs_nothing() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let archive = r.archive();
    let (text, requests) = refused(
        |dir| {
            let s = Server::files(&tampered(r, dir, false), None);
            let url = s.url();
            (Some(s), url)
        },
        |_| {},
    );
    assert_eq!(
        text,
        format!(
            "instar-hooks is not active: the download of {archive} does not match its SHA-256 \
             in {archive}.sha256 (a corrupt or altered file), so nothing was installed; each \
             new session tries again. {CARGO_FIX}"
        )
    );
    assert_eq!(
        requests,
        [format!("GET /{archive}.sha256"), format!("GET /{archive}")]
    );
}

#[test]
fn the_plugins_checksum_list_stops_an_archive_the_server_vouches_for() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let archive = r.archive();
    let list = r
        .dist
        .join(format!("instar-hooks-{VERSION}-sha256sums.txt"));
    let (text, requests) = refused(
        |dir| {
            let s = Server::files(&tampered(r, dir, true), None);
            let url = s.url();
            (Some(s), url)
        },
        |p| p.write("sha256sums.txt", fs::read(&list).unwrap()),
    );
    assert!(
        text.contains(&format!(
            "the download of {archive} does not match its SHA-256 in the plugin's sha256sums.txt"
        )),
        "{text}"
    );
    assert_eq!(
        requests,
        [format!("GET /{archive}")],
        "the server's .sha256 is not asked"
    );
}

#[test]
fn a_list_without_this_machines_archive_installs_nothing_and_downloads_nothing() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let (text, requests) = refused(
        |_| {
            let s = Server::files(&r.dist, None);
            let url = s.url();
            (Some(s), url)
        },
        |p| {
            let other = format!(
                "{}  instar-hooks-{VERSION}-aarch64-apple-darwin.tar.gz\n",
                "0".repeat(64)
            );
            p.write("sha256sums.txt", other);
        },
    );
    assert!(
        text.contains(&format!(
            "release {VERSION} has no archive for {} (see ",
            r.target
        )),
        "{text}"
    );
    assert!(requests.is_empty(), "{requests:?}");
}

#[test]
fn a_truncated_a_missing_or_an_unreachable_download_installs_nothing() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let archive = r.archive();
    // Cut off at half its announced length.
    let (text, _) = refused(
        |_| {
            let s = Server::files(&r.dist, Some(&archive));
            let url = s.url();
            (Some(s), url)
        },
        |_| {},
    );
    assert!(
        text.starts_with(&format!(
            "instar-hooks is not active: downloading URL/{archive} failed (curl: (18) "
        )),
        "{text}"
    );
    assert!(text.contains("each new session tries again"), "{text}");
    // Not published.
    let (text, requests) = refused(
        |_| {
            let s = Server::files(&r.dist, None);
            let url = format!("{}/v9.9.9", s.url());
            (Some(s), url)
        },
        |_| {},
    );
    assert!(
        text.starts_with(&format!(
            "instar-hooks is not active: downloading URL/{archive}.sha256 failed (HTTP 404)"
        )),
        "{text}"
    );
    assert_eq!(requests, [format!("GET /v9.9.9/{archive}.sha256")]);
    // Nothing listening.
    let nothing = url_of_nothing();
    let (text, _) = refused(|_| (None, nothing.clone()), |_| {});
    assert!(
        text.contains(&format!(
            "downloading URL/{archive}.sha256 failed (curl: (7) "
        )),
        "{text}"
    );
}

#[test]
fn a_read_only_plugin_directory_installs_nothing() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let p = Plugin::new().without_root_file_access();
    for dir in [p.root.join("bin"), p.root.clone()] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    }
    let dist = Server::files(&r.dist, None);
    let text = message(&p.run(&[], &dist.url()));
    for dir in [p.root.clone(), p.root.join("bin")] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    assert_eq!(
        text,
        format!(
            "instar-hooks is not active: its binaries cannot be installed: {}/bin is not a \
             writable directory. Fix: `chmod -R u+w '{}'`, then start a new session.",
            p.root.display(),
            p.root.display()
        )
    );
    p.assert_untouched();
    assert!(dist.requests().is_empty());
}

/// A directory of links to the programs the bootstrap may run, but for `without`, and the
/// `fakes` (name, sh script): a PATH of exactly those.
fn tools(p: &Plugin, without: &[&str], fakes: &[(&str, &str)]) -> OsString {
    let dir = p.tmp.path().join(format!("tools-{}", without.join("-")));
    fs::create_dir_all(&dir).unwrap();
    let programs = [
        "dash",
        "bash",
        "busybox",
        "uname",
        "mktemp",
        "find",
        "tr",
        "sed",
        "mkdir",
        "rm",
        "cp",
        "chmod",
        "mv",
        "tar",
        "gzip",
        "perl",
        "cat",
        "curl",
        "wget",
        "sha256sum",
        "shasum",
        "openssl",
    ];
    for name in programs.iter().filter(|n| !without.contains(n)) {
        let found = std::env::split_paths(&p.path)
            .map(|d| d.join(name))
            .find(|f| f.is_file());
        if let Some(found) = found {
            std::os::unix::fs::symlink(found, dir.join(name)).unwrap();
        }
    }
    for (name, script) in fakes {
        let _ = fs::remove_file(dir.join(name));
        fs::write(dir.join(name), format!("#!/bin/sh\n{script}\n")).unwrap();
        fs::set_permissions(dir.join(name), fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir.into_os_string()
}

/// Whether `program` is on the plugin's PATH; a skip (a failure under CI) when not.
fn have(test: &str, p: &Plugin, program: &str) -> bool {
    let found = std::env::split_paths(&p.path).any(|d| d.join(program).is_file());
    if !found {
        skip(
            test,
            &format!("{program} not found: that branch of the bootstrap is not run"),
        );
    }
    found
}

#[test]
fn wget_shasum_or_openssl_do_when_curl_or_sha256sum_are_missing_and_nothing_does_without_them() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let dist = Server::files(&r.dist, None);
    let how = format!("{}/{}", dist.url(), r.archive());
    for (without, needs) in [
        (&["curl", "sha256sum", "openssl"][..], ["wget", "shasum"]),
        (&["wget", "sha256sum", "shasum"][..], ["curl", "openssl"]),
    ] {
        let mut p = Plugin::new();
        if !needs.iter().all(|n| have(test_name!(), &p, n)) {
            return;
        }
        p.path = tools(&p, without, &[]);
        silent(&p.run(&["dash"], &dist.url()));
        p.assert_installed(r, &how);
    }
    // Busybox's wget and sha256sum (Alpine's), under busybox's sh.
    let mut p = Plugin::new();
    if !have(test_name!(), &p, "busybox") {
        return;
    }
    let applet = |name: &str| format!("exec busybox {name} \"$@\"");
    let (wget, sha256sum) = (applet("wget"), applet("sha256sum"));
    p.path = tools(
        &p,
        &["curl", "wget", "sha256sum", "shasum", "openssl"],
        &[("wget", &wget), ("sha256sum", &sha256sum)],
    );
    silent(&p.run(&["busybox", "sh"], &dist.url()));
    p.assert_installed(r, &how);
    let mut q = Plugin::new();
    q.path = p.path;
    let text = message(&q.run(&["busybox", "sh"], &format!("{}/v9", dist.url())));
    q.assert_untouched();
    assert!(
        text.contains("failed (wget: server returned error: HTTP/1.1 404"),
        "{text}"
    );
    let mut p = Plugin::new();
    p.path = tools(&p, &["curl", "wget"], &[]);
    let text = message(&p.run(&["dash"], &dist.url()));
    assert!(
        text.contains("downloading its binaries needs curl or wget"),
        "{text}"
    );
    p.assert_untouched();
    let mut p = Plugin::new();
    p.path = tools(&p, &["sha256sum", "shasum", "openssl"], &[]);
    let text = message(&p.run(&["dash"], &dist.url()));
    assert!(
        text.contains("needs sha256sum, shasum or openssl"),
        "{text}"
    );
    p.assert_untouched();
}

#[test]
fn an_unknown_platform_downloads_nothing_and_a_mac_under_rosetta_asks_for_apple_silicon() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let dist = Server::files(&r.dist, None);
    let uname = |s: &str, m: &str| format!("case $1 in -s) echo {s} ;; -m) echo {m} ;; esac");
    let mut p = Plugin::new();
    p.path = tools(&p, &[], &[("uname", &uname("FreeBSD", "riscv64"))]);
    let text = message(&p.run(&["dash"], &dist.url()));
    assert_eq!(
        text,
        format!(
            "instar-hooks is not active: there are no prebuilt binaries for FreeBSD riscv64. {CARGO_FIX}"
        )
    );
    p.assert_untouched();
    assert!(dist.requests().is_empty());
    // macOS (not released by this test's server): the archive it asks for.
    for (translated, target) in [("1", "aarch64-apple-darwin"), ("0", "x86_64-apple-darwin")] {
        let mut p = Plugin::new();
        let fakes = [
            ("uname", uname("Darwin", "x86_64")),
            ("sysctl", format!("echo {translated}")),
        ];
        let fakes: Vec<(&str, &str)> = fakes.iter().map(|(n, s)| (*n, s.as_str())).collect();
        p.path = tools(&p, &[], &fakes);
        let before = dist.requests().len();
        let text = message(&p.run(&["bash", "--posix"], &dist.url()));
        assert!(text.contains("(HTTP 404)"), "{text}");
        assert_eq!(
            dist.requests()[before..],
            [format!(
                "GET /instar-hooks-{VERSION}-{target}.tar.gz.sha256"
            )]
        );
        p.assert_untouched();
    }
}

#[test]
fn run_in_place_from_a_checkout_it_changes_nothing_and_tells_how_to_develop() {
    let Some(_) = released(test_name!()) else {
        return;
    };
    // Quotes and a backslash in the path: the message stays one JSON object.
    let p = Plugin::at("it's a \"checkout\" \\ here/plugin");
    let checkout = p.root.parent().unwrap().to_path_buf();
    fs::create_dir_all(checkout.join(".git")).unwrap();
    fs::create_dir_all(checkout.join(".claude-plugin")).unwrap();
    fs::write(checkout.join(".claude-plugin/marketplace.json"), "{}").unwrap();
    fs::create_dir_all(checkout.join("scripts")).unwrap();
    fs::write(checkout.join("scripts/package-plugin"), "").unwrap();
    let nothing = url_of_nothing();
    for shell in SHELLS {
        let text = message(&p.run(shell, &nothing));
        assert!(
            text.contains(&format!(
                "it runs from the checkout {}, ",
                checkout.display()
            )),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "`cd '{}' && scripts/package-plugin`",
                checkout.display()
            )) && text.contains(&format!(
                "`claude plugin marketplace remove instar-hooks && claude plugin marketplace \
                 add '{}/target' && claude plugin install instar-hooks@instar-hooks`",
                checkout.display()
            )),
            "{text}"
        );
        p.assert_untouched();
    }
    // Not a checkout without .git: then it installs (here: tries to).
    fs::remove_dir_all(checkout.join(".git")).unwrap();
    let text = message(&p.run(&[], &nothing));
    assert!(text.contains("downloading"), "{text}");
}
