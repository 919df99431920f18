//! Heads: the words a claim or a failure report is about. A check ("tests", "the build",
//! "clippy", `cargo test`, `test_parse_empty`), an action verb in any form ("pushed", "the
//! push"), or an actor whose results are relayed ("CI", "the pipeline").

use super::context::{Reader, Unit};
use super::words::{check_noun, compound_second, is_actor, is_any_success, is_failure_word};
use super::{CheckKind, Scope, runners};
use crate::action_claim::lexicon;
use crate::evidence::shell;
use crate::prose::scan::Tok;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum HeadKind {
    Check(CheckKind),
    Action(&'static str),
    Actor,
}

#[derive(Clone, Debug)]
pub(super) struct Head {
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) kind: HeadKind,
    /// A head that names its own scope: a command with arguments, a test by name.
    pub(super) scope: Option<Scope>,
    /// "the test passes": one test, a subset unless "every" or "each" says otherwise.
    pub(super) singular: bool,
}

/// Words that begin a command written in prose ("cargo test passes", "npm run lint is clean").
fn starts_command(w: &str) -> bool {
    matches!(
        w,
        "cargo"
            | "go"
            | "npm"
            | "pnpm"
            | "yarn"
            | "bun"
            | "deno"
            | "make"
            | "just"
            | "mise"
            | "dotnet"
            | "mvn"
            | "gradle"
            | "gradlew"
            | "swift"
            | "mix"
            | "uv"
            | "poetry"
            | "npx"
            | "python"
            | "python3"
            | "ruff"
            | "golangci-lint"
            | "bazel"
            | "zig"
            | "rake"
    )
}

/// Objects that make a check noun a verb ("test the parser", "build it", "lint the code").
fn starts_object(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "it"
            | "this"
            | "that"
            | "these"
            | "those"
            | "them"
            | "your"
            | "our"
            | "my"
            | "everything"
    )
}

pub(super) fn find(r: &Reader, u: &Unit) -> Vec<Head> {
    let mut out = Vec::new();
    let end = u.tokens.end;
    let mut k = u.tokens.start;
    while k < end {
        let head = match r.kind(k) {
            Some(Tok::Opaque) => code_head(r, k),
            Some(Tok::Word) => word_head(r, u, k, &mut out),
            _ => None,
        };
        match head {
            Some(h) => {
                k = h.last + 1;
                out.push(h);
            }
            None => k += 1,
        }
    }
    out
}

fn word_head(r: &Reader, u: &Unit, k: usize, out: &mut Vec<Head>) -> Option<Head> {
    let w = r.word(k);
    let next = if k + 1 < u.tokens.end && r.is_word(k + 1) {
        r.word(k + 1)
    } else {
        ""
    };
    let prev = if k > u.tokens.start {
        r.word(k - 1)
    } else {
        ""
    };
    let head = |last, kind, scope, singular| Head {
        first: k,
        last,
        kind,
        scope,
        singular,
    };
    // Plain lowercase words, most of any message, are neither test names nor lists.
    let plain = r
        .raw(k)
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'\'');
    // "clippy's happy", "the build's green": the check, with "is" run into it.
    if let Some(stem) = w.strip_suffix("'s")
        && let Some(kind) = check_noun(stem)
    {
        return Some(head(
            k,
            HeadKind::Check(kind),
            None,
            matches!(stem, "test" | "spec"),
        ));
    }
    if let Some(kind) = compound_second(w, next) {
        return Some(head(k + 1, HeadKind::Check(kind), None, false));
    }
    if starts_command(w)
        && let Some((kind, len)) = prose_command(r, u, k)
    {
        return Some(head(k + len - 1, HeadKind::Check(kind), None, false));
    }
    if let Some(kind) = check_noun(w) {
        // A verb, not a noun: "test the parser", "to build", "let me lint it", "it builds".
        let verb_use = starts_object(next)
            || matches!(
                prev,
                "to" | "will" | "i'll" | "we'll" | "me" | "let's" | "can" | "i" | "we"
            )
            || (matches!(w, "builds" | "compile") && !matches!(prev, "the" | "all" | "both"));
        if verb_use {
            return None;
        }
        return Some(head(
            k,
            HeadKind::Check(kind),
            None,
            matches!(w, "test" | "spec"),
        ));
    }
    if !plain && w.contains('/') {
        // "lint/fmt/tests": one head per part, on the same token.
        let kinds: Vec<CheckKind> = w.split('/').filter_map(check_noun).collect();
        if kinds.len() >= 2 && kinds.len() == w.split('/').count() {
            let (last, rest) = kinds.split_last().expect("two at least");
            for kind in rest {
                out.push(head(k, HeadKind::Check(*kind), None, false));
            }
            return Some(head(k, HeadKind::Check(*last), None, false));
        }
    }
    let raw = r.raw(k);
    let shaped = !plain && (raw.starts_with("Test") || raw.contains(['_', '/', '.', ':']));
    if shaped && names_a_test(raw) {
        let what = r.raw(k).to_string();
        return Some(head(
            k,
            HeadKind::Check(CheckKind::Tests),
            Some(Scope::Subset { what }),
            true,
        ));
    }
    if is_actor(w) {
        return Some(head(k, HeadKind::Actor, None, false));
    }
    lexicon::verb(w).map(|(verb, _)| head(k, HeadKind::Action(verb), None, false))
}

/// "cargo test", "npm run lint", "go vet": the longest run of words (up to three) that is a
/// whole check command with no arguments.
fn prose_command(r: &Reader, u: &Unit, k: usize) -> Option<(CheckKind, usize)> {
    let mut words: [&str; 3] = [""; 3];
    let mut n = 0;
    // The command ends where what is said of it begins: "gradle build passes" is `gradle
    // build` and its predicate (gradle would take "passes" as one more task).
    let predicate = |w: &str| is_any_success(w) || is_failure_word(w);
    while n < 3 && k + n < u.tokens.end && r.is_word(k + n) && !(n > 0 && predicate(r.word(k + n)))
    {
        words[n] = r.word(k + n);
        n += 1;
    }
    (2..=n).rev().find_map(|len| {
        let runner = runners::classify(&words[..len])?;
        (runner.wrapper + runner.base == len)
            .then(|| runner.primary())
            .flatten()
            .map(|kind| (kind, len))
    })
}

/// An inline code span that is a check command (`cargo test`, `npm run lint`) or a test's
/// name or file (`test_parse_empty`, `tests/parser.rs`).
fn code_head(r: &Reader, k: usize) -> Option<Head> {
    let raw = r.raw(k);
    if !raw.starts_with('`') {
        return None;
    }
    let content = raw.trim_matches('`').trim();
    let content = content.strip_prefix("$ ").unwrap_or(content);
    if content.is_empty() || content.len() > 400 {
        return None;
    }
    let head = |kind, scope, singular| Head {
        first: k,
        last: k,
        kind: HeadKind::Check(kind),
        scope: Some(scope),
        singular,
    };
    let commands = shell::command_list(content);
    let found = commands.iter().rev().find_map(|c| {
        let words: Vec<&str> = c.words.iter().map(String::as_str).collect();
        let runner = runners::classify(&words)?;
        let kind = runner.primary()?;
        let narrowed = kind == CheckKind::Tests && !runners::filters(&words, &runner).is_empty();
        Some((kind, narrowed))
    });
    if let Some((kind, narrowed)) = found {
        let scope = if narrowed {
            Scope::Subset {
                what: content.to_string(),
            }
        } else {
            Scope::All
        };
        return Some(head(kind, scope, false));
    }
    (commands.len() <= 1 && !content.contains(' ') && names_a_test(content)).then(|| {
        head(
            CheckKind::Tests,
            Scope::Subset {
                what: content.to_string(),
            },
            true,
        )
    })
}

/// A test's name or file: `test_parse_empty`, `TestParseConfig`, `parser_test.go`,
/// `tests/parser.rs`, `auth.spec.ts`, `parser::tests::empty`.
fn names_a_test(s: &str) -> bool {
    let lower_has = |needle: &str| super::summary::find_ignore_case(s, needle).is_some();
    if s.len() < 5 || s.len() > 200 || !(lower_has("test") || lower_has("spec")) {
        return false;
    }
    let identifier = s.contains('_') || s.contains("::") || s.contains('/') || s.contains('.');
    let camel = s.starts_with("Test") && s[4..].starts_with(|c: char| c.is_ascii_uppercase());
    let plain = matches!(
        s.to_ascii_lowercase().as_str(),
        "tests" | "test-suite" | "testsuite" | "unittest" | "unittests" | "pytest" | "specs"
    );
    (identifier || camel) && !plain && !s.starts_with("http")
}
