//! One real turn: what the Stop hook records from Claude Code's own stdin and environment, in
//! a project set up by hand or by instar-migrate.

use crate::check::{assert_complete, only, text};
use crate::claude::{Reply, SETTINGS_STOP_HOOK, needs_claude};
use crate::harness::{Project, external_key};
use libtest_mimic::Trial;
use serde_json::Value;
use std::{fs, path::Path};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        a_real_stop_records_one_commitment_for_a_concrete_promise,
        instar_migrate_sets_up_a_fresh_project_and_the_real_cli_fires_the_native_hook,
        a_real_stop_records_nothing_for_an_offer,
        a_restated_promise_across_two_real_turns_stays_one_commitment,
    ]
}

fn a_real_stop_records_one_commitment_for_a_concrete_promise() {
    let p = Project::by_hand();
    let reply = "Relaunching the server now.";
    let turn = p.turn(Reply::Text(reply), &[], &[]);
    assert_eq!(turn.result()["result"], reply);
    let session = turn.session_id();
    p.assert_hook_ran(&session);

    let c = only(p.commitments());
    assert_complete(&c);
    assert_eq!(text(&c, "verb"), "relaunch");
    assert_eq!(text(&c, "status"), "open");
    // The topic is the session id the hook got on stdin: the one Claude Code used.
    assert_eq!(text(&c, "topic"), session);
    assert_eq!(text(&c, "sessionId"), session);
    assert_eq!(text(&c, "externalKey"), external_key(&session, "relaunch"));
    assert_eq!(text(&c, "message"), reply);
    assert_eq!(c["restated"], 0);
    // The transcript path is Claude Code's real one, in this test's HOME.
    assert_eq!(
        Path::new(text(&c, "transcriptPath")),
        p.transcript_of(&session)
    );
    p.assert_log_has_no_errors();
}

fn instar_migrate_sets_up_a_fresh_project_and_the_real_cli_fires_the_native_hook() {
    let p = Project::migrated();
    let settings = fs::read_to_string(p.path().join(".claude/settings.json")).unwrap();
    assert!(settings.contains(SETTINGS_STOP_HOOK), "{settings}");
    let turn = p.turn(Reply::Text("Relaunching the server now."), &[], &[]);
    let session = turn.session_id();
    p.assert_hook_ran(&session);
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "relaunch");
    assert_eq!(text(&c, "topic"), session);

    let offer = p.turn(
        Reply::Text("Let me know if you want me to restart it."),
        &[],
        &[],
    );
    p.assert_hook_ran(&offer.session_id());
    assert_eq!(p.commitments().len(), 1, "the offer recorded nothing");
    p.assert_log_has_no_errors();
}

fn a_real_stop_records_nothing_for_an_offer() {
    let p = Project::by_hand();
    let reply = "Let me know if you want me to restart it.";
    let turn = p.turn(Reply::Text(reply), &[], &[]);
    assert_eq!(turn.result()["result"], reply);
    p.assert_hook_ran(&turn.session_id());
    assert_eq!(p.commitments(), Vec::<Value>::new());
    p.assert_log_has_no_errors();
}

fn a_restated_promise_across_two_real_turns_stays_one_commitment() {
    let p = Project::by_hand();
    // Each `claude -p` is a new session: the conversation id is what ties the turns together.
    let env = [("INSTAR_CONVERSATION_ID", "4242")];
    let first = p.turn(Reply::Text("I'll restart the server."), &env, &[]);
    p.assert_hook_ran(&first.session_id());
    let before = only(p.commitments());
    assert_eq!(before["restated"], 0);

    let second = p.turn(Reply::Text("Restarting the server now."), &env, &[]);
    p.assert_hook_ran(&second.session_id());
    assert_ne!(first.session_id(), second.session_id(), "two sessions");
    let c = only(p.commitments());
    assert_complete(&c);
    assert_eq!(text(&c, "topic"), "4242");
    assert_eq!(text(&c, "verb"), "restart");
    assert_eq!(text(&c, "status"), "open");
    assert_eq!(c["restated"], 1);
    assert_eq!(text(&c, "externalKey"), external_key("4242", "restart"));
    assert_eq!(c["id"], before["id"]);
    assert_eq!(c["createdAt"], before["createdAt"]);
    assert_eq!(text(&c, "message"), "Restarting the server now.");
    p.assert_log_has_no_errors();
}
