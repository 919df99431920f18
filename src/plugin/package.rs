//! The plugin's committed files, and what `hooks/hooks.json` must be: for the tests that keep
//! the package in step with `settings-template.json` and Cargo.

use serde_json::{Map, Value, json};

use crate::settings;

/// The plugin manifest, as committed in `plugin/.claude-plugin/plugin.json`.
pub const PLUGIN_JSON: &str = include_str!("../../plugin/.claude-plugin/plugin.json");
/// The plugin's hook registrations, as committed in `plugin/hooks/hooks.json`.
pub const HOOKS_JSON: &str = include_str!("../../plugin/hooks/hooks.json");
/// The checkout's marketplace, `.claude-plugin/marketplace.json`.
pub const MARKETPLACE_JSON: &str = include_str!("../../.claude-plugin/marketplace.json");
/// What `hooks/hooks.json` says about itself.
const HOOKS_DESCRIPTION: &str = "instar-hooks: the Stop hook records the assistant's concrete promises as follow-through commitments; the UserPromptSubmit hook hands back the ones nothing was done about. Native binaries in exec form (no shell); they always exit 0.";

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
    String::from_utf8(crate::json_file::render(&hooks_json(), b"  ")).expect("JSON is UTF-8")
}
