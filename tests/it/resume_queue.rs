//! `instar-hooks resume-queue`: `status` snapshots, `heal` racing itself in 8 processes, and
//! the library's `acquire` racing itself in 8 processes.
//!
//! Every CLI run gets `INSTAR_HOOKS_HOSTNAME` (so "this host" is fixed) and a `PATH` whose
//! first entry holds a `df` of our own (so the disk verdict does not depend on the machine:
//! CI's `/tmp` may be a tmpfs, which is correctly "not local").

use serde_json::Value;
use std::{
    ffi::OsString,
    fs,
    io::{BufRead, BufReader, Write},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, SystemTime},
};

use crate::harness::{Output, Project, Run};
use crate::snapshot_settings;

const NEW: &str = "new-host";
const OLD: &str = "old-host";
/// A pid above any `pid_max`: never alive, so "dead" without depending on the machine.
const DEAD_PID: i64 = 2_147_483_000;
const LOCK: &str = ".instar/state/resume-queue.lock";

fn agent(config: &str) -> Project {
    Project::new().file(".instar/config.json", config)
}

/// `{"pid":N,"hostname":"H"}`, as the server writes it.
fn lock(pid: impl std::fmt::Display, host: &str) -> String {
    format!(r#"{{"pid":{pid},"hostname":"{host}"}}"#)
}

fn write_lock(p: &Project, content: &str, age: Duration) {
    let path = p.path().join(LOCK);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

const TEN_MIN: Duration = Duration::from_secs(600);

/// A `PATH` starting with a directory that holds our `df`: it waits `delay` seconds, then
/// prints a local-disk (`/dev/sda1`) answer, or, with `real_if_local`, runs the real `df`
/// when that calls the project's disk local.
pub(crate) fn df_path(p: &Project, delay: &str, real_if_local: bool) -> OsString {
    let bin = p.root().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let sh = |script: &str| {
        let out = Command::new("sh")
            .args(["-c", script])
            .env("LC_ALL", "C")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let real = sh(&format!("df -P -- '{}'", p.path().display()));
    let body = if real_if_local && real.lines().nth(1).is_some_and(|l| l.starts_with("/dev/")) {
        format!("exec {} \"$@\"", sh("command -v df").trim())
    } else {
        "echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'\nshift 2\n\
         for p in \"$@\"; do echo \"/dev/sda1 100 10 90 10% /\"; done"
            .to_string()
    };
    let df = bin.join("df");
    fs::write(&df, format!("#!/bin/sh\nsleep {delay}\n{body}\n")).unwrap();
    fs::set_permissions(&df, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut path = bin.into_os_string();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    path
}

fn rq<'a>(p: &'a Project, args: &[&str], path: &OsString) -> Run<'a> {
    p.cli(args)
        .env("INSTAR_HOOKS_HOSTNAME", NEW)
        .env("PATH", path)
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

/// Snapshots `status` and `status --json` (which must agree) under `name`, checking the exit
/// code and verdict directly too.
fn snapshot_status(p: &Project, name: &str, code: i32, verdict: &str) {
    let path = df_path(p, "0", false);
    let table = rq(p, &["resume-queue", "status"], &path).run().code(code);
    let js = rq(p, &["resume-queue", "status", "--json"], &path)
        .run()
        .code(code);
    let v = json(&js);
    assert_eq!(v["verdict"], verdict, "{}", js.stdout);
    // Exit 0 without starting a queue: none to start, or a live owner on this host runs it.
    let runs_or_none = ["not-an-instar-agent", "off", "live-other"];
    assert_eq!(
        v["willStart"],
        code == 0 && !runs_or_none.contains(&verdict)
    );
    let mut s = snapshot_settings!();
    s.add_filter(r#""(pid|otherPid|priorPid)": \d+"#, r#""$1": [PID]"#);
    s.add_filter(r"pid \d+", "pid [PID]");
    s.add_filter(r"\d+ (s|min|h|d)( \d+ min)? (ago|old)", "[AGE] $3");
    s.add_filter(r#""heartbeatAgeMs": \d+"#, r#""heartbeatAgeMs": [AGE]"#);
    s.bind(|| {
        insta::assert_snapshot!(format!("resume_queue_status_{name}"), table.stdout);
        insta::assert_snapshot!(format!("resume_queue_status_{name}_json"), js.stdout);
    });
    assert!(
        !p.path().join("logs").exists(),
        "status writes no audit row"
    );
}

#[test]
fn status_no_lock() {
    snapshot_status(&agent("{}"), "no_lock", 0, "create");
}

#[test]
fn status_fresh_same_host_live_lock() {
    let p = agent("{}");
    // This test process is alive; its pid is not the CLI's. A running server: not a finding.
    write_lock(&p, &lock(std::process::id(), NEW), Duration::ZERO);
    snapshot_status(&p, "live_same_host", 0, "live-other");
}

#[test]
fn status_foreign_lock_with_auto_heal_off() {
    let p = agent("{}");
    write_lock(&p, &lock(4242, OLD), TEN_MIN);
    snapshot_status(&p, "foreign_auto_heal_off", 1, "foreign-host");
}

#[test]
fn status_foreign_lock_would_auto_heal_in_dry_run() {
    let p = agent(
        r#"{"monitoring": {"resumeQueue": {"autoHealStaleHostLock": true, "dryRun": true}}}"#,
    );
    write_lock(&p, &lock(DEAD_PID, OLD), TEN_MIN);
    snapshot_status(&p, "would_auto_heal", 1, "would-auto-heal");
}

#[test]
fn status_after_heal_reclaims() {
    let p = agent("{}");
    write_lock(&p, &lock(DEAD_PID, OLD), TEN_MIN);
    let path = df_path(&p, "0", false);
    rq(&p, &["resume-queue", "heal", "--dry-run"], &path)
        .run()
        .code(0)
        .stdout_contains("Nothing was written.");
    assert!(p.read(LOCK).contains(OLD));
    rq(&p, &["resume-queue", "heal"], &path)
        .run()
        .code(0)
        .stdout_contains("healed: ");
    assert_eq!(p.read(LOCK), lock(DEAD_PID, NEW));
    let row = r#""event":"lock-foreign-host-autohealed","lockHost":"old-host","thisHost":"new-host","took":true,"source":"cli"}"#;
    assert!(p.read("logs/resume-queue.jsonl").contains(row));
    fs::remove_dir_all(p.path().join("logs")).unwrap();
    snapshot_status(&p, "after_heal", 0, "reclaim");
    // A second heal has nothing to do, and says why.
    rq(&p, &["resume-queue", "heal"], &path)
        .run()
        .code(1)
        .stdout_contains("does not belong to another host");
}

#[test]
fn not_an_instar_agent() {
    let p = Project::new();
    let path = df_path(&p, "0", false);
    rq(&p, &["resume-queue", "status"], &path)
        .run()
        .code(0)
        .stdout("not an instar agent: no resume queue here\n");
    let v = json(
        &rq(&p, &["resume-queue", "status", "--json"], &path)
            .run()
            .code(0),
    );
    assert_eq!(
        (v["instarAgent"].as_bool(), v["verdict"].as_str()),
        (Some(false), Some("not-an-instar-agent"))
    );
    rq(&p, &["resume-queue", "heal"], &path)
        .run()
        .code(1)
        .stdout_contains("not an instar agent");
    rq(&p, &["resume-queue", "status", "--force"], &path)
        .run()
        .code(2)
        .stderr_contains("unexpected argument '--force'");
}

#[test]
fn heal_refuses_a_fresh_foreign_lock_and_force_removes_it() {
    let p = agent("{}");
    write_lock(&p, &lock(DEAD_PID, OLD), Duration::from_secs(30));
    let path = df_path(&p, "0", false);
    let out = rq(&p, &["resume-queue", "heal", "--json"], &path)
        .run()
        .code(1);
    let v = json(&out);
    assert_eq!(v["result"], "refused");
    assert_eq!(v["failed"][0]["code"], "heartbeat-fresh");
    rq(&p, &["resume-queue", "heal", "--force"], &path)
        .run()
        .code(0)
        .stdout_contains("removed: ");
    assert!(!p.path().join(LOCK).exists());
}

/// Reads and parses the lock in a loop until stopped; returns (reads, failures).
fn watch(lock: PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<(usize, Vec<String>)> {
    std::thread::spawn(move || {
        let (mut reads, mut failures) = (0, Vec::new());
        while !stop.load(Ordering::Relaxed) {
            let problem = match fs::read(&lock) {
                Err(e) => Some(format!("read: {e}")),
                Ok(b) => match serde_json::from_slice::<Value>(&b) {
                    Ok(v) if v["pid"].is_number() && v["hostname"].is_string() => None,
                    _ => Some(format!("bad lock: {:?}", String::from_utf8_lossy(&b))),
                },
            };
            failures.extend(problem);
            reads += 1;
        }
        (reads, failures)
    })
}

#[test]
fn eight_heals_at_once_exactly_one_heals_and_the_lock_always_parses() {
    let p = agent("{}");
    write_lock(&p, &lock(DEAD_PID, OLD), TEN_MIN);
    // `df` takes half a second, so all eight have decided on the same stale lock before any
    // of them writes: the race is on the re-check, not on who starts first.
    let path = df_path(&p, "0.5", true);
    let stop = Arc::new(AtomicBool::new(false));
    let reader = watch(p.path().join(LOCK), stop.clone());
    let children: Vec<Child> = (0..8)
        .map(|_| rq(&p, &["resume-queue", "heal", "--json"], &path).spawn())
        .collect();
    let outs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    stop.store(true, Ordering::Relaxed);
    let (reads, failures) = reader.join().unwrap();
    assert!(failures.is_empty(), "{failures:?}");
    assert!(reads > 0);

    let mut results = Vec::new();
    for o in &outs {
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let result = v["result"].as_str().unwrap().to_string();
        match o.status.code() {
            Some(0) => assert_eq!(result, "healed", "{v}"),
            Some(1) => {
                assert!(result == "lost-race" || result == "refused", "{v}");
                assert!(
                    !v["message"].as_str().unwrap().is_empty(),
                    "a loser says why: {v}"
                );
            }
            other => panic!("exit {other:?}: {v} {}", String::from_utf8_lossy(&o.stderr)),
        }
        results.push(result);
    }
    let count = |r: &str| results.iter().filter(|x| *x == r).count();
    assert_eq!(count("healed"), 1, "{results:?}");
    assert!(
        count("lost-race") > 0,
        "the re-check was raced: {results:?}"
    );
    assert_eq!(p.read(LOCK), lock(DEAD_PID, NEW));
    let audit = p.read("logs/resume-queue.jsonl");
    assert_eq!(audit.lines().count(), 8, "{audit}");
    assert_eq!(audit.matches(r#""took":true"#).count(), 1, "{audit}");
}

const CHILD: &str = "INSTAR_HOOKS_TEST_ACQUIRE_CHILD";

/// The child process of the next test (ignored, so it never runs as a test of its own):
/// acquire through the library, report, hold the lock until stdin closes, then release.
///
/// Why re-run this test binary instead of a hidden CLI subcommand: the owner has to be a
/// long-lived process calling the library, and a test-only subcommand would ship in the
/// operator's binary; a child mode of the test binary costs nothing outside the tests.
#[test]
#[ignore = "the child process of eight_processes_acquire_a_stale_same_host_lock_exactly_one_owns_it"]
fn acquire_race_child() {
    use instar_hooks::resume_queue::{Acquire, Paths, QueueConfig, Release, System, audit};
    let project = std::env::var_os(CHILD).expect("run by the race test, which sets it");
    let paths = Paths::new(Path::new(&project));
    let go = paths.project.join("go");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !go.exists() {
        assert!(std::time::Instant::now() < deadline, "no go signal");
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut sys = System::real(NEW.into());
    let mut log = audit::FileAudit::new(&paths);
    let r = instar_hooks::resume_queue::acquire(
        &paths,
        &QueueConfig::resolve(None),
        &mut sys,
        &mut log,
    );
    let reason = match &r {
        Acquire::Disabled { reason, .. } => Some(reason.clone()),
        _ => None,
    };
    let line = serde_json::json!({"owns": r.owns(), "pid": std::process::id(), "reason": reason});
    println!("RQ-RESULT {line}");
    std::io::stdout().flush().unwrap();
    let _ = std::io::read_to_string(std::io::stdin());
    let released = instar_hooks::resume_queue::release(&paths, &sys).unwrap() == Release::Released;
    println!("RQ-RELEASED {released}");
}

#[test]
fn eight_processes_acquire_a_stale_same_host_lock_exactly_one_owns_it() {
    let p = agent("{}");
    write_lock(&p, &lock(DEAD_PID, NEW), TEN_MIN);
    let stop = Arc::new(AtomicBool::new(false));
    let reader = watch(p.path().join(LOCK), stop.clone());
    let mut children: Vec<Child> = (0..8)
        .map(|_| {
            Command::new(std::env::current_exe().unwrap())
                .args([
                    "resume_queue::acquire_race_child",
                    "--ignored",
                    "--exact",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env_clear()
                .env(CHILD, p.path())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    fs::write(p.path().join("go"), "").unwrap();
    let results: Vec<(Value, BufReader<std::process::ChildStdout>)> = children
        .iter_mut()
        .map(|c| {
            let mut out = BufReader::new(c.stdout.take().unwrap());
            // libtest prints "test <name> ... " first, on the same line.
            let line = (&mut out)
                .lines()
                .map(Result::unwrap)
                .find_map(|l| Some(l.split_once("RQ-RESULT ")?.1.to_string()));
            let v = serde_json::from_str(&line.expect("the child reported")).unwrap();
            (v, out)
        })
        .collect();
    let owners: Vec<usize> = (0..8).filter(|&i| results[i].0["owns"] == true).collect();
    let all: Vec<&Value> = results.iter().map(|r| &r.0).collect();
    assert_eq!(owners.len(), 1, "{all:?}");
    let winner = owners[0];
    assert_eq!(results[winner].0["pid"], children[winner].id());
    let held = lock(children[winner].id(), NEW);
    assert_eq!(p.read(LOCK), held);
    for (i, (v, _)) in results.iter().enumerate().filter(|(i, _)| *i != winner) {
        let reason = v["reason"]
            .as_str()
            .unwrap_or_else(|| panic!("loser {i} has no reason: {v}"));
        assert!(reason.starts_with("resume-queue disabled: "), "{reason}");
    }
    // Losers release first: a no-op, the lock stays the winner's.
    let outcome = |(c, mut out): (&mut Child, BufReader<std::process::ChildStdout>)| {
        drop(c.stdin.take());
        assert!(c.wait().unwrap().success());
        let mut rest = String::new();
        std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
        rest.contains("RQ-RELEASED true")
    };
    let mut readers: Vec<_> = results.into_iter().map(|(_, out)| Some(out)).collect();
    for i in (0..8).filter(|&i| i != winner) {
        let released = outcome((&mut children[i], readers[i].take().unwrap()));
        assert!(!released, "only the owner releases");
    }
    assert_eq!(p.read(LOCK), held);
    stop.store(true, Ordering::Relaxed);
    let (reads, failures) = reader.join().unwrap();
    assert!(failures.is_empty() && reads > 0, "{failures:?}");
    assert!(outcome((
        &mut children[winner],
        readers[winner].take().unwrap()
    )));
    assert!(!p.path().join(LOCK).exists());
    let audit = p.read("logs/resume-queue.jsonl");
    assert_eq!(audit.matches(r#""took":true"#).count(), 1, "{audit}");
}
