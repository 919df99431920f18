//! `instar-hooks doctor`: are this project's hooks able to work? What to fix.

use instar_hooks::{
    Error,
    doctor::{self, Level},
    env::Env,
};

use crate::common::{self, Code, Outcome, ProjectDir};

const ABOUT: &str = "\
Checks that the hooks can work in a project, and says what to fix.

Checks the config (parses, feature on or off as the hooks see it, and which file decides),
how the hooks are wired (the Claude Code plugin enabled for the project, or entries in any
settings file Claude Code reads — .claude/settings.json, .claude/settings.local.json, the
user's — each hook present once, in a form Claude Code runs; both at once runs every hook
twice, a problem), the binaries those entries run (present, executable, current), every
settings file that cannot be read, the commitment store (readable), the hooks' log (the
latest problem a hook reported) and forwarding to an instar server (configured; claims not
yet delivered).
Read-only. Never prints the server's auth token.";

const EXIT_CODES: &str = "\
Exit codes:
  0  no problems (warnings may be listed)
  1  at least one problem
  2  error (bad usage, no such project)";

/// Check that the hooks can work in a project, and what to fix
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = EXIT_CODES)]
pub(crate) struct Args {
    #[command(flatten)]
    project: ProjectDir,
    /// Print the report as JSON
    #[arg(
        long,
        long_help = "Print the report as JSON: {\"project\", \"stateDir\", \"checks\": [{\"name\", \"level\",\n\"detail\", \"fix\"?}], \"problems\"}; level is ok, info, warn or problem"
    )]
    pub(crate) json: bool,
}

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let env = Env::from_process();
    let project = args.project.resolve(&env)?;
    let report = doctor::run(&project, &env, common::exe_dir().as_deref());
    let text = if args.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("serializes")
        )
    } else {
        render(&report)
    };
    let code = if report.problems > 0 {
        Code::Findings
    } else {
        Code::Success
    };
    Ok(Outcome::with(text, code))
}

fn render(r: &doctor::Report) -> String {
    let mut out = format!("project: {}\n", r.project.display());
    if let Some(dir) = &r.state_dir {
        out.push_str(&format!("state:   {}\n", dir.display()));
    }
    for c in &r.checks {
        let mark = match c.level {
            Level::Ok => "ok     ",
            Level::Info => "info   ",
            Level::Warn => "warn   ",
            Level::Problem => "PROBLEM",
        };
        out.push_str(&format!("{mark} {:<11} {}\n", c.name, c.detail));
        if let Some(fix) = &c.fix
            && c.level >= Level::Info
        {
            out.push_str(&format!("        {:<11} fix: {fix}\n", ""));
        }
    }
    out.push_str(&match r.problems {
        0 => "No problems found.\n".to_string(),
        n => format!("{n} problem(s) found.\n"),
    });
    out
}
