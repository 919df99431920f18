/*!
The Claude Code plugin: what it ships, whether its binaries are in place, and whether a project
is wired through it.

**What it ships.** `plugin/` is the plugin, committed, and what the repository's marketplace
(`.claude-plugin/marketplace.json`) lists as `./plugin`, so that `claude plugin marketplace
add <the repository's Git URL>` and `claude plugin install` give a user everything without a
build: `.claude-plugin/plugin.json` (its `version` is the crate's), `hooks/hooks.json`, which
registers every hook of `settings-template.json` in exec form as
`${CLAUDE_PLUGIN_ROOT}/bin/<binary>` with the same events, matchers and timeouts, plus the
plugin-only SessionStart bootstrap (a test derives the file from the template and keeps it
equal), `hooks/bootstrap`, and in `bin/` a do-nothing placeholder per binary, which the
bootstrap replaces with this machine's native binary from the release archive (see
[`install`]). `scripts/package-plugin` builds the same plugin with the release binaries in
place into `target/plugin/` (and the zip), for development.

**One wiring.** Whether a project runs our hooks through the plugin, through its settings,
or both: see [`wiring()`].
*/

use serde_json::Value;
use std::path::{Path, PathBuf};

use crate::{env::Env, json_file as file};

pub mod install;
#[cfg(test)]
pub(crate) mod package;
mod wiring;

pub use install::not_installed;
pub use wiring::PluginSetting;
pub use wiring::SettingsHook;
pub use wiring::{Scope, Wiring, wiring};

/// The plugin's name (the part of its id before `@`).
pub const NAME: &str = "instar-hooks";

/// Where the enabled plugin's files are, when Claude Code's records say: for a marketplace
/// that is a local directory (a checkout, or the `target/` that `scripts/package-plugin`
/// makes a marketplace), the plugin folder it lists (Claude Code runs the hooks from there in
/// place); otherwise the install path in `plugins/installed_plugins.json` for this
/// project or the user. `None` when it cannot be told (e.g. no Claude dir).
pub fn plugin_root(project: &Path, env: &Env, plugin: &PluginSetting) -> Option<PathBuf> {
    let claude = env.claude_dir.as_ref()?;
    // Claude Code's own records: one it cannot read is one it does not use either.
    let read = |path: PathBuf| -> Option<Value> { file::read_json(&path).ok().flatten() };
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

/// The environment our hooks see when Claude Code runs them in a project wired as `wiring`
/// says: run from the plugin when it is enabled there, which makes the feature on by default.
/// For CLI commands that report what the hooks do.
pub fn hook_env(env: &Env, wiring: &Wiring) -> Env {
    let mut out = env.clone();
    out.from_plugin |= wiring.plugin().is_some();
    out
}

#[cfg(test)]
mod tests;
