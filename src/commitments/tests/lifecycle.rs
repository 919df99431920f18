//! A commitment's life: its external key, opening, restating, expiry, resolving, and the
//! per-topic cap that refuses a claim visibly.

use super::*;

#[test]
fn external_keys_match_instar() {
    assert_eq!(external_key("7", "restart"), "actionclaim:16012740cc3fd65a");
    assert_eq!(
        external_key("4242", "restart"),
        "actionclaim:647229ed6fdee1f4"
    );
}

#[test]
fn a_new_claim_opens_one_commitment() {
    let (_d, s) = store();
    let r = s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    assert_eq!(
        r.value,
        Recorded::Created {
            id: "AC-001".into(),
            key: "actionclaim:16012740cc3fd65a".into()
        }
    );
    let all = s.list(t0()).unwrap();
    assert_eq!(all.len(), 1);
    let c = &all[0];
    assert_eq!(
        (c.status.clone(), c.verb.as_str(), c.topic.as_str()),
        (Status::Open, "restart", "7")
    );
    assert_eq!(c.expires_at, t0().plus(6 * HOUR));
}

#[test]
fn restating_updates_the_one_open_commitment_and_refreshes_expiry() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    let later = t0().plus(HOUR);
    let mut again = claim("7", "restart");
    again.phrase = "Restarting it now".into();
    let r = s.record(&again, policy(), later).unwrap();
    assert!(matches!(r.value, Recorded::Restated { ref id, .. } if id == "AC-001"));
    let all = s.list(later).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].phrase, "Restarting it now");
    assert_eq!(all[0].restated, 1);
    assert_eq!(all[0].expires_at, later.plus(6 * HOUR));
}

#[test]
fn different_verbs_or_topics_are_different_commitments() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    s.record(&claim("7", "push"), policy(), t0()).unwrap();
    s.record(&claim("8", "restart"), policy(), t0()).unwrap();
    let ids: Vec<_> = s.list(t0()).unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["AC-001", "AC-002", "AC-003"]);
}

#[test]
fn expiry_applies_on_read_and_on_write_and_lets_a_new_one_open() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    let after = t0().plus(6 * HOUR);
    // Read: the view says expired, the file still says open.
    assert_eq!(s.list(after).unwrap()[0].status, Status::Expired);
    assert_eq!(s.load().unwrap().commitments[0].status, Status::Open);
    // Write: the same key now opens a second commitment and the first is persisted expired.
    let r = s.record(&claim("7", "restart"), policy(), after).unwrap();
    assert!(matches!(r.value, Recorded::Created { ref id, .. } if id == "AC-002"));
    let doc = s.load().unwrap();
    assert_eq!(doc.commitments[0].status, Status::Expired);
    assert_eq!(doc.commitments[0].resolved_at, Some(t0().plus(6 * HOUR)));
    assert_eq!(doc.commitments[1].status, Status::Open);
}

#[test]
fn a_resolved_commitment_lets_the_same_claim_open_again() {
    let (_d, s) = store();
    s.record(&claim("7", "push"), policy(), t0()).unwrap();
    let c = s.resolve("ac-001", Some("pushed by hand"), t0()).unwrap();
    assert_eq!(c.status, Status::Resolved);
    assert_eq!(c.resolution.as_deref(), Some("pushed by hand"));
    let r = s.record(&claim("7", "push"), policy(), t0()).unwrap();
    assert!(matches!(r.value, Recorded::Created { ref id, .. } if id == "AC-002"));
}

#[test]
fn resolving_twice_or_an_unknown_id_is_an_error() {
    let (_d, s) = store();
    s.record(&claim("7", "push"), policy(), t0()).unwrap();
    s.resolve("AC-001", None, t0()).unwrap();
    assert!(matches!(
        s.resolve("AC-001", None, t0()),
        Err(Error::NotOpen { .. })
    ));
    assert!(matches!(
        s.resolve("AC-999", None, t0()),
        Err(Error::NoSuchCommitment { .. })
    ));
}

#[test]
fn expiry_never_overwrites_a_terminal_status() {
    let (_d, s) = store();
    s.record(&claim("7", "push"), policy(), t0()).unwrap();
    s.resolve("AC-001", None, t0()).unwrap();
    let far = t0().plus(10 * HOUR);
    assert_eq!(s.list(far).unwrap()[0].status, Status::Resolved);
}

#[test]
fn the_per_topic_cap_refuses_visibly_and_restatements_are_never_capped() {
    let (_d, s) = store();
    let p = Policy {
        per_topic_cap: 2,
        ..policy()
    };
    s.record(&claim("7", "restart"), p, t0()).unwrap();
    s.record(&claim("7", "push"), p, t0()).unwrap();
    let r = s.record(&claim("7", "deploy"), p, t0()).unwrap();
    assert!(
        matches!(r.value, Recorded::Refused { cap: 2, .. }),
        "{:?}",
        r.value
    );
    // Restating an open one in a later turn still works at the cap.
    let later = t0().plus(SAME_STOP_WINDOW);
    let r = s.record(&claim("7", "push"), p, later).unwrap();
    assert!(matches!(r.value, Recorded::Restated { .. }));
    // Restating the refused one bumps the same refused row.
    let r = s.record(&claim("7", "deploy"), p, later).unwrap();
    assert!(matches!(r.value, Recorded::Refused { ref id, .. } if id == "AC-003"));
    // Another topic is unaffected.
    let r = s.record(&claim("8", "deploy"), p, later).unwrap();
    assert!(matches!(r.value, Recorded::Created { .. }));
    let all = s.list(later).unwrap();
    let refused: Vec<_> = all.iter().filter(|c| c.status == Status::Refused).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].restated, 1);
    assert!(
        refused[0]
            .resolution
            .as_deref()
            .unwrap()
            .contains("perTopicCap")
    );
}
