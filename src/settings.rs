/*!
`.claude/settings.json`: parse (refusing what we must not touch), register our hooks, render.

Every edit is a pure function on a `serde_json::Value` parsed with `preserve_order`, so key
order, unknown keys and every hook the user added survive; a rewrite is 2-space JSON (or the
file's own indentation) with a final newline, which reproduces files Claude Code writes byte
for byte. Not preserved when a file must be rewritten: the spelling of numbers (`1e3` becomes
`1000.0`), escapes in strings (`\u00e9` becomes `é`), and duplicate keys (the last one wins,
as it does for Claude Code).

Our hooks are owned by command path: a hook whose command runs
`.instar/hooks/instar/<binary>` (however the project directory is spelled) is ours, so a
second run adds nothing. A legacy `node …/<binary>.js` registration is replaced by the native
one in place. Claude Code reads `timeout` in seconds; we never touch other hooks' values, but
we report the millisecond-looking ones.
*/

use serde_json::{Map, Value, json};
use std::path::Path;

use crate::{Error, Result};

/// The hook registrations a new project gets; the migrator's source of truth.
pub const TEMPLATE: &str = include_str!("../settings-template.json");
/// Where our hook binaries live in a project.
pub const HOOKS_DIR: &str = ".instar/hooks/instar";
pub const SETTINGS_FILE: &str = ".claude/settings.json";
/// Timeouts at or above this many seconds (16 min) look like milliseconds.
const MS_LOOKING_TIMEOUT: f64 = 1000.0;

/// One hook of the template.
#[derive(Clone, Debug, PartialEq)]
pub struct Registration {
    pub event: String,
    pub matcher: Value,
    pub hook: Map<String, Value>,
    /// The binary's file name (last component of its command).
    pub binary: String,
}

/// The template's registrations, in file order.
pub fn template() -> Vec<Registration> {
    let doc: Value = serde_json::from_str(TEMPLATE).expect("settings-template.json is valid");
    let mut out = Vec::new();
    for (event, groups) in doc["hooks"].as_object().expect("template has hooks") {
        for group in groups.as_array().expect("template events are arrays") {
            for hook in group["hooks"]
                .as_array()
                .expect("template groups have hooks")
            {
                let hook = hook
                    .as_object()
                    .expect("template hooks are objects")
                    .clone();
                let command = hook["command"]
                    .as_str()
                    .expect("template hooks have commands");
                out.push(Registration {
                    event: event.clone(),
                    matcher: group.get("matcher").cloned().unwrap_or(json!("")),
                    binary: command.rsplit('/').next().unwrap_or(command).to_string(),
                    hook,
                });
            }
        }
    }
    out
}

/// Parses a settings file, refusing shapes we would have to guess about.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<Value> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| Error::parse(path, &e))?;
    let unsupported = |found: String| Error::Unsupported {
        path: path.to_path_buf(),
        found,
    };
    let root = doc
        .as_object()
        .ok_or_else(|| unsupported(format!("the top level is {}, not an object", kind(&doc))))?;
    if let Some(hooks) = root.get("hooks") {
        let hooks = hooks
            .as_object()
            .ok_or_else(|| unsupported(format!("`hooks` is {}, not an object", kind(hooks))))?;
        for (event, groups) in hooks {
            let groups = groups.as_array().ok_or_else(|| {
                unsupported(format!("`hooks.{event}` is {}, not an array", kind(groups)))
            })?;
            for (i, group) in groups.iter().enumerate() {
                let at = format!("hooks.{event}[{i}]");
                let group = group.as_object().ok_or_else(|| {
                    unsupported(format!("`{at}` is {}, not an object", kind(group)))
                })?;
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
    }
    Ok(doc)
}

fn kind(v: &Value) -> &'static str {
    crate::config::json_type_name(v)
}

/// The executable a hook's command runs (first word, quotes and `${CLAUDE_PROJECT_DIR}/`
/// spellings removed), relative to the project when it is inside it.
fn command_path(hook: &Map<String, Value>) -> Option<String> {
    let command = hook.get("command")?.as_str()?.trim();
    let first = command.split_whitespace().next()?;
    let unquoted = first.replace(['"', '\''], "");
    for prefix in ["${CLAUDE_PROJECT_DIR}/", "$CLAUDE_PROJECT_DIR/", "./"] {
        if let Some(rest) = unquoted.strip_prefix(prefix) {
            return Some(rest.to_string());
        }
    }
    Some(unquoted)
}

/// Is this hook a registration of our native `binary`?
pub fn runs_binary(hook: &Map<String, Value>, binary: &str) -> bool {
    let want = format!("{HOOKS_DIR}/{binary}");
    command_path(hook).is_some_and(|p| p == want || p.ends_with(&format!("/{want}")))
}

/// Is this hook instar's node implementation of `binary`?
fn is_legacy(hook: &Map<String, Value>, binary: &str) -> bool {
    hook.get("command")
        .and_then(Value::as_str)
        .is_some_and(|c| c.contains(&format!("{binary}.js")))
}

/// Where our hooks sit: (group index, hook index) pairs in an event's array.
fn find(groups: &[Value], pred: impl Fn(&Map<String, Value>) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let hooks = group.get("hooks").and_then(Value::as_array);
        for (h, hook) in hooks.into_iter().flatten().enumerate() {
            if hook.as_object().is_some_and(&pred) {
                out.push((g, h));
            }
        }
    }
    out
}

/// Every registration of `binary` in a parsed settings document, as `"Event[group]"` labels.
pub fn registrations_of(doc: &Value, binary: &str) -> Vec<String> {
    let Some(hooks) = doc.get("hooks").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (event, groups) in hooks {
        if let Some(groups) = groups.as_array() {
            for (g, _) in find(groups, |h| runs_binary(h, binary)) {
                out.push(format!("{event}[{g}]"));
            }
        }
    }
    out
}

/// Registers `regs` in `doc` (already validated by [`parse`]). Returns one line per change.
pub fn register(doc: &mut Value, regs: &[Registration]) -> Vec<String> {
    let mut report = Vec::new();
    let root = doc.as_object_mut().expect("parse checked the top level");
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .expect("parse checked hooks");
    for reg in regs {
        // Our binary registered under another event receives input it is not made for:
        // that registration is ours (by command path), and it goes.
        for (event, groups) in hooks.iter_mut().filter(|(e, _)| **e != reg.event) {
            let Some(groups) = groups.as_array_mut() else {
                continue;
            };
            let misplaced = find(groups, |h| runs_binary(h, &reg.binary));
            if !misplaced.is_empty() {
                report.push(format!(
                    "{SETTINGS_FILE}: removed {} from {event}: it is a {} hook",
                    reg.binary, reg.event
                ));
                remove_hooks(groups, misplaced);
            }
        }
        let groups = hooks
            .entry(reg.event.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("parse checked events");
        report.extend(register_one(groups, reg));
    }
    report
}

fn register_one(groups: &mut Vec<Value>, reg: &Registration) -> Vec<String> {
    let what = format!("{} {} hook", reg.event, reg.binary);
    let mut report = Vec::new();
    let natives = find(groups, |h| runs_binary(h, &reg.binary));
    let legacy = find(groups, |h| is_legacy(h, &reg.binary));
    let mut remove: Vec<(usize, usize)> = Vec::new();
    if let Some(&(g, h)) = natives.first() {
        let hook = groups[g]["hooks"][h]
            .as_object_mut()
            .expect("found as object");
        if let Some(fixed) = fix_exec_form_variable(hook) {
            report.push(format!("{SETTINGS_FILE}: {what}: {fixed}"));
        }
        remove.extend(&natives[1..]);
        if natives.len() > 1 {
            report.push(format!(
                "{SETTINGS_FILE}: removed {} duplicate {what}(s)",
                natives.len() - 1
            ));
        }
        remove.extend(&legacy);
        if !legacy.is_empty() {
            report.push(format!(
                "{SETTINGS_FILE}: removed legacy node {what} (the native one is registered)"
            ));
        }
    } else if let Some(&(g, h)) = legacy.first() {
        groups[g]["hooks"][h] = Value::Object(reg.hook.clone());
        report.push(format!(
            "{SETTINGS_FILE}: replaced legacy node {what} with the native binary, in place"
        ));
        remove.extend(&legacy[1..]);
    } else {
        groups.push(json!({"matcher": reg.matcher, "hooks": [reg.hook]}));
        report.push(format!("{SETTINGS_FILE}: added {what}"));
    }
    remove_hooks(groups, remove);
    report
}

/// In exec form (`args` present) Claude Code substitutes `${VAR}` but not `$VAR`: such a
/// command silently never runs. Our own registration is fixed; we say so.
fn fix_exec_form_variable(hook: &mut Map<String, Value>) -> Option<String> {
    if !hook.contains_key("args") {
        return None;
    }
    let command = hook.get("command")?.as_str()?;
    if !command.contains("$CLAUDE_PROJECT_DIR") {
        return None;
    }
    let fixed = command.replace("$CLAUDE_PROJECT_DIR", "${CLAUDE_PROJECT_DIR}");
    hook.insert("command".into(), Value::String(fixed));
    Some("fixed `$CLAUDE_PROJECT_DIR` to `${CLAUDE_PROJECT_DIR}` (exec form never expands the first; the hook was not running)".into())
}

/// Removes hooks at the given positions; a group left with no hooks (that had some) goes.
fn remove_hooks(groups: &mut Vec<Value>, mut at: Vec<(usize, usize)>) {
    at.sort_unstable();
    at.dedup();
    let mut emptied = Vec::new();
    for &(g, h) in at.iter().rev() {
        if let Some(list) = groups[g].get_mut("hooks").and_then(Value::as_array_mut) {
            list.remove(h);
            if list.is_empty() {
                emptied.push(g);
            }
        }
    }
    emptied.sort_unstable();
    emptied.dedup();
    for g in emptied.into_iter().rev() {
        groups.remove(g);
    }
}

/// Hooks (not ours) whose `timeout` looks like milliseconds, described for the report.
pub fn millisecond_timeouts(doc: &Value, ours: &[Registration]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(hooks) = doc.get("hooks").and_then(Value::as_object) else {
        return out;
    };
    for (event, groups) in hooks {
        for (g, group) in groups.as_array().into_iter().flatten().enumerate() {
            let list = group.get("hooks").and_then(Value::as_array);
            for (h, hook) in list.into_iter().flatten().enumerate() {
                let Some(hook) = hook.as_object() else {
                    continue;
                };
                if ours.iter().any(|r| runs_binary(hook, &r.binary)) {
                    continue;
                }
                let Some(t) = hook.get("timeout").and_then(Value::as_f64) else {
                    continue;
                };
                if t >= MS_LOOKING_TIMEOUT {
                    let command = hook.get("command").and_then(Value::as_str).unwrap_or("?");
                    out.push(format!(
                        "{SETTINGS_FILE}: hooks.{event}[{g}].hooks[{h}] `{command}` has timeout {t} — Claude Code reads seconds, so that is {}; left unchanged",
                        crate::timestamp::human_duration(std::time::Duration::from_secs_f64(t))
                    ));
                }
            }
        }
    }
    out
}

/// The indentation of the file's first indented line (default two spaces).
pub fn detect_indent(bytes: &[u8]) -> Vec<u8> {
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

/// Pretty JSON with `indent` and a final newline.
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
mod tests;

#[cfg(test)]
mod proptests;
