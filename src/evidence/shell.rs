//! Shell-style splitting of a Bash tool call's command line into the simple commands that
//! run: `&&`, `||`, `;`, `|`, newlines and quotes separate them, redirections are dropped,
//! and prefixes that do not change what runs (`sudo`, `env FOO=1`, `time`, `timeout 30`) are
//! skipped; `bash -c "…"` is looked into.

/// Splits a command line into simple commands (word lists), shell-style, dropping prefixes
/// that do not change what runs. `depth` bounds `bash -c` recursion.
pub(super) fn simple_commands(line: &str, depth: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let finish = |words: &mut Vec<String>, out: &mut Vec<Vec<String>>| {
        let cmd = strip_prefixes(drop_redirections(std::mem::take(words)));
        if cmd.is_empty() {
            return;
        }
        if depth < 3
            && let Some(script) = shell_script(&cmd)
        {
            out.extend(simple_commands(script, depth + 1));
            return;
        }
        out.push(cmd);
    };
    lex(line, |event| match event {
        Lexed::Word(w) => words.push(w),
        Lexed::Op(_) => finish(&mut words, &mut out),
    });
    finish(&mut words, &mut out);
    out
}

/// The script of `bash -c "…"` (or `sh`, `zsh`, `dash`, `-lc`).
fn shell_script(cmd: &[String]) -> Option<&str> {
    let is_shell = matches!(
        cmd[0].rsplit('/').next(),
        Some("bash" | "sh" | "zsh" | "dash")
    );
    let i = cmd.iter().position(|w| w == "-c" || w == "-lc")?;
    is_shell.then(|| cmd.get(i + 1).map(String::as_str))?
}

/// What stands between two simple commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
    /// `|` or `|&`
    Pipe,
    /// A single `&`: what comes before it runs in the background.
    Background,
    /// `(`, `$(` or an opening backtick.
    Open,
    /// `)` or a closing backtick.
    Close,
}

/// One simple command of a command line, with the operators around it, for a reader that
/// must know which command's exit status is the line's (the last one of a list, unless a
/// pipe, `;` or `||` comes after it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Command {
    /// Words as [`simple_commands`] gives them (prefixes and redirections dropped).
    pub(crate) words: Vec<String>,
    /// The operator before it at its own nesting level (`None` for the first).
    pub(crate) before: Option<Op>,
    /// The operator after it at its own nesting level (`None` for the last).
    pub(crate) after: Option<Op>,
    /// Inside `( )`, `$( )`, backticks or a `bash -c` script: its status is not the line's.
    pub(crate) nested: bool,
}

/// Splits a command line into its simple commands and the operators between them. A command
/// substitution inside a command's arguments (`cd $(git rev-parse --show-toplevel) && …`)
/// becomes nested commands of its own, and the outer command goes on after it.
pub(crate) fn command_list(line: &str) -> Vec<Command> {
    commands_at(line, 0)
}

/// `depth` bounds `bash -c` recursion, as in [`simple_commands`].
fn commands_at(line: &str, depth: usize) -> Vec<Command> {
    let mut levels: Vec<Level> = vec![Level::default()];
    let mut out = Vec::new();
    lex(line, |event| match event {
        Lexed::Word(w) => levels.last_mut().expect("a level").words.push(w),
        Lexed::Op(Op::Open) => levels.push(Level::default()),
        Lexed::Op(Op::Close) => {
            // A stray `)` at the top level is ignored, as a shell would reject the line.
            if levels.len() > 1 {
                let mut level = levels.pop().expect("a level");
                level.end_command(None, true, depth, &mut out);
            }
        }
        Lexed::Op(op) => {
            let nested = levels.len() > 1;
            let level = levels.last_mut().expect("a level");
            level.end_command(Some(op), nested, depth, &mut out);
        }
    });
    while let Some(mut level) = levels.pop() {
        let nested = !levels.is_empty();
        level.end_command(None, nested, depth, &mut out);
    }
    out
}

/// The command being read at one nesting level.
#[derive(Default)]
struct Level {
    words: Vec<String>,
    before: Option<Op>,
}

impl Level {
    fn end_command(
        &mut self,
        after: Option<Op>,
        nested: bool,
        depth: usize,
        out: &mut Vec<Command>,
    ) {
        let words = strip_prefixes(drop_redirections(std::mem::take(&mut self.words)));
        if words.is_empty() {
            // `a &&` + newline + `b`: the newline continues the list; `b` still follows `&&`.
            if self.before.is_none() {
                self.before = after.filter(|_| !out.is_empty());
            }
            return;
        }
        if depth < 3
            && let Some(script) = shell_script(&words)
        {
            out.extend(
                commands_at(script, depth + 1)
                    .into_iter()
                    .map(|inner| Command {
                        nested: true,
                        ..inner
                    }),
            );
        } else {
            out.push(Command {
                words,
                before: self.before,
                after,
                nested,
            });
        }
        self.before = after;
    }
}

/// What the lexer sees: a word, or an operator that ends a simple command.
enum Lexed {
    Word(String),
    Op(Op),
}

/// Shell-style lexing of a command line: quotes and backslashes, redirections kept inside
/// their words (`2>&1`), and the operators that end a simple command.
fn lex(line: &str, mut emit: impl FnMut(Lexed)) {
    let mut word = String::new();
    let mut in_word = false;
    let mut backticks = false;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut String, in_word: &mut bool, emit: &mut dyn FnMut(Lexed)| {
        if *in_word {
            emit(Lexed::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    word.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                word.push(e);
                            }
                        }
                        _ => word.push(d),
                    }
                }
            }
            '\\' => {
                if let Some(e) = chars.next()
                    && e != '\n'
                {
                    word.push(e);
                    in_word = true;
                }
            }
            c if c.is_whitespace() && c != '\n' => end_word(&mut word, &mut in_word, &mut emit),
            // `2>&1`, `>&2`: a redirection, not a background `&`.
            '&' if word.ends_with('>') || word.ends_with('<') => {
                word.push('&');
                while let Some(d) = chars
                    .peek()
                    .copied()
                    .filter(|d| d.is_ascii_digit() || *d == '-')
                {
                    word.push(d);
                    chars.next();
                }
            }
            '\n' | ';' | '&' | '|' | '(' | ')' | '`' => {
                end_word(&mut word, &mut in_word, &mut emit);
                let op = match c {
                    '&' if chars.next_if_eq(&'&').is_some() => Op::And,
                    '&' => Op::Background,
                    '|' if chars.next_if_eq(&'|').is_some() => Op::Or,
                    '|' => {
                        chars.next_if_eq(&'&');
                        Op::Pipe
                    }
                    '(' => Op::Open,
                    ')' => Op::Close,
                    '`' => {
                        backticks = !backticks;
                        if backticks { Op::Open } else { Op::Close }
                    }
                    _ => Op::Seq,
                };
                emit(Lexed::Op(op));
            }
            '$' if chars.peek() == Some(&'(') => {
                chars.next();
                end_word(&mut word, &mut in_word, &mut emit);
                emit(Lexed::Op(Op::Open));
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    end_word(&mut word, &mut in_word, &mut emit);
}

/// Drops redirections (`2>&1`, `> out.log`, `2>/dev/null`, `<in`) from a command.
fn drop_redirections(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut skip_next = false;
    for w in words {
        if skip_next {
            skip_next = false;
            continue;
        }
        let body = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
        if body.starts_with('>') || body.starts_with('<') {
            // A bare operator (`>`, `2>>`) takes the next word as its file.
            skip_next = body.trim_start_matches(['>', '<']).is_empty();
            continue;
        }
        out.push(w);
    }
    out
}

/// Drops `VAR=value` assignments and wrappers (`sudo -u x`, `env`, `time`, `nohup`,
/// `timeout 30`, `nice -n 5`, `command`, `exec`) from the front of a command.
fn strip_prefixes(mut words: Vec<String>) -> Vec<String> {
    loop {
        let Some(first) = words.first() else {
            return words;
        };
        let is_assignment = first.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        let skip = if is_assignment {
            1
        } else {
            match first.as_str() {
                "env" | "time" | "nohup" | "command" | "exec" | "builtin" => 1,
                "sudo" | "doas" => {
                    // sudo's own options, and the value of those that take one.
                    let mut i = 1;
                    while let Some(w) = words.get(i).filter(|w| w.starts_with('-')) {
                        i += if matches!(w.as_str(), "-u" | "-g" | "-C" | "-h" | "-p") {
                            2
                        } else {
                            1
                        };
                    }
                    i
                }
                "timeout" => {
                    let mut i = 1;
                    while words.get(i).is_some_and(|w| w.starts_with('-')) {
                        i += 1;
                    }
                    i + 1
                }
                "nice" => {
                    if words.get(1).is_some_and(|w| w == "-n") {
                        3
                    } else {
                        1
                    }
                }
                _ => return words,
            }
        };
        words.drain(..skip.min(words.len()));
    }
}

#[cfg(test)]
mod tests;
