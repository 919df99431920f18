//! instar-migrate, run on a project: what the tests below share — the fixture cases, reading
//! back the settings and their hook commands, and the `--json` report's contract.

// The fixture projects: snapshots, idempotence, the instar agent upgraded in place, dry run.
mod fixtures;
// Outside the fixtures: a new project, the legacy config block, a symlink, enabledFrameworks.
mod files;
// What it refuses, writing nothing; usage errors and --help.
mod refusals;
// Hooks and switches that live outside the project: the plugin, the user's files.
mod elsewhere;

use crate::harness::Project;
use crate::snapshot_settings;
use serde_json::Value;

const CASES: &[&str] = &[
    "no-file",
    "empty-object",
    "user-hooks",
    "instar-agent",
    "already-migrated",
];

fn settings(p: &Project) -> Value {
    serde_json::from_str(&p.read(".claude/settings.json")).unwrap()
}

/// Every hook command in a settings document.
fn commands(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for groups in doc["hooks"]
        .as_object()
        .into_iter()
        .flat_map(|h| h.values())
    {
        for group in groups.as_array().unwrap() {
            for hook in group["hooks"].as_array().unwrap() {
                out.push(hook["command"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// The `--json` report's steps with this outcome and `what`.
fn steps<'r>(report: &'r Value, outcome: &str, what: &str) -> Vec<&'r Value> {
    report["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in {report:#}"))
        .iter()
        .filter(|s| s["outcome"] == outcome && s["what"] == what)
        .collect()
}

/// The `--json` contract: these fields and no others, typed (the steps' own fields depend on
/// their `what`: see `steps_have_an_outcome_a_path_and_what`).
#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct ReportJson {
    project_dir: String,
    dry_run: bool,
    upgraded: Vec<String>,
    skipped: Vec<String>,
    errors: Vec<String>,
    notes: Vec<String>,
    changed_files: Vec<String>,
    backup_dir: Option<String>,
    steps: Vec<serde_json::Map<String, Value>>,
    diff: Option<String>,
}

impl ReportJson {
    /// Parses a report and checks what holds for every one: each step has an outcome, a path
    /// (or null) and a `what`, and for instar's MigrationResult each outcome has as many
    /// sentences as steps.
    #[track_caller]
    fn parse(stdout: &str) -> ReportJson {
        let r: ReportJson = serde_json::from_str(stdout)
            .unwrap_or_else(|e| panic!("not the --json report ({e}):\n{stdout}"));
        let count = |outcome: &str| r.steps.iter().filter(|s| s["outcome"] == outcome).count();
        for step in &r.steps {
            assert!(
                ["upgraded", "skipped", "note", "error"]
                    .contains(&step["outcome"].as_str().unwrap()),
                "{step:?}"
            );
            assert!(step["what"].is_string(), "{step:?}");
            assert!(
                step["path"].is_string() || step["path"].is_null(),
                "{step:?}"
            );
        }
        assert_eq!(
            [
                r.upgraded.len(),
                r.skipped.len(),
                r.notes.len(),
                r.errors.len()
            ],
            [
                count("upgraded"),
                count("skipped"),
                count("note"),
                count("error")
            ],
            "{stdout}"
        );
        r
    }
}

fn settings_path_filters() -> insta::Settings {
    let mut s = snapshot_settings!();
    s.add_filter(r#""/[^"]*/project""#, r#""[PROJECT]""#);
    s.add_filter(r"\(\d+ bytes", "([SIZE] bytes");
    s.add_filter(r#""bytes": \d+"#, r#""bytes": [SIZE]"#);
    s.add_filter(r"\d{8}T\d{6}Z(-\d+)?", "[STAMP]");
    s
}
