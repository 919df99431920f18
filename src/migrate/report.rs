//! What a run did (or, in a dry run, would do), left alone, noted, or could not do: one
//! [`Step`] per file or decision, each with typed fields. `instar-migrate` renders the steps
//! for people, and as JSON; nothing here is a sentence, except what the module that made an
//! edit said about it ([`Upgrade::Edited`], [`Note::Remark`]).
//!
//! As JSON a step is one flat object: `outcome` (`upgraded`, `skipped`, `note`, `error`),
//! `path` (the file, or `null`), `what` (which case, kebab-case) and that case's fields.

use serde::Serialize;
use std::path::PathBuf;

use crate::Error;

/// The run's report.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub project_dir: PathBuf,
    pub dry_run: bool,
    /// In the order they were found; upgrades last (they are known once the files are
    /// written, or, in a dry run, planned).
    pub steps: Vec<Step>,
    /// Paths written (or, in a dry run, that would be): relative to the project, or absolute
    /// for the per-user config.
    pub changed_files: Vec<String>,
    /// Where this run backed up the files it replaced: relative to the project for an instar
    /// agent (`.instar/backups/<time>`), else in the per-user state directory.
    pub backup_dir: Option<PathBuf>,
}

impl Report {
    /// Whether any step failed (then nothing was written, and the exit code is 2).
    pub fn has_errors(&self) -> bool {
        self.steps.iter().any(|s| matches!(s, Step::Error { .. }))
    }

    pub(super) fn skipped(&mut self, path: impl Into<PathBuf>, skip: Skip) {
        self.steps.push(Step::Skipped {
            path: Some(path.into()),
            skip,
        });
    }

    pub(super) fn note(&mut self, path: Option<PathBuf>, note: Note) {
        self.steps.push(Step::Note { path, note });
    }

    pub(super) fn error(&mut self, e: &Error) {
        self.steps.push(Step::error(e));
    }
}

/// What happened to one file, or one decision of the run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "camelCase")]
pub enum Step {
    /// A change written (in a dry run: planned). `path` is relative to the project, absolute
    /// for the per-user config.
    Upgraded {
        path: PathBuf,
        #[serde(flatten)]
        upgrade: Upgrade,
    },
    /// Left as it is, and why. `path`: `None` for a setting judged across files.
    Skipped {
        path: Option<PathBuf>,
        #[serde(flatten)]
        skip: Skip,
    },
    /// Something the user should know that the run deliberately did not change.
    Note {
        path: Option<PathBuf>,
        #[serde(flatten)]
        note: Note,
    },
    /// What could not be done; the run then writes nothing at all.
    Error {
        path: Option<PathBuf>,
        /// `deploy` (a hook binary that cannot be read), `switch` (the feature cannot be
        /// switched as asked), or the error's kind (`io`, `parse`, `unsupported`, …).
        what: &'static str,
        message: String,
        hint: Option<String>,
    },
}

impl Step {
    /// An error of the library, with its file, kind and hint.
    pub(super) fn error(e: &Error) -> Step {
        Step::Error {
            path: e.path().map(PathBuf::from),
            what: e.kind(),
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

/// A change to one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "what",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Upgrade {
    /// A hook binary copied in where there was none.
    Deployed { bytes: u64 },
    /// A hook binary replaced by this build's.
    Updated { bytes: u64 },
    /// A hook binary already identical, made executable (mode 755).
    MadeExecutable { bytes: u64 },
    /// A file that did not exist.
    Created,
    /// A CLAUDE.md section.
    SectionAdded { section: String },
    /// CLAUDE.md ended inside a code block, closed first so the sections added are text.
    FenceClosed { fence: String },
    /// Our hook removed from the edited settings file, under `event`: another settings file
    /// runs it for `registered_for` already.
    HooksRemoved {
        count: usize,
        binary: String,
        event: String,
        registered_for: String,
    },
    /// A registration changed in the settings file.
    Registration(crate::settings::Change),
    /// An edit of a config file, as the module that made it says.
    Edited { detail: String },
}

/// Why a file or a decision was left as it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "what",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Skip {
    /// A hook binary identical to this build's, with mode 755.
    UpToDate,
    /// Someone else made the same change between plan and write.
    ChangedMeanwhile,
    /// CLAUDE.md has both sections.
    SectionsPresent,
    /// The settings file registers the hooks already. `registered`: `EVENT binary` of the
    /// hooks registered there; `elsewhere`: of those another settings file runs.
    HooksInPlace {
        registered: Vec<String>,
        elsewhere: Vec<String>,
    },
    /// The config file has the value the switch needs (`None`: the key is not set).
    SwitchInPlace { value: Option<bool> },
    /// The Claude Code plugin runs the hooks in this project.
    PluginRunsHooks {
        plugin: String,
        scope: String,
        file: PathBuf,
    },
    /// `.instar/config.json` lists `enabledFrameworks` without `claude-code`.
    FrameworkNotEnabled,
    /// Every hook is registered already (from elsewhere: see the notes).
    EveryHookRegistered,
    /// No hook binary could be deployed, so none is registered.
    NoHookDeployed,
    /// `--enable`/`--disable`: the project has that value already, as its hooks see it.
    SwitchAlready {
        key: String,
        value: bool,
        /// Where the value comes from.
        origin: String,
    },
}

/// Where a hook is registered: a settings file, the event, the command.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HookAt {
    pub file: PathBuf,
    pub event: String,
    pub command: String,
}

/// What the user should know.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "what",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Note {
    /// The plugin and a settings entry both run the hooks.
    RegisteredTwice { wiring: String, fix: String },
    /// A project without `.instar/` that the run makes an instar agent; `kept_in`: the state
    /// directory that still holds its commitments (move it with `move_to`).
    BecomesAgent {
        project: PathBuf,
        kept_in: Option<PathBuf>,
        move_to: PathBuf,
    },
    /// `EVENT binary` is registered in another settings file (`places`), so not in the edited
    /// one; `removed`: its entries there, which went (it ran twice).
    RegisteredElsewhere {
        hook: String,
        places: Vec<HookAt>,
        removed: Vec<HookAt>,
    },
    /// The edited settings file runs the hook from somewhere else: left, and not deployed.
    RunsAnotherCopy { hook: String, command: String },
    /// A plan with errors is not applied: these files would have changed.
    NothingWritten { planned: Vec<String> },
    /// Another hook's `timeout` looks like milliseconds (Claude Code reads seconds); left.
    MillisecondTimeout(crate::settings::MsTimeout),
    /// As the module that read or edited the file says (e.g. who else a per-user switch
    /// reaches).
    Remark { detail: String },
}
