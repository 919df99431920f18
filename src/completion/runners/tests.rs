use super::*;
use crate::completion::CheckKind::{Build, Lint, Tests, Typecheck};

fn runner(line: &str) -> Option<Runner> {
    let words: Vec<&str> = line.split_whitespace().collect();
    classify(&words)
}

fn primary(line: &str) -> Option<CheckKind> {
    runner(line).and_then(|r| r.primary())
}

#[test]
fn commands_and_the_check_they_decide() {
    for (line, kind) in [
        ("cargo test --workspace", Tests),
        ("cargo +nightly t", Tests),
        ("cargo nextest run", Tests),
        ("cargo build --release", Build),
        ("cargo check", Build),
        ("cargo clippy --all-targets -- -D warnings", Lint),
        ("cargo fmt --check", Lint),
        ("go test -race ./...", Tests),
        ("go build ./...", Build),
        ("go vet ./...", Lint),
        ("golangci-lint run", Lint),
        ("pytest -x tests/", Tests),
        ("python -m pytest", Tests),
        ("uv run pytest -q", Tests),
        ("poetry run python -m unittest discover", Tests),
        ("python manage.py test", Tests),
        ("tox -e py312", Tests),
        ("npm test", Tests),
        ("npm run test:unit", Tests),
        ("pnpm test", Tests),
        ("yarn jest --ci", Tests),
        ("pnpm vitest run", Tests),
        ("npx jest", Tests),
        ("bunx vitest", Tests),
        ("bun test", Tests),
        ("bun run test", Tests),
        ("node --test", Tests),
        ("deno test -A", Tests),
        ("npx playwright test", Tests),
        ("mvn -q verify", Tests),
        ("./mvnw test", Tests),
        ("./gradlew test", Tests),
        ("gradle build", Build),
        ("dotnet test", Tests),
        ("dotnet build", Build),
        ("bundle exec rspec spec/models", Tests),
        ("bin/rails test", Tests),
        ("vendor/bin/phpunit", Tests),
        ("php artisan test", Tests),
        ("ctest --output-on-failure", Tests),
        ("make test", Tests),
        ("make check", Tests),
        ("make", Build),
        ("make -j8 all", Tests), // "all" is everything: decides nothing on its own
        ("just test", Tests),
        ("mise run test:ci", Tests),
        ("mise run lint", Lint),
        ("task build", Build),
        ("npm run build", Build),
        ("pnpm build", Build),
        ("vite build", Build),
        ("npx tsc --noEmit", Typecheck),
        ("vue-tsc --noEmit", Typecheck),
        ("npm run typecheck", Typecheck),
        ("pnpm run check-types", Typecheck),
        ("mypy src", Typecheck),
        ("pyright", Typecheck),
        ("npx eslint .", Lint),
        ("ruff check .", Lint),
        ("ruff format --check", Lint),
        ("npx prettier --check .", Lint),
        ("black --check src", Lint),
        ("shellcheck scripts/*.sh", Lint),
        ("rubocop", Lint),
        ("swift test", Tests),
        ("mix test", Tests),
        ("zig build test", Tests),
        ("docker compose exec api pytest", Tests),
        ("mise exec -- golangci-lint run", Lint),
        ("./scripts/test.sh", Tests),
        ("bash scripts/run_tests.sh", Tests),
        ("xcodebuild -scheme App test", Tests),
    ] {
        if line == "make -j8 all" {
            let r = runner(line).expect(line);
            assert!(r.decides.is_empty_set() && r.implies.has(Tests), "{line}");
            continue;
        }
        assert_eq!(primary(line), Some(kind), "{line}");
    }
}

#[test]
fn commands_that_are_not_checks() {
    for line in [
        "cargo fmt",
        "cargo test --help",
        "npm install",
        "npm run dev",
        "git push",
        "ls -la",
        "prettier --write .",
        "black src",
        "ruff format",
        "pytest --version",
        "echo cargo test",
        "grep -r test src",
        "mise install",
    ] {
        assert_eq!(primary(line), None, "{line}");
    }
    // `--no-run` compiles the tests without running them.
    assert_eq!(primary("cargo test --no-run"), Some(Build));
}

#[test]
fn a_test_run_implies_the_build_and_a_ci_task_implies_everything() {
    let r = runner("cargo test").unwrap();
    assert!(r.decides.has(Tests) && r.implies.has(Build) && !r.decides.has(Build));
    let r = runner("just ci").unwrap();
    assert!(r.decides.is_empty_set());
    for k in CheckKind::ALL {
        assert!(r.covers(k), "{k:?}");
    }
    let r = runner("./gradlew build").unwrap();
    assert!(r.decides.has(Build) && r.implies.has(Tests));
}

#[test]
fn filters_name_what_a_run_was_narrowed_to() {
    for (line, want) in [
        ("cargo test", &[][..]),
        ("cargo test --workspace --all-features", &[]),
        ("cargo test parser", &["parser"]),
        ("cargo test -p store -- --nocapture", &["store"]),
        ("go test ./...", &[]),
        (
            "go test ./pkg/auth/... -run TestLogin",
            &["./pkg/auth/...", "TestLogin"],
        ),
        (
            "pytest -q -k 'empty and not slow' tests/test_parser.py",
            &["empty and not slow", "tests/test_parser.py"],
        ),
        ("npm test -- parser", &["parser"]),
        ("npm run test:integration", &["integration"]),
        ("mise run test:ci", &[]),
        ("npx jest --testNamePattern=login", &["login"]),
        ("python -m unittest discover", &[]),
        ("mvn test -Dtest=ParserTest", &["ParserTest"]),
        ("cargo test --features x --test cli", &["cli"]),
    ] {
        let commands = crate::evidence::shell::command_list(line);
        let words: Vec<&str> = commands[0].words.iter().map(String::as_str).collect();
        let r = classify(&words).unwrap_or_else(|| panic!("{line}"));
        assert_eq!(filters(&words, &r), want, "{line}");
    }
}
