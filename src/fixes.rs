//! The commands we tell a person to run to fix something (`doctor`, `guards`,
//! `resume-queue status`), with the project path quoted as one shell word, so a fix can be
//! pasted as it is printed even when the path has spaces or quotes in it.

use std::path::Path;

/// `p` as one POSIX shell word: as it is when it is plainly safe, else single-quoted.
pub fn shell_word(p: &Path) -> String {
    let s = p.display().to_string();
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+@:,=".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `instar-migrate --project-dir <project>`, followed by `extra` arguments when given.
pub fn migrate(project: &Path, extra: &str) -> String {
    with_extra(
        format!("instar-migrate --project-dir {}", shell_word(project)),
        extra,
    )
}

/// `instar-hooks doctor --project-dir <project>`.
pub fn doctor(project: &Path) -> String {
    format!("instar-hooks doctor --project-dir {}", shell_word(project))
}

/// `instar-hooks resume-queue heal [--force] --project-dir <project>`.
pub fn heal(project: &Path, force: bool) -> String {
    format!(
        "instar-hooks resume-queue heal{} --project-dir {}",
        if force { " --force" } else { "" },
        shell_word(project)
    )
}

/// `instar-hooks config set KEY VALUE --user|--project --project-dir DIR`, the command that
/// writes `value` into one of the two config files.
pub(crate) fn config_set(project: &Path, key: &str, value: &str, user: bool) -> String {
    let scope = if user {
        "--user".to_string()
    } else {
        format!("--project --project-dir {}", shell_word(project))
    };
    format!("instar-hooks config set {key} {value} {scope}")
}

/// `instar-hooks config unset KEY --user`.
pub(crate) fn config_unset(key: &str) -> String {
    format!("instar-hooks config unset {key} --user")
}

fn with_extra(mut command: String, extra: &str) -> String {
    if !extra.is_empty() {
        command.push(' ');
        command.push_str(extra);
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_one_shell_word() {
        assert_eq!(shell_word(Path::new("/srv/my-agent")), "/srv/my-agent");
        assert_eq!(shell_word(Path::new("/tmp/my agent")), "'/tmp/my agent'");
        assert_eq!(shell_word(Path::new("/tmp/it's")), r"'/tmp/it'\''s'");
        assert_eq!(shell_word(Path::new("")), "''");
    }

    #[test]
    fn fixes_name_the_project() {
        assert_eq!(
            migrate(Path::new("/p q"), "--enable action-claim"),
            "instar-migrate --project-dir '/p q' --enable action-claim"
        );
        assert_eq!(
            heal(Path::new("/p"), true),
            "instar-hooks resume-queue heal --force --project-dir /p"
        );
        assert_eq!(
            doctor(Path::new("/p")),
            "instar-hooks doctor --project-dir /p"
        );
    }
}
