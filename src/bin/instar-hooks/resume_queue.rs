//! `instar-hooks resume-queue status|heal`: why the revival queue will or will not start at
//! the next server start, and the operator's repair of a lock left behind by a renamed host.

use instar_hooks::{
    Error,
    env::Env,
    resume_queue::{
        Decision, Paths, System, Verdict,
        audit::FileAudit,
        config::{Setting, Source},
        heal::{HealOptions, HealReport, HealResult, heal},
        status::{NOT_AN_AGENT, StatusReport},
    },
    timestamp::{Timestamp, human_duration},
};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;

use crate::common::{Code, Outcome, ProjectDir};

const ABOUT: &str = "\
The resume queue's host lock (.instar/state/resume-queue.lock): why the queue will (not)
start at the next server start, and the repair of a lock left behind by a renamed host.";

const AFTER: &str = "\
Environment:
  INSTAR_HOOKS_HOSTNAME  Use this as the host name instead of gethostname(2) (for tests)

Exit codes:
  status: 0  the queue will start (or reclaim a stale lock), a live server on this host
             owns and runs it, it is off in config, or this is not an instar agent
          1  no queue will run: it will stay disabled (including a dry-run \"would
             auto-heal\", and a lock that cannot be read or evaluated)
  heal:   0  the lock was rewritten or removed (with --dry-run: would be)
          1  refused, nothing to heal, or another process changed the lock first
          2  the lock cannot be read
  both:   2  error (bad usage, a config file that cannot be read)";

/// Why the resume queue will (not) start, and heal a renamed host's lock
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = AFTER)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    project: ProjectDir,
    /// Print one JSON object (fields: see the README)
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// What the queue will do at the next server start, and why
    #[command(long_about = STATUS)]
    Status,
    /// Repair a lock left by this machine under another hostname
    #[command(long_about = HEAL)]
    Heal {
        /// Check everything, say what would happen, write nothing
        #[arg(long)]
        dry_run: bool,
        /// You have verified by hand that nothing else uses this state dir: delete the lock
        /// (upstream's manual recovery) without the heartbeat and disk checks. Still refuses
        /// while the recorded pid is alive here
        #[arg(long)]
        force: bool,
    },
}

const STATUS: &str = "\
What the queue will do at the next server start, and why: the lock's owner and host, whether
its pid is alive, the heartbeat's age and the filesystem verdict (each only where the server
itself would look: a foreign lock is never probed while auto-heal is off), the config, and the
command that fixes it.
Read-only: it rewrites nothing and writes no audit row.";

const HEAL: &str = "\
Repairs a lock left by this machine under another hostname. Only when the lock names another
host, its heartbeat is at least 5 minutes stale, the state dir is on a host-local disk and its
pid is dead here: the lock is rewritten, atomically, to name this host (keeping the old pid
and heartbeat), so the next server start reclaims it as a stale same-host lock. Otherwise it
refuses and says which check failed. Writes one row to logs/resume-queue.jsonl.";

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let Some(command) = args.command else {
        return Ok(crate::help(&["resume-queue"]));
    };
    let env = Env::from_process();
    let dir = args.project.resolve(&env)?;
    let project = std::path::absolute(&dir).map_err(|e| Error::io(&dir, "resolve", e))?;
    match command {
        Command::Status => status(&project, &env, args.json),
        Command::Heal { dry_run, force } => {
            run_heal(&project, &env, HealOptions { dry_run, force }, args.json)
        }
    }
}

fn render<T: Serialize>(report: &T, text: String, json: bool, code: Code) -> Outcome {
    let out = if json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(report).expect("reports serialize")
        )
    } else {
        text
    };
    Outcome::with(out, code)
}

fn status(project: &Path, env: &Env, json: bool) -> Result<Outcome, Error> {
    let s = StatusReport::evaluate(project, &mut System::from_env(env)?)?;
    let code = if s.is_finding() {
        Code::Findings
    } else {
        Code::Success
    };
    let text = match &s.decision {
        Some(d) => status_text(&s, d),
        None => format!("{NOT_AN_AGENT}\n"),
    };
    Ok(render(&s, text, json, code))
}

fn status_text(s: &StatusReport, d: &Decision) -> String {
    let mut rows = vec![("project", s.project.display().to_string())];
    let not_checked = match d.verdict {
        Verdict::Foreign {
            auto_heal: false, ..
        } => "not checked: auto-heal is off, and a foreign lock is never probed",
        _ if d.facts.fs.as_ref().is_some_and(|f| !f.local) => {
            "not checked: the disk is not proven host-local"
        }
        _ => "not checked",
    };
    if let Some(lock) = s.lock.as_ref() {
        rows.push(("lock", lock.path.display().to_string()));
        if !lock.present {
            rows.push(("owner", "none".into()));
        } else {
            let pid = lock
                .pid
                .as_ref()
                .map_or("no pid".into(), |p| format!("pid {p}"));
            let host = lock
                .hostname
                .as_ref()
                .map_or("no host (counts as this host)".into(), |h| {
                    format!("host \"{h}\"")
                });
            let (alive, fs) = (lock.pid_alive, lock.filesystem.as_ref());
            rows.extend([
                (
                    "owner",
                    format!("{pid} on {host} (this host: \"{}\")", d.this_host),
                ),
                (
                    "pid alive",
                    alive.map_or(not_checked.into(), |a| if a { "yes" } else { "no" }.into()),
                ),
                (
                    "heartbeat",
                    match d.facts.heartbeat {
                        Some(h) => format!(
                            "{} ago ({}; the window is 5 min), at {}",
                            human_duration(h.age),
                            lock.heartbeat,
                            Timestamp::from_system_time(h.mtime)
                        ),
                        None if d.facts.heartbeat_probed => "unreadable (counts as fresh)".into(),
                        None => not_checked.into(),
                    },
                ),
                (
                    "filesystem",
                    match fs {
                        Some(fs) => fs.detail.clone(),
                        None if lock.foreign => not_checked.into(),
                        None => "not checked: only a foreign lock needs it".into(),
                    },
                ),
            ]);
        }
    }
    if let Some(c) = &s.config {
        let v = |s: &Setting| {
            let default = if s.source == Source::Default {
                " (default)"
            } else {
                ""
            };
            format!("{}{default}", s.value)
        };
        rows.push((
            "config",
            format!(
                "enabled={}, dryRun={}, autoHealStaleHostLock={}, developmentAgent={}",
                v(&c.enabled),
                v(&c.dry_run),
                v(&c.auto_heal_stale_host_lock),
                c.development_agent
            ),
        ));
        rows.extend(c.problems.iter().map(|p| ("config problem", p.clone())));
    }
    let event = s
        .event
        .map(|e| format!("{e} (written by a server start; status writes nothing)"));
    for (k, v) in [
        ("reason", s.reason.clone()),
        ("audit event", event),
        ("fix", s.fix.clone()),
        ("hint", s.hint.clone()),
    ] {
        rows.extend(v.map(|v| (k, v)));
    }
    let width = rows.iter().map(|(k, _)| k.len() + 2).max().unwrap_or(0);
    let mut out = format!("resume queue: {}\n", s.summary);
    for (k, v) in rows {
        out.push_str(&format!("  {:<width$}{v}\n", format!("{k}:")));
    }
    out
}

/// `heal --json`: the report, with the project, the lock and the message around it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HealJson<'a> {
    project: &'a Path,
    #[serde(flatten)]
    report: &'a HealReport,
    message: &'a str,
    lock: &'a Path,
}

fn run_heal(project: &Path, env: &Env, opts: HealOptions, json: bool) -> Result<Outcome, Error> {
    let paths = Paths::new(project);
    let mut audit = FileAudit::new(&paths);
    let r = heal(&paths, opts, &mut System::from_env(env)?, &mut audit)?;
    if let Some(e) = &audit.last_error {
        let path = audit.path().display();
        eprintln!("warning: the audit row could not be written to {path}: {e}");
    }
    let message = heal_text(&r, &paths);
    let code = if r.changed() {
        Code::Success
    } else {
        Code::Findings
    };
    let out = HealJson {
        project,
        report: &r,
        message: &message,
        lock: &paths.lock,
    };
    Ok(render(&out, message.clone(), json, code))
}

fn heal_text(r: &HealReport, paths: &Paths) -> String {
    let lock = paths.lock.display();
    let was = format!(
        "pid {} on host \"{}\"",
        r.lock_pid.as_ref().map_or("?".into(), Value::to_string),
        r.lock_host.as_deref().unwrap_or_default()
    );
    let age = r
        .facts
        .heartbeat
        .map_or("?".into(), |h| human_duration(h.age));
    match r.result {
        HealResult::Healed | HealResult::WouldHeal => {
            let (head, verb, next) = if r.result == HealResult::WouldHeal {
                (
                    "dry run: ",
                    "would be rewritten to name",
                    "Nothing was written.",
                )
            } else {
                ("healed: ", "now names", "next: restart the instar server.")
            };
            let disk = r.facts.fs.as_ref().map_or("", |f| f.detail.as_str());
            format!(
                "{head}{lock} {verb} this host, \"{}\". It named {was}: that pid is dead here, the \
                 state dir is on a {disk}, and the heartbeat, {age} old, is kept as it was. The next \
                 server start reclaims it as a stale same-host lock.\n{next}\n",
                r.this_host
            )
        }
        HealResult::Removed => format!(
            "removed: {lock} (it named {was}); the next server start creates a new lock.\nnext: \
             restart the instar server.\n"
        ),
        HealResult::WouldRemove => {
            format!("dry run: {lock} (it names {was}) would be removed. Nothing was written.\n")
        }
        HealResult::LostRace => format!(
            "not healed: another process changed {lock} while this one was checking it; nothing \
             was written. See who holds it now: instar-hooks resume-queue status\n"
        ),
        HealResult::Refused => {
            let mut out = format!("refused: {lock} was not changed:\n");
            for f in &r.failed {
                out.push_str(&format!("  - {}\n", f.message));
            }
            out
        }
    }
}
