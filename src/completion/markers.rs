//! What takes a claim back, found once per unit: hedges, plans, conditions, relayed reports,
//! other times and places, habits, partial reports, the second person, actors, and failure
//! reports with what each is about. [`Analysis::allowed`] applies them to one claim;
//! [`drop_acknowledged`] lets a failure reported elsewhere in the message ("2 failures are
//! pre-existing") take back a claim about the whole check.

use super::context::Analysis;
use super::heads::HeadKind;
use super::runners::Kinds;
use super::words::*;
use super::{CheckKind, Found, Scope, Subject};
use crate::action_claim::lexicon::{self, Form};
use crate::prose::scan::Tok;

mod acks;
mod classes;

pub(super) use acks::{Acks, drop_acknowledged};
use classes::*;

/// Token positions of each marker class, in order.
#[derive(Default)]
pub(super) struct Markers {
    hedge: Vec<usize>,
    plan: Vec<usize>,
    condition: Vec<usize>,
    relay: Vec<usize>,
    narrative: Vec<usize>,
    habit: Vec<usize>,
    partial: Vec<usize>,
    second: Vec<usize>,
    actor: Vec<usize>,
    /// Failure reports and what each is about.
    failures: Vec<(usize, Target)>,
    /// Checks the unit also reports passing ("fails on the old code and passes with the fix").
    successes: Kinds,
    /// The unit says something was fixed or resolved ("the 2 failing tests are fixed").
    resolves: bool,
    /// Dash tokens (clause breaks that end a marker's reach), in order.
    dashes: Vec<usize>,
    last_comma: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// A check, and which head (index into the unit's heads) the report is about.
    Check {
        kind: CheckKind,
        head: usize,
    },
    Action(&'static str),
    Other,
    /// No head in the unit; `tests` when the words are about tests ("2 failures remain").
    Nothing {
        tests: bool,
    },
}

/// Whose claim is being tested.
#[derive(Clone, Copy)]
pub(super) enum Policy {
    /// A check claim, made of `head` (None when a verb or a count made it) about the whole
    /// check or a subset of it: a failure of another part does not take a subset back.
    Check {
        kind: CheckKind,
        head: Option<usize>,
        all: bool,
    },
    /// An action claim; `describes` when its form can also describe a standing arrangement
    /// (a passive, a telegraphic line), where habits ("automatically") take it back.
    Action { verb: &'static str, describes: bool },
}

fn any_in(v: &[usize], from: usize, to: usize) -> bool {
    let i = v.partition_point(|&p| p < from);
    v.get(i).is_some_and(|&p| p < to)
}

fn is_negation(w: &str) -> bool {
    lexicon::is_negation(w)
        || matches!(
            w,
            "nothing" | "none" | "nor" | "aren't" | "wasn't" | "weren't"
        )
}

impl Markers {
    pub(super) fn of(a: &Analysis) -> Markers {
        let r = a.reader;
        let u = &a.unit;
        let mut m = Markers::default();
        let in_check_head = |k: usize| {
            a.head_at(k)
                .is_some_and(|(_, h)| matches!(h.kind, HeadKind::Check(_)))
        };
        let word_at = |k: usize| a.word_in_unit(k).unwrap_or("");
        for k in u.tokens.clone() {
            match r.kind(k) {
                Some(Tok::Dash) => {
                    m.dashes.push(k);
                    if is_cross(r.raw(k)) {
                        m.failures.push((k, a.target_of(k)));
                    }
                    continue;
                }
                Some(Tok::Comma) => m.last_comma = Some(k),
                _ => {}
            }
            if r.kind(k) != Some(Tok::Word) || in_check_head(k) {
                continue;
            }
            let w = r.word(k);
            let prev = if k > u.tokens.start {
                word_at(k - 1)
            } else {
                ""
            };
            let prev2 = if k > u.tokens.start + 1 {
                word_at(k - 2)
            } else {
                ""
            };
            let next = word_at(k + 1);
            if is_hedge(w) {
                m.hedge.push(k);
            }
            if plan(a, k, w, prev, next) {
                m.plan.push(k);
            }
            if condition(a, k, w, next) {
                m.condition.push(k);
            }
            if (is_reporting(w)
                && !matches!(prev, "i" | "we" | "i've" | "we've")
                && !(k > u.tokens.start && in_check_head(k - 1)))
                || (w == "according" && next == "to")
            {
                m.relay.push(k);
            }
            if narrative(w, prev, next) {
                m.narrative.push(k);
            }
            if habit(w, next) {
                m.habit.push(k);
            }
            if partial(w, prev, next) {
                m.partial.push(k);
            }
            if is_second_person(w) {
                m.second.push(k);
            }
            // Whose report a check claim would be relaying ("CI tests pass", "green on
            // GitHub Actions"); a "workflow" or a "server" may just name the tests.
            if is_ci(w)
                || matches!(
                    w,
                    "bot"
                        | "dependabot"
                        | "renovate"
                        | "reviewer"
                        | "reviewers"
                        | "upstream"
                        | "remote"
                )
            {
                m.actor.push(k);
            }
            if matches!(
                w,
                "fixed" | "resolved" | "addressed" | "corrected" | "repaired"
            ) {
                m.resolves = true;
            }
            if let Some(at) = failure(w, prev, prev2, next, word_at(k + 2)) {
                m.failures.push((k + at, a.target_of(k + at)));
            } else if is_any_success(w)
                && let Target::Check { kind, .. } = a.target_of(k)
                && is_success(kind, w)
            {
                m.successes = m.successes.with(kind);
            }
        }
        m
    }
}

impl Analysis<'_, '_, '_> {
    /// What the failure report at `k` is about: a check head (the one it is in, else the
    /// nearest before it, else after it), or an action named right next to it ("the push was
    /// rejected", "deploy failed", "failed to push"). A failure far from an action verb is
    /// not that action's ("I reverted the commit since it's what broke login").
    fn target_of(&self, k: usize) -> Target {
        let action_at = |j: usize| match self.head_at(j) {
            Some((_, h)) => match h.kind {
                HeadKind::Action(v) => Some(v),
                _ => None,
            },
            None => None,
        };
        let near_action = (k.saturating_sub(3)..k)
            .rev()
            .find_map(action_at)
            .or_else(|| (k + 1..=k + 2).find_map(action_at));
        if let Some(v) = near_action {
            return Target::Action(v);
        }
        let inside = self
            .head_at(k)
            .filter(|(_, h)| !matches!(h.kind, HeadKind::Action(_)))
            .map(|(i, _)| i);
        let (before, after) = self.noun_heads_around(k);
        match inside.or(before).or(after).map(|i| (i, &self.heads[i])) {
            Some((i, h)) => match h.kind {
                HeadKind::Check(kind) => Target::Check { kind, head: i },
                _ => Target::Other,
            },
            None if self.heads.is_empty() => Target::Nothing {
                tests: self.standing_failure(k),
            },
            None => Target::Other,
        }
    }

    /// A failure named without a check that still reads as tests failing: a count ("2
    /// failures", "3 failed") or a standing one ("still failing", "pre-existing failure",
    /// "flaky"), not a word about code ("logs errors on failure", "why doesn't it fail").
    fn standing_failure(&self, k: usize) -> bool {
        let r = self.reader;
        let w = r.word(k);
        if !matches!(
            w,
            "fail" | "fails" | "failing" | "failure" | "failures" | "flaky" | "failed"
        ) {
            return false;
        }
        let lo = self.unit.tokens.start.max(k.saturating_sub(3));
        let hi = self.unit.tokens.end.min(k + 4);
        (lo..hi).any(|j| {
            let x = r.word(j);
            (j < k && number(x).is_some_and(|n| n > 0))
                || matches!(
                    x,
                    "still"
                        | "remain"
                        | "remaining"
                        | "pre-existing"
                        | "preexisting"
                        | "flaky"
                        | "known"
                        | "intermittently"
                )
        })
    }

    /// Does anything in the unit take back the claim that starts at token `start` and is
    /// made at token `pred`?
    pub(super) fn allowed(&self, policy: Policy, start: usize, pred: usize) -> bool {
        let u = &self.unit;
        let line = self.line();
        if u.question || line.planned || line.unticked {
            return false;
        }
        let m = self.markers();
        let r = self.reader;
        // Markers before a dash or a joining colon govern what comes before it only ("Let me
        // know if you need anything — all tests pass", "I only checked the module: … passes").
        let dash = m.dashes.partition_point(|&d| d < start);
        let mut from = dash
            .checked_sub(1)
            .map_or(u.tokens.start, |d| m.dashes[d] + 1);
        if let Some(&j) = u.joins.iter().rev().find(|&&j| j <= start) {
            from = from.max(j);
        }
        let clause_end = self.clause_end(pred) + 1;
        if any_in(&m.hedge, from, pred) || any_in(&m.hedge, pred + 1, clause_end) {
            return false;
        }
        // A short trailing clause of hedges: "All tests pass, I think."
        if let Some(last_comma) = m.last_comma.filter(|&c| c > pred)
            && u.tokens.end - last_comma <= 4
            && any_in(&m.hedge, last_comma, u.tokens.end)
        {
            return false;
        }
        if any_in(&m.plan, from, pred)
            || any_in(&m.condition, from, pred)
            || any_in(&m.second, from, pred)
            || any_in(&m.relay, u.tokens.start, pred)
            || !m.narrative.is_empty()
        {
            return false;
        }
        // A condition right after the claim governs it ("pass if you set X", ", unless …").
        if let Some(&c) = m.condition.get(m.condition.partition_point(|&c| c <= pred)) {
            let between = c >= clause_end;
            let after_comma = r.kind(c - 1) == Some(Tok::Comma);
            if !between || after_comma {
                return false;
            }
        }
        if m.relay.iter().any(|&k| r.word(k) == "according") {
            return false;
        }
        match policy {
            Policy::Check { kind, head, all } => {
                // An actor in the claim's words ("CI tests pass") or in a phrase right
                // after it ("pass in CI", "green on GitHub Actions").
                let actor_after = m.actor.iter().any(|&k| {
                    k > pred
                        && k < clause_end
                        && k - pred <= 4
                        && (pred + 1..k).any(|j| is_preposition(r.word(j)))
                });
                // A habit before it makes it a generalisation, not this turn's result
                // ("the jitter usually lands below 500 ms and the test passes").
                !any_in(&m.partial, u.tokens.start, u.tokens.end)
                    && !any_in(&m.habit, from, pred)
                    && !any_in(&m.actor, start, pred)
                    && !actor_after
                    && !m.failures.iter().any(|(_, t)| match *t {
                        Target::Check { kind: k, head: h } => {
                            k == kind && (all || head.is_none_or(|c| c == h))
                        }
                        Target::Nothing { tests } => tests && all && kind == CheckKind::Tests,
                        _ => false,
                    })
            }
            Policy::Action { verb, describes } => {
                (!describes || m.habit.is_empty())
                    && !m.failures.iter().any(|(_, t)| *t == Target::Action(verb))
            }
        }
    }
}
