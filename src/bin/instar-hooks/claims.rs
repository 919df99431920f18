//! `instar-hooks claims`: the completion claims the Stop hook judged ("All tests pass",
//! "Pushed the fix") and what the turn's own evidence said about them.

use crate::{
    common::{Outcome, ProjectDir},
    table::table,
};
use instar_hooks::{
    Error,
    env::Env,
    state::StateDir,
    timestamp::{Timestamp, human_duration},
    verdicts::{self, ClaimRecord, Verdict},
};

const ABOUT: &str = "\
Completion claims the Stop hook judged against the turn's own evidence: \"All tests pass\",
\"the build is green\", \"Pushed the fix\" … Each is supported (the turn's last matching run
succeeded), refuted (it failed: the turn was continued once so the model could fix it or
correct itself, unless actionClaim.sameTurn is false) or unverified (nothing in the turn
decides it). By default the refuted and unverified ones, newest last.";

const JSON_HELP: &str = "\
Machine output: an array of claims, oldest first, with camelCase fields: at, topic,
sessionId?, promptId?, claim (the words), kind (tests|build|lint|typecheck|action), verb?,
scope?, verdict (supported|refuted|unverified), why, command? (masked, bounded), exitCode?,
continued";

const EXIT_CODES: &str = "\
Exit codes:
  0  success (whatever the verdicts)
  2  error (bad usage, an unreadable project)";

/// Completion claims and what the turn's evidence said about them
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = EXIT_CODES)]
pub(crate) struct Args {
    /// Also the supported claims
    #[arg(long)]
    all: bool,
    /// Only this conversation's (INSTAR_CONVERSATION_ID, or Claude Code's session id)
    #[arg(long, value_name = "ID")]
    conversation: Option<String>,
    /// At most this many, the newest
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: usize,
    #[command(flatten)]
    project: ProjectDir,
    /// Print JSON (see --help for the shape)
    #[arg(long, long_help = JSON_HELP)]
    pub(crate) json: bool,
}

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let env = Env::from_process();
    let project = args.project.resolve(&env)?;
    let state = StateDir::resolve(&project, &env)?;
    let mut rows: Vec<ClaimRecord> = verdicts::read(&state)
        .into_iter()
        .filter(|r| args.all || r.verdict != Verdict::Supported)
        .filter(|r| args.conversation.as_ref().is_none_or(|c| &r.topic == c))
        .collect();
    let skip = rows.len().saturating_sub(args.limit);
    rows.drain(..skip);
    if args.json {
        return Ok(Outcome::success(format!(
            "{}\n",
            serde_json::to_string_pretty(&rows).expect("claims serialize")
        )));
    }
    if rows.is_empty() {
        let what = if args.all {
            "judged claims"
        } else {
            "refuted or unverified claims"
        };
        return Ok(Outcome::success(format!(
            "No {what} in {}.\n",
            state.root().display()
        )));
    }
    let now = Timestamp::now();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                format!("{} ago", human_duration(now.since(r.at))),
                verdict_cell(r),
                r.topic.clone(),
                r.claim.clone(),
                r.why.clone(),
                r.command.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    Ok(Outcome::success(table(
        &["WHEN", "VERDICT", "TOPIC", "CLAIM", "WHY", "COMMAND"],
        &cells,
    )))
}

/// `refuted (continued)`, `unverified`, …
fn verdict_cell(r: &ClaimRecord) -> String {
    let verdict = match r.verdict {
        Verdict::Supported => "supported",
        Verdict::Refuted => "refuted",
        Verdict::Unverified => "unverified",
    };
    match r.continued {
        true => format!("{verdict} (continued)"),
        false => verdict.to_string(),
    }
}
