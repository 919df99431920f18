//! The store file: a corrupt file moved aside, a newer version left alone, unknown fields kept,
//! no rewrite when nothing changed, terminal rows pruned and bounded, and concurrent writers.

use super::*;
use std::fs;

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
