use super::*;
use crate::transcript::turn::Call;

fn input(json: &str) -> HookInput {
    HookInput::parse(json.as_bytes())
}

fn on() -> Config {
    let mut c = Config::default();
    c.action_claim.enabled = true;
    c
}

#[test]
fn a_stop_may_be_continued_only_on_its_first_stop_outside_plan_mode_with_an_identity() {
    let ok = r#"{"session_id": "s", "prompt_id": "p", "permission_mode": "default"}"#;
    assert_eq!(allowed(&on(), &input(ok)), Ok(("s", "p")));
    let mut off = on();
    off.action_claim.same_turn = false;
    assert_eq!(allowed(&off, &input(ok)), Err(Hold::Off));
    let active = r#"{"session_id": "s", "prompt_id": "p", "stop_hook_active": true}"#;
    assert_eq!(allowed(&on(), &input(active)), Err(Hold::StopHookActive));
    let plan = r#"{"session_id": "s", "prompt_id": "p", "permission_mode": "plan"}"#;
    assert_eq!(allowed(&on(), &input(plan)), Err(Hold::PlanMode));
    for anonymous in [
        r#"{"session_id": "s"}"#,
        r#"{"prompt_id": "p"}"#,
        r#"{"session_id": "s", "prompt_id": ""}"#,
    ] {
        assert_eq!(
            allowed(&on(), &input(anonymous)),
            Err(Hold::NoTurnIdentity),
            "{anonymous}"
        );
    }
}

fn call() -> Entry {
    Entry::Call(Call::example("Bash", "systemctl restart worker"))
}

#[test]
fn a_turn_ended_on_its_words_only_when_no_call_follows_them_in_the_transcript() {
    let said = "Let me restart the worker now.";
    let turn = |entries: Vec<Entry>| Turn {
        entries,
        complete: true,
    };
    assert!(ended_on(
        &turn(vec![call(), Entry::Text(said.into())]),
        said
    ));
    assert!(!ended_on(
        &turn(vec![Entry::Text(said.into()), call()]),
        said
    ));
    assert!(
        !ended_on(&turn(vec![call()]), said),
        "a transcript without the words tells nothing"
    );
}

#[test]
fn the_reason_quotes_the_words_on_one_bounded_line() {
    let promise = Nudge::Promise {
        phrase: "Let me restart\nthe worker now.".into(),
        verb: Some("restart"),
    };
    let next = Nudge::Promise {
        phrase: "Let me check the config:".into(),
        verb: None,
    };
    let refuted = Nudge::Refuted {
        phrase: "All 214 tests pass".into(),
        evidence: "the last `npm test` in this turn exited 1: 2 failed".into(),
    };
    let reasons = [&promise, &next, &refuted].map(reason).join("\n");
    insta::assert_snapshot!(reasons, @r#"
    You ended your turn on "Let me restart the worker now." but did not do it. Do it now; if you cannot or should not, say so plainly.
    You ended your turn announcing "Let me check the config:" but made no tool call. Do it now; if you cannot or should not, say so plainly.
    You said "All 214 tests pass", but the last `npm test` in this turn exited 1: 2 failed. Fix it, or correct the statement.
    "#);
    let long = Nudge::Promise {
        phrase: "word ".repeat(100),
        verb: Some("push"),
    };
    assert!(reason(&long).contains("word word…\""));
    // What Claude Code reads: one JSON object with exactly these two keys.
    let v: serde_json::Value = serde_json::from_str(&block(&promise)).unwrap();
    assert_eq!(v.as_object().unwrap().len(), 2);
    assert_eq!(v["decision"], "block");
    assert_eq!(v["reason"], reason(&promise));
}
