//! A project's state: backups of a project without `.instar/` go to its per-user state
//! directory, and deploying says the project becomes an agent and where its old state is.

use super::*;
use crate::migrate::apply;

#[test]
fn backups_of_a_project_without_instar_go_to_its_per_user_state_directory() {
    let (_d, opts) = project(PLUGIN, None);
    fs::write(opts.project.join(claude_md::FILE), "# Mine\n").unwrap();
    let report = apply(plan_of(&opts), crate::timestamp::Timestamp::now());
    assert!(!report.has_errors(), "{report:?}");
    let backup = report.backup_dir.unwrap();
    let state = StateDir::resolve(&opts.project, &opts.env).unwrap();
    assert!(
        backup.starts_with(state.root().join("backups")),
        "{backup:?}"
    );
    assert_eq!(
        fs::read_to_string(backup.join(claude_md::FILE)).unwrap(),
        "# Mine\n"
    );
    assert!(
        !opts.project.join(".instar").exists(),
        "no .instar/ for a backup"
    );
}

#[test]
fn deploying_into_a_project_without_instar_says_it_becomes_an_agent_and_where_old_state_is() {
    let (_d, opts) = project("{}\n", Some(true));
    let becomes_agent = |kept_in: Option<PathBuf>| Note::BecomesAgent {
        project: opts.project.clone(),
        kept_in,
        move_to: opts.project.join(".instar/instar-hooks"),
    };
    // No state to leave behind.
    let plan = plan_of(&opts);
    assert!(
        notes(&plan.report).contains(&&becomes_agent(None)),
        "{:?}",
        plan.report
    );
    let old = StateDir::resolve(&opts.project, &opts.env).unwrap();
    old.ensure().unwrap();
    fs::write(old.commitments_file(), "{}").unwrap();
    let plan = plan_of(&opts);
    assert!(
        notes(&plan.report).contains(&&becomes_agent(Some(old.root().to_path_buf()))),
        "{:?}",
        plan.report
    );
}
