use super::*;
use crate::{
    env::Env,
    migrate::{Step, Upgrade},
    plugin,
};
use std::fs;

mod registrations;
mod state;
mod switch;

/// A project (without `.instar/`) with these settings, a directory of hook binaries, and the
/// user's directories (Claude Code's, config, data) in the same temp dir.
fn project(settings: &str, action_claim: Option<bool>) -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let bin = dir.path().join("bin");
    fs::create_dir_all(project.join(".claude")).unwrap();
    fs::create_dir_all(dir.path().join("claude")).unwrap();
    fs::create_dir_all(&bin).unwrap();
    fs::write(project.join(SETTINGS_FILE), settings).unwrap();
    for binary in settings::binaries() {
        fs::write(bin.join(binary), b"\x7fELF fake hook").unwrap();
    }
    let env = Env {
        claude_dir: Some(dir.path().join("claude")),
        config_dir: Some(dir.path().join("config")),
        data_dir: Some(dir.path().join("data")),
        ..Env::default()
    };
    let opts = Options {
        project,
        source_dir: bin,
        action_claim,
        env,
    };
    (dir, opts)
}

fn plan_of(opts: &Options) -> Plan {
    plan_with(opts, &plugin::wiring(&opts.project, &opts.env))
}

fn files(plan: &Plan) -> Vec<String> {
    plan.changes
        .iter()
        .map(|c| c.rel.display().to_string())
        .collect()
}

const PLUGIN: &str = r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#;

fn skips(r: &Report) -> Vec<&Skip> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Skipped { skip, .. } => Some(skip),
            _ => None,
        })
        .collect()
}

fn notes(r: &Report) -> Vec<&Note> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Note { note, .. } => Some(note),
            _ => None,
        })
        .collect()
}

/// The words of the notes that another module wrote (e.g. the config edit's reach).
fn remarks(r: &Report) -> String {
    let words: Vec<&str> = notes(r)
        .into_iter()
        .filter_map(|n| match n {
            Note::Remark { detail } => Some(detail.as_str()),
            _ => None,
        })
        .collect();
    words.join("\n")
}

fn upgrades(r: &Report) -> Vec<(&Path, &Upgrade)> {
    r.steps
        .iter()
        .filter_map(|s| match s {
            Step::Upgraded { path, upgrade } => Some((path.as_path(), upgrade)),
            _ => None,
        })
        .collect()
}
