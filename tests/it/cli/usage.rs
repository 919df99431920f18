//! What every command shares: usage errors (exit 2, nothing on stdout), a project dir that does
//! not exist, shell completions, help for every command, and a closed stdout that is not an
//! error.

use crate::harness::Project;
use crate::snapshot_settings;

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
