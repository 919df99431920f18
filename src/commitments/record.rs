//! Recording a claim: its identity (instar's external key), the rules of the module docs
//! (idempotent restatement, one Stop one record, the per-topic cap, refusals kept), and what
//! a record did.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

use super::{Commitment, Forward, KEY_PREFIX, MESSAGE_CLAMP, SAME_STOP_WINDOW, Status, StoreDoc};
use crate::timestamp::Timestamp;

/// `actionclaim:` + first 16 lowercase hex digits of sha256(`topic|verb`).
pub fn external_key(topic: &str, verb: &str) -> String {
    let digest = Sha256::digest(format!("{topic}|{verb}").as_bytes());
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{KEY_PREFIX}{hex}")
}

/// A classified claim, ready to be recorded.
#[derive(Clone, Debug)]
pub struct NewClaim {
    pub topic: String,
    pub verb: String,
    pub phrase: String,
    pub message: String,
    pub session_id: Option<String>,
    pub transcript_path: Option<String>,
    /// When forwarding to an instar server is configured: the request body to deliver.
    pub forward_body: Option<String>,
}

#[cfg(test)]
impl NewClaim {
    /// "I'll <verb> it" on `topic`, with no session, transcript or forwarding: tests of other
    /// modules override the fields they are about.
    pub(crate) fn example(topic: &str, verb: &str) -> Self {
        NewClaim {
            topic: topic.into(),
            verb: verb.into(),
            phrase: format!("I'll {verb} it"),
            message: format!("Sure. I'll {verb} it now."),
            session_id: None,
            transcript_path: None,
            forward_body: None,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub per_topic_cap: usize,
    pub expires: Duration,
}

impl Policy {
    pub(crate) fn from_config(c: &crate::config::ActionClaimConfig) -> Self {
        Policy {
            per_topic_cap: c.per_topic_cap,
            expires: Duration::from_secs_f64(c.expires_hours * 3600.0),
        }
    }
}

/// The built-in defaults of `actionClaim.perTopicCap` and `actionClaim.expiresHours`.
impl Default for Policy {
    fn default() -> Self {
        Policy::from_config(&crate::config::ActionClaimConfig::default())
    }
}

/// What `record` did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Recorded {
    Created {
        id: String,
        key: String,
    },
    Restated {
        id: String,
        key: String,
    },
    Refused {
        id: String,
        key: String,
        cap: usize,
    },
    /// The same Stop, delivered a second time (two wirings of the hook): nothing changed.
    Duplicate {
        id: String,
        key: String,
    },
}

/// Records a claim in a document (the pure half of [`Store::record`]).
pub(crate) fn record_in(
    doc: &mut StoreDoc,
    claim: &NewClaim,
    policy: Policy,
    now: Timestamp,
) -> Recorded {
    let key = external_key(&claim.topic, &claim.verb);
    let message: String = claim.message.chars().take(MESSAGE_CLAMP).collect();
    let expires_at = now.plus(policy.expires);

    if let Some(c) = doc
        .commitments
        .iter_mut()
        .find(|c| c.status == Status::Open && c.external_key == key)
    {
        if same_stop(c, claim, &message, now) {
            return Recorded::Duplicate {
                id: c.id.clone(),
                key,
            };
        }
        c.restate(claim, &message, now, expires_at);
        if c.forward.is_none() {
            // Forwarding was configured after the claim was first made.
            c.forward = claim.forward_body.clone().map(Forward::pending);
        }
        return Recorded::Restated {
            id: c.id.clone(),
            key,
        };
    }

    let open_here = doc
        .commitments
        .iter()
        .filter(|c| {
            c.status == Status::Open
                && c.topic == claim.topic
                && c.external_key.starts_with(KEY_PREFIX)
        })
        .count();
    if open_here >= policy.per_topic_cap {
        let cap = policy.per_topic_cap;
        if let Some(c) = doc
            .commitments
            .iter_mut()
            .find(|c| c.status == Status::Refused && c.external_key == key && c.expires_at > now)
        {
            if same_stop(c, claim, &message, now) {
                return Recorded::Duplicate {
                    id: c.id.clone(),
                    key,
                };
            }
            c.restate(claim, &message, now, expires_at);
            return Recorded::Refused {
                id: c.id.clone(),
                key,
                cap,
            };
        }
        let mut c = doc.new_commitment(claim, key.clone(), message, now, expires_at);
        c.status = Status::Refused;
        c.resolved_at = Some(now);
        c.resolution = Some(format!(
            "not opened: topic already has {cap} open action-claim commitments (perTopicCap)"
        ));
        let id = c.id.clone();
        doc.commitments.push(c);
        return Recorded::Refused { id, key, cap };
    }

    let mut c = doc.new_commitment(claim, key.clone(), message, now, expires_at);
    c.forward = claim.forward_body.clone().map(Forward::pending);
    let id = c.id.clone();
    doc.commitments.push(c);
    Recorded::Created { id, key }
}

/// Is `claim` the Stop that last updated `c`, delivered again? (See [`SAME_STOP_WINDOW`].)
/// Needs a session id: without one, two turns cannot be told apart from one turn twice.
fn same_stop(c: &Commitment, claim: &NewClaim, message: &str, now: Timestamp) -> bool {
    claim.session_id.is_some()
        && c.session_id == claim.session_id
        && c.phrase == claim.phrase
        && c.message == message
        && now.since(c.updated_at) < SAME_STOP_WINDOW
}
