use crate::harness::{
    CLI, HOOKS, MIGRATE, Project, REMINDER_HOOK, RUN_BOUND, STOP_HOOK, external_key, is_root,
};
use crate::same_turn;
use std::fs;

#[test]
fn records_one_commitment_for_a_promise_and_prints_nothing() {
    let p = Project::enabled();
    p.stop("Relaunching the server now.").run().silent_success();
    let all = p.commitments();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["verb"], "relaunch");
    assert_eq!(all[0]["status"], "open");
    assert_eq!(all[0]["topic"], "11111111-2222-3333-4444-555555555555");
    assert!(p.hook_log().contains("relaunch"));
}

#[test]
fn records_nothing_for_non_claims() {
    let p = Project::enabled();
    for message in [
        "Let me know if you want me to restart it.",
        "I've pushed the fix.",
        "You should restart the server.",
        "```sh\ngit push\n```",
    ] {
        p.stop(message).run().silent_success();
    }
    assert!(p.commitments().is_empty());
}

#[test]
fn does_nothing_and_writes_nothing_when_the_feature_is_off() {
    for config in [
        None,
        Some("{}"),
        Some(r#"{"actionClaim": {"enabled": false}}"#),
    ] {
        let mut p = Project::new().file(".instar/.keep", "");
        if let Some(c) = config {
            p = p.file(".instar/config.json", c);
        }
        p.stop("Relaunching now.").run().silent_success();
        assert!(!p.state().exists(), "state written while off ({config:?})");
    }
}

#[test]
fn restatements_across_runs_update_one_commitment() {
    let p = Project::enabled();
    for message in ["I'll restart the server.", "Restarting the server now."] {
        p.stop(message)
            .env("INSTAR_CONVERSATION_ID", "4242")
            .run()
            .silent_success();
    }
    let all = p.commitments();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["externalKey"], external_key("4242", "restart"));
    assert_eq!(all[0]["restated"], 1);
    assert_eq!(all[0]["topic"], "4242");
}

#[test]
fn exits_zero_silently_on_any_stdin() {
    let p = Project::enabled();
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated JSON", b"{\"last_assistant_message\": \"Relaunching".to_vec()),
        ("null", b"null".to_vec()),
        ("an array", b"[1,2,3]".to_vec()),
        ("invalid UTF-8", b"{\"last_assistant_message\": \"\xff\xfe Relaunching now\"}".to_vec()),
        ("binary garbage", (0..=255u8).cycle().take(100_000).collect()),
        ("deeply nested", deep.into_bytes()),
        (
            "wrong types",
            br#"{"session_id": 5, "last_assistant_message": ["Relaunching now."], "cwd": {}, "transcript_path": 7}"#.to_vec(),
        ),
    ];
    for hook in HOOKS {
        for (name, bytes) in &inputs {
            p.run(hook)
                .stdin(bytes.clone())
                .label(name)
                .run()
                .silent_success();
        }
    }
    assert!(p.commitments().is_empty());
}

#[test]
fn exits_zero_when_stdin_is_closed() {
    let p = Project::enabled();
    for hook in HOOKS {
        p.run(hook).stdin_null().run().silent_success();
    }
}

/// A project with a promise left undone in its turn, and the Stop input for that turn: the
/// hook's reply continues the turn.
fn undone_promise(p: &Project) -> serde_json::Value {
    let said = "Relaunching the server now.";
    let transcript = p.path().join("t.jsonl");
    fs::write(&transcript, same_turn::prompt("p") + &same_turn::say(said)).unwrap();
    serde_json::json!({"session_id": "s", "prompt_id": "p", "hook_event_name": "Stop",
        "stop_hook_active": false, "transcript_path": transcript, "last_assistant_message": said})
}

fn assert_recorded_and_continued(p: &Project) {
    let c = p.commitments();
    assert_eq!(c.len(), 1, "the store is intact: {c:?}");
    assert!(c[0]["nudgedAt"].is_string(), "the reply was due: {c:?}");
    let log = p.hook_log();
    assert!(
        log.contains("continued the turn") && !log.contains("ERROR"),
        "{log}"
    );
}

#[test]
fn a_reply_to_a_closed_pipe_is_not_a_kill() {
    // SIGPIPE is ignored (the hooks start from C's main, so they do it themselves).
    let p = Project::enabled();
    p.run(STOP_HOOK)
        .stdin_json(undone_promise(&p))
        .stdout_closed()
        .run()
        .code(0);
    assert_recorded_and_continued(&p);
}

#[test]
fn started_with_stdout_and_stderr_closed_it_records_and_exits_zero() {
    use std::os::unix::process::CommandExt;
    let p = Project::enabled();
    let stdin = p.path().join("stdin.json");
    fs::write(&stdin, undone_promise(&p).to_string()).unwrap();
    let mut cmd = std::process::Command::new(STOP_HOOK);
    cmd.env("CLAUDE_PROJECT_DIR", p.path())
        .stdin(fs::File::open(&stdin).unwrap());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            libc::close(1);
            libc::close(2);
            Ok(())
        });
    }
    assert_eq!(cmd.status().unwrap().code(), Some(0));
    assert_recorded_and_continued(&p);
}

#[test]
fn a_100_mb_message_is_drained_and_logged_in_bounded_time() {
    let p = Project::enabled();
    let message = "Relaunching now. ".repeat(100 * 1024 * 1024 / 17);
    p.stop(&message).run().silent_success().within(RUN_BOUND);
    assert!(p.commitments().is_empty());
    assert!(p.hook_log().contains("stdin exceeded"), "{}", p.hook_log());
}

#[test]
fn a_corrupt_config_switches_the_feature_off_and_is_logged() {
    let p = Project::new().file(".instar/config.json", "{\"actionClaim\": {\"enabled\": tru");
    p.stop("Relaunching now.").run().silent_success();
    assert!(p.hook_log().contains("invalid JSON"), "{}", p.hook_log());
    assert!(!p.state().join("commitments.json").exists());
}

#[test]
fn a_corrupt_store_is_moved_aside_and_the_new_claim_kept() {
    let p = Project::enabled().file(
        ".instar/instar-hooks/commitments.json",
        "{\"version\": 1, \"commi",
    );
    p.stop("Pushing the fix now.").run().silent_success();
    assert_eq!(p.commitments().len(), 1);
    let aside: Vec<_> = fs::read_dir(p.state())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        fs::read_to_string(aside[0].path()).unwrap(),
        "{\"version\": 1, \"commi"
    );
    assert!(p.hook_log().contains("unreadable"));
}

#[test]
fn an_unusable_state_directory_is_survived() {
    // A file where the state directory should be: even root cannot write through that.
    let p = Project::enabled().file(".instar/instar-hooks", "not a directory");
    p.stop("Relaunching now.").run().silent_success();
    assert_eq!(p.read(".instar/instar-hooks"), "not a directory");
}

#[test]
fn a_read_only_state_directory_is_survived() {
    use std::os::unix::fs::PermissionsExt;
    let p = Project::enabled();
    let instar = p.path().join(".instar");
    fs::set_permissions(&instar, fs::Permissions::from_mode(0o555)).unwrap();
    // As root, 0o555 stops nothing unless the hook runs without root's file access.
    let out = p.stop("Relaunching now.").without_root_file_access().run();
    fs::set_permissions(&instar, fs::Permissions::from_mode(0o755)).unwrap();
    out.silent_success();
    assert!(
        !p.state().exists(),
        "the hook created {} in a read-only directory: the test exercised nothing \
         (root: {})",
        p.state().display(),
        is_root()
    );
}

#[test]
fn a_project_dir_that_does_not_exist_is_survived() {
    let p = Project::enabled();
    p.stop("Relaunching now.")
        .env("CLAUDE_PROJECT_DIR", "/nonexistent/project")
        .run()
        .silent_success();
}

#[test]
fn a_panic_still_exits_zero_silently_and_is_logged() {
    let p = Project::enabled();
    p.stop("Relaunching now.")
        .env("INSTAR_HOOKS_FAULT", "stop")
        .run()
        .silent_success();
    assert!(p.hook_log().contains("panic: "), "{}", p.hook_log());
}

#[test]
fn fifty_concurrent_hooks_neither_lose_nor_duplicate() {
    let p = Project::enabled();
    let verbs = ["restart", "push", "deploy"];
    // 50 processes over 10 topics; each topic sees restart and push (and deploy for some),
    // several times each. They queue on the store lock, each fsyncing under it: on a slow
    // disk the last one waits far longer than the product's 3 s, so the test gives them a
    // debug-build lock wait no disk needs (a give-up would lose a claim, by design).
    let children: Vec<_> = (0..50)
        .map(|i| {
            let verb = verbs[(i / 10) % verbs.len()];
            // Different words each time: the same Stop delivered twice (two wirings of the
            // hook) is one delivery, not a restatement.
            p.stop(&format!("I'll {verb} it now (run {i})."))
                .env("INSTAR_CONVERSATION_ID", (i % 10).to_string())
                .env("INSTAR_HOOKS_LOCK_WAIT_MS", "120000")
                .spawn()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert_eq!((out.status.code(), out.stdout.len()), (Some(0), 0));
    }
    let log = p.hook_log();
    assert!(
        !log.contains("held the lock for over"),
        "a hook gave up waiting for the store lock, so its claim was not recorded:\n{log}"
    );
    let all = p.commitments();
    let mut keys: Vec<&str> = all
        .iter()
        .map(|c| c["externalKey"].as_str().unwrap())
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all.len(), "no duplicate commitments");
    // i/10 in 0..5 maps to restart, push, deploy, restart, push: 3 verbs per topic.
    assert_eq!(all.len(), 30, "{all:#?}");
    let restated: u64 = all.iter().map(|c| c["restated"].as_u64().unwrap()).sum();
    assert_eq!(
        restated, 20,
        "every run is accounted for: 30 created + 20 restated"
    );
    assert!(all.iter().all(|c| c["status"] == "open"));
}

#[test]
fn the_reminder_hook_hands_back_an_old_promise_as_json_context() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": true, "reminderGraceMinutes": 0}}"#,
    );
    p.prompt("next").run().silent_success();
    p.stop("I'll restart the server.").run().silent_success();
    let v: serde_json::Value = p.prompt("what now?").run().code(0).json();
    assert_eq!(v["hookSpecificOutput"]["hookEventName"], "UserPromptSubmit");
    let text = v["hookSpecificOutput"]["additionalContext"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("you said \"I'll restart the server\" (AC-001)"),
        "{text}"
    );
    assert_eq!(p.commitments()[0]["reminders"], 1);
}

#[test]
fn the_reminder_hook_is_silent_when_off_or_nothing_is_due() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    p.prompt("hi").run().silent_success();
    assert!(!p.state().exists());
    let p = Project::enabled();
    p.stop("I'll restart the server.").run().silent_success();
    p.prompt("hi").run().silent_success(); // within the 10-minute grace period
}

#[test]
fn the_reminder_hook_survives_a_panic() {
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": true, "reminderGraceMinutes": 0}}"#,
    );
    p.prompt("x")
        .env("INSTAR_HOOKS_FAULT", "prompt")
        .run()
        .silent_success();
    assert!(p.hook_log().contains("panic: "), "{}", p.hook_log());
}

#[test]
fn every_binary_prints_its_version_and_reads_no_stdin() {
    let p = Project::enabled();
    for bin in [STOP_HOOK, REMINDER_HOOK, CLI, MIGRATE] {
        let name = std::path::Path::new(bin)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let expected = format!("{name} {}\n", env!("CARGO_PKG_VERSION"));
        p.run(bin)
            .args(&["--version"])
            .run()
            .code(0)
            .stdout(&expected);
    }
    assert!(!p.state().exists(), "--version wrote state");
}
