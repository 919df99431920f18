//! "Let me run the benchmark again": a verb repeated within its clause ("again", "once more",
//! "one more time", "a second time") names a verb of the set — run again is a rerun, build
//! again a rebuild, deploy again a redeploy, launch again a relaunch, start again a restart.

use super::super::lexicon::{self, Form};
use crate::prose::scan::{Scan, Sentence, Tok};

/// How far after the verb "again" may come: a short object and a modifier ("run the
/// integration suite on staging again").
const REACH: usize = 10;

/// The verb of the set a word at `v` names, and its form: a repeated verb when the clause
/// repeats it, else the word's own verb of the set, if any.
pub(super) fn verb_at(scan: &Scan, s: &Sentence, v: usize) -> Option<(&'static str, Form)> {
    let w = scan.word(v);
    if let Some((lemma, form)) = lexicon::repeated_verb(w)
        && matches!(form, Form::Base | Form::Ing)
        && v + 1 < s.tokens.end
        && lexicon::fits_repetition(lemma, scan.word(v + 1))
        && repeated(scan, s, v)
    {
        return Some((lemma, form));
    }
    lexicon::verb(w)
}

/// The clause of the verb at `v` says it is done again, before another verb or clause starts
/// ("I'll run the linter and check the output again" repeats the check, not the run).
fn repeated(scan: &Scan, s: &Sentence, v: usize) -> bool {
    let end = s.tokens.end.min(v + 1 + REACH);
    for k in v + 1..end {
        match scan.kind(k) {
            Some(Tok::Word) => {}
            Some(Tok::Opaque) => continue,
            _ => return false,
        }
        let w = scan.word(k);
        let next = |d: usize| if k + d < end { scan.word(k + d) } else { "" };
        let again = match w {
            "again" => true,
            "once" => next(1) == "more",
            "one" => next(1) == "more" && next(2) == "time",
            "a" => next(1) == "second" && next(2) == "time",
            _ => false,
        };
        if again {
            return true;
        }
        // Right after the verb, "that" is its object ("run that again"); after a
        // determiner, a verb is a noun ("deploy the fix again").
        let noun = lexicon::is_determiner(scan.word(k - 1));
        if (k > v + 1 && lexicon::opens_clause(w))
            || (!noun && (lexicon::verb(w).is_some() || lexicon::repeated_verb(w).is_some()))
        {
            return false;
        }
    }
    false
}
