//! What a simple command runs, as far as checks go: `cargo test` decides the tests (and, when
//! it succeeds, shows the code compiles), `npm run lint` decides lint, `make check` the tests,
//! `just ci` implies everything and decides nothing on its own. Commands come split by
//! [`crate::evidence::shell`]; wrappers that do not change what runs (`npx`, `uv run`,
//! `bundle exec`, `python -m`, `docker compose exec svc`) are looked through.

use super::CheckKind;
use super::summary::Families;

mod table;

/// A set of check kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Kinds(u8);

impl Kinds {
    pub(crate) const NONE: Kinds = Kinds(0);
    pub(crate) const EVERY: Kinds = Kinds(0b1111);

    pub(crate) const fn of(kind: CheckKind) -> Kinds {
        Kinds(1 << kind as u8)
    }

    pub(crate) const fn with(self, kind: CheckKind) -> Kinds {
        Kinds(self.0 | Self::of(kind).0)
    }

    pub(crate) const fn has(self, kind: CheckKind) -> bool {
        self.0 & Self::of(kind).0 != 0
    }

    pub(crate) const fn without(self, other: Kinds) -> Kinds {
        Kinds(self.0 & !other.0)
    }

    #[cfg(test)]
    pub(crate) const fn is_empty_set(self) -> bool {
        self.0 == 0
    }
}

/// What a recognised command is, as a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Runner {
    /// Checks this command is: its failure is theirs ("cargo test" for the tests).
    pub(crate) decides: Kinds,
    /// Checks its success implies, whose failure only the output can show ("cargo test"
    /// compiles the code; "just ci" runs everything).
    pub(crate) implies: Kinds,
    /// Summary formats its output may hold.
    pub(crate) families: Families,
    /// Words (after any wrapper) naming the program and its subcommand or task; the rest are
    /// arguments.
    pub(crate) base: usize,
    /// Words of a wrapper before the program (`npx`, `uv run`).
    pub(crate) wrapper: usize,
    /// For tasks ("test:integration"), where the narrowing part of the task name starts.
    pub(crate) task_suffix: Option<usize>,
}

impl Runner {
    /// The one kind a mention of this command is about ("`cargo check` passes" is about the
    /// build), if there is one.
    pub(crate) fn primary(&self) -> Option<CheckKind> {
        [
            CheckKind::Tests,
            CheckKind::Lint,
            CheckKind::Build,
            CheckKind::Typecheck,
        ]
        .into_iter()
        .find(|&k| self.decides.has(k))
    }

    pub(crate) fn covers(&self, kind: CheckKind) -> bool {
        self.decides.has(kind) || self.implies.has(kind)
    }
}

/// What the simple command `words` runs, if it is a check.
pub(crate) fn classify(words: &[&str]) -> Option<Runner> {
    if words.is_empty()
        || words
            .iter()
            .any(|w| matches!(*w, "--help" | "-h" | "--version"))
    {
        return None;
    }
    let skip = wrapper_len(words);
    let mut runner = table::classify(&words[skip..])?;
    runner.wrapper = skip;
    Some(runner)
}

/// The arguments that narrow a test run: "parser" in `cargo test parser`, "./pkg/auth/..." in
/// `go test ./pkg/auth/...`, "integration" in `npm run test:integration`, the value of
/// `-k`, `-run`, `-p`, `--testNamePattern`. Empty when the run is the whole suite.
pub(crate) fn filters<'w>(words: &[&'w str], runner: &Runner) -> Vec<&'w str> {
    let mut out = Vec::new();
    let first = runner.wrapper + runner.base;
    if let Some(at) = runner.task_suffix
        && let Some(task) = words.get(first - 1)
    {
        out.extend(
            task[at..]
                .split([':', '-', '_', '/'])
                .filter(|p| !p.is_empty() && !is_neutral_task_part(p)),
        );
    }
    let mut i = first;
    while let Some(w) = words.get(i) {
        i += 1;
        if *w == "--" {
            continue;
        }
        if let Some(opt) = w.strip_prefix('-') {
            let (name, inline) = match opt.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (opt, None),
            };
            if selects(name) {
                match inline {
                    Some(v) => out.push(v),
                    None => {
                        if let Some(v) = words.get(i) {
                            out.push(v);
                            i += 1;
                        }
                    }
                }
            } else if takes_value(name) && inline.is_none() {
                i += 1;
            }
            continue;
        }
        if !matches!(
            *w,
            "./..." | "." | "./" | "all" | "..." | "test" | "tests" | "discover"
        ) {
            out.push(w);
        }
    }
    out
}

/// Options whose value narrows the run to some tests.
#[rustfmt::skip]
fn selects(name: &str) -> bool {
    matches!(name,
        "k" | "run" | "-run" | "p" | "-package" | "t" | "-testNamePattern" | "-grep" | "g"
        | "-filter" | "-test" | "-tests" | "-spec" | "-testPathPattern" | "m" | "-only"
        | "-project" | "-match" | "-exact" | "-include" | "Dtest" | "-bin" | "-example")
}

/// Options that take a value which is not a test selection (`-j 8`, `--features x`).
#[rustfmt::skip]
fn takes_value(name: &str) -> bool {
    matches!(name,
        "j" | "-jobs" | "-features" | "F" | "-target" | "-manifest-path" | "-timeout"
        | "timeout" | "count" | "-count" | "C" | "-config" | "c" | "-reporter" | "-workers"
        | "n" | "-maxfail" | "-profile" | "-color" | "-tags" | "tags" | "parallel" | "-parallel"
        | "-rootdir" | "-prefix" | "-dir" | "w" | "-workspace" | "-cwd" | "-format"
        | "-message-format" | "-test-threads" | "-cov" | "-junitxml" | "o" | "-output")
}

/// Parts of a task name that do not narrow it: "test:ci", "test-all", "lint:fix".
#[rustfmt::skip]
fn is_neutral_task_part(p: &str) -> bool {
    matches!(p,
        "ci" | "all" | "watch" | "run" | "local" | "cov" | "coverage" | "verbose" | "fast"
        | "quick" | "once" | "headless" | "debug" | "fix" | "check" | "full" | "dev" | "only")
}

/// How many words at the front are a wrapper that runs the rest unchanged.
fn wrapper_len(words: &[&str]) -> usize {
    let mut i = 0;
    // Wrappers nest ("uv run python -m pytest"); a few rounds suffice.
    for _ in 0..4 {
        let Some(first) = words.get(i) else { break };
        let program = first.rsplit('/').next().unwrap_or(first);
        let next = words.get(i + 1).copied().unwrap_or("");
        let step = match program {
            "npx" | "pnpx" | "bunx" | "xvfb-run" | "cross-env" => {
                let mut j = i + 1;
                while words.get(j).is_some_and(|w| {
                    w.starts_with('-') || (program == "cross-env" && w.contains('='))
                }) {
                    j += 1;
                }
                j - i
            }
            "uv" | "poetry" | "pipenv" | "pdm" | "hatch" | "rye" | "pixi" if next == "run" => 2,
            // `mise exec -- tool`, `mise x node@20 -- npm test`, `rtx exec …`.
            "mise" | "rtx" if matches!(next, "exec" | "x") => words[i..]
                .iter()
                .position(|w| *w == "--")
                .map_or(2, |p| p + 1),
            "bundle" | "pnpm" | "npm" | "yarn" if next == "exec" => 2,
            "python" | "python3" | "py" | "python3.11" | "python3.12" | "python3.13"
                if next == "-m" =>
            {
                2
            }
            "dotenv" => words[i..]
                .iter()
                .position(|w| *w == "--")
                .map_or(1, |p| p + 1),
            "docker" | "podman" if matches!(next, "exec" | "run") => {
                container_exec_len(&words[i..], 2)
            }
            "docker" | "podman"
                if next == "compose"
                    && matches!(words.get(i + 2).copied(), Some("exec" | "run")) =>
            {
                container_exec_len(&words[i..], 3)
            }
            "docker-compose" if matches!(next, "exec" | "run") => {
                container_exec_len(&words[i..], 2)
            }
            _ => 0,
        };
        if step == 0 || i + step >= words.len() {
            break;
        }
        i += step;
    }
    i
}

/// `docker compose exec [options] service` + command: the words before the command.
fn container_exec_len(words: &[&str], from: usize) -> usize {
    let mut j = from;
    while let Some(w) = words.get(j).filter(|w| w.starts_with('-')) {
        j += 1;
        if matches!(
            *w,
            "-e" | "-w" | "-u" | "--env" | "--workdir" | "--user" | "--name" | "-v"
        ) {
            j += 1;
        }
    }
    j + 1
}

#[cfg(test)]
mod tests;
