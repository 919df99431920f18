//! Registering our hooks in a parsed settings document, and the notes about other hooks.

use serde_json::{Map, Value, json};

use super::{
    Registration, SETTINGS_FILE, exec_form_unexpanded,
    hooks::{hooks, hooks_in},
    legacy_binary, our_binary,
};

/// Timeouts at or above this many seconds (16 min) look like milliseconds.
const MS_LOOKING_TIMEOUT: f64 = 1000.0;

/// Where the hooks matching `pred` sit in an event's array: (group, hook) index pairs.
fn find(groups: &[Value], pred: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    hooks_in("", groups)
        .filter(|at| at.command().is_some_and(&pred))
        .map(|at| (at.group_index, at.index))
        .collect()
}

/// Registers `regs` in `doc` (already validated by [`parse`](super::parse)). Returns one
/// line per change.
pub fn register(doc: &mut Value, regs: &[Registration]) -> Vec<String> {
    let mut report = Vec::new();
    let root = doc.as_object_mut().expect("parse checked the top level");
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .expect("parse checked hooks");
    for reg in regs {
        let ours = |c: &str| our_binary(c) == Some(reg.binary.as_str());
        // Our binary registered under another event receives input it is not made for:
        // that registration is ours (by the program it runs), and it goes.
        for (event, groups) in hooks.iter_mut().filter(|(e, _)| **e != reg.event) {
            let Some(groups) = groups.as_array_mut() else {
                continue;
            };
            let misplaced = find(groups, ours);
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

/// One of ours already running for the event (from any path) is kept: nothing is added, its
/// duplicates and instar's node version go, and a `$CLAUDE_PROJECT_DIR` that exec form never
/// expands is fixed. Otherwise the node version is replaced in place, or ours is appended.
fn register_one(groups: &mut Vec<Value>, reg: &Registration) -> Vec<String> {
    let what = format!("{} {} hook", reg.event, reg.binary);
    let mut report = Vec::new();
    let natives = find(groups, |c| our_binary(c) == Some(reg.binary.as_str()));
    let legacy = find(groups, |c| legacy_binary(c) == Some(reg.binary.as_str()));
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

/// Our own registration with `$CLAUDE_PROJECT_DIR` in exec form never runs (see
/// [`exec_form_unexpanded`]): it is fixed, and we say so.
fn fix_exec_form_variable(hook: &mut Map<String, Value>) -> Option<String> {
    if !exec_form_unexpanded(hook) {
        return None;
    }
    let command = hook.get("command")?.as_str()?;
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
pub(crate) fn millisecond_timeouts(doc: &Value) -> Vec<String> {
    hooks(doc)
        .filter(|at| at.command().and_then(our_binary).is_none())
        .filter_map(|at| {
            let t = at.hook.get("timeout").and_then(Value::as_f64)?;
            (t >= MS_LOOKING_TIMEOUT).then(|| {
                format!(
                    "{SETTINGS_FILE}: hooks.{}[{}].hooks[{}] `{}` has timeout {t} — Claude Code reads seconds, so that is {}; left unchanged",
                    at.event,
                    at.group_index,
                    at.index,
                    at.command().unwrap_or("?"),
                    crate::timestamp::human_duration(std::time::Duration::from_secs_f64(t))
                )
            })
        })
        .collect()
}
