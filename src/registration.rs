/*!
Whether one of our hooks is registered in a project and able to run: the one judgement
`doctor` and the guard posture share, made from the one [`Wiring`] read of the settings files.

A hook is registered when the enabled plugin runs it, or when a settings file Claude Code
reads registers it for the event it is made for (the template's: Stop for the follow-through
hook, UserPromptSubmit for the reminder), from any path. A registration under another event
never runs on its own event: it is *misplaced*, and does not count. What runs is the plugin's
`bin/<binary>`, or the file each registration's command names (`None` when the shell finds it
on `PATH`, which cannot be checked from here); an unregistered hook is looked for where
`instar-migrate` deploys it.

**instar's node hook.** instar's migrator recognises the action-claim hook only by a Stop
command containing `action-claim-followthrough.js`. After `instar-migrate` has replaced that
node hook with the native one, instar's next update finds no such command and adds the node
hook back, so both run on every Stop until `instar-migrate` runs again. The ways to make
instar's check pass with the native hook in place (a directory named `….js.d`, a shell comment
in the command, a no-op second hook) would each surprise a user or cost a shell per turn, so
the two migrators are not made to agree by a trick: a node hook registered beside the native
one is reported, by doctor and by the guard posture, as the double run it is, with the fix.
*/

use std::{
    os::unix::fs::PermissionsExt,
    path::{Path, PathBuf},
};

use crate::{
    env::Env,
    fixes,
    plugin::{self, SettingsHook, Wiring},
    settings::{self, HOOKS_DIR},
};

/// Where a program that would run comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source<'w> {
    /// The enabled plugin's `bin/`.
    Plugin,
    /// A settings registration for the right event.
    Settings(&'w SettingsHook),
    /// Nothing registers the hook: where `instar-migrate` would deploy it.
    Deploy,
}

/// The state of the file a registration runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Runnable {
    Executable,
    /// Present without an execute bit: Claude Code's run fails with "Permission denied",
    /// which it treats as a non-blocking error — silently.
    NotExecutable,
    Missing,
    /// One of the placeholders the plugin commits in `bin/` (a script that does nothing),
    /// which the plugin's bootstrap has not replaced with the native binary yet.
    Placeholder,
    /// Looked up on `PATH` by the shell that runs it (or through `~` or a variable).
    Unchecked,
}

/// A program a registration runs, and whether it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Program<'w> {
    pub(crate) source: Source<'w>,
    /// `None` when it cannot be told without a shell.
    pub(crate) path: Option<PathBuf>,
    pub(crate) runnable: Runnable,
}

/// How one hook binary reaches Claude Code in a project.
#[derive(Clone, Debug)]
pub(crate) struct Registration<'w> {
    /// The events it is made for.
    pub(crate) events: Vec<&'static str>,
    /// Settings registrations under one of those events.
    pub(crate) placed: Vec<&'w SettingsHook>,
    /// Settings registrations under another event (they do not count).
    pub(crate) misplaced: Vec<&'w SettingsHook>,
    /// The enabled plugin runs it.
    pub(crate) by_plugin: bool,
    /// instar's node implementation of it, registered in a settings file (any event).
    pub(crate) node: Vec<&'w SettingsHook>,
    /// What would run, each file once: the plugin's binary, or every placed registration's,
    /// or (unregistered) the deploy location. The plugin's root may be unknown (`None` path,
    /// `Unchecked`).
    pub(crate) programs: Vec<Program<'w>>,
}

impl Registration<'_> {
    /// The plugin runs it, or a settings file registers it for its event.
    pub(crate) fn is_registered(&self) -> bool {
        self.by_plugin || !self.placed.is_empty()
    }

    /// instar's node hook runs beside the native one: every event runs both.
    pub(crate) fn doubled_by_node(&self) -> bool {
        self.is_registered() && !self.node.is_empty()
    }

    /// How to remove instar's node hook `node`: `instar-migrate` when it would (it edits
    /// `.claude/settings.json` only, under the hook's own event, and leaves a project the
    /// plugin serves alone), else by hand.
    pub(crate) fn node_fix(&self, project: &Path, node: &SettingsHook) -> String {
        let by_migrate = node.file == project.join(settings::SETTINGS_FILE)
            && self.events.contains(&node.event.as_str())
            && !self.by_plugin;
        match by_migrate {
            true => format!(
                "{} (it removes the node hook; instar adds it back after each of its updates, so run it again then)",
                fixes::migrate(project, "")
            ),
            false => format!(
                "remove `{}` from hooks.{} in {} by hand",
                node.command,
                node.event,
                node.file.display()
            ),
        }
    }

    /// The first program found missing, not executable or a placeholder, if any.
    pub(crate) fn broken(&self) -> Option<&Program<'_>> {
        self.programs.iter().find(|p| {
            matches!(
                p.runnable,
                Runnable::Missing | Runnable::NotExecutable | Runnable::Placeholder
            )
        })
    }
}

/// The events the template registers `binary` for.
pub(crate) fn template_events(binary: &str) -> Vec<&'static str> {
    settings::template()
        .iter()
        .filter(|reg| reg.binary == binary)
        .map(|reg| reg.event.as_str())
        .collect()
}

/// Judges `binary` (one of [`settings::binaries`]) in `project`.
pub(crate) fn judge<'w>(
    project: &Path,
    env: &Env,
    wiring: &'w Wiring,
    binary: &'static str,
) -> Registration<'w> {
    let events = template_events(binary);
    let (placed, misplaced): (Vec<&SettingsHook>, Vec<&SettingsHook>) = wiring
        .settings_hooks
        .iter()
        .filter(|h| h.binary == binary)
        .partition(|h| events.contains(&h.event.as_str()));
    let plugin = wiring.plugin();
    let mut programs: Vec<Program<'w>> = Vec::new();
    if let Some(p) = plugin {
        let path = plugin::plugin_root(project, env, p).map(|root| root.join("bin").join(binary));
        programs.push(program(Source::Plugin, path));
    } else if placed.is_empty() {
        programs.push(program(
            Source::Deploy,
            Some(project.join(HOOKS_DIR).join(binary)),
        ));
    } else {
        for h in &placed {
            let path = h.program_path(project);
            if path.is_none() || !programs.iter().any(|p| p.path == path) {
                programs.push(program(Source::Settings(h), path));
            }
        }
    }
    Registration {
        events,
        placed,
        misplaced,
        by_plugin: plugin.is_some(),
        node: wiring
            .node_hooks
            .iter()
            .filter(|h| h.binary == binary)
            .collect(),
        programs,
    }
}

fn program(source: Source<'_>, path: Option<PathBuf>) -> Program<'_> {
    let runnable = match &path {
        None => Runnable::Unchecked,
        Some(p) => runnable(p),
    };
    Program {
        source,
        path,
        runnable,
    }
}

/// Whether the file at `path` can be run.
pub(crate) fn runnable(path: &Path) -> Runnable {
    match std::fs::metadata(path) {
        Err(_) => Runnable::Missing,
        Ok(m) if m.permissions().mode() & 0o111 == 0 => Runnable::NotExecutable,
        Ok(_) if plugin::install::is_placeholder(path) => Runnable::Placeholder,
        Ok(_) => Runnable::Executable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn project(settings: &str) -> (tempfile::TempDir, Env) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join(".claude")).unwrap();
        fs::write(dir.path().join(".claude/settings.json"), settings).unwrap();
        (dir, Env::default())
    }

    fn exec(dir: &Path, rel: &str, mode: u32) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }

    #[test]
    fn a_registration_counts_only_under_its_own_event_and_each_file_runs_once() {
        let (dir, env) = project(
            r#"{"hooks": {
                "Stop": [{"hooks": [
                    {"type": "command", "command": "/opt/a/action-claim-followthrough"},
                    {"type": "command", "command": "/opt/a/action-claim-followthrough"}]}],
                "PreToolUse": [{"hooks": [{"type": "command", "command": "action-claim-reminder"}]}]
            }}"#,
        );
        let wiring = plugin::wiring(dir.path(), &env);
        let stop = judge(dir.path(), &env, &wiring, "action-claim-followthrough");
        assert!(stop.is_registered());
        assert_eq!((stop.placed.len(), stop.misplaced.len()), (2, 0));
        assert_eq!(stop.programs.len(), 1, "{:?}", stop.programs);
        assert_eq!(stop.programs[0].runnable, Runnable::Missing);
        assert!(stop.broken().is_some());

        let prompt = judge(dir.path(), &env, &wiring, "action-claim-reminder");
        assert!(
            !prompt.is_registered(),
            "a reminder under PreToolUse never runs"
        );
        assert_eq!(prompt.misplaced.len(), 1);
        assert_eq!(prompt.events, ["UserPromptSubmit"]);
        // Unregistered: looked for where instar-migrate deploys it.
        assert_eq!(prompt.programs[0].source, Source::Deploy);
        assert_eq!(
            prompt.programs[0].path.as_deref(),
            Some(
                dir.path()
                    .join(HOOKS_DIR)
                    .join("action-claim-reminder")
                    .as_path()
            )
        );
    }

    #[test]
    fn runnable_tells_missing_from_not_executable_and_skips_what_the_shell_finds() {
        let (dir, env) = project(
            r#"{"hooks": {"Stop": [{"hooks": [
                {"type": "command", "command": "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough", "args": []},
                {"type": "command", "command": "action-claim-followthrough"}]}]}}"#,
        );
        let wiring = plugin::wiring(dir.path(), &env);
        let judged = |w| judge(dir.path(), &env, w, "action-claim-followthrough");
        exec(
            dir.path(),
            ".instar/hooks/instar/action-claim-followthrough",
            0o644,
        );
        let reg = judged(&wiring);
        let states: Vec<Runnable> = reg.programs.iter().map(|p| p.runnable).collect();
        assert_eq!(states, [Runnable::NotExecutable, Runnable::Unchecked]);
        exec(
            dir.path(),
            ".instar/hooks/instar/action-claim-followthrough",
            0o755,
        );
        assert!(judged(&wiring).broken().is_none());
    }
}
