//! How messages close: courtesy lines after the last step ("Let me know if anything else
//! breaks.", "Thanks for the quick report!") and lines that say what to expect from it ("That
//! should pick up the new config.").

/// Words that open a courtesy line: "*Thanks* for the report!", "*Hope* this helps.",
/// "*Feel* free to ping me.", "*Happy* to dig further." ("Let me know …" anywhere in a line
/// makes one too; the caller checks that.)
#[rustfmt::skip]
pub(crate) fn opens_courtesy(w: &str) -> bool {
    matches!(w,
        "thanks" | "thank" | "thx" | "ty" | "cheers" | "hope" | "hth" | "happy" | "glad" | "feel"
        | "enjoy" | "shout" | "holler" | "ping" | "lmk" | "cool" | "great" | "nice" | "sorry"
        | "apologies")
}

/// Words that open a line saying what to expect from the step just announced: "*That*
/// should pick up the config.", "*It* takes about 30 seconds.", "*Should* be quick."
#[rustfmt::skip]
pub(crate) fn opens_expectation(w: &str) -> bool {
    matches!(w,
        "this" | "that" | "it" | "it'll" | "that'll" | "this'll" | "should" | "expect"
        | "which" | "it's" | "that's")
}

/// Words that make such a line about what to expect: "should", "will", "takes" …
#[rustfmt::skip]
pub(crate) fn expects(w: &str) -> bool {
    w.ends_with("'ll") || matches!(w,
        "should" | "will" | "would" | "may" | "might" | "could" | "can" | "usually" | "typically"
        | "takes" | "take" | "expect" | "probably" | "hopefully")
}
