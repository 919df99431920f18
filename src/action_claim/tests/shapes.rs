//! Issue 15's shapes, one rule at a time, both sides of each: repeated actions, necessity
//! taken on, reported speech and relative clauses, topics and verb-nouns, gerund subjects,
//! event conditions, list outcomes, and that every rule stays linear.

use super::{classify, verb_of};

#[test]
fn a_repeated_action_names_its_re_verb() {
    for (text, verb) in [
        (
            "Let me run the benchmark again with the cache warm.",
            Some("rerun"),
        ),
        ("I'll build it once more.", Some("rebuild")),
        ("Deploying the api one more time.", Some("redeploy")),
        ("I'll launch the app a second time.", Some("relaunch")),
        ("I'll start the worker again.", Some("restart")),
        ("Let me run that again.", Some("rerun")),
        // The repetition belongs to another verb, or it is a fresh start or an idiom.
        ("I'll run the linter and check the output again.", None),
        ("Let me start again from scratch.", None),
        ("I'll start testing again.", None),
        ("I'll run into the same limit again.", None),
        ("I ran it again.", None),
        ("Run the tests again once you've pulled.", None),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn a_necessity_is_a_promise_only_when_it_is_taken_on() {
    let text = "I need to restart nginx for the cert to load, so I'm doing that now.";
    let c = classify(text).unwrap();
    assert_eq!(c.verb, "restart");
    assert_eq!(c.phrase, text.trim_end_matches('.'));
    assert_eq!(&text[c.span.clone()], c.phrase);
    for (text, verb) in [
        ("I need to rebase first. Doing that now.", Some("rebase")),
        ("We have to redeploy; I'll do that now.", Some("redeploy")),
        (
            "I need to reload the units, which I'm doing now.",
            Some("reload"),
        ),
        ("I need to restart nginx.", None),
        ("You need to rebuild it, so do that now.", None),
        ("I need to rebase first. Should I do that now?", None),
        ("I need to rebase first, but I can't do that yet.", None),
        ("I need to revert it. Doing that would drop the fix.", None),
        (
            "I need to publish it, which I'll do once you approve.",
            None,
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn reported_promises_and_relative_clauses_make_no_promise() {
    for (text, verb) in [
        ("Yesterday I wrote that I'll rebase the branch.", None),
        ("The ticket says we'll redeploy after the migration.", None),
        ("I told Dana I'll fix the flaky test.", None),
        ("As I said, I'll rebase the branch now.", Some("rebase")),
        ("I promise I'll push it tonight.", Some("push")),
        ("(the scenario we're fixing)", None),
        ("The PR that I'm reverting touched the parser.", None),
        ("This time I'll rebuild from scratch.", Some("rebuild")),
        (
            "Once the build finishes I'll restart the workers.",
            Some("restart"),
        ),
        ("In a few minutes I'll reload the proxy.", Some("reload")),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn a_verb_after_a_topic_is_a_noun_unless_it_takes_an_object() {
    for (text, verb) in [
        (
            "Sure. Let me walk through the bug and fix step by step.",
            None,
        ),
        ("Let me explain the root cause and fix.", None),
        ("Let me outline the deploy and rollback plan.", None),
        ("Let me explain the root cause and fix it.", Some("fix")),
        ("I'll review the diff and merge.", Some("merge")),
        ("I'll review the fix and push it.", Some("push")),
        (
            "Let me confirm the fix by rerunning the suite.",
            Some("rerun"),
        ),
        (
            "I'll check whether it is caused by restarting the worker.",
            None,
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn a_gerund_subject_is_found_past_the_clauses_that_own_their_verbs() {
    for (text, verb) in [
        ("Reverting both commits would lose the logging fix.", None),
        (
            "Force-pushing the branch rewrites the commits you reviewed.",
            None,
        ),
        ("Deploying from a laptop bypasses the audit log.", None),
        (
            "Restarting the worker so the binary gets picked up is overkill.",
            None,
        ),
        (
            "Rerunning the suite to confirm the flake is gone took four minutes.",
            None,
        ),
        (
            "Rebuilding the image with the cache off and the base pinned would take an hour.",
            None,
        ),
        (
            "Restarting the dev server to pick up the settings is usually enough.",
            None,
        ),
        (
            "Rebuilding the index now so the search results are fresh.",
            Some("rebuild"),
        ),
        (
            "Redeploying the worker now to make sure the fix is live.",
            Some("redeploy"),
        ),
        (
            "Rebuilding the cache entries that went stale.",
            Some("rebuild"),
        ),
        (
            "Merging the PR now that both reviews are in.",
            Some("merge"),
        ),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn an_event_condition_governs_only_the_verb_phrase_it_follows() {
    for (text, verb) in [
        (
            "I'll rebuild the wheel and publish it if the smoke test passes.",
            Some("rebuild"),
        ),
        (
            "Redeploying the api now, and I'll roll it back if latency spikes.",
            Some("redeploy"),
        ),
        ("I'll rebuild the wheel if the smoke test passes.", None),
        (
            "I'll restart the api and the worker if the health check fails.",
            None,
        ),
        // A condition on the user, or an offer, governs the whole sentence.
        ("I'll merge and tag the release if you approve.", None),
        ("I'll rebuild the wheel and publish it if you want.", None),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn an_outcome_word_inside_a_list_item_describes_its_object() {
    for (text, verb) in [
        (
            "Plan:\n- Rerunning the shards that failed\n- Then checking the flaky list",
            Some("rerun"),
        ),
        ("- Redeploying the crashed pods now", Some("redeploy")),
        // The outcome after the action, past a colon, dash or comma, reports it.
        ("- rebooting the node — failed again", None),
        ("- restarting the worker, no effect", None),
        ("- reloading nginx: same error", None),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}

#[test]
fn every_rule_stays_linear() {
    // Repetitions, anaphors and conditions are looked for in a bounded window after a verb,
    // and every list lead-in is read once, however long the sentence or the list.
    for unit in [
        "run the suite and and and again ",
        "I need to restart it and do do do doing ",
        "the said that which I'll I'm we're ",
        "Restarting so that which to make sure is was ",
        "I'll restart and if and if and if ",
        "maybe I'll restart I'll restart ",
        "- restarting, failed: no effect\n",
        "- pushed the fix\n",
    ] {
        let big = unit.repeat((1 << 20) / unit.len());
        let t = std::time::Instant::now();
        let _ = classify(&big);
        assert!(
            t.elapsed() < std::time::Duration::from_secs(5),
            "{unit:?}: {:?}",
            t.elapsed()
        );
    }
}

#[test]
fn found_while_reading_real_announcements() {
    for (text, verb) in [
        // A verb of the set after a determiner is a noun, not where the repetition stops.
        ("Let me deploy the fix again.", Some("redeploy")),
        // A past form right after a determiner is an adjective, not the participle's verb.
        ("Rerunning the failed shard now.", Some("rerun")),
        // A clause opener right after the participle owns the finite verb that follows.
        ("Redeploying once the image is pushed.", Some("redeploy")),
        // A need stays a need across a coordination.
        ("Now I need to update the loader and merge it.", None),
        ("Now I have to rebuild the index and push it.", None),
    ] {
        assert_eq!(verb_of(text), verb, "{text:?}");
    }
}
