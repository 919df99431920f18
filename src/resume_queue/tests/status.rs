//! `status`: what counts as a finding, and a fix that works for each way a queue stays off.

use std::time::SystemTime;

use super::{Fixture, HOST, SELF_PID, cfg, local, untouchable};
use crate::resume_queue::{
    Decision, Verdict,
    decision::{Failure, Heartbeat},
    evaluate,
    lockfile::NULL_LOCK_ERROR,
    status::StatusReport,
};

fn report(f: &Fixture, verdict: Verdict, edit: impl FnOnce(&mut Decision)) -> StatusReport {
    let mut d = Decision::new(verdict, &f.paths.lock, HOST, SELF_PID);
    edit(&mut d);
    StatusReport::new(&f.paths, cfg(true, false, true), d)
}

#[test]
fn a_live_owner_on_this_host_runs_the_queue_and_is_not_a_finding() {
    let f = Fixture::new();
    let s = report(&f, Verdict::LiveOther { pid: 4242 }, |_| {});
    assert!(!s.is_finding(), "{s:?}");
    assert!(!s.will_start, "a second server would not start its own");
    assert!(
        s.summary
            .starts_with("running: pid 4242 on this host owns the queue")
    );
    assert_eq!(s.fix, None);
    // Off in config is not a finding either; no owner at all is.
    let off = StatusReport::new(
        &f.paths,
        cfg(false, true, false),
        Decision::new(Verdict::Off, &f.paths.lock, HOST, SELF_PID),
    );
    assert!(!off.is_finding());
    assert!(report(&f, Verdict::WouldAutoHeal, |_| {}).is_finding());
}

fn foreign_declined(stale: bool) -> Verdict {
    Verdict::Foreign {
        auto_heal: true,
        fs_local: true,
        pid_dead: true,
        stale,
    }
}

#[test]
fn an_unreadable_foreign_heartbeat_points_at_force_not_at_waiting() {
    let f = Fixture::new();
    let force = crate::fixes::heal(&f.paths.project, true);
    let s = report(&f, foreign_declined(false), |d| {
        d.facts.heartbeat_probed = true;
        d.facts.fs = Some(local());
        d.facts.pid_alive = Some(false);
    });
    assert_eq!(s.fix.as_deref(), Some(force.as_str()), "{s:?}");
    let hint = s.hint.unwrap();
    assert!(
        hint.contains("cannot be read") && !hint.contains("5 min"),
        "{hint}"
    );
    // A readable, fresh heartbeat: wait for it, then heal.
    let s = report(&f, foreign_declined(false), |d| {
        d.facts.heartbeat_probed = true;
        d.facts.heartbeat = Some(Heartbeat::new(SystemTime::now(), SystemTime::now()));
    });
    assert_eq!(s.fix, Some(crate::fixes::heal(&f.paths.project, false)));
    assert!(s.hint.unwrap().contains("under 5 min old"));
}

#[test]
fn a_lock_that_cannot_be_read_offers_no_heal_and_a_bad_one_offers_force() {
    let f = Fixture::new();
    std::os::unix::fs::symlink("/etc/hostname", &f.paths.lock).unwrap();
    let d = evaluate(&f.paths, &cfg(true, false, true), &mut untouchable(HOST));
    assert!(
        matches!(
            d.verdict,
            Verdict::Failed {
                cause: Failure::Io,
                ..
            }
        ),
        "{d:?}"
    );
    let s = StatusReport::new(&f.paths, cfg(true, false, true), d);
    assert_eq!(s.fix, None, "heal cannot read it either");
    assert!(s.is_finding());
    assert!(s.hint.unwrap().contains("cannot be read"));

    let bad = Verdict::Failed {
        error: NULL_LOCK_ERROR.into(),
        cause: Failure::BadLock,
    };
    let s = report(&f, bad, |_| {});
    assert_eq!(s.fix, Some(crate::fixes::heal(&f.paths.project, true)));
}
