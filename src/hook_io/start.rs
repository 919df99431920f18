//! The start-up every hook run shares, once: the project, its config (the feature off costs
//! one config read and nothing more), the state directory, the log (config problems are
//! logged by every hook), oversized stdin, and — when the run is over — its run status for the
//! guard posture.

use std::cell::OnceCell;

use super::{HookInput, RawInput, STDIN_CAP, project_dir};
use crate::{
    config::Config, diag::Log, env::Env, run_status, state::StateDir, timestamp::Timestamp,
};

/// One of our hooks: its binary's name is its identity in logs, run status and settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hook {
    /// `action-claim-followthrough`, registered for Stop.
    Stop,
    /// `action-claim-reminder`, registered for UserPromptSubmit.
    Prompt,
}

impl Hook {
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Hook::Stop => "action-claim-followthrough",
            Hook::Prompt => "action-claim-reminder",
        }
    }
}

/// Why a run does nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Skip {
    /// The feature is off here, or there is no project to work for.
    Off,
    /// On, but the project's state directory cannot be used (e.g. a symlink out of it).
    NoState,
    /// Stdin was over [`STDIN_CAP`]: logged, and the run recorded.
    Truncated,
}

/// An enabled run, started.
pub(crate) struct Run<'a> {
    pub(crate) hook: Hook,
    pub(crate) raw: &'a RawInput,
    pub(crate) env: &'a Env,
    pub(crate) now: Timestamp,
    pub(crate) config: Config,
    pub(crate) state: StateDir,
    pub(crate) log: Log,
    input: OnceCell<HookInput>,
}

/// Starts `hook`'s run. Until the config says the feature is on, stdin is parsed only when
/// the environment does not name the project; nothing is written unless a config problem
/// must be logged.
pub(crate) fn start<'a>(
    hook: Hook,
    raw: &'a RawInput,
    env: &'a Env,
    now: Timestamp,
) -> Result<Run<'a>, Skip> {
    let input = OnceCell::new();
    let parsed = || input.get_or_init(|| HookInput::parse(&raw.bytes));
    let project = project_dir(env, || parsed().cwd.clone()).ok_or(Skip::Off)?;
    let config = Config::load(&project, env);
    if !config.is_enabled() && config.problems.is_empty() {
        return Err(Skip::Off);
    }
    // Resolving the state directory and the log does no I/O: the directory is created only
    // when there is something to write.
    let state = StateDir::resolve(&project, env).ok();
    let log = state.as_ref().map(|s| Log::for_state(s, hook.name()));
    if let Some(log) = &log {
        log.install_global();
        let off = if config.is_enabled() {
            ""
        } else {
            " (feature off)"
        };
        for p in &config.problems {
            log.problem(&format!("config {}: {}{off}", p.path.display(), p.message));
        }
    }
    if !config.is_enabled() {
        return Err(Skip::Off);
    }
    let (Some(state), Some(log)) = (state, log) else {
        return Err(Skip::NoState);
    };
    let run = Run {
        hook,
        raw,
        env,
        now,
        config,
        state,
        log,
        input,
    };
    if raw.truncated {
        run.log.problem(&format!(
            "stdin exceeded {STDIN_CAP} bytes; this turn was not read"
        ));
        run.finish(None);
        return Err(Skip::Truncated);
    }
    Ok(run)
}

impl Run<'_> {
    /// The hook's input, parsed once.
    pub(crate) fn input(&self) -> &HookInput {
        self.input.get_or_init(|| HookInput::parse(&self.raw.bytes))
    }

    /// The conversation this run belongs to: `INSTAR_CONVERSATION_ID`, else instar's older
    /// `INSTAR_TELEGRAM_TOPIC`, else Claude Code's `session_id`. instar's ids are integers
    /// ("0042" and "42" are the same topic, as JavaScript's parseInt reads them); anything
    /// else is used as written.
    pub(crate) fn topic(&self) -> String {
        topic(self.env, self.input().session_id.as_deref())
    }

    /// Records that the run happened (and how it failed) for the guard posture. Never fails.
    pub(crate) fn finish(&self, failure: Option<&str>) {
        run_status::record_run(&self.state, self.hook.name(), failure, self.now);
    }
}

/// See [`Run::topic`].
pub(crate) fn topic(env: &Env, session_id: Option<&str>) -> String {
    let raw = env
        .conversation_id
        .as_deref()
        .or(env.telegram_topic.as_deref())
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match raw {
        Some(t) => t
            .parse::<i64>()
            .map_or_else(|_| t.to_string(), |n| n.to_string()),
        None => session_id.unwrap_or("no-session").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_topic_prefers_instar_conversation_ids() {
        let mut env = Env::default();
        assert_eq!(topic(&env, Some("sess")), "sess");
        assert_eq!(topic(&env, None), "no-session");
        env.telegram_topic = Some("0042".into());
        assert_eq!(topic(&env, Some("sess")), "42");
        env.conversation_id = Some("-777".into());
        assert_eq!(topic(&env, Some("sess")), "-777");
        env.conversation_id = Some("slack-thread".into());
        assert_eq!(topic(&env, Some("sess")), "slack-thread");
    }
}
