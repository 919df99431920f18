//! The audit trail, in upstream's format (SPEC §1.11): one JSON object per line,
//! `{"ts":"<ISO>","event":"…",…fields}`, appended to `<project>/logs/resume-queue.jsonl`. When
//! the file is above 5 MiB it is first renamed to `resume-queue.jsonl.1` (replacing the old
//! backup). Writing is best effort, as upstream's: a failed audit never changes a decision,
//! but the error is kept in [`FileAudit::last_error`] for whoever wants to say so.
//!
//! Rotation and append happen under an exclusive `flock` on `logs/.resume-queue.jsonl.lock`
//! (waited for briefly), so two processes rotating at once cannot throw away the backup.

use serde_json::{Map, Value};
use std::{
    fs::{self, OpenOptions},
    io::{self, Write},
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use super::Paths;
use crate::{fsutil, timestamp::Timestamp};

/// The size above which the log is rotated.
pub(crate) const ROTATE_BYTES: u64 = 5 * 1024 * 1024;

/// Where audit rows go.
pub trait AuditSink {
    fn record(&mut self, at: SystemTime, event: &str, fields: Map<String, Value>);
}

/// An audit row's fields from a `json!({...})` object literal, in the literal's order.
pub fn fields(literal: Value) -> Map<String, Value> {
    match literal {
        Value::Object(map) => map,
        other => panic!("audit fields are a JSON object, not {other}"),
    }
}

/// One row: `ts` first, then `event`, then the fields in their order.
pub fn row(at: SystemTime, event: &str, fields: Map<String, Value>) -> Value {
    let mut obj = Map::new();
    obj.insert(
        "ts".into(),
        Value::String(Timestamp::from_system_time(at).to_string()),
    );
    obj.insert("event".into(), Value::String(event.into()));
    obj.extend(fields);
    Value::Object(obj)
}

/// The project's `logs/resume-queue.jsonl`.
#[derive(Debug)]
pub struct FileAudit {
    project: PathBuf,
    path: PathBuf,
    pub last_error: Option<io::Error>,
}

impl FileAudit {
    pub fn new(paths: &Paths) -> FileAudit {
        FileAudit {
            project: paths.project.clone(),
            path: paths.audit.clone(),
            last_error: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn append(&self, line: &str) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        fsutil::create_dir_within(&self.project, dir).map_err(io::Error::other)?;
        let name = self.path.file_name().unwrap_or_default().to_string_lossy();
        // Best effort: with the lock busy for a second, append anyway (never rotate blind).
        let guard =
            fsutil::lock_exclusive(&dir.join(format!(".{name}.lock")), Duration::from_secs(1));
        if guard.is_ok() && fs::metadata(&self.path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
            let mut backup = self.path.clone().into_os_string();
            backup.push(".1");
            fs::rename(&self.path, backup)?;
        }
        let mut file = OpenOptions::new()
            .append(true)
            .create(true)
            .mode(0o644)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&self.path)?;
        // One write per row, so rows from concurrent writers never interleave.
        file.write_all(format!("{line}\n").as_bytes())
    }
}

impl AuditSink for FileAudit {
    fn record(&mut self, at: SystemTime, event: &str, fields: Map<String, Value>) {
        let line = row(at, event, fields).to_string();
        self.last_error = self.append(&line).err();
    }
}

/// Rows kept in memory, for tests.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct MemoryAudit {
    pub rows: Vec<Value>,
}

#[cfg(test)]
impl AuditSink for MemoryAudit {
    fn record(&mut self, at: SystemTime, event: &str, fields: Map<String, Value>) {
        self.rows.push(row(at, event, fields));
    }
}
