//! The config as the hooks read it: problems, whether the feature is on, which file decides,
//! and the command that changes that file; and forwarding to an instar server.

use std::path::Path;

use super::{Level, Report};
use crate::{
    config::{self, Config, Origin},
    env::Env,
    plugin::Wiring,
    state::INSTAR_DIR,
};

pub(super) fn check_config(
    r: &mut Report,
    project: &Path,
    env: &Env,
    config: &Config,
    wiring: &Wiring,
) {
    for p in &config.problems {
        r.push(
            "config",
            Level::Problem,
            format!("{}: {}", p.path.display(), p.message),
            Some(format!("fix {} by hand", p.path.display())),
        );
    }
    let origin = &config.enabled_origin;
    match (config.is_enabled(), origin) {
        (true, Origin::PluginDefault) => r.push(
            "config",
            Level::Ok,
            format!(
                "action-claim is on (the default for hooks run from the plugin; `{}` turns it off everywhere)",
                crate::fixes::config_set(project, "actionClaim.enabled", "false", true)
            ),
            None,
        ),
        (true, _) => r.push(
            "config",
            Level::Ok,
            format!("action-claim is on ({})", origin.describe()),
            None,
        ),
        // Already reported above, with its fix: the feature is off until the file is fixed.
        (false, Origin::Unreadable { .. }) => {}
        (false, _) => r.push(
            "config",
            Level::Info,
            match origin {
                Origin::File { .. } => format!(
                    "action-claim is off ({} says false): nothing is recorded",
                    origin.describe()
                ),
                _ => "action-claim is off: nothing is recorded".to_string(),
            },
            Some(enable_fix(project, env, origin, wiring)),
        ),
    }
}

/// The command that switches action-claim on, given what switched it off. An explicit false
/// in any file wins, so the fix edits the file that says false; nothing else would work.
fn enable_fix(project: &Path, env: &Env, origin: &Origin, wiring: &Wiring) -> String {
    let set = |user: bool| crate::fixes::config_set(project, "actionClaim.enabled", "true", user);
    match origin {
        Origin::File { path, .. } if Some(path) == config::user_config_path(env).as_ref() => {
            format!("{} (the per-user file applies to every project)", set(true))
        }
        Origin::File { .. } => set(false),
        // Nothing says anything and the hooks run from settings, where the default is off.
        // An instar agent (or a project not wired yet) is set up by instar-migrate; another
        // project keeps its config in the per-user file, never in a new .instar/.
        _ if project.join(INSTAR_DIR).is_dir() || wiring.settings_hooks.is_empty() => {
            crate::fixes::migrate(project, "--enable action-claim")
        }
        _ => format!("{} (the per-user file applies to every project)", set(true)),
    }
}

pub(super) fn check_forwarding(r: &mut Report, config: &Config) {
    match &config.server {
        Some(s) => r.push(
            "forwarding",
            Level::Info,
            format!(
                "to the instar server on 127.0.0.1:{} (authToken set, not shown)",
                s.port
            ),
            None,
        ),
        None => r.push(
            "forwarding",
            Level::Info,
            "not configured (no `port` and `authToken`)",
            None,
        ),
    }
}
