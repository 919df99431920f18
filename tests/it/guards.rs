//! `instar-hooks guards`: every posture state our two guards can be in, with the reason and the
//! fix on the row, and the one attention item.
//!
//! Every run gets `INSTAR_HOOKS_HOSTNAME` (so "this host" is fixed) and the fake `df` of
//! [`crate::resume_queue::df_path`] (so the disk verdict does not depend on the machine).

// The sentinel's last run: confirmed, stale, failed, or switched off.
mod runs;
// Where the sentinel's hook is registered, and what it runs.
mod registration;
// The resume queue and its host lock.
mod queue;
// Both guards as the config says: off, unreadable, values that fall back.
mod config;

use crate::harness::Project;
use crate::resume_queue::df_path;
use crate::snapshot_settings;
use serde_json::Value;
use std::{
    fs,
    path::Path,
    time::{Duration, SystemTime},
};

const HOST: &str = "this-host";
const QUEUE: &str = "monitoring.resumeQueue.enabled";
const SENTINEL: &str = "actionClaim.enabled";

fn guards(p: &Project, code: i32) -> (String, Value) {
    let path = df_path(p, "0", false);
    let run = |args: &[&str]| {
        p.cli(args)
            .env("INSTAR_HOOKS_HOSTNAME", HOST)
            .env("PATH", &path)
            .run()
            .code(code)
            .stdout
    };
    let table = run(&["guards"]);
    let json = run(&["guards", "--json"]);
    (table, serde_json::from_str(&json).unwrap())
}

/// The row of the guard `key`.
fn row<'a>(json: &'a Value, key: &str) -> &'a Value {
    json["guards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("no row {key}: {json}"))
}

fn state(json: &Value, key: &str) -> String {
    row(json, key)["effective"].as_str().unwrap().to_string()
}

fn reason<'a>(json: &'a Value, key: &str) -> &'a str {
    row(json, key)["reason"].as_str().unwrap()
}

fn snapshot(name: &str, table: &str, json: &Value) {
    let mut s = snapshot_settings!();
    s.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", "[TIME]");
    s.add_filter(r#""tickAgeMs": \d+"#, r#""tickAgeMs": [AGE]"#);
    s.add_filter(r"\(pid \d+\)", "(pid [PID])");
    s.bind(|| {
        insta::assert_snapshot!(format!("guards_{name}_table"), table);
        insta::assert_snapshot!(
            format!("guards_{name}_json"),
            serde_json::to_string_pretty(json).unwrap()
        );
    });
}

fn set_mtime(path: &Path, at: SystemTime) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(at).unwrap();
}

fn age(path: &Path, ago: Duration) {
    set_mtime(path, SystemTime::now() - ago);
}

/// An instar agent with the sentinel on, registered and deployed by the migrator.
fn migrated() -> Project {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    p
}
