//! The plugin from the repository's Git URL, with no Rust, end to end with the real Claude
//! Code CLI: a bare clone of this checkout's HEAD served over smart HTTP on loopback, added as
//! a marketplace in a fresh HOME whose PATH has no cargo, rustc or binary of ours, the plugin
//! installed, and real turns against the fake Anthropic API with the release served from
//! `target/dist/` — as published, tampered with, or not at all.

// Shared with the `it` target's install tests.
#[allow(dead_code)]
#[path = "../it/install/serve.rs"]
mod serve;
#[allow(dead_code)]
#[path = "../it/install/support.rs"]
mod support;

// A fresh HOME where the plugin was installed from the Git URL, and its turns.
mod git_install;

use crate::{claude::needs_claude, harness::walk};
use git_install::GitInstall;
use instar_hooks::plugin::install::{is_placeholder, plugin_binaries};
use libtest_mimic::Trial;
use serve::{Server, url_of_nothing};
use std::fs;
use support::{VERSION, contents, released};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        from_the_git_url_with_no_rust_the_first_session_installs_the_binaries_and_records_the_promise,
        a_tampered_archive_installs_nothing_and_the_user_is_told,
        with_the_release_server_down_nothing_is_installed_and_the_user_is_told,
    ]
}

fn from_the_git_url_with_no_rust_the_first_session_installs_the_binaries_and_records_the_promise() {
    let released = released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    // As installed: placeholders only, nothing of a build.
    for b in plugin_binaries() {
        assert!(is_placeholder(&s.root.join("bin").join(b)), "{b}");
    }
    assert!(!s.root.join(".installed").exists());
    let dist = Server::files(&released.dist, None);

    let lines = s.turn(&dist.url());
    assert_eq!(GitInstall::bootstrap_message(&lines), None);
    GitInstall::assert_stop_ran_cleanly(&lines);
    let archive = released.archive();
    assert_eq!(
        dist.requests(),
        [format!("GET /{archive}.sha256"), format!("GET /{archive}")],
        "the plugin carries no list for an unreleased version: the published .sha256, then \
         the archive, once"
    );
    for b in plugin_binaries() {
        assert_eq!(
            fs::read(s.root.join("bin").join(b)).unwrap(),
            fs::read(released.bin_dir.join(b)).unwrap(),
            "{b} is the released binary"
        );
    }
    assert_eq!(
        fs::read_to_string(s.root.join(".installed")).unwrap(),
        format!("{VERSION} {} {}/{archive}\n", released.target, dist.url())
    );
    // The Stop hook of that very session was the native binary.
    let c = s.commitments();
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0]["verb"], "restart");
    assert_eq!(c[0]["message"], "Restarting the worker now.");

    // The next session: nothing to do, no network; its Stop hook (native) records its own
    // promise (another session, so another commitment).
    let lines = s.turn(&dist.url());
    assert_eq!(GitInstall::bootstrap_message(&lines), None);
    GitInstall::assert_stop_ran_cleanly(&lines);
    assert_eq!(dist.requests().len(), 2, "no second download");
    assert_eq!(s.commitments().len(), 2);
    let leftovers: Vec<String> = walk(&s.root)
        .into_iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.starts_with(".bootstrap"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// One session whose bootstrap cannot install: the session runs, the Stop hook is the silent
/// placeholder, the user is shown the message (which it returns), nothing changes.
fn a_session_that_cannot_install(s: &GitInstall, release_url: &str) -> String {
    let committed = contents(&s.root);
    let lines = s.turn(release_url);
    let message = GitInstall::bootstrap_message(&lines).expect("a message for the user");
    assert!(
        message.starts_with("instar-hooks is not active: "),
        "{message}"
    );
    assert!(
        message.ends_with("Fix: `cargo install --locked instar-hooks`, then start a new session."),
        "{message}"
    );
    GitInstall::assert_stop_ran_cleanly(&lines);
    s.assert_nothing_installed(&committed);
    message
}

fn a_tampered_archive_installs_nothing_and_the_user_is_told() {
    let released = released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    let tmp = tempfile::tempdir().unwrap();
    released.copy_to(tmp.path());
    let archive = tmp.path().join(released.archive());
    let mut bytes = fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&archive, bytes).unwrap();
    let dist = Server::files(tmp.path(), None);
    let message = a_session_that_cannot_install(&s, &dist.url());
    assert!(
        message.contains(&format!(
            "the download of {} does not match its SHA-256 in {}.sha256",
            released.archive(),
            released.archive()
        )),
        "{message}"
    );
}

fn with_the_release_server_down_nothing_is_installed_and_the_user_is_told() {
    released("install").expect("python3 is there: Claude Code's tests need it");
    let s = GitInstall::new("install");
    let nowhere = url_of_nothing();
    let message = a_session_that_cannot_install(&s, &nowhere);
    assert!(
        message.contains(&format!("downloading {nowhere}/")),
        "{message}"
    );
    assert!(
        message.contains("each new session tries again"),
        "{message}"
    );
}
