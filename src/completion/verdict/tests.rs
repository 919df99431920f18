use super::*;
use crate::evidence::shell::command_list;

fn status(line: &str, runner: &str) -> (bool, bool) {
    let commands = command_list(line);
    let at = commands
        .iter()
        .position(|c| c.words.first().is_some_and(|w| w == runner))
        .expect("the runner is in the line");
    let d = status::decisive(&commands, at, "");
    (d.success, d.failure)
}

#[test]
fn whose_exit_status_is_the_lines() {
    for (line, want) in [
        ("cargo test", (true, true)),
        ("cargo test;", (true, true)),
        ("cd api && cargo test", (true, true)),
        (
            "export RUST_LOG=debug && cargo test && echo done",
            (true, true),
        ),
        ("cargo build; cargo test", (true, true)),
        ("cargo build && cargo test", (true, false)),
        ("cargo test && git push", (true, false)),
        ("cargo test | tail -20", (false, false)),
        ("cargo test; echo $?", (false, false)),
        ("cargo test || true", (false, false)),
        ("false || cargo test", (false, false)),
        ("(cd api && cargo test)", (false, false)),
        ("echo $(cargo test)", (false, false)),
        ("! cargo test", (false, false)),
        ("npm start & cargo test", (true, true)),
    ] {
        let runner = if line.starts_with('!') { "!" } else { "cargo" };
        let got = if line == "cargo build && cargo test" || line == "cargo build; cargo test" {
            let commands = command_list(line);
            let d = status::decisive(&commands, 1, "");
            (d.success, d.failure)
        } else {
            status(line, runner)
        };
        assert_eq!(got, want, "{line}");
    }
    // `cd` that failed says so: then the status is not the runner's.
    let commands = command_list("cd missing && cargo test");
    let d = status::decisive(&commands, 1, "bash: cd: missing: No such file or directory");
    assert!(!d.failure);
}

#[test]
fn the_why_reads_as_evidence() {
    assert_eq!(
        Why::ExitStatus {
            code: 1,
            summary: Some("2 failed, 40 passed".into())
        }
        .to_string(),
        "exited 1: 2 failed, 40 passed"
    );
    assert_eq!(
        Why::Summary {
            line: "114 fail".into()
        }
        .to_string(),
        "reported \"114 fail\""
    );
    assert_eq!(
        Why::NoMatchingRun.to_string(),
        "no matching command ran in this turn"
    );
}

#[test]
fn judgements_serialize_with_typed_reasons() {
    let j = Judgement {
        verdict: Verdict::Refuted,
        run: Some(2),
        why: Why::ExitStatus {
            code: 101,
            summary: Some("test result: FAILED. 1 failed".into()),
        },
    };
    assert_eq!(
        serde_json::to_string(&j).unwrap(),
        r#"{"verdict":"refuted","run":2,"why":{"by":"exit_status","code":101,"summary":"test result: FAILED. 1 failed"}}"#
    );
}

#[test]
fn subset_keywords() {
    assert_eq!(keywords("new parser"), ["parser"]);
    assert_eq!(
        keywords("integration `tests/api/`"),
        ["integration", "tests/api"]
    );
    assert_eq!(keywords("cargo test -p store"), ["store"]);
    assert!(keywords("the new").is_empty());
}

fn claim(subject: Subject) -> CompletionClaim {
    CompletionClaim {
        subject,
        phrase: String::new(),
        span: 0..0,
    }
}

#[test]
fn judge_without_the_classifier() {
    let tests = claim(Subject::Check {
        kind: CheckKind::Tests,
        scope: Scope::All,
    });
    let run = |command, outcome, output| Run {
        command,
        outcome,
        output,
        background: false,
    };
    let failing = run(
        "cargo test",
        Outcome::Failed {
            exit_code: Some(101),
        },
        "test result: FAILED. 1 passed; 1 failed; 0 ignored\n",
    );
    let passing = run(
        "cargo test",
        Outcome::Succeeded,
        "test result: ok. 2 passed; 0 failed; 0 ignored\n",
    );
    assert_eq!(
        judge(&tests, std::slice::from_ref(&failing)).verdict,
        Verdict::Refuted
    );
    let j = judge(&tests, &[failing.clone(), passing.clone()]);
    assert_eq!((j.verdict, j.run), (Verdict::Supported, Some(1)));
    assert_eq!(judge(&tests, &[]).why, Why::NoMatchingRun);
    let subset = claim(Subject::Check {
        kind: CheckKind::Tests,
        scope: Scope::Subset {
            what: "lexer".into(),
        },
    });
    assert!(matches!(
        judge(&subset, std::slice::from_ref(&failing)).why,
        Why::SubsetUndecided { .. }
    ));
    let push = claim(Subject::Action { verb: "push" });
    assert_eq!(judge(&push, &[passing]).why, Why::NoMatchingRun);
    let fix = claim(Subject::Action { verb: "fix" });
    assert_eq!(judge(&fix, &[failing]).why, Why::NoCommandForVerb);
    assert_eq!(
        CheckKind::ALL.map(CheckKind::name),
        ["tests", "build", "lint", "typecheck"]
    );
}
