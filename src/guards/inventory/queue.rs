//! The resume queue's row: what the next server start would do with the lock on disk.

use std::path::Path;

use super::with_problems;
use crate::{
    guards::{
        manifest,
        posture::{self, Input, Row, RuntimeRead, RuntimeStatus},
    },
    resume_queue::{System, Verdict, status::StatusReport},
    timestamp::Timestamp,
};

pub(super) fn row(project: &Path, sys: &mut System<'_>, now: Timestamp) -> Row {
    let entry = manifest::entry(manifest::RESUME_QUEUE).expect("in the manifest");
    let report = match StatusReport::evaluate(project, sys) {
        Ok(report) => report,
        Err(e) => {
            let why = e.to_string();
            let mut row = posture::derive(Input::new(
                entry,
                None,
                RuntimeRead::Error(why.clone()),
                now,
            ));
            row.reason = Some(why);
            // The config file cannot be read: the same fix as the sentinel's row says.
            row.fix = match e.path() {
                Some(path) => Some(format!("fix {} by hand", path.display())),
                None => e.hint(),
            };
            return row;
        }
    };
    let (Some(decision), Some(config)) = (&report.decision, &report.config) else {
        let mut row = posture::derive(Input::new(entry, None, RuntimeRead::NotApplicable, now));
        row.reason = Some(report.summary);
        return row;
    };
    let reason = match &decision.verdict {
        Verdict::Off => "monitoring.resumeQueue.enabled is false".to_string(),
        // Running, here or in the live owner: the summary says which.
        _ if decision.queue_runs() => report.summary.clone(),
        _ => report
            .reason
            .clone()
            .unwrap_or_else(|| report.summary.clone()),
    };
    let reason = with_problems(reason, &config.problems);
    let runtime = match decision.verdict {
        // Upstream builds no queue at all and registers no status getter.
        Verdict::Off => RuntimeRead::Unregistered,
        _ => RuntimeRead::Ok(RuntimeStatus {
            enabled: decision.queue_runs(),
            dry_run: Some(config.dry_run()),
            reason: Some(reason.clone()),
            ..RuntimeStatus::default()
        }),
    };
    let mut input = Input::new(entry, Some(config.enabled()), runtime, now);
    input.config_dry_run = Some(config.dry_run());
    let mut row = posture::derive(input);
    row.reason = Some(reason);
    row.fix = report.fix;
    row
}
