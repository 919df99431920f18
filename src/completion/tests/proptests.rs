//! Property tests: `claims` never panics, each phrase is the text at its span, the work stays
//! linear; `judge`, the output reader, `mask_secrets` and `excerpt` never panic and stay
//! within their bounds on any input. Long runs: `PROPTEST_CASES=100000 cargo test --lib
//! completion::tests::proptests`.

use crate::completion::secrets::{excerpt, mask_secrets};
use crate::completion::verdict::{Outcome, Run, judge};
use crate::completion::{CLAIMS_MAX, PHRASE_MAX, claims};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "all",
    "tests",
    "test",
    "pass",
    "passes",
    "passed",
    "passing",
    "green",
    "clean",
    "the",
    "build",
    "builds",
    "compiles",
    "lint",
    "clippy",
    "typecheck",
    "tsc",
    "no",
    "0",
    "42/42",
    "9/11",
    "of",
    "suite",
    "I",
    "I've",
    "pushed",
    "merged",
    "deployed",
    "fixed",
    "rolled",
    "back",
    "has",
    "been",
    "is",
    "it's",
    "and",
    "but",
    "except",
    "should",
    "will",
    "if",
    "once",
    "CI",
    "says",
    "you",
    "not",
    "fail",
    "fails",
    "failures",
    "2",
    "errors",
    "warnings",
    "issues",
    "`cargo test`",
    "`npm run lint`",
    "`test_x`",
    "new",
    "parser",
    "in",
    "✅",
    "❌",
    "Done",
    "Ran",
    "reran",
    "re-ran",
    "rerun",
    "é",
    "日本",
    "🚀",
];
const MARKS: &[&str] = &[
    " ", " ", " ", ". ", "? ", "! ", ", ", ": ", "; ", " — ", " - ", "\n", "\n\n", "\n- ",
    "\n- [ ] ", "`", "```\n", "\n```", "\"", "“", "”", "'", "> ", "# ", "(", ")", "…", "*", "|",
    "\r\n", "\t",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(WORDS).prop_map(str::to_string),
            2 => prop::sample::select(MARKS).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..120,
    )
    .prop_map(|parts| parts.concat())
}

const COMMANDS: &[&str] = &[
    "cargo test",
    "npm test",
    "git push",
    "cd x && ",
    "| tail -5",
    "; echo",
    "|| true",
    "&",
    "&&",
    "$(",
    ")",
    "`",
    "'",
    "\"",
    "bash -c",
    "pytest -k",
    "go test ./...",
    "make test",
    "npm run test:unit",
    "mise exec --",
    "timeout 30",
    "2>&1",
    "\n",
];
const OUTPUTS: &[&str] = &[
    "test result: FAILED. 1 passed; 2 failed;",
    "test result: ok. 3 passed; 0 failed;",
    "Tests:       1 failed, 2 passed",
    "=== 1 failed, 2 passed in 0.1s ===",
    "--- FAIL: TestX",
    "FAIL\tpkg\t0.1s",
    "ok  \tpkg\t0.1s",
    "Exit code 1",
    "error[E0425]",
    "CONFLICT (",
    "\n",
    "\r",
    "\u{1b}[31m",
    "✖ 1 problem (1 error, 0 warnings)",
    "Found 2 errors.",
    " ! [rejected]",
    "npm ERR! Test failed",
    "→",
];

fn pieces(from: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(from).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..30,
    )
    .prop_map(|p| p.join(" "))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let found = claims(text);
    prop_assert!(found.len() <= CLAIMS_MAX);
    for c in &found {
        prop_assert!(
            text.get(c.span.clone()).is_some(),
            "span on char boundaries"
        );
        prop_assert_eq!(&text[c.span.clone()], c.phrase.as_str());
        prop_assert!(c.phrase.len() <= PHRASE_MAX);
        prop_assert!(!c.phrase.is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn claims_never_panic_and_phrases_are_the_text_at_their_spans(text in soup()) {
        check(&text)?;
    }

    #[test]
    fn claims_on_any_unicode(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn the_gate_never_changes_what_is_found(text in soup()) {
        prop_assert_eq!(claims(&text), crate::completion::claims_ungated(&text));
    }


    #[test]
    fn judge_never_panics(text in soup(), command in pieces(COMMANDS), output in pieces(OUTPUTS), code in prop::option::of(-2i32..300), bg: bool) {
        let runs = [Run {
            command: &command,
            outcome: Outcome::Failed { exit_code: code },
            output: &output,
            background: bg,
        }, Run {
            command: &command,
            outcome: Outcome::Succeeded,
            output: &output,
            background: false,
        }];
        for c in claims(&text).iter().chain(claims("All tests pass. Pushed. Build green. Lint clean. Merged. The parser tests pass.").iter()) {
            let j = judge(c, &runs);
            prop_assert!(j.run.is_none_or(|r| r < runs.len()));
        }
    }

    #[test]
    fn masking_and_excerpts_are_bounded_and_char_safe(s in pieces(&["https://u:p@h/x?token=abc&x=1", "Authorization: Bearer xyz", "--password", "GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaa", "-pSECRET", "mysql", "é", "🚀", "\u{1b}[1m"]), max in 0usize..200) {
        let masked = mask_secrets(&s, max);
        prop_assert!(masked.len() <= max, "{} > {max}", masked.len());
        let line = excerpt(&s, max);
        prop_assert!(line.len() <= max, "{} > {max}", line.len());
        let clean = !line.contains('\n') && !line.contains('\u{1b}');
        prop_assert!(clean, "control characters left in {:?}", line);
    }
}

proptest! {
    // Fewer cases: each is hundreds of KiB.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn claims_stay_linear(parts in prop::collection::vec(soup(), 1..4), copies in 100usize..400) {
        // The densest input we generate, repeated: a quadratic pass would take minutes;
        // linear work takes a second or two unoptimised. The bound is generous on purpose.
        let text = parts.concat().repeat(copies);
        let t = std::time::Instant::now();
        check(&text)?;
        prop_assert!(t.elapsed() < std::time::Duration::from_secs(10), "{} bytes took {:?}", text.len(), t.elapsed());
    }
}
