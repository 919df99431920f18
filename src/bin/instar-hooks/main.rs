//! `instar-hooks`: the operator CLI. Each subcommand builds one report and renders it as a
//! table or as JSON; `main` alone decides the exit code.
//!
//! Exit codes: 0 success; 1 findings (a check found something that needs attention);
//! 2 error (bad usage, unreadable files). A closed stdout (e.g. `| head`) exits 0.

mod classify;
mod cli;
mod commitments;
mod config;
mod doctor;
mod guards;
mod resume_queue;

use std::process::ExitCode;

use cli::{Args, Outcome};

const HELP: &str = "\
instar-hooks — inspect and fix what the instar-hooks hooks record

USAGE:
    instar-hooks <COMMAND> [OPTIONS]

COMMANDS:
    classify       Classify messages (JSON Lines on stdin, one result per line on stdout)
    commitments    List, show, resolve and flush follow-through commitments
    config         Get, set and unset configuration keys (per project or per user)
    doctor         Check that the hooks can work in a project, and what to fix
    guards         Is any guard silently off? One attention item if so
    resume-queue   Why the resume queue will (not) start, and heal a renamed host's lock

OPTIONS:
    -h, --help     Print help (also after any command)
    -V, --version  Print version

EXIT CODES:
    0  success
    1  findings: something needs attention (for checks)
    2  error: bad usage, or a file could not be read or written

Run `instar-hooks <COMMAND> --help` for a command's options.
";

fn main() -> ExitCode {
    let mut args = Args::from_env();
    let result = match args.next_command() {
        Ok(Some(cmd)) => match cmd.as_str() {
            "classify" => classify::run(&mut args),
            "commitments" => commitments::run(&mut args),
            "config" => config::run(&mut args),
            "doctor" => doctor::run(&mut args),
            "guards" => guards::run(&mut args),
            "resume-queue" => resume_queue::run(&mut args),
            "help" => Ok(Outcome::Help(HELP)),
            other => Err(cli::usage(format!(
                "unknown command `{other}`; expected one of: classify, commitments, config, doctor, guards, resume-queue"
            ))),
        },
        Ok(None) if args.wants_version() => Ok(Outcome::Text(format!(
            "instar-hooks {}\n",
            env!("CARGO_PKG_VERSION")
        ))),
        Ok(None) => Ok(Outcome::Help(HELP)),
        Err(e) => Err(e),
    };
    cli::finish(result, args.json())
}
