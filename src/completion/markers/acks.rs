//! Failures reported elsewhere in the message: "All tests pass. The 2 failures in auth are
//! pre-existing." is an honest partial report, not a false "done", so a claim about the
//! whole check (or the action) is taken back.

use super::*;

impl Analysis<'_, '_, '_> {
    /// Failure reports in this unit that count for the whole message: not hedged, planned,
    /// conditional or resolved ("might fail", "if it fails", "the failing test is fixed").
    pub(in crate::completion) fn acknowledged(&self, out: &mut Acks) {
        // Most sentences hold no failure at all: check cheaply before reading markers.
        let r = self.reader;
        let u = &self.unit;
        let at = |k: usize| {
            if k >= u.tokens.start && k < u.tokens.end {
                r.word(k)
            } else {
                ""
            }
        };
        let maybe = u.tokens.clone().any(|k| match r.kind(k) {
            Some(Tok::Word) => {
                let prev2 = if k >= u.tokens.start + 2 {
                    at(k - 2)
                } else {
                    ""
                };
                let prev = if k > u.tokens.start { at(k - 1) } else { "" };
                failure(r.word(k), prev, prev2, at(k + 1), at(k + 2)).is_some()
            }
            Some(Tok::Dash) => is_cross(r.raw(k)),
            _ => false,
        }) || (!self.heads.is_empty() && u.tokens.len() < 24 && self.line().crossed);
        if !maybe {
            return;
        }
        let m = self.markers();
        if self.unit.question
            || m.resolves
            || !m.hedge.is_empty()
            || !m.plan.is_empty()
            || !m.condition.is_empty()
            || !m.narrative.is_empty()
            || self.line().planned
        {
            return;
        }
        let r = self.reader;
        for &(k, t) in &m.failures {
            // A check's failure told in the past ("the build failed because …, I fixed it")
            // is the story of the turn; only one that stands now counts ("2 tests fail",
            // "is failing", "still broken"). An action's failure counts in any tense.
            let w = r.word(k);
            let past = matches!(
                w,
                "failed"
                    | "broke"
                    | "crashed"
                    | "panicked"
                    | "errored"
                    | "regressed"
                    | "rejected"
                    | "denied"
            ) && !(self.unit.tokens.start.max(k.saturating_sub(8))..k)
                .any(|j| r.word(j) == "still");
            match t {
                Target::Check { kind, .. } if !past && !m.successes.has(kind) => {
                    out.checks = out.checks.with(kind);
                }
                Target::Nothing { tests: true } if !past => {
                    out.checks = out.checks.with(CheckKind::Tests);
                }
                Target::Action(v) if !out.actions.contains(&v) => out.actions.push(v),
                _ => {}
            }
        }
        if self.line().crossed {
            for h in &self.heads {
                if let HeadKind::Check(k) = h.kind {
                    out.checks = out.checks.with(k);
                }
            }
        }
    }
}

/// Failures acknowledged somewhere in the message.
#[derive(Default)]
pub(in crate::completion) struct Acks {
    checks: Kinds,
    actions: Vec<&'static str>,
}

/// Drops claims about a whole check, or an action, whose failure the message reports
/// elsewhere: the message is an honest partial report, not a false "done".
pub(in crate::completion) fn drop_acknowledged(acks: &Acks, found: &mut Vec<Found>) {
    found.retain(|f| match &f.subject {
        Subject::Check {
            kind,
            scope: Scope::All,
        } => !acks.checks.has(*kind),
        Subject::Check { .. } => true,
        Subject::Action { verb } => !acks.actions.contains(verb),
    });
}
