//! One Stop, one record: the same Stop delivered twice (also at once) is a duplicate, not a
//! restatement; the same words in a later turn, another session or without a session id are.

use super::*;

/// Two wirings of the hook (plugin + settings.json) deliver the same Stop twice, at once.
#[test]
fn the_same_stop_delivered_twice_records_once_and_is_not_a_restatement() {
    let (_d, s) = store();
    let c = claim("sess-1", "restart");
    let first = s.record(&c, policy(), t0()).unwrap().value;
    let second = s
        .record(&c, policy(), t0().plus(Duration::from_millis(40)))
        .unwrap()
        .value;
    assert!(matches!(first, Recorded::Created { .. }));
    assert_eq!(
        second,
        Recorded::Duplicate {
            id: "AC-001".into(),
            key: external_key("sess-1", "restart")
        }
    );
    let before = s.load().unwrap();
    let all = s.list(t0()).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].restated, 0);
    assert_eq!(all[0].updated_at, t0(), "untouched");
    // A third delivery changes nothing either: not even the file.
    s.record(&c, policy(), t0().plus(Duration::from_secs(1)))
        .unwrap();
    assert_eq!(s.load().unwrap(), before);
}

#[test]
fn concurrent_deliveries_of_one_stop_leave_one_unrestated_commitment() {
    let (_d, s) = store();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                s.record(&claim("sess-1", "restart"), policy(), t0())
                    .unwrap()
                    .value
            })
        })
        .collect();
    let mut outcomes: Vec<String> = handles
        .into_iter()
        .map(|h| {
            serde_json::to_value(h.join().unwrap()).unwrap()["outcome"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    outcomes.sort();
    assert_eq!(outcomes, ["created", "duplicate"]);
    let all = s.list(t0()).unwrap();
    assert_eq!((all.len(), all[0].restated), (1, 0));
}

#[test]
fn the_same_words_in_a_later_turn_or_another_session_are_a_restatement() {
    // A later turn: after the window.
    let (_d, s) = store();
    let c = claim("7", "restart");
    s.record(&c, policy(), t0()).unwrap();
    let later = t0().plus(SAME_STOP_WINDOW);
    let r = s.record(&c, policy(), later).unwrap().value;
    assert!(matches!(r, Recorded::Restated { .. }), "{r:?}");
    // And its own second delivery is a duplicate again, measured from that update.
    let r = s
        .record(&c, policy(), later.plus(Duration::from_secs(1)))
        .unwrap()
        .value;
    assert!(matches!(r, Recorded::Duplicate { .. }), "{r:?}");

    // Another session of the same conversation (INSTAR_CONVERSATION_ID), at once.
    let (_d, s) = store();
    s.record(&c, policy(), t0()).unwrap();
    let mut other = c.clone();
    other.session_id = Some("sess-2".into());
    other.transcript_path = Some("/t/sess-2.jsonl".into());
    let r = s.record(&other, policy(), t0()).unwrap().value;
    assert!(matches!(r, Recorded::Restated { .. }), "{r:?}");
    let now = &s.list(t0()).unwrap()[0];
    assert_eq!(now.restated, 1);
    assert_eq!(
        now.session_id.as_deref(),
        Some("sess-2"),
        "the latest statement's session"
    );
    assert_eq!(now.transcript_path.as_deref(), Some("/t/sess-2.jsonl"));
    // That session's duplicate delivery is caught too: the commitment shows sess-2 now.
    let r = s.record(&other, policy(), t0()).unwrap().value;
    assert!(matches!(r, Recorded::Duplicate { .. }), "{r:?}");

    // Different words in the same session at once: a restatement (the last words win).
    let (_d, s) = store();
    s.record(&c, policy(), t0()).unwrap();
    let mut reworded = c;
    reworded.message = "Restarting it now.".into();
    let r = s.record(&reworded, policy(), t0()).unwrap().value;
    assert!(matches!(r, Recorded::Restated { .. }), "{r:?}");
}

#[test]
fn without_a_session_id_identical_claims_are_restatements() {
    let (_d, s) = store();
    let mut c = claim("7", "restart");
    c.session_id = None;
    s.record(&c, policy(), t0()).unwrap();
    let r = s.record(&c, policy(), t0()).unwrap().value;
    assert!(matches!(r, Recorded::Restated { .. }), "{r:?}");
}

#[test]
fn a_refused_claim_delivered_twice_is_bumped_once() {
    let (_d, s) = store();
    let p = Policy {
        per_topic_cap: 1,
        ..policy()
    };
    s.record(&claim("7", "restart"), p, t0()).unwrap();
    let c = claim("7", "push");
    assert!(matches!(
        s.record(&c, p, t0()).unwrap().value,
        Recorded::Refused { .. }
    ));
    assert!(matches!(
        s.record(&c, p, t0()).unwrap().value,
        Recorded::Duplicate { .. }
    ));
    let refused = s
        .list(t0())
        .unwrap()
        .into_iter()
        .find(|c| c.status == Status::Refused)
        .unwrap();
    assert_eq!(refused.restated, 0);
}
