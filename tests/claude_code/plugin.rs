//! The Claude Code plugin as users get it: `claude plugin validate --strict` on the package
//! and on this checkout's marketplace, and real turns with the plugin loaded the three ways a
//! user can (`--plugin-dir` with the folder, `claude plugin marketplace add` + `install` from
//! the local marketplace `scripts/package-plugin` makes of the checkout's `target/`,
//! `--plugin-dir` with the release zip), in projects without `.instar/`: the
//! state lands in the per-user data directory and nothing new appears in the project. The
//! package is `scripts/package-plugin`'s, from release binaries ([`packaged_plugin`]).

use crate::check::{
    assert_complete, assert_stop_hooks_ran_cleanly, bash_calls, only, read_jsonl, text,
};
use crate::claude::{
    HOOK_IN_PROJECT, HOOK_LOG, PLUGIN_STOP_HOOK, Reply, SETTINGS, SETTINGS_STOP_HOOK, STORE, Turn,
    needs_claude,
};
use crate::harness::{Project, walk};
use crate::packaged::{packaged_plugin, repo};
use libtest_mimic::Trial;
use serde_json::{Value, json};
use std::{fs, path::Path};

pub(crate) fn trials() -> Vec<Trial> {
    needs_claude![
        the_built_plugin_and_the_checkout_marketplace_pass_claude_plugin_validate_strict,
        the_plugin_dir_records_a_promise_and_writes_nothing_into_the_project,
        a_marketplace_install_from_the_checkout_records_a_promise_and_doctor_is_happy,
        the_release_zip_keeps_its_mode_bits_and_records_a_promise,
        the_plugin_and_a_settings_entry_record_one_commitment_and_doctor_reports_the_double_wiring,
        the_plugins_reminder_and_cli_work_in_a_session_configured_per_user,
    ]
}

fn the_built_plugin_and_the_checkout_marketplace_pass_claude_plugin_validate_strict() {
    let p = packaged_plugin();
    let home = Project::new();
    // The plugin, the repository's marketplace (the committed plugin/) and target/ as the
    // local marketplace scripts/package-plugin makes of it.
    let target_dir = repo().join("target");
    let committed = repo().join("plugin");
    for target in [
        p.dir.as_path(),
        committed.as_path(),
        repo(),
        target_dir.as_path(),
    ] {
        let stdout = home.claude(&[
            "plugin",
            "validate",
            "--strict",
            "--json",
            target.to_str().unwrap(),
        ]);
        let report: Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(report["success"], true, "{report:#}");
        assert_eq!(report["manifest"]["errors"], json!([]), "{report:#}");
        assert_eq!(report["manifest"]["warnings"], json!([]), "{report:#}");
        if target == p.dir || target == committed {
            // What Claude Code will run: the bootstrap, then both hooks, exec form, from bin/.
            let hooks: Vec<(String, String)> = report["provides"]["hooks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    assert_eq!(h["args"], json!([]), "{h:#}");
                    (
                        h["event"].as_str().unwrap().into(),
                        h["command"].as_str().unwrap().into(),
                    )
                })
                .collect();
            assert_eq!(
                hooks,
                [
                    (
                        "SessionStart".to_string(),
                        "${CLAUDE_PLUGIN_ROOT}/hooks/bootstrap".to_string()
                    ),
                    (
                        "Stop".to_string(),
                        "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-followthrough".to_string()
                    ),
                    (
                        "UserPromptSubmit".to_string(),
                        "${CLAUDE_PLUGIN_ROOT}/bin/action-claim-reminder".to_string()
                    ),
                ]
            );
        }
    }
}

impl Project {
    /// A project with no `.instar/` (a git repository with an empty `.claude/settings.json`,
    /// as claude-turn needs), for the plugin.
    fn for_plugin() -> Project {
        packaged_plugin();
        let p = Project::new().file(".claude/settings.json", "{}\n");
        p.git(&p.path(), &["init", "-q"]);
        p
    }

    /// Adds the local marketplace `scripts/package-plugin` makes of this checkout's `target/`
    /// and installs the plugin from it for the project.
    fn install_plugin_from_checkout(&self) {
        let market = concat!(env!("CARGO_MANIFEST_DIR"), "/target");
        self.claude(&["plugin", "marketplace", "add", market]);
        self.claude(&[
            "plugin",
            "install",
            "instar-hooks@instar-hooks",
            "--scope",
            "project",
        ]);
        let settings: Value = serde_json::from_str(
            &fs::read_to_string(self.path().join(".claude/settings.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(
            settings["enabledPlugins"]["instar-hooks@instar-hooks"], true,
            "project scope: {settings:#}"
        );
    }

    /// Every file in the project (outside `.git/`) with its bytes.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        walk(&self.path())
            .into_iter()
            .filter(|(rel, _)| !rel.starts_with(".git/"))
            .map(|(rel, _)| {
                let bytes = fs::read(self.path().join(&rel)).unwrap_or_default();
                (rel, bytes)
            })
            .collect()
    }

    /// The project holds exactly the files it held `before` (same bytes).
    fn assert_tree_unchanged(&self, before: &[(String, Vec<u8>)]) {
        let after = self.files();
        let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&after),
            names(before),
            "files appeared in the project"
        );
        assert!(after == before, "a file in the project changed");
    }

    /// One turn promising "Restarting the worker now." was recorded by the plugin's Stop hook
    /// alone, in the per-user data directory, and the project did not change.
    fn assert_recorded_by_the_plugin(&self, turn: &Turn, before: &[(String, Vec<u8>)]) {
        let session = turn.session_id();
        assert_stop_hooks_ran_cleanly(
            &read_jsonl(&self.transcript_of(&session)),
            &[PLUGIN_STOP_HOOK],
        );
        let c = only(self.commitments());
        assert_complete(&c);
        assert_eq!(text(&c, "verb"), "restart");
        assert_eq!(text(&c, "status"), "open");
        assert_eq!(text(&c, "topic"), session);
        assert_eq!(text(&c, "message"), "Restarting the worker now.");
        assert_eq!(c["restated"], 0);
        let state = self.user_state().expect("a per-user state directory");
        assert!(state.join(STORE).is_file(), "{}", state.display());
        assert!(!self.path().join(".instar").exists());
        self.assert_tree_unchanged(before);
        self.assert_log_has_no_errors();
    }
}

/// One turn with `--plugin-dir PLUGIN` (the plugin's folder or its zip) in a project without
/// `.instar/`: the plugin's Stop hook records the promise, and the project does not change.
fn plugin_dir_turn(plugin: &Path) {
    let p = Project::for_plugin();
    let before = p.files();
    let plugin = plugin.to_str().unwrap();
    let turn = p.turn(
        Reply::Text("Restarting the worker now."),
        &[],
        &["--plugin-dir", plugin],
    );
    p.assert_recorded_by_the_plugin(&turn, &before);
}

fn the_plugin_dir_records_a_promise_and_writes_nothing_into_the_project() {
    plugin_dir_turn(&packaged_plugin().dir);
}

/// The plugin's `doctor --json` check called `name`.
fn doctor_check<'r>(report: &'r Value, name: &str) -> &'r Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check: {report:#}"))
}

fn a_marketplace_install_from_the_checkout_records_a_promise_and_doctor_is_happy() {
    let p = Project::for_plugin();
    p.install_plugin_from_checkout();
    let report: Value = p.cli(&["doctor", "--json"]).run().code(0).json();
    let plugin = doctor_check(&report, "plugin");
    assert_eq!(plugin["level"], "ok");
    let detail = text(plugin, "detail");
    assert!(
        detail.contains("instar-hooks@instar-hooks is enabled (project scope"),
        "{detail}"
    );
    assert!(
        detail.contains(&packaged_plugin().dir.display().to_string()),
        "{detail}"
    );

    let before = p.files();
    let turn = p.turn(Reply::Text("Restarting the worker now."), &[], &[]);
    p.assert_recorded_by_the_plugin(&turn, &before);
}

fn the_release_zip_keeps_its_mode_bits_and_records_a_promise() {
    // A zip without mode bits fails every hook with "Permission denied":
    // assert_recorded_by_the_plugin sees that as a hook error and as a missing commitment.
    plugin_dir_turn(&packaged_plugin().zip);
}

fn the_plugin_and_a_settings_entry_record_one_commitment_and_doctor_reports_the_double_wiring() {
    let p = Project::for_plugin();
    p.install_plugin_from_checkout();

    // instar-migrate sees the plugin and registers nothing (and writes no config: the
    // plugin's hooks are on by default).
    let report: Value = serde_json::from_str(&p.migrate_enabling(&["--json"])).unwrap();
    let skipped: Vec<&Value> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["outcome"] == "skipped" && s["what"] == "plugin-runs-hooks")
        .collect();
    assert_eq!(
        skipped
            .iter()
            .map(|s| (text(s, "path"), text(s, "plugin"), text(s, "scope")))
            .collect::<Vec<_>>(),
        [
            (
                ".instar/hooks/instar",
                "instar-hooks@instar-hooks",
                "project"
            ),
            (
                ".claude/settings.json",
                "instar-hooks@instar-hooks",
                "project"
            )
        ],
        "{report:#}"
    );
    let settings_path = p.path().join(".claude/settings.json");
    let mut settings: Value =
        serde_json::from_str(&fs::read_to_string(&settings_path).unwrap()).unwrap();
    assert!(settings.get("hooks").is_none(), "{settings:#}");
    assert!(!p.path().join(HOOK_IN_PROJECT).exists());

    // Wire it a second time by hand, as the README's "By hand" section says: deploy, switch
    // the feature on (a settings hook is off by default), register.
    p.deploy_hook_by_hand();
    p.cli(&["config", "set", "actionClaim.enabled", "true"])
        .run()
        .code(0);
    let by_hand: Value = serde_json::from_str(SETTINGS).unwrap();
    settings["hooks"] = by_hand["hooks"].clone();
    fs::write(
        &settings_path,
        serde_json::to_string_pretty(&settings).unwrap(),
    )
    .unwrap();

    let turn = p.turn(Reply::Text("Restarting the worker now."), &[], &[]);
    let session = turn.session_id();
    // Both ran at the same Stop (and at the second Stop: the promise was not kept, so one
    // of the two continued the turn, once)…
    let continued = assert_stop_hooks_ran_cleanly(
        &read_jsonl(&p.transcript_of(&session)),
        &[PLUGIN_STOP_HOOK, SETTINGS_STOP_HOOK],
    );
    let stops = 1 + usize::from(continued.is_some());
    // …and the store holds one commitment, not restated: every other delivery was a no-op…
    let c = only(p.commitments());
    assert_eq!(text(&c, "verb"), "restart");
    assert_eq!(text(&c, "topic"), session);
    assert_eq!(c["restated"], 0, "{c:#}");
    let log = fs::read_to_string(p.hook_state().join(HOOK_LOG)).unwrap();
    assert_eq!(
        (
            log.matches(r#""outcome":"created""#).count(),
            log.matches(r#""outcome":"duplicate""#).count(),
            log.matches("continued the turn").count(),
        ),
        (1, 2 * stops - 1, stops - 1),
        "both hooks recorded at each Stop, all but the first as a duplicate, and the two \
         hooks racing at the first Stop continued the turn once between them:\n{log}"
    );
    p.assert_log_has_no_errors();

    let report: Value = p.cli(&["doctor", "--json"]).run().code(1).json();
    let wiring = doctor_check(&report, "wiring");
    assert_eq!(wiring["level"], "problem");
    assert!(
        text(wiring, "detail").contains("registered twice"),
        "{wiring:#}"
    );
    assert!(
        text(wiring, "fix")
            .contains("claude plugin disable instar-hooks@instar-hooks --scope local"),
        "{wiring:#}"
    );
}

fn the_plugins_reminder_and_cli_work_in_a_session_configured_per_user() {
    let p = Project::for_plugin();
    // A project without .instar/: `config set` edits the per-user file, outside the project.
    let out = p
        .cli(&["config", "set", "actionClaim.reminderGraceMinutes", "0"])
        .run()
        .code(0)
        .stdout;
    let user_config = p.root().join("config/instar-hooks/config.json");
    assert!(out.contains(&user_config.display().to_string()), "{out}");
    let before = p.files();
    let plugin = packaged_plugin().dir.to_str().unwrap().to_string();
    let env = [("INSTAR_CONVERSATION_ID", "6101")];
    let args = ["--plugin-dir", plugin.as_str(), "--allowedTools", "Bash"];

    let promise = p.turn(Reply::Text("I'll restart the server."), &env, &args);
    assert_stop_hooks_ran_cleanly(
        &read_jsonl(&p.transcript_of(&promise.session_id())),
        &[PLUGIN_STOP_HOOK],
    );
    let id = text(&only(p.commitments()), "id").to_string();

    // The next turn: the reminder reaches the model, and the model can run the plugin's CLI
    // (the plugin's bin/ is on the Bash tool's PATH).
    let replies = p.root().join("replies-cli.jsonl");
    fs::write(
        &replies,
        concat!(
            r#"{"content":[{"type":"tool_use","name":"Bash","input":{"command":"instar-hooks commitments list","description":"list commitments"}}]}"#,
            "\n",
            r#"{"text":"Noted."}"#,
            "\n"
        ),
    )
    .unwrap();
    let next = p.turn(Reply::Replies(&replies), &env, &args);
    assert!(
        next.reminders().iter().any(|t| t.contains(&id)),
        "no reminder of {id}: {:#?}",
        next.model_input_texts()
    );
    let transcript = read_jsonl(&p.transcript_of(&next.session_id()));
    assert_eq!(
        bash_calls(&transcript),
        [("instar-hooks commitments list".to_string(), false)]
    );
    let result = transcript
        .iter()
        .filter_map(|l| l["message"]["content"].as_array())
        .flatten()
        .find(|b| b["type"] == "tool_result")
        .expect("a tool result");
    assert!(result["content"].to_string().contains(&id), "{result:#}");
    p.assert_tree_unchanged(&before);
    p.assert_log_has_no_errors();
}
