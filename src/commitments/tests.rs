use super::*;

mod duplicates;
mod lifecycle;
mod persistence;

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
