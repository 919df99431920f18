//! The pure edits of the text files the migrator changes: bytes in (`None`: no such file),
//! new bytes (when they change), report lines and notes out. The same edit runs at plan time
//! and again at apply time on whatever the file holds then.

use serde_json::{Map, Value};
use std::path::Path;

use crate::{
    Error, claude_md,
    config::edit,
    settings::{self, Registration, SETTINGS_FILE},
};

/// What an edit makes of a file.
pub(super) struct Edited {
    /// The new bytes; `None` when nothing changes.
    pub after: Option<Vec<u8>>,
    /// One report line per change.
    pub lines: Vec<String>,
    /// What the user should know about the file that the edit deliberately leaves alone.
    pub notes: Vec<String>,
}

impl Edited {
    fn unchanged(notes: Vec<String>) -> Edited {
        Edited {
            after: None,
            lines: Vec::new(),
            notes,
        }
    }
}

/// A pure edit of a file's bytes.
pub(super) type Edit = Box<dyn Fn(Option<&[u8]>) -> Result<Edited, Error>>;

pub(super) fn settings(bytes: Option<&[u8]>, regs: &[Registration]) -> Result<Edited, Error> {
    let path = Path::new(SETTINGS_FILE);
    let mut doc = match bytes {
        Some(b) => settings::parse(path, b)?,
        None => Value::Object(Map::new()),
    };
    let mut lines = settings::register(&mut doc, regs);
    // Notes describe the file as it will be: a legacy hook we replace is not mentioned.
    let notes = settings::millisecond_timeouts(&doc);
    if lines.is_empty() {
        return Ok(Edited::unchanged(notes));
    }
    if bytes.is_none() {
        lines.insert(0, format!("{SETTINGS_FILE}: created"));
    }
    let indent = bytes.map_or_else(|| b"  ".to_vec(), settings::detect_indent);
    Ok(Edited {
        after: Some(settings::render(&doc, &indent)),
        lines,
        notes,
    })
}

/// Changes `actionClaim.enabled` in the config file at `path` (as the report names it), as
/// `switch` says.
pub(super) fn config(
    path: &Path,
    bytes: Option<&[u8]>,
    switch: &edit::SwitchEdit,
) -> Result<Edited, Error> {
    let (lines, after) = edit::edit_bytes(path, bytes, |doc| switch.apply(doc))?;
    if lines.is_empty() {
        // Already so: the file is not rewritten for its formatting alone.
        return Ok(Edited::unchanged(Vec::new()));
    }
    Ok(Edited {
        after,
        lines: lines
            .into_iter()
            .map(|l| format!("{}: {l}", path.display()))
            .collect(),
        notes: Vec::new(),
    })
}

pub(super) fn claude_md(bytes: Option<&[u8]>) -> Result<Edited, Error> {
    let text = match bytes {
        Some(b) => Some(std::str::from_utf8(b).map_err(|_| Error::Unsupported {
            path: claude_md::FILE.into(),
            found: "it is not valid UTF-8".into(),
        })?),
        None => None,
    };
    let patched = claude_md::patch(text);
    let Some(content) = patched.content else {
        return Ok(Edited::unchanged(Vec::new()));
    };
    let mut lines = Vec::new();
    if text.is_none() {
        lines.push(format!("{}: created", claude_md::FILE));
    }
    if let Some(fence) = patched.closed_fence {
        lines.push(format!(
            "{}: closed an unterminated `{fence}` code block at the end of the file first",
            claude_md::FILE
        ));
    }
    for name in patched.added {
        lines.push(format!("{}: added {name}", claude_md::FILE));
    }
    Ok(Edited {
        after: Some(content.into_bytes()),
        lines,
        notes: Vec::new(),
    })
}
