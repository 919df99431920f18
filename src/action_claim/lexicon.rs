//! The words the classifier knows: the closed verb set with its inflections, and the small
//! closed word classes the grammar needs. Everything is matched on normalised words (ASCII
//! lowercase, straight apostrophes). The word lists are kept compact on purpose, one class
//! per function, so a reviewer can read each class at a glance.

/// The canonical verbs: instar's ten, then the ones we add.
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

/// Every verb's forms, in `Form` order: base, third person, -ing, past.
const TABLE: &[(&str, [&str; 4])] = &[
    (
        "relaunch",
        ["relaunch", "relaunches", "relaunching", "relaunched"],
    ),
    (
        "restart",
        ["restart", "restarts", "restarting", "restarted"],
    ),
    ("reboot", ["reboot", "reboots", "rebooting", "rebooted"]),
    ("reload", ["reload", "reloads", "reloading", "reloaded"]),
    (
        "redeploy",
        ["redeploy", "redeploys", "redeploying", "redeployed"],
    ),
    ("deploy", ["deploy", "deploys", "deploying", "deployed"]),
    ("push", ["push", "pushes", "pushing", "pushed"]),
    ("merge", ["merge", "merges", "merging", "merged"]),
    ("revert", ["revert", "reverts", "reverting", "reverted"]),
    // "roll" needs its particle "back"; the grammar checks it.
    ("roll back", ["roll", "rolls", "rolling", "rolled"]),
    ("rebase", ["rebase", "rebases", "rebasing", "rebased"]),
    ("rerun", ["rerun", "reruns", "rerunning", "reran"]),
    ("rebuild", ["rebuild", "rebuilds", "rebuilding", "rebuilt"]),
    ("fix", ["fix", "fixes", "fixing", "fixed"]),
    ("ship", ["ship", "ships", "shipping", "shipped"]),
    (
        "publish",
        ["publish", "publishes", "publishing", "published"],
    ),
];

const FORMS: [Form; 4] = [Form::Base, Form::ThirdPerson, Form::Ing, Form::Past];

/// The verb a word is a form of. "re-run" is read as "rerun", "rollback" as "roll back",
/// "hotfix" as "fix", and a manner prefix is dropped ("force-push", "squash-merge").
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
    if let Some((prefix, rest)) = word.rsplit_once('-')
        && is_manner(prefix)
    {
        return plain_verb(rest);
    }
    match word {
        "rollback" | "roll-back" => Some(("roll back", Form::Base)),
        _ => plain_verb(word.strip_prefix("hot").unwrap_or(word))
            .filter(|(lemma, _)| !word.starts_with("hot") || *lemma == "fix"),
    }
}

fn plain_verb(w: &str) -> Option<(&'static str, Form)> {
    // Every form starts with one of these letters: most words are rejected at once.
    if !matches!(
        w.as_bytes().first(),
        Some(b'r' | b'd' | b'p' | b'm' | b'f' | b's')
    ) {
        return None;
    }
    TABLE.iter().find_map(|(lemma, forms)| {
        let k = forms.iter().position(|f| *f == w)?;
        Some((*lemma, FORMS[k]))
    })
}

/// How an action is done, written before the verb ("force push", "squash-merge",
/// "fast-forward merge", "hot-reload").
#[rustfmt::skip]
pub fn is_manner(w: &str) -> bool {
    matches!(w,
        "force" | "squash" | "fast-forward" | "hot" | "cold" | "hard" | "soft" | "clean" | "full"
        | "manual" | "manually")
}

/// Words that may sit between a lead and its verb without changing who acts or whether:
/// "I'll *quickly go ahead and* restart", "let me *just try to* rerun".
#[rustfmt::skip]
pub fn is_filler(w: &str) -> bool {
    is_manner(w) || matches!(w,
        "just" | "now" | "then" | "quickly" | "also" | "first" | "immediately" | "actually"
        | "simply" | "finally" | "next" | "go" | "ahead" | "and" | "try" | "to" | "attempt"
        | "proceed" | "carefully" | "definitely" | "certainly" | "really" | "promptly"
        | "personally" | "again" | "instead" | "additionally" | "safely" | "properly"
        | "cleanly" | "start" | "begin" | "keep" | "continue" | "be" | "make" | "sure"
        | "right" | "straight" | "go-ahead" | "gracefully" | "officially" | "quick" | "both"
        | "all" | "still" | "briefly")
}

/// Fillers after which a verb takes its -ing form ("I'll start deploying", "let me try
/// rebuilding").
#[rustfmt::skip]
pub fn is_aspect(w: &str) -> bool {
    matches!(w, "start" | "begin" | "keep" | "continue" | "be" | "try")
}

/// Words that may open a sentence before a participle or a subject-less lead:
/// "OK, restarting now", "Now pushing the fix", "Alright — going to merge".
#[rustfmt::skip]
pub fn is_opener(w: &str) -> bool {
    matches!(w,
        "ok" | "okay" | "alright" | "now" | "so" | "and" | "then" | "next" | "first" | "great"
        | "sure" | "cool" | "right" | "perfect" | "good" | "also" | "finally" | "well" | "done"
        | "yes" | "yep" | "yeah" | "thanks" | "anyway" | "meanwhile" | "quickly"
        | "immediately" | "nice" | "understood" | "noted" | "excellent" | "k" | "all" | "set"
        | "lastly" | "still" | "just" | "hmm" | "oops" | "fine")
}

/// Clauses that may be fronted before a participle opening the main clause:
/// "Since CI is green, shipping it.", "Given that, rebuilding the image now."
#[rustfmt::skip]
pub fn fronts_clause(w: &str) -> bool {
    matches!(w,
        "since" | "because" | "as" | "given" | "once" | "after" | "with" | "seeing" | "now"
        | "so" | "having")
}

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

/// Time words that make a participle after a comma a status update ("the key was wrong,
/// pushing the fix now").
#[rustfmt::skip]
pub fn is_now(w: &str) -> bool {
    matches!(w, "now" | "immediately" | "next" | "asap")
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

/// After a sentence-opening participle, a finite verb in the same clause shows the
/// participle is the subject ("Pushing to main *requires* review"), not a promise.
#[rustfmt::skip]
pub fn is_finite_marker(w: &str) -> bool {
    matches!(w,
        "is" | "are" | "was" | "were" | "will" | "would" | "should" | "could" | "can" | "may"
        | "might" | "must" | "won't" | "isn't" | "wasn't" | "doesn't" | "didn't" | "can't"
        | "cannot" | "shouldn't" | "wouldn't" | "requires" | "required" | "needs" | "means"
        | "takes" | "took" | "seems" | "looks" | "sounds" | "makes" | "helps" | "causes"
        | "caused" | "fails" | "failed" | "breaks" | "broke" | "triggers" | "triggered"
        | "involves" | "has" | "had" | "does" | "did" | "it's" | "that's" | "costs" | "became"
        | "becomes" | "remains" | "stays" | "works" | "worked" | "happens" | "happened"
        | "should've" | "isnt" | "wasnt" | "doesnt"
        // Irregular pasts and common present tenses that follow a gerund subject.
        | "made" | "gave" | "kept" | "led" | "got" | "ran" | "went" | "came" | "brought"
        | "left" | "sent" | "meant" | "found" | "showed" | "cost" | "solves" | "resolves"
        | "clears" | "removes" | "forces" | "kills" | "drops" | "resets" | "wipes" | "deletes"
        | "invalidates" | "restores" | "gives" | "keeps" | "leads" | "gets")
}

/// Words that open a new clause: a finite verb after one of them belongs to that clause,
/// not to a gerund before it ("Restarting the worker *so* the binary gets picked up").
#[rustfmt::skip]
pub fn opens_clause(w: &str) -> bool {
    matches!(w,
        "that" | "which" | "who" | "where" | "so" | "because" | "since" | "while" | "until"
        | "before" | "after" | "once" | "when" | "if" | "and" | "but" | "then" | "as"
        | "unless" | "whereas" | "although" | "though" | "whether")
}

/// Words that start an object or a particle after a verb ("fixed *it*", "cleared *the*
/// cache", "sped *up*"): a past form followed by one is acting as a finite verb.
#[rustfmt::skip]
pub fn starts_object(w: &str) -> bool {
    matches!(w,
        "it" | "them" | "the" | "a" | "an" | "this" | "that" | "these" | "those" | "my" | "our"
        | "your" | "their" | "his" | "her" | "everything" | "nothing" | "things" | "up"
        | "down" | "out" | "off" | "all" | "both" | "most" | "some" | "me" | "us")
}

/// Words after which an "-ed" word is an adjective or a participle, not a finite verb
/// ("the *stalled* workers", "was *fixed*", "the fix I *prepared*").
#[rustfmt::skip]
pub fn precedes_non_finite(w: &str) -> bool {
    matches!(w,
        "the" | "a" | "an" | "this" | "that" | "these" | "those" | "my" | "our" | "your"
        | "their" | "his" | "her" | "its" | "is" | "are" | "was" | "were" | "be" | "been"
        | "being" | "get" | "got" | "i" | "we" | "you" | "they" | "he" | "she" | "of" | "for"
        | "to" | "with" | "in" | "on" | "at" | "by" | "from" | "and" | "or" | "newly"
        | "recently" | "already" | "just")
}

/// Words ending in "-ing" that are not participles ("nothing", "morning", "bring").
#[rustfmt::skip]
pub fn is_false_ing(w: &str) -> bool {
    matches!(w,
        "thing" | "things" | "nothing" | "something" | "anything" | "everything" | "morning"
        | "evening" | "during" | "string" | "strings" | "bring" | "ring" | "king" | "sing"
        | "spring" | "swing" | "wing" | "sting" | "ping" | "ding" | "ceiling" | "according"
        | "regarding" | "pending" | "including" | "following" | "setting" | "settings"
        | "heading" | "warning" | "warnings" | "logging" | "timing" | "interesting"
        | "missing" | "remaining" | "existing" | "failing" | "outstanding" | "ongoing"
        | "upcoming" | "incoming" | "outgoing")
}

/// Words after "push" that make it an idiom, not a git push ("push back on that").
#[rustfmt::skip]
pub fn is_push_idiom_particle(w: &str) -> bool {
    matches!(w, "back" | "for" | "ahead" | "forward" | "through" | "harder")
}

/// What may follow "get X merged" / "have it deployed" for the participle to be a verb and
/// not an adjective ("get the *fixed* build").
#[rustfmt::skip]
pub fn ends_causative(w: &str) -> bool {
    matches!(w,
        "now" | "today" | "tonight" | "tomorrow" | "soon" | "shortly" | "asap" | "quickly"
        | "right" | "first" | "too" | "then" | "and" | "by" | "in" | "within" | "before"
        | "after" | "for" | "on" | "over" | "properly" | "up" | "again" | "immediately"
        | "later" | "as" | "once" | "this" | "next" | "straight" | "promptly" | "cleanly"
        | "to" | "into" | "onto" | "at" | "via" | "with" | "from" | "under" | "behind")
}

/// What may follow an action noun for it to be the whole object ("a rebuild *now*"), and
/// not the first half of a compound ("the deploy *script*").
#[rustfmt::skip]
pub fn ends_noun_phrase(w: &str) -> bool {
    ends_causative(w) || matches!(w,
        "of" | "so" | "since" | "because" | "while" | "using" | "here" | "there" | "against")
}

/// Verbs that take an action noun as their object: "I'll *kick off* a rebuild", "*trigger*
/// a redeploy", "*do* a quick restart". Returns the light verb's form.
#[rustfmt::skip]
pub fn light_verb(w: &str) -> Option<Form> {
    match w {
        "do" | "run" | "trigger" | "kick" | "start" | "perform" | "issue" | "fire" | "launch"
        | "schedule" | "queue" | "initiate" => Some(Form::Base),
        "doing" | "running" | "triggering" | "kicking" | "starting" | "performing" | "issuing"
        | "firing" | "launching" | "scheduling" | "queueing" | "queuing" | "initiating" => {
            Some(Form::Ing)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_maps_to_its_lemma() {
        for (lemma, forms) in TABLE {
            for (form, kind) in forms.iter().zip(FORMS) {
                assert_eq!(verb(form), Some((*lemma, kind)), "{form}");
            }
            assert!(VERBS.contains(lemma), "{lemma} missing from VERBS");
        }
        assert_eq!(VERBS.len(), TABLE.len());
    }

    #[test]
    fn spellings_and_prefixes() {
        assert_eq!(verb("re-run"), Some(("rerun", Form::Base)));
        assert_eq!(verb("re-deploying"), Some(("redeploy", Form::Ing)));
        assert_eq!(verb("force-push"), Some(("push", Form::Base)));
        assert_eq!(verb("squash-merge"), Some(("merge", Form::Base)));
        assert_eq!(verb("hot-reload"), Some(("reload", Form::Base)));
        assert_eq!(verb("hotfix"), Some(("fix", Form::Base)));
        assert_eq!(verb("rollback"), Some(("roll back", Form::Base)));
        assert_eq!(verb("hotpush"), None);
        assert_eq!(verb("re-"), None);
        assert_eq!(verb("prefix"), None);
        assert_eq!(verb("fixture"), None);
    }
}
