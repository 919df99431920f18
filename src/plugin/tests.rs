use super::package::{
    BOOTSTRAP_COMMAND, BOOTSTRAP_TIMEOUT_S, HOOKS_JSON, MARKETPLACE_JSON, PLUGIN_JSON,
    render_hooks_json,
};
use super::*;
use crate::settings;
use serde_json::json;
use std::fs;

// The committed placeholders, the bootstrap and `not_installed`.
mod install;

#[test]
fn the_committed_hooks_json_is_the_bootstrap_and_the_template_run_from_the_plugin() {
    let want = render_hooks_json();
    assert!(
        HOOKS_JSON == want,
        "plugin/hooks/hooks.json has drifted from settings-template.json; write this to it:\n{want}"
    );
}

#[test]
fn every_template_hook_is_in_the_plugin_in_exec_form_with_its_timeout() {
    let doc: Value = serde_json::from_str(HOOKS_JSON).unwrap();
    let template = settings::template();
    let mut seen = 0;
    for reg in template {
        let groups = doc["hooks"][&reg.event].as_array().expect("event present");
        let hook = groups
            .iter()
            .flat_map(|g| g["hooks"].as_array().unwrap())
            .find(|h| h["command"].as_str().unwrap().ends_with(&reg.binary))
            .unwrap_or_else(|| panic!("{} {} missing", reg.event, reg.binary));
        assert_eq!(
            hook["command"],
            format!("${{CLAUDE_PLUGIN_ROOT}}/bin/{}", reg.binary),
            "braces: exec form does not expand $VAR"
        );
        assert_eq!(hook["args"], json!([]), "exec form, no shell");
        assert_eq!(hook["type"], "command");
        assert_eq!(
            hook["timeout"], reg.hook["timeout"],
            "seconds, as in the template"
        );
        seen += 1;
    }
    let total: usize = doc["hooks"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|g| g.as_array().unwrap())
        .map(|g| g["hooks"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        total,
        seen + 1,
        "nothing but the template's hooks and the bootstrap"
    );
    assert_eq!(
        doc["hooks"]["SessionStart"],
        json!([{"matcher": "", "hooks": [{"type": "command", "command": BOOTSTRAP_COMMAND,
            "args": [], "timeout": BOOTSTRAP_TIMEOUT_S}]}]),
        "the bootstrap runs at every session start, in exec form"
    );
    assert_eq!(
        settings::binaries(),
        ["action-claim-followthrough", "action-claim-reminder"]
    );
}

#[test]
fn the_manifest_and_the_marketplace_agree_with_cargo() {
    let manifest: Value = serde_json::from_str(PLUGIN_JSON).unwrap();
    assert_eq!(manifest["name"], NAME);
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["license"], env!("CARGO_PKG_LICENSE"));
    assert_eq!(manifest["hooks"], "./hooks/hooks.json");
    assert_eq!(manifest["repository"], env!("CARGO_PKG_REPOSITORY"));
    assert!(manifest["author"]["name"].is_string());
    assert!(!manifest["keywords"].as_array().unwrap().is_empty());

    let market: Value = serde_json::from_str(MARKETPLACE_JSON).unwrap();
    assert!(market["owner"]["name"].is_string());
    let plugins = market["plugins"].as_array().unwrap();
    assert_eq!(plugins.len(), 1);
    let entry = &plugins[0];
    assert_eq!(entry["name"], NAME);
    assert_eq!(entry["version"], env!("CARGO_PKG_VERSION"));
    // Claude Code accepts only relative sources that start with "./"; a Git marketplace gets
    // only committed files, so the source is the committed plugin.
    assert_eq!(entry["source"], "./plugin");
    assert!(!entry["description"].as_str().unwrap().is_empty());
}

struct Fixture {
    dir: tempfile::TempDir,
    env: Env,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("project/.claude")).unwrap();
        fs::create_dir_all(dir.path().join("claude")).unwrap();
        let env = Env {
            claude_dir: Some(dir.path().join("claude")),
            ..Env::default()
        };
        Fixture { dir, env }
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn write(&self, scope: Scope, text: &str) -> PathBuf {
        let path = match scope {
            Scope::Local => self.project().join(".claude/settings.local.json"),
            Scope::Project => self.project().join(".claude/settings.json"),
            Scope::User => self.dir.path().join("claude/settings.json"),
        };
        fs::write(&path, text).unwrap();
        path
    }

    fn wiring(&self) -> Wiring {
        wiring(&self.project(), &self.env)
    }
}

const ENABLED: &str = r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#;

#[test]
fn nothing_anywhere_is_no_wiring() {
    let f = Fixture::new();
    let w = f.wiring();
    assert_eq!(w, Wiring::default());
    assert!(!w.plugin_enabled() && !w.is_double());
    assert_eq!(w.describe(), "nothing");
    assert_eq!(w.fix(), None);
}

#[test]
fn the_plugin_is_enabled_from_any_scope_and_says_which() {
    for scope in [Scope::User, Scope::Project, Scope::Local] {
        let f = Fixture::new();
        let file = f.write(scope, ENABLED);
        let w = f.wiring();
        let p = w.plugin().unwrap_or_else(|| panic!("{scope:?}"));
        assert_eq!(p.id, "instar-hooks@instar-hooks");
        assert_eq!(p.marketplace(), "instar-hooks");
        assert_eq!((p.scope, &p.file), (scope, &file));
        assert!(!w.is_double());
    }
}

#[test]
fn a_higher_scope_decides_and_other_plugins_are_ignored() {
    let f = Fixture::new();
    f.write(Scope::User, ENABLED);
    f.write(
        Scope::Local,
        r#"{"enabledPlugins": {"instar-hooks@instar-hooks": false, "other@instar-hooks": true, "instar-hooks-extra@m": true}}"#,
    );
    let w = f.wiring();
    assert!(!w.plugin_enabled(), "{w:#?}");
    assert_eq!(w.plugins.len(), 1);
    assert_eq!(w.plugins[0].scope, Scope::Local);
    // A project-scope `false` under a local `true`: enabled.
    let f = Fixture::new();
    f.write(
        Scope::Project,
        r#"{"enabledPlugins": {"instar-hooks@m": false}}"#,
    );
    f.write(
        Scope::Local,
        r#"{"enabledPlugins": {"instar-hooks@m": true}}"#,
    );
    assert_eq!(f.wiring().plugin().unwrap().scope, Scope::Local);
}

#[test]
fn our_settings_hooks_are_found_by_binary_name_wherever_they_live() {
    let f = Fixture::new();
    f.write(Scope::Project, settings::TEMPLATE);
    f.write(
        Scope::User,
        r#"{"hooks": {"Stop": [{"hooks": [
            {"type": "command", "command": "\"/home/u/.local/bin/action-claim-followthrough\""},
            {"type": "command", "command": "node /x/action-claim-followthrough.js"},
            {"type": "command", "command": "/usr/bin/other-hook"}]}]}}"#,
    );
    let w = f.wiring();
    let found: Vec<(Scope, &str, &str)> = w
        .settings_hooks
        .iter()
        .map(|h| (h.scope, h.event.as_str(), h.binary.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (Scope::Project, "Stop", "action-claim-followthrough"),
            (Scope::Project, "UserPromptSubmit", "action-claim-reminder"),
            (Scope::User, "Stop", "action-claim-followthrough"),
        ]
    );
    assert!(!w.is_double(), "no plugin: settings only");
}

#[test]
fn plugin_and_settings_together_are_a_double_wiring_with_a_fix() {
    let f = Fixture::new();
    f.write(
        Scope::Project,
        &settings::TEMPLATE.replacen('{', r#"{"enabledPlugins": {"instar-hooks@mkt": true},"#, 1),
    );
    let w = f.wiring();
    assert!(w.is_double(), "{w:#?}");
    let fix = w.fix().unwrap();
    assert!(
        fix.contains("claude plugin disable instar-hooks@mkt --scope local"),
        "{fix}"
    );
    assert!(
        fix.contains(
            "remove the hook entries action-claim-followthrough, action-claim-reminder from "
        ),
        "{fix}"
    );
    assert!(
        w.describe()
            .starts_with("the plugin instar-hooks@mkt (project scope) and ")
    );
}

#[test]
fn the_plugin_from_two_marketplaces_is_a_double_wiring_too() {
    let f = Fixture::new();
    f.write(
        Scope::User,
        r#"{"enabledPlugins": {"instar-hooks@a": true, "instar-hooks@b": true}}"#,
    );
    let w = f.wiring();
    assert!(w.is_double());
    assert!(w.fix().unwrap().contains("instar-hooks@a, instar-hooks@b"));
}

#[test]
fn an_unparsable_settings_file_is_ignored_as_claude_code_does_and_reported() {
    let f = Fixture::new();
    f.write(
        Scope::Project,
        r#"{"enabledPlugins": {"instar-hooks@m": true},"#,
    );
    let w = f.wiring();
    assert!(!w.plugin_enabled());
    assert_eq!(w.unreadable.len(), 1);
    assert!(
        w.unreadable[0]
            .message
            .contains("Claude Code ignores this file")
    );
    assert!(w.unreadable[0].ignored);
}

#[test]
fn an_unexpected_shape_is_reported_but_the_file_still_counts() {
    // Claude Code reads it (only a syntax error makes it ignore a file): the plugin is on.
    let f = Fixture::new();
    f.write(
        Scope::Project,
        r#"{"enabledPlugins": {"instar-hooks@m": true}, "hooks": []}"#,
    );
    let w = f.wiring();
    assert!(w.plugin_enabled());
    assert_eq!(w.unreadable.len(), 1);
    let u = &w.unreadable[0];
    assert!(!u.ignored && !u.message.contains("ignores"), "{u:?}");
    assert!(u.message.contains("`hooks` is an array"), "{u:?}");
}

#[test]
fn a_home_directory_project_reads_its_one_settings_file_once() {
    let f = Fixture::new();
    let env = Env {
        claude_dir: Some(f.project().join(".claude")),
        ..Env::default()
    };
    fs::write(f.project().join(".claude/settings.json"), "{ nope").unwrap();
    let w = wiring(&f.project(), &env);
    assert_eq!(w.unreadable.len(), 1, "{w:#?}");
}

#[test]
fn a_list_of_ids_counts_as_enabled() {
    let f = Fixture::new();
    f.write(Scope::User, r#"{"enabledPlugins": ["instar-hooks@m"]}"#);
    assert!(f.wiring().plugin_enabled());
}

#[test]
fn without_a_claude_dir_only_the_project_files_are_read() {
    let f = Fixture::new();
    f.write(Scope::User, ENABLED);
    let w = wiring(&f.project(), &Env::default());
    assert!(!w.plugin_enabled());
}

#[test]
fn the_plugin_root_is_the_checkout_folder_for_a_directory_marketplace() {
    let f = Fixture::new();
    let checkout = f.dir.path().join("checkout");
    fs::create_dir_all(checkout.join(".claude-plugin")).unwrap();
    fs::write(
        checkout.join(".claude-plugin/marketplace.json"),
        MARKETPLACE_JSON,
    )
    .unwrap();
    fs::create_dir_all(f.dir.path().join("claude/plugins")).unwrap();
    fs::write(
        f.dir.path().join("claude/plugins/known_marketplaces.json"),
        json!({"instar-hooks": {"source": {"source": "directory", "path": checkout}, "installLocation": checkout}}).to_string(),
    )
    .unwrap();
    f.write(Scope::Project, ENABLED);
    let w = f.wiring();
    let root = plugin_root(&f.project(), &f.env, w.plugin().unwrap());
    assert_eq!(root, Some(checkout.join("plugin")));
    assert!(hook_env(&f.env, &w).from_plugin);
}

#[test]
fn the_plugin_root_is_the_install_path_for_this_project_otherwise() {
    let f = Fixture::new();
    fs::create_dir_all(f.dir.path().join("claude/plugins")).unwrap();
    let project = f.project();
    fs::write(
        f.dir.path().join("claude/plugins/installed_plugins.json"),
        json!({"version": 2, "plugins": {"instar-hooks@gh": [
            {"scope": "project", "installPath": "/cache/other", "projectPath": "/elsewhere"},
            {"scope": "local", "installPath": "/cache/here", "projectPath": project},
        ]}})
        .to_string(),
    )
    .unwrap();
    f.write(
        Scope::Local,
        r#"{"enabledPlugins": {"instar-hooks@gh": true}}"#,
    );
    let w = f.wiring();
    assert_eq!(
        plugin_root(&project, &f.env, w.plugin().unwrap()),
        Some(PathBuf::from("/cache/here"))
    );
}

#[test]
fn hook_env_is_unchanged_without_the_plugin() {
    let f = Fixture::new();
    assert!(!hook_env(&f.env, &f.wiring()).from_plugin);
}
