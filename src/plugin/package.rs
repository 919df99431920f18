//! The plugin's committed files, and what they must be: for the tests that keep the package in
//! step with `settings-template.json`, the release and Cargo.

use serde_json::{Map, Value, json};

use super::install::PLACEHOLDER_MARK;
use crate::settings;

/// The plugin manifest, as committed in `plugin/.claude-plugin/plugin.json`.
pub(crate) const PLUGIN_JSON: &str = include_str!("../../plugin/.claude-plugin/plugin.json");
/// The plugin's hook registrations, as committed in `plugin/hooks/hooks.json`.
pub(crate) const HOOKS_JSON: &str = include_str!("../../plugin/hooks/hooks.json");
/// The plugin's SessionStart hook, as committed in `plugin/hooks/bootstrap`.
pub(crate) const BOOTSTRAP: &str = include_str!("../../plugin/hooks/bootstrap");
/// The repository's marketplace, `.claude-plugin/marketplace.json`.
pub(crate) const MARKETPLACE_JSON: &str = include_str!("../../.claude-plugin/marketplace.json");
/// The committed placeholders in `plugin/bin/`, by file name.
pub(crate) const PLACEHOLDERS: [(&str, &str); 3] = [
    (
        "action-claim-followthrough",
        include_str!("../../plugin/bin/action-claim-followthrough"),
    ),
    (
        "action-claim-reminder",
        include_str!("../../plugin/bin/action-claim-reminder"),
    ),
    (
        "instar-hooks",
        include_str!("../../plugin/bin/instar-hooks"),
    ),
];
/// The bootstrap's command, as hooks/hooks.json registers it.
pub(crate) const BOOTSTRAP_COMMAND: &str = "${CLAUDE_PLUGIN_ROOT}/hooks/bootstrap";
/// Seconds Claude Code gives the bootstrap: more than its own worst case (two downloads of at
/// most 30 s and 120 s, plus unpacking), so that it can always print its message.
pub(crate) const BOOTSTRAP_TIMEOUT_S: u64 = 180;
/// What `hooks/hooks.json` says about itself.
const HOOKS_DESCRIPTION: &str = "instar-hooks: the Stop hook records the assistant's concrete promises as follow-through commitments; the UserPromptSubmit hook hands back the ones nothing was done about. Native binaries in exec form (no shell); they always exit 0. At session start, hooks/bootstrap puts this version's binaries for this machine in place of the placeholders in bin/ (once: a download from the release, checked against its SHA-256).";

/// `plugin/hooks/hooks.json` as it must be: the bootstrap at SessionStart (plugin-only), then
/// every registration of `settings-template.json`, run from the plugin's `bin/` instead of the
/// project's `.instar/hooks/instar/`.
pub(crate) fn hooks_json() -> Value {
    let mut events = Map::new();
    events.insert(
        "SessionStart".into(),
        json!([{"matcher": "", "hooks": [{
            "type": "command",
            "command": BOOTSTRAP_COMMAND,
            "args": [],
            "timeout": BOOTSTRAP_TIMEOUT_S,
        }]}]),
    );
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
pub(crate) fn render_hooks_json() -> String {
    String::from_utf8(crate::json_file::render(&hooks_json(), b"  ")).expect("JSON is UTF-8")
}

/// The committed placeholder for `binary` in `plugin/bin/` as it must be: a hook's does
/// nothing (it reads its input and exits 0, silently: a registered hook is never an error);
/// the CLI's says that the binaries are not installed, on stderr, and exits 2.
pub(crate) fn placeholder(binary: &str) -> String {
    if settings::binaries().contains(&binary) {
        format!(
            "#!/bin/sh\n\
             {PLACEHOLDER_MARK} for the native hook `{binary}`. The plugin's SessionStart hook\n\
             # (hooks/bootstrap) replaces this file with the binary for this machine; until then the hook\n\
             # does nothing: it reads its input and exits 0, silently.\n\
             [ -t 0 ] || cat >/dev/null 2>&1\n\
             exit 0\n"
        )
    } else {
        format!(
            "#!/bin/sh\n\
             {PLACEHOLDER_MARK} for the `{binary}` CLI. The plugin's SessionStart hook\n\
             # (hooks/bootstrap) replaces this file with the binary for this machine.\n\
             echo \"{binary}: the plugin's binaries are not installed yet (${{0%/*}} holds placeholders): \
             start a new Claude Code session to install them, or install them with \
             \\`cargo install --locked instar-hooks\\`\" >&2\n\
             exit 2\n"
        )
    }
}
