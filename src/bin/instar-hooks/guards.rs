//! `instar-hooks guards`: the posture of every guard this project owns, and one attention
//! item when any of them is silently not doing its job.

use instar_hooks::{
    Error,
    env::Env,
    guards::{self, Inventory},
    resume_queue::System,
    timestamp::Timestamp,
};

use crate::{
    common::{Code, Outcome, ProjectDir},
    table::table,
};

const ABOUT: &str = "Is any guard silently off? (nothing may be silently disabled)";

const AFTER: &str = "\
Guards:
    monitoring.resumeQueue.enabled  instar's resume queue, judged by what the server will do
                                    at its next start with the lock on disk (read-only; the
                                    same decision as `instar-hooks resume-queue status`)
    actionClaim.enabled             the action-claim sentinel: config (as the hooks see it:
                                    on by default when run from the Claude Code plugin), hook
                                    registered (settings or plugin) and executable, its last
                                    run, and whether Claude Code ran here since without the
                                    hook running. Wired twice (plugin and settings) is
                                    reported, with the fix, and raises the attention item

States (instar's nine, in precedence order):
    errored, missing, off-runtime-divergent, diverged-pending-restart, off, on-dry-run,
    on-stale, on-confirmed, on-unverified; plus not-applicable (no resume queue in a project
    that is not an instar agent). errored, missing, off-runtime-divergent and on-stale raise
    the one aggregated attention item. Each row keeps its reason and the fix.

Environment:
  INSTAR_HOOKS_HOSTNAME  the host name to judge the lock with (default: this machine's)

Exit codes:
  0  nothing needs attention
  1  something needs attention (the attention item is printed)
  2  error";

/// Is any guard silently off? One attention item if so
#[derive(clap::Args, Debug)]
#[command(long_about = ABOUT, after_long_help = AFTER)]
pub(crate) struct Args {
    #[command(flatten)]
    project: ProjectDir,
    /// Print the inventory as JSON
    #[arg(
        long,
        long_help = "Print the inventory as JSON: {\"project\", \"generatedAt\", \"guards\": [rows], \"attention\":\nitem|null}"
    )]
    pub(crate) json: bool,
}

pub(crate) fn run(args: Args) -> Result<Outcome, Error> {
    let env = Env::from_process();
    let project = args.project.resolve(&env)?;
    let mut sys = System::from_env(&env)?;
    let inventory = guards::build(&project, &env, &mut sys, Timestamp::now());
    let text = if args.json {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&inventory).expect("serializes")
        )
    } else {
        render(&inventory)
    };
    let code = match inventory.attention {
        Some(_) => Code::Findings,
        None => Code::Success,
    };
    Ok(Outcome::with(text, code))
}

fn render(inv: &Inventory) -> String {
    let rows: Vec<Vec<String>> = inv
        .guards
        .iter()
        .map(|r| {
            vec![
                r.key.clone(),
                r.effective.as_str().to_string(),
                r.reason.clone().unwrap_or_default(),
                r.fix.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let mut out = table(&["GUARD", "STATE", "REASON", "FIX"], &rows);
    match &inv.attention {
        Some(a) => out.push_str(&format!(
            "\nattention ({}): {}\n{}\n",
            a.priority, a.title, a.summary
        )),
        None => out.push_str("\nNothing needs attention.\n"),
    }
    out
}
