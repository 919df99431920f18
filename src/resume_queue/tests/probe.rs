//! The pid probe (EPERM is alive), the hostname, and config resolution.

use serde_json::json;
use std::io;

use crate::resume_queue::{
    QueueConfig,
    config::Source,
    probe::{alive_from_errno, hostname, pid_alive},
};

#[test]
fn errno_mapping_only_esrch_is_dead() {
    assert!(!alive_from_errno(Some(libc::ESRCH)));
    assert!(
        alive_from_errno(Some(libc::EPERM)),
        "another user's live process is alive"
    );
    assert!(
        alive_from_errno(Some(libc::EINVAL)),
        "an error we cannot read is not 'dead'"
    );
    assert!(alive_from_errno(None));
}

#[test]
fn pid_probe_on_real_processes() {
    assert!(pid_alive(std::process::id() as i32));
    assert!(!pid_alive(i32::MAX), "beyond pid_max: ESRCH");
    // Never signal a process group.
    assert!(!pid_alive(0) && !pid_alive(-1));
}

/// Pid 1 belongs to root. A non-root prober gets EPERM from `kill(1, 0)`, which must read as
/// alive. As root we become `nobody` in a child process (after fork, before exec) and probe
/// from there; the child reports back through the spawn error, its only channel.
#[test]
fn eperm_from_kill_counts_as_alive() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        // SAFETY: signal 0 delivers nothing.
        let rc = unsafe { libc::kill(1, 0) };
        assert_eq!(
            (rc, io::Error::last_os_error().raw_os_error()),
            (-1, Some(libc::EPERM))
        );
        assert!(pid_alive(1));
        return;
    }
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new("/bin/true");
    cmd.uid(65534).gid(65534);
    // SAFETY: the closure only calls kill(2) and reads errno (async-signal-safe, no allocation).
    unsafe {
        cmd.pre_exec(|| {
            let rc = libc::kill(1, 0);
            let errno = io::Error::last_os_error().raw_os_error();
            let saw_eperm = rc == -1 && errno == Some(libc::EPERM);
            // 11: EPERM seen and read as alive; anything else says what went wrong.
            let code = i32::from(saw_eperm) * 10 + i32::from(pid_alive(1));
            Err(io::Error::from_raw_os_error(100 + code))
        });
    }
    let err = cmd
        .spawn()
        .expect_err("the probe reports through the spawn error");
    assert_eq!(
        err.raw_os_error(),
        Some(111),
        "as nobody: kill(1,0) gave EPERM and pid 1 read as alive"
    );
}

#[test]
fn hostname_comes_from_gethostname() {
    let h = hostname().unwrap();
    assert!(!h.is_empty());
    let uts = std::fs::read_to_string("/proc/sys/kernel/hostname");
    if let Ok(uts) = uts {
        assert_eq!(h, uts.trim());
    }
}

#[test]
fn config_defaults_follow_the_development_agent_gate() {
    // Fleet (no keys): on, dry run, no auto-heal.
    let fleet = QueueConfig::resolve(None);
    assert_eq!(
        (fleet.enabled(), fleet.dry_run(), fleet.auto_heal()),
        (true, true, false)
    );
    assert_eq!(fleet.dry_run.source, Source::Default);
    // Development agent: live, auto-heal on.
    let dev = QueueConfig::resolve(Some(&json!({"developmentAgent": true})));
    assert_eq!(
        (dev.enabled(), dev.dry_run(), dev.auto_heal()),
        (true, false, true)
    );
    // `!!developmentAgent`: truthy values count.
    assert!(QueueConfig::resolve(Some(&json!({"developmentAgent": "yes"}))).development_agent);
    assert!(!QueueConfig::resolve(Some(&json!({"developmentAgent": 0}))).development_agent);
    // Explicit keys win over the gate, both ways; null is "not set" (`??`).
    let c = QueueConfig::resolve(Some(
        &json!({"developmentAgent": true, "monitoring": {"resumeQueue": {
        "dryRun": true, "autoHealStaleHostLock": null, "enabled": false}}}),
    ));
    assert_eq!(
        (c.enabled(), c.dry_run(), c.auto_heal()),
        (false, true, true)
    );
    assert_eq!(c.dry_run.source, Source::Config);
    assert_eq!(c.auto_heal_stale_host_lock.source, Source::Default);
    let c = QueueConfig::resolve(Some(
        &json!({"monitoring": {"resumeQueue": {"autoHealStaleHostLock": true}}}),
    ));
    assert_eq!((c.dry_run(), c.auto_heal()), (true, true));
    // Wrong types are read as the server reads them, and reported.
    let c = QueueConfig::resolve(Some(
        &json!({"monitoring": {"resumeQueue": {"dryRun": "false"}}}),
    ));
    assert!(c.dry_run(), "a non-empty string is truthy");
    assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    // `monitoring` of the wrong shape is no config at all.
    let c = QueueConfig::resolve(Some(&json!({"monitoring": []})));
    assert_eq!(c, QueueConfig::resolve(None));
}

#[test]
fn config_file_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        QueueConfig::load(dir.path()).unwrap(),
        QueueConfig::resolve(None)
    );
    std::fs::create_dir(dir.path().join(".instar")).unwrap();
    // Read as every config file is (`config::file`), and the error keeps its kind: a syntax
    // error is `Parse` with its position, a wrong shape `Unsupported`.
    let write = |text: &str| std::fs::write(dir.path().join(".instar/config.json"), text).unwrap();
    write("{");
    match QueueConfig::load(dir.path()) {
        Err(crate::Error::Parse {
            path, line, column, ..
        }) => {
            assert!(path.ends_with(".instar/config.json"), "{path:?}");
            assert_eq!((line, column), (1, 1));
        }
        other => panic!("{other:?}"),
    }
    write("[]");
    match QueueConfig::load(dir.path()) {
        Err(crate::Error::Unsupported { found, .. }) => {
            assert_eq!(found, "the top level is an array, not an object");
        }
        other => panic!("{other:?}"),
    }
    std::fs::write(
        dir.path().join(".instar/config.json"),
        r#"{"monitoring":{"resumeQueue":{"autoHealStaleHostLock":true,"dryRun":false}}}"#,
    )
    .unwrap();
    let c = QueueConfig::load(dir.path()).unwrap();
    assert_eq!((c.dry_run(), c.auto_heal()), (false, true));
}
