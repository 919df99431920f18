//! What the two command-line tools (`instar-hooks`, `instar-migrate`) share: where the
//! project is, where the tool is installed, how an error is shown, and writing to stdout.
//! The hooks never use this module; it is the only one that writes to stdout or stderr, on
//! the tools' behalf.

use std::{
    io::{self, Write},
    path::PathBuf,
};

use crate::{Error, env::Env};

/// `--project-dir`, else `CLAUDE_PROJECT_DIR`, else the current directory; it must be a
/// directory.
pub fn project_dir(given: Option<PathBuf>, env: &Env) -> Result<PathBuf, Error> {
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
pub fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(PathBuf::from))
}

/// Writes `text` to stdout; a closed pipe is an error the caller may ignore.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// An error as `--json` prints it: `{"type": "error", "data": {"kind", "path", "message",
/// "hint"}}`.
pub fn error_json(e: &Error) -> serde_json::Value {
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
pub fn report_error(e: &Error, json: bool) {
    if json {
        let _ = print(&format!("{}\n", error_json(e)));
    }
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    if let Some(hint) = e.hint() {
        let _ = writeln!(err, "hint: {hint}");
    }
}
