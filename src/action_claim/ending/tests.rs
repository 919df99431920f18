//! `ending` on both sides: the labelled set (`tests/data/action_claim_ending.jsonl`, a
//! `nudge` field per message), the shapes one at a time, and properties (never panics, the
//! phrase is the text at its span, linear).

use super::*;
use proptest::prelude::*;

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    /// "promise", "next-step" or null.
    nudge: Option<String>,
    /// What `classify` says (the same verb as the promise when `nudge` is "promise"; the
    /// set is also one of `classify`'s labelled sets).
    verb: Option<String>,
    category: String,
}

fn label(e: &Option<Ending>) -> (Option<&'static str>, Option<&'static str>) {
    match e.as_ref().map(|e| e.kind) {
        Some(EndingKind::Promise { verb }) => (Some("promise"), Some(verb)),
        Some(EndingKind::NextStep) => (Some("next-step"), None),
        None => (None, None),
    }
}

/// Runs `ending` over a labelled set and fails listing every message it gets wrong.
fn assert_endings(name: &str, jsonl: &str) {
    let mut failures = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}:{}: {e}", n + 1));
        let got = ending(&case.text);
        let want_verb = case
            .verb
            .as_deref()
            .filter(|_| case.nudge.as_deref() == PROMISE);
        if label(&got) != (case.nudge.as_deref(), want_verb) {
            failures.push(format!(
                "{name}:{} [{}] {:?}\n    expected {:?} {:?}, got {:?}",
                n + 1,
                case.category,
                case.text,
                case.nudge,
                want_verb,
                got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Written before `ending` was: on its first run, 25 of the 26 nudges found, no false one.
#[test]
fn labelled_endings() {
    assert_endings(
        "action_claim_ending.jsonl",
        include_str!("../../../tests/data/action_claim_ending.jsonl"),
    );
}

/// Written after, to check that the rules generalise: on its first run, 16 of 16 nudges
/// found, no false one among 33 messages that must not nudge.
#[test]
fn labelled_endings_second_set() {
    assert_endings(
        "action_claim_ending_second.jsonl",
        include_str!("../../../tests/data/action_claim_ending_second.jsonl"),
    );
}

#[track_caller]
fn nudge(text: &str) -> (Option<&'static str>, Option<&'static str>) {
    label(&ending(text))
}

const PROMISE: Option<&str> = Some("promise");
const NEXT_STEP: Option<&str> = Some("next-step");

#[test]
fn the_phrase_is_the_promise_at_its_span() {
    let text = "The worker caches its config.\n\nLet me restart the worker now.";
    let e = ending(text).unwrap();
    assert_eq!(e.kind, EndingKind::Promise { verb: "restart" });
    assert_eq!(e.phrase, "Let me restart the worker now");
    assert_eq!(&text[e.span.clone()], e.phrase);
    let text = "Good catch. **Let me look at how the key is built:**";
    let e = ending(text).unwrap();
    assert_eq!(e.kind, EndingKind::NextStep);
    assert_eq!(e.phrase, "Let me look at how the key is built");
    assert_eq!(&text[e.span.clone()], e.phrase);
}

#[test]
fn what_may_follow_the_promise() {
    for (text, want) in [
        (
            "Pushing the fix now. Let me know if anything else breaks.",
            PROMISE,
        ),
        (
            "Pushing the fix now. Thanks for the report! Hope this helps.",
            PROMISE,
        ),
        (
            "Let me redeploy it now. That should pick up the new key.",
            PROMISE,
        ),
        ("Pushing the fix now. 🚀", PROMISE),
        // More content, a question, a list, code, a table.
        (
            "Pushing the fix now. The parser now accepts trailing commas in arrays.",
            None,
        ),
        ("Pushing the fix now. Want me to tag a release too?", None),
        ("Pushing the fix now.\n\n- parser.rs\n- tests.rs", None),
        ("Pushing the fix now:\n\n```sh\ngit push\n```", None),
        ("Pushing the fix now.\n\n| a | b |\n|---|---|", None),
        // Three courtesy lines are a closing paragraph, not a courtesy line.
        (
            "Pushing the fix now. Thanks! Hope this helps. Cheers, and let me know.",
            None,
        ),
        // An expectation in another paragraph is content.
        (
            "Let me redeploy it now.\n\nThat should pick up the new key.",
            None,
        ),
    ] {
        assert_eq!(nudge(text).0, want, "{text:?}");
    }
}

#[test]
fn only_a_promise_for_now() {
    for (text, want) in [
        ("I'll restart the worker now.", PROMISE),
        ("Next, I'll push the branch.", PROMISE),
        ("Redeploying right away.", PROMISE),
        ("Let me rebuild the image, then I'll push it.", PROMISE),
        ("I'll push the fix in a second.", PROMISE),
        ("I'll push the fix later today.", None),
        ("I'll redeploy by the end of the day.", None),
        ("I'll push the fix at 5 pm.", None),
        ("I'll rebuild the index next week.", None),
        ("I'll publish it in the next session.", None),
        ("I'll rerun it in 10 minutes.", None),
        ("I'll merge this on Friday.", None),
        ("When the upload is done I'll redeploy.", None),
        ("I'll merge once CI is green.", None),
        (
            "The build is still running. I'll publish the release.",
            None,
        ),
        ("CI is running on it. Then I'll merge.", None),
        ("CI is running on it, then I'll merge.", None),
    ] {
        assert_eq!(nudge(text).0, want, "{text:?}");
    }
}

#[test]
fn only_the_assistants_own_step() {
    for (text, want) in [
        ("Let me check the config:", NEXT_STEP),
        ("Now I'll read the migration:", NEXT_STEP),
        ("Checking whether the cache is keyed by locale:", NEXT_STEP),
        ("I'm looking into it:", NEXT_STEP),
        ("We'll redeploy the stack now.", None),
        ("Let's restart the worker.", None),
        ("You can run:", None),
        ("Let me know which you prefer:", None),
        ("Next steps:", None),
        ("Remaining issues:", None),
        ("I'd suggest:", None),
        ("If it fails again, let me look at the cache:", None),
        ("I won't push yet:", None),
        ("Maybe I'll look at the cache:", None),
        ("Let me wait for CI:", None),
        ("Let me check the config tomorrow:", None),
        // A colon that introduces what follows it.
        ("Let me check the config:\n\n```toml\nport = 80\n```", None),
        ("Let me check the config: the port is 80.", None),
    ] {
        assert_eq!(nudge(text).0, want, "{text:?}");
    }
}

#[test]
fn places_and_embedded_clauses_are_not_times() {
    for (text, want) in [
        ("I'll add it right after the `parse` function:", NEXT_STEP),
        ("Let me add the helper at the end of the file:", NEXT_STEP),
        (
            "Let me check what happens when the cache is cold:",
            NEXT_STEP,
        ),
        (
            "Let me look at the logs to see what failed after the deploy:",
            NEXT_STEP,
        ),
        ("Let me run the tests once more:", PROMISE),
        ("Let me push after rebasing it.", PROMISE),
        (
            "The loader still reads the old key. Let me fix this:",
            PROMISE,
        ),
        ("I'll push after `make release` finishes.", None),
        ("I'll merge after the build is green.", None),
        ("Let me redeploy at the end of the day.", None),
    ] {
        assert_eq!(nudge(text).0, want, "{text:?}");
    }
}

#[test]
fn where_the_step_may_start() {
    for (text, want) in [
        ("Good question — let me check:", NEXT_STEP),
        ("Deployment finished ✅ Let me verify the site:", NEXT_STEP),
        ("Since the plan says so, I'll start with task 1:", NEXT_STEP),
        (
            "Actually, let me try fetching the reviews differently:",
            NEXT_STEP,
        ),
        (
            "Looking at the trace, the parser never sees the flag:",
            None,
        ),
        ("Adding the `--user` flag skips project hooks:", None),
        ("Building blocks:", None),
    ] {
        assert_eq!(nudge(text).0, want, "{text:?}");
    }
}

#[test]
fn a_summary_with_a_step_in_the_middle_does_not_end_on_it() {
    let text = "Done so far:\n\n1. Fixed the parser.\n2. I'll rerun the suite now.\n3. Updated the docs.\n\nEverything is committed on `fix/parser`.";
    assert_eq!(nudge(text), (None, None));
    let text = "I'll rerun the suite now. Here is what changed in the parser and why the old behaviour was wrong for nested arrays.";
    assert_eq!(nudge(text), (None, None));
}

#[test]
fn classify_still_records_what_ending_does_not_nudge() {
    for text in [
        "I'll redeploy tomorrow morning.",
        "The image is still uploading; when it's done I'll redeploy.",
        "We'll redeploy the stack now.",
    ] {
        assert!(super::super::classify(text).is_some(), "{text:?}");
        assert_eq!(ending(text), None, "{text:?}");
    }
}

#[test]
fn a_huge_message_is_linear() {
    for unit in [
        "I'll restart it now. ",
        "Let me check: ",
        "Thanks! Let me know. ",
        "then then then I'll ",
        "at at in in next by on ",
    ] {
        let big = unit.repeat((1 << 20) / unit.len());
        let t = std::time::Instant::now();
        let _ = ending(&big);
        assert!(
            t.elapsed() < std::time::Duration::from_secs(5),
            "{unit:?}: {:?}",
            t.elapsed()
        );
    }
}

const WORDS: &[&str] = &[
    "I'll", "let", "me", "I'm", "we'll", "let's", "restart", "pushing", "check", "checking", "the",
    "config", "now", "then", "tomorrow", "once", "when", "at", "5", "in", "an", "hour", "next",
    "week", "thanks", "know", "that", "should", "it", "still", "running", "you", "if", "not",
    "maybe", "é", "🚀",
];
const MARKS: &[&str] = &[
    " ", " ", ". ", "? ", "! ", ", ", ": ", ":", "\n", "\n\n", "\n- ", "`", "```\n", "\"", "**",
    "…", "|", "> ", "# ",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(WORDS).prop_map(str::to_string),
            2 => prop::sample::select(MARKS).prop_map(str::to_string),
            1 => any::<String>(),
        ],
        0..80,
    )
    .prop_map(|parts| parts.concat())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Some(e) = ending(text) {
        prop_assert!(
            text.get(e.span.clone()).is_some(),
            "span on a char boundary"
        );
        prop_assert_eq!(&text[e.span.clone()], e.phrase.as_str());
        prop_assert!(!e.phrase.is_empty());
        prop_assert!(e.phrase.len() <= crate::action_claim::PHRASE_MAX);
        if let EndingKind::Promise { verb } = e.kind {
            prop_assert!(crate::action_claim::lexicon::VERBS.contains(&verb));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn never_panics_and_the_phrase_is_the_text_at_the_span(text in soup()) {
        check(&text)?;
    }

    #[test]
    fn any_unicode_at_all(text in any::<String>()) {
        check(&text)?;
    }
}

/// Measures `ending` and `classify` on real end-of-turn messages and prints every message
/// `ending` fires on, to be read one by one (the data is other people's work and stays out
/// of the repository):
/// `INSTAR_REAL_TEXTS=final_texts.jsonl cargo test --lib real_end_of_turn_messages -- --ignored --nocapture`
/// (JSON lines with a `text` field).
#[test]
#[ignore = "needs INSTAR_REAL_TEXTS, a file of real end-of-turn messages"]
#[allow(clippy::print_stderr, reason = "a measurement read by a person")]
fn real_end_of_turn_messages() {
    // Run on purpose (`--ignored`), it measures or fails: never a silent pass.
    let path = std::env::var("INSTAR_REAL_TEXTS")
        .expect("set INSTAR_REAL_TEXTS to the data file (see the module docs)");
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut texts, mut claims, mut endings) = (0, 0, 0);
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let Some(text) = v["text"].as_str() else {
            continue;
        };
        texts += 1;
        claims += usize::from(crate::action_claim::classify(text).is_some());
        if let Some(e) = ending(text) {
            endings += 1;
            let from = text.floor_char_boundary(e.span.start.saturating_sub(200));
            eprintln!("--- {:?} {:?}\n{}\n", e.kind, e.phrase, &text[from..]);
        }
    }
    eprintln!("{texts} messages: classify fires on {claims}, ending on {endings}");
}
