use super::*;
use crate::guards::manifest::{self, Entry, MANIFEST};

fn now() -> Timestamp {
    Timestamp::from_unix_ms(1_795_000_000_000)
}

fn queue() -> &'static Entry {
    manifest::entry(manifest::RESUME_QUEUE).unwrap()
}

fn ok(enabled: bool) -> RuntimeRead {
    RuntimeRead::Ok(RuntimeStatus {
        enabled,
        ..RuntimeStatus::default()
    })
}

fn input(m: &'static Entry, config_enabled: Option<bool>, runtime: RuntimeRead) -> Input<'static> {
    Input::new(m, config_enabled, runtime, now())
}

fn state(i: Input<'_>) -> State {
    derive(i).effective
}

#[test]
fn the_resume_queue_entry_is_instars() {
    let e = queue();
    assert_eq!(
        (e.component, e.default_enabled, e.expect_runtime),
        ("ResumeQueue", true, true)
    );
    assert_eq!(e.dry_run_config_path, Some("monitoring.resumeQueue.dryRun"));
    assert_eq!(e.expected_tick_ms, None, "never stale by time");
    assert_eq!(MANIFEST.len(), 2);
}

#[test]
fn errored_wins_over_everything() {
    let mut i = input(queue(), Some(true), RuntimeRead::Error("boom".into()));
    i.boot_value = Some(false);
    i.boot_snapshot_available = true;
    let row = derive(i);
    assert_eq!(row.effective, State::Errored);
    assert_eq!(
        (row.runtime_reason, row.error.as_deref()),
        (Some("status-error"), Some("boom"))
    );
}

#[test]
fn missing_needs_a_server_component_expected_to_report_and_no_boot_false() {
    assert_eq!(
        state(input(queue(), Some(true), RuntimeRead::Unregistered)),
        State::Missing
    );
    let mut i = input(queue(), Some(true), RuntimeRead::Unregistered);
    i.boot_value = Some(false);
    i.boot_snapshot_available = true;
    assert_ne!(state(i), State::Missing, "booted off: not missing");
    let hook = manifest::entry(manifest::ACTION_CLAIM).unwrap();
    assert_eq!(
        state(input(hook, Some(true), RuntimeRead::Unregistered)),
        State::OnUnverified,
        "a hook component is never `missing`: it has not run yet"
    );
}

#[test]
fn a_runtime_disabled_guard_is_off_runtime_divergent_and_keeps_its_reason() {
    let runtime = RuntimeRead::Ok(RuntimeStatus {
        enabled: false,
        dry_run: Some(true),
        reason: Some("resume-queue disabled: lock at … belongs to host \"old\"".into()),
        ..RuntimeStatus::default()
    });
    let row = derive(input(queue(), Some(true), runtime));
    assert_eq!(row.effective, State::OffRuntimeDivergent);
    assert!(row.reason.unwrap().contains("belongs to host"));
}

#[test]
fn diverged_pending_restart_comes_after_off_runtime_divergent() {
    let mut i = input(queue(), Some(true), ok(false));
    i.boot_value = Some(false);
    i.boot_snapshot_available = true;
    let row = derive(i);
    assert_eq!(row.divergence, Divergence::Diverged);
    assert_eq!(row.effective, State::DivergedPendingRestart);
    let mut i = input(queue(), Some(false), ok(true));
    i.boot_value = Some(true);
    i.boot_snapshot_available = true;
    assert_eq!(state(i), State::DivergedPendingRestart);
}

#[test]
fn off_is_classed_by_its_default() {
    let row = derive(input(queue(), Some(false), RuntimeRead::Unregistered));
    assert_eq!(
        (row.effective, row.off_class),
        (State::Off, Some(OffClass::DivergedFromDefault))
    );
    let hook = manifest::entry(manifest::ACTION_CLAIM).unwrap();
    let row = derive(input(hook, Some(false), RuntimeRead::Unregistered));
    assert_eq!(
        (row.effective, row.off_class),
        (State::Off, Some(OffClass::DarkDefault))
    );
}

#[test]
fn dry_run_comes_from_the_runtime_then_the_config() {
    let runtime = RuntimeRead::Ok(RuntimeStatus {
        enabled: true,
        dry_run: Some(true),
        ..RuntimeStatus::default()
    });
    assert_eq!(state(input(queue(), Some(true), runtime)), State::OnDryRun);
    let mut i = input(queue(), Some(true), ok(true));
    i.config_dry_run = Some(true);
    assert_eq!(state(i), State::OnDryRun);
}

#[test]
fn stale_comes_after_dry_run_and_before_confirmed() {
    let stale = RuntimeRead::Ok(RuntimeStatus {
        enabled: true,
        stale: true,
        ..RuntimeStatus::default()
    });
    assert_eq!(
        state(input(queue(), Some(true), stale.clone())),
        State::OnStale
    );
    let mut i = input(queue(), Some(true), stale);
    i.config_dry_run = Some(true);
    assert_eq!(state(i), State::OnDryRun);
}

#[test]
fn a_tick_older_than_five_expected_ticks_is_stale() {
    static TICKING: Entry = Entry {
        key: "monitoring.watchdog.enabled",
        kind: Kind::Config,
        config_path: "monitoring.watchdog.enabled",
        default_enabled: true,
        dry_run_config_path: None,
        expected_tick_ms: Some(30_000),
        live_config: true,
        process: Process::Server,
        expect_runtime: true,
        component: "SessionWatchdog",
        description: "",
    };
    let at = |ago_ms: u64| {
        RuntimeRead::Ok(RuntimeStatus {
            enabled: true,
            last_tick_at: Some(Timestamp::from_unix_ms(now().unix_ms() - ago_ms)),
            ..RuntimeStatus::default()
        })
    };
    assert_eq!(
        state(input(&TICKING, Some(true), at(150_000))),
        State::OnConfirmed
    );
    assert_eq!(
        state(input(&TICKING, Some(true), at(150_001))),
        State::OnStale
    );
    assert_eq!(
        state(input(&TICKING, Some(true), ok(true))),
        State::OnStale,
        "never ticked"
    );
}

#[test]
fn confirmed_and_unverified() {
    assert_eq!(
        state(input(queue(), Some(true), ok(true))),
        State::OnConfirmed
    );
    let hook = manifest::entry(manifest::ACTION_CLAIM).unwrap();
    assert_eq!(
        state(input(hook, Some(true), RuntimeRead::Unregistered)),
        State::OnUnverified
    );
}

#[test]
fn code_default_guards_fall_back_to_their_default() {
    static CODE: Entry = Entry {
        key: "messaging.attentionTopicGuard",
        kind: Kind::CodeDefault,
        config_path: "messaging.attentionTopicGuard",
        default_enabled: true,
        dry_run_config_path: None,
        expected_tick_ms: None,
        live_config: false,
        process: Process::Server,
        expect_runtime: false,
        component: "AttentionTopicGuard",
        description: "",
    };
    let row = derive(input(&CODE, None, RuntimeRead::Unregistered));
    assert_eq!(
        (row.config_enabled, row.divergence),
        (Some(true), Divergence::NotApplicable)
    );
    assert_eq!(row.runtime_reason, Some("not-instrumented"));
    assert_eq!(row.effective, State::OnUnverified);
}

#[test]
fn lifeline_components_are_out_of_process() {
    static LIFELINE: Entry = Entry {
        key: "lifeline.driftPromoter.enabled",
        kind: Kind::Config,
        config_path: "lifeline.driftPromoter.enabled",
        default_enabled: true,
        dry_run_config_path: None,
        expected_tick_ms: None,
        live_config: false,
        process: Process::Lifeline,
        expect_runtime: false,
        component: "LifelineDriftPromoter",
        description: "",
    };
    let row = derive(input(&LIFELINE, Some(true), ok(true)));
    assert_eq!(
        (row.runtime.is_none(), row.runtime_reason),
        (true, Some("out-of-process"))
    );
    assert_eq!(row.effective, State::OnUnverified);
}

#[test]
fn a_guard_that_does_not_exist_here_is_not_applicable_whatever_else_holds() {
    for config_enabled in [None, Some(true), Some(false)] {
        let mut i = input(queue(), config_enabled, RuntimeRead::NotApplicable);
        i.config_dry_run = Some(true);
        let row = derive(i);
        assert_eq!(row.effective, State::NotApplicable, "{config_enabled:?}");
        assert_eq!((&row.runtime, row.runtime_reason), (&None, None));
        assert!(!row.needs_attention());
    }
}

#[test]
fn attention_states() {
    let attention: Vec<&str> = [
        State::OnConfirmed,
        State::OnUnverified,
        State::OnStale,
        State::OnDryRun,
        State::Off,
        State::DivergedPendingRestart,
        State::Errored,
        State::Missing,
        State::OffRuntimeDivergent,
        State::NotApplicable,
    ]
    .into_iter()
    .filter(|s| s.needs_attention())
    .map(State::as_str)
    .collect();
    assert_eq!(
        attention,
        ["on-stale", "errored", "missing", "off-runtime-divergent"]
    );
}
