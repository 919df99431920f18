//! The outside world's inputs that decide where a hook looks and what it records, read once
//! from the process environment. Everything downstream takes an `Env`, so tests set exactly
//! the situation they need without touching the real environment.

use std::path::PathBuf;

#[derive(Clone, Debug, Default)]
pub struct Env {
    /// `CLAUDE_PROJECT_DIR`, set by Claude Code for every hook.
    pub project_dir: Option<PathBuf>,
    /// `INSTAR_CONVERSATION_ID` (instar's current topic variable).
    pub conversation_id: Option<String>,
    /// `INSTAR_TELEGRAM_TOPIC` (legacy; sessions spawned by older instar servers).
    pub telegram_topic: Option<String>,
    /// `INSTAR_BIND_TOKEN`, forwarded to the instar server as `X-Instar-Bind-Token`.
    pub bind_token: Option<String>,
    /// Whether the hook runs from the Claude Code plugin (Claude Code sets
    /// `CLAUDE_PLUGIN_ROOT` for plugin hooks; its value is not needed).
    pub from_plugin: bool,
    /// The user's configuration directory (XDG_CONFIG_HOME or the platform default).
    pub config_dir: Option<PathBuf>,
    /// The user's data directory (XDG_DATA_HOME or the platform default).
    pub data_dir: Option<PathBuf>,
    /// The process's working directory.
    pub cwd: Option<PathBuf>,
    /// Claude Code's own directory: `CLAUDE_CONFIG_DIR`, else `~/.claude` (user settings,
    /// and `projects/<slug>/*.jsonl` session transcripts).
    pub claude_dir: Option<PathBuf>,
    /// `INSTAR_HOOKS_HOSTNAME`: the host name the CLI judges the resume-queue lock with,
    /// instead of `gethostname(2)` (tests fix "this host" with it).
    pub hostname_override: Option<String>,
}

impl Env {
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let path = |name: &str| var(name).map(PathBuf::from);
        let base = directories::BaseDirs::new();
        Env {
            project_dir: path("CLAUDE_PROJECT_DIR"),
            conversation_id: var("INSTAR_CONVERSATION_ID"),
            telegram_topic: var("INSTAR_TELEGRAM_TOPIC"),
            bind_token: var("INSTAR_BIND_TOKEN"),
            from_plugin: std::env::var_os("CLAUDE_PLUGIN_ROOT").is_some_and(|v| !v.is_empty()),
            config_dir: base.as_ref().map(|b| b.config_dir().to_path_buf()),
            data_dir: base.as_ref().map(|b| b.data_dir().to_path_buf()),
            cwd: std::env::current_dir().ok(),
            claude_dir: path("CLAUDE_CONFIG_DIR")
                .or_else(|| base.as_ref().map(|b| b.home_dir().join(".claude"))),
            hostname_override: var("INSTAR_HOOKS_HOSTNAME"),
        }
    }
}
