//! The project's state: the commitment store (readable; claims not yet delivered) and the
//! hooks' log (the latest problem a hook reported).

use std::{
    io::{Read, Seek, SeekFrom},
    path::Path,
};

use super::{Level, Report};
use crate::{
    commitments::{Delivery, Status, Store},
    diag, fsutil,
    state::StateDir,
};

pub(super) fn check_store(r: &mut Report, state: &StateDir, forwarding: bool) {
    let store = Store::at(state);
    match store.load() {
        Ok(doc) => {
            let count = |s: Status| doc.commitments.iter().filter(|c| c.status == s).count();
            r.push(
                "store",
                Level::Ok,
                format!(
                    "{}: {} open, {} fulfilled, {} refused, {} in all",
                    store.path().display(),
                    count(Status::Open),
                    count(Status::Fulfilled),
                    count(Status::Refused),
                    doc.commitments.len()
                ),
                None,
            );
            let pending: Vec<_> = doc
                .commitments
                .iter()
                .filter_map(|c| Some((c, c.forward.as_ref()?)))
                .filter(|(_, f)| f.state != Delivery::Delivered)
                .collect();
            if !pending.is_empty() {
                let last = pending
                    .iter()
                    .filter_map(|(c, f)| Some(format!("{}: {}", c.id, f.last_error.as_ref()?)))
                    .next_back()
                    .unwrap_or_default();
                r.push(
                    "forwarding",
                    Level::Warn,
                    format!(
                        "{} claim(s) not delivered to the instar server yet ({last})",
                        pending.len()
                    ),
                    Some(if forwarding {
                        "instar-hooks commitments flush".into()
                    } else {
                        "configure `port` and `authToken`, then instar-hooks commitments flush"
                            .into()
                    }),
                );
            }
        }
        Err(e) => r.push(
            "store",
            Level::Problem,
            e.to_string(),
            Some("the next hook run moves it aside and starts a new store".into()),
        ),
    }
}

/// How much of the log's end is read: a few hundred lines, the recent ones.
const LOG_TAIL: u64 = 64 * 1024;

/// The latest problem a hook reported in its log (a line [`diag::Log::problem`] wrote).
pub(super) fn check_log(r: &mut Report, state: &StateDir) {
    let path = state.log_file();
    let Ok(tail) = read_tail(&path, LOG_TAIL) else {
        return;
    };
    let text = String::from_utf8_lossy(&tail);
    if let Some(line) = text.lines().rev().find(|l| diag::is_problem(l)) {
        r.push(
            "log",
            Level::Warn,
            format!("latest problem in {}: {line}", path.display()),
            None,
        );
    }
}

/// The last `cap` bytes of `path`, refusing a symlink planted at the log's place.
fn read_tail(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let (mut file, len) = fsutil::open_regular(path, false)?;
    file.seek(SeekFrom::Start(len.saturating_sub(cap)))?;
    let mut out = Vec::new();
    file.take(cap).read_to_end(&mut out)?;
    Ok(out)
}
