//! `instar-hooks config get|set|unset|list`: read and change the configuration files.

use instar_hooks::{
    Error,
    config::{self, Effective, Origin, edit},
    env::Env,
    plugin,
    state::INSTAR_DIR,
};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::PathBuf;

use crate::{
    common::{Code, Outcome, ProjectDir, usage},
    table::table,
};

mod read;
mod write;

const ABOUT: &str = "Reads and changes the instar-hooks configuration.";

const AFTER: &str = "\
Two files can set a key; the first that does wins, then the built-in default:
    --project  <project>/.instar/config.json: instar agents (shared with instar)
    --user     <config dir>/instar-hooks/config.json ($XDG_CONFIG_HOME, else ~/.config):
               every project of this user
An explicit `actionClaim.enabled: false` in either file wins over `true` in the other.

Which file:
    set and unset edit the project file when the project has .instar/, else the user file.
    --project needs .instar/ to exist: this command never creates it, because a project with
    .instar/ is an instar agent, whose hook state lives in .instar/instar-hooks/ inside the
    repository instead of the per-user data directory. Configure other projects with --user
    (to switch the hooks off in one project only: `claude plugin disable instar-hooks@<market>
    --scope local`), or create .instar/ yourself if that is what you want. When a value of
    actionClaim.enabled set there does not take effect (a false in the other file wins), set
    prints the change that would, as `instar-migrate --enable/--disable action-claim` makes it.

Keys:
    actionClaim.enabled                record promises at all. Default: on when the hooks run
                                       from the Claude Code plugin, off otherwise
    actionClaim.perTopicCap            open commitments per conversation (1-1000, default 5)
    actionClaim.expiresHours           an open commitment expires after this (default 6)
    actionClaim.reminderGraceMinutes   remind the model after this (default 10)
    actionClaim.forwardBackoffSeconds  first retry delay of an undelivered claim (default 10)
    port, authToken                    the instar server to forward claims to
    monitoring.resumeQueue.enabled, .dryRun, .autoHealStaleHostLock
                                       the resume-queue host lock (project file only)
    Other keys are stored as given (instar's own keys live in the project file too).

Exit codes:
  0  success
  1  get: the key has no value (in that file; or anywhere, and no default)
  2  error: bad usage, an invalid value for a known key, a file that cannot be parsed (it is
     left unchanged), read or written";

const JSON_HELP: &str = "\
Machine output. get: {\"key\", \"value\", \"origin\": {\"kind\": \"file\"|\"unreadable\"|
\"default\"|\"plugin-default\", \"path\"?, \"key\"?}}; with --user/--project {\"key\", \"value\",
\"file\"}. set/unset: {\"key\", \"value\"?, \"file\", \"changed\", \"effective\": <as get>}.
list: {\"project\", \"files\": [{\"scope\", \"path\", \"exists\"}], \"hooksRunFrom\", \"keys\":
[<as get>]}";

/// Get, set and unset configuration keys (per project or per user)
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = AFTER)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    project: ProjectDir,
    /// Print JSON (see --help for the shapes)
    #[arg(long, global = true, long_help = JSON_HELP)]
    pub(crate) json: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// The value of a key, and where it comes from
    ///
    /// With --user or --project, the value in that file. Without, the value the hooks use in
    /// this project and the file (or default) it comes from.
    Get {
        /// The key, e.g. actionClaim.enabled (see Keys in `config --help`)
        key: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Set a key in one file
    ///
    /// VALUE is read as JSON when it is JSON (true, 5, 2.5, "text", {...}), else as a string.
    /// Known keys are checked. The file is replaced atomically; every other key in it is
    /// kept, in order.
    Set {
        /// The key, e.g. actionClaim.enabled (see Keys in `config --help`)
        key: String,
        /// The value (quote a VALUE with spaces)
        #[arg(allow_negative_numbers = true)]
        value: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Remove the key (and the objects that leaves empty)
    Unset {
        /// The key, e.g. actionClaim.enabled
        key: String,
        #[command(flatten)]
        scope: Scope,
    },
    /// Every key instar-hooks reads: the value the hooks use and where it comes from
    List,
}

/// `--user` or `--project`: which file, when not the one the command picks itself.
#[derive(clap::Args, Debug, Clone, Copy)]
#[group(multiple = false)]
struct Scope {
    /// Use the per-user file
    #[arg(long)]
    user: bool,
    /// Use the project's .instar/config.json
    #[arg(long)]
    project: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Which {
    User,
    Project,
}

impl Scope {
    fn which(self) -> Option<Which> {
        match (self.user, self.project) {
            (true, _) => Some(Which::User),
            (_, true) => Some(Which::Project),
            _ => None,
        }
    }
}

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let Some(command) = args.command else {
        return Ok(crate::help(&["config"]));
    };
    let env = Env::from_process();
    let project = args.project.resolve(&env)?;
    let ctx = Ctx::new(project, env, args.json);
    match command {
        Command::Get { key, scope } => ctx.get(&key, scope.which()),
        Command::Set { key, value, scope } => ctx.set(&key, &value, scope.which()),
        Command::Unset { key, scope } => ctx.unset(&key, scope.which()),
        Command::List => ctx.list(),
    }
}

struct Ctx {
    project: PathBuf,
    env: Env,
    /// `env` as the hooks see it in this project (the plugin's default applies when the
    /// plugin is enabled there).
    hook_env: Env,
    wiring: plugin::Wiring,
    json: bool,
}

impl Ctx {
    fn new(project: PathBuf, env: Env, json: bool) -> Ctx {
        let wiring = plugin::wiring(&project, &env);
        let hook_env = plugin::hook_env(&env, &wiring);
        Ctx {
            project,
            env,
            hook_env,
            wiring,
            json,
        }
    }

    fn is_agent(&self) -> bool {
        self.project.join(INSTAR_DIR).is_dir()
    }

    fn project_file(&self) -> PathBuf {
        self.project.join(config::PROJECT_CONFIG)
    }

    fn user_file(&self) -> Result<PathBuf, Error> {
        config::user_config_path(&self.env)
            .ok_or_else(|| usage("no per-user config directory (set HOME or XDG_CONFIG_HOME)"))
    }
}

/// `get`'s outcome: a key without a value is a finding.
fn found(text: String, has_value: bool) -> Outcome {
    let code = if has_value {
        Code::Success
    } else {
        Code::Findings
    };
    Outcome::with(text, code)
}

fn to_json<T: Serialize>(v: &T) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(v).expect("config output serializes")
    )
}
