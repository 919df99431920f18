//! `instar-migrate`: deploys the hook binaries and patches `.claude/settings.json`,
//! `CLAUDE.md` and `.instar/config.json` — safely (see `instar_hooks::migrate`). This file
//! only parses arguments and renders the report.

use instar_hooks::{
    Error,
    cli_support::{self, print},
    env::Env,
    fixes::shell_word,
    migrate::{self, Options, Report},
    plugin,
    timestamp::Timestamp,
};
use std::{path::PathBuf, process::ExitCode};

const HELP: &str = "\
instar-migrate — bring a project up to date for the instar-hooks hooks

USAGE:
    instar-migrate [--project-dir DIR] [--dry-run] [--json]
                   [--enable action-claim] [--disable action-claim]

WHAT IT DOES:
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
    per-user data directory); .instar/ is never created for anything else.

OPTIONS:
    --project-dir DIR   The project (default: $CLAUDE_PROJECT_DIR, else the current directory)
    --dry-run           Write nothing; print a unified diff of every file that would change
    --json              Print the report as JSON (upgraded, skipped, errors, notes,
                        changedFiles, backupDir; with --dry-run also `diff`)
    --enable FEATURE    Switch a feature on (FEATURE: action-claim)
    --disable FEATURE   Switch a feature off
    -h, --help          Print help
    -V, --version       Print version

EXIT CODES:
    0  done (or nothing to do)
    2  an error: a file could not be read, parsed or written (the others were still
       handled), or bad usage

ROLLING BACK:
    cp -a <backup>/. <project>    restores every file that run replaced (the report prints the
    command); files it created (listed as `created` in the report) can simply be deleted.
";

struct Args {
    project: Option<PathBuf>,
    dry_run: bool,
    json: bool,
    action_claim: Option<bool>,
}

fn parse_args() -> Result<Option<Args>, Error> {
    use lexopt::prelude::*;
    let usage = |e: &dyn std::fmt::Display| Error::Usage(e.to_string());
    let mut args = Args {
        project: None,
        dry_run: false,
        json: false,
        action_claim: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| usage(&e))? {
        match arg {
            Short('h') | Long("help") => {
                let _ = print(HELP);
                return Ok(None);
            }
            Short('V') | Long("version") => {
                let _ = print(&format!("instar-migrate {}\n", env!("CARGO_PKG_VERSION")));
                return Ok(None);
            }
            Long("project-dir") => {
                args.project = Some(parser.value().map_err(|e| usage(&e))?.into())
            }
            Long("dry-run") => args.dry_run = true,
            Long("json") => args.json = true,
            Long(flag @ ("enable" | "disable")) => {
                let flag = flag.to_string();
                let on = flag == "enable";
                let feature = parser.value().map_err(|e| usage(&e))?;
                match feature.to_str() {
                    Some("action-claim") => args.action_claim = Some(on),
                    _ => {
                        return Err(Error::Usage(format!(
                            "unknown feature `{}` for --{flag}; known: action-claim",
                            feature.to_string_lossy()
                        )));
                    }
                }
            }
            other => return Err(usage(&other.unexpected())),
        }
    }
    Ok(Some(args))
}

fn main() -> ExitCode {
    let json_wanted = std::env::args().any(|a| a == "--json");
    match run() {
        Ok(code) => code,
        Err(e) => {
            cli_support::report_error(&e, json_wanted);
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, Error> {
    let Some(args) = parse_args()? else {
        return Ok(ExitCode::SUCCESS);
    };
    let env = Env::from_process();
    let project = cli_support::project_dir(args.project, &env)?;
    let project = std::fs::canonicalize(&project).map_err(|e| Error::io(&project, "resolve", e))?;
    let source_dir = cli_support::exe_dir()
        .ok_or_else(|| Error::Usage("cannot tell where instar-migrate is installed".into()))?;
    // Every settings file Claude Code reads for the project, read once: is the plugin enabled,
    // and which of our hooks run already.
    let wiring = plugin::wiring(&project, &env);
    let opts = Options {
        project,
        source_dir,
        action_claim: args.action_claim,
        env,
    };
    let (report, diff) = migrate::run(&opts, &wiring, args.dry_run, Timestamp::now());
    if args.json {
        let mut v = serde_json::to_value(&report).expect("a report serializes");
        if let Some(diff) = &diff {
            v["diff"] = serde_json::Value::String(diff.clone());
        }
        let _ = print(&format!(
            "{}\n",
            serde_json::to_string_pretty(&v).expect("serializes")
        ));
    } else {
        if let Some(diff) = &diff {
            let _ = print(diff);
        }
        let _ = print(&render(&report));
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn render(r: &Report) -> String {
    let mut out = format!("instar-migrate: {}", r.project_dir.display());
    if r.dry_run {
        out.push_str(" (dry run: nothing was written)");
    }
    out.push('\n');
    for (title, mark, lines) in [
        ("upgraded", "+", &r.upgraded),
        ("skipped", "-", &r.skipped),
        ("notes", "!", &r.notes),
        ("errors", "x", &r.errors),
    ] {
        if !lines.is_empty() {
            out.push_str(&format!("{title}:\n"));
            for l in lines {
                out.push_str(&format!("  {mark} {l}\n"));
            }
        }
    }
    if r.upgraded.is_empty() && r.errors.is_empty() {
        out.push_str("Nothing to do: the project is up to date.\n");
    }
    if let Some(dir) = &r.backup_dir {
        out.push_str(&format!(
            "backup: {} (roll back with: cp -a {}/. {})\n",
            dir.display(),
            shell_word(&r.project_dir.join(dir)),
            shell_word(&r.project_dir)
        ));
    }
    out
}
