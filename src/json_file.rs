//! Reading, rendering and replacing the JSON (and text) files people edit by hand — `.instar/config.json`,
//! the per-user config, Claude Code's settings files, CLAUDE.md — the one way every module
//! does it:
//!
//! - reads are capped (a file that big is not one a person or Claude Code wrote) and follow a
//!   symlink, as Claude Code and instar do (a settings or config file kept in a dotfiles
//!   repository is normal; state files, which must not be redirected, use `fsutil` instead);
//! - every failure is a typed [`Error`] naming the file: `Io`, `Parse` (with line and column)
//!   or `Unsupported` (the shape, or the size);
//! - [`replace`] re-reads just before writing and redoes the edit on what is there now when
//!   another process (Claude Code writes its settings too) changed the file meanwhile, and
//!   writes a symlinked file where it points, so the link stays a link.

use serde_json::{Map, Value};
use std::{
    io::Read,
    path::{Path, PathBuf},
};

use crate::{Error, fsutil};

/// Cap for the JSON files we read (configs, settings, Claude Code's plugin records).
pub(crate) const JSON_CAP: u64 = 16 * 1024 * 1024;

/// How many times a file may change under us before [`replace`] gives up on it.
const ATTEMPTS: usize = 3;

/// The bytes of `path` (at most `cap`), `None` when it does not exist.
pub fn read(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, Error> {
    let (file, len) = match fsutil::open_regular(path, true) {
        Ok(opened) => opened,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, "read", e)),
    };
    let mut bytes = Vec::with_capacity(len.min(cap.saturating_add(1)) as usize);
    file.take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "read", e))?;
    if bytes.len() as u64 > cap {
        return Err(Error::Unsupported {
            path: path.to_path_buf(),
            found: format!("it is larger than {cap} bytes"),
        });
    }
    Ok(Some(bytes))
}

/// `bytes` as a JSON document, or `Error::Parse` with the position.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::parse(path, &e))
}

/// `bytes` as a JSON object (the shape of every config and settings file).
pub(crate) fn parse_object(path: &Path, bytes: &[u8]) -> Result<Map<String, Value>, Error> {
    match parse(path, bytes)? {
        Value::Object(doc) => Ok(doc),
        other => Err(Error::Unsupported {
            path: path.to_path_buf(),
            found: format!("the top level is {}, not an object", type_name(&other)),
        }),
    }
}

/// The JSON document at `path` (capped at [`JSON_CAP`]), `None` when it does not exist.
pub(crate) fn read_json(path: &Path) -> Result<Option<Value>, Error> {
    read(path, JSON_CAP)?
        .map(|bytes| parse(path, &bytes))
        .transpose()
}

/// The JSON object at `path` (capped at [`JSON_CAP`]), `None` when it does not exist.
pub fn read_object(path: &Path) -> Result<Option<Map<String, Value>>, Error> {
    read(path, JSON_CAP)?
        .map(|bytes| parse_object(path, &bytes))
        .transpose()
}

/// One line for a person about a file that could not be read, without the path (the caller
/// shows it): "invalid JSON at 3:5: expected value", "the top level is an array, …".
pub fn problem(e: &Error) -> String {
    match e {
        Error::Parse {
            line,
            column,
            message,
            ..
        } => format!("invalid JSON at {line}:{column}: {message}"),
        Error::Unsupported { found, .. } => found.clone(),
        Error::Io { source, .. } => format!("cannot read: {source}"),
        other => other.to_string(),
    }
}

/// The permissions a replaced file gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Keep an existing file's mode; a new file gets this one.
    KeepOr(u32),
    /// Always this mode (deployed binaries: 0o755).
    Exact(u32),
}

/// A new config file's mode: it may hold the instar server's `authToken`.
pub(crate) const CONFIG_MODE: Mode = Mode::KeepOr(0o600);

/// What [`replace`] did.
#[derive(Debug, PartialEq, Eq)]
pub struct Replaced {
    /// The file that was (or would have been) written: the target of a symlink.
    pub path: PathBuf,
    /// The file's bytes changed and were written.
    pub written: bool,
}

/// Where a write to `path` goes: a symlink (e.g. into a dotfiles repository) is written where
/// it points, so the link stays a link.
pub(crate) fn write_target(path: &Path) -> Result<PathBuf, Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|e| Error::io(path, "follow the symlink", e))
        }
        _ => Ok(path.to_path_buf()),
    }
}

/// Replaces the file at `path` with what `edit` makes of its current bytes (`None` in,
/// the file does not exist; `None` out, nothing to change), atomically. Just before writing
/// it reads the file again: if another process changed it meanwhile, the edit is redone on
/// the new bytes (at most a few times, then `Error::Changed`). `before_write` gets the bytes
/// about to be replaced (to back them up); an error from it writes nothing. Reads are capped
/// at `cap`.
pub fn replace(
    path: &Path,
    cap: u64,
    mode: Mode,
    mut edit: impl FnMut(Option<&[u8]>) -> Result<Option<Vec<u8>>, Error>,
    mut before_write: impl FnMut(&Path, &[u8]) -> Result<(), Error>,
) -> Result<Replaced, Error> {
    let target = write_target(path)?;
    for _ in 0..ATTEMPTS {
        let current = read(&target, cap)?;
        let after = match edit(current.as_deref())? {
            Some(after) if current.as_deref() != Some(&after[..]) => after,
            _ => {
                return Ok(Replaced {
                    path: target,
                    written: false,
                });
            }
        };
        if read(&target, cap)? != current {
            continue; // changed under us: redo the edit on what is there now
        }
        if let Some(current) = &current {
            before_write(&target, current)?;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "create directory", e))?;
        }
        let written = match mode {
            Mode::KeepOr(new) => fsutil::write_atomic(&target, &after, new),
            Mode::Exact(mode) => fsutil::write_atomic_mode(&target, &after, mode),
        };
        written.map_err(|e| Error::io(&target, "write", e))?;
        return Ok(Replaced {
            path: target,
            written: true,
        });
    }
    Err(Error::Changed { path: target })
}

/// What a person calls a JSON value's type, for messages ("`hooks` is an array, not an object").
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The indentation of the file's first indented line (default two spaces).
pub(crate) fn detect_indent(bytes: &[u8]) -> Vec<u8> {
    bytes
        .split(|&b| b == b'\n')
        .skip(1)
        .map(|line| {
            line.iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .copied()
                .collect::<Vec<u8>>()
        })
        .find(|indent| !indent.is_empty())
        .unwrap_or_else(|| b"  ".to_vec())
}

/// Pretty JSON with `indent` and a final newline: the way Claude Code writes its settings
/// (with `preserve_order`, byte for byte), and the way every file we write is rendered.
pub fn render(doc: &Value, indent: &[u8]) -> Vec<u8> {
    use serde::Serialize;
    let mut out = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(indent);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    doc.serialize(&mut ser).expect("a Value serializes");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn reads_are_capped_follow_symlinks_and_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        assert_eq!(read_object(&path).unwrap(), None, "missing is normal");
        fs::write(&path, "{\"a\": 1}").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&path, &link).unwrap();
        assert_eq!(read_object(&link).unwrap().unwrap()["a"], 1);

        let err = read(&path, 4).unwrap_err();
        assert_eq!(problem(&err), "it is larger than 4 bytes");
        fs::write(&path, "{\n  \"a\": ").unwrap();
        let err = read_object(&path).unwrap_err();
        assert!(matches!(err, Error::Parse { line: 2, .. }), "{err:?}");
        assert!(
            problem(&err).starts_with("invalid JSON at 2:"),
            "{}",
            problem(&err)
        );
        assert_eq!(err.path(), Some(path.as_path()), "the error names the file");
        fs::write(&path, "[1]").unwrap();
        assert_eq!(
            problem(&read_object(&path).unwrap_err()),
            "the top level is an array, not an object"
        );
    }

    #[test]
    fn replace_redoes_the_edit_when_the_file_changes_meanwhile_and_backs_up_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "one").unwrap();
        let mut calls = 0;
        let mut backed_up = Vec::new();
        let r = replace(
            &path,
            JSON_CAP,
            Mode::KeepOr(0o600),
            |bytes| {
                calls += 1;
                if calls == 1 {
                    // Another writer, between our read and our write.
                    fs::write(&path, "two").unwrap();
                }
                Ok(Some([bytes.unwrap(), b"+"].concat()))
            },
            |_, before| {
                backed_up.push(before.to_vec());
                Ok(())
            },
        )
        .unwrap();
        assert!(r.written);
        assert_eq!(fs::read_to_string(&path).unwrap(), "two+");
        assert_eq!(backed_up, [b"two".to_vec()], "what was really replaced");
    }

    #[test]
    fn replace_writes_nothing_when_nothing_changes_or_the_backup_fails() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        fs::write(&path, "same").unwrap();
        let r = replace(
            &path,
            JSON_CAP,
            CONFIG_MODE,
            |b| Ok(b.map(<[u8]>::to_vec)),
            |_, _| Ok(()),
        );
        assert!(!r.unwrap().written);
        let failed = replace(
            &path,
            JSON_CAP,
            CONFIG_MODE,
            |_| Ok(Some(b"new".to_vec())),
            |p, _| Err(Error::io(p, "back up", std::io::ErrorKind::Other.into())),
        );
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "same");
    }
}
