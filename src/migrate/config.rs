//! `--enable` / `--disable action-claim`: which config file gets which change, so that the
//! switch takes effect in this project as its hooks see it — the one answer of
//! [`edit::plan_switch`], shared with `doctor` and `instar-hooks config`. Nothing is written
//! when the value is in effect already (e.g. `--enable` where the plugin runs the hooks: on by
//! default). An instar agent (or a project this run makes one, by deploying the hooks into
//! it) keeps its switch in `.instar/config.json`; a per-user `false`, which wins over any
//! project's `true`, is removed; a project without `.instar/` is never made an agent for a
//! setting — that would move its hook state into the repository and strand what the hooks
//! recorded so far — so its switch goes into the per-user config, and the report says that
//! it applies to every project.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::{Change, Note, Options, Report, Skip, Step, edits, plan};
use crate::{
    Error,
    config::{
        PROJECT_CONFIG,
        edit::{self, ConfigFile, Switch, SwitchEdit},
        file,
    },
    plugin::Wiring,
};

/// Plans the switch; returns the project config as read (for `enabledFrameworks`), `None`
/// when it cannot be read (reported in the errors).
pub(super) fn plan(
    opts: &Options,
    wiring: &Wiring,
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
            report.error(&e);
            return None;
        }
    };
    let Some(want) = opts.action_claim else {
        return Some(doc);
    };
    let edits = match edit::plan_switch(&opts.project, &opts.env, wiring, want, agent_after) {
        Switch::Already(origin) => {
            report.steps.push(Step::Skipped {
                path: None,
                skip: Skip::SwitchAlready {
                    key: edit::ENABLED.to_string(),
                    value: want,
                    origin: origin.describe(),
                },
            });
            return Some(doc);
        }
        Switch::Blocked(why) => {
            report.steps.push(Step::Error {
                path: None,
                what: "switch",
                message: why,
                hint: None,
            });
            return Some(doc);
        }
        Switch::Edits(edits) => edits,
    };
    for e in edits {
        let bytes = match e.file {
            ConfigFile::Project => Ok(before.clone()),
            ConfigFile::User => file::read(&e.path, file::JSON_CAP),
        };
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(err) => {
                report.error(&err);
                continue;
            }
        };
        let planned = changes.len();
        switch(&e, bytes, changes, report);
        if changes.len() > planned
            && let Some(note) = e.explain(&opts.project, wiring)
        {
            report.note(None, Note::Remark { detail: note });
        }
    }
    Some(doc)
}

/// The change one [`SwitchEdit`] makes to its file: relative to the project for the project
/// file, absolute for the per-user one (which is not backed up with the project's files);
/// 0600 when it is new.
fn switch(e: &SwitchEdit, before: Option<Vec<u8>>, changes: &mut Vec<Change>, report: &mut Report) {
    let rel = match e.file {
        ConfigFile::Project => PathBuf::from(PROJECT_CONFIG),
        ConfigFile::User => e.path.clone(),
    };
    let (edit, path) = (e.clone(), rel.clone());
    changes.extend(plan::text_change(
        rel,
        before,
        Box::new(move |b| edits::config(&path, b, &edit)),
        file::CONFIG_MODE,
        report,
        Skip::SwitchInPlace { value: e.after },
    ));
}
