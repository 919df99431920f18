//! Finding hooks in a settings document, and telling ours: one walk ([`hooks`]) and one
//! predicate ([`our_binary`]) for every module that asks.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::{HOOKS_DIR, binaries};

/// One hook object of a settings document, with where it sits.
#[derive(Clone, Copy, Debug)]
pub struct HookAt<'a> {
    pub event: &'a str,
    /// Its group's index in the event's array, and the group.
    pub group_index: usize,
    pub group: &'a Map<String, Value>,
    /// Its index in the group's `hooks`.
    pub index: usize,
    pub hook: &'a Map<String, Value>,
}

impl HookAt<'_> {
    pub(crate) fn command(&self) -> Option<&str> {
        self.hook.get("command").and_then(Value::as_str)
    }
}

/// Every hook object in `doc` (`hooks.<event>[g].hooks[h]`), in file order. Parts not shaped
/// as Claude Code expects are skipped ([`check_shape`](super::check_shape) reports them).
pub fn hooks(doc: &Value) -> impl Iterator<Item = HookAt<'_>> {
    doc.get("hooks")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(event, groups)| {
            let groups = groups.as_array().map_or(&[][..], Vec::as_slice);
            hooks_in(event, groups)
        })
}

/// The hooks of one event's array of groups.
pub(super) fn hooks_in<'a>(
    event: &'a str,
    groups: &'a [Value],
) -> impl Iterator<Item = HookAt<'a>> {
    groups
        .iter()
        .enumerate()
        .filter_map(|(g, group)| Some((g, group.as_object()?)))
        .flat_map(move |(group_index, group)| {
            let list = group.get("hooks").and_then(Value::as_array);
            list.into_iter()
                .flatten()
                .enumerate()
                .filter_map(move |(index, hook)| {
                    Some(HookAt {
                        event,
                        group_index,
                        group,
                        index,
                        hook: hook.as_object()?,
                    })
                })
        })
}

/// The words of a command line as a POSIX shell splits them, quotes removed (no expansion).
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => out.extend(word.take()),
            '\'' => word
                .get_or_insert_default()
                .extend(chars.by_ref().take_while(|&c| c != '\'')),
            '"' => {
                let w = word.get_or_insert_default();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        c => w.push(c),
                    }
                }
            }
            '\\' => word.get_or_insert_default().extend(chars.next()),
            c => word.get_or_insert_default().push(c),
        }
    }
    out.extend(word);
    out
}

/// Where the program a hook command runs is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Program {
    /// Inside the project, relative to it: `${CLAUDE_PROJECT_DIR}/x`, `$CLAUDE_PROJECT_DIR/x`,
    /// `./x`, or any relative path with a `/` (Claude Code runs hooks in the project).
    InProject(PathBuf),
    /// An absolute path.
    Absolute(PathBuf),
    /// A name looked up on `PATH`, or a path through `~` or another variable: only the shell
    /// that runs it knows where it is.
    Elsewhere(String),
}

impl Program {
    /// The program's file name.
    pub(crate) fn file_name(&self) -> Option<&str> {
        match self {
            Program::InProject(p) | Program::Absolute(p) => p.file_name()?.to_str(),
            Program::Elsewhere(s) => s.rsplit('/').next(),
        }
    }
}

/// The program a hook command runs (its first word, unquoted).
pub fn program(command: &str) -> Option<Program> {
    let first = words(command).into_iter().next()?;
    for prefix in ["${CLAUDE_PROJECT_DIR}/", "$CLAUDE_PROJECT_DIR/", "./"] {
        if let Some(rest) = first.strip_prefix(prefix) {
            return Some(Program::InProject(PathBuf::from(rest)));
        }
    }
    Some(if first.starts_with('/') {
        Program::Absolute(PathBuf::from(first))
    } else if first.contains(['$', '~']) || !first.contains('/') {
        Program::Elsewhere(first)
    } else {
        Program::InProject(PathBuf::from(first))
    })
}

/// The one test of "is this hook ours": the hook binary a command runs, when the program's
/// file name is one of ours — wherever it lives (`.instar/hooks/instar/`, the plugin's
/// `bin/`, `~/.local/bin/`, `PATH`).
pub(crate) fn our_binary(command: &str) -> Option<&'static str> {
    let program = program(command)?;
    let name = program.file_name()?;
    binaries().iter().copied().find(|b| *b == name)
}

/// The binary whose instar node implementation (`node …/<binary>.js`) a command runs.
pub(crate) fn legacy_binary(command: &str) -> Option<&'static str> {
    words(command).iter().find_map(|word| {
        let name = word.rsplit('/').next()?.strip_suffix(".js")?;
        binaries().iter().copied().find(|b| *b == name)
    })
}

/// Whether the command runs our binary from the project's `.instar/hooks/instar/` (where
/// `instar-migrate` deploys it), however the project directory is spelled.
pub(crate) fn runs_from_project(command: &str, project: &Path) -> bool {
    let Some(binary) = our_binary(command) else {
        return false;
    };
    let deployed = Path::new(HOOKS_DIR).join(binary);
    match program(command) {
        Some(Program::InProject(p)) => p == deployed,
        Some(Program::Absolute(p)) => p == project.join(&deployed),
        _ => false,
    }
}

/// In exec form (`args` present) Claude Code substitutes `${VAR}` but not `$VAR`: a command
/// written with `$CLAUDE_PROJECT_DIR` silently never runs.
pub(crate) fn exec_form_unexpanded(hook: &Map<String, Value>) -> bool {
    hook.contains_key("args")
        && hook
            .get("command")
            .and_then(Value::as_str)
            .is_some_and(|c| c.contains("$CLAUDE_PROJECT_DIR"))
}

#[cfg(test)]
/// Every registration of `binary` in a parsed settings document, as `"Event[group]"` labels.
pub(crate) fn registrations_of(doc: &Value, binary: &str) -> Vec<String> {
    hooks(doc)
        .filter(|at| at.command().and_then(our_binary) == Some(binary))
        .map(|at| format!("{}[{}]", at.event, at.group_index))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hook_is_ours_by_the_program_it_runs_wherever_it_lives() {
        for command in [
            "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough",
            "\"$CLAUDE_PROJECT_DIR\"/.instar/hooks/instar/action-claim-followthrough --x",
            "/home/u/.local/bin/action-claim-followthrough",
            "~/.local/bin/action-claim-followthrough",
            "'/opt/my hooks/action-claim-followthrough'",
            "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough",
            "action-claim-followthrough",
        ] {
            assert_eq!(
                our_binary(command),
                Some("action-claim-followthrough"),
                "{command}"
            );
        }
        for command in [
            "node .instar/hooks/instar/action-claim-followthrough.js",
            "bash -c /x/action-claim-followthrough",
            "/x/action-claim-followthrough-old",
            "",
        ] {
            assert_eq!(our_binary(command), None, "{command}");
        }
        assert_eq!(
            legacy_binary(
                "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-reminder.js"
            ),
            Some("action-claim-reminder")
        );
        assert_eq!(legacy_binary("node x/action-claim-reminder.json"), None);
    }

    #[test]
    fn programs_are_placed_in_the_project_absolute_or_elsewhere() {
        let p = |c: &str| program(c).unwrap();
        assert_eq!(
            p("'${CLAUDE_PROJECT_DIR}/a b/x' arg"),
            Program::InProject("a b/x".into())
        );
        assert_eq!(
            p(".claude/hooks/x.sh"),
            Program::InProject(".claude/hooks/x.sh".into())
        );
        assert_eq!(p("/usr/bin/x"), Program::Absolute("/usr/bin/x".into()));
        assert_eq!(p("$HOME/bin/x"), Program::Elsewhere("$HOME/bin/x".into()));
        assert_eq!(p("x"), Program::Elsewhere("x".into()));
        let project = Path::new("/p");
        assert!(runs_from_project(
            "$CLAUDE_PROJECT_DIR/.instar/hooks/instar/action-claim-reminder",
            project
        ));
        assert!(runs_from_project(
            "/p/.instar/hooks/instar/action-claim-reminder",
            project
        ));
        assert!(!runs_from_project(
            "/q/.instar/hooks/instar/action-claim-reminder",
            project
        ));
        assert!(!runs_from_project("/p/.instar/hooks/instar/other", project));
    }
}
