//! `instar-hooks commitments list|show|resolve`.

use instar_hooks::{
    Error,
    commitments::{Commitment, Status, Store},
    env::Env,
    state::StateDir,
    timestamp::{Timestamp, human_duration},
};
use std::path::PathBuf;

use crate::cli::{self, Args, Outcome, string, usage};

const HELP: &str = "\
instar-hooks commitments — follow-through commitments recorded by the hooks

USAGE:
    instar-hooks commitments list [--all] [--json] [--project-dir DIR]
    instar-hooks commitments show ID [--json] [--project-dir DIR]
    instar-hooks commitments resolve ID [--note TEXT] [--json] [--project-dir DIR]

COMMANDS:
    list       Open commitments (with --all: also fulfilled, resolved, expired, refused)
    show       One commitment, every field
    resolve    Close an open commitment by hand (e.g. you did it yourself)

OPTIONS:
    --project-dir DIR  The project (default: $CLAUDE_PROJECT_DIR, else the current directory)
    --json             Machine output: `list` prints an array of commitments, `show` and
                       `resolve` one commitment object (camelCase fields: id, externalKey,
                       topic, verb, phrase, message, status, createdAt, updatedAt, expiresAt,
                       restated, resolvedAt?, resolution?, sessionId?, transcriptPath?)
    -h, --help         Print help

EXIT CODES:
    0  success
    2  error (unknown id, commitment not open, unreadable store, bad usage)
";

#[derive(Default)]
struct Opts {
    project_dir: Option<PathBuf>,
    all: bool,
    note: Option<String>,
    id: Option<String>,
}

pub fn run(args: &mut Args) -> Result<Outcome, Error> {
    use lexopt::Arg::*;
    let mut action: Option<String> = None;
    let mut o = Opts::default();
    while let Some(arg) = args.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(Outcome::Help(HELP)),
            Long("json") => args.set_json(),
            Long("all") => o.all = true,
            Long("project-dir") => o.project_dir = Some(args.value()?.into()),
            Long("note") => o.note = Some(string(args.value()?)?),
            Value(v) if action.is_none() => action = Some(string(v)?),
            Value(v) if o.id.is_none() => o.id = Some(string(v)?),
            other => return Err(usage(other.unexpected().to_string())),
        }
    }
    let env = Env::from_process();
    let project = cli::project_dir(o.project_dir.take(), &env)?;
    let store = Store::at(&StateDir::resolve(&project, &env)?);
    let now = Timestamp::now();
    let json = args.json();
    let need_id = |o: &Opts| {
        o.id.clone()
            .ok_or_else(|| usage("which commitment? give its id, e.g. AC-001"))
    };
    match action.as_deref() {
        Some("list") => list(&store, o.all, json, now),
        Some("show") => {
            let id = need_id(&o)?;
            let c = store
                .list(now)?
                .into_iter()
                .find(|c| c.id.eq_ignore_ascii_case(&id))
                .ok_or(Error::NoSuchCommitment { id })?;
            Ok(Outcome::Text(if json {
                to_json(&c)
            } else {
                detail(&c, now)
            }))
        }
        Some("resolve") => {
            let id = need_id(&o)?;
            let c = store.resolve(&id, o.note.as_deref(), now)?;
            Ok(Outcome::Text(if json {
                to_json(&c)
            } else {
                format!("{} resolved: {}\n", c.id, c.resolution.unwrap_or_default())
            }))
        }
        Some(other) => Err(usage(format!(
            "unknown commitments command `{other}`; expected list, show or resolve"
        ))),
        None => Ok(Outcome::Help(HELP)),
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
        return Ok(Outcome::Text(to_json(&rows)));
    }
    if rows.is_empty() {
        let what = if all {
            "commitments"
        } else {
            "open commitments"
        };
        return Ok(Outcome::Text(format!(
            "No {what} in {}.\n",
            store.path().display()
        )));
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|c| {
            vec![
                c.id.clone(),
                c.status.to_string(),
                c.verb.clone(),
                c.topic.clone(),
                format!("{} ago", human_duration(now.since(c.created_at))),
                when_closes(c, now),
                c.phrase.clone(),
            ]
        })
        .collect();
    Ok(Outcome::Text(cli::table(
        &["ID", "STATUS", "VERB", "TOPIC", "MADE", "CLOSES", "PHRASE"],
        &table_rows,
    )))
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
    out.push_str(&format!(
        "  message:    {}\n",
        c.message.replace('\n', "\n              ")
    ));
    out
}
