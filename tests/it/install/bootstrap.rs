//! The plugin's bootstrap (`plugin/hooks/bootstrap`) under dash (Debian's /bin/sh), `bash
//! --posix` (macOS's /bin/sh) and as Claude Code execs it, in a copy of the plugin, against a
//! release served on loopback: the ways it installs, the fast path, sessions starting at once,
//! the placeholders. The ways it cannot install are in `refusals.rs`.

use super::plugin_copy::{Plugin, SHELLS, shells, silent};
use super::serve::{Server, url_of_nothing};
use super::{Released, VERSION, released, repo};
use crate::{harness::skip, test_name};
use instar_hooks::plugin::install::{is_placeholder, plugin_binaries};
use std::{
    ffi::OsString,
    fs,
    io::Write as _,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

#[test]
fn from_the_release_it_installs_every_binary_once_under_every_shell() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let archive = r.archive();
    for shell in SHELLS {
        let p = Plugin::new();
        let dist = Server::files(&r.dist, None);
        silent(&p.run(shell, &dist.url()));
        p.assert_installed(r, &format!("{}/{archive}", dist.url()));
        assert_eq!(
            dist.requests(),
            [format!("GET /{archive}.sha256"), format!("GET /{archive}")],
            "{shell:?}"
        );
        // Installed: nothing more, not even a request.
        silent(&p.run(shell, &dist.url()));
        assert_eq!(dist.requests().len(), 2, "{shell:?}");
    }
}

#[test]
fn installed_it_starts_no_program_and_opens_no_connection() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    if Command::new("strace").arg("-V").output().is_err() {
        skip(test_name!(), "strace not found");
        return;
    }
    let p = Plugin::new();
    let dist = Server::files(&r.dist, None);
    silent(&p.run(&[], &dist.url()));
    for shell in SHELLS {
        let log = p.tmp.path().join("strace.log");
        let inner = p.command(shell, &dist.url());
        let mut cmd = Command::new("strace");
        cmd.args([
            "-f",
            "-qq",
            "-e",
            "trace=execve,fork,vfork,clone,clone3,connect",
            "-o",
        ])
        .arg(&log)
        .arg("--")
        .arg(inner.get_program())
        .args(inner.get_args())
        .envs(inner.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .current_dir(p.tmp.path());
        for (k, v) in inner.get_envs() {
            if v.is_none() {
                cmd.env_remove(k);
            }
        }
        // Without SHELL (as on a CI runner), bash looks its user up at start-up, and glibc
        // first asks nscd over a local socket. Unset here so every machine takes that path.
        cmd.env_remove("SHELL");
        silent(&Plugin::output(&mut cmd));
        let trace = fs::read_to_string(&log).unwrap();
        let calls: Vec<&str> = trace
            .lines()
            .filter(|l| !l.contains("+++ exited") && !is_shells_own_user_lookup(l))
            .collect();
        assert_eq!(
            calls.len(),
            1,
            "{shell:?}: only the shell's own exec:\n{trace}"
        );
        assert!(calls[0].contains("execve("), "{trace}");
    }
    assert_eq!(dist.requests().len(), 2);
}

/// glibc's name-service cache socket: the shell's lookup of its own user, not the bootstrap's
/// doing, and no network connection.
fn is_shells_own_user_lookup(strace_line: &str) -> bool {
    strace_line.contains("connect(")
        && ["\"/var/run/nscd/socket\"", "\"/run/nscd/socket\""]
            .iter()
            .any(|p| strace_line.contains(&format!("sun_path={p}")))
}

#[test]
fn a_checksum_list_the_plugin_carries_is_used_instead_of_the_published_sha256() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let archive = r.archive();
    for shell in SHELLS {
        let mut p = Plugin::new();
        let list = r
            .dist
            .join(format!("instar-hooks-{VERSION}-sha256sums.txt"));
        p.write("sha256sums.txt", fs::read(list).unwrap());
        let dist = Server::files(&r.dist, None);
        silent(&p.run(shell, &dist.url()));
        p.assert_installed(r, &format!("{}/{archive}", dist.url()));
        assert_eq!(dist.requests(), [format!("GET /{archive}")], "{shell:?}");
    }
}

/// A directory of copies of the released binaries (as `cargo install` leaves them).
fn binaries_dir(r: &Released, dir: &Path) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    for b in plugin_binaries() {
        fs::copy(r.bin_dir.join(b), dir.join(b)).unwrap();
    }
    dir.to_path_buf()
}

fn path_with(first: &Path, rest: &OsString) -> OsString {
    let mut all = vec![first.to_path_buf()];
    all.extend(std::env::split_paths(rest));
    std::env::join_paths(all).unwrap()
}

#[test]
fn this_versions_binaries_on_path_are_installed_without_a_download() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    for shell in SHELLS {
        let mut p = Plugin::new();
        let cargo_bin = binaries_dir(r, &p.tmp.path().join("cargo-bin"));
        p.path = path_with(&cargo_bin, &p.path);
        silent(&p.run(shell, &url_of_nothing()));
        p.assert_installed(r, "path");
    }
}

#[test]
fn binaries_of_another_version_on_path_are_not_used() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let mut p = Plugin::new();
    let old = p.tmp.path().join("old-bin");
    fs::create_dir_all(&old).unwrap();
    for b in plugin_binaries() {
        fs::write(old.join(b), format!("#!/bin/sh\necho '{b} 0.0.1'\n")).unwrap();
        fs::set_permissions(old.join(b), fs::Permissions::from_mode(0o755)).unwrap();
    }
    p.path = path_with(&old, &p.path);
    let dist = Server::files(&r.dist, None);
    silent(&p.run(&[], &dist.url()));
    p.assert_installed(r, &format!("{}/{}", dist.url(), r.archive()));
    assert_eq!(dist.requests().len(), 2);
}

#[test]
fn sessions_starting_at_once_each_see_a_whole_placeholder_or_a_whole_binary() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    if !shells(test_name!()) {
        return;
    }
    let p = Plugin::new();
    let dist = Server::files(&r.dist, None);
    let hooks: Vec<(PathBuf, Vec<u8>, Vec<u8>)> = instar_hooks::settings::binaries()
        .iter()
        .map(|b| {
            let path = p.root.join("bin").join(b);
            let placeholder = fs::read(&path).unwrap();
            (path, placeholder, fs::read(r.bin_dir.join(b)).unwrap())
        })
        .collect();
    let done = AtomicBool::new(false);
    let (outputs, reads) = std::thread::scope(|scope| {
        // What a Stop or UserPromptSubmit hook would exec meanwhile, read again and again.
        let watcher = scope.spawn(|| {
            let mut reads = 0;
            while !done.load(Ordering::SeqCst) {
                for (path, placeholder, binary) in &hooks {
                    let now = fs::read(path).unwrap();
                    assert!(
                        now == *placeholder || now == *binary,
                        "{} is neither the placeholder nor the binary ({} bytes)",
                        path.display(),
                        now.len()
                    );
                    reads += 1;
                }
            }
            reads
        });
        let sessions: Vec<_> = (0..4)
            .map(|i| {
                let shell = SHELLS[i % SHELLS.len()];
                let mut cmd = p.command(shell, &dist.url());
                scope.spawn(move || Plugin::output(&mut cmd))
            })
            .collect();
        let outputs: Vec<Output> = sessions.into_iter().map(|s| s.join().unwrap()).collect();
        done.store(true, Ordering::SeqCst);
        (outputs, watcher.join().unwrap())
    });
    for out in &outputs {
        silent(out);
    }
    assert!(reads > 0);
    p.assert_installed(r, &format!("{}/{}", dist.url(), r.archive()));
    // Every session that found nothing installed downloaded once.
    let n = dist.requests().len();
    assert!(
        n.is_multiple_of(2) && (2..=8).contains(&n),
        "{:?}",
        dist.requests()
    );
}

#[test]
fn leftovers_of_a_killed_bootstrap_go_after_an_hour() {
    let Some(r) = released(test_name!()) else {
        return;
    };
    let p = Plugin::new();
    let (old, recent) = (
        p.root.join(".bootstrap.old123"),
        p.root.join(".bootstrap.new456"),
    );
    for d in [&old, &recent] {
        fs::create_dir_all(d.join("x")).unwrap();
        fs::write(d.join("x/partial"), "half").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    fs::File::open(&old)
        .unwrap()
        .set_modified(two_hours_ago)
        .unwrap();
    let dist = Server::files(&r.dist, None);
    silent(&p.run(&[], &dist.url()));
    assert!(!old.exists(), "an hour old: removed");
    assert!(recent.exists(), "possibly another session's: kept");
}

#[test]
fn the_hook_placeholders_read_all_their_input_silently_and_the_cli_one_says_what_to_do() {
    let big = vec![b'x'; 1 << 20];
    for b in instar_hooks::settings::binaries() {
        let path = repo().join("plugin/bin").join(b);
        assert!(is_placeholder(&path));
        let mut child = Command::new(&path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // More than a pipe holds: a placeholder that did not read would fail this write.
        child.stdin.take().unwrap().write_all(&big).unwrap();
        silent(&child.wait_with_output().unwrap());
    }
    let out = Command::new(repo().join("plugin/bin/instar-hooks"))
        .args(["commitments", "list"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the plugin's binaries are not installed yet")
            && stderr.contains("`cargo install --locked instar-hooks`")
            && stderr.contains(&repo().join("plugin/bin").display().to_string()),
        "{stderr}"
    );
}

#[test]
fn shellcheck_finds_nothing_in_the_bootstrap_and_the_placeholders() {
    let Ok(version) = Command::new("shellcheck").arg("--version").output() else {
        skip(test_name!(), "shellcheck not found");
        return;
    };
    assert!(version.status.success());
    let mut cmd = Command::new("shellcheck");
    cmd.args(["--shell=sh", "--severity=style"])
        .arg(repo().join("plugin/hooks/bootstrap"));
    for b in plugin_binaries() {
        cmd.arg(repo().join("plugin/bin").join(b));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
