//! The pure edits of the text files the migrator changes: bytes in (`None`: no such file),
//! new bytes (when they change), what changed and notes out. The same edit runs at plan time
//! and again at apply time on whatever the file holds then.

use serde_json::{Map, Value};
use std::path::Path;

use super::{Note, Upgrade};
use crate::{
    Error, claude_md,
    config::edit,
    settings::{self, Registration, SETTINGS_FILE},
};

/// What an edit makes of a file.
pub(super) struct Edited {
    /// The new bytes; `None` when nothing changes.
    pub after: Option<Vec<u8>>,
    /// What changed, one entry per change.
    pub upgrades: Vec<Upgrade>,
    /// What the user should know about the file that the edit deliberately leaves alone.
    pub notes: Vec<Note>,
}

impl Edited {
    fn unchanged(notes: Vec<Note>) -> Edited {
        Edited {
            after: None,
            upgrades: Vec::new(),
            notes,
        }
    }
}

/// A pure edit of a file's bytes.
pub(super) type Edit = Box<dyn Fn(Option<&[u8]>) -> Result<Edited, Error>>;

/// Registers `regs` in `.claude/settings.json`, and removes the entries of `drop` (our hooks
/// another settings file runs already).
pub(super) fn settings(
    bytes: Option<&[u8]>,
    regs: &[Registration],
    drop: &[Registration],
) -> Result<Edited, Error> {
    let path = Path::new(SETTINGS_FILE);
    let mut doc = match bytes {
        Some(b) => settings::parse(path, b)?,
        None => Value::Object(Map::new()),
    };
    let mut upgrades = drop_hooks(&mut doc, drop);
    upgrades.extend(
        settings::register(&mut doc, regs)
            .into_iter()
            .map(Upgrade::Registration),
    );
    // Notes describe the file as it will be: a legacy hook we replace is not mentioned.
    let notes = settings::millisecond_timeouts(&doc)
        .into_iter()
        .map(Note::MillisecondTimeout)
        .collect();
    if upgrades.is_empty() {
        return Ok(Edited::unchanged(notes));
    }
    if bytes.is_none() {
        upgrades.insert(0, Upgrade::Created);
    }
    let indent = bytes.map_or_else(|| b"  ".to_vec(), settings::detect_indent);
    Ok(Edited {
        after: Some(settings::render(&doc, &indent)),
        upgrades,
        notes,
    })
}

/// Removes every hook that runs a `drop` registration's binary under its event, or under an
/// event the template does not register that binary for. A group left without hooks goes,
/// and so does an event left without groups.
fn drop_hooks(doc: &mut Value, drop: &[Registration]) -> Vec<Upgrade> {
    let mut upgrades = Vec::new();
    let Some(hooks) = doc.get_mut("hooks").and_then(Value::as_object_mut) else {
        return upgrades;
    };
    for reg in drop {
        let its_events: Vec<&str> = settings::template()
            .iter()
            .filter(|r| r.binary == reg.binary)
            .map(|r| r.event.as_str())
            .collect();
        let mut emptied_events = Vec::new();
        for (event, groups) in hooks.iter_mut() {
            if *event != reg.event && its_events.contains(&event.as_str()) {
                continue;
            }
            let Some(groups) = groups.as_array_mut() else {
                continue;
            };
            let (removed, emptied) = remove_binary(groups, &reg.binary);
            if removed > 0 {
                upgrades.push(Upgrade::HooksRemoved {
                    count: removed,
                    binary: reg.binary.clone(),
                    event: event.clone(),
                    registered_for: reg.event.clone(),
                });
                if emptied && groups.is_empty() {
                    emptied_events.push(event.clone());
                }
            }
        }
        for event in emptied_events {
            hooks.shift_remove(&event);
        }
    }
    upgrades
}

/// Removes the hooks that run `binary` from an event's groups, and the groups that leaves
/// empty. Returns how many hooks went, and whether a group did.
fn remove_binary(groups: &mut Vec<Value>, binary: &str) -> (usize, bool) {
    let mut removed = 0;
    let mut emptied = Vec::new();
    for (g, group) in groups.iter_mut().enumerate() {
        let Some(list) = group.get_mut("hooks").and_then(Value::as_array_mut) else {
            continue;
        };
        let before = list.len();
        list.retain(|h| {
            h.get("command")
                .and_then(Value::as_str)
                .and_then(settings::our_binary)
                != Some(binary)
        });
        removed += before - list.len();
        if before > 0 && list.is_empty() {
            emptied.push(g);
        }
    }
    for &g in emptied.iter().rev() {
        groups.remove(g);
    }
    (removed, !emptied.is_empty())
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
        upgrades: lines
            .into_iter()
            .map(|detail| Upgrade::Edited { detail })
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
    let mut upgrades = Vec::new();
    if text.is_none() {
        upgrades.push(Upgrade::Created);
    }
    if let Some(fence) = patched.closed_fence {
        upgrades.push(Upgrade::FenceClosed { fence });
    }
    for name in patched.added {
        upgrades.push(Upgrade::SectionAdded {
            section: name.to_string(),
        });
    }
    Ok(Edited {
        after: Some(content.into_bytes()),
        upgrades,
        notes: Vec::new(),
    })
}
