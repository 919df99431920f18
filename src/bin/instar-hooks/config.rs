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

    /// The file `set`/`unset` edit.
    fn target(&self, which: Option<Which>) -> Result<PathBuf, Error> {
        match which.unwrap_or(if self.is_agent() {
            Which::Project
        } else {
            Which::User
        }) {
            Which::User => self.user_file(),
            Which::Project if self.is_agent() => Ok(self.project_file()),
            Which::Project => Err(usage(format!(
                "--project needs {}/.instar/, and this command does not create it: a project \
                 with .instar/ is an instar agent, whose hook state then lives inside the \
                 repository; use --user (every project), or create .instar/ yourself \
                 (nothing was changed)",
                self.project.display()
            ))),
        }
    }

    fn effective(&self, key: &str) -> Effective {
        config::effective(&self.project, &self.hook_env, key)
    }

    fn get(&self, key: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let Some(which) = which else {
            let e = self.effective(key);
            let text = if self.json {
                to_json(&e)
            } else {
                match (&e.value, &e.origin) {
                    (Some(v), Some(o)) => format!("{key} = {v}  ({})\n", o.describe()),
                    _ => format!("{key} is not set\n"),
                }
            };
            return Ok(found(text, e.value.is_some()));
        };
        let file = match which {
            Which::User => self.user_file()?,
            Which::Project => self.project_file(),
        };
        let doc = config::file::read_object(&file)?.unwrap_or_default();
        let value = edit::get(&doc, key).cloned();
        let text = if self.json {
            to_json(&json!({"key": key, "value": value, "file": file}))
        } else {
            match &value {
                Some(v) => format!("{key} = {v}  ({})\n", file.display()),
                None => format!("{key} is not set in {}\n", file.display()),
            }
        };
        Ok(found(text, value.is_some()))
    }

    fn set(&self, key: &str, raw: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let value = edit::parse_cli_value(raw);
        let file = self.target(which)?;
        if let Some(k) = config::key(key) {
            if !k.accepts(&value) {
                return Err(usage(format!(
                    "{key} must be {}, not {value} (nothing was changed)",
                    k.expects
                )));
            }
            if k.project_only && file != self.project_file() {
                return Err(usage(format!(
                    "{key} is read from the project's {} only; use --project (nothing was changed)",
                    config::PROJECT_CONFIG
                )));
            }
        }
        let updated = edit::update_file(&file, |doc| {
            if key == "actionClaim.enabled"
                && let Value::Bool(on) = value
            {
                // Moves instar's legacy `messaging.actionClaim` block up, as instar-migrate does.
                edit::set_action_claim_enabled(doc, on).map(|_| ())
            } else {
                edit::set(doc, key, value.clone())
            }
        })?;
        self.changed(key, Some(&value), updated)
    }

    fn unset(&self, key: &str, which: Option<Which>) -> Result<Outcome, Error> {
        let file = self.target(which)?;
        if !file.exists() {
            return self.changed(
                key,
                None,
                edit::Updated {
                    value: (),
                    written: false,
                    path: file,
                },
            );
        }
        let updated = edit::update_file(&file, |doc| {
            edit::unset(doc, key);
            Ok(())
        })?;
        self.changed(key, None, updated)
    }

    /// The report of `set`/`unset`, with what the hooks now use when that is not what was
    /// written (another file, or instar's legacy key, still decides).
    fn changed(
        &self,
        key: &str,
        value: Option<&Value>,
        updated: edit::Updated<()>,
    ) -> Result<Outcome, Error> {
        let file = updated.path;
        let effective = self.effective(key);
        if self.json {
            let mut v = json!({"key": key, "file": file, "changed": updated.written, "effective": effective});
            if let Some(value) = value {
                v["value"] = value.clone();
            }
            return Ok(Outcome::Text(to_json(&v)));
        }
        let mut out = match (value, updated.written) {
            (Some(v), true) => format!("set {key} = {v} in {}\n", file.display()),
            (Some(v), false) => {
                format!("{key} is already {v} in {} (unchanged)\n", file.display())
            }
            (None, true) => format!("removed {key} from {}\n", file.display()),
            (None, false) => format!("{key} is not set in {} (unchanged)\n", file.display()),
        };
        let decided_here = matches!(&effective.origin, Some(Origin::File { path, key: k }) if *path == file && k == key);
        let shown = |e: &Effective| {
            match (&e.value, &e.origin) {
            (Some(_), Some(o)) if key == "authToken" => format!("a token ({})", o.describe()),
            (Some(v), Some(o)) => format!("{v} ({})", o.describe()),
            _ if key == "port" || key == "authToken" => "nothing (they forward with the `port` and `authToken` of the first file that sets `port`)".into(),
            _ => "nothing (not set anywhere)".into(),
        }
        };
        if (value.is_some() && !decided_here) || value.is_none() {
            out.push_str(&format!(
                "the hooks {} {key} = {}\n",
                if value.is_some() {
                    "still use"
                } else {
                    "now use"
                },
                shown(&effective)
            ));
        }
        // A switch written where it does not take effect (a false elsewhere wins): the
        // change that does, as instar-migrate --enable/--disable would make it.
        if key == edit::ENABLED
            && let Some(&Value::Bool(want)) = value
            && effective.value != Some(Value::Bool(want))
            && let Some(fix) = edit::plan_switch(
                &self.project,
                &self.env,
                &self.wiring,
                want,
                self.is_agent(),
            )
            .commands(&self.project)
        {
            out.push_str(&format!("to make it take effect here: {fix}\n"));
        }
        Ok(Outcome::Text(out))
    }

    fn list(&self) -> Result<Outcome, Error> {
        #[derive(Serialize)]
        struct FileRow {
            scope: &'static str,
            path: PathBuf,
            exists: bool,
        }
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Listing {
            project: PathBuf,
            files: Vec<FileRow>,
            hooks_run_from: String,
            keys: Vec<Effective>,
        }
        let mut files = vec![FileRow {
            scope: "project",
            exists: self.project_file().is_file(),
            path: self.project_file(),
        }];
        if let Ok(user) = self.user_file() {
            files.push(FileRow {
                scope: "user",
                exists: user.is_file(),
                path: user,
            });
        }
        let keys: Vec<Effective> = config::KEYS
            .iter()
            .map(|k| self.effective(k.name))
            .map(|mut e| {
                if e.key == "authToken" && e.value.is_some() {
                    e.value = Some(json!("(set, not shown)"));
                }
                e
            })
            .collect();
        let listing = Listing {
            project: self.project.clone(),
            files,
            hooks_run_from: self.wiring.describe(),
            keys,
        };
        if self.json {
            return Ok(Outcome::Text(to_json(&listing)));
        }
        let mut out = format!("project:      {}\n", listing.project.display());
        for f in &listing.files {
            let missing = if f.exists { "" } else { " (does not exist)" };
            out.push_str(&format!(
                "{:<13} {}{missing}\n",
                format!("{} file:", f.scope),
                f.path.display()
            ));
        }
        if !self.wiring.plugin_enabled() && self.wiring.settings_hooks.is_empty() {
            out.push_str("hooks:        not wired here (no plugin enabled, no settings entry)\n\n");
        } else {
            out.push_str(&format!(
                "hooks:        run from {}\n\n",
                listing.hooks_run_from
            ));
        }
        let rows: Vec<Vec<String>> = listing
            .keys
            .iter()
            .map(|e| {
                vec![
                    e.key.clone(),
                    e.value
                        .as_ref()
                        .map_or_else(|| "-".into(), |v| v.to_string()),
                    e.origin
                        .as_ref()
                        .map_or_else(|| "not set".into(), Origin::describe),
                ]
            })
            .collect();
        out.push_str(&cli::table(&["KEY", "VALUE", "FROM"], &rows));
        Ok(Outcome::Text(out))
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
