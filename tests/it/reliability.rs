//! What the hooks promise under bad input and faults: exit 0 with nothing on stdout, within
//! a bounded time and memory, and the store stays valid whatever happens.

use crate::harness::{HOOKS, MIGRATE, Project, RUN_BOUND, is_root, skip};
use crate::test_name;
use std::{
    fs,
    io::Write,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    process::{Child, Command, Output},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

/// Waits for `child` at most `limit` (the test fails, and the child is killed, if it runs
/// over) and returns its output.
fn wait_bounded(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} ran over {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().unwrap()
}

fn open_commitment(p: &Project) {
    p.stop("I'll restart the server.").run().silent_success();
    assert_eq!(p.commitments().len(), 1);
}

#[test]
fn any_transcript_path_is_survived_in_bounded_time() {
    let p = Project::enabled();
    open_commitment(&p);
    let dir = p.root().join("transcripts");
    fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Mode 000: unreadable for anyone but root, so the hooks run without root's file access
    // (`without_root_file_access`) and the log must show the read failing.
    let unreadable = dir.join("unreadable.jsonl");
    fs::write(&unreadable, "{}\n").unwrap();
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000)).unwrap();
    let huge = dir.join("huge.jsonl");
    let line = format!(
        "{}\n",
        serde_json::json!({"type": "assistant", "message": {"content": [{"type": "text", "text": "x".repeat(4000)}]}})
    );
    let mut f = fs::File::create(&huge).unwrap();
    for _ in 0..(60 * 1024 * 1024 / line.len()) {
        f.write_all(line.as_bytes()).unwrap();
    }
    for (name, path) in [
        ("missing", dir.join("nope.jsonl")),
        ("a directory", dir.clone()),
        ("a FIFO", fifo),
        ("unreadable", unreadable.clone()),
        ("60 MB", huge),
    ] {
        for hook in HOOKS {
            for message in [None, Some("Here is the summary.")] {
                let mut input = serde_json::json!({"session_id": "11111111-2222-3333-4444-555555555555", "transcript_path": path});
                if let Some(m) = message {
                    input["last_assistant_message"] = m.into();
                }
                let child = p
                    .run(hook)
                    .stdin_json(input)
                    .without_root_file_access()
                    .spawn();
                let what = format!("{hook} with a transcript that is {name}");
                let out = wait_bounded(child, RUN_BOUND, &what);
                assert_eq!(
                    (out.status.code(), out.stdout.as_slice()),
                    (Some(0), &b""[..]),
                    "{what}"
                );
            }
        }
    }
    assert_eq!(p.commitments().len(), 1, "nothing recorded or lost");
    // The Stop hook looked for evidence of the open commitment in each transcript: the
    // unreadable one really was unreadable to it (as root too).
    let refused = format!(
        "evidence: cannot read {}: Permission denied",
        unreadable.display()
    );
    assert!(
        p.hook_log().contains(&refused),
        "no {refused:?} in the log (root: {}):\n{}",
        is_root(),
        p.hook_log()
    );
}

/// Runs `hook` with 100 MiB on stdin through a small python3 parent, which reports the
/// hook's own peak RSS (`os.wait4`). Measuring from this test process would not work: a
/// child spawned from a large process inherits its high-water RSS across `exec`.
const MEASURE: &str = "import os, subprocess, sys\n\
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n\
_, status, usage = os.wait4(p.pid, 0)\n\
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n";

/// A FIFO where a config file, the store, the log or the run status belongs: opening one would
/// wait for the other end forever. Every file a hook opens is opened without blocking and only
/// used when it is a regular file.
#[test]
fn a_fifo_where_a_hook_reads_or_writes_never_hangs_it() {
    let mkfifo = |path: &Path| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let _ = fs::remove_file(path);
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    for (name, rel) in [
        ("project config", ".instar/config.json"),
        ("user config", "config/instar-hooks/config.json"),
        ("store", ".instar/instar-hooks/commitments.json"),
        // Written, not read: opening a FIFO for writing waits for a reader.
        ("log", ".instar/instar-hooks/logs/hooks.log"),
        (
            "run status",
            ".instar/instar-hooks/status/action-claim-followthrough.last-run",
        ),
    ] {
        let p = Project::enabled();
        let path = match rel.strip_prefix("config/") {
            Some(_) => p.root().join(rel),
            None => p.path().join(rel),
        };
        mkfifo(&path);
        for hook in HOOKS {
            let child = p
                .run(hook)
                .stdin_json(serde_json::json!({
                    "session_id": "11111111-2222-3333-4444-555555555555",
                    "last_assistant_message": "I'll restart the server.",
                    "prompt": "hi",
                }))
                .spawn();
            let what = format!("{hook} with a FIFO as the {name}");
            let out = wait_bounded(child, RUN_BOUND, &what);
            assert_eq!(
                (out.status.code(), out.stdout.as_slice()),
                (Some(0), &b""[..]),
                "{what}"
            );
        }
    }
}

#[test]
fn a_100_mb_stdin_takes_bounded_time_and_memory() {
    let p = Project::enabled();
    for hook in HOOKS {
        let start = Instant::now();
        let child = p
            .run("python3")
            .args(&["-c", MEASURE, hook])
            .spawn_with_stdin(|stdin| {
                let chunk = vec![b'a'; 1024 * 1024];
                for _ in 0..100 {
                    if stdin.write_all(&chunk).is_err() {
                        break;
                    }
                }
            });
        let out = wait_bounded(child, RUN_BOUND, hook);
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<u64> = text
            .split_whitespace()
            .map(|f| f.parse().unwrap())
            .collect();
        assert_eq!(fields[0], 0, "{hook} exit code");
        // 4 MiB of stdin are kept; the rest is drained through a 64 KiB buffer. The figure
        // includes what python3 itself had when it started the hook (about 10 MiB).
        assert!(fields[1] < 32 * 1024, "{hook}: peak RSS {} KiB", fields[1]);
        eprintln!(
            "{hook}: 100 MiB stdin in {:?}, peak RSS {} KiB",
            start.elapsed(),
            fields[1]
        );
    }
}

/// A tmpfs of `size` mounted at `dir` for the test's lifetime (needs root), or why it could
/// not be mounted.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed ({}, root: {}): {}",
                out.status,
                is_root(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs(dir.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = |args: &[&str]| {
            Command::new("umount")
                .args(args)
                .arg(&self.0)
                .status()
                .is_ok_and(|s| s.success())
        };
        // Lazily if it is busy, and said aloud if even that fails: a mount left behind
        // outlives the test run.
        if !unmounted(&[]) && !unmounted(&["-l"]) {
            let _ = writeln!(
                std::io::stderr(),
                "WARNING: could not unmount the test tmpfs at {}",
                self.0.display()
            );
        }
    }
}

fn fill(dir: &Path) {
    let mut f = fs::File::create(dir.join("filler")).unwrap();
    let chunk = [0u8; 4096];
    while f.write_all(&chunk).is_ok() {}
}

#[test]
fn a_full_filesystem_loses_no_record_and_breaks_nothing() {
    let p = Project::enabled();
    open_commitment(&p);
    let before = fs::read(p.state().join("commitments.json")).unwrap();
    // A real full disk when the machine lets us mount one: the state directory on a tiny
    // tmpfs, filled up.
    let mount_at = p.root().join("small");
    match Tmpfs::mount(&mount_at, "256k") {
        Ok(_tmpfs) => {
            let q = Project::new_in(&mount_at).enable();
            q.stop("I'll restart the server.").run().silent_success();
            let store = q.state().join("commitments.json");
            let first = fs::read(&store).unwrap();
            fill(&mount_at);
            q.stop("Pushing the fix now.").run().silent_success();
            assert_eq!(
                fs::read(&store).unwrap(),
                first,
                "the store is untouched and valid"
            );
            fs::remove_file(mount_at.join("filler")).unwrap();
            q.stop("Pushing the fix now.").run().silent_success();
            assert_eq!(
                q.commitments().len(),
                2,
                "once there is room, the next claim is kept"
            );
        }
        Err(why) => skip(
            &format!("{} (the real full tmpfs half)", test_name!()),
            &format!("{why}; the injected full-disk fault below still runs"),
        ),
    }
    // Everywhere: the write fails with ENOSPC (injected).
    p.stop("Pushing the fix now.")
        .env("INSTAR_HOOKS_FAULT", "enospc")
        .run()
        .silent_success();
    assert_eq!(
        fs::read(p.state().join("commitments.json")).unwrap(),
        before
    );
    assert!(
        p.hook_log()
            .contains("could not record push claim \"Pushing the fix now\""),
        "{}",
        p.hook_log()
    );
}

#[test]
fn a_crash_between_temp_write_and_rename_leaves_the_store_valid() {
    let p = Project::enabled();
    open_commitment(&p);
    let store = p.state().join("commitments.json");
    let before = fs::read(&store).unwrap();
    let out = p
        .stop("Pushing the fix now.")
        .env("INSTAR_HOOKS_FAULT", "kill-before-rename")
        .run();
    assert_eq!(out.code, None, "killed by SIGKILL, as injected");
    assert_eq!(fs::read(&store).unwrap(), before, "the old store is whole");
    serde_json::from_slice::<serde_json::Value>(&fs::read(&store).unwrap()).unwrap();
    let orphans = || {
        fs::read_dir(p.state())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".tmp")
            })
            .count()
    };
    assert_eq!(orphans(), 1, "the crash left its temp file");
    p.stop("Pushing the fix now.").run().silent_success();
    assert_eq!(p.commitments().len(), 2);
    assert_eq!(orphans(), 0, "the next writer cleans it up");
}

#[test]
fn a_lock_left_by_a_killed_process_does_not_block_the_next_run() {
    let p = Project::enabled();
    open_commitment(&p);
    let mut holder = p
        .stop("Pushing the fix now.")
        .env("INSTAR_HOOKS_FAULT", "stall-in-lock")
        .spawn();
    // Wait until it holds the lock.
    let lock = p.state().join("commitments.json.lock");
    let start = Instant::now();
    while instar_hooks::fsutil::lock_exclusive(&lock, Duration::ZERO).is_ok() {
        assert!(
            start.elapsed() < RUN_BOUND,
            "the stalled hook never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
    p.stop("Deploying the api now.").run().silent_success();
    let verbs: Vec<String> = p
        .commitments()
        .iter()
        .map(|c| c["verb"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(verbs, ["restart", "deploy"]);
}

#[test]
fn a_lock_held_by_a_stuck_process_costs_at_most_the_lock_wait_and_is_logged() {
    let p = Project::enabled();
    open_commitment(&p);
    let lock = p.state().join("commitments.json.lock");
    let held = instar_hooks::fsutil::lock_exclusive(&lock, Duration::ZERO).unwrap();
    let out = p.stop("Pushing the fix now.").run().silent_success();
    drop(held);
    assert!(
        out.elapsed < instar_hooks::fsutil::LOCK_WAIT + Duration::from_secs(3),
        "{:?}",
        out.elapsed
    );
    assert!(
        p.hook_log().contains("could not record push claim"),
        "{}",
        p.hook_log()
    );
}

#[test]
fn migrators_racing_hooks_and_each_other_never_tear_settings() {
    let user = r#"{
  "permissions": {"allow": ["Bash(ls:*)"]},
  "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "my-stop.sh"}]}]}
}
"#;
    let p = Project::enabled().file(".claude/settings.json", user);
    let settings = p.path().join(".claude/settings.json");
    let stop = Arc::new(AtomicBool::new(false));
    let reads = Arc::new(AtomicUsize::new(0));
    let reader = {
        let (stop, reads, settings) = (stop.clone(), reads.clone(), settings.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let text = fs::read_to_string(&settings).unwrap();
                let v: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("torn settings.json ({e}):\n{text}"));
                assert!(
                    text.contains("my-stop.sh"),
                    "the user's hook vanished:\n{text}"
                );
                assert!(v["permissions"]["allow"][0] == "Bash(ls:*)");
                reads.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let mut children: Vec<Child> = Vec::new();
    for i in 0..24 {
        children.push(if i % 3 == 0 {
            p.run(MIGRATE).args(&["--enable", "action-claim"]).spawn()
        } else {
            p.stop(&format!("I'll redeploy service {i} now.")).spawn()
        });
    }
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(reads.load(Ordering::Relaxed) > 10);
    let text = fs::read_to_string(&settings).unwrap();
    for binary in ["action-claim-followthrough", "action-claim-reminder"] {
        assert_eq!(
            text.matches(&format!("instar/{binary}\"")).count(),
            1,
            "{binary}:\n{text}"
        );
    }
}
