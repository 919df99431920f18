//! A copy of the plugin to run the bootstrap in, as Claude Code runs it (exec form,
//! `CLAUDE_PLUGIN_ROOT` set, SessionStart JSON on stdin) or under a given shell, and what a
//! run must look like: silent, or one systemMessage.

use super::{Released, VERSION, contents, isolated, path_without_rust, repo};
use crate::harness::{copy_tree, skip, walk};
use instar_hooks::plugin::install::plugin_binaries;
use std::{
    ffi::OsString,
    fs,
    io::Write as _,
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::PathBuf,
    process::{Command, Output, Stdio},
    time::{Duration, Instant},
};

/// How the bootstrap is run: as Claude Code does (exec, `#!/bin/sh`), then explicitly under
/// each shell it must support: dash (Debian's /bin/sh), bash in POSIX mode (macOS's /bin/sh),
/// posh (Debian's strictly POSIX shell: no extension slips through) and busybox's (Alpine).
pub(super) const SHELLS: [&[&str]; 5] = [
    &[],
    &["dash"],
    &["bash", "--posix"],
    &["posh"],
    &["busybox", "sh"],
];

/// What Claude Code writes on the bootstrap's stdin.
const SESSION_START: &str = r#"{"session_id":"s","transcript_path":"/nonexistent.jsonl","cwd":"/","hook_event_name":"SessionStart","source":"startup"}"#;

/// Whether every shell of [`SHELLS`] runs here; a skip (a failure under CI) when not.
pub(super) fn shells(test: &str) -> bool {
    for shell in SHELLS.iter().filter(|s| !s.is_empty()) {
        let sh = shell.join(" ");
        let runs = Command::new(shell[0])
            .args(&shell[1..])
            .args(["-c", "exit 0"])
            .status()
            .is_ok_and(|s| s.success());
        if !runs {
            skip(
                test,
                &format!("{sh} not found: the bootstrap must be tested under it"),
            );
            return false;
        }
    }
    true
}

/// A copy of the working tree's plugin/ in a temp dir (without a checksum list: tests that
/// want one write it), and how to run its bootstrap.
pub(super) struct Plugin {
    pub(super) tmp: tempfile::TempDir,
    pub(super) root: PathBuf,
    committed: Vec<(String, Vec<u8>)>,
    /// The PATH the bootstrap gets.
    pub(super) path: OsString,
    drop_file_access: bool,
}

impl Plugin {
    pub(super) fn new() -> Plugin {
        Plugin::at("plugin")
    }

    /// The plugin at `rel` under the temp dir.
    pub(super) fn at(rel: &str) -> Plugin {
        let tmp = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(tmp.path()).unwrap().join(rel);
        copy_tree(&repo().join("plugin"), &root);
        let _ = fs::remove_file(root.join("sha256sums.txt"));
        fs::create_dir_all(tmp.path().join("home")).unwrap();
        let committed = contents(&root);
        Plugin {
            tmp,
            root,
            committed,
            path: path_without_rust(),
            drop_file_access: false,
        }
    }

    /// Writes `rel` in the plugin, as if it were committed.
    pub(super) fn write(&mut self, rel: &str, content: impl AsRef<[u8]>) {
        fs::write(self.root.join(rel), content).unwrap();
        self.committed = contents(&self.root);
    }

    /// Runs the bootstrap without root's power to write anywhere (when root), as a user is.
    pub(super) fn without_root_file_access(mut self) -> Plugin {
        self.drop_file_access = true;
        self
    }

    /// The bootstrap as `shell` runs it (see [`SHELLS`]), with the release at `url`.
    pub(super) fn command(&self, shell: &[&str], url: &str) -> Command {
        let script = self.root.join("hooks/bootstrap");
        let mut cmd = match shell.split_first() {
            None => Command::new(&script),
            Some((sh, args)) => {
                let mut c = Command::new(sh);
                c.args(args).arg(&script);
                c
            }
        };
        isolated(&mut cmd, &self.tmp.path().join("home"))
            .env("CLAUDE_PLUGIN_ROOT", &self.root)
            .env("INSTAR_HOOKS_RELEASE_URL", url)
            .env("PATH", &self.path)
            .current_dir(self.tmp.path());
        if self.drop_file_access && crate::harness::is_root() {
            // SAFETY: prctl is async-signal-safe, and the closure touches no shared state.
            unsafe {
                cmd.pre_exec(|| {
                    // CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: out of the bounding set before exec.
                    for cap in [1, 2] {
                        if libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                            return Err(std::io::Error::last_os_error());
                        }
                    }
                    Ok(())
                })
            };
        }
        cmd
    }

    /// Runs `cmd` with the SessionStart JSON on stdin, for at most two minutes.
    pub(super) fn output(cmd: &mut Command) -> Output {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(SESSION_START.as_bytes());
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("{cmd:?} still running after 120 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.wait_with_output().unwrap()
    }

    pub(super) fn run(&self, shell: &[&str], url: &str) -> Output {
        Plugin::output(&mut self.command(shell, url))
    }

    /// Nothing in the plugin changed: the placeholders are in place, nothing was added.
    pub(super) fn assert_untouched(&self) {
        assert!(
            contents(&self.root) == self.committed,
            "{:#?}",
            self.files()
        );
    }

    fn files(&self) -> Vec<String> {
        walk(&self.root).into_iter().map(|(rel, _)| rel).collect()
    }

    /// Every binary is the released one, the record says `how`, and nothing else changed.
    pub(super) fn assert_installed(&self, r: &Released, how: &str) {
        let bins: Vec<String> = plugin_binaries().map(|b| format!("bin/{b}")).collect();
        for b in plugin_binaries() {
            let path = self.root.join("bin").join(b);
            assert!(
                fs::read(&path).unwrap() == fs::read(r.bin_dir.join(b)).unwrap(),
                "{} is not the released binary",
                path.display()
            );
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o755
            );
        }
        assert_eq!(
            fs::read_to_string(self.root.join(".installed")).unwrap(),
            format!("{VERSION} {} {how}\n", r.target)
        );
        let rest = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
            files
                .into_iter()
                .filter(|(rel, _)| !bins.contains(rel) && rel != ".installed")
                .collect()
        };
        assert!(
            rest(contents(&self.root)) == rest(self.committed.clone()),
            "only bin/ and .installed change: {:#?}",
            self.files()
        );
    }
}

/// The bootstrap did its work silently: exit 0, nothing on stdout (which Claude Code would
/// add to the model's context at SessionStart) or stderr.
#[track_caller]
pub(super) fn silent(out: &Output) {
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).as_ref(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(0), "", ""),
    );
}

/// The bootstrap printed one JSON object holding only a systemMessage, and exited 0: the
/// message.
#[track_caller]
pub(super) fn message(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (Some(0), ""),
        "stdout: {stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    let obj = v.as_object().unwrap();
    assert_eq!(
        obj.keys().collect::<Vec<_>>(),
        ["systemMessage"],
        "{stdout}"
    );
    let text = obj["systemMessage"].as_str().unwrap().to_string();
    assert!(text.starts_with("instar-hooks is not active: "), "{text}");
    text
}
