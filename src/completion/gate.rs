//! Which units may hold a claim at all. Every construction of [`super::checks`] and
//! [`super::actions`] needs, in its own unit, a success word ("pass", "green", "clean"), a
//! count of none ("no", "0"), a verb that ran or built ("completes", "compiles"), a past form
//! of a verb of the set ("pushed"), or a tick mark; most units of a message have none, and are
//! not read further. A test compares the gated reading with the full one on every labelled
//! message and on generated text, so a construction added without its trigger fails it.

use super::CheckKind;
use super::context::{Reader, Unit};
use super::words::{TICKS, is_success, is_zero};
use crate::action_claim::lexicon::{self, Form};
use crate::bytes::contains;
use crate::prose::scan::Tok;

/// Whether anything in the message ticks a check off: a tick may stand for the predicate of
/// any unit on its line, so every unit is read.
pub(super) fn ticked_anywhere(text: &str) -> bool {
    // A byte search for each tick's encoding costs far less than decoding every character.
    TICKS
        .iter()
        .any(|tick| contains(text.as_bytes(), tick.encode_utf8(&mut [0; 4]).as_bytes()))
}

/// How far past its unit a construction may read a word it needs: a runner's count reads the
/// token after its number ("42/42" then "passing"), which may open the next sentence.
const READS_PAST_UNIT: usize = 4;

/// Whether `u`, or the few tokens after it, hold a word some construction needs.
pub(super) fn may_claim(r: &Reader, u: &Unit) -> bool {
    (u.tokens.start..u.tokens.end + READS_PAST_UNIT)
        .any(|k| r.kind(k) == Some(Tok::Word) && triggers(r.word(k)))
}

fn triggers(w: &str) -> bool {
    // The build's and lint's success words include the tests' and the typecheck's.
    is_success(CheckKind::Build, w)
        || is_success(CheckKind::Lint, w)
        || is_zero(w)
        || matches!(
            w,
            // "types check", "mypy found nothing", "it compiles", "everything builds",
            // "make completes without errors", "npm test exited 0", "42/42 passing".
            "check"
                | "checks"
                | "nothing"
                | "compiles"
                | "compiled"
                | "builds"
                | "built"
                | "completes"
                | "completed"
                | "finishes"
                | "finished"
                | "runs"
                | "ran"
                | "exits"
                | "exited"
                | "pass"
                | "passes"
                | "passed"
                | "passing"
        )
        || lexicon::verb(w).is_some_and(|(verb, form)| form == Form::Past || verb == "rerun")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tick_is_seen_and_plain_text_has_none() {
        for tick in TICKS {
            assert!(ticked_anywhere(&format!("Lint {tick} and more")), "{tick}");
        }
        assert!(!ticked_anywhere("All done — café ☕ “quoted” 🎉"));
    }

    #[test]
    fn the_build_and_lint_success_words_cover_every_kind() {
        let words = [
            "pass",
            "passes",
            "passed",
            "passing",
            "succeed",
            "succeeds",
            "succeeded",
            "green",
            "ok",
            "okay",
            "success",
            "clean",
            "successful",
            "works",
            "worked",
            "fine",
            "compiles",
            "compiled",
            "happy",
            "quiet",
            "silent",
            "satisfied",
        ];
        for w in words {
            for kind in CheckKind::ALL {
                if is_success(kind, w) {
                    assert!(triggers(w), "{w:?} ({kind:?})");
                }
            }
        }
    }
}
