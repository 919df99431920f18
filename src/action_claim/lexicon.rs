//! The words the classifier knows: the closed verb set with its inflections, and the small
//! closed word classes the grammar needs (`leads`, `cancels`, `syntax`) and the
//! same-turn nudge needs (`time`, `closing`). Everything is
//! matched on normalised words (ASCII lowercase, straight apostrophes). The word lists are kept
//! compact on purpose, one class per function, so a reviewer can read each class at a glance.

mod cancels;
mod closing;
mod leads;
mod syntax;
mod time;

pub use cancels::*;
pub(crate) use closing::*;
pub use leads::*;
pub use syntax::*;
pub(crate) use time::*;

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
    // The shortest form is "fix", and every form, prefix ("re-", "hot") and manner prefix
    // ("force-", "squash-", "cherry-", "hard-", "merge-" …) starts with one of these letters:
    // most words are rejected at once (this runs on every word of every final message).
    if word.len() < 3
        || !matches!(
            word.as_bytes()[0],
            b'r' | b'd' | b'p' | b'm' | b'f' | b's' | b'h' | b'c'
        )
    {
        return None;
    }
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
    // Every manner prefix starts with one of these letters.
    if matches!(word.as_bytes()[0], b'f' | b's' | b'h' | b'c' | b'm')
        && let Some(dash) = word.bytes().rposition(|b| b == b'-')
        && is_manner(&word[..dash])
    {
        return plain_verb(&word[dash + 1..]);
    }
    match word {
        "rollback" | "roll-back" => Some(("roll back", Form::Base)),
        _ => plain_verb(word.strip_prefix("hot").unwrap_or(word))
            .filter(|(lemma, _)| !word.starts_with("hot") || *lemma == "fix"),
    }
}

fn plain_verb(w: &str) -> Option<(&'static str, Form)> {
    // Every form starts with one of these pairs of letters: most words are rejected at once.
    if !matches!(
        w.as_bytes(),
        [b'r', b'e' | b'o', ..]
            | [b'd' | b'm', b'e', ..]
            | [b'p', b'u', ..]
            | [b'f', b'i', ..]
            | [b's', b'h', ..]
    ) {
        return None;
    }
    TABLE.iter().find_map(|(lemma, forms)| {
        let k = forms.iter().position(|f| *f == w)?;
        Some((*lemma, FORMS[k]))
    })
}

/// Verbs outside the set that name one of its actions when the action is repeated: "run the
/// suite *again*" is a rerun, "build it once more" a rebuild. Returns the verb of the set and
/// the form; whether the sentence says "again" is the grammar's to check.
pub(crate) fn repeated_verb(word: &str) -> Option<(&'static str, Form)> {
    if !matches!(
        word.as_bytes().first(),
        Some(b'r' | b'b' | b'd' | b'l' | b's')
    ) {
        return None;
    }
    const AGAIN: &[(&str, [&str; 4])] = &[
        ("rerun", ["run", "runs", "running", "ran"]),
        ("rebuild", ["build", "builds", "building", "built"]),
        ("redeploy", ["deploy", "deploys", "deploying", "deployed"]),
        ("relaunch", ["launch", "launches", "launching", "launched"]),
        ("restart", ["start", "starts", "starting", "started"]),
    ];
    AGAIN.iter().find_map(|(lemma, forms)| {
        let k = forms.iter().position(|f| *f == word)?;
        Some((*lemma, FORMS[k]))
    })
}

/// What may follow a repeated verb for it to be the action ("run *the suite* again"), rather
/// than an idiom or a fresh start ("run *into* it again", "start *over*", "start again from
/// scratch", "start *testing* again").
pub(crate) fn fits_repetition(lemma: &str, next: &str) -> bool {
    match lemma {
        "rerun" => !matches!(
            next,
            "into"
                | "through"
                | "across"
                | "out"
                | "over"
                | "by"
                | "past"
                | "away"
                | "low"
                | "short"
                | "down"
                | "around"
        ),
        "restart" => {
            !(next.ends_with("ing")
                || matches!(
                    next,
                    "again"
                        | "over"
                        | "from"
                        | "afresh"
                        | "anew"
                        | "fresh"
                        | "with"
                        | "on"
                        | "at"
                        | "by"
                        | "off"
                        | "to"
                        | "in"
                        | "out"
                        | "once"
                        | "one"
                        | "a"
                ))
        }
        "rebuild" => !matches!(next, "on" | "up" | "trust" | "confidence"),
        _ => true,
    }
}

/// How an action is done, written before the verb ("force push", "squash-merge",
/// "fast-forward merge", "hot-reload").
#[rustfmt::skip]
pub fn is_manner(w: &str) -> bool {
    matches!(w,
        "force" | "squash" | "fast-forward" | "hot" | "cold" | "hard" | "soft" | "clean" | "full"
        | "manual" | "manually")
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

    #[test]
    fn repeated_verbs_name_verbs_of_the_set() {
        assert_eq!(repeated_verb("running"), Some(("rerun", Form::Ing)));
        assert_eq!(repeated_verb("build"), Some(("rebuild", Form::Base)));
        assert_eq!(repeated_verb("deploy"), Some(("redeploy", Form::Base)));
        assert_eq!(repeated_verb("started"), Some(("restart", Form::Past)));
        assert_eq!(repeated_verb("restart"), None);
        for (lemma, _) in
            ["run", "build", "deploy", "launch", "start"].map(|w| repeated_verb(w).unwrap())
        {
            assert!(VERBS.contains(&lemma), "{lemma}");
        }
    }
}
