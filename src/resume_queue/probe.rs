//! The real probes: pid liveness, this host's name, the clock, and the [`System`] bundle that
//! lock operations take so tests can replace any of them.

use std::{
    fs::{File, Metadata},
    io,
    time::SystemTime,
};

use super::{
    Paths,
    decision::{FsVerdict, Probes},
    df::Df,
};
use crate::env::Env;

/// Whether a process with `pid` exists. `kill(pid, 0)` sends nothing; it only checks.
/// A pid that is not positive is never signalled (0 and -1 address process groups).
pub fn pid_alive(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 performs the existence and permission checks and delivers nothing.
    if unsafe { libc::kill(pid, 0) } == 0 {
        return true;
    }
    alive_from_errno(io::Error::last_os_error().raw_os_error())
}

/// How a failed `kill(pid, 0)` reads. Only `ESRCH` ("no such process") means dead. `EPERM`
/// means the process exists but belongs to another user: alive (upstream read every error as
/// dead, and so healed over other users' live processes, weakness 3). Anything else we
/// cannot interpret also counts as alive, so we never take a lock on a guess.
pub(crate) fn alive_from_errno(errno: Option<i32>) -> bool {
    errno != Some(libc::ESRCH)
}

/// This host's name, from `gethostname(2)` (what upstream's `os.hostname()` returns).
pub fn hostname() -> io::Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for `buf.len()` bytes; gethostname writes at most that.
    if unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}

/// The outside world as lock operations see it: who we are, what time it is, and how to
/// probe the filesystem and pids. [`System::real`] is the real one; tests swap parts.
pub struct System<'a> {
    pub host: String,
    pub pid: u32,
    pub clock: Box<dyn Fn() -> SystemTime + 'a>,
    pub fs_probe: Box<dyn FnMut(&Paths) -> FsVerdict + 'a>,
    pub pid_probe: Box<dyn FnMut(i32) -> bool + 'a>,
}

impl System<'static> {
    /// This process on this host: `df -P` on `.instar` and `.instar/state`, `kill(pid, 0)`,
    /// the system clock.
    pub fn real(host: String) -> System<'static> {
        System {
            host,
            pid: std::process::id(),
            clock: Box::new(SystemTime::now),
            fs_probe: Box::new(|p: &Paths| Df::from_env().check(&[&p.instar, &p.state])),
            pid_probe: Box::new(pid_alive),
        }
    }

    /// [`System::real`] on the host `env` names (`INSTAR_HOOKS_HOSTNAME`), else this one.
    pub fn from_env(env: &Env) -> crate::Result<System<'static>> {
        let host = match &env.hostname_override {
            Some(h) => h.clone(),
            None => hostname().map_err(|e| crate::Error::io("<hostname>", "read", e))?,
        };
        Ok(System::real(host))
    }
}

impl System<'_> {
    pub fn now(&self) -> SystemTime {
        (self.clock)()
    }
}

/// [`Probes`] over a lock file that has been opened and read: the heartbeat is the mtime of
/// *that* open file (so it belongs to the bytes the decision saw), fetched only on request.
pub(crate) struct FileProbes<'s, 'a> {
    pub file: Option<&'s File>,
    pub paths: &'s Paths,
    pub sys: &'s mut System<'a>,
    /// The lock's metadata, when the heartbeat was asked for.
    pub seen: Option<Metadata>,
}

impl Probes for FileProbes<'_, '_> {
    fn lock_mtime(&mut self) -> Option<SystemTime> {
        let meta = self.file?.metadata().ok()?;
        let mtime = meta.modified().ok();
        self.seen = Some(meta);
        mtime
    }

    fn state_dir_local(&mut self) -> FsVerdict {
        (self.sys.fs_probe)(self.paths)
    }

    fn pid_alive(&mut self, pid: i32) -> bool {
        (self.sys.pid_probe)(pid)
    }
}
