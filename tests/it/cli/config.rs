//! `instar-hooks config set`: it writes where asked, and says which change would make it take
//! effect when another file wins.

use crate::harness::Project;

#[test]
fn config_set_writes_where_asked_and_says_what_would_take_effect() {
    // An instar agent switched off in the user file: `set` writes the project file, as
    // documented, but a false in any file wins; it says which change would switch it on.
    let p = Project::new().file(".instar/config.json", "{}\n").file(
        "../config/instar-hooks/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    let user = p.root().join("config/instar-hooks/config.json");
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true"])
        .run()
        .code(0)
        .stdout;
    assert!(out.contains(".instar/config.json\n"), "{out}");
    assert!(
        out.contains(&format!(
            "the hooks still use actionClaim.enabled = false ({})\n",
            user.display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with(
            "to make it take effect here: instar-hooks config unset actionClaim.enabled --user\n"
        ),
        "{out}"
    );
    p.cli(&["config", "unset", "actionClaim.enabled", "--user"])
        .run()
        .code(0)
        .stdout_contains("the hooks now use actionClaim.enabled = true (");

    // An explicit scope is done exactly as asked, even where it does not take effect.
    let p = Project::new().file(
        ".instar/config.json",
        r#"{"actionClaim": {"enabled": false}}"#,
    );
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true", "--user"])
        .run()
        .code(0)
        .stdout;
    assert!(
        out.starts_with(&format!(
            "set actionClaim.enabled = true in {}\n",
            p.root().join("config/instar-hooks/config.json").display()
        )),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "to make it take effect here: instar-hooks config set actionClaim.enabled true --project --project-dir {}\n",
            p.path().display()
        )),
        "{out}"
    );
    // Where it takes effect, no hint.
    let out = p
        .cli(&["config", "set", "actionClaim.enabled", "true", "--project"])
        .run()
        .code(0)
        .stdout;
    assert!(!out.contains("take effect"), "{out}");
}
