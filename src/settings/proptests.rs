//! Property tests for the settings patcher: any valid settings document in, valid JSON out
//! that still holds every hook the user had (but instar's node action-claim hook, which is
//! replaced), with top-level keys in their order; and a second run changes nothing.
//! Long runs: `PROPTEST_CASES=20000 cargo test --lib settings::proptests`.

use super::*;
use proptest::prelude::*;
use serde_json::Map;

fn command() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z./ -]{1,30}",
        Just("node .instar/hooks/instar/stop-gate-router.js".to_string()),
        Just("node .instar/hooks/instar/action-claim-followthrough.js".to_string()),
        Just(
            "node ${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough.js"
                .to_string()
        ),
        Just("${CLAUDE_PROJECT_DIR}/.instar/hooks/instar/action-claim-followthrough".to_string()),
        Just("$CLAUDE_PROJECT_DIR/.instar/hooks/instar/action-claim-reminder".to_string()),
        Just("/home/u/.local/bin/action-claim-followthrough".to_string()),
        Just("\"$HOME/bin/action-claim-reminder\" --quiet".to_string()),
        Just("bash -c 'echo \"é ✓\"'".to_string()),
    ]
}

fn hook() -> impl Strategy<Value = Value> {
    (
        command(),
        prop::option::of(0u64..20000),
        any::<bool>(),
        prop::option::of("[a-z]{1,8}"),
    )
        .prop_map(|(command, timeout, args, extra)| {
            let mut h = json!({"type": "command", "command": command});
            if let Some(t) = timeout {
                h["timeout"] = t.into();
            }
            if args {
                h["args"] = json!([]);
            }
            if let Some(k) = extra {
                h[format!("x-{k}")] = json!({"kept": [1, 2.5, null]});
            }
            h
        })
}

fn group() -> impl Strategy<Value = Value> {
    (
        prop::option::of("[A-Za-z|_.*]{0,10}"),
        prop::collection::vec(hook(), 0..4),
    )
        .prop_map(|(matcher, hooks)| {
            let mut g = json!({"hooks": hooks});
            if let Some(m) = matcher {
                g["matcher"] = m.into();
            }
            g
        })
}

fn document() -> impl Strategy<Value = Value> {
    let event = prop::sample::select(vec![
        "Stop",
        "UserPromptSubmit",
        "PreToolUse",
        "PostToolUse",
        "SessionStart",
        "Notification",
    ]);
    let hooks = prop::collection::btree_map(event, prop::collection::vec(group(), 0..4), 0..5);
    let other = prop::collection::vec(("[a-zA-Z$]{1,10}", any::<i32>()), 0..5);
    (hooks, other, any::<bool>()).prop_map(|(hooks, other, hooks_first)| {
        let mut doc = Map::new();
        let hooks: Map<String, Value> = hooks
            .into_iter()
            .map(|(k, v)| (k.to_string(), Value::from(v)))
            .collect();
        if hooks_first {
            doc.insert("hooks".into(), Value::Object(hooks.clone()));
        }
        for (k, v) in other {
            if k != "hooks" {
                doc.insert(k, v.into());
            }
        }
        if !hooks_first {
            doc.insert("hooks".into(), Value::Object(hooks));
        }
        Value::Object(doc)
    })
}

fn all_commands(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for groups in doc["hooks"]
        .as_object()
        .into_iter()
        .flat_map(|h| h.values())
    {
        for g in groups.as_array().unwrap() {
            for h in g["hooks"].as_array().into_iter().flatten() {
                out.push(h["command"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn patching_keeps_every_user_hook_and_is_idempotent(doc in document(), indent in prop::sample::select(vec!["  ", "    ", "\t"])) {
        let text = render(&doc, indent.as_bytes());
        let mut patched = parse(Path::new("settings.json"), &text).unwrap();
        register(&mut patched, template());
        let out = render(&patched, &detect_indent(&text));
        let reparsed: Value = serde_json::from_slice(&out).expect("valid JSON out");
        prop_assert!(out.ends_with(b"\n"));
        let after = all_commands(&reparsed);
        // Every user hook survives; ours (by the program they run, from any path, or
        // instar's node version) are checked below: exactly one each, in its own event.
        for c in all_commands(&doc) {
            if our_binary(&c).is_none() && legacy_binary(&c).is_none() {
                prop_assert!(after.contains(&c), "lost {c}");
            }
        }
        for reg in template() {
            let places = registrations_of(&reparsed, &reg.binary);
            prop_assert_eq!(places.len(), 1);
            prop_assert!(places[0].starts_with(&format!("{}[", reg.event)), "{:?}", places);
        }
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        let mut before_keys = keys(&doc);
        if !before_keys.contains(&"hooks".to_string()) {
            before_keys.push("hooks".into());
        }
        prop_assert_eq!(keys(&reparsed), before_keys, "top-level key order");
        let mut again = reparsed.clone();
        prop_assert!(register(&mut again, template()).is_empty(), "a second run changes nothing");
        prop_assert_eq!(again, reparsed);
    }
}
