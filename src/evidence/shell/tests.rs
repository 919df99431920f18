use super::*;
use proptest::prelude::*;

fn words(cmds: &[Command]) -> Vec<(String, Option<Op>, Option<Op>, bool)> {
    cmds.iter()
        .map(|c| (c.words.join(" "), c.before, c.after, c.nested))
        .collect()
}

fn w(s: &str) -> String {
    s.to_string()
}

#[test]
fn lists_keep_their_operators() {
    assert_eq!(
        words(&command_list(
            "cd web && npm test 2>&1 | tail -5; echo done"
        )),
        [
            (w("cd web"), None, Some(Op::And), false),
            (w("npm test"), Some(Op::And), Some(Op::Pipe), false),
            (w("tail -5"), Some(Op::Pipe), Some(Op::Seq), false),
            (w("echo done"), Some(Op::Seq), None, false),
        ]
    );
    assert_eq!(
        words(&command_list("cargo test || true & ")),
        [
            (w("cargo test"), None, Some(Op::Or), false),
            (w("true"), Some(Op::Or), Some(Op::Background), false),
        ]
    );
}

#[test]
fn a_newline_after_an_operator_continues_the_list() {
    assert_eq!(
        words(&command_list("cargo build &&\n  cargo test")),
        [
            (w("cargo build"), None, Some(Op::And), false),
            (w("cargo test"), Some(Op::And), None, false),
        ]
    );
}

#[test]
fn substitutions_subshells_and_scripts_are_nested() {
    assert_eq!(
        words(&command_list(
            "cd $(git rev-parse --show-toplevel) && cargo test"
        )),
        [
            (w("git rev-parse --show-toplevel"), None, None, true),
            (w("cd"), None, Some(Op::And), false),
            (w("cargo test"), Some(Op::And), None, false),
        ]
    );
    assert_eq!(
        words(&command_list("(cd api && go test ./...)")),
        [
            (w("cd api"), None, Some(Op::And), true),
            (w("go test ./..."), Some(Op::And), None, true),
        ]
    );
    assert_eq!(
        words(&command_list("bash -c 'npm test'")),
        [(w("npm test"), None, None, true)]
    );
    assert_eq!(
        words(&command_list("echo `date` ok")),
        [
            (w("date"), None, None, true),
            (w("echo ok"), None, None, false),
        ]
    );
}

#[test]
fn quotes_and_redirections_do_not_split() {
    assert_eq!(
        words(&command_list("git commit -m 'a && b | c' 2>&1 && git push")),
        [
            (w("git commit -m a && b | c"), None, Some(Op::And), false),
            (w("git push"), Some(Op::And), None, false),
        ]
    );
}

// The splitter as it was before the lexer was shared: `simple_commands` must not change.
fn old_simple_commands(line: &str, depth: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let finish = |words: &mut Vec<String>, out: &mut Vec<Vec<String>>| {
        let cmd = strip_prefixes(drop_redirections(std::mem::take(words)));
        if cmd.is_empty() {
            return;
        }
        let is_shell = matches!(
            cmd[0].rsplit('/').next(),
            Some("bash" | "sh" | "zsh" | "dash")
        );
        if is_shell
            && depth < 3
            && let Some(i) = cmd.iter().position(|w| w == "-c" || w == "-lc")
            && let Some(script) = cmd.get(i + 1)
        {
            out.extend(old_simple_commands(script, depth + 1));
            return;
        }
        out.push(cmd);
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
            c if c.is_whitespace() && c != '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
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
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                finish(&mut words, &mut out);
            }
            '$' if chars.peek() == Some(&'(') => {
                chars.next();
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                finish(&mut words, &mut out);
            }
            _ => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    finish(&mut words, &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn simple_commands_is_unchanged(parts in prop::collection::vec(prop_oneof![
        prop::sample::select(&[
            "cargo", "test", " ", " ", "&", "&&", "|", "||", ";", "\n", "(", ")", "$(", "`",
            "'", "\"", "\\", "2>&1", ">", "<", "sudo", "-u", "env", "A=1", "bash", "-c",
            "timeout", "30", "git", "push", "|&", ">&", "-", "x",
        ][..]).prop_map(str::to_string),
        any::<String>(),
    ], 0..40)) {
        let line = parts.concat();
        prop_assert_eq!(simple_commands(&line, 0), old_simple_commands(&line, 0));
        let _ = command_list(&line);
    }
}
