//! The words the completion grammar knows, matched on normalised words (ASCII lowercase,
//! straight apostrophes). One closed class per function, so a reviewer can read each class at
//! a glance; the grammar ([`super::checks`], [`super::actions`]) decides what they mean in
//! place.

use super::CheckKind;

/// Nouns (and tool names) that name a check: "tests", "the build", "lint", "clippy", "tsc".
/// "test" before "suite", "run", "cases" is a modifier: the grammar looks one word ahead.
#[rustfmt::skip]
pub(super) fn check_noun(w: &str) -> Option<CheckKind> {
    Some(match w {
        "test" | "tests" | "spec" | "specs" | "suite" | "suites" | "testsuite" | "test-suite"
        | "pytest" | "jest" | "vitest" | "mocha" | "rspec" | "phpunit" | "ctest" | "nextest"
        | "unittest" | "unittests" | "playwright" | "cypress" => CheckKind::Tests,
        "build" | "builds" | "compilation" | "compile" => CheckKind::Build,
        "lint" | "lints" | "linter" | "linters" | "linting" | "clippy" | "eslint" | "ruff"
        | "flake8" | "pylint" | "golangci-lint" | "rubocop" | "shellcheck" | "biome"
        | "stylelint" | "fmt" | "rustfmt" | "gofmt" | "prettier" | "formatting" | "vet"
        | "staticcheck" | "ktlint" | "swiftlint" | "clang-tidy" => CheckKind::Lint,
        "typecheck" | "typechecks" | "typechecking" | "type-check" | "type-checks"
        | "type-checking" | "typechecker" | "type-checker" | "tsc" | "mypy" | "pyright"
        | "vue-tsc" => CheckKind::Typecheck,
        // markdownlint, yamllint, golint, oxlint, actionlint …
        _ if w.len() > 5 && w.ends_with("lint") && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => {
            CheckKind::Lint
        }
        _ => return None,
    })
}

/// Second words that make a two-word check noun with the word before: "test suite",
/// "type check(s/ing)", "format check", "lint check", "build step".
#[rustfmt::skip]
pub(super) fn compound_second(first: &str, second: &str) -> Option<CheckKind> {
    match (first, second) {
        ("test" | "unit" | "integration" | "e2e", "suite" | "suites" | "run" | "runs" | "cases"
            | "case" | "files") => Some(CheckKind::Tests),
        ("type" | "types", "check" | "checks" | "checking" | "checker") => Some(CheckKind::Typecheck),
        ("format" | "fmt" | "lint" | "style" | "formatting", "check" | "checks") => {
            Some(CheckKind::Lint)
        }
        ("build" | "compile", "step" | "check") => Some(CheckKind::Build),
        _ => None,
    }
}

/// Actors whose results the assistant only relays: a failure or success next to them is
/// theirs ("CI is green", "the pipeline failed").
#[rustfmt::skip]
pub(super) fn is_actor(w: &str) -> bool {
    matches!(w,
        "ci" | "pipeline" | "pipelines" | "workflow" | "workflows" | "github" | "actions"
        | "jenkins" | "buildkite" | "circleci" | "travis" | "gitlab" | "bot" | "dependabot"
        | "renovate" | "reviewer" | "reviewers" | "user" | "checks" | "job" | "jobs" | "runner"
        | "upstream" | "remote" | "server" | "he" | "she" | "they're" | "someone" | "somebody")
}

/// CI systems: "CI tests pass" is CI's report, not the assistant's.
#[rustfmt::skip]
pub(super) fn is_ci(w: &str) -> bool {
    matches!(w,
        "ci" | "github" | "actions" | "jenkins" | "buildkite" | "circleci" | "travis" | "gitlab"
        | "pipeline" | "pipelines")
}

/// Modifiers that leave a check whole: "the full suite", "all cargo tests", "the test run".
#[rustfmt::skip]
pub(super) fn is_neutral_modifier(w: &str) -> bool {
    matches!(w,
        "full" | "whole" | "entire" | "complete" | "overall" | "test" | "automated" | "project"
        | "workspace" | "repo" | "cargo" | "pytest" | "jest" | "vitest" | "go" | "npm" | "unit-"
        | "local" | "release" | "debug" | "dev" | "production" | "prod" | "final" | "clean"
        | "fresh")
}

/// Determiners and quantifiers that may open a check's noun phrase.
#[rustfmt::skip]
pub(super) fn is_determiner(w: &str) -> bool {
    matches!(w,
        "all" | "every" | "each" | "both" | "the" | "our" | "my" | "its" | "your" | "this"
        | "these" | "those" | "of" | "that")
}

/// Quantifiers that make a report partial: "some tests pass", "most specs are green".
#[rustfmt::skip]
pub(super) fn is_partial_quantifier(w: &str) -> bool {
    matches!(w,
        "some" | "most" | "few" | "several" | "many" | "half" | "majority" | "certain" | "other"
        | "remaining" | "nearly" | "almost" | "mostly" | "partially" | "partly")
}

/// Words that end a noun phrase walking left: verbs, prepositions, conjunctions, pronouns,
/// adverbs. (Unknown words are read as nouns: "the parser tests", "auth specs".)
#[rustfmt::skip]
pub(super) fn ends_noun_phrase(w: &str) -> bool {
    is_preposition(w) || matches!(w,
        "and" | "or" | "but" | "so" | "then" | "now" | "also" | "still" | "again" | "just"
        | "i" | "we" | "you" | "it" | "they" | "he" | "she" | "that's" | "it's" | "which"
        | "who" | "where" | "when" | "while" | "if" | "once" | "because" | "since" | "as"
        | "is" | "are" | "was" | "were" | "be" | "been" | "being" | "am" | "has" | "have"
        | "had" | "do" | "does" | "did" | "will" | "would" | "should" | "could" | "can"
        | "may" | "might" | "must" | "ran" | "run" | "runs" | "running" | "reran" | "rerun"
        | "re-ran" | "executed" | "confirmed" | "verified" | "checked" | "made" | "make"
        | "makes" | "got" | "get" | "gets" | "keep" | "keeps" | "kept" | "see" | "saw"
        | "seen" | "ensure" | "ensured" | "added" | "wrote" | "fixed" | "updated" | "here"
        | "there" | "not" | "no" | "none" | "yes" | "ok" | "okay" | "done" | "great"
        | "perfect" | "excellent" | "good" | "nice" | "finally" | "let" | "let's" | "me"
        | "us" | "them" | "what" | "how" | "why" | "whether" | "until" | "unless")
}

#[rustfmt::skip]
pub(super) fn is_preposition(w: &str) -> bool {
    matches!(w,
        "in" | "on" | "for" | "with" | "without" | "after" | "before" | "by" | "from" | "to"
        | "into" | "onto" | "at" | "under" | "over" | "via" | "across" | "within" | "about"
        | "against" | "during" | "through" | "per" | "like" | "than" | "given")
}

/// Words that may stand between a check and its predicate: "tests *are all now* passing",
/// "lint *is still* clean", "the suite *continues to* pass".
#[rustfmt::skip]
pub(super) fn is_predicate_filler(w: &str) -> bool {
    matches!(w,
        "all" | "now" | "still" | "again" | "also" | "both" | "each" | "locally" | "are" | "is"
        | "was" | "were" | "do" | "does" | "did" | "have" | "has" | "been" | "fully"
        | "consistently" | "continue" | "continues" | "to" | "indeed" | "finally" | "once"
        | "successfully" | "cleanly" | "everything" | "they" | "it" | "them" | "of" | "and"
        | "come" | "came" | "comes" | "went" | "turned" | "back" | "ran" | "run" | "runs"
        | "remain" | "remains" | "stayed" | "stays" | "stay" | "completely" | "reliably"
        | "correctly" | "properly" | "reports" | "reported" | "shows" | "showed" | "gives"
        | "returns" | "returned" | "finds" | "found" | "with" | "produces" | "reporting"
        | "showing")
}

/// Marks that tick a check off ("✅ Lint", "tests ✓").
pub(super) const TICKS: [char; 5] = ['✅', '✓', '✔', '☑', '🟢'];

/// Success predicates, by the kind of check they fit.
pub(super) fn is_success(kind: CheckKind, w: &str) -> bool {
    match kind {
        CheckKind::Tests => passes(w),
        CheckKind::Build => passes(w) || build_succeeds(w),
        CheckKind::Lint | CheckKind::Typecheck => passes(w) || lint_is_clean(w),
    }
}

/// A success predicate of any check: [`is_success`] for some kind.
pub(super) fn is_any_success(w: &str) -> bool {
    passes(w) || build_succeeds(w) || lint_is_clean(w)
}

/// What every check's success is said with.
fn passes(w: &str) -> bool {
    matches!(
        w,
        "pass"
            | "passes"
            | "passed"
            | "passing"
            | "succeed"
            | "succeeds"
            | "succeeded"
            | "green"
            | "ok"
            | "okay"
            | "success"
    )
}

fn build_succeeds(w: &str) -> bool {
    matches!(
        w,
        "clean" | "successful" | "works" | "worked" | "fine" | "compiles" | "compiled"
    )
}

fn lint_is_clean(w: &str) -> bool {
    matches!(
        w,
        "clean" | "happy" | "quiet" | "silent" | "satisfied" | "successful" | "fine"
    )
}

/// A run that ended, said of a check: "`npm test` exited 0".
pub(super) fn is_exit_verb(w: &str) -> bool {
    matches!(w, "exits" | "exited")
}

/// A run that went through, said of a check: "the build completes without errors".
pub(super) fn is_run_through_verb(w: &str) -> bool {
    matches!(
        w,
        "completes" | "completed" | "finishes" | "finished" | "runs" | "ran"
    )
}

/// Nouns counted in a clean report: "0 issues", "no warnings", "zero errors".
#[rustfmt::skip]
pub(super) fn is_issue_noun(w: &str) -> bool {
    matches!(w,
        "issue" | "issues" | "warning" | "warnings" | "error" | "errors" | "problem" | "problems"
        | "complaint" | "complaints" | "finding" | "findings" | "diagnostic" | "diagnostics"
        | "offense" | "offenses" | "offences" | "lints" | "failure" | "failures" | "violations")
}

/// "no", "0", "zero": before an issue noun, a clean report.
pub(super) fn is_zero(w: &str) -> bool {
    matches!(w, "no" | "0" | "zero" | "none")
}

/// Words a failure report is made of ("2 tests fail", "the build is broken").
#[rustfmt::skip]
pub(super) fn is_failure_word(w: &str) -> bool {
    matches!(w,
        "fail" | "fails" | "failed" | "failing" | "failure" | "failures" | "broken" | "breaks"
        | "broke" | "flaky" | "flakes" | "flake" | "panics" | "panicked" | "crashes" | "crashed"
        | "regressed" | "errored" | "rejected" | "denied")
}

/// Right before a failure word, these say the failure is gone or is not one: "no failures",
/// "previously failing", "the failing test (now passes)", "no longer fails".
#[rustfmt::skip]
pub(super) fn resolves_failure(w: &str) -> bool {
    is_zero(w) || matches!(w,
        "without" | "longer" | "previously" | "formerly" | "fixed" | "fix" | "fixes" | "fixing"
        | "used" | "originally" | "initially" | "earlier" | "resolved" | "the" | "never")
}

/// Hedges: the speaker is not asserting ("should pass now", "I think it compiles").
#[rustfmt::skip]
pub(super) fn is_hedge(w: &str) -> bool {
    matches!(w,
        "should" | "would" | "could" | "might" | "may" | "probably" | "likely" | "hopefully"
        | "presumably" | "supposedly" | "seem" | "seems" | "seemed" | "appear" | "appears"
        | "appeared" | "think" | "believe" | "guess" | "suspect" | "expect" | "expected"
        | "expecting" | "assume" | "ought" | "theoretically" | "ideally" | "maybe" | "perhaps"
        | "possibly" | "apparently" | "shouldn't" | "wouldn't" | "unlikely" | "hope" | "i'd"
        | "must" | "needs" | "need" | "supposed" | "looks" | "look" | "sounds" | "might've"
        | "should've" | "would've" | "could've")
}

/// Plans, intentions and instructions: the claim has not been made yet ("I'll run the tests
/// and make sure they pass", "to get the build green", "let me verify").
#[rustfmt::skip]
pub(super) fn is_plan(w: &str) -> bool {
    matches!(w,
        "i'll" | "ill" | "we'll" | "will" | "let" | "let's" | "lets" | "going" | "gonna"
        | "want" | "wants" | "try" | "trying" | "plan" | "planning" | "ensure" | "ensuring"
        | "verify" | "verifying" | "confirm" | "confirming" | "check" | "checking" | "make"
        | "making" | "get" | "getting" | "keep" | "keeping" | "until" | "goal" | "aim"
        | "wait" | "waiting" | "can" | "can't" | "cannot" | "won't" | "run" | "rerun"
        | "re-run" | "please" | "required" | "requires" | "require" | "intend" | "whether"
        | "able" | "see" | "about" | "shall" | "tbd" | "todo" | "you'll" | "u'll" | "lemme")
}

/// Conditions: "if", "unless", "assuming", "as long as", "once" (before a present tense).
#[rustfmt::skip]
pub(super) fn is_condition(w: &str) -> bool {
    matches!(w,
        "if" | "unless" | "assuming" | "provided" | "providing" | "whenever" | "lest"
        | "otherwise" | "iff")
}

/// Reporting verbs: what follows is someone else's report ("CI says the build passed").
#[rustfmt::skip]
pub(super) fn is_reporting(w: &str) -> bool {
    matches!(w,
        "says" | "said" | "say" | "reports" | "reported" | "shows" | "showed" | "shown"
        | "indicates" | "indicated" | "claims" | "claimed" | "mentions" | "mentioned"
        | "states" | "stated" | "notes" | "noted" | "told" | "tells" | "suggests" | "suggested"
        | "according" | "per" | "confirms" | "insists" | "displays" | "displayed" | "printed"
        | "prints" | "output" | "outputs" | "logged" | "logs")
}

/// The past of another time or place: "previously", "on main", "before my change".
#[rustfmt::skip]
pub(super) fn is_narrative(w: &str) -> bool {
    matches!(w,
        "previously" | "originally" | "initially" | "formerly" | "earlier" | "yesterday"
        | "prior" | "baseline" | "main" | "master" | "historically" | "before"
        | "pre-change" | "last")
}

/// Habits and automation: "the job redeploys automatically", "every night we rebuild".
#[rustfmt::skip]
pub(super) fn is_habit(w: &str) -> bool {
    matches!(w,
        "automatically" | "every" | "each" | "always" | "whenever" | "usually" | "typically"
        | "normally" | "nightly" | "periodically" | "regularly" | "sometimes" | "often")
}

/// Partial reports: "all tests pass except the flaky one", "all but two pass".
#[rustfmt::skip]
pub(super) fn is_partial(w: &str) -> bool {
    matches!(w,
        "except" | "excepting" | "excluding" | "apart" | "aside" | "besides" | "barring"
        | "save" | "minus" | "exception" | "almost" | "nearly" | "mostly" | "partially"
        | "partly" | "majority" | "skipping")
}

/// Second person: instructions and the user's own results ("you'll see the tests pass").
pub(super) fn is_second_person(w: &str) -> bool {
    matches!(w, "you" | "you'll" | "you're" | "you've" | "you'd" | "u")
}

/// Number words up to twenty, for "all twelve tests pass" and "9 of 11".
#[rustfmt::skip]
pub(super) fn number(w: &str) -> Option<u64> {
    if !w.is_empty() && w.len() <= 9 && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok();
    }
    let n = match w {
        "zero" => 0, "one" => 1, "two" => 2, "three" => 3, "four" => 4, "five" => 5,
        "six" => 6, "seven" => 7, "eight" => 8, "nine" => 9, "ten" => 10, "eleven" => 11,
        "twelve" => 12, "thirteen" => 13, "fourteen" => 14, "fifteen" => 15, "sixteen" => 16,
        "seventeen" => 17, "eighteen" => 18, "nineteen" => 19, "twenty" => 20,
        _ => return None,
    };
    Some(n)
}

/// "42/42" -> (42, 42).
pub(super) fn ratio(w: &str) -> Option<(u64, u64)> {
    let (a, b) = w.split_once('/')?;
    Some((number(a)?, number(b)?))
}

/// Subjects that may compile or build ("it compiles", "everything builds cleanly").
#[rustfmt::skip]
pub(super) fn is_buildable(w: &str) -> bool {
    matches!(w,
        "it" | "everything" | "code" | "project" | "crate" | "crates" | "workspace" | "app"
        | "binary" | "binaries" | "package" | "packages" | "module" | "modules" | "library"
        | "lib" | "frontend" | "backend" | "cli" | "tool" | "this" | "all" | "target"
        | "targets" | "extension" | "plugin" | "service" | "site" | "docs" | "image"
        | "program" | "change" | "changes" | "branch" | "pr" | "patch" | "fix" | "tree"
        | "solution" | "now" | "still" | "also" | "again")
}

/// Adverbs after "compiles"/"builds" that keep it a report about the build.
#[rustfmt::skip]
pub(super) fn is_build_adverb(w: &str) -> bool {
    matches!(w,
        "cleanly" | "clean" | "successfully" | "fine" | "ok" | "okay" | "now" | "again"
        | "correctly" | "properly" | "too" | "locally" | "without" | "green" | "great"
        | "perfectly" | "here" | "as" | "and" | "on" | "for" | "under" | "in" | "with" | "to")
}
