//! `instar-migrate`: deploys the hook binaries and patches `.claude/settings.json`,
//! `CLAUDE.md` and `.instar/config.json` — safely (see `instar_hooks::migrate`). This file
//! only declares its command line and renders the report.

#[path = "../src/bin/common.rs"]
mod common;
mod report;

use clap::{Parser, ValueEnum};
use common::{Code, Outcome, ProjectDir};
use instar_hooks::{
    Error,
    env::Env,
    migrate::{self, Options},
    plugin,
    timestamp::Timestamp,
};
use std::process::ExitCode;

const ABOUT: &str = "\
Brings a project up to date for the instar-hooks hooks.

What it does:
    1. Deploys the hook binaries that sit next to instar-migrate into
       .instar/hooks/instar/ (mode 755, atomic; identical files are skipped).
    2. Registers them in .claude/settings.json (created when missing), in exec form with
       timeouts in seconds; replaces a legacy `node …/action-claim-followthrough.js` hook in
       place; keeps every other key, hook and matcher, and their order.
    3. Adds the CLAUDE.md sections that explain the hooks (once; created when missing).
    4. With --enable/--disable, makes actionClaim.enabled take that value in this project as
       its hooks see it. Nothing is written when it has it already (hooks run by the plugin
       are on by default). A false in any config file wins, so one that keeps the feature off
       is changed where it is (a per-user value is removed rather than overwritten: that
       reaches fewer projects). Otherwise the switch goes into .instar/config.json (moving a
       legacy messaging.actionClaim block to the top-level key) or, in a project that has no
       .instar/ and gets no hooks deployed, into the per-user config, as `instar-hooks config
       set` does: it applies to every project. A change to the per-user file is reported
       with the other projects it reaches and the command that undoes it.
    Every file it replaces is first copied to .instar/backups/<time>/ (once per run; in a
    project without .instar/, to backups/<time>/ in its per-user state directory, the `state:`
    of `instar-hooks doctor`). A file whose content would not change is not written: a second
    run changes nothing. Malformed JSON is never rewritten: the file is left byte for byte as
    it was.

    A hook that a settings file already runs (from any path, in any scope) is neither
    registered again nor deployed. Deploying the hooks into a project without .instar/ makes it
    an instar agent (the hooks then keep their state in .instar/instar-hooks/, not in the
    per-user data directory); .instar/ is never created for anything else.";

const AFTER: &str = "\
Exit codes:
  0  done (or nothing to do)
  2  an error: a file could not be read, parsed or written (the others were still
     handled), or bad usage

Rolling back:
  cp -a <backup>/. <project>    restores every file that run replaced (the report prints the
  command); files it created (listed as `created` in the report) can simply be deleted.";

/// instar-migrate — bring a project up to date for the instar-hooks hooks
#[derive(Parser, Debug)]
#[command(name = "instar-migrate", version, long_about = ABOUT, after_long_help = AFTER)]
struct Cli {
    #[command(flatten)]
    project: ProjectDir,
    /// Write nothing; print a unified diff of every file that would change
    #[arg(long)]
    dry_run: bool,
    /// Print the report as JSON
    ///
    /// {"projectDir", "dryRun", "upgraded", "skipped", "errors", "notes" (the sentences of the
    /// human report, as instar's MigrationResult has them), "changedFiles", "backupDir",
    /// "steps": [{"outcome": "upgraded"|"skipped"|"note"|"error", "path", "what", ...}], and
    /// with --dry-run "diff"}
    #[arg(long, verbatim_doc_comment)]
    json: bool,
    /// Switch a feature on
    #[arg(long, value_name = "FEATURE", conflicts_with = "disable")]
    enable: Option<Feature>,
    /// Switch a feature off
    #[arg(long, value_name = "FEATURE")]
    disable: Option<Feature>,
    /// Print the shell completion script for SHELL, and do nothing else
    #[arg(long, value_name = "SHELL", exclusive = true)]
    completions: Option<clap_complete::Shell>,
}

/// What --enable and --disable switch.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Feature {
    /// The action-claim hooks (actionClaim.enabled)
    ActionClaim,
}

impl Cli {
    /// `Some(true)` for `--enable action-claim`, `Some(false)` for `--disable`.
    fn action_claim(&self) -> Option<bool> {
        match (self.enable, self.disable) {
            (Some(Feature::ActionClaim), _) => Some(true),
            (_, Some(Feature::ActionClaim)) => Some(false),
            (None, None) => None,
        }
    }
}

fn main() -> ExitCode {
    let cli = match common::parse::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let json = cli.json;
    common::finish(run(cli), json)
}

fn run(cli: Cli) -> Result<Outcome, Error> {
    if let Some(shell) = cli.completions {
        return Ok(common::completions::<Cli>(shell));
    }
    let env = Env::from_process();
    let project = cli.project.resolve(&env)?;
    let project = std::fs::canonicalize(&project).map_err(|e| Error::io(&project, "resolve", e))?;
    let source_dir = common::exe_dir()
        .ok_or_else(|| common::usage("cannot tell where instar-migrate is installed"))?;
    // Every settings file Claude Code reads for the project, read once: is the plugin enabled,
    // and which of our hooks run already.
    let wiring = plugin::wiring(&project, &env);
    let opts = Options {
        project,
        source_dir,
        action_claim: cli.action_claim(),
        env,
    };
    let (report, diff) = migrate::run(&opts, &wiring, cli.dry_run, Timestamp::now());
    let text = if cli.json {
        report::json(&report, diff.as_deref())
    } else {
        format!(
            "{}{}",
            diff.as_deref().unwrap_or_default(),
            report::human(&report)
        )
    };
    let code = if report.has_errors() {
        Code::Error
    } else {
        Code::Success
    };
    Ok(Outcome::with(text, code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        // clap's own checks: no two flags with one name, every conflict names a real flag.
        Cli::command().debug_assert();
    }
}
