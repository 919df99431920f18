//! Words that take a promise back or show it is not one: conditions and offers, negations,
//! hedges, and the lead-ins of lists of past attempts.

/// Things that cancel a promise in the sentence around it when they come before it, or
/// after it in the same clause: conditions, offers and questions to the user, negated
/// intentions. `words` are the marker candidate and the three words after it.
pub fn starts_condition(words: &[&str]) -> bool {
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    match at(0) {
        "if" | "unless" | "provided" | "assuming" | "otherwise" | "lmk" => true,
        "whether" => at(1) != "or",
        "in" => at(1) == "case",
        "let" => at(1) == "me" && at(2) == "know",
        "tell" | "ping" | "show" => at(1) == "me",
        "say" => at(1) == "the" && at(2) == "word",
        "want" | "like" | "need" => at(1) == "me",
        "should" | "shall" | "may" | "can" | "could" => at(1) == "i" || at(1) == "we",
        "do" | "would" | "will" => at(1) == "you",
        "feel" => at(1) == "free",
        "up" => at(1) == "to" && at(2) == "you",
        "your" => matches!(
            at(1),
            "call" | "approval" | "go-ahead" | "ok" | "okay" | "sign-off"
        ),
        // A negated intention: "I don't think I'll push", "not planning to merge".
        "don't" | "dont" | "not" | "won't" | "wont" | "didn't" | "never" => matches!(
            at(1),
            "think" | "believe" | "expect" | "plan" | "planning" | "want" | "intend" | "need"
        ),
        // Waiting on the user: "once you approve", "as soon as you confirm".
        "once" | "when" | "whenever" | "after" | "until" | "as" => {
            let subject = if at(0) == "as" {
                if at(1) != "soon" || at(2) != "as" {
                    return false;
                }
                at(3)
            } else {
                at(1)
            };
            matches!(subject, "you" | "you're" | "your" | "you've")
        }
        _ => false,
    }
}

/// Conditions on events, which govern only the verb phrase they follow ("I'll rebuild the
/// wheel and publish it *if* the smoke test passes" promises the rebuild). Every other marker
/// (an offer, a condition on the user) governs the whole sentence.
pub(crate) fn narrow_condition(words: &[&str]) -> bool {
    let at = |i: usize| words.get(i).copied().unwrap_or("");
    let on_user = |w: &str| matches!(w, "you" | "you're" | "your" | "you've" | "you'd");
    match at(0) {
        "if" | "unless" | "provided" | "assuming" | "whether" => !on_user(at(1)),
        "in" => at(1) == "case" && !on_user(at(2)),
        _ => false,
    }
}

/// Verbs that report what someone said or wrote: a promise after one ("I *said* I'll rebase
/// the branch", "the ticket *says* we'll redeploy") reports a promise, it does not make one.
/// The present "promise" is missing on purpose: "I promise I'll push it" makes one.
#[rustfmt::skip]
pub(crate) fn reports_speech(w: &str) -> bool {
    matches!(w,
        "said" | "says" | "wrote" | "writes" | "written" | "mentioned" | "mentions" | "promised"
        | "told" | "tells" | "noted" | "stated" | "states" | "claimed" | "claims" | "announced"
        | "announces" | "explained" | "replied" | "answered" | "suggested" | "suggests"
        | "thought" | "assumed" | "planned" | "agreed" | "proposed" | "indicated" | "posted"
        | "committed" | "predicted" | "expected" | "hoped" | "decided")
}

/// Verbs that open a request to the user ("*Pick* one and I'll implement it", "*Say* which
/// and I'll rebase"): a promise after one in the same sentence waits on the user. Only with
/// an object right after ([`requests_object`]): "Test suite is green, so I'll merge" opens
/// with a noun.
#[rustfmt::skip]
pub(crate) fn asks_the_user(w: &str) -> bool {
    matches!(w,
        "say" | "tell" | "pick" | "choose" | "confirm" | "approve" | "decide" | "reply" | "give"
        | "send" | "share" | "paste" | "provide" | "answer" | "ping" | "point" | "post" | "run"
        | "try" | "review" | "check" | "test" | "verify" | "grab" | "drop" | "upload" | "sign"
        | "accept" | "click" | "open" | "install" | "enable" | "add" | "set" | "update")
}

/// What a request's object starts with: "Say *which*", "Pick *one*", "Merge *it*".
pub(crate) fn requests_object(w: &str) -> bool {
    super::starts_object(w)
        || matches!(
            w,
            "which" | "whichever" | "one" | "whether" | "what" | "how" | "when"
        )
}

/// "check if", "see whether": the "if" opens an indirect question, not a condition.
#[rustfmt::skip]
pub fn is_inquiry_verb(w: &str) -> bool {
    matches!(w,
        "check" | "checking" | "checked" | "see" | "seeing" | "saw" | "verify" | "verifying"
        | "verified" | "test" | "testing" | "tested" | "confirm" | "confirming" | "confirmed"
        | "determine" | "find" | "out" | "figure" | "ask" | "asking" | "wonder" | "look"
        | "watch" | "monitor" | "double-check" | "validate" | "know")
}

/// Words that end the search for a lead across a coordination ("I'll X and push"): another
/// subject, a subordinate clause, a negation, a hedge or a modal means the verb is not
/// simply joined to the promised one.
#[rustfmt::skip]
pub fn blocks_coordination(w: &str) -> bool {
    is_negation(w) || is_hedge(w) || matches!(w,
        "if" | "unless" | "whether" | "because" | "since" | "but" | "although" | "though"
        | "while" | "when" | "once" | "after" | "before" | "until" | "so" | "that" | "which"
        | "who" | "what" | "how" | "why" | "where" | "you" | "your" | "you're" | "you'll"
        | "he" | "she" | "they" | "he's" | "she's" | "they're" | "it's" | "let" | "know"
        | "or" | "nor" | "can" | "could" | "would" | "should" | "might" | "may" | "must"
        | "i'd" | "we'd" | "i've" | "we've")
}

/// A list introduced by one of these words holds past attempts or options, not current
/// actions ("Things I tried that didn't work:", "Options:").
#[rustfmt::skip]
pub fn is_retrospective(w: &str) -> bool {
    matches!(w,
        "tried" | "tries" | "attempted" | "attempts" | "didn't" | "failed" | "options" | "option"
        | "ideas" | "alternatives" | "considered" | "considering" | "possibilities" | "approaches"
        | "could" | "might" | "suggestions" | "choices" | "earlier" | "previously" | "ruled")
}

/// In a list item, these say the item reports an outcome ("restarting the server: no
/// effect", "rebooting — same error").
#[rustfmt::skip]
pub fn reports_outcome(w: &str) -> bool {
    matches!(w, "effect" | "luck" | "same" | "didn't" | "failed" | "helped" | "worked" | "nothing")
}

/// Words that cannot sit between "get/have" and its participle ("get the fix deployed",
/// "have your PR merged" are causatives; "get it if needed merged" is not).
#[rustfmt::skip]
pub fn blocks_causative(w: &str) -> bool {
    is_negation(w) || is_hedge(w) || matches!(w,
        "if" | "unless" | "but" | "because" | "since" | "while" | "when" | "or" | "and" | "to"
        | "already")
}

#[rustfmt::skip]
pub fn is_negation(w: &str) -> bool {
    matches!(w,
        "not" | "never" | "no" | "won't" | "wont" | "don't" | "dont" | "can't" | "cant"
        | "cannot" | "shouldn't" | "wouldn't" | "isn't" | "aren't" | "didn't" | "doesn't"
        | "haven't" | "hasn't" | "without" | "avoid" | "neither")
}

#[rustfmt::skip]
pub fn is_hedge(w: &str) -> bool {
    matches!(w,
        "probably" | "maybe" | "perhaps" | "possibly" | "likely" | "hopefully" | "might"
        | "eventually" | "someday")
}
