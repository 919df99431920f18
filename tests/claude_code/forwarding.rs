//! Forwarding claims to a stand-in instar server ([`StubServer`]) from real turns: every claim
//! reaches a server that was down exactly once, nothing is lost while it stays down
//! (`commitments flush` delivers), and a claim it turns away is retried on 5xx and dropped on
//! 4xx.

use crate::check::{only, show, text};
use crate::claude::{Reply, needs_claude};
use crate::harness::Project;
use crate::stub_server::{DEFAULT_REPLY, Reserved, StubServer};
use libtest_mimic::Trial;
use serde_json::{Value, json};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        every_claim_reaches_a_server_that_was_down_exactly_once,
        nothing_is_lost_when_the_server_is_down_for_the_whole_run,
        a_claim_the_server_turns_away_is_retried_on_5xx_and_dropped_on_4xx,
    ]
}

impl Project {
    /// `instar-hooks commitments flush --json`: its exit code and the outcomes it printed.
    fn flush(&self) -> (Option<i32>, Vec<Value>) {
        let out = self.cli(&["commitments", "flush", "--json"]).run();
        let outcomes = out.json();
        (out.code, outcomes)
    }
}

/// Configures forwarding, retrying on every hook run, to a port held for a server that is
/// not up yet (the test starts it with [`Reserved::start`] when it wants it up).
fn forward_claims(p: &Project, token: &'static str) -> Reserved {
    let port = Reserved::new();
    p.configure(json!({
        "port": port.port(),
        "authToken": token,
        // One Stop per turn, so each turn is one attempt to send: the continuation a
        // promise like these earns by default would be a second Stop, and a second
        // attempt, in the same turn (same-turn follow-through has its own tests).
        "actionClaim": {"forwardBackoffSeconds": 0, "sameTurn": false},
    }));
    port
}

/// Two turns of `conversation` with two different claims, while the server is down: both
/// are recorded and wait to be sent. Returns the claims' messages.
fn two_claims_while_down(p: &Project, conversation: &str, port: u16) -> [&'static str; 2] {
    let messages = ["I'll restart the server.", "Pushing the fix now."];
    for m in messages {
        let turn = p.turn(
            Reply::Text(m),
            &[("INSTAR_CONVERSATION_ID", conversation)],
            &[],
        );
        p.assert_hook_ran(&turn.session_id());
    }
    let cs = p.commitments();
    assert_eq!(cs.len(), 2, "{}", show(&cs));
    for (c, m) in cs.iter().zip(messages) {
        assert_eq!(text(c, "message"), m);
        let f = &c["forward"];
        assert_eq!(text(f, "state"), "pending", "{c:#}");
        assert!(f["attempts"].as_u64() >= Some(1), "{c:#}");
        assert!(
            text(f, "lastError").contains(&format!("127.0.0.1:{port}")),
            "{c:#}"
        );
    }
    messages
}

/// Every request `server` got is a well-formed claim of `conversation`, and together they
/// are `messages`, each once, oldest first.
fn assert_delivered_once(
    p: &Project,
    server: &StubServer,
    token: &str,
    conversation: i64,
    messages: &[&str],
) {
    let requests = server.requests();
    let bodies: Vec<Value> = requests.iter().map(|r| r.json()).collect();
    let want: Vec<Value> = messages
        .iter()
        .map(|m| json!({"message": m, "topicId": conversation}))
        .collect();
    assert_eq!(bodies, want, "{requests:#?}");
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path, "/action-claim/observe");
        assert_eq!(r.header("Authorization"), Some(&*format!("Bearer {token}")));
        assert_eq!(r.header("Content-Type"), Some("application/json"));
    }
    let cs = p.commitments();
    let answer: Value = serde_json::from_str(DEFAULT_REPLY).unwrap();
    for c in &cs {
        let f = &c["forward"];
        assert_eq!(text(f, "state"), "delivered", "{}", show(&cs));
        assert!(!text(f, "deliveredAt").is_empty());
        assert_eq!(f["response"], answer, "the server's answer is kept");
        assert!(f.get("lastError").is_none(), "{c:#}");
    }
}

fn every_claim_reaches_a_server_that_was_down_exactly_once() {
    let p = Project::migrated();
    let token = "e2e-token-5104";
    let port = forward_claims(&p, token);
    let messages = two_claims_while_down(&p, "5104", port.port());
    // Backoff 0: the first claim was tried again at the second Stop.
    let attempts: Vec<Value> = p
        .commitments()
        .iter()
        .map(|c| c["forward"]["attempts"].clone())
        .collect();
    assert_eq!(attempts, [json!(2), json!(1)]);

    let server = port.start();
    let env = [("INSTAR_CONVERSATION_ID", "5104")];
    // A turn with no claim delivers what is waiting…
    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_delivered_once(&p, &server, token, 5104, &messages);
    // …and the next sends nothing again.
    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_delivered_once(&p, &server, token, 5104, &messages);
    let cs = p.commitments();
    assert!(cs.iter().all(|c| c["status"] == "open"), "{}", show(&cs));
    p.assert_log_has_no_errors_but(&["will retry: no answer from 127.0.0.1"]);
}

fn nothing_is_lost_when_the_server_is_down_for_the_whole_run() {
    let p = Project::migrated();
    let token = "e2e-token-5105";
    let port = forward_claims(&p, token);
    let messages = two_claims_while_down(&p, "5105", port.port());

    let server = port.start();
    let (code, outcomes) = p.flush();
    assert_eq!(code, Some(0), "{outcomes:#?}");
    let got: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|o| (text(o, "id"), text(o, "outcome")))
        .collect();
    assert_eq!(got, [("AC-001", "delivered"), ("AC-002", "delivered")]);
    assert_delivered_once(&p, &server, token, 5105, &messages);

    let (code, outcomes) = p.flush();
    assert_eq!(
        (code, outcomes),
        (Some(0), Vec::new()),
        "nothing left to send"
    );
    assert_delivered_once(&p, &server, token, 5105, &messages);
    p.assert_log_has_no_errors_but(&["will retry: no answer from 127.0.0.1"]);
}

fn a_claim_the_server_turns_away_is_retried_on_5xx_and_dropped_on_4xx() {
    let p = Project::migrated();
    let server = forward_claims(&p, "e2e-token-5106").start();
    server.script(&[
        (503, r#"{"error":"restarting"}"#),
        (400, r#"{"error":"bad topic"}"#),
    ]);
    let env = [("INSTAR_CONVERSATION_ID", "5106")];
    let forward = || only(p.commitments())["forward"].clone();

    p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    let f = forward();
    assert_eq!(text(&f, "state"), "pending", "503 is retried: {f:#}");
    assert!(text(&f, "lastError").contains("HTTP 503"), "{f:#}");

    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    let f = forward();
    assert_eq!(text(&f, "state"), "rejected", "400 is final: {f:#}");
    assert!(text(&f, "lastError").contains("HTTP 400"), "{f:#}");
    assert_eq!(f["attempts"], 2);

    p.turn(Reply::Text("Here is the summary."), &env, &[]);
    assert_eq!(
        server.requests().len(),
        2,
        "a rejected claim is not sent again"
    );
    assert_eq!(text(&forward(), "state"), "rejected");
    p.assert_log_has_no_errors_but(&["will retry: HTTP 503", "rejected, not retried: HTTP 400"]);
}
