//! `instar-hooks commitments`: list (open ones, `--all`, the `--json` fields, the evidence and
//! delivery columns, an empty project), show and resolve with their errors, and flush without
//! forwarding configured.

use crate::harness::Project;
use crate::snapshot_settings;

#[test]
fn commitments_list_shows_open_ones_and_all_with_all() {
    let p = Project::enabled();
    p.stop("I'll restart the server.").run().silent_success();
    p.stop("Pushing the fix now.").run().silent_success();
    p.cli(&[
        "commitments",
        "resolve",
        "AC-002",
        "--note",
        "pushed by hand",
    ])
    .run()
    .code(0)
    .stdout("AC-002 resolved: pushed by hand\n");

    let open = p.cli(&["commitments", "list"]).run().code(0);
    let all = p.cli(&["commitments", "list", "--all"]).run().code(0);
    assert!(open.stdout.contains("AC-001") && !open.stdout.contains("AC-002"));
    assert!(all.stdout.contains("AC-002") && all.stdout.contains("resolved"));
    let json = p
        .cli(&["commitments", "list", "--all", "--json"])
        .run()
        .code(0);
    let mut settings = snapshot_settings!();
    // Ages and time left depend on how fast the test runs.
    settings.add_filter(r"(in )?\d+ (s|min|h|d)( \d+ min)?( ago)?", "[DURATION]");
    settings.bind(|| {
        insta::assert_snapshot!("commitments_list_table", all.stdout);
        insta::assert_snapshot!("commitments_list_json", json.stdout);
    });
}

/// The `--json` contract: an array of commitments with these fields, typed.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Listed {
    id: String,
    external_key: String,
    topic: String,
    verb: String,
    phrase: String,
    status: String,
    created_at: String,
    updated_at: String,
    expires_at: String,
}

#[test]
fn commitments_list_json_has_the_documented_fields() {
    let p = Project::enabled();
    p.stop("I'll deploy it now.").run().silent_success();
    let out = p.cli(&["commitments", "list", "--json"]).run().code(0);
    let rows: Vec<Listed> = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].verb.as_str(), rows[0].status.as_str()),
        ("deploy", "open")
    );
    assert!(rows[0].external_key.starts_with("actionclaim:"));
}

#[test]
fn commitments_show_and_resolve_errors_exit_2_with_a_hint() {
    let p = Project::enabled();
    p.stop("I'll merge it.").run().silent_success();
    p.cli(&["commitments", "show", "AC-001"])
        .run()
        .code(0)
        .stdout_contains("said:       I'll merge it");
    p.cli(&["commitments", "show", "AC-404"])
        .run()
        .code(2)
        .stderr_contains("error: no commitment with id `AC-404`")
        .stderr_contains("hint: ");
    p.cli(&["commitments", "resolve", "AC-001"]).run().code(0);
    p.cli(&["commitments", "resolve", "AC-001"])
        .run()
        .code(2)
        .stderr_contains("already resolved");
    let out = p
        .cli(&["commitments", "show", "AC-404", "--json"])
        .run()
        .code(2);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["type"], "error");
    assert_eq!(v["data"]["kind"], "no-such-commitment");
}

#[test]
fn an_empty_project_lists_nothing() {
    let p = Project::new();
    p.cli(&["commitments", "list", "--json"])
        .run()
        .code(0)
        .stdout("[]\n");
    p.cli(&["commitments", "list"])
        .run()
        .code(0)
        .stdout_contains("No open commitments");
}

#[test]
fn flush_needs_forwarding_configured() {
    let p = Project::enabled();
    p.cli(&["commitments", "flush"])
        .run()
        .code(2)
        .stderr_contains("forwarding is not configured");
}

#[test]
fn list_shows_evidence_and_delivery_columns() {
    let p = Project::enabled();
    p.stop("I'll deploy it now.").run().silent_success();
    let out = p.cli(&["commitments", "list"]).run().code(0);
    let header = out.stdout.lines().next().unwrap();
    for col in ["EVIDENCE", "SERVER", "PHRASE"] {
        assert!(header.contains(col), "{header}");
    }
}
