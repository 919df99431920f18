//! Which hooks the run deploys and registers, from how the project is wired already: a hook
//! one of the settings files runs for its event (from any path) is not registered again — it
//! would run twice — and a binary is deployed to `.instar/hooks/instar/` only when that is
//! where a registration runs it (or will, once registered).

use std::path::Path;

use super::Report;
use crate::{
    plugin::{SettingsHook, Wiring},
    settings::{self, HOOKS_DIR, Registration, SETTINGS_FILE},
};

pub(super) struct Targets {
    /// Binaries to deploy into `.instar/hooks/instar/`, each once.
    pub deploy: Vec<&'static str>,
    /// Registrations for `.claude/settings.json`.
    pub register: Vec<Registration>,
}

pub(super) fn plan(project: &Path, wiring: &Wiring, report: &mut Report) -> Targets {
    let edited = project.join(SETTINGS_FILE);
    let mut out = Targets {
        deploy: Vec::new(),
        register: Vec::new(),
    };
    for reg in settings::template() {
        let found: Vec<&SettingsHook> = wiring
            .settings_hooks
            .iter()
            .filter(|h| h.binary == reg.binary && h.event == reg.event)
            .collect();
        let elsewhere: Vec<&&SettingsHook> = found.iter().filter(|h| h.file != edited).collect();
        let from_project = found
            .iter()
            .any(|h| settings::runs_from_project(&h.command, project));
        for h in &elsewhere {
            report.notes.push(format!(
                "{} {} is registered in {} already (`{}`): not registered in {SETTINGS_FILE} as well, which would run it twice",
                reg.event,
                reg.binary,
                h.file.display(),
                h.command
            ));
        }
        if elsewhere.is_empty() {
            out.register.push(reg.clone());
        }
        if found.is_empty() || from_project {
            let binary = settings::binaries()
                .iter()
                .find(|b| **b == reg.binary)
                .expect("a template binary");
            if !out.deploy.contains(binary) {
                out.deploy.push(binary);
            }
        } else if let Some(h) = found.iter().find(|h| h.file == edited) {
            report.notes.push(format!(
                "{SETTINGS_FILE}: {} {} runs `{}`, not the copy in {HOOKS_DIR}/: left as it is, and nothing is deployed for it",
                reg.event, reg.binary, h.command
            ));
        }
    }
    out
}
