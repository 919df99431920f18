use crate::harness::Project;
use crate::snapshot_settings;

#[test]
fn classify_answers_each_line_in_order_and_survives_bad_lines() {
    let p = Project::new();
    let input = concat!(
        r#"{"text": "Relaunching the server now."}"#,
        "\n",
        "not json\n",
        r#"{"text": "Let me know if you want me to restart it."}"#,
        "\n",
        r#"{"txt": "x"}"#,
        "\n",
        r#"{"text": 42}"#,
        "\n",
        r#"{"text": "I’ll quickly restart the worker, then report back."}"#,
        "\n",
    );
    let out = p.cli(&["classify"]).stdin(input).run().code(0);
    snapshot_settings!().bind(|| insta::assert_snapshot!("classify_jsonl", out.stdout));
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["claim"], true);
    assert!(lines[1]["error"].is_string());
    assert_eq!(
        lines[2],
        serde_json::json!({"claim": false, "verb": null, "phrase": null})
    );
}

#[test]
fn classify_handles_empty_input_and_crlf() {
    let p = Project::new();
    p.cli(&["classify"]).stdin("").run().code(0).stdout("");
    p.cli(&["classify"])
        .stdin("{\"text\": \"Pushing now.\"}\r\n")
        .run()
        .code(0)
        .stdout("{\"claim\":true,\"verb\":\"push\",\"phrase\":\"Pushing now\"}\n");
}

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
fn a_missing_project_dir_is_an_error_naming_it() {
    let p = Project::new();
    p.cli(&["commitments", "list", "--project-dir", "/nonexistent/x"])
        .run()
        .code(2)
        .stderr_contains("/nonexistent/x");
}

#[test]
fn bad_usage_exits_2() {
    let p = Project::new();
    p.cli(&["frobnicate"])
        .run()
        .code(2)
        .stderr_contains("unrecognized subcommand 'frobnicate'");
    p.cli(&["commitments", "list", "--bogus"]).run().code(2);
    p.cli(&["commitments", "show"])
        .run()
        .code(2)
        .stderr_contains("required arguments were not provided:\n  <ID>");
}

/// What the hand-written parsers let through: each flag is accepted only by the command it
/// belongs to, once, and flags that exclude each other are refused together; all are usage
/// errors (exit 2, nothing on stdout), even with `--json`.
#[test]
fn a_flag_of_another_command_or_a_conflicting_one_is_a_usage_error() {
    let p = Project::enabled();
    p.stop("I'll merge it.").run().silent_success();
    for (args, why) in [
        (
            &["commitments", "list", "--note", "x"][..],
            "unexpected argument '--note'",
        ),
        (
            &[
                "commitments",
                "resolve",
                "AC-001",
                "--note",
                "x",
                "--rejected",
            ],
            "unexpected argument '--rejected'",
        ),
        (
            &["commitments", "flush", "--all", "--json"],
            "unexpected argument '--all'",
        ),
        (
            &["commitments", "show", "AC-001", "AC-002"],
            "unexpected argument 'AC-002'",
        ),
        (
            &["commitments", "list", "--all", "--all"],
            "cannot be used multiple times",
        ),
        (
            &["config", "list", "--user"],
            "unexpected argument '--user'",
        ),
        (
            &["config", "get", "port", "--user", "--project"],
            "'--user' cannot be used with '--project'",
        ),
        (&["config", "set", "port"], "<VALUE>"),
        (
            &["resume-queue", "status", "--dry-run"],
            "unexpected argument '--dry-run'",
        ),
        (&["doctor", "--all"], "unexpected argument '--all'"),
        (&["classify", "--json"], "unexpected argument '--json'"),
        (&["--json", "doctor"], "unexpected argument '--json'"),
        (&["completions", "tcsh"], "invalid value 'tcsh'"),
    ] {
        p.cli(args)
            .run()
            .code(2)
            .stdout("")
            .stderr_contains("error: ")
            .stderr_contains(why);
    }
    // Nothing was resolved by the refused `resolve`.
    let c = p.commitments();
    assert_eq!(c[0]["status"], "open", "{c:#?}");
}

#[test]
fn completions_cover_every_command_and_flag() {
    let p = Project::new();
    let bash = p.cli(&["completions", "bash"]).run().code(0).stdout;
    for word in [
        "commitments",
        "resume-queue",
        "--rejected",
        "--project-dir",
        "heal",
    ] {
        assert!(
            bash.contains(word),
            "{word} missing from the bash completions"
        );
    }
    let zsh = p.cli(&["completions", "zsh"]).run().code(0).stdout;
    assert!(zsh.starts_with("#compdef instar-hooks"), "{zsh}");
    let migrate = p.migrate(&["--completions", "fish"]).run().code(0).stdout;
    assert!(
        migrate.contains("complete -c instar-migrate -l enable")
            && migrate.contains("action-claim"),
        "{migrate}"
    );
    // Alone, or not at all: it is not a flag of a migration.
    p.migrate(&["--completions", "bash", "--dry-run"])
        .run()
        .code(2);
}

#[test]
fn every_command_has_help() {
    let p = Project::new();
    for args in [
        &["--help"][..],
        &["help"],
        &["classify", "--help"],
        &["commitments", "--help"],
        &["commitments", "list", "--help"],
        &["claims", "--help"],
    ] {
        p.cli(args)
            .run()
            .code(0)
            .stdout_contains("Usage: instar-hooks");
    }
    // A command that needs a subcommand, run without one, prints its help.
    for (args, usage) in [
        (&[][..], "Usage: instar-hooks [COMMAND]"),
        (
            &["commitments"],
            "Usage: instar-hooks commitments [OPTIONS] [COMMAND]",
        ),
        (
            &["config"],
            "Usage: instar-hooks config [OPTIONS] [COMMAND]",
        ),
        (
            &["resume-queue"],
            "Usage: instar-hooks resume-queue [OPTIONS] [COMMAND]",
        ),
    ] {
        p.cli(args)
            .run()
            .code(0)
            .stdout_contains(usage)
            .stdout_contains("Exit codes:");
    }
    let help = p.cli(&["--help"]).run().code(0);
    snapshot_settings!().bind(|| insta::assert_snapshot!("cli_help", help.stdout));
    let claims = p.cli(&["claims", "--help"]).run().code(0);
    snapshot_settings!().bind(|| insta::assert_snapshot!("claims_help", claims.stdout));
    p.cli(&["--version"])
        .run()
        .code(0)
        .stdout_contains("instar-hooks ");
}

#[test]
fn doctor_exits_1_with_the_fix_when_the_hook_is_not_wired() {
    let p = Project::enabled();
    let out = p.cli(&["doctor"]).run().code(1);
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_unwired_table", out.stdout));
    assert!(
        out.stdout
            .contains("PROBLEM registered  action-claim-followthrough is not registered")
    );
    assert!(out.stdout.contains("fix: instar-migrate --project-dir "));
    let json = p.cli(&["doctor", "--json"]).run().code(1);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["problems"], 4, "two hooks unregistered, two not deployed");
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_unwired_json", json.stdout));
}

#[test]
fn doctor_exits_0_after_instar_migrate() {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    let out = p.cli(&["doctor"]).run().code(0);
    assert!(
        out.stdout.ends_with("No problems found.\n"),
        "{}",
        out.stdout
    );
    snapshot_settings!().bind(|| insta::assert_snapshot!("doctor_wired_table", out.stdout));
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

#[test]
fn config_set_writes_where_asked_and_says_what_would_take_effect() {
    // An instar agent switched off in the user file: `set` writes the project file, as
    // documented, but a false in any file wins; it says which change would switch it on.
    let p = Project::new().file(".instar/config.json", "{}\n").file(
        "../config/instar-hooks/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    let user = p.root().join("config/instar-hooks/config.json");
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true"])
        .run()
        .code(0)
        .stdout;
    assert!(out.contains(".instar/config.json\n"), "{out}");
    assert!(
        out.contains(&format!(
            "the hooks still use actionClaim.enabled = false ({})\n",
            user.display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with(
            "to make it take effect here: instar-hooks config unset actionClaim.enabled --user\n"
        ),
        "{out}"
    );
    p.cli(&["config", "unset", "actionClaim.enabled", "--user"])
        .run()
        .code(0)
        .stdout_contains("the hooks now use actionClaim.enabled = true (");

    // An explicit scope is done exactly as asked, even where it does not take effect.
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true", "--user"])
        .run()
        .code(0)
        .stdout;
    assert!(
        out.starts_with(&format!(
            "set actionClaim.enabled = true in {}\n",
            p.root().join("config/instar-hooks/config.json").display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "to make it take effect here: instar-hooks config set actionClaim.enabled true --project --project-dir {}\n",
            p.path().display()
        )),
        "{out}"
    );
    // Where it takes effect, no hint.
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true", "--project"])
        .run()
        .code(0)
        .stdout;
    assert!(!out.contains("take effect"), "{out}");
}

#[test]
fn doctor_reports_a_hook_under_the_wrong_event_and_instar_migrate_moves_it() {
    let p = Project::enabled();
    p.migrate(&[]).run().code(0);
    let path = p.path().join(".claude/settings.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let stop = doc["hooks"]["Stop"].as_array_mut().unwrap().remove(0);
    doc["hooks"]["UserPromptSubmit"]
        .as_array_mut()
        .unwrap()
        .push(stop);
    std::fs::write(&path, doc.to_string()).unwrap();
    let json: serde_json::Value = p.cli(&["doctor", "--json"]).run().code(1).json();
    let registered: Vec<&serde_json::Value> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "registered" && c["level"] == "problem")
        .collect();
    assert_eq!(registered.len(), 2, "{json:#}");
    assert_eq!(
        registered[0]["detail"],
        "action-claim-followthrough is registered for UserPromptSubmit in .claude/settings.json (UserPromptSubmit[1]), but it is a Stop hook: there it runs on input it is not made for, and never on Stop"
    );
    assert!(
        registered[0]["fix"]
            .as_str()
            .unwrap()
            .ends_with("(it moves it to Stop)"),
        "{json:#}"
    );
    assert_eq!(
        registered[1]["detail"],
        "action-claim-followthrough is not registered for Stop in any Claude Code settings file (local, project or user)"
    );
    p.migrate(&[]).run().code(0);
    let out = p.cli(&["doctor"]).run().code(0);
    assert!(
        out.stdout.ends_with("No problems found.\n"),
        "{}",
        out.stdout
    );
}

/// `instar-hooks … | head`: once the reader has gone, the run ends as it would have (help, a
/// report, a stream of results: 0; findings: 1), and says nothing about the pipe.
#[test]
fn a_closed_stdout_is_not_an_error() {
    let p = Project::enabled();
    p.stop("I'll restart the server.").run().silent_success();
    let long_input = "{\"text\": \"Pushing now.\"}\n".repeat(10_000);
    for (run, code) in [
        (p.cli(&["--help"]), 0),
        (p.cli(&["commitments", "list", "--all"]), 0),
        (p.cli(&["completions", "bash"]), 0),
        (p.cli(&["config", "list", "--json"]), 0),
        (p.cli(&["doctor"]), 1),
        (p.cli(&["classify"]).stdin(long_input), 0),
        (p.migrate(&["--help"]), 0),
        (p.migrate(&["--dry-run"]), 0),
    ] {
        let out = run.stdout_closed().run().code(code);
        assert_eq!(out.stderr, "", "{}", out.desc);
    }
}
