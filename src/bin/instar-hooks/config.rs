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

use crate::cli::{self, Args, Code, Outcome, string, usage};

mod read;
mod write;

const HELP: &str = "\
instar-hooks config — read and change the instar-hooks configuration

USAGE:
    instar-hooks config get KEY [--user|--project] [--project-dir DIR] [--json]
    instar-hooks config set KEY VALUE [--user|--project] [--project-dir DIR] [--json]
    instar-hooks config unset KEY [--user|--project] [--project-dir DIR] [--json]
    instar-hooks config list [--project-dir DIR] [--json]

Two files can set a key; the first that does wins, then the built-in default:
    --project  <project>/.instar/config.json: instar agents (shared with instar)
    --user     <config dir>/instar-hooks/config.json ($XDG_CONFIG_HOME, else ~/.config):
               every project of this user
An explicit `actionClaim.enabled: false` in either file wins over `true` in the other.

COMMANDS:
    get    With --user or --project, the value in that file. Without, the value the hooks
           use in this project and the file (or default) it comes from
    set    VALUE is read as JSON when it is JSON (true, 5, 2.5, \"text\", {...}), else as a
           string. Known keys are checked. The file is replaced atomically; every other key
           in it is kept, in order
    unset  Remove the key (and the objects that leaves empty)
    list   Every key instar-hooks reads: the value the hooks use and where it comes from

WHICH FILE:
    set and unset edit the project file when the project has .instar/, else the user file.
    --project needs .instar/ to exist: this command never creates it, because a project with
    .instar/ is an instar agent, whose hook state lives in .instar/instar-hooks/ inside the
    repository instead of the per-user data directory. Configure other projects with --user
    (to switch the hooks off in one project only: `claude plugin disable instar-hooks@<market>
    --scope local`), or create .instar/ yourself if that is what you want. When a value of
    actionClaim.enabled set there does not take effect (a false in the other file wins), set
    prints the change that would, as `instar-migrate --enable/--disable action-claim` makes it.

KEYS:
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

OPTIONS:
    --user             Use the per-user file
    --project          Use the project's .instar/config.json
    --project-dir DIR  The project (default: $CLAUDE_PROJECT_DIR, else the current directory)
    --json             get: {\"key\", \"value\", \"origin\": {\"kind\": \"file\"|\"unreadable\"|
                       \"default\"|\"plugin-default\", \"path\"?, \"key\"?}}; with --user/--project
                       {\"key\", \"value\", \"file\"}. set/unset: {\"key\", \"value\"?, \"file\",
                       \"changed\", \"effective\": <as get>}. list: {\"project\", \"files\":
                       [{\"scope\", \"path\", \"exists\"}], \"hooksRunFrom\", \"keys\": [<as get>]}
    -h, --help         Print help

EXIT CODES:
    0  success
    1  get: the key has no value (in that file; or anywhere, and no default)
    2  error: bad usage, an invalid value for a known key, a file that cannot be parsed (it is
       left unchanged), read or written
";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Which {
    User,
    Project,
}

pub fn run(args: &mut Args) -> Result<Outcome, Error> {
    use lexopt::Arg::*;
    let mut words: Vec<String> = Vec::new();
    let mut which: Option<Which> = None;
    let mut project_dir: Option<PathBuf> = None;
    let pick = |w: Which, which: &mut Option<Which>| match which {
        Some(other) if *other != w => Err(usage("give --user or --project, not both")),
        _ => {
            *which = Some(w);
            Ok(())
        }
    };
    while let Some(arg) = args.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Outcome::Help(HELP)),
            Long("json") => args.set_json(),
            Long("user") => pick(Which::User, &mut which)?,
            Long("project") => pick(Which::Project, &mut which)?,
            Long("project-dir") => project_dir = Some(args.value()?.into()),
            Value(v) => words.push(string(v)?),
            other => return Err(usage(other.unexpected().to_string())),
        }
    }
    let Some(action) = words.first().cloned() else {
        return Ok(Outcome::Help(HELP));
    };
    let env = Env::from_process();
    let project = cli::project_dir(project_dir, &env)?;
    let ctx = Ctx::new(project, env, args.json());
    let operands = &words[1..];
    let arity = |n: usize, what: &str| {
        if operands.len() == n {
            Ok(())
        } else {
            Err(usage(format!("`config {action}` takes {what}")))
        }
    };
    match action.as_str() {
        "get" => {
            arity(1, "one KEY")?;
            ctx.get(&operands[0], which)
        }
        "set" => {
            arity(2, "KEY VALUE (quote a VALUE with spaces)")?;
            ctx.set(&operands[0], &operands[1], which)
        }
        "unset" => {
            arity(1, "one KEY")?;
            ctx.unset(&operands[0], which)
        }
        "list" => {
            arity(0, "no KEY")?;
            if which.is_some() {
                return Err(usage(
                    "`config list` shows both files; drop --user/--project",
                ));
            }
            ctx.list()
        }
        other => Err(usage(format!(
            "unknown config command `{other}`; expected get, set, unset or list"
        ))),
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

fn found(text: String, has_value: bool) -> Outcome {
    if has_value {
        Outcome::Text(text)
    } else {
        Outcome::TextWithCode(text, Code::Findings)
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(v).expect("config output serializes")
    )
}
