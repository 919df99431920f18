use super::*;

fn m(s: &str) -> String {
    mask_secrets(s, 1000)
}

#[test]
fn secrets_are_masked_by_shape() {
    for (input, want) in [
        (
            "git push https://alice:hunter2@github.com/acme/app.git",
            "git push https://alice:***@github.com/acme/app.git",
        ),
        (
            "git clone https://ghp_abcdefghijklmnopqrstu@github.com/x",
            "git clone https://***@github.com/x",
        ),
        (
            "curl 'https://api.x.io/v1?access_token=abc123&page=2'",
            "curl 'https://api.x.io/v1?access_token=***&page=2'",
        ),
        (
            "curl -H 'Authorization: Bearer eyJabc.def' https://x",
            "curl -H 'Authorization: Bearer ***' https://x",
        ),
        (
            "curl -H \"X-Api-Key: k3y\" https://x",
            "curl -H \"X-Api-Key: ***\" https://x",
        ),
        (
            "GITHUB_TOKEN=ghp_secretvalue gh pr create",
            "GITHUB_TOKEN=*** gh pr create",
        ),
        (
            "AWS_SECRET_ACCESS_KEY=abc DB_PASS=\"p w\" ./deploy.sh",
            "AWS_SECRET_ACCESS_KEY=*** DB_PASS=\"***\" ./deploy.sh",
        ),
        ("export STRIPE_KEY=sk_live_123", "export STRIPE_KEY=***"),
        ("psql --password s3cret -h db", "psql --password *** -h db"),
        ("app --api-key=abc --verbose", "app --api-key=*** --verbose"),
        ("mysql -u root -pS3cret db", "mysql -u root -p*** db"),
        (
            "curl -u admin:pa55 https://x",
            "curl -u admin:*** https://x",
        ),
        ("sshpass -p hunter2 ssh host", "sshpass -p *** ssh host"),
        ("echo sk-proj-abcdefghijklmnopqrstuvwxyz", "echo ***"),
    ] {
        assert_eq!(m(input), want, "{input}");
    }
}

#[test]
fn ordinary_commands_are_left_alone() {
    for input in [
        "cargo test -p store --features x",
        "docker run -p 8080:80 app",
        "git push origin main",
        "npm run test -- --grep 'passes token'",
        "KEY_COUNT=3 make",
        "https://github.com/acme/app/pull/12",
    ] {
        assert_eq!(m(input), input);
    }
}

#[test]
fn bounded_on_a_char_boundary_with_an_ellipsis() {
    let s = "é".repeat(100);
    let out = mask_secrets(&s, 11);
    assert!(out.len() <= 11);
    assert!(out.ends_with('…'));
    assert_eq!(mask_secrets("short", 10), "short");
    assert_eq!(mask_secrets("abcdef", 2), "ab");
    // A secret past the cut is still masked before cutting.
    let long = format!("{} TOKEN=supersecretvalue", "x".repeat(40));
    assert!(!mask_secrets(&long, 60).contains("supersecret"));
}

#[test]
fn excerpts_are_one_clean_bounded_line() {
    assert_eq!(
        excerpt("\u{1b}[31m  2 failed,\t40 passed \u{1b}[0m\n", 80),
        "2 failed, 40 passed"
    );
    assert_eq!(excerpt(&"x".repeat(500), 20).len(), 20);
    assert_eq!(excerpt("token=abc ok", 80), "token=*** ok");
}
