//! Hooks run from the plugin: on with no config anywhere, switched off by an explicit false in
//! any file or by a file that cannot be read.

use super::*;

fn plugin(mut f: Fixture) -> Fixture {
    f.env.from_plugin = true;
    f
}

#[test]
fn a_hook_run_from_the_plugin_is_on_with_no_config_anywhere() {
    let f = plugin(fixture(None, None));
    let c = Config::load(&f.project, &f.env);
    assert!(c.is_enabled());
    assert_eq!(c.enabled_origin, Origin::PluginDefault);
    // The same project, the hook registered in settings instead: off.
    let f = fixture(None, None);
    let c = Config::load(&f.project, &f.env);
    assert!(!c.is_enabled());
    assert_eq!(c.enabled_origin, Origin::Default);
}

#[test]
fn an_explicit_false_anywhere_switches_the_plugin_off() {
    for (project, user) in [
        (Some(r#"{"actionClaim": {"enabled": false}}"#), None),
        (None, Some(r#"{"actionClaim": {"enabled": false}}"#)),
        (
            Some(r#"{"actionClaim": {"enabled": true}}"#),
            Some(r#"{"actionClaim": {"enabled": false}}"#),
        ),
        (
            Some(r#"{"messaging": {"actionClaim": {"enabled": false}}}"#),
            None,
        ),
    ] {
        let f = plugin(fixture(project, user));
        let c = Config::load(&f.project, &f.env);
        assert!(!c.is_enabled(), "{project:?} {user:?}");
        assert!(
            matches!(&c.enabled_origin, Origin::File { key, .. } if key.ends_with("actionClaim.enabled")),
            "{:?}",
            c.enabled_origin
        );
    }
}

#[test]
fn an_unreadable_config_switches_the_plugin_off_and_says_which_file() {
    let f = plugin(fixture(None, Some("{ nope")));
    let c = Config::load(&f.project, &f.env);
    assert!(!c.is_enabled());
    let user = user_config_path(&f.env).unwrap();
    assert_eq!(c.enabled_origin, Origin::Unreadable { path: user.clone() });
    assert!(c.enabled_origin.describe().contains("cannot be read"));
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].path, user);
}
