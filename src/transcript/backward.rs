//! A file's lines from its end backwards, reading at most a given number of bytes: how the
//! Stop hook reads only the turn that just ended, however long the transcript (50 MB+ is
//! normal for a long session).

use std::{
    fs::File,
    io::{self, Read, Seek, SeekFrom},
    ops::Range,
    path::Path,
};

use crate::fsutil;

/// How much is read from the file at a time.
const CHUNK: u64 = 64 * 1024;

pub(crate) struct Backward {
    file: File,
    /// The bytes not read yet are `0..unread`.
    unread: u64,
    /// Bytes read so far, against `cap`.
    read: u64,
    cap: u64,
    /// Read bytes: `buf[..partial]` is the end of a line that begins before `unread`;
    /// `lines` are the complete lines in `buf` not returned yet, oldest first.
    buf: Vec<u8>,
    partial: usize,
    lines: Vec<Range<usize>>,
    /// The cap stopped the reading before the start of the file.
    capped: bool,
}

impl Backward {
    /// Opens `path` (a regular file only: a FIFO or a device could block a hook) to read at
    /// most `cap` bytes from its end.
    pub(crate) fn open(path: &Path, cap: u64) -> io::Result<Backward> {
        let (file, len) = fsutil::open_regular(path, true)?;
        Ok(Backward {
            file,
            unread: len,
            read: 0,
            cap,
            buf: Vec::new(),
            partial: 0,
            lines: Vec::new(),
            capped: false,
        })
    }

    /// Whether the reading stopped at the cap before the file's first line.
    #[cfg(test)]
    pub(crate) fn capped(&self) -> bool {
        self.capped
    }

    /// The line before the last one returned (without its newline; empty lines are skipped),
    /// newest first. `None` at the start of the file, or at the cap.
    pub(crate) fn prev(&mut self) -> io::Result<Option<&[u8]>> {
        while self.lines.is_empty() {
            if !self.fill()? {
                return Ok(None);
            }
        }
        let line = self.lines.pop().expect("not empty");
        Ok(Some(&self.buf[line]))
    }

    /// Reads the next older chunk and splits what is complete into lines; false when there is
    /// nothing more to read.
    fn fill(&mut self) -> io::Result<bool> {
        if self.unread == 0 {
            return Ok(false);
        }
        if self.read >= self.cap {
            self.capped = true;
            return Ok(false);
        }
        let size = CHUNK.min(self.unread).min(self.cap - self.read);
        let start = self.unread - size;
        let mut chunk = Vec::with_capacity(size as usize + self.partial);
        self.file.seek(SeekFrom::Start(start))?;
        (&mut self.file).take(size).read_to_end(&mut chunk)?;
        if chunk.len() as u64 != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file shrank while it was read",
            ));
        }
        self.read += size;
        self.unread = start;
        // The chunk ends where the partial line of the newer bytes begins.
        chunk.extend_from_slice(&self.buf[..self.partial]);
        self.buf = chunk;
        let mut segments = Vec::new();
        let mut from = 0;
        while let Some(i) = crate::bytes::find_byte(&self.buf[from..], b'\n') {
            segments.push(from..from + i);
            from += i + 1;
        }
        // After the last newline: the file's last line when it has no final newline (on the
        // first read), or the line whose newline a newer read already passed.
        segments.push(from..self.buf.len());
        // Before the first newline: a line that may begin in older bytes, unless none are left.
        let first = segments.remove(0);
        if self.unread == 0 {
            segments.insert(0, first);
            self.partial = 0;
        } else {
            self.partial = first.end;
        }
        self.lines = segments.into_iter().filter(|r| !r.is_empty()).collect();
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, cap: u64) -> (Vec<String>, bool) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.jsonl");
        std::fs::write(&p, text).unwrap();
        let mut b = Backward::open(&p, cap).unwrap();
        let mut out = Vec::new();
        while let Some(l) = b.prev().unwrap() {
            out.push(String::from_utf8(l.to_vec()).unwrap());
        }
        (out, b.capped())
    }

    #[test]
    fn lines_come_newest_first_across_chunks_whatever_their_length() {
        // Lines shorter and longer than a chunk, and one that straddles every boundary.
        let long = "y".repeat(CHUNK as usize * 2 + 17);
        let mut text = String::new();
        let mut want = Vec::new();
        for i in 0..3000 {
            let l = match i % 7 {
                0 => long.clone(),
                _ => format!("line {i} {}", "x".repeat(i % 97)),
            };
            text.push_str(&l);
            text.push('\n');
            want.push(l);
        }
        want.reverse();
        assert_eq!(lines(&text, u64::MAX), (want.clone(), false));
        // No final newline: the last line still counts.
        let trimmed = text.trim_end_matches('\n');
        assert_eq!(lines(trimmed, u64::MAX).0, want);
    }

    #[test]
    fn empty_lines_are_skipped_and_the_first_line_is_returned() {
        assert_eq!(lines("a\n\n\nb\n", u64::MAX).0, ["b", "a"]);
        assert_eq!(lines("only", u64::MAX).0, ["only"]);
        assert_eq!(lines("", u64::MAX), (vec![], false));
    }

    #[test]
    fn the_cap_stops_the_reading_and_says_so() {
        let text = "0123456789\n".repeat(1000);
        let (got, capped) = lines(&text, 100);
        assert!(capped);
        // Only complete lines inside the last 100 bytes: 9 of them (the 10th is cut).
        assert_eq!(got.len(), 9);
        assert!(got.iter().all(|l| l == "0123456789"));
    }

    #[test]
    fn fifos_and_directories_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Backward::open(dir.path(), 10).is_err());
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(Backward::open(&fifo, 10).is_err());
    }
}
