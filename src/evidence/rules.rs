//! Which commands perform which promised verb: one table, read top to bottom.
//!
//! A rule is a program and the words that must follow it (options are skipped; `*` is any
//! one word), plus options that make the command not do it (`git push --dry-run`). Commands
//! are split into simple commands first ([`super::shell`]).

use super::shell::simple_commands;

/// (verbs it fulfils, program and words, options that cancel it)
type Rule = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const RESTART: &[&str] = &["restart", "relaunch"];
const DEPLOY: &[&str] = &["deploy", "redeploy", "ship"];
const PUBLISH: &[&str] = &["publish", "ship"];

#[rustfmt::skip]
const RULES: &[Rule] = &[
    // git and forges
    (&["push"],            &["git", "push"],                 &["--dry-run", "-n"]),
    (&["merge"],           &["git", "merge"],                &["--abort", "--no-commit"]),
    (&["merge"],           &["gh", "pr", "merge"],           &[]),
    (&["merge"],           &["glab", "mr", "merge"],         &[]),
    (&["revert", "roll back"], &["git", "revert"],           &["--abort", "--no-commit", "-n"]),
    (&["rebase"],          &["git", "rebase"],               &["--abort"]),
    (&["rerun"],           &["gh", "run", "rerun"],          &[]),
    (&["rerun"],           &["gh", "workflow", "run"],       &[]),
    (DEPLOY,               &["git", "push", "heroku"],       &["--dry-run", "-n"]),
    (DEPLOY,               &["git", "push", "dokku"],        &["--dry-run", "-n"]),
    // services and processes
    (RESTART,              &["systemctl", "restart"],        &[]),
    (RESTART,              &["systemctl", "try-restart"],    &[]),
    (RESTART,              &["service", "*", "restart"],     &[]),
    (RESTART,              &["docker", "restart"],           &[]),
    (RESTART,              &["podman", "restart"],           &[]),
    (RESTART,              &["docker", "compose", "restart"], &[]),
    (RESTART,              &["docker-compose", "restart"],   &[]),
    (&["restart", "relaunch", "redeploy"], &["docker", "compose", "up"], &[]),
    (&["restart", "relaunch", "redeploy"], &["docker-compose", "up"], &[]),
    (&["restart", "relaunch", "redeploy"], &["kubectl", "rollout", "restart"], &[]),
    (&["restart", "relaunch", "reload"], &["pm2", "restart"], &[]),
    (&["reload", "restart"], &["pm2", "reload"],             &[]),
    (RESTART,              &["launchctl", "kickstart"],      &[]),
    (RESTART,              &["supervisorctl", "restart"],    &[]),
    (RESTART,              &["brew", "services", "restart"], &[]),
    (&["reload"],          &["systemctl", "reload"],         &[]),
    (&["reload"],          &["systemctl", "reload-or-restart"], &[]),
    (&["reload"],          &["service", "*", "reload"],      &[]),
    (&["reload"],          &["nginx", "-s", "reload"],       &[]),
    (&["reload"],          &["caddy", "reload"],             &[]),
    (&["reboot"],          &["reboot"],                      &[]),
    (&["reboot"],          &["systemctl", "reboot"],         &[]),
    (&["reboot"],          &["shutdown", "-r"],              &[]),
    // deploys and rollbacks
    (DEPLOY,               &["kubectl", "apply"],            &["--dry-run"]),
    (DEPLOY,               &["helm", "upgrade"],             &["--dry-run"]),
    (DEPLOY,               &["helm", "install"],             &["--dry-run"]),
    (DEPLOY,               &["fly", "deploy"],               &[]),
    (DEPLOY,               &["flyctl", "deploy"],            &[]),
    (DEPLOY,               &["vercel", "deploy"],            &[]),
    (DEPLOY,               &["vercel", "--prod"],            &[]),
    (DEPLOY,               &["netlify", "deploy"],           &[]),
    (DEPLOY,               &["terraform", "apply"],          &[]),
    (DEPLOY,               &["tofu", "apply"],               &[]),
    (DEPLOY,               &["pulumi", "up"],                &["--preview-only"]),
    (DEPLOY,               &["serverless", "deploy"],        &[]),
    (DEPLOY,               &["sls", "deploy"],               &[]),
    (DEPLOY,               &["cdk", "deploy"],               &[]),
    (DEPLOY,               &["kamal", "deploy"],             &[]),
    (DEPLOY,               &["wrangler", "deploy"],          &[]),
    (DEPLOY,               &["railway", "up"],               &[]),
    (DEPLOY,               &["gcloud", "app", "deploy"],     &[]),
    (DEPLOY,               &["gcloud", "run", "deploy"],     &[]),
    (DEPLOY,               &["npm", "run", "deploy"],        &[]),
    (DEPLOY,               &["make", "deploy"],              &[]),
    (DEPLOY,               &["just", "deploy"],              &[]),
    (&["roll back"],       &["kubectl", "rollout", "undo"],  &[]),
    (&["roll back"],       &["helm", "rollback"],            &[]),
    (&["roll back"],       &["alembic", "downgrade"],        &[]),
    (&["roll back"],       &["rails", "db:rollback"],        &[]),
    (&["roll back"],       &["rake", "db:rollback"],         &[]),
    (&["roll back"],       &["flyway", "undo"],              &[]),
    // packages and releases
    (PUBLISH,              &["cargo", "publish"],            &["--dry-run"]),
    (PUBLISH,              &["npm", "publish"],              &["--dry-run"]),
    (PUBLISH,              &["pnpm", "publish"],             &["--dry-run"]),
    (PUBLISH,              &["yarn", "publish"],             &[]),
    (PUBLISH,              &["yarn", "npm", "publish"],      &["--dry-run"]),
    (PUBLISH,              &["twine", "upload"],             &[]),
    (PUBLISH,              &["poetry", "publish"],           &["--dry-run"]),
    (PUBLISH,              &["uv", "publish"],               &["--dry-run"]),
    (PUBLISH,              &["gem", "push"],                 &[]),
    (PUBLISH,              &["docker", "push"],              &[]),
    (PUBLISH,              &["gh", "release", "create"],     &["--draft"]),
    (PUBLISH,              &["mvn", "deploy"],               &[]),
    (PUBLISH,              &["dotnet", "nuget", "push"],     &[]),
    // builds
    (&["rebuild"],         &["cargo", "build"],              &[]),
    (&["rebuild"],         &["npm", "run", "build"],         &[]),
    (&["rebuild"],         &["pnpm", "build"],               &[]),
    (&["rebuild"],         &["pnpm", "run", "build"],        &[]),
    (&["rebuild"],         &["yarn", "build"],               &[]),
    (&["rebuild"],         &["make"],                        &["-n", "--dry-run", "--just-print"]),
    (&["rebuild"],         &["docker", "build"],             &[]),
    (&["rebuild"],         &["docker", "buildx", "build"],   &[]),
    (&["rebuild"],         &["docker", "compose", "build"],  &[]),
    (&["rebuild"],         &["go", "build"],                 &[]),
    (&["rebuild"],         &["gradle", "build"],             &[]),
    (&["rebuild"],         &["./gradlew", "build"],          &[]),
    (&["rebuild"],         &["mvn", "package"],              &[]),
    (&["rebuild"],         &["mvn", "install"],              &[]),
    (&["rebuild"],         &["bazel", "build"],              &[]),
    (&["rebuild"],         &["nix", "build"],                &[]),
    (&["rebuild"],         &["cmake", "--build"],            &[]),
    (&["rebuild"],         &["tsc"],                         &["--noEmit"]),
    (&["rebuild"],         &["vite", "build"],               &[]),
    // running again: CI re-runs (above) and test or benchmark commands
    (&["rerun"],           &["cargo", "test"],               &[]),
    (&["rerun"],           &["cargo", "nextest"],            &[]),
    (&["rerun"],           &["cargo", "bench"],              &[]),
    (&["rerun"],           &["npm", "test"],                 &[]),
    (&["rerun"],           &["npm", "run", "test"],          &[]),
    (&["rerun"],           &["pnpm", "test"],                &[]),
    (&["rerun"],           &["yarn", "test"],                &[]),
    (&["rerun"],           &["bun", "test"],                 &[]),
    (&["rerun"],           &["deno", "test"],                &[]),
    (&["rerun"],           &["pytest"],                      &[]),
    (&["rerun"],           &["python", "-m", "pytest"],      &[]),
    (&["rerun"],           &["python3", "-m", "pytest"],     &[]),
    (&["rerun"],           &["go", "test"],                  &[]),
    (&["rerun"],           &["make", "test"],                &[]),
    (&["rerun"],           &["make", "check"],               &[]),
    (&["rerun"],           &["jest"],                        &[]),
    (&["rerun"],           &["vitest"],                      &[]),
    (&["rerun"],           &["npx", "jest"],                 &[]),
    (&["rerun"],           &["npx", "vitest"],               &[]),
    (&["rerun"],           &["mvn", "test"],                 &[]),
    (&["rerun"],           &["gradle", "test"],              &[]),
    (&["rerun"],           &["./gradlew", "test"],           &[]),
    (&["rerun"],           &["rspec"],                       &[]),
    (&["rerun"],           &["bundle", "exec", "rspec"],     &[]),
    (&["rerun"],           &["tox"],                         &[]),
    (&["rerun"],           &["nox"],                         &[]),
    (&["rerun"],           &["ctest"],                       &[]),
];

/// Options whose value is the next word (skipped with them when matching words). `-n` is a
/// namespace for kubectl and helm, but a flag elsewhere (`git push -n` is a dry run).
#[rustfmt::skip]
fn takes_value(program: &str, option: &str) -> bool {
    matches!(option,
        "-C" | "-c" | "-f" | "--file" | "-p" | "--project-name" | "--namespace" | "--context"
        | "--kubeconfig" | "--git-dir" | "--work-tree" | "--project-directory" | "--profile"
        | "--env-file" | "--config" | "-F" | "--region" | "-a" | "--app")
        || (option == "-n" && matches!(program, "kubectl" | "helm" | "oc"))
}

/// Does `command` (a Bash tool call's command line) perform `verb`? Returns the simple
/// command that does, as evidence.
pub(crate) fn performs(command: &str, verb: &str) -> Option<String> {
    simple_commands(command, 0).into_iter().find_map(|words| {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        simple_command_performs(&words, verb).then(|| words.join(" "))
    })
}

/// Does one simple command (words as [`super::shell`] splits them) perform `verb`?
pub(crate) fn simple_command_performs(words: &[&str], verb: &str) -> bool {
    RULES
        .iter()
        .any(|(verbs, pattern, cancels)| verbs.contains(&verb) && matches(words, pattern, cancels))
}

/// Is there any command that performs `verb`? ("fix" has none: an edit is its evidence.)
pub(crate) fn has_rule(verb: &str) -> bool {
    RULES.iter().any(|(verbs, _, _)| verbs.contains(&verb))
}

fn matches(words: &[&str], pattern: &[&str], cancels: &[&str]) -> bool {
    let Some((program, rest)) = words.split_first() else {
        return false;
    };
    let base = program.rsplit('/').next().unwrap_or(program);
    if base != pattern[0] && *program != pattern[0] {
        return false;
    }
    if rest.iter().any(|w| {
        cancels
            .iter()
            .any(|c| w == c || w.starts_with(&format!("{c}=")))
    }) {
        return false;
    }
    let mut at = 0;
    for want in &pattern[1..] {
        // Options may come before the words we look for ("git -C repo push"), unless the
        // option is itself what we look for ("nginx -s reload").
        loop {
            let Some(w) = rest.get(at) else {
                return false;
            };
            if w.starts_with('-') && !want.starts_with('-') {
                at += if takes_value(base, w) { 2 } else { 1 };
                continue;
            }
            break;
        }
        if *want != "*" && rest[at] != *want {
            return false;
        }
        at += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_that_perform_the_verb() {
        for (command, verb) in [
            ("git push origin main", "push"),
            ("cd repo && git push -u origin fix/bug", "push"),
            ("git -C /srv/app push --force-with-lease", "push"),
            ("gh pr merge 42 --squash", "merge"),
            ("git revert HEAD --no-edit", "revert"),
            ("git revert abc123", "roll back"),
            ("sudo systemctl restart nginx", "restart"),
            ("sudo -u www systemctl restart api", "relaunch"),
            ("docker compose -f prod.yml restart web", "restart"),
            ("kubectl -n prod rollout restart deploy/api", "restart"),
            ("kubectl rollout restart deploy/api", "redeploy"),
            ("pm2 reload ecosystem.config.js", "reload"),
            ("launchctl kickstart -k gui/501/com.me.agent", "restart"),
            ("nginx -s reload", "reload"),
            ("helm upgrade api ./chart -n prod", "deploy"),
            ("FLY_APP=x fly deploy --remote-only", "deploy"),
            ("terraform apply -auto-approve", "ship"),
            ("cargo publish -p instar-hooks", "publish"),
            ("npm publish --access public", "ship"),
            ("gh run rerun 123 --failed", "rerun"),
            ("timeout 600 cargo test --workspace", "rerun"),
            ("make -j8", "rebuild"),
            ("bash -c 'cd api && docker compose up -d'", "redeploy"),
            ("kubectl rollout undo deployment/api", "roll back"),
            ("git rebase origin/main", "rebase"),
            ("sudo reboot", "reboot"),
            ("git push heroku main", "deploy"),
        ] {
            assert!(
                performs(command, verb).is_some(),
                "{command} should perform {verb}"
            );
        }
    }

    #[test]
    fn commands_that_do_not() {
        for (command, verb) in [
            ("git push --dry-run origin main", "push"),
            ("git push -n", "push"),
            ("git status && git log", "push"),
            ("echo 'git push origin main'", "push"),
            ("git merge --abort", "merge"),
            ("git rebase --abort", "rebase"),
            ("systemctl status nginx", "restart"),
            ("kubectl apply --dry-run=client -f x.yaml", "deploy"),
            ("cargo publish --dry-run", "publish"),
            ("cargo build", "deploy"),
            ("grep -r 'systemctl restart' docs/", "restart"),
            ("npm test", "push"),
            ("gh pr view 42", "merge"),
            ("make -n", "rebuild"),
        ] {
            assert_eq!(
                performs(command, verb),
                None,
                "{command} should not perform {verb}"
            );
        }
    }

    #[test]
    fn the_evidence_is_the_simple_command_that_did_it() {
        assert_eq!(
            performs(
                "cd /srv && sudo FOO=1 git push origin main 2>&1 | tail -3",
                "push"
            )
            .as_deref(),
            Some("git push origin main")
        );
    }

    #[test]
    fn every_rule_names_known_verbs() {
        for (verbs, pattern, _) in RULES {
            assert!(!pattern.is_empty());
            for v in *verbs {
                assert!(crate::action_claim::lexicon::VERBS.contains(v), "{v}");
            }
        }
    }
}
