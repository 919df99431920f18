//! Step 1: read each file once and compute its new bytes. Nothing is written here.

use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

use super::{Change, Mode, Options, Plan, Recompute, Report, deploy};
use crate::{
    Error, claude_md,
    config::{self, edit},
    env::Env,
    plugin::{self, Wiring},
    settings::{self, Registration, SETTINGS_FILE},
};

/// Plans the run, reading Claude Code's user settings from the process environment
/// (`CLAUDE_CONFIG_DIR`, else `~/.claude`) to tell whether the plugin serves the project.
pub fn plan(opts: &Options) -> Plan {
    plan_with(opts, &plugin::wiring(&opts.project, &Env::from_process()))
}

/// [`plan`], given how the project is wired. When the Claude Code plugin is enabled for the
/// project, its hooks already run there: deploying and registering them again would run every
/// hook twice per event (Claude Code does not deduplicate plugin and settings hooks), so both
/// steps are skipped and the report says why.
pub fn plan_with(opts: &Options, wiring: &Wiring) -> Plan {
    let project = &opts.project;
    let mut report = Report {
        project_dir: project.clone(),
        ..Report::default()
    };
    let mut changes = Vec::new();
    let template = settings::template();
    if let Some(p) = wiring.plugin() {
        let why = format!(
            "the Claude Code plugin {} is enabled for this project ({} scope, {}) and runs the hooks; deploying and registering them here as well would run each hook twice",
            p.id,
            p.scope.as_str(),
            p.file.display()
        );
        report
            .skipped
            .push(format!("{} (skipped: {why})", settings::HOOKS_DIR));
        report
            .skipped
            .push(format!("{SETTINGS_FILE} (skipped: {why})"));
        if let Some(fix) = wiring.fix() {
            report.notes.push(format!(
                "the hooks are already registered twice ({}); {fix}",
                wiring.describe()
            ));
        }
        // An unreadable config is in the report's errors already.
        let _ = plan_config(opts, &mut changes, &mut report);
        return finish(project, changes, report);
    }
    let ready = deploy::plan(
        project,
        &opts.source_dir,
        &template,
        &mut changes,
        &mut report,
    );
    let regs: Vec<Registration> = template
        .into_iter()
        .filter(|r| ready.contains(&r.binary))
        .collect();

    let config_doc = plan_config(opts, &mut changes, &mut report);
    let frameworks = config_doc
        .as_ref()
        .ok()
        .and_then(|doc| doc.get("enabledFrameworks"))
        .and_then(Value::as_array);
    if frameworks.is_some_and(|f| !f.iter().any(|v| v == "claude-code")) {
        report.skipped.push(format!(
            "{SETTINGS_FILE} (skipped: claude-code is not in enabledFrameworks)"
        ));
    } else if regs.is_empty() {
        report.skipped.push(format!(
            "{SETTINGS_FILE} (skipped: no hook binary is deployed)"
        ));
    } else {
        // Notes describe the file as it will be: a legacy hook we replace is not mentioned.
        if let Ok(Some(bytes)) = read(project, SETTINGS_FILE)
            && let Ok(mut doc) = settings::parse(Path::new(SETTINGS_FILE), &bytes)
        {
            settings::register(&mut doc, &regs);
            report
                .notes
                .extend(settings::millisecond_timeouts(&doc, &regs));
        }
        let names: Vec<String> = regs
            .iter()
            .map(|r| format!("{} {}", r.event, r.binary))
            .collect();
        changes.extend(text_change(
            project,
            SETTINGS_FILE,
            Box::new(move |bytes| edit_settings(bytes, &regs)),
            &mut report,
            &format!("{} hook already registered", names.join(", ")),
        ));
    }

    finish(project, changes, report)
}

/// The project config: read (for `enabledFrameworks`) and edited for --enable/--disable. An
/// unreadable one is reported once and left alone.
fn plan_config(
    opts: &Options,
    changes: &mut Vec<Change>,
    report: &mut Report,
) -> Result<Map<String, Value>, Error> {
    let project = &opts.project;
    let config_doc = read(project, config::PROJECT_CONFIG).and_then(|bytes| match bytes {
        Some(b) => parse_object(config::PROJECT_CONFIG, &b),
        None => Ok(Map::new()),
    });
    match (&config_doc, opts.action_claim) {
        (Err(e), _) => report.errors.push(describe(e)),
        (Ok(_), Some(enabled)) => changes.extend(text_change(
            project,
            config::PROJECT_CONFIG,
            Box::new(move |bytes| edit_config(bytes, enabled)),
            report,
            &format!("actionClaim.enabled is already {enabled}"),
        )),
        (Ok(_), None) => {}
    }
    config_doc
}

/// The CLAUDE.md sections (every project gets them), then the plan.
fn finish(project: &Path, mut changes: Vec<Change>, mut report: Report) -> Plan {
    changes.extend(text_change(
        project,
        claude_md::FILE,
        Box::new(edit_claude_md),
        &mut report,
        "awareness sections already present",
    ));
    // In a dry run the report says what would be upgraded; `apply` rebuilds this list from
    // what it really wrote.
    report.upgraded = changes.iter().flat_map(|c| c.upgraded.clone()).collect();
    Plan {
        project: project.to_path_buf(),
        changes,
        report,
    }
}

/// An edit of one text file: new bytes and report lines, or `None` when nothing changes.
type Edited = Option<(Vec<u8>, Vec<String>)>;
/// A pure edit of a file's bytes (`None`: the file does not exist).
type Edit = Box<dyn Fn(Option<&[u8]>) -> Result<Edited, Error>>;

/// Runs `edit` on the file's current bytes and turns the result into a `Change` (with the
/// same edit kept for re-running at apply time), a "skipped" line, or an error line.
fn text_change(
    project: &Path,
    rel: &'static str,
    edit: Edit,
    report: &mut Report,
    unchanged: &str,
) -> Option<Change> {
    let before = match read(project, rel) {
        Ok(b) => b,
        Err(e) => {
            report.errors.push(describe(&e));
            return None;
        }
    };
    match edit(before.as_deref()) {
        Err(e) => {
            report.errors.push(describe(&e));
            None
        }
        Ok(None) => {
            report.skipped.push(format!("{rel}: {unchanged}"));
            None
        }
        Ok(Some((after, lines))) => {
            let recompute: Recompute =
                Box::new(move |bytes| Ok(edit(bytes)?.map(|(after, _)| after)));
            Some(Change {
                rel: PathBuf::from(rel),
                before,
                after,
                mode: Mode::KeepOr(0o644),
                recompute: Some(recompute),
                upgraded: lines,
            })
        }
    }
}

fn edit_settings(bytes: Option<&[u8]>, regs: &[Registration]) -> Result<Edited, Error> {
    let path = Path::new(SETTINGS_FILE);
    let mut doc = match bytes {
        Some(b) => settings::parse(path, b)?,
        None => Value::Object(Map::new()),
    };
    let mut lines = settings::register(&mut doc, regs);
    if lines.is_empty() {
        return Ok(None);
    }
    if bytes.is_none() {
        lines.insert(0, format!("{SETTINGS_FILE}: created"));
    }
    let indent = bytes.map_or_else(|| b"  ".to_vec(), settings::detect_indent);
    Ok(Some((settings::render(&doc, &indent), lines)))
}

fn edit_config(bytes: Option<&[u8]>, enabled: bool) -> Result<Edited, Error> {
    let mut doc = match bytes {
        Some(b) => parse_object(config::PROJECT_CONFIG, b)?,
        None => Map::new(),
    };
    let lines =
        edit::set_action_claim_enabled(&mut doc, enabled).map_err(|found| Error::Unsupported {
            path: config::PROJECT_CONFIG.into(),
            found,
        })?;
    if lines.is_empty() {
        return Ok(None);
    }
    let indent = bytes.map_or_else(|| b"  ".to_vec(), settings::detect_indent);
    let lines = lines
        .into_iter()
        .map(|l| format!("{}: {l}", config::PROJECT_CONFIG))
        .collect();
    Ok(Some((
        settings::render(&Value::Object(doc), &indent),
        lines,
    )))
}

fn edit_claude_md(bytes: Option<&[u8]>) -> Result<Edited, Error> {
    let text = match bytes {
        Some(b) => Some(std::str::from_utf8(b).map_err(|_| Error::Unsupported {
            path: claude_md::FILE.into(),
            found: "it is not valid UTF-8".into(),
        })?),
        None => None,
    };
    let patched = claude_md::patch(text);
    let Some(content) = patched.content else {
        return Ok(None);
    };
    let mut lines = Vec::new();
    if text.is_none() {
        lines.push(format!("{}: created", claude_md::FILE));
    }
    if let Some(fence) = patched.closed_fence {
        lines.push(format!(
            "{}: closed an unterminated `{fence}` code block at the end of the file first",
            claude_md::FILE
        ));
    }
    for name in patched.added {
        lines.push(format!("{}: added {name}", claude_md::FILE));
    }
    Ok(Some((content.into_bytes(), lines)))
}

fn parse_object(rel: &str, bytes: &[u8]) -> Result<Map<String, Value>, Error> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(doc)) => Ok(doc),
        Ok(other) => Err(Error::Unsupported {
            path: rel.into(),
            found: format!(
                "the top level is {}, not an object",
                config::json_type_name(&other)
            ),
        }),
        Err(e) => Err(Error::parse(rel, &e)),
    }
}

/// The file's bytes, `None` when it does not exist.
pub(super) fn read(project: &Path, rel: &str) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(project.join(rel)) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(rel, "read", e)),
    }
}

/// An error as one report line, with its hint.
pub(super) fn describe(e: &Error) -> String {
    match e.hint() {
        Some(hint) => format!("{e} ({hint})"),
        None => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A project whose settings enable the plugin, and a directory of hook binaries.
    fn project(settings: &str) -> (tempfile::TempDir, Options) {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        let bin = dir.path().join("bin");
        fs::create_dir_all(project.join(".claude")).unwrap();
        fs::create_dir_all(&bin).unwrap();
        fs::write(project.join(SETTINGS_FILE), settings).unwrap();
        for binary in plugin::hook_binaries() {
            fs::write(bin.join(binary), b"\x7fELF fake hook").unwrap();
        }
        let opts = Options {
            project,
            source_dir: bin,
            action_claim: Some(true),
        };
        (dir, opts)
    }

    fn wiring_of(opts: &Options) -> Wiring {
        plugin::wiring(&opts.project, &Env::default())
    }

    #[test]
    fn a_project_the_plugin_serves_gets_no_settings_entry_and_no_binaries_and_is_told_why() {
        let (_d, opts) = project(r#"{"enabledPlugins": {"instar-hooks@instar-hooks": true}}"#);
        let plan = plan_with(&opts, &wiring_of(&opts));
        let files: Vec<String> = plan
            .changes
            .iter()
            .map(|c| c.rel.display().to_string())
            .collect();
        assert_eq!(
            files,
            [config::PROJECT_CONFIG, claude_md::FILE],
            "{:?}",
            plan.report
        );
        let skipped = plan.report.skipped.join("\n");
        for want in [
            ".claude/settings.json (skipped: the Claude Code plugin instar-hooks@instar-hooks is enabled for this project (project scope, ",
            ".instar/hooks/instar (skipped: ",
            "deploying and registering them here as well would run each hook twice",
        ] {
            assert!(skipped.contains(want), "{want:?} not in\n{skipped}");
        }
        assert!(plan.report.errors.is_empty() && plan.report.notes.is_empty());
    }

    #[test]
    fn an_existing_double_wiring_is_pointed_out_and_left_for_the_user() {
        let mut doc: Value = serde_json::from_str(settings::TEMPLATE).unwrap();
        doc["enabledPlugins"] = serde_json::json!({"instar-hooks@m": true});
        let (_d, opts) = project(&doc.to_string());
        let plan = plan_with(&opts, &wiring_of(&opts));
        assert!(
            plan.changes
                .iter()
                .all(|c| c.rel != Path::new(SETTINGS_FILE))
        );
        let notes = plan.report.notes.join("\n");
        assert!(notes.contains("already registered twice"), "{notes}");
        assert!(
            notes.contains("claude plugin disable instar-hooks@m --scope local"),
            "{notes}"
        );
    }

    #[test]
    fn a_disabled_plugin_does_not_stop_the_registration() {
        let (_d, opts) = project(r#"{"enabledPlugins": {"instar-hooks@instar-hooks": false}}"#);
        let plan = plan_with(&opts, &wiring_of(&opts));
        assert!(
            plan.changes
                .iter()
                .any(|c| c.rel == Path::new(SETTINGS_FILE))
        );
        assert!(plan.report.skipped.iter().all(|s| !s.contains("plugin")));
    }
}
