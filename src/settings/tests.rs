use super::*;
use serde_json::json;

fn path() -> &'static Path {
    Path::new(".claude/settings.json")
}

const STOP: &str = "Stop";
const FOLLOWTHROUGH: &str = "action-claim-followthrough";

/// `binary` and `event` of a [`Change`], as its variants spell them.
fn stop_hook() -> (String, String) {
    (FOLLOWTHROUGH.to_string(), STOP.to_string())
}

/// Registers the Stop hook only: most tests are about where it goes.
fn registered(input: Value) -> (Value, Vec<Change>) {
    let mut doc = parse(path(), input.to_string().as_bytes()).unwrap();
    let report = register(&mut doc, &stop_only());
    (doc, report)
}

fn stop_only() -> Vec<Registration> {
    template()
        .iter()
        .filter(|r| r.event == "Stop")
        .cloned()
        .collect()
}

fn native() -> Value {
    Value::Object(template()[0].hook.clone())
}

#[test]
fn the_template_registers_native_binaries_in_exec_form_with_second_timeouts() {
    let regs = template();
    assert!(!regs.is_empty());
    for r in regs {
        let command = r.hook["command"].as_str().unwrap();
        assert!(
            command.starts_with("${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/"),
            "{command}"
        );
        assert_eq!(r.hook["args"], json!([]), "exec form");
        let t = r.hook["timeout"].as_u64().unwrap();
        assert!((1..=60).contains(&t), "timeouts are seconds: {t}");
        assert_eq!(r.hook["type"], "command");
    }
    let hooks: Vec<(&str, &str)> = regs
        .iter()
        .map(|r| (r.event.as_str(), r.binary.as_str()))
        .collect();
    assert_eq!(
        hooks,
        [
            ("Stop", "action-claim-followthrough"),
            ("UserPromptSubmit", "action-claim-reminder")
        ]
    );
}

#[test]
fn the_template_is_parsed_once_and_its_binaries_listed_once_each() {
    assert!(
        std::ptr::eq(template(), template()),
        "cached, not re-parsed"
    );
    assert_eq!(
        binaries(),
        ["action-claim-followthrough", "action-claim-reminder"]
    );
}

#[test]
fn an_empty_file_gets_the_template_and_a_second_run_adds_nothing() {
    let mut doc = json!({});
    let report = register(&mut doc, template());
    assert_eq!(doc, serde_json::from_str::<Value>(TEMPLATE).unwrap());
    assert_eq!(
        report,
        [
            Change::Added {
                binary: FOLLOWTHROUGH.into(),
                event: STOP.into()
            },
            Change::Added {
                binary: "action-claim-reminder".into(),
                event: "UserPromptSubmit".into()
            }
        ]
    );
    let mut again = doc.clone();
    assert!(register(&mut again, template()).is_empty());
    assert_eq!(again, doc);
}

#[test]
fn the_hook_goes_after_existing_stop_hooks_and_everything_else_stays() {
    let input = json!({
        "permissions": {"allow": ["Bash(ls:*)"]},
        "hooks": {
            "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "guard.sh"}]}],
            "Stop": [
                {"matcher": "", "hooks": [{"type": "command", "command": "node .instar/hooks/instar/stop-gate-router.js", "timeout": 5000}]},
                {"hooks": [{"type": "command", "command": "my-own-stop.sh"}]}
            ]
        },
        "zzzUnknown": {"kept": true}
    });
    let (doc, _) = registered(input.clone());
    let stop = doc["hooks"]["Stop"].as_array().unwrap();
    assert_eq!(stop.len(), 3);
    assert_eq!(
        stop[0], input["hooks"]["Stop"][0],
        "stop-gate-router stays first"
    );
    assert_eq!(stop[1], input["hooks"]["Stop"][1]);
    assert_eq!(stop[2]["hooks"][0], native());
    let keys: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["permissions", "hooks", "zzzUnknown"],
        "key order kept"
    );
    assert_eq!(doc["hooks"]["PreToolUse"], input["hooks"]["PreToolUse"]);
}

#[test]
fn a_legacy_node_hook_is_replaced_in_place() {
    let input = json!({"hooks": {"Stop": [
        {"matcher": "", "hooks": [{"type": "command", "command": "node .instar/hooks/instar/stop-gate-router.js", "timeout": 5000}]},
        {"matcher": "", "hooks": [{"type": "command", "command": "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough.js", "timeout": 6000}]},
        {"matcher": "", "hooks": [{"type": "command", "command": "after.sh"}]}
    ]}});
    let (doc, report) = registered(input);
    let stop = doc["hooks"]["Stop"].as_array().unwrap();
    assert_eq!(stop.len(), 3);
    assert_eq!(stop[1]["hooks"][0], native(), "same position");
    assert_eq!(stop[2]["hooks"][0]["command"], "after.sh");
    let (binary, event) = stop_hook();
    assert_eq!(report, [Change::ReplacedNodeHook { binary, event }]);
}

#[test]
fn an_upgraded_agent_ends_with_exactly_one_action_claim_hook() {
    let legacy = json!({"type": "command", "command": "node .instar/hooks/instar/action-claim-followthrough.js"});
    let input = json!({"hooks": {"Stop": [
        {"matcher": "", "hooks": [legacy]},
        {"matcher": "", "hooks": [native()]},
        {"matcher": "", "hooks": [legacy, {"type": "command", "command": "keep-me.sh"}]},
        {"matcher": "", "hooks": [{"type": "command", "command": "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"}]}
    ]}});
    let (doc, report) = registered(input);
    let stop = doc["hooks"]["Stop"].as_array().unwrap();
    let count = stop
        .iter()
        .flat_map(|g| g["hooks"].as_array().unwrap())
        .filter(|h| h["command"].as_str().unwrap().contains("action-claim"))
        .count();
    assert_eq!(count, 1, "{doc:#}");
    assert_eq!(
        stop.len(),
        2,
        "emptied groups go; the user's keep-me.sh stays: {doc:#}"
    );
    assert_eq!(stop[1]["hooks"][0]["command"], "keep-me.sh");
    let (binary, event) = stop_hook();
    assert_eq!(
        report,
        [
            Change::RemovedDuplicates {
                binary: binary.clone(),
                event: event.clone(),
                count: 1
            },
            Change::RemovedNodeHook { binary, event }
        ]
    );
}

#[test]
fn a_broken_exec_form_variable_in_our_hook_is_fixed() {
    let input = json!({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "$CLAUDE_PROJECT_DIR/.instar/hooks/instar/action-claim-followthrough", "args": [], "timeout": 30}]}]}});
    let (doc, report) = registered(input);
    let hook = &doc["hooks"]["Stop"][0]["hooks"][0];
    assert_eq!(
        hook["command"],
        "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"
    );
    assert_eq!(hook["timeout"], 30, "the user's timeout is theirs");
    let (binary, event) = stop_hook();
    assert_eq!(report, [Change::FixedExecFormVariable { binary, event }]);
}

#[test]
fn a_shell_form_registration_counts_as_registered() {
    let input = json!({"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "\"$CLAUDE_PROJECT_DIR\"/.instar/hooks/instar/action-claim-followthrough"}]}]}});
    let (doc, report) = registered(input.clone());
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(doc, input);
}

#[test]
fn shapes_we_must_not_guess_about_are_refused() {
    for (input, found) in [
        ("[]", "the top level is an array"),
        (r#"{"hooks": []}"#, "`hooks` is an array"),
        (r#"{"hooks": {"Stop": {}}}"#, "`hooks.Stop` is an object"),
        (r#"{"hooks": {"Stop": [3]}}"#, "`hooks.Stop[0]` is a number"),
        (
            r#"{"hooks": {"Stop": [{"hooks": "x"}]}}"#,
            "`hooks.Stop[0].hooks` is a string",
        ),
    ] {
        match parse(path(), input.as_bytes()) {
            Err(Error::Unsupported { found: f, .. }) => assert!(f.starts_with(found), "{f}"),
            other => panic!("{input}: {other:?}"),
        }
    }
}

#[test]
fn malformed_json_is_refused_with_its_position() {
    let err = parse(path(), b"{\n  \"hooks\": {,\n}").unwrap_err();
    match &err {
        Error::Parse { line, column, .. } => assert_eq!((*line, *column), (2, 13)),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string()
            .starts_with("cannot parse `.claude/settings.json` at 2:13: "),
        "{err}"
    );
}

#[test]
fn millisecond_looking_timeouts_are_reported_not_changed() {
    let doc = json!({"hooks": {"Stop": [
        {"hooks": [{"type": "command", "command": "node a.js", "timeout": 5000}]},
        {"hooks": [{"type": "command", "command": "b.sh", "timeout": 30}]},
        {"hooks": [native()]}
    ]}});
    let notes = millisecond_timeouts(&doc);
    assert_eq!(
        notes,
        [MsTimeout {
            event: STOP.into(),
            group: 0,
            index: 0,
            command: "node a.js".into(),
            timeout: 5000.0
        }]
    );
}

#[test]
fn rendering_reproduces_a_two_space_file_byte_for_byte() {
    let text = "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"é\"\n    }\n  ],\n  \"c\": {}\n}\n";
    let doc = parse(path(), text.as_bytes()).unwrap();
    assert_eq!(
        render(&doc, &detect_indent(text.as_bytes())),
        text.as_bytes()
    );
    let tabbed = "{\n\t\"a\": 1\n}\n";
    let doc = parse(path(), tabbed.as_bytes()).unwrap();
    assert_eq!(
        render(&doc, &detect_indent(tabbed.as_bytes())),
        tabbed.as_bytes()
    );
    assert_eq!(detect_indent(b"{}"), b"  ");
}

#[test]
fn registrations_are_found_by_command_path() {
    let (doc, _) = registered(json!({}));
    assert_eq!(
        registrations_of(&doc, "action-claim-followthrough"),
        ["Stop[0]"]
    );
    assert!(registrations_of(&json!({}), "action-claim-followthrough").is_empty());
}

#[test]
fn our_binary_under_the_wrong_event_is_moved_to_its_own() {
    let input = json!({"hooks": {"UserPromptSubmit": [
        {"hooks": [{"type": "command", "command": "${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough"}]},
        {"hooks": [{"type": "command", "command": "their-prompt-hook.sh"}]}
    ]}});
    let mut doc = parse(path(), input.to_string().as_bytes()).unwrap();
    let report = register(&mut doc, template());
    assert_eq!(
        registrations_of(&doc, "action-claim-followthrough"),
        ["Stop[0]"]
    );
    assert_eq!(
        doc["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"],
        "their-prompt-hook.sh"
    );
    assert_eq!(
        report[0],
        Change::RemovedFromEvent {
            binary: FOLLOWTHROUGH.into(),
            event: STOP.into(),
            from: "UserPromptSubmit".into()
        }
    );
}

#[test]
fn one_of_ours_registered_from_another_path_is_kept_and_nothing_is_added() {
    // scripts/demo installs into ~/.local/bin; a hook registered from there runs already.
    let theirs = json!({"type": "command", "command": "/home/u/.local/bin/action-claim-followthrough", "timeout": 20});
    let input = json!({"hooks": {"Stop": [{"hooks": [theirs]}]}});
    let (doc, report) = registered(input.clone());
    assert!(report.is_empty(), "{report:?}");
    assert_eq!(
        doc, input,
        "no second registration: the hook would run twice"
    );
    assert_eq!(
        registrations_of(&doc, "action-claim-followthrough"),
        ["Stop[0]"],
        "counted as registered, wherever it lives"
    );
    // With a project registration after it, the second is the duplicate that goes.
    let input = json!({"hooks": {"Stop": [{"hooks": [theirs]}, {"hooks": [native()]}]}});
    let (doc, report) = registered(input);
    assert_eq!(doc, json!({"hooks": {"Stop": [{"hooks": [theirs]}]}}));
    let (binary, event) = stop_hook();
    assert_eq!(
        report,
        [Change::RemovedDuplicates {
            binary,
            event,
            count: 1
        }]
    );
}
