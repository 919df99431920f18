//! How both CLIs report what went wrong: `error: …` and `hint: …` on stderr, the `--json`
//! error object on stdout, the parser's usage errors, and the exit code 2. Snapshots pin the
//! words; the contract (exit code, the JSON object's fields and types) is checked directly.

use crate::harness::{Output, Project};
use crate::snapshot_settings;

/// The `--json` error object, exactly: no field more or less.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ErrorJson {
    #[serde(rename = "type")]
    type_: String,
    data: ErrorData,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ErrorData {
    kind: String,
    path: Option<String>,
    message: String,
    hint: Option<String>,
}

/// A failed run's `--json` error object, after checking what every one holds: one line, of
/// type `error`, and the same message and hint as stderr.
#[track_caller]
fn error_json(out: &Output) -> ErrorData {
    assert_eq!(out.stdout.lines().count(), 1, "one line: {}", out.stdout);
    let e: ErrorJson = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(e.type_, "error");
    assert!(
        out.stderr
            .starts_with(&format!("error: {}\n", e.data.message)),
        "{}",
        out.stderr
    );
    if let Some(hint) = &e.data.hint {
        assert!(
            out.stderr.ends_with(&format!("hint: {hint}\n")),
            "{}",
            out.stderr
        );
    }
    e.data
}

#[test]
fn instar_hooks_names_the_problem_and_the_fix() {
    let p = Project::enabled();
    let human = p.cli(&["commitments", "show", "AC-404"]).run().code(2);
    assert_eq!(human.stdout, "", "nothing on stdout without --json");
    let json = p
        .cli(&["commitments", "show", "AC-404", "--json"])
        .run()
        .code(2);
    let e = error_json(&json);
    assert_eq!(
        (e.kind.as_str(), e.path.as_deref()),
        ("no-such-commitment", None)
    );
    assert_eq!(human.stderr, json.stderr, "the same words with --json");
    snapshot_settings!().bind(|| {
        insta::assert_snapshot!("cli_error_no_such_commitment", human.stderr);
        insta::assert_snapshot!("cli_error_no_such_commitment_json", json.stdout);
    });
}

#[test]
fn an_error_about_a_file_names_it_in_both_forms() {
    let p = Project::new().file(".instar/config.json", "{ \"port\": ");
    let human = p.cli(&["config", "get", "port", "--project"]).run().code(2);
    let json = p
        .cli(&["config", "get", "port", "--project", "--json"])
        .run()
        .code(2);
    let e = error_json(&json);
    assert_eq!(e.kind, "parse");
    assert_eq!(
        e.path.as_deref(),
        Some(p.path().join(".instar/config.json").to_str().unwrap())
    );
    assert!(e.hint.is_some());
    snapshot_settings!().bind(|| {
        insta::assert_snapshot!("cli_error_parse", human.stderr);
        insta::assert_snapshot!("cli_error_parse_json", json.stdout);
    });
}

#[test]
fn instar_migrate_names_a_missing_project() {
    let p = Project::new();
    let human = p
        .migrate(&["--project-dir", "/nonexistent/x"])
        .run()
        .code(2);
    assert_eq!(human.stdout, "");
    let json = p
        .migrate(&["--json", "--project-dir", "/nonexistent/x"])
        .run()
        .code(2);
    let e = error_json(&json);
    assert_eq!(
        (e.kind.as_str(), e.path.as_deref()),
        ("io", Some("/nonexistent/x"))
    );
    snapshot_settings!().bind(|| {
        insta::assert_snapshot!("migrate_error_no_project", human.stderr);
        insta::assert_snapshot!("migrate_error_no_project_json", json.stdout);
    });
}

/// A command line that does not parse: the parser's words and the usage, on stderr only
/// (even with `--json`), exit 2.
#[test]
fn a_usage_error_shows_the_usage_and_nothing_on_stdout() {
    let p = Project::enabled();
    let cli = p
        .cli(&[
            "commitments",
            "resolve",
            "AC-001",
            "--note",
            "x",
            "--rejected",
            "--json",
        ])
        .run()
        .code(2)
        .stdout("");
    let migrate = p
        .migrate(&["--json", "--enable", "nope"])
        .run()
        .code(2)
        .stdout("");
    snapshot_settings!().bind(|| {
        insta::assert_snapshot!("cli_usage_error", cli.stderr);
        insta::assert_snapshot!("migrate_usage_error", migrate.stderr);
    });
}
