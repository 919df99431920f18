//! The config as the hooks read it: problems, whether the feature is on, which file decides,
//! and the command that changes that file; and forwarding to an instar server.

use std::path::Path;

use super::{Level, Report};
use crate::{
    config::{
        Config, Origin,
        edit::{self, ConfigFile, Switch},
    },
    env::Env,
    plugin::Wiring,
    settings,
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
            Some(enable_fix(project, env, wiring)),
        ),
    }
}

/// The command that switches action-claim on here, from the plan `instar-migrate --enable`
/// follows too ([`edit::plan_switch`]): an explicit false in any file wins, so the fix edits
/// the file that says false (a per-user false is removed, which reaches fewer projects than
/// writing true there). A project with nothing in its own file that is an instar agent, or
/// that instar-migrate would make one by deploying the hooks (nothing registers them yet), is
/// set up by instar-migrate; another project keeps its switch in the per-user file, never in
/// a new .instar/.
fn enable_fix(project: &Path, env: &Env, wiring: &Wiring) -> String {
    let agent = project.join(INSTAR_DIR).is_dir();
    // instar-migrate deploys a hook that nothing registers for its event (and so makes the
    // project an instar agent), unless the plugin runs the hooks.
    let deployed_by_migrate = !wiring.plugin_enabled()
        && settings::template().iter().any(|reg| {
            !wiring
                .settings_hooks
                .iter()
                .any(|h| h.binary == reg.binary && h.event == reg.event)
        });
    let edits = match edit::plan_switch(project, env, wiring, true, agent || deployed_by_migrate) {
        Switch::Edits(edits) => edits,
        Switch::Blocked(why) => return why,
        // Not reached: the caller asks only when the feature is off.
        Switch::Already(_) => return crate::fixes::doctor(project),
    };
    let sets_up_project = edits
        .iter()
        .any(|e| e.file == ConfigFile::Project && e.before.is_none());
    if sets_up_project {
        return crate::fixes::migrate(project, "--enable action-claim");
    }
    let commands: Vec<String> = edits
        .iter()
        .map(|e| match e.file {
            ConfigFile::Project => e.command(project),
            ConfigFile::User if e.after.is_none() => format!(
                "{} (every project reads the per-user file: those without a setting of their own go back to their default)",
                e.command(project)
            ),
            ConfigFile::User => format!(
                "{} (the per-user file applies to every project)",
                e.command(project)
            ),
        })
        .collect();
    commands.join(" && ")
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
