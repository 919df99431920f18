//! Which units may hold a claim at all. Every construction of [`super::checks`] and
//! [`super::actions`] needs, in its own unit, a success word ("pass", "green", "clean"), a
//! count of none ("no", "0"), a verb that ran or built ("completes", "compiles"), a past form
//! of a verb of the set ("pushed"), or a tick mark; most units of a message have none, and are
//! not read further. A test compares the gated reading with the full one on every labelled
//! message and on generated text, so a construction added without its trigger fails it.

use super::context::{Reader, Unit};
use super::words::{TICKS, is_any_success, is_exit_verb, is_run_through_verb, is_zero};
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

/// Whether `u` holds a word some construction needs.
pub(super) fn may_claim(r: &Reader, u: &Unit) -> bool {
    u.tokens
        .clone()
        .any(|k| r.kind(k) == Some(Tok::Word) && triggers(r.word(k)))
}

fn triggers(w: &str) -> bool {
    is_any_success(w)
        || is_zero(w)
        || is_exit_verb(w)
        || is_run_through_verb(w)
        // "types check", "mypy found nothing", "everything builds", "42/42 passed".
        || matches!(w, "check" | "checks" | "nothing" | "builds" | "built")
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
}
