//! Lists: an item under a lead-in about past attempts or options, or one that reports its own
//! outcome, holds no current action.

use super::super::lexicon;
use crate::prose::scan::{Scan, Sentence, Tok};

/// The list a bullet sentence belongs to, and whether it holds past attempts or options
/// rather than current actions. Tracked as the sentences go by, so each list item is looked
/// at once and each lead-in once.
#[derive(Default)]
pub(super) struct ListLeadIn {
    /// The nearest sentence so far that is not a list item.
    lead_in: Option<usize>,
    /// Whether `lead_in` is retrospective, once asked.
    retrospective: Option<bool>,
}

impl ListLeadIn {
    pub(super) fn see(&mut self, index: usize, s: &Sentence) {
        if !s.bullet {
            self.lead_in = Some(index);
            self.retrospective = None;
        }
    }

    /// A list item under a lead-in about past attempts or options ("Things I tried that
    /// didn't work:"), or one that reports its own outcome ("restarting it: no effect").
    pub(super) fn retrospective(&mut self, scan: &Scan, index: usize) -> bool {
        if item_reports_outcome(scan, index) {
            return true;
        }
        let Some(lead_in) = self.lead_in else {
            return false;
        };
        *self.retrospective.get_or_insert_with(|| {
            scan.sentences[lead_in]
                .tokens
                .clone()
                .any(|k| lexicon::is_retrospective(scan.word(k)))
        })
    }
}

/// The item is the rest of its line ("- rebooting the node: no effect" is two sentences);
/// its outcome comes after the action, past a colon, a dash or a comma. An outcome word
/// inside the action describes its object ("- rerunning the shards that failed").
fn item_reports_outcome(scan: &Scan, index: usize) -> bool {
    let mut after_action = false;
    for (k, s) in scan.sentences[index..].iter().enumerate() {
        if k > 0 && s.line_start {
            break;
        }
        after_action |= k > 0;
        for t in s.tokens.clone() {
            match scan.kind(t) {
                Some(Tok::Dash | Tok::Comma) => after_action = true,
                Some(Tok::Word) if after_action && lexicon::reports_outcome(scan.word(t)) => {
                    return true;
                }
                _ => {}
            }
        }
    }
    false
}
