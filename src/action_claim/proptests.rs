//! Property tests: the classifier never panics, its claim is always the text at its span,
//! and its work stays linear. Generators mix the words the grammar cares about with
//! punctuation, markdown, quotes and arbitrary Unicode, so random input reaches deep paths.
//! Long runs: `PROPTEST_CASES=100000 cargo test --lib action_claim::proptests`.

use super::*;
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "I'll",
    "I’ll",
    "I",
    "will",
    "I'm",
    "Im",
    "am",
    "we're",
    "we'll",
    "let",
    "me",
    "let's",
    "going",
    "to",
    "about",
    "gonna",
    "not",
    "won't",
    "never",
    "probably",
    "just",
    "quickly",
    "go",
    "ahead",
    "and",
    "then",
    "try",
    "be",
    "start",
    "get",
    "have",
    "kick",
    "off",
    "a",
    "the",
    "restart",
    "restarting",
    "restarted",
    "push",
    "pushing",
    "pushed",
    "merge",
    "merging",
    "deploy",
    "redeploy",
    "roll",
    "back",
    "rollback",
    "re-run",
    "rerun",
    "fix",
    "fixing",
    "fixed",
    "ship",
    "publish",
    "rebuild",
    "rebase",
    "reboot",
    "reload",
    "relaunch",
    "if",
    "you",
    "once",
    "when",
    "know",
    "server",
    "now",
    "it",
    "is",
    "requires",
    "that",
    "since",
    "Done",
    "OK",
    "again",
    "more",
    "run",
    "running",
    "start",
    "build",
    "need",
    "have",
    "should",
    "do",
    "doing",
    "said",
    "wrote",
    "which",
    "by",
    "so",
    "make",
    "sure",
    "squash-merge",
    "force-push",
    "hotfix",
    "é",
    "🚀",
    "日本",
];
const MARKS: &[&str] = &[
    " ", " ", " ", ". ", "? ", "! ", ", ", ": ", "; ", " — ", " - ", "\n", "\n\n", "\n- ", "\n1. ",
    "`", "```\n", "\n```", "\"", "“", "”", "'", "‘", "’", "> ", "# ", "(", ")", "…", "*", "_", "|",
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

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Some(c) = classify(text) {
        prop_assert!(
            text.get(c.span.clone()).is_some(),
            "span on a char boundary"
        );
        prop_assert_eq!(&text[c.span.clone()], c.phrase.as_str());
        prop_assert!(c.phrase.len() <= PHRASE_MAX);
        prop_assert!(!c.phrase.is_empty());
        prop_assert!(lexicon::VERBS.contains(&c.verb));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_and_the_phrase_is_the_text_at_the_span(text in soup()) {
        check(&text)?;
    }

    #[test]
    fn any_unicode_at_all(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn big_inputs_stay_fast(parts in prop::collection::vec(soup(), 1..4), copies in 100usize..400) {
        // Hundreds of KiB of the densest input we generate: a quadratic pass would take
        // minutes; linear work takes milliseconds. The bound is generous on purpose.
        let text = parts.concat().repeat(copies);
        let t = std::time::Instant::now();
        check(&text)?;
        prop_assert!(t.elapsed() < std::time::Duration::from_secs(3), "{} bytes took {:?}", text.len(), t.elapsed());
    }
}
