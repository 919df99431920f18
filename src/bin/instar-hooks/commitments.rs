//! `instar-hooks commitments list|show|resolve`.

use crate::{
    common::{Code, Outcome, ProjectDir},
    table::table,
};
use instar_hooks::{
    Error,
    commitments::{Commitment, Delivery, Status, Store, Strength},
    config::Config,
    env::Env,
    forward::{self, Selection, Sent},
    state::StateDir,
    timestamp::{Timestamp, human_duration},
};

const ABOUT: &str = "Follow-through commitments recorded by the hooks.";

const JSON_HELP: &str = "\
Machine output: `list` prints an array of commitments, `show` and `resolve` one commitment
object (camelCase fields: id, externalKey, topic, verb, phrase, message, status, createdAt,
updatedAt, expiresAt, restated, resolvedAt?, resolution?, sessionId?, transcriptPath?,
evidence?, remindedAt?, reminders?, nudgedAt? (when the turn that made it was continued to
do it), forward?); `flush` prints
[{\"id\", \"outcome\": \"delivered\"|\"retry\"|\"rejected\", \"detail\"}]";

const EXIT_CODES: &str = "\
Exit codes:
  0  success (flush: everything waiting was delivered, or nothing was waiting)
  1  flush: some claims are still not delivered
  2  error (unknown id, commitment not open, unreadable store, forwarding not configured,
     bad usage)";

/// List, show, resolve and flush follow-through commitments
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = EXIT_CODES)]
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
    /// List open commitments (with --all: every one)
    ///
    /// Open commitments (with --all: also fulfilled, resolved, expired, refused), with the
    /// evidence that fulfilled them and their delivery to an instar server.
    List {
        /// Also fulfilled, resolved, expired and refused commitments
        #[arg(long)]
        all: bool,
    },
    /// One commitment, every field
    Show {
        /// The commitment's id, e.g. AC-001 (`commitments list --all` lists them)
        id: String,
    },
    /// Close an open commitment by hand (e.g. you did it yourself)
    Resolve {
        /// The commitment's id, e.g. AC-001
        id: String,
        /// Why it is closed (kept as its resolution)
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Deliver the claims still waiting for the instar server
    ///
    /// Delivers every claim still waiting for the instar server now, ignoring the retry
    /// backoff (with --rejected: also the ones the server refused before).
    Flush {
        /// Also the claims the server refused before
        #[arg(long)]
        rejected: bool,
    },
}

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let Some(command) = args.command else {
        return Ok(crate::help(&["commitments"]));
    };
    let env = Env::from_process();
    let project = args.project.resolve(&env)?;
    let store = Store::at(&StateDir::resolve(&project, &env)?);
    let now = Timestamp::now();
    let json = args.json;
    match command {
        Command::List { all } => list(&store, all, json, now),
        Command::Show { id } => {
            let c = store
                .list(now)?
                .into_iter()
                .find(|c| c.id.eq_ignore_ascii_case(&id))
                .ok_or(Error::NoSuchCommitment { id })?;
            Ok(Outcome::success(if json {
                to_json(&c)
            } else {
                detail(&c, now)
            }))
        }
        Command::Resolve { id, note } => {
            let c = store.resolve(&id, note.as_deref(), now)?;
            Ok(Outcome::success(if json {
                to_json(&c)
            } else {
                format!("{} resolved: {}\n", c.id, c.resolution.unwrap_or_default())
            }))
        }
        Command::Flush { rejected } => flush(&store, &project, &env, rejected, json, now),
    }
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(v).expect("commitments serialize")
    )
}

fn list(store: &Store, all: bool, json: bool, now: Timestamp) -> Result<Outcome, Error> {
    let rows: Vec<Commitment> = store
        .list(now)?
        .into_iter()
        .filter(|c| all || c.status == Status::Open)
        .collect();
    if json {
        return Ok(Outcome::success(to_json(&rows)));
    }
    if rows.is_empty() {
        let what = if all {
            "commitments"
        } else {
            "open commitments"
        };
        return Ok(Outcome::success(format!(
            "No {what} in {}.\n",
            store.path().display()
        )));
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                status_cell(c),
                c.verb.clone(),
                c.topic.clone(),
                format!("{} ago", human_duration(now.since(c.created_at))),
                when_closes(c, now),
                evidence_cell(c),
                forward_cell(c),
                c.phrase.clone(),
            ]
        })
        .collect();
    Ok(Outcome::success(table(
        &[
            "ID", "STATUS", "VERB", "TOPIC", "MADE", "CLOSES", "EVIDENCE", "SERVER", "PHRASE",
        ],
        &table_rows,
    )))
}

/// `open`, or `open (continued)` when the turn that made it was continued to do it.
fn status_cell(c: &Commitment) -> String {
    match c.nudged_at {
        Some(_) => format!("{} (continued)", c.status),
        None => c.status.to_string(),
    }
}

/// `git push origin main`, `~ Edit src/lib.rs` (weak), or `-`.
fn evidence_cell(c: &Commitment) -> String {
    match &c.evidence {
        Some(e) if e.strength == Strength::Weak => format!("~ {} {}", e.tool, e.detail),
        Some(e) => e.detail.clone(),
        None => "-".into(),
    }
}

/// Delivery to the instar server: `-` when not forwarded.
fn forward_cell(c: &Commitment) -> String {
    match &c.forward {
        None => "-".into(),
        Some(f) if f.state == Delivery::Pending && f.attempts > 0 => {
            format!("pending ({} tries)", f.attempts)
        }
        Some(f) => f.state.to_string(),
    }
}

fn flush(
    store: &Store,
    project: &std::path::Path,
    env: &Env,
    rejected: bool,
    json: bool,
    now: Timestamp,
) -> Result<Outcome, Error> {
    let config = Config::load(project, env);
    let transport = forward::Http::default();
    let Some(sender) = forward::Sender::configured(&transport, &config, env.bind_token.as_deref())
    else {
        return Err(Error::Unsupported {
            path: project.join(instar_hooks::config::PROJECT_CONFIG),
            found: "forwarding is not configured (no `port` and `authToken`)".into(),
        });
    };
    let sel = Selection {
        ignore_backoff: true,
        rejected,
    };
    let batch = store
        .update(now, |doc| Ok(forward::claim_due(doc, now, usize::MAX, sel)))?
        .value;
    let outcomes = forward::deliver(store, &sender, batch, std::time::Duration::MAX, now)?;
    let undelivered = outcomes
        .iter()
        .filter(|(_, s)| !matches!(s, Sent::Delivered(_)))
        .count();
    let text = if json {
        let rows: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|(id, sent)| {
                let (outcome, detail) = match sent {
                    Sent::Delivered(r) => (
                        "delivered",
                        r.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                    ),
                    Sent::Retry(why) => ("retry", why.clone()),
                    Sent::Rejected(why) => ("rejected", why.clone()),
                };
                serde_json::json!({"id": id, "outcome": outcome, "detail": detail})
            })
            .collect();
        to_json(&rows)
    } else if outcomes.is_empty() {
        "Nothing is waiting to be delivered.\n".to_string()
    } else {
        outcomes
            .iter()
            .map(|(id, sent)| format!("{id}: {}\n", instar_hooks::followthrough::describe(sent)))
            .collect()
    };
    let code = if undelivered > 0 {
        Code::Findings
    } else {
        Code::Success
    };
    Ok(Outcome::with(text, code))
}

fn when_closes(c: &Commitment, now: Timestamp) -> String {
    match c.status {
        Status::Open => format!("in {}", human_duration(c.expires_at.since(now))),
        _ => "-".into(),
    }
}

fn detail(c: &Commitment, now: Timestamp) -> String {
    let mut out = format!(
        "{id}  {status}\n  verb:       {verb}\n  said:       {phrase}\n  topic:      {topic}\n  key:        {key}\n  made:       {made} ({ago} ago)\n  updated:    {updated}\n  expires:    {expires}\n  restated:   {restated}\n",
        id = c.id,
        status = c.status,
        verb = c.verb,
        phrase = c.phrase,
        topic = c.topic,
        key = c.external_key,
        made = c.created_at,
        ago = human_duration(now.since(c.created_at)),
        updated = c.updated_at,
        expires = c.expires_at,
        restated = c.restated,
    );
    if let Some(r) = &c.resolution {
        out.push_str(&format!("  resolution: {r}\n"));
    }
    if let Some(e) = &c.evidence {
        out.push_str(&format!(
            "  evidence:   {} ({} {}, {})\n",
            e.detail,
            e.strength,
            e.kind,
            e.at.map(|t| t.to_string()).unwrap_or_default()
        ));
    }
    if let Some(at) = c.nudged_at {
        out.push_str(&format!(
            "  continued:  {at} (the turn ended on it undone and was continued once to do it)\n"
        ));
    }
    if c.reminders > 0 {
        out.push_str(&format!(
            "  reminded:   {} time(s), last {}\n",
            c.reminders,
            c.reminded_at.map(|t| t.to_string()).unwrap_or_default()
        ));
    }
    if let Some(f) = &c.forward {
        out.push_str(&format!(
            "  server:     {} after {} attempt(s)",
            f.state, f.attempts
        ));
        if let Some(e) = &f.last_error {
            out.push_str(&format!("; last error: {e}"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "  message:    {}\n",
        c.message.replace('\n', "\n              ")
    ));
    out
}
