/*!
The commitment store: one JSON document (`commitments.json` in the state directory) that
holds every follow-through commitment of a project.

Rules:
- **Idempotent record.** A claim's external key is `actionclaim:` + the first 16 hex digits of
  sha256(`topic|verb`) (instar's key, so the two systems agree on identity). Restating a claim
  while its commitment is open updates that one commitment (phrase, message, refreshed expiry,
  `restated` count); once it is fulfilled, resolved or expired, the same key opens a new one.
- **One Stop, one record.** When the hooks are wired twice (the Claude Code plugin and a
  `.claude/settings.json` entry), Claude Code runs both at the same Stop with the same input
  (plugin and settings hooks are not deduplicated). The second delivery — same topic and
  verb, same session, same phrase and message, within [`SAME_STOP_WINDOW`] of the
  commitment's last update — changes nothing (`Recorded::Duplicate`): it is not a
  restatement. The same words in a later turn still are.
- **Per-topic cap.** At most `per_topic_cap` open action-claim commitments per topic. A claim
  over the cap is not dropped: it is kept as a `refused` row (restatements bump that row), so
  `instar-hooks commitments list --all` shows what was said and why it was not opened.
- **Expiry.** An open commitment past `expiresAt` is `expired`, both when read (the view) and
  when written (persisted). Terminal statuses are never overwritten by expiry.
- **Nothing lost.** Every write happens under an exclusive lock, re-reads the file under that
  lock, and replaces it atomically (a temp file a killed writer left behind is removed). An
  unparsable file is moved aside (`.corrupt-<ms>`) and reported, never truncated; a file
  written by a newer, incompatible version is left alone.
- **Bounded.** Terminal rows older than [`RETENTION`] are pruned on write, and at most
  [`MAX_TERMINAL`] are kept, so the hook's cost does not grow with a project's age.
*/

use serde_json::Value;
use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use crate::{
    Error, Result,
    fsutil::{self, LOCK_WAIT},
    state::StateDir,
    timestamp::Timestamp,
};

pub(crate) const STORE_VERSION: u64 = 1;
pub(crate) const KEY_PREFIX: &str = "actionclaim:";
/// Terminal commitments older than this are pruned when the store is written.
pub(crate) const RETENTION: Duration = Duration::from_secs(30 * 24 * 3600);
/// At most this many terminal commitments are kept (oldest pruned first).
pub(crate) const MAX_TERMINAL: usize = 1000;
/// How much of the assistant's message is kept with a commitment (characters).
pub(crate) const MESSAGE_CLAMP: usize = 500;
/// A claim identical to a commitment's last statement (same session, phrase and message)
/// this soon after it is the same Stop delivered twice, not a restatement. Both deliveries
/// start together; the second may wait for the first's lock (at most [`LOCK_WAIT`]) and run
/// on a loaded machine, so the window is generous, and a turn that repeats itself word for
/// word within it loses nothing but one `restated` count.
pub(crate) const SAME_STOP_WINDOW: Duration = Duration::from_secs(120);

mod model;
mod record;
pub use model::Evidence;
pub use model::Forward;
pub use model::StoreDoc;
pub use model::{Commitment, Delivery, EvidenceKind, Status, Strength};
pub use record::NewClaim;
pub use record::Policy;
pub use record::Recorded;
pub use record::external_key;
pub(crate) use record::record_in;

/// The result of a locked read-modify-write.
#[derive(Debug)]
pub struct Written<R> {
    pub value: R,
    /// Where an unparsable store was moved before this write started afresh.
    pub recovered_from_corrupt: Option<PathBuf>,
}

#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    lock_path: PathBuf,
}

impl Store {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let mut lock = path.clone().into_os_string();
        lock.push(".lock");
        Store {
            path,
            lock_path: PathBuf::from(lock),
        }
    }

    pub fn at(state: &StateDir) -> Self {
        Store::new(state.commitments_file())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A consistent snapshot without taking the lock (writers replace the file atomically).
    /// A missing store is empty; an unparsable one is an error (moved aside only by writers).
    pub fn load(&self) -> Result<StoreDoc> {
        match fsutil::read_nofollow(&self.path) {
            Ok(bytes) => parse(&self.path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StoreDoc::default()),
            Err(e) => Err(Error::io(&self.path, "read", e)),
        }
    }

    /// The document, but only when its text contains one of `needles` (e.g. `"open"`): the
    /// hooks' common case — nothing open, nothing to send — costs one read and a substring
    /// search, not a parse. `None` when the store is missing, unreadable or holds none.
    pub(crate) fn peek(&self, needles: &[&str]) -> Option<StoreDoc> {
        let bytes = fsutil::read_nofollow(&self.path).ok()?;
        if !needles
            .iter()
            .any(|n| crate::bytes::contains(&bytes, n.as_bytes()))
        {
            return None;
        }
        parse(&self.path, &bytes).ok()
    }

    /// Every commitment, with expiry applied to the view (the file is not written).
    pub fn list(&self, now: Timestamp) -> Result<Vec<Commitment>> {
        let mut doc = self.load()?;
        expire(&mut doc, now);
        Ok(doc.commitments)
    }

    /// Locks, re-reads, applies expiry, runs `f`, prunes, and writes the document back when
    /// its bytes changed. A corrupt file is moved aside first and the write starts empty.
    pub fn update<R>(
        &self,
        now: Timestamp,
        f: impl FnOnce(&mut StoreDoc) -> Result<R>,
    ) -> Result<Written<R>> {
        let _lock = fsutil::lock_exclusive(&self.lock_path, LOCK_WAIT)
            .map_err(|e| Error::io(&self.lock_path, "lock", e))?;
        // Only a lock holder writes the store, so any temp file of it now is an orphan of a
        // writer that died between writing and renaming.
        fsutil::remove_orphan_temps(&self.path, Duration::ZERO);
        let before = match fsutil::read_nofollow(&self.path) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&self.path, "read", e)),
        };
        let mut recovered_from_corrupt = None;
        let mut doc = match &before {
            None => StoreDoc::default(),
            Some(bytes) => match parse(&self.path, bytes) {
                Ok(doc) => doc,
                Err(Error::CorruptStore { .. }) => {
                    let to = fsutil::move_aside(&self.path, now.unix_ms())
                        .map_err(|e| Error::io(&self.path, "move aside", e))?;
                    recovered_from_corrupt = Some(to);
                    StoreDoc::default()
                }
                Err(other) => return Err(other),
            },
        };
        expire(&mut doc, now);
        let value = f(&mut doc)?;
        prune(&mut doc, now);
        let mut after = serde_json::to_vec_pretty(&doc).expect("a store document serializes");
        after.push(b'\n');
        if recovered_from_corrupt.is_some() || before.as_deref() != Some(&after[..]) {
            fsutil::write_atomic(&self.path, &after, 0o600)
                .map_err(|e| Error::io(&self.path, "write", e))?;
        }
        Ok(Written {
            value,
            recovered_from_corrupt,
        })
    }

    /// Records a claim (see the module docs for the rules).
    pub fn record(
        &self,
        claim: &NewClaim,
        policy: Policy,
        now: Timestamp,
    ) -> Result<Written<Recorded>> {
        self.update(now, |doc| Ok(record_in(doc, claim, policy, now)))
    }

    /// Marks an open commitment resolved by hand.
    pub fn resolve(&self, id: &str, note: Option<&str>, now: Timestamp) -> Result<Commitment> {
        let written = self.update(now, |doc| {
            let c = doc
                .commitments
                .iter_mut()
                .find(|c| c.id.eq_ignore_ascii_case(id))
                .ok_or_else(|| Error::NoSuchCommitment { id: id.to_string() })?;
            if c.status != Status::Open {
                return Err(Error::NotOpen {
                    id: c.id.clone(),
                    status: c.status.to_string(),
                });
            }
            c.status = Status::Resolved;
            c.resolved_at = Some(now);
            c.updated_at = now;
            c.resolution = Some(note.unwrap_or("resolved by hand").to_string());
            Ok(c.clone())
        })?;
        Ok(written.value)
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<StoreDoc> {
    let corrupt = |message: String| Error::CorruptStore {
        path: path.to_path_buf(),
        moved_to: None,
        message,
    };
    let newer = |v: u64| Error::Unsupported {
        path: path.to_path_buf(),
        found: format!(
            "store version {v}, this build understands {STORE_VERSION}; upgrade instar-hooks"
        ),
    };
    // One parse straight into the document (the hooks' common case); only a failure is
    // looked at again, to tell a file from a newer version (left exactly as it is) from a
    // corrupt one.
    match serde_json::from_slice::<StoreDoc>(bytes) {
        Ok(doc) if doc.version > STORE_VERSION => Err(newer(doc.version)),
        Ok(doc) => Ok(doc),
        Err(e) => {
            let version = serde_json::from_slice::<Value>(bytes)
                .ok()
                .and_then(|v| v.get("version").and_then(Value::as_u64));
            match version.filter(|v| *v > STORE_VERSION) {
                Some(v) => Err(newer(v)),
                None => Err(corrupt(e.to_string())),
            }
        }
    }
}

/// Open commitments past their expiry become `expired`; nothing else changes status.
pub(crate) fn expire(doc: &mut StoreDoc, now: Timestamp) {
    for c in &mut doc.commitments {
        if c.status == Status::Open && c.expires_at <= now {
            c.status = Status::Expired;
            c.resolved_at = Some(c.expires_at);
            c.updated_at = c.expires_at;
            c.resolution = Some("expired without follow-through being seen".into());
        }
    }
}

fn prune(doc: &mut StoreDoc, now: Timestamp) {
    doc.commitments
        .retain(|c| c.status == Status::Open || now.since(c.updated_at) < RETENTION);
    let terminal = doc
        .commitments
        .iter()
        .filter(|c| c.status != Status::Open)
        .count();
    if terminal > MAX_TERMINAL {
        let mut stamps: Vec<Timestamp> = doc
            .commitments
            .iter()
            .filter(|c| c.status != Status::Open)
            .map(|c| c.updated_at)
            .collect();
        stamps.sort();
        let cutoff = stamps[terminal - MAX_TERMINAL];
        let mut excess = terminal - MAX_TERMINAL;
        doc.commitments.retain(|c| {
            let drop = excess > 0 && c.status != Status::Open && c.updated_at <= cutoff;
            if drop {
                excess -= 1;
            }
            !drop
        });
    }
}

#[cfg(test)]
mod tests;
