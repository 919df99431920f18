//! Which hooks the run deploys and registers, from how the project is wired already: a hook
//! one of the settings files runs for its event (from any path) is not registered again — it
//! would run twice — and a binary is deployed to `.instar/hooks/instar/` only when that is
//! where a registration runs it (or will, once registered).
//!
//! A hook registered for its event in another settings file (`.claude/settings.local.json`,
//! the user's `~/.claude/settings.json`) **and** in `.claude/settings.json` runs twice. The
//! entry in `.claude/settings.json` goes — the one file this tool edits — so the hook runs
//! once and nothing the user wrote elsewhere is touched; the note says so, and what to do
//! when the repository's settings are shared with people who lack the other registration.

use std::path::Path;

use super::{HookAt, Note, Report};
use crate::{
    plugin::{SettingsHook, Wiring},
    settings::{self, Registration, SETTINGS_FILE},
};

pub(super) struct Targets {
    /// Binaries to deploy into `.instar/hooks/instar/`, each once.
    pub deploy: Vec<&'static str>,
    /// Registrations for `.claude/settings.json`.
    pub register: Vec<Registration>,
    /// Registrations whose entries in `.claude/settings.json` go (under their event, and
    /// under an event they are not made for): another settings file runs them already.
    pub drop: Vec<Registration>,
}

pub(super) fn plan(project: &Path, wiring: &Wiring, report: &mut Report) -> Targets {
    let edited = project.join(SETTINGS_FILE);
    let mut out = Targets {
        deploy: Vec::new(),
        register: Vec::new(),
        drop: Vec::new(),
    };
    for reg in settings::template() {
        let found: Vec<&SettingsHook> = wiring
            .settings_hooks
            .iter()
            .filter(|h| h.binary == reg.binary && h.event == reg.event)
            .collect();
        let elsewhere: Vec<&SettingsHook> =
            found.iter().copied().filter(|h| h.file != edited).collect();
        // Ours in the edited file, under any event.
        let here: Vec<&SettingsHook> = wiring
            .settings_hooks
            .iter()
            .filter(|h| h.binary == reg.binary && h.file == edited)
            .collect();
        if elsewhere.is_empty() {
            out.register.push(reg.clone());
        } else {
            report.note(None, elsewhere_note(reg, &elsewhere, &here));
            if !here.is_empty() {
                out.drop.push(reg.clone());
            }
        }
        // What runs the hook once this run is done.
        let remaining = if elsewhere.is_empty() {
            found
        } else {
            elsewhere
        };
        let from_project = remaining
            .iter()
            .any(|h| settings::runs_from_project(&h.command, project));
        if remaining.is_empty() || from_project {
            let binary = settings::binaries()
                .iter()
                .find(|b| **b == reg.binary)
                .expect("a template binary");
            if !out.deploy.contains(binary) {
                out.deploy.push(binary);
            }
        } else if let Some(h) = remaining.iter().find(|h| h.file == edited) {
            report.note(
                Some(SETTINGS_FILE.into()),
                Note::RunsAnotherCopy {
                    hook: format!("{} {}", reg.event, reg.binary),
                    command: h.command.clone(),
                },
            );
        }
    }
    out
}

/// The note for a hook another settings file registers for its event: not registered in
/// `.claude/settings.json` as well, or (when it is there too) removed from it.
fn elsewhere_note(reg: &Registration, elsewhere: &[&SettingsHook], here: &[&SettingsHook]) -> Note {
    let at = |h: &&SettingsHook| HookAt {
        file: h.file.clone(),
        event: h.event.clone(),
        command: h.command.clone(),
    };
    Note::RegisteredElsewhere {
        hook: format!("{} {}", reg.event, reg.binary),
        places: elsewhere.iter().map(at).collect(),
        removed: here.iter().map(at).collect(),
    }
}
