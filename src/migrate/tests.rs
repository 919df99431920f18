use super::*;
use std::fs;

fn project_with(settings: &str) -> (tempfile::TempDir, Options) {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    let bin = dir.path().join("bin");
    fs::create_dir_all(project.join(".claude")).unwrap();
    fs::create_dir_all(&bin).unwrap();
    fs::write(project.join(".claude/settings.json"), settings).unwrap();
    for reg in crate::settings::template() {
        fs::write(bin.join(&reg.binary), b"\x7fELF fake hook").unwrap();
    }
    let opts = Options {
        project,
        source_dir: bin,
        action_claim: None,
        env: crate::env::Env::default(),
    };
    (dir, opts)
}

#[test]
fn an_edit_made_between_plan_and_apply_is_kept() {
    let (_dir, opts) = project_with("{\n  \"model\": \"opus\"\n}\n");
    let plan = plan_with(&opts, &crate::plugin::Wiring::default());
    // Claude Code (or the user) writes the file after we read it.
    let path = opts.project.join(".claude/settings.json");
    fs::write(
        &path,
        "{\n  \"model\": \"sonnet\",\n  \"permissions\": {}\n}\n",
    )
    .unwrap();
    let report = apply(plan, Timestamp::now());
    assert!(!report.has_errors(), "{:?}", report.steps);
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(doc["model"], "sonnet", "the newer edit wins");
    assert!(doc["permissions"].is_object());
    assert!(
        doc["hooks"]["Stop"][0]["hooks"][0]["command"].is_string(),
        "and ours is added"
    );
    // The backup holds what was replaced: the newer file, not the planned-on one.
    let backup = opts
        .project
        .join(report.backup_dir.unwrap())
        .join(".claude/settings.json");
    assert!(fs::read_to_string(backup).unwrap().contains("sonnet"));
}

#[test]
fn a_file_that_became_malformed_meanwhile_is_left_alone() {
    let (_dir, opts) = project_with("{}\n");
    let plan = plan_with(&opts, &crate::plugin::Wiring::default());
    let path = opts.project.join(".claude/settings.json");
    fs::write(&path, "{ broken").unwrap();
    let report = apply(plan, Timestamp::now());
    assert_eq!(fs::read_to_string(&path).unwrap(), "{ broken");
    assert!(
        report.steps.iter().any(|s| matches!(s,
            Step::Error { path: Some(path), what: "parse", .. } if path.ends_with(".claude/settings.json"))),
        "{:?}",
        report.steps
    );
    assert!(
        !report
            .changed_files
            .iter()
            .any(|f| f == ".claude/settings.json"),
        "{report:?}"
    );
}

#[test]
fn a_registration_made_meanwhile_by_someone_else_is_not_duplicated() {
    let (_dir, opts) = project_with("{}\n");
    let plan = plan_with(&opts, &crate::plugin::Wiring::default());
    let path = opts.project.join(".claude/settings.json");
    // Someone else registered both hooks (in their own formatting) after we planned.
    let done = serde_json::to_string(
        &serde_json::from_str::<serde_json::Value>(crate::settings::TEMPLATE).unwrap(),
    )
    .unwrap();
    fs::write(&path, &done).unwrap();
    let report = apply(plan, Timestamp::now());
    assert_eq!(fs::read_to_string(&path).unwrap(), done);
    assert!(
        report.steps.contains(&Step::Skipped {
            path: Some(".claude/settings.json".into()),
            skip: Skip::ChangedMeanwhile
        }),
        "{report:?}"
    );
    // Only the settings file was found done already: the other changes were written.
    assert!(
        !report
            .changed_files
            .iter()
            .any(|f| f == ".claude/settings.json"),
        "{report:?}"
    );
}
