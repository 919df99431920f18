//! The store's file format. Field names are camelCase like instar's; fields this version does
//! not know (written by a newer one) are kept in `extra` and written back unchanged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{NewClaim, STORE_VERSION};
use crate::timestamp::Timestamp;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreDoc {
    pub version: u64,
    /// The number the next commitment id gets (`AC-001`, `AC-002`, …); never reused.
    #[serde(default)]
    pub next_id: u64,
    #[serde(default)]
    pub commitments: Vec<Commitment>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Default for StoreDoc {
    fn default() -> Self {
        StoreDoc {
            version: STORE_VERSION,
            next_id: 1,
            commitments: Vec::new(),
            extra: Map::new(),
        }
    }
}

impl StoreDoc {
    /// The commitments of `topic` still open at `now` (expiry applied to the view).
    pub(crate) fn open_for_topic<'a>(
        &'a self,
        topic: &str,
        now: Timestamp,
    ) -> impl Iterator<Item = &'a Commitment> {
        self.commitments
            .iter()
            .filter(move |c| c.status == Status::Open && c.topic == topic && c.expires_at > now)
    }

    pub(super) fn new_commitment(
        &mut self,
        claim: &NewClaim,
        external_key: String,
        message: String,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Commitment {
        // A hand-edited file may lack nextId: continue after the highest id present.
        let highest = self
            .commitments
            .iter()
            .filter_map(|c| c.id.strip_prefix("AC-")?.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        let n = self.next_id.max(highest + 1);
        self.next_id = n + 1;
        Commitment {
            id: format!("AC-{n:03}"),
            external_key,
            topic: claim.topic.clone(),
            verb: claim.verb.clone(),
            phrase: claim.phrase.clone(),
            message,
            status: Status::Open,
            created_at: now,
            updated_at: now,
            expires_at,
            restated: 0,
            resolved_at: None,
            resolution: None,
            session_id: claim.session_id.clone(),
            transcript_path: claim.transcript_path.clone(),
            evidence: None,
            reminded_at: None,
            reminders: 0,
            nudged_at: None,
            forward: None,
            extra: Map::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Commitment {
    pub id: String,
    pub external_key: String,
    pub topic: String,
    pub verb: String,
    /// The words that made the claim ("I'll restart the server").
    pub phrase: String,
    /// The start of the assistant's message, for context.
    pub message: String,
    pub status: Status,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub expires_at: Timestamp,
    /// How many times the same claim was made again while this commitment was open.
    #[serde(default)]
    pub restated: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<String>,
    /// The Claude Code session (and its transcript) of the claim's latest statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_path: Option<String>,
    /// What showed the promise was kept (set with `status: fulfilled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// When the model was last reminded of this promise, and how many times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reminders: u32,
    /// When the Stop hook continued the turn that made this promise, because the turn ended
    /// on it without doing it (same-turn follow-through).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudged_at: Option<Timestamp>,
    /// Delivery to a running instar server (only when forwarding is configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<Forward>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Proof that a promised action happened: a command that performs the verb, or (weaker, for
/// "fix") an edit made after the promise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub kind: EvidenceKind,
    pub strength: Strength,
    /// The tool that ran (`Bash`, `Edit`, …).
    pub tool: String,
    /// The command, or the edited file.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

/// The outbox entry for forwarding a claim to a running instar server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Forward {
    pub state: Delivery,
    #[serde(default)]
    pub attempts: u32,
    /// The exact request body to send; dropped once delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt_at: Option<Timestamp>,
    /// A sender is working on it until then (so concurrent hooks do not send it twice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_flight_until: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<Timestamp>,
    /// The server's answer (e.g. `{"observed": true, "registered": true, …}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Value>,
}

impl Forward {
    /// A new outbox entry, waiting for its first send.
    pub(crate) fn pending(body: String) -> Forward {
        Forward {
            state: Delivery::Pending,
            attempts: 0,
            body: Some(body),
            next_attempt_at: None,
            in_flight_until: None,
            last_error: None,
            delivered_at: None,
            response: None,
        }
    }
}

impl Commitment {
    /// Marks an open commitment fulfilled by `evidence`.
    pub(crate) fn fulfil(&mut self, evidence: Evidence, now: Timestamp) {
        self.status = Status::Fulfilled;
        self.resolved_at = Some(evidence.at.unwrap_or(now));
        self.updated_at = now;
        self.resolution = Some(format!("{} `{}`", evidence.tool, evidence.detail));
        self.evidence = Some(evidence);
    }

    /// The claim was made again: the commitment now shows its latest statement (phrase,
    /// message, and the session and transcript it was made in).
    pub(super) fn restate(
        &mut self,
        claim: &NewClaim,
        message: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) {
        self.phrase = claim.phrase.clone();
        self.message = message.to_string();
        if claim.session_id.is_some() {
            self.session_id = claim.session_id.clone();
        }
        if claim.transcript_path.is_some() {
            self.transcript_path = claim.transcript_path.clone();
        }
        self.updated_at = now;
        self.expires_at = expires_at;
        self.restated = self.restated.saturating_add(1);
    }
}

/// An enum stored as a string: the known values, plus `Other` for a value written by a newer
/// version, which round-trips unchanged (the store keeps what it does not understand).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version does not know.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Other(s) => s,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $($text => $name::$variant,)+
                    _ => $name::Other(s),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map($name::from)
            }
        }
    };
}

string_enum! {
    /// A commitment's lifecycle.
    Status {
        /// Promised, not yet seen done.
        Open = "open",
        /// The promised action was seen (evidence attached).
        Fulfilled = "fulfilled",
        /// Closed by a person (`instar-hooks commitments resolve`).
        Resolved = "resolved",
        /// Open for longer than the expiry without follow-through.
        Expired = "expired",
        /// Not opened: the topic was at its cap of open commitments.
        Refused = "refused",
    }
}

string_enum! {
    /// Where a claim's delivery to the instar server stands.
    Delivery {
        /// Not delivered yet (retried after a backoff).
        Pending = "pending",
        /// The server answered 2xx.
        Delivered = "delivered",
        /// The server refused it in a way retrying will not fix (see `lastError`).
        Rejected = "rejected",
    }
}

string_enum! {
    /// What kind of proof kept a promise.
    EvidenceKind {
        /// A Bash command that performs the verb.
        Command = "command",
        /// An edit made after the promise (for "fix").
        Edit = "edit",
    }
}

string_enum! {
    /// How much a piece of evidence proves.
    Strength {
        /// The command does what was promised.
        Strong = "strong",
        /// Work was done (an edit, for "fix").
        Weak = "weak",
    }
}
