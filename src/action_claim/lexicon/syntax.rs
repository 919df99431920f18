//! Words that tell the grammar what a token is doing: a finite verb after a gerund subject,
//! a clause opener, the start of an object, a noun compound, a light verb.

use super::Form;

/// Time words that make a participle after a comma a status update ("the key was wrong,
/// pushing the fix now").
#[rustfmt::skip]
pub fn is_now(w: &str) -> bool {
    matches!(w, "now" | "immediately" | "next" | "asap")
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
        | "invalidates" | "restores" | "gives" | "keeps" | "leads" | "gets"
        // What doing something lets, costs or risks ("Pushing the branch *lets* CI run").
        | "lets" | "allows" | "ensures" | "prevents" | "avoids" | "saves" | "loses" | "risks"
        | "rewrites" | "discards" | "bypasses" | "defeats" | "adds" | "introduces" | "undoes")
}

/// Verbs of a purpose clause that take a clause of their own ("Redeploying now *to make sure*
/// the fix is live"): the finite verb after them belongs to that clause, not to a gerund
/// subject. A plain purpose ("to pick up the settings") has no finite verb of its own.
#[rustfmt::skip]
pub(crate) fn is_purpose_verb(w: &str) -> bool {
    matches!(w,
        "make" | "ensure" | "confirm" | "check" | "see" | "verify" | "prove" | "show" | "test"
        | "validate" | "double-check" | "determine" | "find" | "learn" | "tell")
}

/// Determiners: a word after one is a noun or an adjective ("the *scenario* we're fixing").
#[rustfmt::skip]
pub(crate) fn is_determiner(w: &str) -> bool {
    matches!(w,
        "the" | "a" | "an" | "this" | "that" | "these" | "those" | "my" | "our" | "your"
        | "their" | "its" | "his" | "her" | "every" | "each" | "any" | "some" | "another"
        | "whichever" | "whatever")
}

/// Nouns of time that head an adverbial, not a noun with a relative clause: "*This time*
/// I'll rebuild from scratch", "*Next round* we redeploy".
#[rustfmt::skip]
pub(crate) fn is_time_noun(w: &str) -> bool {
    matches!(w,
        "time" | "round" | "pass" | "turn" | "attempt" | "try" | "morning" | "afternoon"
        | "evening" | "night" | "week" | "weekend" | "day" | "session" | "sprint" | "iteration"
        | "step" | "way" | "point" | "moment" | "minute" | "second" | "minutes" | "seconds"
        | "hours" | "days" | "weeks" | "moments" | "while")
}

/// Verbs that take a topic, not an action, as their object: after "Let me *walk through* the
/// bug and", "fix" is most likely a noun, coordinated with "bug".
#[rustfmt::skip]
pub(crate) fn is_discourse_verb(w: &str) -> bool {
    matches!(w,
        "walk" | "talk" | "explain" | "summarize" | "summarise" | "outline" | "describe"
        | "recap" | "discuss" | "document" | "detail" | "list" | "cover" | "present" | "over"
        | "through" | "sketch" | "write" | "note" | "clarify" | "lay"
        | "break" | "diagram" | "illustrate")
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
        | "recently" | "already" | "just" | "gets" | "getting" | "has" | "have" | "had")
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

/// Words that want an object after them, so what follows their colon is that object ("Repeat
/// *for*: re-running …", "Steps *include*: rebuilding …", "The plan *is*: …").
#[rustfmt::skip]
pub(crate) fn wants_object(w: &str) -> bool {
    matches!(w,
        "for" | "with" | "to" | "by" | "on" | "in" | "of" | "like" | "about" | "as" | "via"
        | "from" | "into" | "including" | "include" | "includes" | "is" | "are" | "was"
        | "were" | "be" | "means" | "involves" | "covers" | "requires" | "needs" | "e.g" | "i.e"
        | "namely" | "such")
}

/// Verbs after a lead that announce no step of the assistant's own: "let me *know*", "I'll
/// *need* the key", "I'd *like* …", "I'll *be* happy to".
#[rustfmt::skip]
pub(crate) fn is_not_a_step(w: &str) -> bool {
    matches!(w,
        "know" | "need" | "want" | "like" | "be" | "hope" | "guess" | "wonder" | "leave" | "stop"
        | "wait" | "pause")
}

/// Words that may open the object of a participle announcing a step: "Checking *whether* …",
/// "Looking *into* it", "Searching *for* callers".
#[rustfmt::skip]
pub(crate) fn opens_step_object(w: &str) -> bool {
    matches!(w,
        "whether" | "if" | "how" | "what" | "why" | "where" | "which" | "who" | "for" | "into"
        | "through" | "at" | "over" | "around" | "across" | "in" | "on" | "out" | "up")
}
