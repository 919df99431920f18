use super::*;
use std::fs;

const HOUR: Duration = Duration::from_secs(3600);

fn policy() -> Policy {
    Policy::default()
}

fn claim(topic: &str, verb: &str) -> NewClaim {
    NewClaim {
        session_id: Some("sess-1".into()),
        ..NewClaim::example(topic, verb)
    }
}

fn t0() -> Timestamp {
    Timestamp::from_unix_ms(1_795_000_000_000)
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("commitments.json"));
    (dir, store)
}

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

#[test]
fn a_corrupt_store_is_moved_aside_and_the_new_record_kept() {
    let (dir, s) = store();
    fs::write(s.path(), b"{\"version\": 1, \"commitments\": [tru").unwrap();
    assert!(matches!(s.load(), Err(Error::CorruptStore { .. })));
    let r = s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    let moved = r.recovered_from_corrupt.expect("reported");
    assert_eq!(
        fs::read(&moved).unwrap(),
        b"{\"version\": 1, \"commitments\": [tru",
        "the unreadable bytes are kept"
    );
    assert!(moved.starts_with(dir.path()));
    assert_eq!(s.list(t0()).unwrap().len(), 1);
}

#[test]
fn a_store_from_a_newer_version_is_left_alone() {
    let (_d, s) = store();
    let newer = b"{\"version\": 9, \"commitments\": []}\n";
    fs::write(s.path(), newer).unwrap();
    let err = s
        .record(&claim("7", "restart"), policy(), t0())
        .unwrap_err();
    assert!(matches!(err, Error::Unsupported { .. }), "{err}");
    assert_eq!(fs::read(s.path()).unwrap(), newer);
}

#[test]
fn unknown_fields_and_statuses_survive_a_rewrite() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    let mut v: Value = serde_json::from_slice(&fs::read(s.path()).unwrap()).unwrap();
    v["futureTopLevel"] = serde_json::json!({"a": 1});
    v["commitments"][0]["futureField"] = serde_json::json!([1, 2]);
    v["commitments"][0]["status"] = serde_json::json!("snoozed");
    fs::write(s.path(), serde_json::to_vec(&v).unwrap()).unwrap();
    s.record(&claim("7", "push"), policy(), t0()).unwrap();
    let v: Value = serde_json::from_slice(&fs::read(s.path()).unwrap()).unwrap();
    assert_eq!(v["futureTopLevel"]["a"], 1);
    assert_eq!(v["commitments"][0]["futureField"][1], 2);
    assert_eq!(v["commitments"][0]["status"], "snoozed");
}

#[test]
fn an_unchanged_document_is_not_rewritten() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    let before = fs::metadata(s.path()).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    s.update(t0(), |_| Ok(())).unwrap();
    assert_eq!(fs::metadata(s.path()).unwrap().modified().unwrap(), before);
}

#[test]
fn old_terminal_rows_are_pruned_but_open_ones_are_kept() {
    let (_d, s) = store();
    s.record(&claim("7", "restart"), policy(), t0()).unwrap();
    s.record(
        &claim("8", "restart"),
        Policy {
            expires: 1000 * 24 * HOUR,
            ..policy()
        },
        t0(),
    )
    .unwrap();
    let much_later = t0().plus(6 * HOUR + RETENTION + HOUR);
    s.update(much_later, |_| Ok(())).unwrap();
    let all = s.list(much_later).unwrap();
    assert_eq!(all.len(), 1, "the expired row aged out");
    assert_eq!(all[0].topic, "8");
}

#[test]
fn the_number_of_terminal_rows_is_bounded() {
    let (_d, s) = store();
    s.update(t0(), |doc| {
        for i in 0..(MAX_TERMINAL + 10) {
            let mut c = doc.new_commitment(
                &claim(&i.to_string(), "fix"),
                external_key(&i.to_string(), "fix"),
                String::new(),
                t0().plus(Duration::from_secs(i as u64)),
                t0(),
            );
            c.status = Status::Resolved;
            doc.commitments.push(c);
        }
        Ok(())
    })
    .unwrap();
    let all = s.list(t0()).unwrap();
    assert_eq!(all.len(), MAX_TERMINAL);
    assert_eq!(all[0].topic, "10", "the oldest were dropped first");
}

#[test]
fn concurrent_writers_neither_lose_nor_duplicate() {
    let (_d, s) = store();
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let s = s.clone();
            std::thread::spawn(move || {
                // Eight topics, each claimed twice (in two sessions): sixteen writes, eight
                // commitments, each restated once.
                let mut c = claim(&(i % 8).to_string(), "deploy");
                c.session_id = Some(format!("sess-{i}"));
                s.record(&c, policy(), t0()).unwrap()
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let all = s.list(t0()).unwrap();
    assert_eq!(all.len(), 8);
    assert_eq!(all.iter().map(|c| c.restated).sum::<u32>(), 8);
}

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
