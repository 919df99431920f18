//! Words around a lead: what may sit between a lead and its verb, and what may open a
//! sentence before a subject-less promise.

use super::is_manner;

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
        | "lastly" | "still" | "just" | "hmm" | "oops" | "fine" | "aight" | "kk" | "gotcha"
        | "roger" | "sweet" | "bet" | "actually")
}

/// Clauses that may be fronted before a participle opening the main clause:
/// "Since CI is green, shipping it.", "Given that, rebuilding the image now."
#[rustfmt::skip]
pub fn fronts_clause(w: &str) -> bool {
    matches!(w,
        "since" | "because" | "as" | "given" | "once" | "after" | "with" | "seeing" | "now"
        | "so" | "having")
}

/// Necessity before a verb ("I *need to* restart nginx", "we *have to* rebuild", "I *should*
/// push the tag"): not a promise on its own. `prev` is the word before `w`.
pub(crate) fn is_necessity(prev: &str, w: &str) -> bool {
    match w {
        "to" => matches!(prev, "need" | "have" | "got" | "ought"),
        _ => matches!(w, "must" | "should" | "gotta"),
    }
}
