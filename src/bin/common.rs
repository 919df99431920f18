//! What the two command-line tools (`instar-hooks`, `instar-migrate`) share, compiled into
//! each of them with `#[path]`: the command line parsed by its clap declaration, where the
//! project is, how an error is shown, writing to stdout, and the one function that turns what a
//! command did into the exit code. The library never prints, and the hooks never use this.
//!
//! Exit codes (ripgrep's): 0 success, 1 findings (a check found something that needs
//! attention), 2 an error (bad usage, a file that cannot be read or written). Help and
//! `--version` exit 0. A closed stdout (e.g. `| head`) is not an error: the run exits as it
//! would have.

use clap::{CommandFactory, Parser, error::ErrorKind};
use instar_hooks::{Error, env::Env};
use std::{
    io::{self, Write},
    path::PathBuf,
    process::ExitCode,
};

/// How a run ended, as an exit code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Code {
    Success = 0,
    /// A check found something that needs attention.
    // Not every tool has findings: instar-migrate ends in success or an error.
    #[allow(dead_code)]
    Findings = 1,
    Error = 2,
}

/// What a command produced: the text for stdout, and how the run ended.
pub(crate) struct Outcome {
    pub(crate) text: String,
    pub(crate) code: Code,
}

impl Outcome {
    pub(crate) fn success(text: impl Into<String>) -> Outcome {
        Outcome::with(text, Code::Success)
    }

    pub(crate) fn with(text: impl Into<String>, code: Code) -> Outcome {
        Outcome {
            text: text.into(),
            code,
        }
    }
}

/// The command line, parsed and validated by `T`'s declaration. `Err` is the exit code of a
/// run that ends here: help and `--version` (printed to stdout, exit 0), or bad usage (the
/// parser's message on stderr, exit 2; no JSON, whatever the command line says: a command line
/// that does not parse cannot be trusted to ask for it).
pub(crate) fn parse<T: Parser>() -> Result<T, ExitCode> {
    T::try_parse().map_err(|e| {
        let code = match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Code::Success,
            _ => Code::Error,
        };
        // A help screen cut short by a closed stdout is still a success.
        let _ = e.print();
        exit_code(code)
    })
}

/// The long help of the (sub)command at `path` under `T` (e.g. `["commitments"]`), with its
/// full name in the usage line: what a command that needs a subcommand prints without one.
// instar-migrate has no subcommands.
#[allow(dead_code)]
pub(crate) fn long_help<T: CommandFactory>(path: &[&str]) -> String {
    let mut cmd = T::command();
    // Building sets every subcommand's full name (`instar-hooks commitments`).
    cmd.build();
    let mut at = &mut cmd;
    for name in path {
        at = at
            .find_subcommand_mut(name)
            .expect("a subcommand of the declaration");
    }
    at.render_long_help().to_string()
}

/// The shell completion script of `T`'s command line.
pub(crate) fn completions<T: CommandFactory>(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = T::command();
    let name = cmd.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    Outcome::success(String::from_utf8_lossy(&script))
}

/// Prints what the run produced and decides the exit code: the outcome's own (also when stdout
/// is closed before it is all written), or 2 for an error (shown as JSON on stdout too when
/// `json`).
pub(crate) fn finish(result: Result<Outcome, Error>, json: bool) -> ExitCode {
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            report_error(&e, json);
            return exit_code(Code::Error);
        }
    };
    match print(&outcome.text) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            report_error(&Error::io("<stdout>", "write", e), json);
            exit_code(Code::Error)
        }
        _ => exit_code(outcome.code),
    }
}

/// Bad usage the declaration cannot see (e.g. `--project` in a project without `.instar/`).
pub(crate) fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

fn exit_code(code: Code) -> ExitCode {
    ExitCode::from(code as u8)
}

/// Writes `text` to stdout; a closed pipe is an error the caller may ignore.
pub(crate) fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// An error as `--json` prints it: `{"type": "error", "data": {"kind", "path", "message",
/// "hint"}}`.
fn error_json(e: &Error) -> serde_json::Value {
    serde_json::json!({
        "type": "error",
        "data": {
            "kind": e.kind(),
            "path": e.path().map(|p| p.display().to_string()),
            "message": e.to_string(),
            "hint": e.hint(),
        }
    })
}

/// Shows an error: as JSON on stdout when `json`, and always as `error: …` (and `hint: …`) on
/// stderr.
fn report_error(e: &Error, json: bool) {
    if json {
        let _ = print(&format!("{}\n", error_json(e)));
    }
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    if let Some(hint) = e.hint() {
        let _ = writeln!(err, "hint: {hint}");
    }
}

/// `--project-dir`, else `CLAUDE_PROJECT_DIR`, else the current directory; it must be a
/// directory.
fn project_dir(given: Option<PathBuf>, env: &Env) -> Result<PathBuf, Error> {
    let dir = given
        .or_else(|| env.project_dir.clone())
        .or_else(|| env.cwd.clone())
        .ok_or_else(|| {
            Error::Usage("cannot tell the project directory; pass --project-dir DIR".into())
        })?;
    if !dir.is_dir() {
        return Err(Error::io(
            &dir,
            "open project directory",
            io::Error::new(io::ErrorKind::NotFound, "no such directory"),
        ));
    }
    Ok(dir)
}

/// The directory of the running executable: where this build's other binaries are.
pub(crate) fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(PathBuf::from))
}

/// `--project-dir DIR`, which every command that looks at a project takes (after its
/// subcommand or before it).
#[derive(clap::Args, Debug, Default)]
pub(crate) struct ProjectDir {
    /// The project (default: $CLAUDE_PROJECT_DIR, else the current directory)
    #[arg(long = "project-dir", value_name = "DIR", global = true)]
    pub(crate) dir: Option<PathBuf>,
}

impl ProjectDir {
    /// The project directory: see [`project_dir`].
    pub(crate) fn resolve(&self, env: &Env) -> Result<PathBuf, Error> {
        project_dir(self.dir.clone(), env)
    }
}
