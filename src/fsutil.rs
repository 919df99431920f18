//! Filesystem primitives every store uses: atomic replace, advisory locks with a deadline,
//! moving a corrupt file aside, and state directories that stay where they belong; opening
//! files safely (capped reads, no symlinks where we write, no FIFO waits) is in [`open`].
//!
//! Why these shapes: a reader must never see a half-written file (temp file in the same
//! directory + fsync + rename, then fsync the directory so the rename itself survives a crash),
//! and many hook processes may write at once (an exclusive `flock` on a sidecar `.lock` file;
//! the kernel drops it when a holder dies, so a killed process never leaves a stale lock).

mod open;

pub(crate) use open::*;

use std::{
    fs::{self, File, OpenOptions},
    io::{self, Write},
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    thread,
    time::{Duration, Instant},
};

/// How long a writer waits for another process's lock before giving up (and saying so).
pub const LOCK_WAIT: Duration = Duration::from_secs(3);

/// In debug builds only, the environment variable `INSTAR_HOOKS_LOCK_WAIT_MS` replaces
/// [`LOCK_WAIT`] (and only that wait), so a process-level test that queues dozens of hook
/// processes on one lock, each fsyncing under it, does not depend on the speed of the
/// machine's disk. Compiled out of release builds, like `fault::fault`.
fn lock_wait(wait: Duration) -> Duration {
    #[cfg(debug_assertions)]
    if wait == LOCK_WAIT
        && let Some(ms) = std::env::var("INSTAR_HOOKS_LOCK_WAIT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
    {
        return Duration::from_millis(ms);
    }
    wait
}

/// Replaces `path` with `bytes` atomically. An existing file keeps its permissions; a new one
/// gets `new_mode` (e.g. 0o644 for user-visible files, 0o600 for private state).
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], new_mode: u32) -> io::Result<()> {
    let mode = match fs::metadata(path) {
        Ok(meta) => meta.permissions().mode() & 0o7777,
        Err(_) => new_mode,
    };
    write_atomic_mode(path, bytes, mode)
}

/// Replaces `path` with `bytes` atomically, with exactly `mode` (e.g. 0o755 for a deployed
/// binary). A process running the old file keeps its copy: the rename swaps directory
/// entries, it does not write into the old inode.
pub(crate) fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    replace(path, bytes, mode, true)
}

/// Replaces `path` with `bytes` so that a reader never sees half a file, without the fsyncs
/// of [`write_atomic`]: for caches and status files that cost nothing but a little precision
/// when a crash loses them, and that a hook should not pay two disk flushes for.
pub(crate) fn write_cache(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace(path, bytes, 0o600, false)
}

fn replace(path: &Path, bytes: &[u8], mode: u32, durable: bool) -> io::Result<()> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.as_file()
        .set_permissions(fs::Permissions::from_mode(mode))?;
    if crate::fault::fault("enospc") {
        return Err(io::Error::from_raw_os_error(libc::ENOSPC));
    }
    tmp.write_all(bytes)?;
    if durable {
        tmp.as_file().sync_all()?;
    }
    if crate::fault::fault("kill-before-rename") {
        // SAFETY: raising a signal at ourselves has no memory-safety preconditions.
        unsafe { libc::raise(libc::SIGKILL) };
    }
    tmp.persist(path).map_err(|e| e.error)?;
    if durable {
        sync_dir(dir);
    }
    Ok(())
}

/// Removes temp files of `path` (`.<name>.*.tmp`, as [`write_atomic`] names them) older
/// than `older_than`: left by a writer that died between writing and renaming. Call it
/// while holding the file's lock, so no live writer's temp file can be that old.
pub(crate) fn remove_orphan_temps(path: &Path, older_than: Duration) {
    let dir = parent_dir(path);
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let prefix = format!(".{name}.");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= older_than);
        if file.starts_with(&prefix) && file.ends_with(".tmp") && old {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Makes a completed rename durable. Best effort: some filesystems refuse to fsync a directory.
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// An exclusive advisory lock, released when dropped (or when the process dies).
#[derive(Debug)]
pub struct FileLock {
    _file: File,
}

/// Takes an exclusive lock on `lock_path` (created if missing), waiting at most `wait`.
pub fn lock_exclusive(lock_path: &Path, wait: Duration) -> io::Result<FileLock> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(lock_path)?;
    let wait = lock_wait(wait);
    let deadline = Instant::now() + wait;
    let mut pause = Duration::from_micros(200);
    loop {
        match file.try_lock() {
            Ok(()) => {
                if crate::fault::fault("stall-in-lock") {
                    thread::sleep(Duration::from_secs(60));
                }
                return Ok(FileLock { _file: file });
            }
            Err(fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("another process held the lock for over {wait:?}"),
                ));
            }
            Err(fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Renames an unreadable file to `<name>.corrupt-<unix ms>` next to it and returns the new path.
pub(crate) fn move_aside(path: &Path, unix_ms: u64) -> io::Result<PathBuf> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{unix_ms}"));
    let to = path.with_file_name(name);
    fs::rename(path, &to)?;
    sync_dir(parent_dir(path));
    Ok(to)
}

/// Creates `dir` (and parents) below `root`, refusing when `dir` or any component between
/// `root` and `dir` is a symlink: state must stay inside the directory it belongs to.
pub(crate) fn create_dir_within(root: &Path, dir: &Path) -> Result<(), crate::Error> {
    let rel = dir
        .strip_prefix(root)
        .map_err(|_| crate::Error::UnsafePath {
            path: dir.to_path_buf(),
            reason: format!("it is outside {}", root.display()),
        })?;
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(crate::Error::UnsafePath {
                    path: at,
                    reason: "it is a symlink".into(),
                });
            }
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(crate::Error::UnsafePath {
                    path: at,
                    reason: "it is not a directory".into(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::create_dir(&at) {
                Ok(()) => {}
                // Another process created it between our check and create_dir: fine, unless
                // what it created is a symlink, which the next iteration would not see.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                        return Err(crate::Error::UnsafePath {
                            path: at,
                            reason: "it is a symlink".into(),
                        });
                    }
                }
                Err(e) => return Err(crate::Error::io(&at, "create directory", e)),
            },
            Err(e) => return Err(crate::Error::io(&at, "inspect", e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.json");
        write_atomic(&p, b"one", 0o644).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o644
        );
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"two", 0o600).unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file is left behind");
    }

    #[test]
    fn a_held_lock_times_out_and_a_released_one_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.lock");
        let held = lock_exclusive(&p, LOCK_WAIT).unwrap();
        let err = lock_exclusive(&p, Duration::from_millis(30)).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(held);
        lock_exclusive(&p, Duration::from_millis(30)).unwrap();
    }

    #[test]
    fn symlinks_are_refused_for_reads_and_state_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("link")).unwrap();
        assert!(read_capped(&dir.path().join("link"), 10).is_err());

        std::os::unix::fs::symlink(outside.path(), dir.path().join("state")).unwrap();
        let err = create_dir_within(dir.path(), &dir.path().join("state/sub")).unwrap_err();
        assert!(matches!(err, crate::Error::UnsafePath { .. }), "{err}");
        create_dir_within(dir.path(), &dir.path().join("real/sub")).unwrap();
        assert!(dir.path().join("real/sub").is_dir());
    }

    #[test]
    fn move_aside_keeps_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("store.json");
        fs::write(&p, b"{broken").unwrap();
        let to = move_aside(&p, 42).unwrap();
        assert!(!p.exists());
        assert_eq!(to.file_name().unwrap(), "store.json.corrupt-42");
        assert_eq!(fs::read(to).unwrap(), b"{broken");
    }
}
