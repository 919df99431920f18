//! "Is the state dir on a host-local disk?", answered from the source column of `df -P`
//! (SPEC §1.7–§1.8), failing closed: anything we cannot read with confidence is "not local".
//!
//! - [`classify_source`] is upstream's `classifyDfSourceLocal`, rule for rule.
//! - [`parse`] reads `df -P` output. Stricter than upstream (which took the first token of the
//!   second line, whatever it was): the header must be `df`'s, there must be exactly one data
//!   row per path asked about, and each row must have `df -P`'s six columns with numbers
//!   where numbers go. Anything else is garbage, and garbage is not local.
//! - [`Df::check`] runs `df` without a shell, found by searching `PATH` for an absolute
//!   directory holding an executable `df` (a relative entry would mean "the current
//!   directory"), with `LC_ALL=C`, and kills it (its whole process group) after 3 s.
//!
//! We ask about both `.instar` (upstream's `stateDir`) and `.instar/state`, in one `df` run:
//! a `state/` that is itself a separate, say NFS, mount is invisible to upstream's probe
//! (weakness 4). What remains unfixable at this level: a cluster filesystem on a shared SAN
//! shows up as `/dev/…` and reads as local.

use std::{
    ffi::OsString,
    fs,
    io::{Read, Seek},
    os::unix::{fs::PermissionsExt, process::CommandExt},
    path::{Path, PathBuf},
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use super::decision::FsVerdict;

/// How long `df` may take before it counts as "not local".
pub(crate) const DF_TIMEOUT: Duration = Duration::from_millis(3000);
/// More output than this is not `df -P` about two paths.
const OUTPUT_CAP: u64 = 64 * 1024;

/// Upstream's `classifyDfSourceLocal`: the first matching rule decides.
pub(crate) fn classify_source(source: &str) -> bool {
    if source.is_empty() || source.starts_with("//") {
        return false; // nothing, or SMB/CIFS
    }
    // `/^[^\/][^:]*:/`: a first character that is not `/`, then a `:` somewhere after it
    // (NFS `host:/path`, `user@host:/p`, `10.0.0.5:/vol`, and also `a/b:c`).
    let mut chars = source.chars();
    if chars.next().is_some_and(|c| c != '/') && chars.as_str().contains(':') {
        return false;
    }
    source.starts_with("/dev/")
}

/// The source of each data row of `df -P` output about `paths` paths, or why the output
/// cannot be trusted.
pub fn parse(out: &[u8], paths: usize) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(out).map_err(|_| "its output is not UTF-8".to_string())?;
    let mut lines = text.trim().lines();
    let header = lines.next().unwrap_or_default();
    if !header.starts_with("Filesystem") {
        return Err(format!("unexpected header {:?}", shorten(header)));
    }
    let rows: Vec<&str> = lines.collect();
    if rows.len() != paths {
        return Err(format!("{} data row(s) for {paths} path(s)", rows.len()));
    }
    rows.iter()
        .map(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            let well_formed = cols.len() >= 6
                && cols[1..4].iter().all(|c| numeric(c) || *c == "-")
                && (cols[4].ends_with('%') || cols[4] == "-");
            if well_formed {
                Ok(cols[0].to_string())
            } else {
                Err(format!("unexpected row {:?}", shorten(row)))
            }
        })
        .collect()
}

fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}

/// The verdict for `df -P` output about `paths`, given as text for people.
pub(crate) fn verdict_from_output(out: &[u8], paths: &[&Path]) -> FsVerdict {
    match parse(out, paths.len()) {
        Err(why) => unknown(&format!("cannot read `df -P` output: {why}")),
        Ok(sources) => {
            let remote: Vec<String> = paths
                .iter()
                .zip(&sources)
                .filter(|(_, s)| !classify_source(s))
                .map(|(p, s)| format!("{} is on `{s}`", p.display()))
                .collect();
            if remote.is_empty() {
                let mut uniq = sources;
                uniq.dedup();
                FsVerdict {
                    local: true,
                    detail: format!("host-local disk ({})", uniq.join(", ")),
                }
            } else {
                FsVerdict {
                    local: false,
                    detail: format!(
                        "not a host-local disk: {} (only /dev/… sources count as local)",
                        remote.join("; ")
                    ),
                }
            }
        }
    }
}

fn unknown(why: &str) -> FsVerdict {
    FsVerdict {
        local: false,
        detail: format!("unknown, so treated as not local: {why}"),
    }
}

/// How to run `df`: which `PATH` to search, and for how long to wait.
#[derive(Clone, Debug)]
pub(crate) struct Df {
    pub path_var: Option<OsString>,
    pub timeout: Duration,
}

impl Df {
    /// The process's `PATH` and the 3 s bound.
    pub(crate) fn from_env() -> Df {
        Df {
            path_var: std::env::var_os("PATH"),
            timeout: DF_TIMEOUT,
        }
    }

    /// Runs `df -P <paths…>` and classifies every row; "not local" on any failure.
    pub(crate) fn check(&self, paths: &[&Path]) -> FsVerdict {
        let Some(exe) = find_in_path("df", self.path_var.as_deref()) else {
            return unknown("no executable `df` in an absolute PATH directory");
        };
        let mut cmd = Command::new(&exe);
        cmd.args(["-P", "--"]).args(paths).env("LC_ALL", "C");
        match run_bounded(cmd, self.timeout) {
            Ok(out) => verdict_from_output(&out, paths),
            Err(why) => unknown(&format!("`{}` {why}", exe.display())),
        }
    }
}

/// The first absolute `PATH` directory holding an executable regular file called `name`.
pub(crate) fn find_in_path(name: &str, path_var: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path_var?)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|p| fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0))
}

/// Runs `cmd` with stdin closed and stdout/stderr in anonymous temp files (a pipe could fill
/// up and stall it, or be held open by a grandchild), polling for its exit. On timeout the
/// whole process group is killed and reaped. Returns stdout when it exits 0.
fn run_bounded(mut cmd: Command, timeout: Duration) -> Result<Vec<u8>, String> {
    let io_err = |e: std::io::Error| format!("could not be run: {e}");
    let mut stdout = tempfile::tempfile().map_err(io_err)?;
    let mut stderr = tempfile::tempfile().map_err(io_err)?;
    cmd.stdin(Stdio::null())
        .stdout(stdout.try_clone().map_err(io_err)?)
        .stderr(stderr.try_clone().map_err(io_err)?)
        .process_group(0);
    let mut child = spawn_retrying(&mut cmd).map_err(io_err)?;
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(25));
            }
            result => {
                // Timed out (or cannot tell): kill the group so nothing it started lingers.
                if let Ok(pgid) = i32::try_from(child.id()) {
                    // SAFETY: kill(2) with a negative pid signals that process group only; the
                    // group is the child's own (process_group(0) above).
                    unsafe { libc::kill(-pgid, libc::SIGKILL) };
                }
                let _ = child.kill();
                let _ = child.wait();
                return Err(match result {
                    Err(e) => format!("could not be waited for: {e}"),
                    _ => format!("did not answer within {} s", timeout.as_secs_f32()),
                });
            }
        }
    };
    let read = |f: &mut fs::File| {
        let mut buf = Vec::new();
        f.rewind()
            .and_then(|()| f.take(OUTPUT_CAP).read_to_end(&mut buf))
            .map(|_| buf)
            .unwrap_or_default()
    };
    if !status.success() {
        let err = String::from_utf8_lossy(&read(&mut stderr)).into_owned();
        let first = err.lines().next().unwrap_or_default();
        return Err(format!(
            "failed ({status}){}{}",
            if first.is_empty() { "" } else { ": " },
            shorten(first)
        ));
    }
    Ok(read(&mut stdout))
}

/// `ETXTBSY` is transient: another thread of this process can still hold an inherited
/// write descriptor to a freshly written executable between its `fork` and `exec`.
fn spawn_retrying(cmd: &mut Command) -> std::io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match cmd.spawn() {
            Err(e) if e.raw_os_error() == Some(libc::ETXTBSY) && tries < 5 => {
                tries += 1;
                thread::sleep(Duration::from_millis(10 * tries));
            }
            other => return other,
        }
    }
}
