//! When a promise is for: the words that put it later ("tomorrow", "after the freeze", "at 5
//! pm") or make it wait ("once the build finishes", "when CI is green"), for the same-turn
//! nudge, which holds the assistant only to what it says it does now.

/// Words that put a promise later on their own: "I'll redeploy *tomorrow*", "… *later*
/// today", "… *after* the freeze", "… *once* the build finishes", "… *when* CI is green".
#[rustfmt::skip]
pub(crate) fn is_later(w: &str) -> bool {
    matches!(w,
        "tomorrow" | "tonight" | "later" | "soon" | "eventually" | "someday" | "sometime"
        | "afterwards" | "afterward" | "overnight" | "eod" | "eow" | "tmrw" | "tmr" | "today"
        | "weekend" | "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday"
        | "sunday" | "morning" | "afternoon" | "evening" | "after" | "once" | "when"
        | "whenever" | "until" | "till" | "til" | "pending" | "before")
}

/// Time nouns after "next" that put a promise later: "next *week*", "in the next *session*";
/// "Next, I'll push" is not one.
#[rustfmt::skip]
pub(crate) fn is_later_period(w: &str) -> bool {
    matches!(w,
        "week" | "month" | "session" | "sprint" | "release" | "time" | "turn" | "iteration"
        | "cycle" | "day" | "meeting" | "pr" | "conversation" | "chat" | "round" | "quarter"
        | "year" | "window" | "deploy" | "build" | "run" | "morning" | "standup" | "weekend")
}

/// Units of a delay long enough to be later ("in an *hour*", "in 10 *minutes*"); "in a
/// second" is now.
#[rustfmt::skip]
pub(crate) fn is_delay_unit(w: &str) -> bool {
    matches!(w,
        "minute" | "minutes" | "min" | "mins" | "hour" | "hours" | "hr" | "hrs" | "day" | "days"
        | "week" | "weeks" | "month" | "months" | "bit" | "while")
}

/// What follows "by" or "at" in a deadline or an appointed time ("by *tomorrow*", "at
/// *noon*", "by *end* of day"), besides a number ("at 5 pm").
#[rustfmt::skip]
pub(crate) fn is_appointed(w: &str) -> bool {
    is_later(w) || matches!(w,
        "noon" | "midnight" | "end" | "eod" | "cob" | "close" | "lunch" | "then")
}

/// Words in the sentence before a promise that say something is under way, so the promise
/// waits on it: "*Waiting* for the canary. I'll roll back if …" ("still" + a participle
/// too: "The build is still running. I'll publish the release.").
#[rustfmt::skip]
pub(crate) fn is_under_way(w: &str) -> bool {
    matches!(w, "waiting" | "underway" | "queued" | "in-progress")
}

/// Places in code or text, named after "after", "before" or "at the end of", which then say
/// where, not when: "I'll add it after the *function*", "at the end of the *file*".
#[rustfmt::skip]
pub(crate) fn is_place(w: &str) -> bool {
    matches!(w,
        "file" | "function" | "method" | "line" | "lines" | "section" | "block" | "import"
        | "imports" | "declaration" | "declarations" | "component" | "class" | "struct"
        | "field" | "fields" | "definition" | "comment" | "loop" | "statement" | "tag" | "div"
        | "header" | "module" | "type" | "constant" | "variable" | "hook" | "handler" | "case"
        | "entry" | "row" | "column" | "list" | "table" | "key" | "array" | "object" | "element"
        | "node" | "paragraph" | "heading" | "bullet" | "helper" | "impl" | "enum" | "trait"
        | "closing" | "opening" | "brace" | "bracket" | "readme" | "page" | "docstring"
        | "signature" | "arm" | "assertion" | "props")
}

/// Verbs that tell of an event after "after"/"before" + a name, which makes it a time: "after
/// `make release` *finishes*", "before the handler *runs*".
#[rustfmt::skip]
pub(crate) fn tells_event(w: &str) -> bool {
    matches!(w,
        "finishes" | "finished" | "completes" | "completed" | "passes" | "passed" | "lands"
        | "landed" | "succeeds" | "succeeded" | "runs" | "ran" | "ends" | "ended" | "exits"
        | "exited" | "is" | "are" | "was" | "were" | "has" | "have" | "gets" | "got" | "goes"
        | "comes" | "returns" | "deploys" | "merges" | "builds" | "starts" | "stops" | "fails"
        | "done" | "ready" | "green" | "merged" | "deployed" | "reviewed" | "approved")
}
