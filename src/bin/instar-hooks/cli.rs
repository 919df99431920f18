//! Argument parsing (lexopt) and output shared by every subcommand.

use instar_hooks::{Error, cli_support, env::Env};
use std::{ffi::OsString, io, path::PathBuf, process::ExitCode};

pub use cli_support::project_dir;

/// What a subcommand produced; rendered by `finish`.
pub enum Outcome {
    /// Printed as is; exit 0.
    Text(String),
    /// A help screen; exit 0.
    Help(&'static str),
    /// Printed as is, with this exit code (e.g. `Findings`).
    TextWithCode(String, Code),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Code {
    Success = 0,
    Findings = 1,
    Error = 2,
}

/// Arguments with a little memory of the global flags seen so far.
pub struct Args {
    parser: lexopt::Parser,
    json: bool,
    version: bool,
}

pub fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

impl Args {
    pub fn from_env() -> Self {
        Args {
            parser: lexopt::Parser::from_env(),
            json: false,
            version: false,
        }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    pub fn wants_version(&self) -> bool {
        self.version
    }

    /// The subcommand name, handling global flags before it.
    pub fn next_command(&mut self) -> Result<Option<String>, Error> {
        use lexopt::Arg::*;
        while let Some(arg) = self.parser.next().map_err(|e| usage(e.to_string()))? {
            match arg {
                Value(v) => return Ok(Some(string(v)?)),
                Long("json") => self.json = true,
                Short('V') | Long("version") => self.version = true,
                Short('h') | Long("help") => return Ok(Some("help".into())),
                other => return Err(usage(other.unexpected().to_string())),
            }
        }
        Ok(None)
    }

    /// The next raw argument (a flag or a value), for subcommands' own loops.
    pub fn next(&mut self) -> Result<Option<lexopt::Arg<'_>>, Error> {
        self.parser.next().map_err(|e| usage(e.to_string()))
    }

    pub fn value(&mut self) -> Result<OsString, Error> {
        self.parser.value().map_err(|e| usage(e.to_string()))
    }

    pub fn set_json(&mut self) {
        self.json = true;
    }

    /// The options of a command that takes nothing but `--project-dir`, `--json` and
    /// `--help`: the project directory ([`project_dir`]), or `None` when help was asked for.
    pub fn project_only(&mut self, env: &Env) -> Result<Option<PathBuf>, Error> {
        use lexopt::Arg::*;
        let mut project: Option<PathBuf> = None;
        while let Some(arg) = self.next()? {
            match arg {
                Short('h') | Long("help") => return Ok(None),
                Long("json") => self.set_json(),
                Long("project-dir") => project = Some(self.value()?.into()),
                other => return Err(usage(other.unexpected().to_string())),
            }
        }
        project_dir(project, env).map(Some)
    }
}

pub fn string(v: OsString) -> Result<String, Error> {
    v.into_string()
        .map_err(|v| usage(format!("not valid UTF-8: {}", v.to_string_lossy())))
}

pub fn finish(result: Result<Outcome, Error>, json: bool) -> ExitCode {
    let (text, code) = match result {
        Ok(Outcome::Text(t)) => (t, Code::Success),
        Ok(Outcome::Help(h)) => (h.to_string(), Code::Success),
        Ok(Outcome::TextWithCode(t, code)) => (t, code),
        Err(e) => {
            cli_support::report_error(&e, json);
            return ExitCode::from(Code::Error as u8);
        }
    };
    match cli_support::print(&text) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            cli_support::report_error(&Error::io("<stdout>", "write", e), json);
            ExitCode::from(Code::Error as u8)
        }
        _ => ExitCode::from(code as u8),
    }
}

/// Renders rows as an aligned table (columns separated by two spaces).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let last = cells.len() - 1;
        for (i, cell) in cells.iter().enumerate() {
            out.push_str(cell);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}
