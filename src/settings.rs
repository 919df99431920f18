/*!
`.claude/settings.json`: parse (refusing what we must not touch), find and register our hooks,
render.

Every edit is a pure function on a `serde_json::Value` parsed with `preserve_order`, so key
order, unknown keys and every hook the user added survive; a rewrite is 2-space JSON (or the
file's own indentation) with a final newline, which reproduces files Claude Code writes byte
for byte. Not preserved when a file must be rewritten: the spelling of numbers (`1e3` becomes
`1000.0`), escapes in strings (`\u00e9` becomes `é`), and duplicate keys (the last one wins,
as it does for Claude Code).

**Our hooks** are told by one predicate, [`our_binary`]: a hook is ours when the program its
command runs is one of our hook binaries, wherever it lives (`.instar/hooks/instar/`, the
plugin's `bin/`, `~/.local/bin/`). The wiring check, `doctor`, the guards and the migrator all
use it, and [`hooks`] is the one walk over `hooks.<event>[g].hooks[h]`. Registering adds
nothing where one of ours already runs for that event (so a second run adds nothing). A legacy
`node …/<binary>.js` registration is replaced by the native one in place. Claude Code reads
`timeout` in seconds; we never touch other hooks' values, but we report the
millisecond-looking ones.
*/

use serde_json::{Value, json};
use std::{path::Path, sync::LazyLock};

use crate::{Error, Result};

mod hooks;
mod register;

pub use hooks::Program;
#[cfg(test)]
pub(crate) use hooks::registrations_of;
pub(crate) use hooks::{exec_form_unexpanded, legacy_binary, our_binary, runs_from_project};
pub use hooks::{hooks, program};
pub(crate) use register::millisecond_timeouts;
pub use register::{Change, MsTimeout, register};

/// The hook registrations a new project gets; the migrator's source of truth.
pub(crate) const TEMPLATE: &str = include_str!("../settings-template.json");
/// Where our hook binaries live in a project.
pub const HOOKS_DIR: &str = ".instar/hooks/instar";
/// The project's shared settings file (the one `instar-migrate` edits).
pub const SETTINGS_FILE: &str = ".claude/settings.json";
/// The project's settings file for this user only.
pub(crate) const LOCAL_SETTINGS_FILE: &str = ".claude/settings.local.json";

/// One hook of the template.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub event: String,
    pub matcher: Value,
    pub hook: serde_json::Map<String, Value>,
    /// The binary's file name (last component of its command).
    pub binary: String,
}

static TEMPLATE_REGISTRATIONS: LazyLock<Vec<Registration>> = LazyLock::new(|| {
    let doc: Value = serde_json::from_str(TEMPLATE).expect("settings-template.json is valid");
    hooks(&doc)
        .map(|at| {
            let command = at.hook["command"]
                .as_str()
                .expect("template hooks have commands");
            Registration {
                event: at.event.to_string(),
                matcher: at.group.get("matcher").cloned().unwrap_or(json!("")),
                binary: command.rsplit('/').next().unwrap_or(command).to_string(),
                hook: at.hook.clone(),
            }
        })
        .collect()
});

static BINARIES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut out: Vec<&'static str> = Vec::new();
    for reg in template() {
        if !out.contains(&reg.binary.as_str()) {
            out.push(&reg.binary);
        }
    }
    out
});

/// The template's registrations, in file order (parsed once per process).
pub fn template() -> &'static [Registration] {
    &TEMPLATE_REGISTRATIONS
}

/// Our hook binaries (file names, in template order, each once).
pub fn binaries() -> &'static [&'static str] {
    &BINARIES
}

/// Parses a settings file, refusing shapes we would have to guess about.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value> {
    let doc = crate::json_file::parse(path, bytes)?;
    check_shape(path, &doc)?;
    Ok(doc)
}

/// `Error::Unsupported` when the document is not shaped as a settings file we can edit: an
/// object whose `hooks` is an object of arrays of objects, whose `hooks` are arrays. Claude
/// Code still reads such a file (a JSON syntax error is what makes it ignore one).
pub(crate) fn check_shape(path: &Path, doc: &Value) -> Result<()> {
    let unsupported = |found: String| Error::Unsupported {
        path: path.to_path_buf(),
        found,
    };
    let root = doc
        .as_object()
        .ok_or_else(|| unsupported(format!("the top level is {}, not an object", kind(doc))))?;
    let Some(hooks) = root.get("hooks") else {
        return Ok(());
    };
    let hooks = hooks
        .as_object()
        .ok_or_else(|| unsupported(format!("`hooks` is {}, not an object", kind(hooks))))?;
    for (event, groups) in hooks {
        let groups = groups.as_array().ok_or_else(|| {
            unsupported(format!("`hooks.{event}` is {}, not an array", kind(groups)))
        })?;
        for (i, group) in groups.iter().enumerate() {
            let at = format!("hooks.{event}[{i}]");
            let group = group
                .as_object()
                .ok_or_else(|| unsupported(format!("`{at}` is {}, not an object", kind(group))))?;
            if let Some(list) = group.get("hooks")
                && !list.is_array()
            {
                return Err(unsupported(format!(
                    "`{at}.hooks` is {}, not an array",
                    kind(list)
                )));
            }
        }
    }
    Ok(())
}

fn kind(v: &Value) -> &'static str {
    crate::json_file::type_name(v)
}

pub(crate) use crate::json_file::detect_indent;
/// Rendering under its old path, for `migrate` until it imports [`crate::json_file`].
pub use crate::json_file::render;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;
