//! `instar-hooks`: the operator CLI. Its command line is declared once, with clap (below and in
//! each command's module): that declaration parses, validates, and gives the help and the
//! shell completions. Each command builds one report and renders it as a table or as JSON;
//! `common::finish` alone decides the exit code.

#[path = "../common.rs"]
mod common;

mod claims;
mod classify;
mod commitments;
mod config;
mod doctor;
mod guards;
mod resume_queue;
mod table;

use clap::{Parser, Subcommand};
use common::Outcome;
use instar_hooks::Error;
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  findings: something needs attention (for checks)
  2  error: bad usage, or a file could not be read or written
  A closed stdout (e.g. `| head`) is not an error.

Run `instar-hooks <COMMAND> --help` for a command's options.";

/// instar-hooks — inspect and fix what the instar-hooks hooks record
#[derive(Parser, Debug)]
#[command(
    name = "instar-hooks",
    version,
    after_help = EXIT_CODES,
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    Claims(claims::Args),
    Classify(classify::Args),
    Commitments(commitments::Args),
    Config(config::Args),
    Doctor(doctor::Args),
    Guards(guards::Args),
    ResumeQueue(resume_queue::Args),
    /// Print the shell completion script for SHELL
    ///
    /// For example: `instar-hooks completions bash >
    /// ~/.local/share/bash-completion/completions/instar-hooks`
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

impl Cli {
    /// Whether an error is printed as JSON too.
    fn json(&self) -> bool {
        match &self.command {
            Some(Command::Claims(a)) => a.json,
            Some(Command::Commitments(a)) => a.json,
            Some(Command::Config(a)) => a.json,
            Some(Command::Doctor(a)) => a.json,
            Some(Command::Guards(a)) => a.json,
            Some(Command::ResumeQueue(a)) => a.json,
            Some(Command::Classify(_) | Command::Completions { .. }) | None => false,
        }
    }
}

fn main() -> ExitCode {
    let cli = match common::parse::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let json = cli.json();
    common::finish(run(cli), json)
}

fn run(cli: Cli) -> Result<Outcome, Error> {
    match cli.command {
        Some(Command::Claims(args)) => claims::run(args),
        Some(Command::Classify(args)) => classify::run(args),
        Some(Command::Commitments(args)) => commitments::run(args),
        Some(Command::Config(args)) => config::run(args),
        Some(Command::Doctor(args)) => doctor::run(args),
        Some(Command::Guards(args)) => guards::run(args),
        Some(Command::ResumeQueue(args)) => resume_queue::run(args),
        Some(Command::Completions { shell }) => Ok(common::completions::<Cli>(shell)),
        None => Ok(help(&[])),
    }
}

/// The long help of the command at `path` (`[]`: the tool itself), for a command run without
/// the subcommand it needs.
fn help(path: &[&str]) -> Outcome {
    Outcome::success(common::long_help::<Cli>(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_declaration_is_consistent() {
        // clap's own checks: no two flags with one name, every default valid, and so on.
        Cli::command().debug_assert();
    }
}
