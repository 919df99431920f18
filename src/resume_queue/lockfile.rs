//! The lock file's bytes and what they say, parsed the way upstream's `JSON.parse` + property
//! access reads them (SPEC §1.2): unparsable text is `{}` (same host, no pid), literal `null`
//! is an error (upstream throws reading `null.hostname`), any other non-object has no fields.
//!
//! One departure, failing closed: a lock longer than [`LOCK_CAP`] is not read as `{}` (which
//! would be "same host, no pid", reclaimed at once, even when the bytes we did not read name
//! another host), but as [`LockContents::TooLarge`], which nothing takes over.

use serde_json::Value;
use std::{
    fs::{File, Metadata},
    io::{self, Read},
    os::unix::fs::MetadataExt,
    path::Path,
    time::SystemTime,
};

use super::config::truthy;

/// A lock file is a few dozen bytes; we read at most this much of one.
pub(crate) const LOCK_CAP: u64 = 64 * 1024;

/// Why the queue stays off when the lock file holds literal `null`.
pub(crate) const NULL_LOCK_ERROR: &str = "the lock file holds JSON null instead of a lock object";
/// Why the queue stays off when the lock file is longer than [`LOCK_CAP`].
pub(crate) const TOO_LARGE_LOCK_ERROR: &str =
    "the lock file is larger than 64 KiB (no queue owner writes one that large)";

/// What a lock file says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum LockContents {
    /// The file holds the JSON literal `null`: upstream's acquire throws, and so do we
    /// (the queue stays disabled, the error is audited).
    Null,
    /// The file is longer than [`LOCK_CAP`]: what it says is unknown, so it is not evaluated
    /// (the queue stays disabled, the error is audited).
    TooLarge,
    /// Anything else. `pid` is the raw `pid` value (kept for audit rows); `host` is the
    /// hostname when it is truthy in JavaScript's sense, as text.
    Lock {
        pid: Option<Value>,
        host: Option<String>,
    },
}

impl LockContents {
    pub(crate) fn parse(bytes: &[u8]) -> LockContents {
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Null) => LockContents::Null,
            Ok(Value::Object(obj)) => LockContents::Lock {
                pid: obj.get("pid").cloned(),
                host: obj.get("hostname").and_then(host_text),
            },
            // `JSON.parse` failed (→ `{}`), or a number/string/array/bool, whose `.pid` and
            // `.hostname` are `undefined`.
            _ => LockContents::Lock {
                pid: None,
                host: None,
            },
        }
    }

    /// Why this lock cannot be evaluated at all, when it cannot.
    pub(crate) fn unusable(&self) -> Option<&'static str> {
        match self {
            LockContents::Null => Some(NULL_LOCK_ERROR),
            LockContents::TooLarge => Some(TOO_LARGE_LOCK_ERROR),
            LockContents::Lock { .. } => None,
        }
    }

    /// The lock's hostname when it names a host (truthy), else `None` (counts as same-host).
    pub(crate) fn host(&self) -> Option<&str> {
        match self {
            LockContents::Lock { host, .. } => host.as_deref(),
            LockContents::Null | LockContents::TooLarge => None,
        }
    }

    /// Whether the lock names a host other than `this_host` (the foreign path of a decision).
    pub(crate) fn names_other_host(&self, this_host: &str) -> bool {
        self.host().is_some_and(|h| h != this_host)
    }

    /// The raw `pid` value, as recorded in audit rows.
    pub(crate) fn raw_pid(&self) -> Option<&Value> {
        match self {
            LockContents::Lock { pid, .. } => pid.as_ref(),
            LockContents::Null | LockContents::TooLarge => None,
        }
    }

    /// The pid when it names a process we may signal: a whole number from 1 to `i32::MAX`.
    /// Upstream passes any JSON number to `process.kill(pid, 0)`, where 0 and -1 mean "my
    /// process group" and "every process" and so read as alive; a lock never holds those, so
    /// here they are "not a pid", which the rules treat like a missing pid.
    pub(crate) fn pid(&self) -> Option<i32> {
        let v = self.raw_pid()?;
        let n = v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))?;
        i32::try_from(n).ok().filter(|&p| p > 0)
    }
}

/// A hostname value that is truthy in JavaScript's sense, rendered as text (`String(x)` for
/// scalars, compact JSON for objects and arrays, which JS would render even less usefully).
fn host_text(v: &Value) -> Option<String> {
    match v {
        _ if !truthy(v) => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// The compact JSON a lock holds: `{"pid":N,"hostname":"H"}`, no trailing newline.
pub(crate) fn encode(pid: &Value, hostname: &str) -> Vec<u8> {
    let mut obj = serde_json::Map::new();
    obj.insert("pid".into(), pid.clone());
    obj.insert("hostname".into(), Value::String(hostname.into()));
    Value::Object(obj).to_string().into_bytes()
}

/// A lock file as read: its bytes (at most [`LOCK_CAP`]) and the open file they came from.
/// Nothing here stats the file; its metadata is fetched only if a probe asks for the heartbeat.
#[derive(Debug)]
pub(crate) struct LockRead {
    pub bytes: Vec<u8>,
    /// The file is longer than [`LOCK_CAP`]: `bytes` is only its beginning.
    pub truncated: bool,
    pub file: File,
}

impl LockRead {
    /// What the lock says; [`LockContents::TooLarge`] when only its beginning was read.
    pub(crate) fn contents(&self) -> LockContents {
        if self.truncated {
            LockContents::TooLarge
        } else {
            LockContents::parse(&self.bytes)
        }
    }
}

/// Reads the lock without following a symlink. `Ok(None)` when there is no lock file.
pub(crate) fn read(path: &Path) -> io::Result<Option<LockRead>> {
    let file = match crate::fsutil::open_nofollow(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // One byte past the cap tells a lock of exactly the cap from a longer one.
    let mut bytes = Vec::new();
    (&file).take(LOCK_CAP + 1).read_to_end(&mut bytes)?;
    let truncated = bytes.len() as u64 > LOCK_CAP;
    bytes.truncate(LOCK_CAP as usize);
    Ok(Some(LockRead {
        bytes,
        truncated,
        file,
    }))
}

/// Which file, in which state: what a takeover re-checks under the guard before replacing it.
/// Our writers never modify a lock in place (they rename a new file over it), so the same
/// device, inode, mtime and bytes mean nobody has touched the lock since we decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub dev: u64,
    pub ino: u64,
    pub mtime: Option<SystemTime>,
    pub bytes: Vec<u8>,
}

impl Identity {
    pub(crate) fn new(meta: &Metadata, bytes: Vec<u8>) -> Identity {
        Identity {
            dev: meta.dev(),
            ino: meta.ino(),
            mtime: meta.modified().ok(),
            bytes,
        }
    }

    /// The lock at `path` now (`None` when absent), read and fstat'ed through one descriptor.
    pub(crate) fn current(path: &Path) -> io::Result<Option<Identity>> {
        match read(path)? {
            None => Ok(None),
            Some(r) => {
                let meta = r.file.metadata()?;
                Ok(Some(Identity::new(&meta, r.bytes)))
            }
        }
    }
}
