//! `df -P`: the source classifier's truth table, parsing canned output, and running real and
//! fake `df` binaries (missing, failing, hanging, printing garbage).

use std::{
    fs,
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use crate::resume_queue::df::{
    DF_TIMEOUT, Df, classify_source, find_in_path, parse, verdict_from_output,
};

#[test]
fn classify_source_truth_table() {
    // SPEC §1.7 and T-AH #1–#3, in rule order.
    let cases = [
        ("", false),                   // 1. empty
        ("//fileserver/share", false), // 2. SMB/CIFS
        ("//h/s", false),
        ("nas:/exports/data", false), // 3. /^[^\/][^:]*:/
        ("host:/p", false),
        ("user@host:/p", false),
        ("10.0.0.5:/vol", false),
        ("a/b:c", false),
        ("/dev/disk3s5", true), // 4. /dev/…
        ("/dev/sda1", true),
        ("/dev/mapper/x", true),
        ("/dev/", true),
        ("/dev/x:y", true),
        ("map", false), // 5. anything else
        ("tmpfs", false),
        ("devfs", false),
        ("overlay", false),
        ("/dev", false),
        ("pool/ds", false),
    ];
    for (source, local) in cases {
        assert_eq!(classify_source(source), local, "{source:?}");
    }
}

const GNU: &str = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
/dev/vda         264212084 12881632  82404256      14% /\n\
/dev/vda         264212084 12881632  82404256      14% /\n";

const MACOS: &str = "Filesystem     512-blocks      Used Available Capacity  Mounted on\n\
/dev/disk3s5    965595304 612345678 312345678    67%    /System/Volumes/Data\n";

#[test]
fn parses_df_output_strictly() {
    assert_eq!(parse(GNU.as_bytes(), 2).unwrap(), ["/dev/vda", "/dev/vda"]);
    assert_eq!(parse(MACOS.as_bytes(), 1).unwrap(), ["/dev/disk3s5"]);
    let nfs = "Filesystem 1024-blocks Used Available Capacity Mounted on\n\
               nas:/exports/data 100 10 90 10% /mnt/data\n";
    assert_eq!(parse(nfs.as_bytes(), 1).unwrap(), ["nas:/exports/data"]);
    let busybox_virtual = "Filesystem 1024-blocks Used Available Capacity Mounted on\n\
                           overlay - - - - /\n";
    assert_eq!(parse(busybox_virtual.as_bytes(), 1).unwrap(), ["overlay"]);
    // Mount points may contain spaces: six or more columns.
    let spaced = "Filesystem 512-blocks Used Available Capacity Mounted on\n\
                  /dev/disk2s1 100 10 90 10% /Volumes/My Disk\n";
    assert_eq!(parse(spaced.as_bytes(), 1).unwrap(), ["/dev/disk2s1"]);

    let garbage: [(&[u8], usize); 9] = [
        (b"", 1), // nothing
        (
            b"Filesystem 1024-blocks Used Available Capacity Mounted on\n",
            1,
        ), // header only
        (b"hello\n/dev/sda1 1 1 1 1% /\n", 1), // not df's header
        (GNU.as_bytes(), 1), // two rows for one path
        (MACOS.as_bytes(), 2), // one row for two paths
        (b"Filesystem x\n/dev/sda1 is a disk\n", 1), // not df -P columns
        (b"Filesystem x\n/dev/sda1 1 2 3 4 /\n", 1), // capacity without %
        (b"Filesystem x\n/dev/sda1 1 2\n", 1), // too few columns
        (b"Filesystem x\n/dev/\xff 1 2 3 4% /\n", 1), // not UTF-8
    ];
    for (out, paths) in garbage {
        assert!(
            parse(out, paths).is_err(),
            "{:?}",
            String::from_utf8_lossy(out)
        );
        assert!(!verdict_from_output(out, &vec![Path::new("/x"); paths]).local);
    }
}

#[test]
fn every_path_must_be_local() {
    let mixed = "Filesystem 1024-blocks Used Available Capacity Mounted on\n\
                 /dev/sda1 100 10 90 10% /\n\
                 nas:/state 100 10 90 10% /p/.instar/state\n";
    let v = verdict_from_output(
        mixed.as_bytes(),
        &[Path::new("/p/.instar"), Path::new("/p/.instar/state")],
    );
    assert!(!v.local);
    assert!(
        v.detail.contains("/p/.instar/state is on `nas:/state`"),
        "{}",
        v.detail
    );
    let v = verdict_from_output(GNU.as_bytes(), &[Path::new("/a"), Path::new("/b")]);
    assert!(v.local, "{}", v.detail);
    assert_eq!(v.detail, "host-local disk (/dev/vda)");
}

/// A directory holding a fake `df` with this shell body.
fn fake_df(body: &str) -> (tempfile::TempDir, Df) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("df");
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    let df = Df {
        path_var: Some(dir.path().as_os_str().to_owned()),
        timeout: DF_TIMEOUT,
    };
    (dir, df)
}

#[test]
fn runs_df_found_on_path_with_the_paths_as_operands() {
    // The fake echoes its arguments into the mount column, so we see what it was given.
    let (_d, df) = fake_df(
        "echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'\n\
         [ \"$1 $2 $LC_ALL\" = '-P -- C' ] || exit 3\nshift 2\n\
         for p in \"$@\"; do echo \"/dev/sda1 100 10 90 10% $p\"; done",
    );
    let v = df.check(&[Path::new("/p/.instar"), Path::new("/p/.instar/state")]);
    assert!(v.local, "{}", v.detail);
}

#[test]
fn df_missing_failing_or_printing_garbage_is_not_local() {
    let empty = tempfile::tempdir().unwrap();
    let missing = Df {
        path_var: Some(empty.path().as_os_str().to_owned()),
        timeout: DF_TIMEOUT,
    };
    let v = missing.check(&[Path::new("/")]);
    assert!(
        !v.local && v.detail.contains("no executable `df`"),
        "{}",
        v.detail
    );
    let unset = Df {
        path_var: None,
        timeout: DF_TIMEOUT,
    };
    assert!(!unset.check(&[Path::new("/")]).local);

    let (_d, failing) = fake_df("echo 'df: /x: No such file or directory' >&2\nexit 1");
    let v = failing.check(&[Path::new("/x")]);
    assert!(!v.local, "{}", v.detail);
    assert!(
        v.detail.contains("No such file or directory"),
        "{}",
        v.detail
    );

    let (_d, garbage) = fake_df("echo '/dev/sda1'; echo '/dev/sda1 1 2 3 4% /'");
    let v = garbage.check(&[Path::new("/")]);
    assert!(
        !v.local && v.detail.contains("cannot read `df -P` output"),
        "{}",
        v.detail
    );

    let (_d, remote) = fake_df(
        "echo 'Filesystem 1024-blocks Used Available Capacity Mounted on'\n\
         echo 'nas:/exports 100 10 90 10% /mnt'",
    );
    assert!(!remote.check(&[Path::new("/mnt")]).local);
}

#[test]
fn only_absolute_path_entries_are_searched() {
    let (dir, _df) = fake_df("exit 0");
    let cwd = std::env::current_dir().unwrap();
    let relative = pathdiff(dir.path(), &cwd);
    assert!(relative.is_relative());
    assert_eq!(find_in_path("df", Some(relative.as_os_str())), None);
    assert_eq!(
        find_in_path("df", Some(dir.path().as_os_str())),
        Some(dir.path().join("df"))
    );
}

/// `to` expressed relative to `from` (both absolute).
fn pathdiff(to: &Path, from: &Path) -> PathBuf {
    let mut up = PathBuf::new();
    for _ in from.components().skip(1) {
        up.push("..");
    }
    up.join(to.strip_prefix("/").unwrap())
}

#[test]
fn a_hanging_df_is_killed_after_three_seconds_with_everything_it_started() {
    let pid_file = tempfile::NamedTempFile::new().unwrap();
    let (_d, hanging) = fake_df(&format!(
        "sleep 30 &\necho $! > {}\nwait",
        pid_file.path().display()
    ));
    let start = Instant::now();
    let v = hanging.check(&[Path::new("/")]);
    let took = start.elapsed();
    assert!(!v.local);
    assert!(
        v.detail.contains("did not answer within 3 s"),
        "{}",
        v.detail
    );
    assert!(
        took >= DF_TIMEOUT && took < DF_TIMEOUT + Duration::from_millis(1500),
        "{took:?}"
    );
    // The grandchild (`sleep`) went with its process group.
    let sleeper: i32 = fs::read_to_string(pid_file.path())
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(3);
    while !gone(sleeper) {
        assert!(
            Instant::now() < deadline,
            "sleep {sleeper} survived the timeout"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Dead, or a zombie waiting for a reaper that is not us.
fn gone(pid: i32) -> bool {
    !crate::resume_queue::probe::pid_alive(pid)
        || fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
}

#[test]
fn the_real_df_runs_and_its_answer_is_classified() {
    let dir = tempfile::tempdir().unwrap();
    let Some(exe) = find_in_path("df", std::env::var_os("PATH").as_deref()) else {
        panic!("no df on PATH: the real-df canary cannot run");
    };
    let out = std::process::Command::new(exe)
        .args(["-P", "--"])
        .arg(dir.path())
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let sources = parse(&out.stdout, 1).expect("the real df -P output parses");
    let v = Df::from_env().check(&[dir.path()]);
    assert_eq!(v.local, classify_source(&sources[0]), "{}", v.detail);
    assert!(!v.detail.starts_with("unknown"), "{}", v.detail);
}
