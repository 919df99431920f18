//! `--enable` / `--disable action-claim`: where the switch goes, the way `instar-hooks config
//! set` decides it. An instar agent (or a project this run makes one, by deploying the hooks
//! into it) keeps it in `.instar/config.json`. A project without `.instar/` is never made an
//! agent for a setting — that would move its hook state into the repository and strand what
//! the hooks recorded so far — so the switch goes into the per-user config, and the report
//! says that it applies to every project.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::{Change, Options, Report, edits, plan};
use crate::{
    Error,
    config::{self, PROJECT_CONFIG, file},
};

/// Plans the switch; returns the project config as read (for `enabledFrameworks`), `None`
/// when it cannot be read (reported in the errors).
pub(super) fn plan(
    opts: &Options,
    bytes: Result<Option<Vec<u8>>, Error>,
    agent_after: bool,
    changes: &mut Vec<Change>,
    report: &mut Report,
) -> Option<Map<String, Value>> {
    let parsed = bytes.and_then(|b| {
        let doc = match &b {
            Some(b) => file::parse_object(Path::new(PROJECT_CONFIG), b)?,
            None => Map::new(),
        };
        Ok((b, doc))
    });
    let (before, doc) = match parsed {
        Ok(read) => read,
        Err(e) => {
            report.errors.push(plan::describe(&e));
            return None;
        }
    };
    let Some(want) = opts.action_claim else {
        return Some(doc);
    };
    if agent_after {
        switch(PathBuf::from(PROJECT_CONFIG), before, want, changes, report);
        return Some(doc);
    }
    let Some(user) = config::user_config_path(&opts.env) else {
        report.errors.push(format!(
            "actionClaim.enabled: {} has no .instar/ and there is no per-user config directory (set HOME or XDG_CONFIG_HOME); .instar/ is not created for a setting, as that would make the project an instar agent",
            opts.project.display()
        ));
        return Some(doc);
    };
    match file::read(&user, file::JSON_CAP) {
        Ok(bytes) => {
            let planned = changes.len();
            switch(user.clone(), bytes, want, changes, report);
            if changes.len() > planned {
                report.notes.push(format!(
                    "{} has no .instar/, so actionClaim.enabled goes into the per-user config {}, which every project reads (an explicit false in any file wins); a project is not made an instar agent for a setting. Undo: `{}`",
                    opts.project.display(),
                    user.display(),
                    crate::fixes::config_unset("actionClaim.enabled")
                ));
            }
        }
        Err(e) => report.errors.push(plan::describe(&e)),
    }
    Some(doc)
}

/// The change that sets `actionClaim.enabled` in the config file at `path` (relative to the
/// project, or absolute), 0600 when it is new.
fn switch(
    path: PathBuf,
    before: Option<Vec<u8>>,
    want: bool,
    changes: &mut Vec<Change>,
    report: &mut Report,
) {
    let unchanged = format!("actionClaim.enabled is already {want}");
    let edit_path = path.clone();
    changes.extend(plan::text_change(
        path,
        before,
        Box::new(move |b| edits::config(&edit_path, b, want)),
        file::CONFIG_MODE,
        report,
        &unchanged,
    ));
}
