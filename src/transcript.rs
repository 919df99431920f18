/*!
Bounded reads of Claude Code's session transcript (`transcript_path`, JSON Lines: one
`user`/`assistant`/`system`/… entry per line; each assistant text or tool_use block is its
own line). Lines are parsed as `serde_json::Value` and unknown shapes are skipped: the format
belongs to Claude Code and drifts.

Only regular files are read (a FIFO or a device could block a hook forever), checked on the
open descriptor, and never more than a given number of bytes. The path is Claude Code's, not
something inside our state directory, so a symlink to a regular file is followed.
*/

use serde_json::Value;
use std::{
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use crate::fsutil;

mod backward;
pub(crate) mod turn;

/// How much of the transcript's end the Stop hook reads to find the last assistant text.
pub(crate) const TAIL_CAP: u64 = 1024 * 1024;

/// A stretch of the transcript that starts at a line boundary.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub bytes: Vec<u8>,
    /// The file offset of `bytes[0]`.
    pub start: u64,
    /// Bytes after `from` jumped over because there were more than `cap`.
    pub skipped: u64,
}

/// Reads from byte `from` (a line start from an earlier read) to the end, at most `cap`
/// bytes: when more has been written since, the oldest is skipped. With no `from`, or one
/// past the end (the file was replaced or truncated), reads the last `tail` bytes. A partial
/// first line is dropped whenever the read does not start where a line does.
pub(crate) fn read_from(
    path: &Path,
    from: Option<u64>,
    tail: u64,
    cap: u64,
) -> std::io::Result<Chunk> {
    let (mut file, len) = fsutil::open_regular(path, true)?;
    let (mut start, mut aligned) = match from.filter(|&f| f <= len) {
        Some(f) => (f, true),
        None => (len.saturating_sub(tail), false),
    };
    let mut skipped = 0;
    if len - start > cap {
        skipped = len - cap - start;
        start = len - cap;
        aligned = false;
    }
    file.seek(SeekFrom::Start(start))?;
    let mut bytes = Vec::with_capacity((len - start) as usize);
    file.take(cap).read_to_end(&mut bytes)?;
    if !aligned && start > 0 {
        let partial = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |nl| nl + 1);
        bytes.drain(..partial);
        start += partial as u64;
    }
    Ok(Chunk {
        bytes,
        start,
        skipped,
    })
}

/// The last `cap` bytes of the file, starting at a line boundary (a partial first line is
/// dropped unless the whole file fits).
pub(crate) fn read_tail(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    read_from(path, None, cap, cap).map(|chunk| chunk.bytes)
}

/// The text of the last assistant text block in the transcript's tail, for Claude Code
/// versions whose Stop input has no `last_assistant_message`.
pub(crate) fn last_assistant_text(path: &Path, cap: u64) -> Option<String> {
    let tail = read_tail(path, cap).ok()?;
    tail.split(|&b| b == b'\n').rev().find_map(|line| {
        let entry: Value = serde_json::from_slice(line).ok()?;
        if entry.get("type")?.as_str()? != "assistant" {
            return None;
        }
        let content = entry.get("message")?.get("content")?;
        match content {
            Value::String(s) => Some(s.clone()),
            Value::Array(blocks) => blocks.iter().rev().find_map(|b| {
                (b.get("type")?.as_str()? == "text")
                    .then(|| b.get("text")?.as_str().map(str::to_owned))
                    .flatten()
            }),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn line(v: serde_json::Value) -> String {
        format!("{v}\n")
    }

    #[test]
    fn finds_the_last_assistant_text_and_skips_tool_use_and_unknown_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        let text = [
            line(serde_json::json!({"type": "user", "message": {"role": "user", "content": "hi"}})),
            line(serde_json::json!({"type": "assistant", "message": {"content": [{"type": "text", "text": "first"}]}})),
            line(serde_json::json!({"type": "assistant", "message": {"content": [{"type": "text", "text": "Relaunching now."}]}})),
            line(serde_json::json!({"type": "assistant", "message": {"content": [{"type": "tool_use", "name": "Bash", "input": {}}]}})),
            "not json\n".into(),
            line(serde_json::json!({"type": "system", "subtype": "whatever"})),
        ]
        .concat();
        fs::write(&p, text).unwrap();
        assert_eq!(
            last_assistant_text(&p, TAIL_CAP).as_deref(),
            Some("Relaunching now.")
        );
    }

    #[test]
    fn the_tail_starts_at_a_line_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        fs::write(&p, "aaaa\nbbbb\ncccc\n").unwrap();
        assert_eq!(read_tail(&p, 7).unwrap(), b"cccc\n");
        assert_eq!(read_tail(&p, 100).unwrap(), b"aaaa\nbbbb\ncccc\n");
    }

    #[test]
    fn a_read_from_an_earlier_end_returns_only_what_was_written_since() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        fs::write(&p, "aaaa\nbbbb\n").unwrap();
        let unchanged = read_from(&p, Some(10), 100, 100).unwrap();
        assert_eq!(
            (unchanged.bytes.as_slice(), unchanged.start),
            (&b""[..], 10)
        );
        fs::write(&p, "aaaa\nbbbb\ncccc\n").unwrap();
        let grown = read_from(&p, Some(10), 100, 100).unwrap();
        assert_eq!((grown.bytes.as_slice(), grown.start), (&b"cccc\n"[..], 10));
        // Replaced by a shorter file: the tail, from a line boundary.
        fs::write(&p, "dd\n").unwrap();
        let replaced = read_from(&p, Some(10), 100, 100).unwrap();
        assert_eq!(
            (replaced.bytes.as_slice(), replaced.start),
            (&b"dd\n"[..], 0)
        );
    }

    #[test]
    fn directories_fifos_and_missing_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_tail(dir.path(), 10).is_err());
        assert!(read_tail(&dir.path().join("missing"), 10).is_err());
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(read_tail(&fifo, 10).is_err());
        // At the offset an earlier read ended: still refused, never opened for reading.
        assert!(read_from(&fifo, Some(0), 10, 10).is_err());
        assert!(read_from(&dir.path().join("missing"), Some(0), 10, 10).is_err());
    }
}
