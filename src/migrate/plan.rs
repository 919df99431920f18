//! Step 1: read each file once and compute its new bytes. Nothing is written here.

use std::path::{Path, PathBuf};

use super::{
    Change, Mode, Note, Options, Plan, Recompute, Report, Skip, backup, config, deploy, edits,
    targets,
};
use crate::{
    Error, claude_md,
    config::{PROJECT_CONFIG, file},
    plugin::Wiring,
    settings::{self, HOOKS_DIR, SETTINGS_FILE},
    state::{INSTAR_DIR, StateDir},
};

/// Plans the run for a project wired as `wiring` says (read by the caller, with the same
/// environment as `opts.env`). When the Claude Code plugin is enabled for the project, its
/// hooks already run there: deploying and registering them again would run every hook twice
/// per event (Claude Code does not deduplicate plugin and settings hooks), so both steps are
/// skipped and the report says why.
pub fn plan_with(opts: &Options, wiring: &Wiring) -> Plan {
    let project = &opts.project;
    let mut report = Report {
        project_dir: project.clone(),
        ..Report::default()
    };
    let mut changes = Vec::new();
    // Decided before anything is written: deploying creates `.instar/`.
    let agent = project.join(INSTAR_DIR).is_dir();
    // Read even without `.instar/`: a `.instar` that is not a directory is an error here,
    // before anything is written, not half way through the run.
    let config_bytes = read(project, PROJECT_CONFIG);
    let claude_md_bytes = read(project, claude_md::FILE);

    if let Some(p) = wiring.plugin() {
        let why = Skip::PluginRunsHooks {
            plugin: p.id.clone(),
            scope: p.scope.as_str().to_string(),
            file: p.file.clone(),
        };
        report.skipped(HOOKS_DIR, why.clone());
        report.skipped(SETTINGS_FILE, why);
        if let Some(fix) = wiring.fix() {
            report.note(
                None,
                Note::RegisteredTwice {
                    wiring: wiring.describe(),
                    fix,
                },
            );
        }
        config::plan(opts, wiring, config_bytes, agent, &mut changes, &mut report);
        let backups = backup::Place::for_project(project, &opts.env, agent);
        return finish(project, changes, report, claude_md_bytes, backups);
    }

    let targets = targets::plan(project, wiring, &mut report);
    let ready = deploy::plan(
        project,
        &opts.source_dir,
        &targets.deploy,
        &mut changes,
        &mut report,
    );
    let becomes_agent = !agent && !targets.deploy.is_empty();
    if becomes_agent {
        report.note(None, becoming_an_agent(project, &opts.env));
    }
    let config_doc = config::plan(
        opts,
        wiring,
        config_bytes,
        agent || becomes_agent,
        &mut changes,
        &mut report,
    );
    let regs: Vec<settings::Registration> = targets
        .register
        .iter()
        .filter(|r| ready.contains(&r.binary.as_str()))
        .cloned()
        .collect();
    let frameworks = config_doc
        .as_ref()
        .and_then(|doc| doc.get("enabledFrameworks"));
    let drop = targets.drop;
    if !crate::config::claude_code_enabled(frameworks) {
        report.skipped(SETTINGS_FILE, Skip::FrameworkNotEnabled);
    } else if regs.is_empty() && drop.is_empty() && targets.register.is_empty() {
        report.skipped(SETTINGS_FILE, Skip::EveryHookRegistered);
    } else if regs.is_empty() && drop.is_empty() {
        report.skipped(SETTINGS_FILE, Skip::NoHookDeployed);
    } else {
        let names = |regs: &[settings::Registration]| {
            regs.iter()
                .map(|r| format!("{} {}", r.event, r.binary))
                .collect()
        };
        let unchanged = Skip::HooksInPlace {
            registered: names(&regs),
            elsewhere: names(&drop),
        };
        match read(project, SETTINGS_FILE) {
            Ok(bytes) => changes.extend(text_change(
                SETTINGS_FILE,
                bytes,
                Box::new(move |b| edits::settings(b, &regs, &drop)),
                Mode::KeepOr(0o644),
                &mut report,
                unchanged,
            )),
            Err(e) => report.error(&e),
        }
    }
    let backups = backup::Place::for_project(project, &opts.env, agent || becomes_agent);
    finish(project, changes, report, claude_md_bytes, backups)
}

/// The note for a project that had no `.instar/` and gets the hooks deployed into it: it is an
/// instar agent from now on, and its hook state moves (what was recorded so far stays behind).
fn becoming_an_agent(project: &Path, env: &crate::env::Env) -> Note {
    let kept_in = StateDir::resolve(project, env)
        .ok()
        .filter(|old| old.commitments_file().exists())
        .map(|old| old.root().to_path_buf());
    Note::BecomesAgent {
        project: project.to_path_buf(),
        kept_in,
        move_to: project.join(INSTAR_DIR).join("instar-hooks"),
    }
}

/// The CLAUDE.md sections (every project gets them), then the plan.
fn finish(
    project: &Path,
    mut changes: Vec<Change>,
    mut report: Report,
    claude_md_bytes: Result<Option<Vec<u8>>, Error>,
    backups: backup::Place,
) -> Plan {
    match claude_md_bytes {
        Ok(bytes) => changes.extend(text_change(
            claude_md::FILE,
            bytes,
            Box::new(edits::claude_md),
            Mode::KeepOr(0o644),
            &mut report,
            Skip::SectionsPresent,
        )),
        Err(e) => report.error(&e),
    }
    // The upgrades are reported once they are written (or, in a dry run, as planned).
    Plan {
        project: project.to_path_buf(),
        changes,
        report,
        backups,
    }
}

/// Runs `edit` on the file's bytes (read once, by the caller) and turns the result into a
/// `Change` (with the same edit kept for re-running at apply time) or a skipped step
/// (`unchanged`); its notes go to the report either way, an error to the errors.
pub(super) fn text_change(
    rel: impl Into<PathBuf>,
    before: Option<Vec<u8>>,
    edit: edits::Edit,
    mode: Mode,
    report: &mut Report,
    unchanged: Skip,
) -> Option<Change> {
    let rel = rel.into();
    let edited = match edit(before.as_deref()) {
        Ok(edited) => edited,
        Err(e) => {
            report.error(&e);
            return None;
        }
    };
    for note in edited.notes {
        report.note(Some(rel.clone()), note);
    }
    let Some(after) = edited.after else {
        report.skipped(rel, unchanged);
        return None;
    };
    let recompute: Recompute = Box::new(move |bytes| Ok(edit(bytes)?.after));
    Some(Change {
        rel,
        before,
        after,
        mode,
        recompute: Some(recompute),
        upgraded: edited.upgrades,
    })
}

/// The bytes of a text file of the project (capped like every hand-edited file), `None` when
/// it does not exist.
fn read(project: &Path, rel: &str) -> Result<Option<Vec<u8>>, Error> {
    file::read(&project.join(rel), file::JSON_CAP)
}

#[cfg(test)]
mod tests;
