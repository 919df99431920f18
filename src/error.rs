//! One error type for the library. Variants carry the structured facts (which file, what went
//! wrong, where); binaries render them, with a hint on how to fix, in `Error::hint`.

use std::{fmt, io, path::PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    /// An I/O operation on `path` failed.
    Io {
        path: PathBuf,
        action: &'static str,
        source: io::Error,
    },
    /// `path` is not valid JSON (or not the JSON shape we need).
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// `path` parsed, but holds something we must not touch (e.g. `hooks` is not an object).
    Unsupported { path: PathBuf, found: String },
    /// The commitment store was unreadable; it was moved to `moved_to`.
    CorruptStore {
        path: PathBuf,
        moved_to: Option<PathBuf>,
        message: String,
    },
    /// No commitment with this id.
    NoSuchCommitment { id: String },
    /// The commitment exists but is no longer open.
    NotOpen { id: String, status: String },
    /// A path we would write to leaves the directory it must stay in (e.g. a symlink).
    UnsafePath { path: PathBuf, reason: String },
    /// `path` kept changing while we tried to update it.
    Changed { path: PathBuf },
    /// Command-line usage problems (rendered by the CLIs, exit code 2).
    Usage(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }

    pub fn parse(path: impl Into<PathBuf>, err: &serde_json::Error) -> Self {
        Error::Parse {
            path: path.into(),
            line: err.line(),
            column: err.column(),
            message: strip_position(&err.to_string()),
        }
    }

    /// A short suggestion of what the user can do about it, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Io { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some("check the file's owner and permissions".into())
            }
            Error::Io { .. } => None,
            Error::Parse { path, .. } => Some(format!(
                "fix the JSON syntax at that position in {} (nothing was changed)",
                path.display()
            )),
            Error::Unsupported { .. } => {
                Some("fix the file by hand; it was left exactly as it was".into())
            }
            Error::CorruptStore { moved_to, .. } => moved_to
                .as_ref()
                .map(|p| format!("the unreadable file was kept as {}", p.display())),
            Error::NoSuchCommitment { .. } => {
                Some("list ids with `instar-hooks commitments list --all`".into())
            }
            Error::NotOpen { .. } => Some("only open commitments can be resolved".into()),
            Error::UnsafePath { .. } => {
                Some("replace the symlink with a real directory or file".into())
            }
            Error::Changed { .. } => Some("something else is writing it; run again".into()),
            Error::Usage(_) => Some("see --help".into()),
        }
    }

    /// A stable, machine-readable name of the variant (for `--json` error output).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Parse { .. } => "parse",
            Error::Unsupported { .. } => "unsupported",
            Error::CorruptStore { .. } => "corrupt-store",
            Error::NoSuchCommitment { .. } => "no-such-commitment",
            Error::NotOpen { .. } => "not-open",
            Error::UnsafePath { .. } => "unsafe-path",
            Error::Changed { .. } => "changed",
            Error::Usage(_) => "usage",
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Error::Io { path, .. }
            | Error::Parse { path, .. }
            | Error::Unsupported { path, .. }
            | Error::CorruptStore { path, .. }
            | Error::UnsafePath { path, .. }
            | Error::Changed { path } => Some(path),
            Error::NoSuchCommitment { .. } | Error::NotOpen { .. } | Error::Usage(_) => None,
        }
    }
}

/// serde_json appends " at line L column C"; we report the position in our own words.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "cannot {action} `{}`: {source}", path.display()),
            Error::Parse {
                path,
                line,
                column,
                message,
            } => write!(
                f,
                "cannot parse `{}` at {line}:{column}: {message}",
                path.display()
            ),
            Error::Unsupported { path, found } => {
                write!(f, "unexpected content in `{}`: {found}", path.display())
            }
            Error::CorruptStore {
                path,
                moved_to,
                message,
            } => match moved_to {
                Some(to) => write!(
                    f,
                    "the store `{}` was unreadable ({message}); moved aside to `{}`",
                    path.display(),
                    to.display()
                ),
                None => write!(f, "the store `{}` is unreadable: {message}", path.display()),
            },
            Error::NoSuchCommitment { id } => write!(f, "no commitment with id `{id}`"),
            Error::NotOpen { id, status } => write!(f, "commitment `{id}` is already {status}"),
            Error::UnsafePath { path, reason } => {
                write!(f, "refusing to use `{}`: {reason}", path.display())
            }
            Error::Changed { path } => write!(
                f,
                "`{}` kept changing while it was being updated; left as it is",
                path.display()
            ),
            Error::Usage(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
