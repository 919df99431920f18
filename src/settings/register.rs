//! Registering our hooks in a parsed settings document, and the notes about other hooks: what
//! changed is said as data ([`Change`], [`MsTimeout`]), which the migrator renders.

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{
    Registration, exec_form_unexpanded,
    hooks::{hooks, hooks_in},
    legacy_binary, our_binary,
};

/// One change [`register`] made to a settings document. `event` and `binary` name the
/// registration (`Stop action-claim-followthrough`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "change",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Change {
    /// Ours, registered under `from` (an event it is not made for), removed there.
    RemovedFromEvent {
        binary: String,
        event: String,
        from: String,
    },
    /// Ours, in exec form with `$CLAUDE_PROJECT_DIR` (never expanded: it was not running),
    /// rewritten with `${CLAUDE_PROJECT_DIR}`.
    FixedExecFormVariable { binary: String, event: String },
    /// Ours, registered more than once for its event: the extra copies removed.
    RemovedDuplicates {
        binary: String,
        event: String,
        count: usize,
    },
    /// instar's node version removed: the native one is registered.
    RemovedNodeHook { binary: String, event: String },
    /// instar's node version replaced by the native binary, in place.
    ReplacedNodeHook { binary: String, event: String },
    /// Registered (appended after the event's other hooks).
    Added { binary: String, event: String },
}

/// A hook (not ours) whose `timeout` looks like milliseconds: Claude Code reads seconds.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MsTimeout {
    pub event: String,
    pub group: usize,
    pub index: usize,
    pub command: String,
    /// The value as written, in seconds as Claude Code reads it.
    pub timeout: f64,
}

/// Timeouts at or above this many seconds (16 min) look like milliseconds.
const MS_LOOKING_TIMEOUT: f64 = 1000.0;

/// Where the hooks matching `pred` sit in an event's array: (group, hook) index pairs.
fn find(groups: &[Value], pred: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    hooks_in("", groups)
        .filter(|at| at.command().is_some_and(&pred))
        .map(|at| (at.group_index, at.index))
        .collect()
}

/// Registers `regs` in `doc` (already validated by [`parse`](super::parse)). Returns what
/// changed.
pub fn register(doc: &mut Value, regs: &[Registration]) -> Vec<Change> {
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
                report.push(Change::RemovedFromEvent {
                    binary: reg.binary.clone(),
                    event: reg.event.clone(),
                    from: event.clone(),
                });
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
fn register_one(groups: &mut Vec<Value>, reg: &Registration) -> Vec<Change> {
    let (binary, event) = (reg.binary.clone(), reg.event.clone());
    let mut report = Vec::new();
    let natives = find(groups, |c| our_binary(c) == Some(reg.binary.as_str()));
    let legacy = find(groups, |c| legacy_binary(c) == Some(reg.binary.as_str()));
    let mut remove: Vec<(usize, usize)> = Vec::new();
    if let Some(&(g, h)) = natives.first() {
        let hook = groups[g]["hooks"][h]
            .as_object_mut()
            .expect("found as object");
        if fix_exec_form_variable(hook) {
            report.push(Change::FixedExecFormVariable {
                binary: binary.clone(),
                event: event.clone(),
            });
        }
        remove.extend(&natives[1..]);
        if natives.len() > 1 {
            report.push(Change::RemovedDuplicates {
                binary: binary.clone(),
                event: event.clone(),
                count: natives.len() - 1,
            });
        }
        remove.extend(&legacy);
        if !legacy.is_empty() {
            report.push(Change::RemovedNodeHook { binary, event });
        }
    } else if let Some(&(g, h)) = legacy.first() {
        groups[g]["hooks"][h] = Value::Object(reg.hook.clone());
        report.push(Change::ReplacedNodeHook { binary, event });
        remove.extend(&legacy[1..]);
    } else {
        groups.push(json!({"matcher": reg.matcher, "hooks": [reg.hook]}));
        report.push(Change::Added { binary, event });
    }
    remove_hooks(groups, remove);
    report
}

/// Our own registration with `$CLAUDE_PROJECT_DIR` in exec form never runs (see
/// [`exec_form_unexpanded`]): it is fixed. Whether it was.
fn fix_exec_form_variable(hook: &mut Map<String, Value>) -> bool {
    if !exec_form_unexpanded(hook) {
        return false;
    }
    let Some(command) = hook.get("command").and_then(Value::as_str) else {
        return false;
    };
    let fixed = command.replace("$CLAUDE_PROJECT_DIR", "${CLAUDE_PROJECT_DIR}");
    hook.insert("command".into(), Value::String(fixed));
    true
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

/// Hooks (not ours) whose `timeout` looks like milliseconds (left as they are; reported).
pub(crate) fn millisecond_timeouts(doc: &Value) -> Vec<MsTimeout> {
    hooks(doc)
        .filter(|at| at.command().and_then(our_binary).is_none())
        .filter_map(|at| {
            let t = at.hook.get("timeout").and_then(Value::as_f64)?;
            (t >= MS_LOOKING_TIMEOUT).then(|| MsTimeout {
                event: at.event.to_string(),
                group: at.group_index,
                index: at.index,
                command: at.command().unwrap_or("?").to_string(),
                timeout: t,
            })
        })
        .collect()
}
