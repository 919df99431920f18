//! Opening files a hook did not necessarily make: every open is `O_NONBLOCK` (a FIFO put in
//! a hook's way must never hang it), checked on the descriptor to be a regular file, and
//! refuses a symlink wherever the file is ours (a planted link must not make a hook read or
//! write outside its state directory). Reads are capped or sized from that one `fstat`.

use std::{
    ffi::CString,
    fs::{self, File, OpenOptions},
    io::{self, Read, Write},
    os::unix::{ffi::OsStrExt, fs::OpenOptionsExt},
    path::Path,
    time::{SystemTime, UNIX_EPOCH},
};

/// Reads at most `cap` bytes of `path` without following a symlink at `path`.
/// Returns the bytes and whether the file was longer.
pub(crate) fn read_capped(path: &Path, cap: usize) -> io::Result<(Vec<u8>, bool)> {
    let (file, len) = open_regular(path, false)?;
    let mut buf = Vec::with_capacity(len.min(cap as u64 + 1) as usize);
    file.take(cap as u64 + 1).read_to_end(&mut buf)?;
    let truncated = buf.len() > cap;
    buf.truncate(cap);
    Ok((buf, truncated))
}

/// All of `path`, refusing a symlink at `path` (ELOOP): a store or cache inside the state
/// directory is never read from somewhere a planted link points.
pub(crate) fn read_nofollow(path: &Path) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path, false)?;
    let mut buf = Vec::with_capacity(len as usize);
    // Through `take`: `File::read_to_end` would ask the kernel for the size and position
    // again (a statx and an lseek) to size a buffer that is already sized.
    file.take(u64::MAX).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Opens `path` for reading, refusing a symlink (ELOOP) so a planted link cannot make us read
/// or report a file outside the state directory, and anything but a regular file.
pub(crate) fn open_nofollow(path: &Path) -> io::Result<File> {
    open_regular(path, false).map(|(file, _)| file)
}

/// Opens (creating it, mode 0600) a file of ours in the state directory for writing, appending
/// when `append`: never through a symlink (ELOOP), never waiting on a FIFO (`O_NONBLOCK`: with
/// no reader the open fails with ENXIO), and only a regular file.
pub(crate) fn open_for_writing(path: &Path, append: bool) -> io::Result<File> {
    let file = OpenOptions::new()
        .write(true)
        .append(append)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// Opens `path` for reading only if it is a regular file, and returns its length. The check
/// is made on the open descriptor, so nothing can be swapped in between; `O_NONBLOCK` keeps
/// the open itself from waiting forever on a FIFO (a hook must never hang on a file someone
/// put in its way). `follow` says whether a symlink at `path` is followed.
pub(crate) fn open_regular(path: &Path, follow: bool) -> io::Result<(File, u64)> {
    let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC | nofollow)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok((file, meta.len()))
}

/// Appends `line` to `path` in one write (so concurrent writers never interleave within a
/// line), after moving a file that reached `cap` bytes to `<path>.1` (one old copy is kept,
/// so the pair never takes more than twice `cap`). A symlink planted at the path is not
/// followed and a FIFO there does not block ([`open_for_writing`]); a missing directory is
/// made by `ensure` and the open tried once more.
pub(crate) fn append_rotated(
    path: &Path,
    line: &[u8],
    cap: u64,
    ensure: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(path)
        && meta.len() >= cap
        && meta.is_file()
    {
        let mut backup = path.as_os_str().to_os_string();
        backup.push(".1");
        fs::rename(path, backup)?;
    }
    let open = || open_for_writing(path, true);
    let mut file = match open() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            ensure()?;
            open()?
        }
        result => result?,
    };
    file.write_all(line)
}

/// Sets the modification time of `path` to `at` without opening it (one system call, where
/// opening for writing costs three), and without following a symlink at `path`: a planted
/// link gets the time itself, whatever it points to, and a FIFO is never opened. Fails with
/// `NotFound` when nothing is at `path`; it creates nothing.
pub(crate) fn touch_nofollow(path: &Path, at: SystemTime) -> io::Result<()> {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let path = CString::new(path.as_os_str().as_bytes())?;
    // SAFETY: timespec is plain old data; zeroed is a valid value on every target (some have
    // padding fields, so it is not built with a struct literal).
    let mut times: [libc::timespec; 2] = unsafe { std::mem::zeroed() };
    times[0].tv_nsec = libc::UTIME_OMIT;
    times[1].tv_sec = since.as_secs() as libc::time_t;
    times[1].tv_nsec = since.subsec_nanos() as _;
    // SAFETY: `path` is a NUL-terminated string and `times` two timespecs, both live for the
    // call; utimensat reads them and keeps neither.
    let done = unsafe {
        libc::utimensat(
            libc::AT_FDCWD,
            path.as_ptr(),
            times.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reads_report_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_capped(&p, 4).unwrap(), (b"0123".to_vec(), true));
        assert_eq!(
            read_capped(&p, 10).unwrap(),
            (b"0123456789".to_vec(), false)
        );
    }

    #[test]
    fn touching_sets_the_time_of_a_file_and_of_a_link_itself_never_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let at = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let file = dir.path().join("f");
        fs::write(&file, b"x").unwrap();
        touch_nofollow(&file, at).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), at);
        assert_eq!(fs::read(&file).unwrap(), b"x");

        let target = dir.path().join("target");
        fs::write(&target, b"t").unwrap();
        let before = fs::metadata(&target).unwrap().modified().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        touch_nofollow(&link, at).unwrap();
        assert_eq!(fs::symlink_metadata(&link).unwrap().modified().unwrap(), at);
        assert_eq!(fs::metadata(&target).unwrap().modified().unwrap(), before);

        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        touch_nofollow(&dangling, at).unwrap();
        assert!(!dir.path().join("nowhere").exists());

        let err = touch_nofollow(&dir.path().join("missing"), at).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(!dir.path().join("missing").exists());
    }
}
