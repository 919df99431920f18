//! Shell-style splitting of a Bash tool call's command line into the simple commands that
//! run: `&&`, `||`, `;`, `|`, newlines and quotes separate them, redirections are dropped,
//! and prefixes that do not change what runs (`sudo`, `env FOO=1`, `time`, `timeout 30`) are
//! skipped; `bash -c "…"` is looked into.

/// Splits a command line into simple commands (word lists), shell-style, dropping prefixes
/// that do not change what runs. `depth` bounds `bash -c` recursion.
pub(super) fn simple_commands(line: &str, depth: usize) -> Vec<Vec<String>> {
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
            out.extend(simple_commands(script, depth + 1));
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
