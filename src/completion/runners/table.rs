//! The programs we know, one arm each: which checks a command decides or implies, and which
//! summary formats to look for in its output.

use super::{Kinds, Runner};
use crate::completion::CheckKind::{Build, Lint, Tests, Typecheck};
use crate::completion::summary::Families as F;

const TESTS: Kinds = Kinds::of(Tests);
const BUILD: Kinds = Kinds::of(Build);
const LINT: Kinds = Kinds::of(Lint);
const TYPES: Kinds = Kinds::of(Typecheck);
/// What a passing test run, lint or typecheck of compiled code shows: it compiles.
const COMPILES: Kinds = Kinds::of(Build).with(Typecheck);

fn runner(decides: Kinds, implies: Kinds, families: F, base: usize) -> Option<Runner> {
    Some(Runner {
        decides,
        implies: implies.without(decides),
        families,
        base,
        wrapper: 0,
        task_suffix: None,
    })
}

/// `words` starts at the program (wrappers already skipped).
pub(super) fn classify(words: &[&str]) -> Option<Runner> {
    let first = *words.first()?;
    let program = first.rsplit('/').next().unwrap_or(first);
    let program = program.strip_suffix(".exe").unwrap_or(program);
    let has = |flag: &str| {
        words.iter().any(|w| {
            w.strip_prefix(flag)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('='))
        })
    };
    // The subcommand: the first word after the program that is not an option.
    let (sub_at, sub) = subcommand(words, program);
    let base = sub_at + 1;
    match (program, sub) {
        ("cargo", "test" | "t") if has("--no-run") => runner(BUILD, TYPES, F::CARGO, base),
        ("cargo", "test" | "t" | "llvm-cov" | "tarpaulin") => {
            runner(TESTS, COMPILES, F::CARGO, base)
        }
        ("cargo", "nextest") => {
            let base = if words.get(base) == Some(&"run") {
                base + 1
            } else {
                base
            };
            runner(TESTS, COMPILES, F::NEXTEST.or(F::CARGO), base)
        }
        ("cargo", "insta") if words.get(base) == Some(&"test") => {
            runner(TESTS, COMPILES, F::CARGO, base + 1)
        }
        ("cargo", "build" | "b" | "rustc") => runner(BUILD, TYPES, F::CARGO, base),
        ("cargo", "check" | "c") => runner(BUILD.with(Typecheck), Kinds::NONE, F::CARGO, base),
        ("cargo", "clippy") => runner(LINT, COMPILES, F::CARGO, base),
        ("cargo", "fmt") if has("--check") => runner(LINT, Kinds::NONE, F::RUSTFMT, base),
        ("cargo", "run" | "r" | "bench" | "doc") => runner(Kinds::NONE, COMPILES, F::CARGO, base),
        ("cargo", "make") => task(words, base, F::ANY),
        ("go", "test") => runner(TESTS, COMPILES, F::GO, base),
        ("go", "build" | "install") => runner(BUILD, TYPES, F::GO, base),
        ("go", "vet") => runner(LINT, COMPILES, F::GO, base),
        ("go", "run") => runner(Kinds::NONE, COMPILES, F::GO, base),
        ("gotestsum", _) => runner(TESTS, COMPILES, F::GO, 1),
        ("golangci-lint", _) => runner(
            LINT,
            Kinds::NONE,
            F::GOLANGCI,
            1 + usize::from(sub == "run"),
        ),
        (
            "staticcheck" | "revive" | "shellcheck" | "hadolint" | "yamllint" | "actionlint"
            | "markdownlint" | "markdownlint-cli2" | "ktlint" | "detekt" | "swiftlint"
            | "clang-tidy" | "pylint" | "pycodestyle" | "pyflakes" | "flake8" | "stylelint"
            | "oxlint" | "standardrb" | "phpstan" | "psalm" | "credo",
            _,
        ) => runner(LINT, Kinds::NONE, F::LINTERS, 1),
        ("eslint", _) => runner(LINT, Kinds::NONE, F::ESLINT, 1),
        ("next", "lint") => runner(LINT, Kinds::NONE, F::ESLINT, base),
        ("biome", "check" | "lint" | "ci") => runner(LINT, Kinds::NONE, F::LINTERS, base),
        ("rubocop", _) => runner(LINT, Kinds::NONE, F::RUBOCOP, 1),
        ("ruff", "format") if has("--check") => runner(LINT, Kinds::NONE, F::RUFF, base),
        ("ruff", "format" | "clean" | "server" | "version" | "rule") => None,
        ("ruff", _) => runner(LINT, Kinds::NONE, F::RUFF, 1 + usize::from(sub == "check")),
        ("prettier" | "black" | "rustfmt" | "clang-format", _)
            if has("--check") || has("-c") || has("--dry-run") =>
        {
            runner(LINT, Kinds::NONE, F::LINTERS, 1)
        }
        ("isort", _) if has("--check") || has("--check-only") || has("-c") => {
            runner(LINT, Kinds::NONE, F::LINTERS, 1)
        }
        ("gofmt", _) if has("-l") || has("-d") => runner(LINT, Kinds::NONE, F::LINTERS, 1),
        ("tsc" | "vue-tsc" | "tsgo", _) => runner(TYPES, BUILD, F::TSC, 1),
        ("mypy" | "dmypy", _) => runner(TYPES, Kinds::NONE, F::MYPY, 1),
        ("pyright" | "basedpyright", _) => runner(TYPES, Kinds::NONE, F::PYRIGHT, 1),
        ("pytest" | "py.test", _) => runner(TESTS, Kinds::NONE, F::PYTEST, 1),
        ("unittest", _) => runner(TESTS, Kinds::NONE, F::UNITTEST, 1),
        ("tox" | "nox", _) => runner(TESTS, Kinds::NONE, F::PYTEST.or(F::UNITTEST), 1),
        ("hatch", "test") => runner(TESTS, Kinds::NONE, F::PYTEST, base),
        ("python" | "python3", _)
            if matches!(words.get(1), Some(&("manage.py" | "./manage.py")))
                && words.get(2) == Some(&"test") =>
        {
            runner(TESTS, Kinds::NONE, F::UNITTEST.or(F::PYTEST), 3)
        }
        (
            "jest" | "vitest" | "mocha" | "ava" | "tap" | "jasmine" | "karma" | "react-scripts"
            | "ng" | "playwright" | "cypress" | "wdio" | "uvu" | "tape" | "c8" | "nyc",
            s,
        ) if !matches!(
            s,
            "build" | "serve" | "install" | "open" | "init" | "codegen"
        ) =>
        {
            let base = if matches!(s, "run" | "test" | "start") {
                base
            } else {
                1
            };
            runner(TESTS, Kinds::NONE, F::JS, base)
        }
        ("node" | "tsx", _) if has("--test") => runner(TESTS, Kinds::NONE, F::JS, 1),
        ("bun", "test") => runner(TESTS, Kinds::NONE, F::JS, base),
        ("deno", "test") => runner(TESTS, TYPES, F::DENO, base),
        ("deno", "check") => runner(TYPES, Kinds::NONE, F::TSC, base),
        ("deno", "lint") => runner(LINT, Kinds::NONE, F::LINTERS, base),
        ("deno", "task") => task(words, base, F::ANY),
        ("npm", "test" | "t" | "tst") | ("pnpm" | "yarn" | "bun", "test" | "t") => {
            runner(TESTS, Kinds::NONE, F::JS.or(F::TASKS), base)
        }
        ("npm" | "pnpm" | "yarn" | "bun", "run" | "run-script") => task(words, base, F::ANY),
        ("pnpm" | "yarn", _) if classify(&words[sub_at..]).is_some() => classify(&words[sub_at..])
            .map(|r| Runner {
                base: r.base + sub_at,
                ..r
            }),
        ("pnpm" | "yarn" | "bun", _) => task(words, sub_at, F::ANY),
        (
            "vite" | "next" | "nuxt" | "astro" | "parcel" | "svelte-kit" | "ng" | "react-scripts"
            | "vue-cli-service" | "remix",
            "build",
        ) => runner(BUILD, Kinds::NONE, F::JS_BUILD.or(F::TSC), base),
        ("webpack" | "rollup" | "esbuild" | "tsup" | "turbo", s) if s != "run" && s != "test" => {
            runner(BUILD, Kinds::NONE, F::JS_BUILD.or(F::TSC), 1)
        }
        ("turbo" | "nx" | "lerna", "run") => task(words, base, F::ANY),
        ("turbo" | "nx", _) => task(words, sub_at, F::ANY),
        ("mvn" | "mvnw", _) => maven(words),
        ("gradle" | "gradlew", _) => gradle(words),
        ("dotnet", "test") => runner(TESTS, COMPILES, F::DOTNET, base),
        ("dotnet", "build" | "publish") => runner(BUILD, TYPES, F::DOTNET, base),
        ("dotnet", "format") if has("--verify-no-changes") => {
            runner(LINT, Kinds::NONE, F::DOTNET, base)
        }
        ("rspec", _) => runner(TESTS, Kinds::NONE, F::RUBY, 1),
        ("rails" | "rake", "test" | "spec" | "test:system" | "test:all") => {
            runner(TESTS, Kinds::NONE, F::RUBY, base)
        }
        ("rake", _) => task(words, sub_at, F::ANY),
        ("phpunit" | "pest" | "paratest", _) => runner(TESTS, Kinds::NONE, F::PHP, 1),
        ("php", "artisan") if words.get(base) == Some(&"test") => {
            runner(TESTS, Kinds::NONE, F::PHP, base + 1)
        }
        ("composer", "test") => runner(TESTS, Kinds::NONE, F::PHP, base),
        ("composer", "run" | "run-script") => task(words, base, F::ANY),
        ("ctest", _) => runner(TESTS, Kinds::NONE, F::CTEST, 1),
        ("cmake", _) if has("--build") => runner(BUILD, TYPES, F::MAKE, 1),
        ("ninja", _) => runner(BUILD, TYPES, F::MAKE, 1),
        ("meson", "test") => runner(TESTS, Kinds::NONE, F::ANY, base),
        ("meson", "compile") => runner(BUILD, TYPES, F::MAKE, base),
        ("make" | "gmake", "") => runner(BUILD, TYPES, F::MAKE, sub_at.min(words.len())),
        ("make" | "gmake", "check") => runner(TESTS, COMPILES, F::ANY, base),
        ("make" | "gmake" | "just" | "task" | "invoke" | "poe", _) => task(words, sub_at, F::ANY),
        ("mise", "run" | "r") => task(words, base, F::ANY),
        ("mise", _) if !matches!(sub, "install" | "use" | "exec" | "x" | "ls" | "trust") => {
            task(words, sub_at, F::ANY)
        }
        ("swift", "test") => runner(TESTS, COMPILES, F::ANY, base),
        ("swift", "build") => runner(BUILD, TYPES, F::ANY, base),
        ("xcodebuild", _) if has("test") => runner(TESTS, COMPILES, F::ANY, 1),
        ("xcodebuild", _) => runner(BUILD, TYPES, F::ANY, 1),
        ("mix", "test") => runner(TESTS, COMPILES, F::ANY, base),
        ("mix", "compile") => runner(BUILD, Kinds::NONE, F::ANY, base),
        ("mix", "credo") => runner(LINT, Kinds::NONE, F::ANY, base),
        ("mix", "dialyzer") => runner(TYPES, Kinds::NONE, F::ANY, base),
        ("zig", "test") => runner(TESTS, COMPILES, F::ANY, base),
        ("zig", "build") if words.get(base) == Some(&"test") => {
            runner(TESTS, COMPILES, F::ANY, base + 1)
        }
        ("zig", "build") => runner(BUILD, TYPES, F::ANY, base),
        ("bazel" | "bazelisk", "test") => runner(TESTS, COMPILES, F::ANY, base),
        ("bazel" | "bazelisk", "build") => runner(BUILD, TYPES, F::ANY, base),
        ("nix", "build") => runner(BUILD, Kinds::NONE, F::ANY, base),
        ("docker" | "podman", "build") => runner(BUILD, Kinds::NONE, F::ANY, base),
        ("docker" | "podman", "buildx" | "compose") if words.get(base) == Some(&"build") => {
            runner(BUILD, Kinds::NONE, F::ANY, base + 1)
        }
        ("docker-compose", "build") => runner(BUILD, Kinds::NONE, F::ANY, base),
        ("bash" | "sh" | "zsh", _) if words.len() > 1 && !words[1].starts_with('-') => {
            classify(&words[1..]).map(|r| Runner {
                base: r.base + 1,
                ..r
            })
        }
        _ => script(program),
    }
}

/// The first word after the program that is not an option (skipping the values of options
/// that take one), and its index; `(words.len(), "")` when there is none.
fn subcommand<'w>(words: &[&'w str], program: &str) -> (usize, &'w str) {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w.starts_with('-') || w.starts_with('+') {
            let takes = matches!(
                *w,
                "-C" | "--prefix"
                    | "--dir"
                    | "-w"
                    | "--workspace"
                    | "--filter"
                    | "-F"
                    | "--cwd"
                    | "-f"
                    | "--file"
                    | "--manifest-path"
                    | "-p"
                    | "--project"
                    | "-Z"
            ) && !(program == "cargo" && *w == "-p");
            i += if takes { 2 } else { 1 };
            continue;
        }
        // `make VAR=1 test`
        if program.ends_with("make") && w.contains('=') {
            i += 1;
            continue;
        }
        return (i, w);
    }
    (words.len(), "")
}

/// A task of a task runner (`npm run test:unit`, `make lint`, `just ci`), named at `at`.
fn task(words: &[&str], at: usize, families: F) -> Option<Runner> {
    let name = *words.get(at)?;
    let lower_is = |prefixes: &[&str]| prefixes.iter().any(|p| name.eq_ignore_ascii_case(p));
    let head_len = name.find([':', '-', '_', '/']).unwrap_or(name.len());
    let head = &name[..head_len];
    let tail = &name[head_len..];
    let kind_of = |part: &str| -> Option<Kinds> {
        Some(match part.to_ascii_lowercase().as_str() {
            "test" | "tests" | "spec" | "specs" | "e2e" | "unit" | "integration" | "coverage"
            | "cov" | "jest" | "vitest" | "pytest" | "mocha" | "playwright" | "cypress" => TESTS,
            "lint" | "eslint" | "clippy" | "ruff" | "stylelint" | "style" | "golangci" => LINT,
            "typecheck" | "type" | "types" | "tsc" | "mypy" | "pyright" => TYPES,
            "build" | "compile" | "bundle" | "dist" => BUILD,
            "check" | "ci" | "verify" | "validate" | "all" | "precommit" | "pre" | "qa"
            | "quality" | "checks" => Kinds::EVERY,
            _ => return None,
        })
    };
    // "fmt:check", "format-check", "check-format", "check:types", "type-check".
    let checks_format = matches!(head, "fmt" | "format" | "prettier") && tail.contains("check");
    let mut kinds = if checks_format {
        LINT
    } else if lower_is(&[
        "check-types",
        "check:types",
        "checktypes",
        "type-check",
        "typecheck",
    ]) {
        TYPES
    } else if lower_is(&["check-format", "check:format", "check-fmt", "fmt-check"]) {
        LINT
    } else {
        kind_of(head)?
    };
    // `make check` is the tests (autotools); other runners' "check" is everything.
    let program = words[0].rsplit('/').next().unwrap_or(words[0]);
    if kinds == Kinds::EVERY && program.ends_with("make") && head == "check" {
        kinds = TESTS;
    }
    let (decides, implies) = if kinds == Kinds::EVERY {
        (Kinds::NONE, Kinds::EVERY)
    } else {
        let implies = if kinds == TESTS || kinds == LINT {
            COMPILES
        } else {
            Kinds::NONE
        };
        (kinds, implies)
    };
    let mut r = runner(decides, implies, families.or(F::TASKS), at + 1)?;
    r.task_suffix = (!tail.is_empty()).then_some(head_len);
    Some(r)
}

fn maven(words: &[&str]) -> Option<Runner> {
    let skips = words
        .iter()
        .any(|w| w.starts_with("-DskipTests") || w.starts_with("-Dmaven.test.skip=true"));
    let phases: Vec<&str> = words[1..]
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let tests = phases.iter().any(|p| {
        matches!(
            *p,
            "test" | "verify" | "install" | "package" | "integration-test" | "deploy"
        )
    });
    if tests && !skips {
        runner(TESTS, BUILD, F::MAVEN, 1 + phases.len())
    } else if phases
        .iter()
        .any(|p| matches!(*p, "compile" | "test-compile" | "package" | "install"))
    {
        runner(BUILD, Kinds::NONE, F::MAVEN, 1 + phases.len())
    } else {
        None
    }
}

fn gradle(words: &[&str]) -> Option<Runner> {
    let tasks: Vec<&str> = words[1..]
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .map(|w| w.rsplit(':').next().unwrap_or(w))
        .collect();
    let excluded = words
        .windows(2)
        .any(|p| p[0] == "-x" && p[1].ends_with("test"));
    let is = |f: fn(&str) -> bool| tasks.iter().any(|t| f(t));
    if is(|t| t == "test" || t == "check" || t.ends_with("Test") || t.ends_with("Tests")) {
        runner(TESTS, BUILD, F::GRADLE, words.len())
    } else if is(|t| {
        matches!(t, "build" | "assemble" | "jar" | "bootJar") || t.starts_with("compile")
    }) {
        let implies = if excluded { Kinds::NONE } else { TESTS };
        runner(BUILD, implies, F::GRADLE, words.len())
    } else if is(|t| {
        matches!(
            t,
            "lint" | "ktlintCheck" | "detekt" | "spotlessCheck" | "checkstyleMain"
        )
    }) {
        runner(LINT, Kinds::NONE, F::GRADLE, words.len())
    } else {
        None
    }
}

/// A project script named for what it runs: `./scripts/test.sh`, `bin/test`, `run_tests.py`.
fn script(program: &str) -> Option<Runner> {
    let stem = program.split('.').next().unwrap_or(program);
    let kinds = match stem {
        "test" | "tests" | "run-tests" | "run_tests" | "runtests" | "test-all" | "test_all"
        | "run-test" | "run_test" => TESTS,
        "lint" | "run-lint" | "run_lint" => LINT,
        "typecheck" | "type-check" => TYPES,
        "build" | "compile" => BUILD,
        _ => return None,
    };
    runner(kinds, Kinds::NONE, F::ANY.or(F::TASKS), 1)
}
