use super::*;
use crate::commitments::{NewClaim, Policy, Recorded};
use std::cell::RefCell;

fn t(s: u64) -> Timestamp {
    Timestamp::from_unix_ms(1_795_000_000_000 + s * 1000)
}

/// A request as the fake server saw it: url, headers, body.
type Seen = (String, Vec<(String, String)>, String);

/// A fake server: answers from a script, remembers what it was sent.
struct Fake {
    answers: RefCell<Vec<Result<(u16, String), String>>>,
    seen: RefCell<Vec<Seen>>,
}

impl Fake {
    fn new(answers: Vec<Result<(u16, String), String>>) -> Self {
        Fake {
            answers: RefCell::new(answers),
            seen: RefCell::new(Vec::new()),
        }
    }
}

impl Transport for Fake {
    fn post(
        &self,
        url: &str,
        headers: &[(&str, String)],
        body: &str,
    ) -> Result<(u16, String), String> {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        self.seen
            .borrow_mut()
            .push((url.into(), headers, body.into()));
        self.answers.borrow_mut().remove(0)
    }
}

fn server() -> ServerConfig {
    ServerConfig {
        port: 4040,
        auth_token: "s3cret".into(),
    }
}

#[test]
fn requests_follow_instars_route_conventions() {
    let fake = Fake::new(vec![Ok((
        200,
        r#"{"observed":true,"registered":true}"#.into(),
    ))]);
    let sent = send(
        &fake,
        &server(),
        Some("bind.tok"),
        &body("I'll restart it.", 7),
    );
    assert_eq!(
        sent,
        Sent::Delivered(Some(json!({"observed": true, "registered": true})))
    );
    let seen = fake.seen.borrow();
    let (url, headers, body) = &seen[0];
    assert_eq!(url, "http://127.0.0.1:4040/action-claim/observe");
    assert!(headers.contains(&("Authorization".into(), "Bearer s3cret".into())));
    assert!(headers.contains(&("Content-Type".into(), "application/json".into())));
    assert!(headers.contains(&("X-Instar-Bind-Token".into(), "bind.tok".into())));
    assert_eq!(body, r#"{"message":"I'll restart it.","topicId":7}"#);
}

#[test]
fn the_message_is_clamped_and_topics_must_be_safe_integers() {
    let long = "é".repeat(MESSAGE_CLAMP + 10);
    let b: Value = serde_json::from_str(&body(&long, -777)).unwrap();
    assert_eq!(
        b["message"].as_str().unwrap().chars().count(),
        MESSAGE_CLAMP
    );
    assert_eq!(b["topicId"], -777);
    assert_eq!(topic_id("42"), Some(42));
    assert_eq!(topic_id("-777"), Some(-777));
    assert_eq!(topic_id("9007199254740992"), None);
    assert_eq!(topic_id("2f1c-uuid"), None);
}

#[test]
fn statuses_map_to_delivered_retry_or_rejected() {
    assert!(matches!(classify(200, "{}"), Sent::Delivered(_)));
    assert!(matches!(classify(204, ""), Sent::Delivered(None)));
    for s in [408, 425, 429, 500, 502, 503] {
        assert!(matches!(classify(s, ""), Sent::Retry(_)), "{s}");
    }
    for s in [400, 401, 403, 404, 405, 413, 422] {
        assert!(
            matches!(classify(s, "{\"error\":\"x\"}"), Sent::Rejected(_)),
            "{s}"
        );
    }
    assert_eq!(
        classify(403, "{\"error\":\"Invalid auth token\"}"),
        Sent::Rejected("HTTP 403: {\"error\":\"Invalid auth token\"}".into())
    );
    let fake = Fake::new(vec![Err("Connection refused".into())]);
    assert!(
        matches!(send(&fake, &server(), None, "{}"), Sent::Retry(m) if m.contains("Connection refused"))
    );
}

#[test]
fn backoff_doubles_and_is_capped() {
    let ten = Duration::from_secs(10);
    assert_eq!(backoff(ten, 1), Duration::from_secs(10));
    assert_eq!(backoff(ten, 2), Duration::from_secs(20));
    assert_eq!(backoff(ten, 5), Duration::from_secs(160));
    assert_eq!(backoff(ten, 40), Duration::from_secs(1800));
    assert_eq!(backoff(Duration::ZERO, 7), Duration::ZERO);
}

fn doc_with(n: usize) -> StoreDoc {
    let mut doc = StoreDoc::default();
    for i in 0..n {
        let claim = NewClaim {
            message: "I'll restart it.".into(),
            forward_body: Some(body("I'll restart it.", i as i64)),
            ..NewClaim::example(&i.to_string(), "restart")
        };
        let r = crate::commitments::record_in(&mut doc, &claim, Policy::default(), t(i as u64));
        assert!(matches!(r, Recorded::Created { .. }));
    }
    doc
}

#[test]
fn due_records_are_leased_oldest_first_and_not_twice() {
    let mut doc = doc_with(6);
    let first = claim_due(&mut doc, t(100), 4, Selection::default());
    assert_eq!(
        first.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["AC-001", "AC-002", "AC-003", "AC-004"]
    );
    let second = claim_due(&mut doc, t(100), 4, Selection::default());
    assert_eq!(second.len(), 2, "leased ones are not taken again");
    assert!(claim_due(&mut doc, t(101), 4, Selection::default()).is_empty());
    // A lease that lapsed (its sender died) is taken again.
    assert_eq!(
        claim_due(&mut doc, t(100).plus(LEASE), 10, Selection::default()).len(),
        6
    );
}

#[test]
fn outcomes_move_records_through_their_states() {
    let mut doc = doc_with(3);
    let batch = claim_due(&mut doc, t(10), 10, Selection::default());
    let outcomes = vec![
        (
            batch[0].0.clone(),
            Sent::Delivered(Some(json!({"registered": true}))),
        ),
        (batch[1].0.clone(), Sent::Retry("down".into())),
        (batch[2].0.clone(), Sent::Rejected("HTTP 400: bad".into())),
    ];
    record_outcomes(&mut doc, &outcomes, t(11), Duration::from_secs(10));
    let f = |i: usize| doc.commitments[i].forward.clone().unwrap();
    assert_eq!(
        (f(0).state.as_str(), f(0).body.is_none(), f(0).delivered_at),
        ("delivered", true, Some(t(11)))
    );
    assert_eq!(
        (f(1).state.as_str(), f(1).next_attempt_at),
        ("pending", Some(t(21)))
    );
    assert_eq!(
        (f(2).state.as_str(), f(2).last_error.as_deref()),
        ("rejected", Some("HTTP 400: bad"))
    );
    // Backoff holds the retry back, rejected and delivered are never taken again …
    assert!(claim_due(&mut doc, t(12), 10, Selection::default()).is_empty());
    assert_eq!(
        claim_due(&mut doc, t(21), 10, Selection::default()).len(),
        1
    );
    // … unless a person asks.
    let mut doc2 = doc.clone();
    for c in &mut doc2.commitments {
        if let Some(f) = c.forward.as_mut() {
            f.in_flight_until = None;
        }
    }
    let all = claim_due(
        &mut doc2,
        t(12),
        10,
        Selection {
            ignore_backoff: true,
            rejected: true,
        },
    );
    assert_eq!(
        all.len(),
        2,
        "pending and rejected; never the delivered one"
    );
}

#[test]
fn delivery_records_outcomes_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("c.json"));
    let batch = store
        .update(t(0), |doc| {
            *doc = doc_with(2);
            Ok(claim_due(doc, t(0), 10, Selection::default()))
        })
        .unwrap()
        .value;
    let fake = Fake::new(vec![Ok((200, "{}".into())), Err("refused".into())]);
    let outcomes = deliver(
        &store,
        &Sender {
            transport: &fake,
            server: &server(),
            bind_token: None,
            first_backoff: Duration::from_secs(10),
        },
        batch,
        RUN_BUDGET,
        t(1),
    )
    .unwrap();
    assert_eq!(outcomes.len(), 2);
    let doc = store.load().unwrap();
    let states: Vec<Delivery> = doc
        .commitments
        .iter()
        .map(|c| c.forward.clone().unwrap().state)
        .collect();
    assert_eq!(states, [Delivery::Delivered, Delivery::Pending]);
    assert!(
        doc.commitments
            .iter()
            .all(|c| c.forward.as_ref().unwrap().in_flight_until.is_none())
    );
}
