//! The report of a run, for people (each step as a sentence, grouped by outcome) and as JSON
//! (the typed steps, and, for instar's `MigrationResult`, the same sentences in its four
//! arrays `upgraded`, `skipped`, `errors` and `notes`).

use instar_hooks::{
    fixes::shell_word,
    migrate::{Note, Report, Skip, Step, Upgrade},
    settings::{Change, HOOKS_DIR},
    state::INSTAR_DIR,
    timestamp::human_duration,
};
use serde::Serialize;
use std::{path::Path, time::Duration};

/// The report as people read it: the sentences of each outcome, what to do when nothing was,
/// and the command that rolls the run back.
pub(crate) fn human(r: &Report) -> String {
    let mut out = format!("instar-migrate: {}", r.project_dir.display());
    if r.dry_run {
        out.push_str(" (dry run: nothing was written)");
    }
    out.push('\n');
    let groups = Groups::of(r);
    for (title, mark, lines) in [
        ("upgraded", "+", &groups.upgraded),
        ("skipped", "-", &groups.skipped),
        ("notes", "!", &groups.notes),
        ("errors", "x", &groups.errors),
    ] {
        if !lines.is_empty() {
            out.push_str(&format!("{title}:\n"));
            for l in lines {
                out.push_str(&format!("  {mark} {l}\n"));
            }
        }
    }
    if groups.upgraded.is_empty() && groups.errors.is_empty() {
        out.push_str("Nothing to do: the project is up to date.\n");
    }
    if let Some(dir) = &r.backup_dir {
        out.push_str(&format!(
            "backup: {} (roll back with: cp -a {}/. {})\n",
            dir.display(),
            shell_word(&r.project_dir.join(dir)),
            shell_word(&r.project_dir)
        ));
    }
    out
}

/// `--json`: the report, with `diff` for a dry run.
pub(crate) fn json(r: &Report, diff: Option<&str>) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Json<'a> {
        project_dir: &'a Path,
        dry_run: bool,
        #[serde(flatten)]
        sentences: Groups,
        changed_files: &'a [String],
        backup_dir: Option<&'a Path>,
        steps: &'a [Step],
        #[serde(skip_serializing_if = "Option::is_none")]
        diff: Option<&'a str>,
    }
    let json = Json {
        project_dir: &r.project_dir,
        dry_run: r.dry_run,
        sentences: Groups::of(r),
        changed_files: &r.changed_files,
        backup_dir: r.backup_dir.as_deref(),
        steps: &r.steps,
        diff,
    };
    format!(
        "{}\n",
        serde_json::to_string_pretty(&json).expect("a report serializes")
    )
}

/// The sentences of the steps, by outcome, each in the order the run found them.
#[derive(Serialize, Default)]
struct Groups {
    upgraded: Vec<String>,
    skipped: Vec<String>,
    errors: Vec<String>,
    notes: Vec<String>,
}

impl Groups {
    fn of(r: &Report) -> Groups {
        let mut g = Groups::default();
        for step in &r.steps {
            let (group, line) = match step {
                Step::Upgraded { path, upgrade } => (
                    &mut g.upgraded,
                    format!("{}: {}", path.display(), upgraded(upgrade)),
                ),
                Step::Skipped { path, skip } => (&mut g.skipped, skipped(path.as_deref(), skip)),
                Step::Note { path, note } => (&mut g.notes, noted(path.as_deref(), note)),
                Step::Error { message, hint, .. } => (
                    &mut g.errors,
                    match hint {
                        Some(hint) => format!("{message} ({hint})"),
                        None => message.clone(),
                    },
                ),
            };
            group.push(line);
        }
        g
    }
}

fn upgraded(u: &Upgrade) -> String {
    match u {
        Upgrade::Deployed { bytes } => format!("deployed ({bytes} bytes)"),
        Upgrade::Updated { bytes } => format!("updated ({bytes} bytes)"),
        Upgrade::MadeExecutable { bytes } => format!("made executable (mode 755) ({bytes} bytes)"),
        Upgrade::Created => "created".into(),
        Upgrade::SectionAdded { section } => format!("added {section}"),
        Upgrade::FenceClosed { fence } => {
            format!("closed an unterminated `{fence}` code block at the end of the file first")
        }
        Upgrade::HooksRemoved {
            count,
            binary,
            event,
            registered_for,
        } => format!(
            "removed {count} {binary} hook(s) from {event}: another settings file registers it for {registered_for} already"
        ),
        Upgrade::Registration(change) => registration(change),
        Upgrade::Edited { detail } => detail.clone(),
    }
}

/// A registration change in the settings file, for people.
fn registration(change: &Change) -> String {
    match change {
        Change::RemovedFromEvent {
            binary,
            event,
            from,
        } => format!("removed {binary} from {from}: it is a {event} hook"),
        Change::FixedExecFormVariable { binary, event } => format!(
            "{event} {binary} hook: fixed `$CLAUDE_PROJECT_DIR` to `${{CLAUDE_PROJECT_DIR}}` (exec form never expands the first; the hook was not running)"
        ),
        Change::RemovedDuplicates {
            binary,
            event,
            count,
        } => format!("removed {count} duplicate {event} {binary} hook(s)"),
        Change::RemovedNodeHook { binary, event } => {
            format!("removed legacy node {event} {binary} hook (the native one is registered)")
        }
        Change::ReplacedNodeHook { binary, event } => {
            format!("replaced legacy node {event} {binary} hook with the native binary, in place")
        }
        Change::Added { binary, event } => format!("added {event} {binary} hook"),
    }
}

fn skipped(path: Option<&Path>, s: &Skip) -> String {
    let path = path.map_or_else(String::new, |p| p.display().to_string());
    match s {
        Skip::UpToDate => format!("{path}: up to date"),
        Skip::ChangedMeanwhile => {
            format!("{path}: already up to date (changed meanwhile by someone else)")
        }
        Skip::SectionsPresent => format!("{path}: awareness sections already present"),
        Skip::HooksInPlace {
            registered,
            elsewhere,
        } => {
            let mut why = Vec::new();
            if !registered.is_empty() {
                why.push(format!("{} hook already registered", registered.join(", ")));
            }
            if !elsewhere.is_empty() {
                why.push(format!("{} hook not registered here", elsewhere.join(", ")));
            }
            format!("{path}: {}", why.join("; "))
        }
        Skip::SwitchInPlace { value: Some(v) } => {
            format!("{path}: actionClaim.enabled is already {v}")
        }
        Skip::SwitchInPlace { value: None } => format!("{path}: actionClaim.enabled is not set"),
        Skip::PluginRunsHooks {
            plugin,
            scope,
            file,
        } => format!(
            "{path} (skipped: the Claude Code plugin {plugin} is enabled for this project ({scope} scope, {}) and runs the hooks; deploying and registering them here as well would run each hook twice)",
            file.display()
        ),
        Skip::FrameworkNotEnabled => {
            format!("{path} (skipped: claude-code is not in enabledFrameworks)")
        }
        Skip::EveryHookRegistered => {
            format!("{path} (skipped: every hook is registered already, see the notes)")
        }
        Skip::NoHookDeployed => format!("{path} (skipped: no hook binary is deployed)"),
        Skip::SwitchAlready { key, value, origin } => format!(
            "{key}: already {value} in this project, as its hooks see it ({origin}); nothing to change"
        ),
    }
}

fn noted(path: Option<&Path>, n: &Note) -> String {
    let text = match n {
        Note::RegisteredTwice { wiring, fix } => {
            format!("the hooks are already registered twice ({wiring}); {fix}")
        }
        Note::BecomesAgent {
            project,
            kept_in,
            move_to,
        } => {
            let mut note = format!(
                "{} had no {INSTAR_DIR}/: deploying the hooks into {HOOKS_DIR}/ makes it an instar agent, so the hooks keep their state in {INSTAR_DIR}/instar-hooks/ from now on",
                project.display()
            );
            if let Some(old) = kept_in {
                note.push_str(&format!(
                    "; the commitments recorded so far stay in {}: to keep them, run `mv {} {}` before the hooks next run",
                    old.display(),
                    shell_word(old),
                    shell_word(move_to)
                ));
            }
            note
        }
        Note::RegisteredElsewhere {
            hook,
            places,
            removed,
        } => {
            let settings = instar_hooks::settings::SETTINGS_FILE;
            let first = places
                .first()
                .map_or_else(String::new, |h| h.file.display().to_string());
            let places: Vec<String> = places
                .iter()
                .map(|h| format!("{} (`{}`)", h.file.display(), h.command))
                .collect();
            let places = places.join(" and ");
            if removed.is_empty() {
                format!(
                    "{hook} is registered in {places} already: not registered in {settings} as well, which would run it twice"
                )
            } else {
                let ours: Vec<String> = removed
                    .iter()
                    .map(|h| format!("`{}` under {}", h.command, h.event))
                    .collect();
                format!(
                    "{hook} is registered in {places} and was in {settings} as well ({}), so it ran twice: removed from {settings}, so it runs once. If others share this repository's settings without that registration, they no longer run the hook: then put it back with `instar-migrate` after removing it from {first}",
                    ours.join(", "),
                )
            }
        }
        Note::RunsAnotherCopy { hook, command } => format!(
            "{hook} runs `{command}`, not the copy in {HOOKS_DIR}/: left as it is, and nothing is deployed for it"
        ),
        Note::NothingWritten { planned } => format!(
            "nothing was written (planned: {}); fix the errors and run again",
            planned.join(", ")
        ),
        Note::MillisecondTimeout(t) => format!(
            "hooks.{}[{}].hooks[{}] `{}` has timeout {} — Claude Code reads seconds, so that is {}; left unchanged",
            t.event,
            t.group,
            t.index,
            t.command,
            t.timeout,
            human_duration(Duration::from_secs_f64(t.timeout))
        ),
        Note::Remark { detail } => detail.clone(),
    };
    match path {
        Some(path) => format!("{}: {text}", path.display()),
        None => text,
    }
}
