/*!
Forwarding claims to a running instar server (`POST /action-claim/observe` on 127.0.0.1),
for instar agents whose `.instar/config.json` has a `port` and an `authToken`.

Upstream's hook sends each turn with a 5 s abort and drops it on any error — so a claim made
while the server restarts (the founding incident was exactly "Relaunching now") is lost. Here
the local record is written first and carries an outbox entry (`forward`), so nothing is lost:

- `pending` → sent by the Stop hook right away; a failure leaves it pending with a backoff
  (`actionClaim.forwardBackoffSeconds`, default 10 s, doubling, at most 30 min), and later
  hook runs retry a few due ones, oldest first, within a time budget. `instar-hooks commitments flush` retries all of them now.
- `delivered` once the server answered 2xx (its answer is kept). The server dedupes by the
  claim's key, and so do we: a record is delivered once, and a lease (`inFlightUntil`)
  keeps two processes from sending the same record at the same time.
- `rejected` when the server answered in a way retrying will not fix (400, 401, 403, 404,
  413, 422 …): the reason is kept and retries stop (`flush --rejected` tries again after
  you fix the cause). 408, 425, 429, 5xx and connection errors are retried.

Requests carry `Content-Type: application/json`, `Authorization: Bearer <authToken>` and,
when the session has one, `X-Instar-Bind-Token`; the body is
`{"message": <at most 16384 characters>, "topicId": <integer>}` (instar's route needs a numeric
topic, so only claims from `INSTAR_CONVERSATION_ID`/`INSTAR_TELEGRAM_TOPIC` are forwarded). The
token is never written to a log or printed.
*/

use serde_json::{Value, json};
use std::{
    cell::OnceCell,
    time::{Duration, Instant},
};

use crate::{
    commitments::{Commitment, Delivery, Status, Store, StoreDoc},
    config::{Config, ServerConfig},
    timestamp::Timestamp,
};

pub(crate) const OBSERVE_PATH: &str = "/action-claim/observe";
/// Characters of the message sent (upstream's clamp).
pub(crate) const MESSAGE_CLAMP: usize = 16384;
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_millis(300);
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long a claimed record is reserved for its sender.
pub(crate) const LEASE: Duration = Duration::from_secs(15);
/// What one hook run sends at most, and for how long.
pub(crate) const PER_RUN: usize = 4;
pub(crate) const RUN_BUDGET: Duration = Duration::from_secs(3);
const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);
/// instar topic ids are JavaScript numbers: only safe integers survive the trip.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// instar's numeric topic id for a conversation, when it has one.
pub(crate) fn topic_id(topic: &str) -> Option<i64> {
    topic
        .parse::<i64>()
        .ok()
        .filter(|n| n.abs() <= MAX_SAFE_INTEGER)
}

/// The request body for a claim.
pub fn body(message: &str, topic_id: i64) -> String {
    let message: String = message.chars().take(MESSAGE_CLAMP).collect();
    json!({"message": message, "topicId": topic_id}).to_string()
}

/// What a send achieved.
#[derive(Clone, Debug, PartialEq)]
pub enum Sent {
    Delivered(Option<Value>),
    /// Worth trying again later (server down, 5xx, timeout …).
    Retry(String),
    /// Will not work until something changes (bad request, wrong token …).
    Rejected(String),
}

/// How a request reaches the server (a trait so tests need no network).
pub trait Transport {
    /// POSTs `body`; returns the status and up to 64 KiB of the response, or an error text.
    fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<(u16, String), String>;
}

/// The real transport: ureq, loopback only, short timeouts, no proxy. The agent is built on
/// the first request, so a Stop hook run that sends nothing never pays for it.
#[derive(Default)]
pub struct Http {
    agent: OnceCell<ureq::Agent>,
}

impl Http {
    fn agent(&self) -> &ureq::Agent {
        self.agent.get_or_init(|| {
            ureq::Agent::config_builder()
                .timeout_connect(Some(CONNECT_TIMEOUT))
                .timeout_global(Some(REQUEST_TIMEOUT))
                .http_status_as_error(false)
                // A user's HTTP_PROXY must never see loopback traffic carrying the token.
                .proxy(None)
                .build()
                .into()
        })
    }
}

impl Transport for Http {
    fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<(u16, String), String> {
        let mut req = self.agent().post(url);
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let resp = req.send(body).map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let text = resp
            .into_body()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .unwrap_or_default();
        Ok((status, text))
    }
}

/// Sends one body to the server.
pub fn send(
    t: &dyn Transport,
    server: &ServerConfig,
    bind_token: Option<&str>,
    body: &str,
) -> Sent {
    let url = format!("http://127.0.0.1:{}{OBSERVE_PATH}", server.port);
    let mut headers = vec![
        ("Content-Type", "application/json".to_string()),
        ("Authorization", format!("Bearer {}", server.auth_token)),
    ];
    if let Some(token) = bind_token {
        headers.push(("X-Instar-Bind-Token", token.to_string()));
    }
    match t.post(&url, &headers, body) {
        Ok((status, text)) => classify(status, &text),
        Err(e) => Sent::Retry(format!("no answer from 127.0.0.1:{}: {e}", server.port)),
    }
}

/// What an HTTP status means for the outbox.
pub fn classify(status: u16, text: &str) -> Sent {
    let answer = || {
        let short: String = text.chars().take(300).collect();
        format!("HTTP {status}: {}", short.trim())
    };
    match status {
        200..=299 => Sent::Delivered(serde_json::from_str(text).ok()),
        408 | 425 | 429 | 500..=599 => Sent::Retry(answer()),
        _ => Sent::Rejected(answer()),
    }
}

/// Which records `claim_due` takes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    /// Take records still in their backoff (a person asked: `flush`).
    pub ignore_backoff: bool,
    /// Take `rejected` records too (`flush --rejected`).
    pub rejected: bool,
}

/// Whether `c` is to be sent now: waiting for delivery (or rejected, when `sel` says so),
/// not leased by another sender, past its backoff (unless `sel` ignores it), with a body.
/// The one answer: the Stop hook asks it before taking the store's lock at all.
pub(crate) fn is_due(c: &Commitment, now: Timestamp, sel: Selection) -> bool {
    c.status != Status::Refused
        && c.forward.as_ref().is_some_and(|f| {
            let wanted =
                f.state == Delivery::Pending || (sel.rejected && f.state == Delivery::Rejected);
            let free = f.in_flight_until.is_none_or(|t| t <= now);
            let ready = sel.ignore_backoff || f.next_attempt_at.is_none_or(|t| t <= now);
            wanted && free && ready && f.body.is_some()
        })
}

/// Picks up to `max` records to send, oldest first, and leases them. Returns (id, body).
pub fn claim_due(
    doc: &mut StoreDoc,
    now: Timestamp,
    max: usize,
    sel: Selection,
) -> Vec<(String, String)> {
    let mut due: Vec<&mut Commitment> = doc
        .commitments
        .iter_mut()
        .filter(|c| is_due(c, now, sel))
        .collect();
    due.sort_by_key(|c| c.created_at);
    due.into_iter()
        .take(max)
        .map(|c| {
            let f = c.forward.as_mut().expect("filtered");
            f.in_flight_until = Some(now.plus(LEASE));
            (c.id.clone(), f.body.clone().expect("filtered"))
        })
        .collect()
}

/// Records what happened to each sent record and releases its lease; a retry waits
/// `backoff(first, attempts)`.
pub(crate) fn record_outcomes(
    doc: &mut StoreDoc,
    outcomes: &[(String, Sent)],
    now: Timestamp,
    first: Duration,
) {
    for (id, sent) in outcomes {
        let Some(f) = doc
            .commitments
            .iter_mut()
            .find(|c| &c.id == id)
            .and_then(|c| c.forward.as_mut())
        else {
            continue;
        };
        f.in_flight_until = None;
        f.attempts += 1;
        match sent {
            Sent::Delivered(response) => {
                f.state = Delivery::Delivered;
                f.delivered_at = Some(now);
                f.response = response.clone();
                f.body = None;
                f.next_attempt_at = None;
                f.last_error = None;
            }
            Sent::Retry(why) => {
                f.state = Delivery::Pending;
                f.last_error = Some(why.clone());
                f.next_attempt_at = Some(now.plus(backoff(first, f.attempts)));
            }
            Sent::Rejected(why) => {
                f.state = Delivery::Rejected;
                f.last_error = Some(why.clone());
                f.next_attempt_at = None;
            }
        }
    }
}

/// `first` after the first failure, doubling, at most 30 min.
pub fn backoff(first: Duration, attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(16);
    (first * 2u32.pow(exp)).min(MAX_BACKOFF)
}

/// Where and how claims are sent.
pub struct Sender<'a> {
    pub transport: &'a dyn Transport,
    pub server: &'a ServerConfig,
    /// `INSTAR_BIND_TOKEN` of the session, sent as `X-Instar-Bind-Token`.
    pub bind_token: Option<&'a str>,
    /// The first retry delay (`actionClaim.forwardBackoffSeconds`).
    pub first_backoff: Duration,
}

impl<'a> Sender<'a> {
    /// The sender `config` describes; `None` when forwarding is not configured.
    pub fn configured(
        transport: &'a dyn Transport,
        config: &'a Config,
        bind_token: Option<&'a str>,
    ) -> Option<Self> {
        Some(Sender {
            transport,
            server: config.server.as_ref()?,
            bind_token,
            first_backoff: Duration::from_secs_f64(config.action_claim.forward_backoff_seconds),
        })
    }
}

/// Sends a leased batch (stopping when `budget` is spent; the rest wait for their lease to
/// lapse) and records the outcomes in the store, as of `now` (the run's clock: a send takes
/// at most a second or two).
pub fn deliver(
    store: &Store,
    sender: &Sender,
    batch: Vec<(String, String)>,
    budget: Duration,
    now: Timestamp,
) -> crate::Result<Vec<(String, Sent)>> {
    let started = Instant::now();
    let mut outcomes = Vec::new();
    for (id, body) in batch {
        if started.elapsed() >= budget {
            break;
        }
        let sent = send(sender.transport, sender.server, sender.bind_token, &body);
        outcomes.push((id, sent));
    }
    if !outcomes.is_empty() {
        store.update(now, |doc| {
            record_outcomes(doc, &outcomes, now, sender.first_backoff);
            Ok(())
        })?;
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests;
