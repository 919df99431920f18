//! `instar-hooks doctor`: are this project's hooks able to work? What to fix.

use instar_hooks::{
    Error, cli_support,
    doctor::{self, Level},
    env::Env,
};

use crate::cli::{Args, Code, Outcome};

const HELP: &str = "\
instar-hooks doctor — check that the hooks can work in a project, and say what to fix

USAGE:
    instar-hooks doctor [--json] [--project-dir DIR]

Checks the config (parses, feature on or off as the hooks see it, and which file decides),
how the hooks are wired (the Claude Code plugin enabled for the project, or entries in any
settings file Claude Code reads — .claude/settings.json, .claude/settings.local.json, the
user's — each hook present once, in a form Claude Code runs; both at once runs every hook
twice, a problem), the binaries those entries run (present, executable, current), every
settings file that cannot be read, the commitment store (readable), the hooks' log (the
latest problem a hook reported) and forwarding to an instar server (configured; claims not
yet delivered).
Read-only. Never prints the server's auth token.

OPTIONS:
    --project-dir DIR  The project (default: $CLAUDE_PROJECT_DIR, else the current directory)
    --json             {\"project\", \"stateDir\", \"checks\": [{\"name\", \"level\", \"detail\", \"fix\"?}],
                        \"problems\"}; level is ok, info, warn or problem
    -h, --help         Print help

EXIT CODES:
    0  no problems (warnings may be listed)
    1  at least one problem
    2  error (bad usage, no such project)
";

pub fn run(args: &mut Args) -> Result<Outcome, Error> {
    let env = Env::from_process();
    let Some(project) = args.project_only(&env)? else {
        return Ok(Outcome::Help(HELP));
    };
    let report = doctor::run(&project, &env, cli_support::exe_dir().as_deref());
    let text = if args.json() {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&report).expect("serializes")
        )
    } else {
        render(&report)
    };
    Ok(if report.problems > 0 {
        Outcome::TextWithCode(text, Code::Findings)
    } else {
        Outcome::Text(text)
    })
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
