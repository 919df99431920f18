//! The words the classifier knows: the closed verb set with its inflections, and the small
//! closed classes the grammar needs. Everything is matched on normalised words (ASCII
//! lowercase, straight apostrophes).

/// The canonical verbs, in the order of instar's table followed by the ones we add.
pub const VERBS: &[&str] = &[
    "relaunch",
    "restart",
    "redeploy",
    "deploy",
    "push",
    "merge",
    "revert",
    "rebase",
    "rerun",
    "fix",
    "reboot",
    "reload",
    "roll back",
    "rebuild",
    "ship",
    "publish",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// "restart": after "I'll", "let me", "going to" …
    Base,
    /// "restarts": never a first-person promise.
    ThirdPerson,
    /// "restarting": progressive or sentence-opening participle.
    Ing,
    /// "restarted": past tense, or a participle after "get"/"have" ("get it restarted").
    Past,
}

/// The verb a word is a form of. "re-run" and "force-push" are read as "rerun" and "push";
/// "roll" needs its particle "back" (checked by the grammar).
pub fn verb(word: &str) -> Option<(&'static str, Form)> {
    if let Some(rest) = word.strip_prefix("re-") {
        // "re-run" -> "rerun": join into a small stack buffer, no allocation.
        let mut buf = [0u8; 32];
        let n = rest.len() + 2;
        if n > buf.len() {
            return None;
        }
        buf[..2].copy_from_slice(b"re");
        buf[2..n].copy_from_slice(rest.as_bytes());
        return std::str::from_utf8(&buf[..n]).ok().and_then(plain_verb);
    }
    if let Some(rest) = word.strip_prefix("force-") {
        return plain_verb(rest).filter(|(lemma, _)| *lemma == "push");
    }
    plain_verb(word)
}

fn plain_verb(w: &str) -> Option<(&'static str, Form)> {
    use Form::*;
    Some(match w {
        "relaunch" => ("relaunch", Base),
        "relaunches" => ("relaunch", ThirdPerson),
        "relaunching" => ("relaunch", Ing),
        "relaunched" => ("relaunch", Past),
        "restart" => ("restart", Base),
        "restarts" => ("restart", ThirdPerson),
        "restarting" => ("restart", Ing),
        "restarted" => ("restart", Past),
        "reboot" => ("reboot", Base),
        "reboots" => ("reboot", ThirdPerson),
        "rebooting" => ("reboot", Ing),
        "rebooted" => ("reboot", Past),
        "reload" => ("reload", Base),
        "reloads" => ("reload", ThirdPerson),
        "reloading" => ("reload", Ing),
        "reloaded" => ("reload", Past),
        "redeploy" => ("redeploy", Base),
        "redeploys" => ("redeploy", ThirdPerson),
        "redeploying" => ("redeploy", Ing),
        "redeployed" => ("redeploy", Past),
        "deploy" => ("deploy", Base),
        "deploys" => ("deploy", ThirdPerson),
        "deploying" => ("deploy", Ing),
        "deployed" => ("deploy", Past),
        "push" => ("push", Base),
        "pushes" => ("push", ThirdPerson),
        "pushing" => ("push", Ing),
        "pushed" => ("push", Past),
        "merge" => ("merge", Base),
        "merges" => ("merge", ThirdPerson),
        "merging" => ("merge", Ing),
        "merged" => ("merge", Past),
        "revert" => ("revert", Base),
        "reverts" => ("revert", ThirdPerson),
        "reverting" => ("revert", Ing),
        "reverted" => ("revert", Past),
        "roll" | "rollback" | "roll-back" => ("roll back", Base),
        "rolls" => ("roll back", ThirdPerson),
        "rolling" => ("roll back", Ing),
        "rolled" => ("roll back", Past),
        "rebase" => ("rebase", Base),
        "rebases" => ("rebase", ThirdPerson),
        "rebasing" => ("rebase", Ing),
        "rebased" => ("rebase", Past),
        "rerun" => ("rerun", Base),
        "reruns" => ("rerun", ThirdPerson),
        "rerunning" => ("rerun", Ing),
        "reran" => ("rerun", Past),
        "rebuild" => ("rebuild", Base),
        "rebuilds" => ("rebuild", ThirdPerson),
        "rebuilding" => ("rebuild", Ing),
        "rebuilt" => ("rebuild", Past),
        "fix" | "hotfix" => ("fix", Base),
        "fixes" | "hotfixes" => ("fix", ThirdPerson),
        "fixing" | "hotfixing" => ("fix", Ing),
        "fixed" | "hotfixed" => ("fix", Past),
        "ship" => ("ship", Base),
        "ships" => ("ship", ThirdPerson),
        "shipping" => ("ship", Ing),
        "shipped" => ("ship", Past),
        "publish" => ("publish", Base),
        "publishes" => ("publish", ThirdPerson),
        "publishing" => ("publish", Ing),
        "published" => ("publish", Past),
        _ => return None,
    })
}

/// Words that may sit between a lead and its verb without changing who acts or whether:
/// "I'll *quickly go ahead and* restart", "let me *just try to* rerun".
pub fn is_filler(w: &str) -> bool {
    matches!(
        w,
        "just"
            | "now"
            | "then"
            | "quickly"
            | "also"
            | "first"
            | "immediately"
            | "actually"
            | "simply"
            | "finally"
            | "next"
            | "go"
            | "ahead"
            | "and"
            | "try"
            | "to"
            | "attempt"
            | "proceed"
            | "carefully"
            | "manually"
            | "definitely"
            | "certainly"
            | "really"
            | "promptly"
            | "personally"
            | "again"
            | "instead"
            | "additionally"
            | "safely"
            | "properly"
            | "cleanly"
            | "start"
            | "begin"
            | "keep"
            | "continue"
            | "be"
            | "make"
            | "sure"
            | "right"
            | "straight"
            | "go-ahead"
            | "gracefully"
            | "officially"
            | "quick"
            | "both"
            | "all"
            | "still"
            | "briefly"
    )
}

/// Fillers after which a verb takes its -ing form ("I'll start deploying").
pub fn is_aspect(w: &str) -> bool {
    matches!(w, "start" | "begin" | "keep" | "continue" | "be")
}

/// Words that may open a sentence before a participle or a subject-less lead:
/// "OK, restarting now", "Now pushing the fix", "Alright — going to merge".
pub fn is_opener(w: &str) -> bool {
    matches!(
        w,
        "ok" | "okay"
            | "alright"
            | "now"
            | "so"
            | "and"
            | "then"
            | "next"
            | "first"
            | "great"
            | "sure"
            | "cool"
            | "right"
            | "perfect"
            | "good"
            | "also"
            | "finally"
            | "well"
            | "done"
            | "yes"
            | "yep"
            | "yeah"
            | "thanks"
            | "anyway"
            | "meanwhile"
            | "quickly"
            | "immediately"
            | "nice"
            | "understood"
            | "noted"
            | "excellent"
            | "k"
            | "all"
            | "set"
            | "lastly"
            | "still"
            | "just"
            | "hmm"
            | "oops"
            | "fine"
    )
}

/// Things that cancel a promise in the sentence around it when they come before it, or
/// after it in the same clause: conditions and offers to the user. Multi-word markers are
/// matched by the grammar from their first word.
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
        // A negated intention: "I don't think I'll push", "not planning to merge".
        "don't" | "dont" | "not" | "won't" | "wont" | "didn't" | "never" => matches!(
            at(1),
            "think" | "believe" | "expect" | "plan" | "planning" | "want" | "intend" | "need"
        ),
        "do" | "would" | "will" => at(1) == "you",
        "feel" => at(1) == "free",
        "your" => matches!(
            at(1),
            "call" | "approval" | "go-ahead" | "ok" | "okay" | "sign-off"
        ),
        "up" => at(1) == "to" && at(2) == "you",
        "once" | "when" | "whenever" | "after" | "until" | "as" => {
            let subject = if at(0) == "as" {
                // "as soon as you"
                if at(1) != "soon" || at(2) != "as" {
                    return false;
                }
                at(3)
            } else {
                at(1)
            };
            matches!(
                subject,
                "you" | "you're" | "your" | "you've" | "we've" | "i've"
            ) && !(at(0) == "after" && subject == "i've")
        }
        _ => false,
    }
}

/// "check if", "see whether": the "if" opens an indirect question, not a condition.
pub fn is_inquiry_verb(w: &str) -> bool {
    matches!(
        w,
        "check"
            | "checking"
            | "checked"
            | "see"
            | "seeing"
            | "saw"
            | "verify"
            | "verifying"
            | "verified"
            | "test"
            | "testing"
            | "tested"
            | "confirm"
            | "confirming"
            | "confirmed"
            | "determine"
            | "find"
            | "out"
            | "figure"
            | "ask"
            | "asking"
            | "wonder"
            | "look"
            | "watch"
            | "monitor"
            | "double-check"
            | "validate"
            | "know"
    )
}

/// Words that end the search for a lead across a coordination ("I'll X and push"): another
/// subject, a subordinate clause, a negation or a hedge means the verb is not simply joined
/// to the promised one.
pub fn blocks_coordination(w: &str) -> bool {
    is_negation(w)
        || is_hedge(w)
        || matches!(
            w,
            "if" | "unless"
                | "whether"
                | "because"
                | "since"
                | "but"
                | "although"
                | "though"
                | "while"
                | "when"
                | "once"
                | "after"
                | "before"
                | "until"
                | "so"
                | "that"
                | "which"
                | "who"
                | "what"
                | "how"
                | "why"
                | "where"
                | "you"
                | "your"
                | "you're"
                | "you'll"
                | "he"
                | "she"
                | "they"
                | "he's"
                | "she's"
                | "they're"
                | "it's"
                | "let"
                | "know"
                | "or"
                | "nor"
                | "can"
                | "could"
                | "would"
                | "should"
                | "might"
                | "may"
                | "must"
                | "i'd"
                | "we'd"
                | "i've"
                | "we've"
        )
}

/// Words that cannot sit between "get/have" and its participle ("get the fix deployed",
/// "have your PR merged" are fine; "get it if needed merged" is not a causative).
pub fn blocks_causative(w: &str) -> bool {
    is_negation(w)
        || is_hedge(w)
        || matches!(
            w,
            "if" | "unless"
                | "but"
                | "because"
                | "since"
                | "while"
                | "when"
                | "or"
                | "and"
                | "to"
                | "already"
        )
}

pub fn is_negation(w: &str) -> bool {
    matches!(
        w,
        "not"
            | "never"
            | "no"
            | "won't"
            | "wont"
            | "don't"
            | "dont"
            | "can't"
            | "cant"
            | "cannot"
            | "shouldn't"
            | "wouldn't"
            | "isn't"
            | "aren't"
            | "didn't"
            | "doesn't"
            | "haven't"
            | "hasn't"
            | "without"
            | "instead of"
            | "avoid"
            | "neither"
    )
}

pub fn is_hedge(w: &str) -> bool {
    matches!(
        w,
        "probably"
            | "maybe"
            | "perhaps"
            | "possibly"
            | "likely"
            | "hopefully"
            | "might"
            | "eventually"
            | "someday"
    )
}

/// After a sentence-opening participle, a finite verb in the same clause shows the
/// participle is the subject ("Pushing to main *requires* review"), not a promise.
pub fn is_finite_marker(w: &str) -> bool {
    matches!(
        w,
        "is" | "are"
            | "was"
            | "were"
            | "will"
            | "would"
            | "should"
            | "could"
            | "can"
            | "may"
            | "might"
            | "must"
            | "won't"
            | "isn't"
            | "wasn't"
            | "doesn't"
            | "didn't"
            | "can't"
            | "cannot"
            | "shouldn't"
            | "wouldn't"
            | "requires"
            | "required"
            | "needs"
            | "means"
            | "takes"
            | "took"
            | "seems"
            | "looks"
            | "sounds"
            | "makes"
            | "helps"
            | "causes"
            | "caused"
            | "fails"
            | "failed"
            | "breaks"
            | "broke"
            | "triggers"
            | "triggered"
            | "involves"
            | "has"
            | "had"
            | "does"
            | "did"
            | "it's"
            | "that's"
            | "costs"
            | "became"
            | "becomes"
            | "remains"
            | "stays"
            | "works"
            | "worked"
            | "happens"
            | "happened"
            | "should've"
            | "shouldn't've"
            | "isnt"
            | "wasnt"
            | "doesnt"
    )
}

/// Words ending in "-ing" that are not participles ("nothing", "morning", "bring").
pub fn is_false_ing(w: &str) -> bool {
    matches!(
        w,
        "thing"
            | "things"
            | "nothing"
            | "something"
            | "anything"
            | "everything"
            | "morning"
            | "evening"
            | "during"
            | "string"
            | "strings"
            | "bring"
            | "ring"
            | "king"
            | "sing"
            | "spring"
            | "swing"
            | "wing"
            | "sting"
            | "ping"
            | "ding"
            | "thing's"
            | "ceiling"
            | "according"
            | "regarding"
            | "pending"
            | "including"
            | "following"
            | "setting"
            | "settings"
            | "heading"
            | "warning"
            | "warnings"
            | "logging"
            | "timing"
            | "nothing's"
            | "building's"
            | "interesting"
            | "missing"
            | "remaining"
            | "existing"
            | "failing"
            | "outstanding"
            | "ongoing"
            | "upcoming"
            | "incoming"
            | "outgoing"
    )
}

/// Words after "push" that make it an idiom, not a git push ("push back on that").
pub fn is_push_idiom_particle(w: &str) -> bool {
    matches!(
        w,
        "back" | "for" | "ahead" | "forward" | "through" | "harder"
    )
}

/// What may follow "get X merged" / "have it deployed" for the participle to be a verb and
/// not an adjective ("get the *fixed* build").
pub fn ends_causative(w: &str) -> bool {
    matches!(
        w,
        "now"
            | "today"
            | "tonight"
            | "tomorrow"
            | "soon"
            | "shortly"
            | "asap"
            | "quickly"
            | "right"
            | "first"
            | "too"
            | "then"
            | "and"
            | "by"
            | "in"
            | "within"
            | "before"
            | "after"
            | "for"
            | "on"
            | "over"
            | "properly"
            | "up"
            | "again"
            | "immediately"
            | "later"
            | "as"
            | "once"
            | "this"
            | "next"
            | "straight"
            | "promptly"
            | "cleanly"
            | "to"
            | "into"
            | "onto"
            | "at"
            | "via"
            | "with"
            | "from"
            | "under"
            | "behind"
    )
}
