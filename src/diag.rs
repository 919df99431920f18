//! The hooks' diagnostics log: one line per event, appended to a size-capped file (rotated to
//! `<name>.1` past the cap), never stdout and never an error for the caller. Hooks must not
//! fail a turn because a log could not be written.
//!
//! A line is `<time> <source> pid=<pid> <message>`. A problem — something a person should
//! look at, which `instar-hooks doctor` reports — is written with [`Log::problem`], which puts
//! [`PROBLEM`] right after the pid: the signal is where the line says it, not in its wording.

#[cfg(test)]
use std::path::Path;
use std::{path::PathBuf, sync::OnceLock};

use crate::{fsutil, state::StateDir, timestamp::Timestamp};

/// Size at which the log is rotated; with one backup the log never takes more than twice this.
pub(crate) const LOG_CAP: u64 = 256 * 1024;

/// The word that marks a problem line, right after `pid=<pid>`.
pub const PROBLEM: &str = "ERROR";

/// Whether a log line was written by [`Log::problem`].
pub fn is_problem(line: &str) -> bool {
    let mut fields = line.split(' ');
    // <time> <source> pid=<pid> ERROR …
    fields.nth(2).is_some_and(|pid| pid.starts_with("pid=")) && fields.next() == Some(PROBLEM)
}

#[derive(Clone, Debug)]
pub(crate) struct Log {
    path: PathBuf,
    cap: u64,
    source: &'static str,
    /// Created (safely) on the first write, so a run that has nothing to say touches no
    /// directory at all.
    state: Option<StateDir>,
}

static GLOBAL: OnceLock<Log> = OnceLock::new();

impl Log {
    pub(crate) fn new(path: impl Into<PathBuf>, source: &'static str) -> Self {
        Log {
            path: path.into(),
            cap: LOG_CAP,
            source,
            state: None,
        }
    }

    /// The hooks' log in a project's state directory.
    pub(crate) fn for_state(state: &StateDir, source: &'static str) -> Self {
        Log {
            state: Some(state.clone()),
            ..Log::new(state.log_file(), source)
        }
    }

    #[cfg(test)]
    pub(crate) fn with_cap(mut self, cap: u64) -> Self {
        self.cap = cap;
        self
    }

    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line; every failure is swallowed (there is nowhere left to report it).
    pub(crate) fn write(&self, message: &str) {
        let _ = self.try_write("", message);
    }

    /// Appends one line marked as a problem (see [`is_problem`]): something went wrong that a
    /// person should look at (a claim not recorded, an unreadable file, a panic).
    pub(crate) fn problem(&self, message: &str) {
        let _ = self.try_write(PROBLEM, message);
    }

    fn try_write(&self, marker: &str, message: &str) -> std::io::Result<()> {
        let clean: String = message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(2000)
            .collect();
        // An ordinary message that happens to start with the marker must not read as one.
        let marker = match (marker, clean.split(' ').next()) {
            ("", Some(PROBLEM)) => "-",
            (marker, _) => marker,
        };
        let line = format!(
            "{} {} pid={} {}{}{}\n",
            Timestamp::now(),
            self.source,
            std::process::id(),
            marker,
            if marker.is_empty() { "" } else { " " },
            clean
        );
        let ensure = || match &self.state {
            Some(state) => state.ensure().map_err(std::io::Error::other),
            None => Err(std::io::ErrorKind::NotFound.into()),
        };
        fsutil::append_rotated(&self.path, line.as_bytes(), self.cap, ensure)
    }

    /// Makes this log the one the panic hook writes to (first call wins).
    pub(crate) fn install_global(&self) {
        let _ = GLOBAL.set(self.clone());
    }

    pub(crate) fn global() -> Option<&'static Log> {
        GLOBAL.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn lines_are_appended_and_the_file_rotates_at_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let log = Log::new(dir.path().join("hooks.log"), "test").with_cap(200);
        for i in 0..20 {
            log.write(&format!("event {i}\nwith a newline"));
        }
        let current = fs::read_to_string(log.path()).unwrap();
        let backup = fs::read_to_string(dir.path().join("hooks.log.1")).unwrap();
        assert!(current.len() < 400 && backup.len() < 400);
        assert!(current.contains("event 19 with a newline"));
        assert!(current.lines().all(|l| l.contains(" test pid=")));
    }

    #[test]
    fn problems_are_marked_where_the_line_says_so_not_by_their_wording() {
        let dir = tempfile::tempdir().unwrap();
        let log = Log::new(dir.path().join("hooks.log"), "test");
        log.write("could not parse anything: a panic, unreadable");
        log.write("ERROR looks like a marker but is a message");
        log.problem("stdin exceeded 4194304 bytes; this turn was not classified");
        let text = fs::read_to_string(log.path()).unwrap();
        let marked: Vec<bool> = text.lines().map(is_problem).collect();
        assert_eq!(marked, [false, false, true], "{text}");
        assert!(text.contains(" - ERROR looks like a marker"), "{text}");
        assert!(
            text.lines()
                .last()
                .unwrap()
                .contains(" ERROR stdin exceeded")
        );
    }

    #[test]
    fn an_unwritable_log_is_skipped_without_creating_anything() {
        let dir = tempfile::tempdir().unwrap();
        // The log's directory is a file: nothing can be created under it.
        let blocker = dir.path().join("logs");
        fs::write(&blocker, "not a directory").unwrap();
        let log = Log::new(blocker.join("hooks.log"), "test");
        log.write("nothing happens");
        log.problem("nor here");
        assert_eq!(fs::read_to_string(&blocker).unwrap(), "not a directory");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
