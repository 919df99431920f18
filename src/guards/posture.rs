//! Guard posture: instar's nine states and their precedence (`deriveGuardRow`,
//! guardPostureView.ts), as a pure function, with one change: the runtime's `reason` is
//! kept on the row (upstream's allowlist drops it, so `/guards` never says *why*).

use serde::Serialize;

use super::manifest::{Entry, Kind, Process};
use crate::timestamp::Timestamp;

pub(crate) const STALE_TICK_MULTIPLIER: u64 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    OnConfirmed,
    OnUnverified,
    OnStale,
    OnDryRun,
    Off,
    DivergedPendingRestart,
    Errored,
    Missing,
    OffRuntimeDivergent,
    /// Not one of instar's nine: the guard does not exist in this project (the resume queue
    /// of a project that is not an instar agent). Never a problem.
    NotApplicable,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::OnConfirmed => "on-confirmed",
            State::OnUnverified => "on-unverified",
            State::OnStale => "on-stale",
            State::OnDryRun => "on-dry-run",
            State::Off => "off",
            State::DivergedPendingRestart => "diverged-pending-restart",
            State::Errored => "errored",
            State::Missing => "missing",
            State::OffRuntimeDivergent => "off-runtime-divergent",
            State::NotApplicable => "not-applicable",
        }
    }

    /// The states that raise the one aggregated attention item.
    pub(crate) fn needs_attention(self) -> bool {
        matches!(
            self,
            State::OffRuntimeDivergent | State::Missing | State::Errored | State::OnStale
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffClass {
    DarkDefault,
    DivergedFromDefault,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Divergence {
    None,
    Diverged,
    NotApplicable,
    SnapshotUnavailable,
}

/// What the component says about itself (instar's `GuardRuntimeStatus`, plus `reason` and
/// a staleness the component can judge itself).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RuntimeStatus {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_tick_at: Option<Timestamp>,
    /// Stale by the component's own evidence (e.g. Claude Code ran, the hook did not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// instar's `GuardRuntimeRead`, plus [`RuntimeRead::NotApplicable`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RuntimeRead {
    Unregistered,
    Error(String),
    Ok(RuntimeStatus),
    /// Not one of instar's: the component does not exist in this project (the resume queue
    /// of a project that is not an instar agent). Derives [`State::NotApplicable`].
    NotApplicable,
}

/// `deriveGuardRow`'s inputs. `default_enabled`, `boot_value` and `boot_snapshot_available`
/// mirror upstream's derivation and only tests set them: we read the config as the next
/// start (or the next hook run) sees it, with no boot snapshot to diverge from.
pub(crate) struct Input<'a> {
    pub manifest: &'a Entry,
    pub config_enabled: Option<bool>,
    pub default_enabled: Option<bool>,
    pub config_dry_run: Option<bool>,
    pub boot_value: Option<bool>,
    pub boot_snapshot_available: bool,
    pub runtime: RuntimeRead,
    pub now: Timestamp,
}

impl<'a> Input<'a> {
    /// The input from what is known at read time: the config and the runtime.
    pub(crate) fn new(
        manifest: &'a Entry,
        config_enabled: Option<bool>,
        runtime: RuntimeRead,
        now: Timestamp,
    ) -> Input<'a> {
        Input {
            manifest,
            config_enabled,
            default_enabled: None,
            config_dry_run: None,
            boot_value: None,
            boot_snapshot_available: false,
            runtime,
            now,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    pub key: String,
    pub effective: State,
    pub config_enabled: Option<bool>,
    pub default_enabled: Option<bool>,
    pub off_class: Option<OffClass>,
    pub divergence: Divergence,
    pub runtime: Option<RuntimeView>,
    pub process: Process,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Why the guard is in this state, in words (kept, unlike upstream).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The command or change that fixes it, when something needs fixing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// Needs attention although its state does not: a problem outside instar's states (the
    /// sentinel wired twice).
    #[serde(skip)]
    pub flagged: bool,
}

impl Row {
    /// Whether this row raises the aggregated attention item.
    pub(crate) fn needs_attention(&self) -> bool {
        self.effective.needs_attention() || self.flagged
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeView {
    pub enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_tick_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tick_age_ms: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// `deriveGuardRow`: the row for one guard, states in instar's precedence.
pub(crate) fn derive(input: Input<'_>) -> Row {
    let m = input.manifest;
    // 1. Fallbacks.
    let config_enabled = match m.kind {
        Kind::CodeDefault => input.config_enabled.or(Some(m.default_enabled)),
        Kind::Config => input.config_enabled,
    };
    let default_enabled = input.default_enabled.or(Some(m.default_enabled));
    // 2. Divergence between the config on disk and what the process booted with.
    let divergence = if m.kind == Kind::CodeDefault {
        Divergence::NotApplicable
    } else if m.live_config {
        Divergence::None
    } else if !input.boot_snapshot_available || input.boot_value.is_none() {
        Divergence::SnapshotUnavailable
    } else if config_enabled.is_some() && config_enabled != input.boot_value {
        Divergence::Diverged
    } else {
        Divergence::None
    };
    // 3. Runtime projection; 4. staleness.
    let mut runtime_reason = None;
    let mut error = None;
    let mut reason = None;
    let mut stale = false;
    let runtime = match (&input.runtime, m.process) {
        (_, Process::Lifeline) => {
            runtime_reason = Some("out-of-process");
            None
        }
        (RuntimeRead::Ok(s), _) => {
            reason.clone_from(&s.reason);
            let tick_age_ms = s
                .last_tick_at
                .map(|t| input.now.since(t).as_millis() as u64);
            stale = s.enabled
                && (s.stale
                    || m.expected_tick_ms.is_some_and(|tick| {
                        tick_age_ms.is_none_or(|age| age > STALE_TICK_MULTIPLIER * tick)
                    }));
            Some(RuntimeView {
                enabled: s.enabled,
                dry_run: s.dry_run,
                last_tick_at: s.last_tick_at,
                tick_age_ms,
                stale,
            })
        }
        (RuntimeRead::Error(e), _) => {
            runtime_reason = Some("status-error");
            error = Some(e.clone());
            None
        }
        (RuntimeRead::Unregistered, _) => {
            runtime_reason = Some(if m.expect_runtime {
                "not-registered"
            } else {
                "not-instrumented"
            });
            None
        }
        (RuntimeRead::NotApplicable, _) => None,
    };
    // 5. Dry run.
    let dry_run = runtime
        .as_ref()
        .and_then(|r| r.dry_run)
        .or(input.config_dry_run)
        .unwrap_or(false);
    // 6. Precedence, first match wins.
    // Compared on the projected runtime, as upstream does: a lifeline component's read is
    // not looked at (`runtime` is null), so it is neither confirmed nor divergent.
    let runtime_says = |enabled: bool| runtime.as_ref().is_some_and(|r| r.enabled == enabled);
    let effective = if input.runtime == RuntimeRead::NotApplicable {
        State::NotApplicable
    } else if matches!(input.runtime, RuntimeRead::Error(_)) {
        State::Errored
    } else if m.expect_runtime
        && m.process == Process::Server
        && config_enabled == Some(true)
        && input.runtime == RuntimeRead::Unregistered
        && input.boot_value != Some(false)
    {
        State::Missing
    } else if config_enabled == Some(true)
        && runtime_says(false)
        && divergence != Divergence::Diverged
    {
        State::OffRuntimeDivergent
    } else if divergence == Divergence::Diverged {
        State::DivergedPendingRestart
    } else if config_enabled == Some(false) {
        State::Off
    } else if dry_run && config_enabled == Some(true) {
        State::OnDryRun
    } else if stale {
        State::OnStale
    } else if runtime_says(true) {
        State::OnConfirmed
    } else {
        State::OnUnverified
    };
    let off_class = (effective == State::Off).then(|| {
        if default_enabled == Some(false) {
            OffClass::DarkDefault
        } else {
            OffClass::DivergedFromDefault
        }
    });
    Row {
        key: m.key.to_string(),
        effective,
        config_enabled,
        default_enabled,
        off_class,
        divergence,
        runtime,
        process: m.process,
        runtime_reason,
        error,
        reason,
        fix: None,
        flagged: false,
    }
}

#[cfg(test)]
mod tests;
