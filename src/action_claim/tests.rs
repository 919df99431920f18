//! The classifier's truth table: the upstream test cases, the cases where we deliberately
//! differ from upstream, and a labelled corpus (`tests/data/*.jsonl`) of claims and
//! non-claims across every category the product cares about.

use super::*;

#[track_caller]
fn verb_of(text: &str) -> Option<&'static str> {
    classify(text).map(|c| c.verb)
}

#[test]
fn upstream_claims() {
    for (text, verb) in [
        ("Relaunching now — expect a ~30s gap.", "relaunch"),
        ("I'll restart the server.", "restart"),
        ("I will push the change now.", "push"),
        ("I'm going to deploy this.", "deploy"),
        ("Let me rebase on main.", "rebase"),
        ("About to merge it.", "merge"),
        ("I'll fix the failing test.", "fix"),
        ("I'm restarting it", "restart"),
        ("pushing it now", "push"),
        ("redeploying the worker now", "redeploy"),
        ("Done with the fix. Relaunching now.", "relaunch"),
    ] {
        assert_eq!(verb_of(text), Some(verb), "{text:?}");
    }
}

#[test]
fn upstream_non_claims() {
    for text in [
        "I'll take a look.",
        "I'll keep that in mind.",
        "Let me think about it.",
        "I'll get back to you.",
        "Working on it now.",
        "I relaunched the server.",
        "Pushed the change.",
        "Already merged it.",
        "I fixed the test and redeployed.",
        "The doc says \"restarting now\" is the wrong move.",
        "You asked why I said `pushing it`.",
        "You should restart the server when you get a chance.",
        "Let me know if you want me to restart it.",
        "Can you push the change?",
        "Did you restart it?",
        "Please merge the PR.",
        "He is deploying it.",
        "The script reverts the change automatically.",
        "We can deploy this later.",
        "",
    ] {
        assert_eq!(verb_of(text), None, "{text:?}");
    }
}

#[test]
fn where_we_fix_upstream() {
    // Upstream misses these (curly apostrophes, newline-only sentence breaks).
    assert_eq!(verb_of("I\u{2019}ll restart the server."), Some("restart"));
    assert_eq!(verb_of("I\u{2019}m restarting it"), Some("restart"));
    assert_eq!(verb_of("Done\nRelaunching now"), Some("relaunch"));
    assert_eq!(
        verb_of("Relaunching now"),
        Some("relaunch"),
        "no length floor"
    );
    assert_eq!(verb_of("I'll fix it."), Some("fix"));
    // Upstream claims these (negation, someone else, a question, quoted speech).
    for text in [
        "I'm not going to restart it.",
        "The CI is going to rerun it.",
        "You're going to restart the server?",
        "The build is about to deploy.",
        "She said \"ok. Restarting now\"",
        "I won't restart it",
        "Restarting it? No.",
    ] {
        assert_eq!(verb_of(text), None, "{text:?}");
    }
}

#[test]
fn the_phrase_is_the_text_at_the_span() {
    let text = "Tests are green.\n\n- I'll quickly restart the api server, then report back.";
    let c = classify(text).unwrap();
    assert_eq!(c.verb, "restart");
    assert_eq!(c.phrase, "I'll quickly restart the api server");
    assert_eq!(&text[c.span.clone()], c.phrase);
}

#[test]
fn long_phrases_are_cut_at_a_word_boundary() {
    let text = format!("I'll restart {}", "the very long server name ".repeat(20));
    let c = classify(&text).unwrap();
    assert!(c.phrase.len() <= PHRASE_MAX, "{}", c.phrase.len());
    assert!(c.phrase.ends_with(|ch: char| ch.is_alphanumeric()));
    assert_eq!(&text[c.span.clone()], c.phrase);
}

#[test]
fn the_first_claim_wins() {
    assert_eq!(verb_of("I will merge and then restart"), Some("merge"));
    assert_eq!(
        verb_of("I checked the logs. Rebuilding the image now, then I'll redeploy."),
        Some("rebuild")
    );
}

#[test]
fn a_huge_message_is_linear() {
    // Adversarial shapes: many leads without verbs, many quotes and backticks unpaired.
    let unit = "I'll I'll let me ' \" ` going to and and , ";
    let big = unit.repeat((1 << 20) / unit.len());
    let t = std::time::Instant::now();
    assert_eq!(verb_of(&big), None);
    let with_claim = format!("{big}. Pushing the fix now.");
    assert_eq!(verb_of(&with_claim), Some("push"));
    // Generous bound: a quadratic pass over 1 MiB would take minutes, not seconds.
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
}

#[derive(serde::Deserialize)]
struct Case {
    text: String,
    verb: Option<String>,
    category: String,
}

/// Classifies every case of a JSON-lines corpus and fails listing every case it gets wrong.
fn assert_corpus(name: &str, jsonl: &str) {
    let mut failures = Vec::new();
    for (n, line) in jsonl.lines().enumerate() {
        let case: Case =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}:{}: {e}", n + 1));
        let got = classify(&case.text);
        if got.as_ref().map(|c| c.verb) != case.verb.as_deref() {
            failures.push(format!(
                "{name}:{} [{}] {:?}\n    expected {:?}, got {:?}",
                n + 1,
                case.category,
                case.text,
                case.verb,
                got.map(|c| (c.verb, c.phrase))
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

#[test]
fn truth_table() {
    assert_corpus(
        "action_claim_truth_table.jsonl",
        include_str!("../../tests/data/action_claim_truth_table.jsonl"),
    );
}

#[test]
fn realistic_messages() {
    assert_corpus(
        "action_claim_realistic.jsonl",
        include_str!("../../tests/data/action_claim_realistic.jsonl"),
    );
}

#[test]
fn participles_as_status_updates_and_as_subjects() {
    for (text, verb) in [
        ("Rebooting.", Some("reboot")),
        ("Tests pass. Pushing!", Some("push")),
        ("OK, merging.", Some("merge")),
        ("Since CI is green, shipping it.", Some("ship")),
        ("Given that, rebuilding the image now.", Some("rebuild")),
        // A label line, not a sentence.
        ("**Deploying**\nSee the steps below.", None),
        ("Deploying:", None),
        // Gerund subjects, whatever the tense of the verb.
        ("Restarting the worker solved it.", None),
        ("Reverting that commit broke the build.", None),
        ("Pushing to main triggered the release.", None),
        ("Publishing to the registry needs a token.", None),
        (
            "Relaunching the app now with the debug flag enabled.",
            Some("relaunch"),
        ),
        (
            "Restarting the worker so the new binary gets picked up.",
            Some("restart"),
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn compound_verbs_light_verbs_and_try() {
    for (text, verb) in [
        ("I'm going to squash-merge this into main.", Some("merge")),
        ("I'll fast-forward merge it.", Some("merge")),
        ("I'll hot-reload the module.", Some("reload")),
        (
            "Let me try rebuilding with the cache disabled.",
            Some("rebuild"),
        ),
        ("I'll kick off a rebuild.", Some("rebuild")),
        ("Let me trigger a redeploy of the api.", Some("redeploy")),
        ("Kicking off a full restart now.", Some("restart")),
        // The noun inside a compound, and a fix that is a patch.
        ("I'll run the deploy script.", None),
        ("I'll apply a quick fix.", None),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

/// 197 messages written by an independent evaluator who had not seen the classifier (three
/// cases the evaluator judged borderline were left out).
#[test]
fn evaluator_messages() {
    assert_corpus(
        "action_claim_heldout.jsonl",
        include_str!("../../tests/data/action_claim_heldout.jsonl"),
    );
}

#[test]
fn negation_inside_coordinations_and_causatives() {
    for text in [
        "I'll not update the config and restart the server.",
        "I will never touch the config and then redeploy.",
        "I'll not get this merged today.",
        "Let me not have it deployed before the review.",
        "I'm not updating the schema and rebuilding the index.",
    ] {
        assert_eq!(verb_of(text), None, "{text:?}");
    }
}

/// 250 messages from a second independent evaluator, in other styles (terse chat, long
/// reports, British and non-native English, all caps, no apostrophes, status lines). Before
/// the fixes they led to: precision 0.991, recall 0.965.
#[test]
fn second_evaluator_messages() {
    assert_corpus(
        "action_claim_heldout2.jsonl",
        include_str!("../../tests/data/action_claim_heldout2.jsonl"),
    );
}

/// Issue 15's categories, both sides of each, in sentences written for them: "do X again",
/// necessity taken on ("I need to restart nginx, so I'm doing that now"), reported speech,
/// gerund subjects, verbs used as nouns or in relative clauses, outcome words inside a
/// promise, purpose clauses, casual shapes, waiting on an event, several verbs. Written
/// before the work on them: precision 0.679, recall 0.624 then.
#[test]
fn issue_15_shapes() {
    assert_corpus(
        "action_claim_issue15.jsonl",
        include_str!("../../tests/data/action_claim_issue15.jsonl"),
    );
}

/// A second set for the same categories, written after the work to check that it
/// generalises: precision 0.976, recall 0.932 when first run. What it found was fixed by
/// rule, not by sentence (clause-taking purposes, "by" + participle, casual openers).
#[test]
fn issue_15_shapes_second_set() {
    assert_corpus(
        "action_claim_issue15_second.jsonl",
        include_str!("../../tests/data/action_claim_issue15_second.jsonl"),
    );
}

/// The same-turn nudge's labelled sets (`ending` has its own tests on them): what `classify`
/// records there, promises for later included.
#[test]
fn ending_messages() {
    assert_corpus(
        "action_claim_ending.jsonl",
        include_str!("../../tests/data/action_claim_ending.jsonl"),
    );
    assert_corpus(
        "action_claim_ending_second.jsonl",
        include_str!("../../tests/data/action_claim_ending_second.jsonl"),
    );
}

#[test]
fn chat_style_status_updates() {
    for (text, verb) in [
        ("yep, merging", Some("merge")),
        ("aight merging", Some("merge")),
        ("i'm gonna push the branch now", Some("push")),
        ("all good 🚀 shipping it now", Some("ship")),
        ("tests are green, publishing now", Some("publish")),
        ("Next, we rebase onto main.", Some("rebase")),
        // An adjunct of a past action, a habit, a label line in the middle of a message.
        ("I tidied the README, fixing two typos.", None),
        ("Every Monday we redeploy the staging stack.", None),
        (
            "Summary of the change\nRebuilding\nThe cache was stale.",
            None,
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn lists_of_past_attempts_and_options_are_not_promises() {
    for (text, verb) in [
        (
            "Approaches we could take:\n- reverting the migration\n- rebuilding the index",
            None,
        ),
        (
            "Already attempted:\n* restarting the worker\n* reloading the config",
            None,
        ),
        (
            "- redeploying the pod: no luck\n- rebooting the node: same error",
            None,
        ),
        (
            "Plan for now:\n- Rebuilding the image.\n- Pushing it after.",
            Some("rebuild"),
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn inverted_conditions_and_indirect_questions() {
    for (text, verb) in [
        ("Should the migration fail, I'll roll it back.", None),
        ("Had the cache been warm, I'd have redeployed.", None),
        (
            "I'll redeploy and take a look at whether latency recovers.",
            Some("redeploy"),
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

mod shapes;
