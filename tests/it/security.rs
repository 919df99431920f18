//! What the hooks never do: follow a symlink out of their state directory, write outside
//! the project (for an instar agent), talk to anything but 127.0.0.1, or show the auth token.

use crate::harness::{Project, walk};
use crate::stub_server::StubServer;
use std::{fs, os::unix::fs::symlink, path::Path};

/// The files under `dir`, by relative path.
fn files_under(dir: &Path) -> Vec<String> {
    walk(dir).into_iter().map(|(rel, _)| rel).collect()
}

#[test]
fn a_symlinked_state_directory_is_refused() {
    let p = Project::enabled();
    let outside = p.root().join("outside");
    fs::create_dir_all(&outside).unwrap();
    symlink(&outside, p.path().join(".instar/instar-hooks")).unwrap();
    p.stop("Relaunching the server now.").run().silent_success();
    p.prompt("next").run().silent_success();
    assert_eq!(files_under(&outside), Vec::<String>::new());
}

#[test]
fn symlinked_store_log_and_lock_never_write_through() {
    let p = Project::enabled();
    p.stop("I'll restart the server.").run().silent_success();
    let outside = p.root().join("outside");
    fs::create_dir_all(&outside).unwrap();
    for (name, inside) in [
        ("store", "commitments.json"),
        ("log", "logs/hooks.log"),
        ("lock", "commitments.json.lock"),
    ] {
        let target = outside.join(name);
        fs::write(&target, format!("outside {name}\n")).unwrap();
        let link = p.state().join(inside);
        let _ = fs::remove_file(&link);
        symlink(&target, &link).unwrap();
    }
    p.stop("Pushing the fix now.").run().silent_success();
    p.cli(&["commitments", "list", "--json"]).run();
    for name in ["store", "log", "lock"] {
        assert_eq!(
            fs::read_to_string(outside.join(name)).unwrap(),
            format!("outside {name}\n"),
            "{name}"
        );
    }
    // Dangling links: following one with O_CREAT would create a file outside.
    for (name, inside) in [
        ("dangling-log", "logs/hooks.log"),
        ("dangling-lock", "commitments.json.lock"),
        (
            "dangling-status",
            "status/action-claim-followthrough.last-run",
        ),
    ] {
        let link = p.state().join(inside);
        let _ = fs::remove_file(&link);
        symlink(outside.join(name), &link).unwrap();
    }
    p.stop("Deploying the api now.").run().silent_success();
    for name in ["dangling-log", "dangling-lock", "dangling-status"] {
        assert!(
            !outside.join(name).exists(),
            "{name} was created through the link"
        );
    }
}

#[test]
fn an_instar_agent_writes_nothing_outside_the_project() {
    let p = Project::enabled();
    p.migrate(&["--enable", "action-claim"]).run().code(0);
    p.stop("I'll restart the server.").run().silent_success();
    p.prompt("next").run().silent_success();
    p.cli(&["commitments", "list"]).run().code(0);
    p.cli(&["doctor"]).run();
    p.cli(&["guards"]).run();
    for dir in ["home", "config", "data"] {
        assert_eq!(
            files_under(&p.root().join(dir)),
            Vec::<String>::new(),
            "{dir}"
        );
    }
}

#[test]
fn forwarding_goes_to_127_0_0_1_only_never_through_a_proxy_and_never_shows_the_token() {
    let token = "tok-SECRET-6f1c";
    let server = StubServer::start_any();
    let proxy = StubServer::start_any();
    let (server_port, proxy_port) = (server.port(), proxy.port());
    let p = Project::new().file(
        ".instar/config.json",
        format!(r#"{{"actionClaim": {{"enabled": true}}, "port": {server_port}, "authToken": "{token}"}}"#),
    );
    let proxy_url = format!("http://127.0.0.1:{proxy_port}");
    p.stop("Relaunching the server now.")
        .env("INSTAR_CONVERSATION_ID", "42")
        .env("HTTP_PROXY", &proxy_url)
        .env("http_proxy", &proxy_url)
        .env("ALL_PROXY", &proxy_url)
        .run()
        .silent_success();
    assert_eq!(server.requests().len(), 1, "delivered to the server");
    assert!(proxy.requests().is_empty(), "never through the proxy");
    // The server goes away: the failure is logged, and nothing anywhere shows the token.
    drop(server);
    p.stop("Pushing the fix now.")
        .env("INSTAR_CONVERSATION_ID", "42")
        .run()
        .silent_success();
    let outputs = [
        p.hook_log(),
        p.cli(&["doctor"]).run().stdout,
        p.cli(&["doctor", "--json"]).run().stdout,
        p.cli(&["commitments", "list", "--all", "--json"])
            .run()
            .stdout,
        p.cli(&["commitments", "flush"]).run().stdout,
        p.cli(&["guards", "--json"]).run().stdout,
    ];
    assert!(p.hook_log().contains("will retry"), "{}", p.hook_log());
    for text in outputs {
        assert!(!text.contains(token), "the token leaked:\n{text}");
    }
}

#[test]
fn an_invalid_port_is_rejected_not_guessed() {
    for port in ["0", "70000", "\"4040\"", "-1", "4040.5"] {
        let p = Project::new().file(
            ".instar/config.json",
            format!(r#"{{"actionClaim": {{"enabled": true}}, "port": {port}, "authToken": "t"}}"#),
        );
        p.stop("Relaunching now.")
            .env("INSTAR_CONVERSATION_ID", "7")
            .run()
            .silent_success();
        assert!(
            p.hook_log()
                .contains("port must be an integer from 1 to 65535"),
            "{port}: {}",
            p.hook_log()
        );
        assert!(
            p.commitments()[0].get("forward").is_none(),
            "{port}: not forwarded"
        );
        let doctor = p.cli(&["doctor"]).run().code(1);
        assert!(doctor.stdout.contains("port must be"), "{port}");
    }
}
