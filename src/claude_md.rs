/*!
`CLAUDE.md` awareness: tells the agent what the action-claim sentinel and the resume-queue
host lock are, so it can explain them when the user asks.

Each section is added at most once, decided by content sniffing with instar's own marker
strings (`Action-Claim Follow-Through Sentinel`, `autoHealStaleHostLock`), so neither instar's
migrator nor ours ever adds a second copy of a section the other wrote. A marker inside a
fenced code block does not count, and a section is never appended inside an unclosed fence
(we close the fence first, on a line of its own). Sections are only ever appended: the
user's bytes are kept exactly, and a file that is missing is created.
*/

use crate::markdown::{self, Fences};

pub(crate) const FILE: &str = "CLAUDE.md";

/// A section we add: the string that shows it is present, and its text.
pub(crate) struct Section {
    pub name: &'static str,
    pub sniff: &'static str,
    pub text: &'static str,
}

pub(crate) const ACTION_CLAIM: Section = Section {
    name: "Action-Claim Follow-Through Sentinel section",
    sniff: "Action-Claim Follow-Through Sentinel",
    text: "\
## Action-Claim Follow-Through Sentinel

When you end a turn with a concrete promise — \"I'll restart the server\", \"Relaunching now\",
\"Pushing the fix\" — a native Stop hook from instar-hooks (`action-claim-followthrough`)
records it as a follow-through commitment for this conversation. It ignores vague talk,
questions, offers, past tense, quotations and code. If the turn ends on an action you announced
and did not take (\"Let me restart the worker now.\" with no tool call after it), or on a claim
that the turn's own last run contradicts (\"All tests pass\" after a failing `npm test`), the
hook continues the turn once with a short reason (\"Stop hook feedback\"): do the action or fix
the failure, or say plainly why you cannot or should not. It asks at most once a turn and three
times a session; `actionClaim.sameTurn` set to false turns this off and keeps the recording.
Saying the same thing again updates the one commitment instead of adding another; a commitment
expires after 6 hours (`actionClaim.expiresHours`) and at most 5 stay open per conversation
(`actionClaim.perTopicCap`). When a command that does the promised thing runs (say `git push`
after \"I'll push\"), the commitment is marked fulfilled; a promise still open after a while is
handed back to you at the start of a later turn. Whether it records is `actionClaim.enabled`:
on by default when the hooks run from the instar-hooks Claude Code plugin, off by default when
they are registered in `.claude/settings.json`; it can be set in `.instar/config.json` or in
the per-user `~/.config/instar-hooks/config.json` (an explicit false in either wins), and
`instar-hooks config list` shows what applies here. If the user asks why a commitment appeared,
this is the sentinel keeping your word visible: `instar-hooks commitments list` shows them, and
`instar-hooks commitments resolve ID --note \"…\"` closes one that was handled another way.
",
};

pub(crate) const HOST_LOCK: Section = Section {
    name: "resume-queue host-lock section",
    sniff: "autoHealStaleHostLock",
    text: "\
## Resume-Queue Host Lock (autoHealStaleHostLock)

instar's resume queue revives an autonomous run that was reaped mid-work. It takes a lock at
`.instar/state/resume-queue.lock` that names this machine, so two machines never share its
state. After a machine rename that lock names the old host, and the queue stays disabled rather
than guess; it reports itself as `off-runtime-divergent` on `GET /guards` instead of going
quiet. With `monitoring.resumeQueue.autoHealStaleHostLock` on, the server heals a provable
same-machine rename (the state directory is on a local disk, the old process is dead, and the
lock's heartbeat is at least 5 minutes old) and stays disabled on anything uncertain. If the
user asks why an autonomous run did not come back: `instar-hooks resume-queue status` explains
it without a running server, and `instar-hooks resume-queue heal` fixes a stale rename lock.
",
};

pub(crate) const SECTIONS: [&Section; 2] = [&ACTION_CLAIM, &HOST_LOCK];

/// The result of patching: the new text (when it changed) and what happened, for the report.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Patched {
    pub content: Option<String>,
    pub added: Vec<&'static str>,
    /// The fence the file ended inside, closed before the sections were added.
    pub closed_fence: Option<String>,
}

/// Adds the missing sections to `existing` (`None`: the file does not exist).
pub(crate) fn patch(existing: Option<&str>) -> Patched {
    let text = existing.unwrap_or("");
    let mut out = Patched::default();
    let missing: Vec<&Section> = SECTIONS
        .into_iter()
        .filter(|s| !markdown::contains_outside_fences(text, s.sniff))
        .collect();
    if missing.is_empty() {
        return out;
    }
    let mut new = text.to_string();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    let mut fences = Fences::default();
    for line in text.split_inclusive('\n') {
        fences.line(line);
    }
    if let Some(fence) = fences.unclosed() {
        new.push_str(&fence);
        new.push('\n');
        out.closed_fence = Some(fence);
    }
    for s in missing {
        if !new.is_empty() {
            new.push('\n');
        }
        new.push_str(s.text);
        out.added.push(s.name);
    }
    out.content = Some(new);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_gets_both_sections() {
        let p = patch(None);
        let text = p.content.unwrap();
        assert!(text.starts_with("## Action-Claim Follow-Through Sentinel\n"));
        assert!(text.contains("\n\n## Resume-Queue Host Lock (autoHealStaleHostLock)\n"));
        assert_eq!(p.added.len(), 2);
    }

    #[test]
    fn user_text_is_kept_byte_for_byte_and_sections_are_appended() {
        let user = "# My agent\r\n\nSome rules.\n  trailing spaces   ";
        let text = patch(Some(user)).content.unwrap();
        assert!(text.starts_with(user));
        assert_eq!(&text[user.len()..user.len() + 2], "\n\n");
    }

    #[test]
    fn a_second_run_changes_nothing() {
        let once = patch(None).content.unwrap();
        let twice = patch(Some(&once));
        assert_eq!(twice, Patched::default(), "no content, nothing added");
    }

    #[test]
    fn the_sentinel_section_says_when_the_feature_is_on() {
        let text = ACTION_CLAIM.text.replace('\n', " ");
        for want in [
            "on by default when the hooks run from the instar-hooks Claude Code plugin",
            "off by default when they are registered in `.claude/settings.json`",
            "the per-user `~/.config/instar-hooks/config.json`",
            "an explicit false in either wins",
        ] {
            assert!(text.contains(want), "{want:?} not in {text}");
        }
        assert!(
            !text.contains("It is off unless"),
            "not true for the plugin"
        );
    }

    #[test]
    fn sections_written_by_instar_are_recognised() {
        let instar = "- **Action-Claim Follow-Through Sentinel (signal-only, dark by default).** …\n- … `monitoring.resumeQueue.autoHealStaleHostLock` …\n";
        assert_eq!(patch(Some(instar)).content, None);
    }

    #[test]
    fn a_marker_inside_a_code_fence_does_not_count() {
        let user = "```\nAction-Claim Follow-Through Sentinel autoHealStaleHostLock\n```\n";
        let p = patch(Some(user));
        assert_eq!(p.added.len(), 2);
        assert!(p.content.unwrap().starts_with(user));
    }

    #[test]
    fn sections_are_never_appended_inside_an_unclosed_fence() {
        let user = "notes\n~~~~sh\necho unclosed\n";
        let p = patch(Some(user));
        assert_eq!(p.closed_fence.as_deref(), Some("~~~~"));
        let text = p.content.unwrap();
        assert!(text.starts_with(user));
        let mut f = Fences::default();
        let inside: Vec<bool> = text.split_inclusive('\n').map(|l| f.line(l)).collect();
        let heading = text
            .split_inclusive('\n')
            .position(|l| l.starts_with("## Action-Claim"))
            .unwrap();
        assert!(!inside[heading], "the section is outside the fence");
    }
}

#[cfg(test)]
mod proptests;
