//! The guards this project knows, as data (instar's `GuardManifestEntry` shape).

/// How a guard's on/off is decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A config key (`config_path`), with `default_enabled` when absent.
    Config,
    /// Always `default_enabled` (no key).
    CodeDefault,
}

/// Where the guarded component runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Process {
    /// Inside the instar server.
    Server,
    /// Inside instar's lifeline process.
    Lifeline,
    /// In a Claude Code hook of this project (ours).
    Hook,
}

#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub key: &'static str,
    pub kind: Kind,
    pub config_path: &'static str,
    pub default_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dry_run_config_path: Option<&'static str>,
    /// The component ticks this often; silent for 5× longer means stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_tick_ms: Option<u64>,
    /// Config changes apply without a restart (no `diverged-pending-restart`).
    pub live_config: bool,
    pub process: Process,
    /// The component reports a runtime status.
    pub expect_runtime: bool,
    pub component: &'static str,
    pub description: &'static str,
}

pub(crate) const RESUME_QUEUE: &str = "monitoring.resumeQueue.enabled";
pub(crate) const ACTION_CLAIM: &str = "actionClaim.enabled";

/// Every guard, in display order.
pub(crate) const MANIFEST: &[Entry] = &[
    // instar's entry, as data (upstream guardManifest.ts, added in 1.3.578).
    Entry {
        key: RESUME_QUEUE,
        kind: Kind::Config,
        config_path: "monitoring.resumeQueue.enabled",
        default_enabled: true,
        dry_run_config_path: Some("monitoring.resumeQueue.dryRun"),
        expected_tick_ms: None,
        live_config: false,
        process: Process::Server,
        expect_runtime: true,
        component: "ResumeQueue",
        description: "Mid-work resume queue: revives a reaped registered autonomous run (#1157). A disabled queue reports off-runtime-divergent so it is never silently inert (an autonomous run must outlive its session).",
    },
    Entry {
        key: ACTION_CLAIM,
        kind: Kind::Config,
        config_path: "actionClaim.enabled",
        default_enabled: false,
        dry_run_config_path: None,
        expected_tick_ms: None,
        // The hooks read the config on every run.
        live_config: true,
        process: Process::Hook,
        expect_runtime: true,
        component: "ActionClaimSentinel",
        description: "Action-claim follow-through sentinel: a Stop hook records concrete promises as commitments, checks the transcript for the action and reminds the model of promises not kept.",
    },
];

pub fn entry(key: &str) -> Option<&'static Entry> {
    MANIFEST.iter().find(|e| e.key == key)
}
