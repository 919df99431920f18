//! The hooks' run status, written at negligible cost on every enabled run (by the shared
//! start-up, [`crate::hook_io::Run::finish`]) and read by the guard posture:
//! `<state>/status/<hook>.last-run` is only touched (its mtime is the time of the last run:
//! one `utimensat` by path that follows no link, after the first run has created it), and `<hook>.last-failure` (`{"at", "detail"}`) is written
//! only when a run fails. Losing either costs nothing but a less precise guard posture, so
//! neither is fsynced.

use serde_json::{Value, json};
use std::path::PathBuf;

use crate::{fsutil, state::StateDir, timestamp::Timestamp};

fn path(state: &StateDir, hook: &str, what: &str) -> PathBuf {
    state.root().join("status").join(format!("{hook}.{what}"))
}

/// Records that `hook` ran now (and failed, with `failure`). Never fails the caller.
pub(crate) fn record_run(state: &StateDir, hook: &str, failure: Option<&str>, now: Timestamp) {
    if let Some(detail) = failure {
        write_failure(state, hook, detail, now);
    }
    let last_run = path(state, hook, "last-run");
    let at = now.system_time();
    match fsutil::touch_nofollow(&last_run, at) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && ensure(state).is_ok() => {
            if let Ok(f) = fsutil::open_for_writing(&last_run, false) {
                let _ = f.set_modified(at);
            }
        }
        _ => {}
    }
}

fn ensure(state: &StateDir) -> crate::Result<()> {
    state.ensure()?;
    fsutil::create_dir_within(state.root(), &state.root().join("status"))
}

fn write_failure(state: &StateDir, hook: &str, detail: &str, now: Timestamp) {
    if ensure(state).is_err() {
        return;
    }
    let body = json!({"at": now, "detail": detail}).to_string();
    let _ = fsutil::write_cache(&path(state, hook, "last-failure"), body.as_bytes());
}

/// What the status files say about `hook`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LastRun {
    pub(crate) at: Option<Timestamp>,
    /// The last failure, when it is the last run (a later success clears it).
    pub(crate) failure: Option<(Timestamp, String)>,
}

pub(crate) fn read(state: &StateDir, hook: &str) -> LastRun {
    let at = std::fs::metadata(path(state, hook, "last-run"))
        .and_then(|m| m.modified())
        .ok()
        .map(Timestamp::from_system_time);
    let failure = fsutil::read_capped(&path(state, hook, "last-failure"), 64 * 1024)
        .ok()
        .and_then(|(bytes, _)| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| {
            let at = Timestamp::parse(v.get("at")?.as_str()?)?;
            Some((at, v.get("detail")?.as_str()?.to_string()))
        })
        // A run after the failure succeeded.
        .filter(|(failed_at, _)| at.is_none_or(|run| run.since(*failed_at).as_secs() < 1));
    LastRun { at, failure }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;

    #[test]
    fn a_run_is_recorded_by_mtime_and_a_failure_until_the_next_success() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".instar")).unwrap();
        let state = StateDir::resolve(dir.path(), &Env::default()).unwrap();
        let t = |s: u64| Timestamp::from_unix_ms(1_795_000_000_000 + s * 1000);
        assert_eq!(read(&state, "h"), LastRun::default());
        record_run(&state, "h", None, t(0));
        assert_eq!(read(&state, "h").at, Some(t(0)));
        record_run(&state, "h", Some("cannot write the store"), t(10));
        let r = read(&state, "h");
        assert_eq!(r.at, Some(t(10)));
        assert_eq!(r.failure, Some((t(10), "cannot write the store".into())));
        record_run(&state, "h", None, t(20));
        assert_eq!(read(&state, "h").failure, None);
    }
}
