//! The hooks as the plugin runs them: on with no config anywhere, recording outside the
//! project; off when run from settings with no config; off again with an explicit false in the
//! user's config.

use super::plain_project;
use crate::harness::Project;
use serde_json::Value;
use std::{fs, path::PathBuf};

fn state_dirs(p: &Project) -> Vec<PathBuf> {
    fs::read_dir(p.root().join("data/instar-hooks/projects"))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

#[test]
fn from_the_plugin_with_no_config_anywhere_a_promise_is_recorded_outside_the_project() {
    let p = plain_project();
    let before = p.tree();
    p.stop("Restarting the worker now.")
        .env("CLAUDE_PLUGIN_ROOT", p.root().join("plugin"))
        .run()
        .silent_success();
    let all = p.commitments();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        (all[0]["verb"].as_str(), all[0]["restated"].as_u64()),
        (Some("restart"), Some(0))
    );
    let dirs = state_dirs(&p);
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let name = dirs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("project-"),
        "named after the project: {name}"
    );
    assert!(dirs[0].join("commitments.json").is_file());
    assert_eq!(p.tree(), before, "nothing written into the project");
}

#[test]
fn from_settings_with_no_config_nothing_is_recorded() {
    let p = plain_project();
    p.stop("Restarting the worker now.").run().silent_success();
    assert_eq!(p.commitments(), Vec::<Value>::new());
    assert!(state_dirs(&p).is_empty(), "not even a state directory");
}

#[test]
fn an_explicit_false_in_the_user_config_switches_the_plugin_off() {
    let p = plain_project();
    p.cli(&["config", "set", "actionClaim.enabled", "false"])
        .run()
        .code(0)
        .stdout_contains("config/instar-hooks/config.json");
    p.stop("Restarting the worker now.")
        .env("CLAUDE_PLUGIN_ROOT", p.root().join("plugin"))
        .run()
        .silent_success();
    assert_eq!(p.commitments(), Vec::<Value>::new());
}
