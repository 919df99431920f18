//! Follow-through over several turns of one conversation (each `claude -p` is a new session,
//! tied by `INSTAR_CONVERSATION_ID`): a real `git push` through the Bash tool fulfils the
//! promise with the command as evidence, a failed one does not, and a promise with no action
//! is handed back to the model at the next prompt.

use crate::check::{bash_calls, only, read_jsonl, text};
use crate::claude::{Reply, fixture, needs_claude};
use crate::harness::Project;
use libtest_mimic::Trial;
use serde_json::{Value, json};
use std::{fs, path::PathBuf};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        a_promise_then_a_real_git_push_in_a_later_turn_is_fulfilled_with_the_command_as_evidence,
        a_failed_push_does_not_fulfil,
        a_promise_with_no_action_is_handed_back_in_the_next_prompts_context,
    ]
}

impl Project {
    /// Makes the project a git repository with one commit; with `remote`, also a bare
    /// repository beside it as `origin`, returned so the test can see what was pushed.
    fn git_repo_with_commit(&self, remote: bool) -> Option<PathBuf> {
        self.git(&self.path(), &["init", "-q"]);
        fs::write(self.path().join("fix.txt"), "the fix\n").unwrap();
        // Only the fix: the deployed hook binaries (tens of MB in a debug build) would make
        // the push take seconds.
        self.git(&self.path(), &["add", "fix.txt"]);
        self.git(&self.path(), &["commit", "-q", "-m", "the fix"]);
        if !remote {
            return None;
        }
        let bare = self.root().join("remote.git");
        self.git(self.root(), &["init", "-q", "--bare", "remote.git"]);
        self.git(
            &self.path(),
            &["remote", "add", "origin", bare.to_str().unwrap()],
        );
        Some(bare)
    }
}

/// Turn 1 promises to push; turn 2 (same conversation, a new session) runs
/// `git push origin HEAD:main` through the real Bash tool and ends with "Pushed the fix.".
/// Returns the commitment afterwards, the push turn's session id and its transcript.
fn promise_then_push(p: &Project, conversation: &str) -> (Value, String, Vec<Value>) {
    let env = [("INSTAR_CONVERSATION_ID", conversation)];
    let promise = p.turn(Reply::Text("I'll push the fix now."), &env, &[]);
    p.assert_hook_ran(&promise.session_id());
    let before = only(p.commitments());
    assert_eq!(text(&before, "status"), "open", "{before:#}");
    assert_eq!(text(&before, "verb"), "push");
    assert_eq!(text(&before, "topic"), conversation);

    let push = p.turn(
        Reply::Replies(&fixture("replies-git-push-origin.jsonl")),
        &env,
        &["--allowedTools", "Bash"],
    );
    assert_eq!(push.result()["result"], "Pushed the fix.");
    let session = push.session_id();
    p.assert_hook_ran(&session);
    let c = only(p.commitments());
    assert_eq!(c["id"], before["id"], "the same commitment");
    let transcript = read_jsonl(&p.transcript_of(&session));
    (c, session, transcript)
}

fn a_promise_then_a_real_git_push_in_a_later_turn_is_fulfilled_with_the_command_as_evidence() {
    let p = Project::migrated();
    let remote = p.git_repo_with_commit(true).expect("a remote");
    let (c, session, transcript) = promise_then_push(&p, "5101");

    // The evidence is true: the command succeeded and the remote has the commit.
    assert_eq!(
        bash_calls(&transcript),
        [("git push origin HEAD:main".to_string(), false)]
    );
    let head = p.git(&p.path(), &["rev-parse", "HEAD"]);
    assert_eq!(p.git(&remote, &["rev-parse", "main"]), head);

    assert_eq!(text(&c, "status"), "fulfilled", "{c:#}");
    let evidence = &c["evidence"];
    assert_eq!(text(evidence, "kind"), "command", "{c:#}");
    assert_eq!(text(evidence, "strength"), "strong");
    assert_eq!(text(evidence, "tool"), "Bash");
    assert!(text(evidence, "detail").contains("git push"), "{c:#}");
    assert!(!text(evidence, "at").is_empty());
    assert_eq!(
        text(evidence, "sessionId"),
        session,
        "the push turn's session"
    );
    assert!(
        text(evidence, "at") > text(&c, "createdAt"),
        "after the promise"
    );
    p.assert_log_has_no_errors();
}

fn a_failed_push_does_not_fulfil() {
    let p = Project::migrated();
    // The same turn as above, but there is no `origin`: git exits 128. The model still says
    // "Pushed the fix." — only the tool result counts.
    p.git_repo_with_commit(false);
    let (c, _, transcript) = promise_then_push(&p, "5102");
    assert_eq!(
        bash_calls(&transcript),
        [("git push origin HEAD:main".to_string(), true)]
    );
    assert_eq!(text(&c, "status"), "open", "{c:#}");
    assert!(c.get("evidence").is_none(), "{c:#}");
    p.assert_log_has_no_errors();
}

fn a_promise_with_no_action_is_handed_back_in_the_next_prompts_context() {
    let p = Project::migrated();
    p.configure(json!({"actionClaim": {"reminderGraceMinutes": 0}}));
    let env = [("INSTAR_CONVERSATION_ID", "5103")];

    let promise = p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    p.assert_hook_ran(&promise.session_id());
    assert_eq!(
        promise.reminders(),
        Vec::<String>::new(),
        "nothing promised yet"
    );
    let c = only(p.commitments());
    let id = text(&c, "id");

    let next = p.turn(Reply::Text("Noted."), &env, &[]);
    p.assert_hook_ran(&next.session_id());
    let got = next.reminders();
    assert!(
        !got.is_empty(),
        "no reminder reached the model: {:#?}",
        next.model_input_texts()
    );
    for want in [
        r#"you said "I'll restart the server""#,
        id,
        "No command that does it has been seen since",
    ] {
        assert!(
            got.iter().any(|t| t.contains(want)),
            "{want:?} not in {got:#?}"
        );
    }

    let after = only(p.commitments());
    assert_eq!(text(&after, "status"), "open", "{after:#}");
    assert_eq!(after["reminders"], 1, "{after:#}");
    assert!(!text(&after, "remindedAt").is_empty());
    p.assert_log_has_no_errors();
}
