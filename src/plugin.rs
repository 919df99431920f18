/*!
The Claude Code plugin: what it ships, and whether a project is wired through it.

**What it ships.** `plugin/` holds the plugin's sources: `.claude-plugin/plugin.json` (its
`version` is the crate's) and `hooks/hooks.json`, which registers every hook of
`settings-template.json` in exec form as `${CLAUDE_PLUGIN_ROOT}/bin/<binary>` with the same
events, matchers and timeouts ([`hooks_json`] derives it; a test keeps the file equal to it).
`scripts/package-plugin` adds the release binaries (mode 755), README and LICENSE to make
`target/plugin/`, and the release zip. The repository root's `.claude-plugin/marketplace.json`
lists `./target/plugin`, so a checkout is a marketplace.

**One wiring.** Whether a project runs our hooks through the plugin, through its settings,
or both: see [`wiring()`].
*/

use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

use crate::{env::Env, settings};

mod wiring;

use wiring::SETTINGS_CAP;
pub use wiring::{
    PluginSetting, Scope, SettingsFile, SettingsHook, Unreadable, Wiring, settings_files, wiring,
};

/// The plugin's name (the part of its id before `@`).
pub const NAME: &str = "instar-hooks";
/// The plugin manifest, as committed in `plugin/.claude-plugin/plugin.json`.
pub const PLUGIN_JSON: &str = include_str!("../plugin/.claude-plugin/plugin.json");
/// The plugin's hook registrations, as committed in `plugin/hooks/hooks.json`.
pub const HOOKS_JSON: &str = include_str!("../plugin/hooks/hooks.json");
/// The checkout's marketplace, `.claude-plugin/marketplace.json`.
pub const MARKETPLACE_JSON: &str = include_str!("../.claude-plugin/marketplace.json");
/// What `hooks/hooks.json` says about itself.
pub const HOOKS_DESCRIPTION: &str = "instar-hooks: the Stop hook records the assistant's concrete promises as follow-through commitments; the UserPromptSubmit hook hands back the ones nothing was done about. Native binaries in exec form (no shell); they always exit 0.";

/// `plugin/hooks/hooks.json` as it must be: every registration of `settings-template.json`,
/// run from the plugin's `bin/` instead of the project's `.instar/hooks/instar/`.
pub fn hooks_json() -> Value {
    let mut events = Map::new();
    for reg in settings::template() {
        let mut hook = reg.hook.clone();
        hook.insert(
            "command".into(),
            Value::String(format!("${{CLAUDE_PLUGIN_ROOT}}/bin/{}", reg.binary)),
        );
        let groups = events
            .entry(reg.event.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("built as an array");
        groups.push(json!({"matcher": reg.matcher, "hooks": [hook]}));
    }
    json!({"description": HOOKS_DESCRIPTION, "hooks": events})
}

/// [`hooks_json`] rendered the way the committed file is written (2-space JSON, final newline).
pub fn render_hooks_json() -> String {
    String::from_utf8(settings::render(&hooks_json(), b"  ")).expect("JSON is UTF-8")
}

/// The hook binaries the plugin runs (file names, in template order, each once).
pub fn hook_binaries() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for reg in settings::template() {
        if !out.contains(&reg.binary) {
            out.push(reg.binary);
        }
    }
    out
}

/// Where the enabled plugin's files are, when Claude Code's records say: for a marketplace
/// that is a local directory (a checkout), the plugin folder it lists (Claude Code runs the
/// hooks from there); otherwise the install path in `plugins/installed_plugins.json` for this
/// project or the user. `None` when it cannot be told (e.g. no Claude dir).
pub fn plugin_root(project: &Path, env: &Env, plugin: &PluginSetting) -> Option<PathBuf> {
    let claude = env.claude_dir.as_ref()?;
    let read = |path: PathBuf| -> Option<Value> {
        let (bytes, _) = crate::fsutil::read_capped(&path, SETTINGS_CAP).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    let known = read(claude.join("plugins/known_marketplaces.json"));
    if let Some(source) = known
        .as_ref()
        .and_then(|k| k.get(plugin.marketplace()))
        .and_then(|m| m.get("source"))
        && source.get("source").and_then(Value::as_str) == Some("directory")
        && let Some(dir) = source.get("path").and_then(Value::as_str)
    {
        let listed = read(Path::new(dir).join(".claude-plugin/marketplace.json"));
        let rel = listed
            .as_ref()
            .and_then(|m| m.get("plugins"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(NAME))
            .and_then(|p| p.get("source"))
            .and_then(Value::as_str);
        if let Some(rel) = rel {
            return Some(Path::new(dir).join(rel.trim_start_matches("./")));
        }
    }
    let installed = read(claude.join("plugins/installed_plugins.json"))?;
    let entries = installed.get("plugins")?.get(&plugin.id)?.as_array()?;
    let canonical = std::fs::canonicalize(project).unwrap_or_else(|_| project.to_path_buf());
    let for_project = |e: &&Value| {
        e.get("projectPath")
            .and_then(Value::as_str)
            .is_some_and(|p| Path::new(p) == canonical || Path::new(p) == project)
    };
    let entry = entries
        .iter()
        .find(for_project)
        .or_else(|| {
            entries
                .iter()
                .find(|e| e.get("scope").and_then(Value::as_str) == Some("user"))
        })
        .or_else(|| entries.first())?;
    entry
        .get("installPath")
        .and_then(Value::as_str)
        .map(PathBuf::from)
}

/// The environment our hooks see when Claude Code runs them in `project`: when the plugin is
/// enabled there, `CLAUDE_PLUGIN_ROOT` is set (to the plugin's folder when it can be found),
/// which makes the feature on by default. For CLI commands that report what the hooks do.
pub fn hook_env(project: &Path, env: &Env, wiring: &Wiring) -> Env {
    let mut out = env.clone();
    if out.plugin_root.is_none()
        && let Some(plugin) = wiring.plugin()
    {
        out.plugin_root = Some(
            plugin_root(project, env, plugin)
                .unwrap_or_else(|| PathBuf::from("${CLAUDE_PLUGIN_ROOT}")),
        );
    }
    out
}

#[cfg(test)]
mod tests;
