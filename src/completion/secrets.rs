//! What of a command and its output may be stored: a bounded command with its secrets masked,
//! and a short bounded excerpt of one output line.
//!
//! Masking is by shape, not by knowing the tool: a password in a URL
//! (`https://user:pass@host`, `https://TOKEN@host`), a `name=value` whose name says secret
//! (`?access_token=…`, `GITHUB_TOKEN=…`, `--password=…`, `DB_PASS=…`), a flag followed by its
//! secret (`--token abc`, `mysql -pSECRET`, `curl -u user:pass`), an `Authorization:`-style
//! header, and tokens whose prefix names them (`ghp_…`, `github_pat_…`, `sk-…`, `xoxb-…`,
//! `AKIA…`, JWTs). Over-masking is the safe error.

use std::ops::Range;

const MASK: &str = "***";

/// `command`, secrets masked, at most `max_len` bytes (cut at a char boundary, with "…").
pub(crate) fn mask_secrets(command: &str, max_len: usize) -> String {
    let mut ranges = Vec::new();
    url_userinfo(command, &mut ranges);
    assignments(command, &mut ranges);
    flags(command, &mut ranges);
    headers(command, &mut ranges);
    token_shapes(command, &mut ranges);
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(command.len().min(max_len + 8));
    let mut at = 0;
    for r in ranges {
        if r.end <= at || r.is_empty() {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&command[at..start]);
        out.push_str(MASK);
        at = r.end;
        if out.len() > max_len.saturating_add(MASK.len()) {
            break;
        }
    }
    if at < command.len() && out.len() <= max_len {
        out.push_str(&command[at..]);
    }
    bound(out, max_len)
}

/// A line of output as evidence: colour codes and control characters out, whitespace
/// collapsed, secrets masked, at most `max_len` bytes with "…".
pub(crate) fn excerpt(line: &str, max_len: usize) -> String {
    let mut clean = String::with_capacity(line.len().min(max_len * 2));
    let mut chars = line.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        if clean.len() > max_len.saturating_mul(4) {
            break;
        }
        if c == '\u{1b}' {
            if chars.next_if_eq(&'[').is_some() {
                while chars.next().is_some_and(|d| !d.is_ascii_alphabetic()) {}
            }
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            space = !clean.is_empty();
            continue;
        }
        if space {
            clean.push(' ');
            space = false;
        }
        clean.push(c);
    }
    mask_secrets(&clean, max_len)
}

/// Cuts `s` to at most `max_len` bytes at a char boundary, ending in "…" when cut.
fn bound(mut s: String, max_len: usize) -> String {
    if s.len() <= max_len {
        return s;
    }
    const ELLIPSIS: &str = "…";
    // Too short for an ellipsis: just the cut.
    let room = if max_len > ELLIPSIS.len() {
        max_len - ELLIPSIS.len()
    } else {
        max_len
    };
    let mut cut = room;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    if room < max_len {
        s.push_str(ELLIPSIS);
    }
    s
}

/// `scheme://user:pass@host` -> the password; `scheme://token@host` -> the token.
fn url_userinfo(s: &str, out: &mut Vec<Range<usize>>) {
    let mut from = 0;
    while let Some(i) = s[from..].find("://") {
        let start = from + i + 3;
        let end = s[start..]
            .find(|c: char| matches!(c, '/' | '?' | '#' | '"' | '\'' | '`') || c.is_whitespace())
            .map_or(s.len(), |e| start + e);
        if let Some(at) = s[start..end].rfind('@') {
            let info = start..start + at;
            let secret = match s[info.clone()].find(':') {
                Some(colon) => info.start + colon + 1..info.end,
                None => info,
            };
            out.push(secret);
        }
        from = end.max(start);
    }
}

/// A name that says its value is secret: a word that always does ("token", "secret",
/// "password", "credentials", "private"), or one that does at the end of the name ("API_KEY",
/// "DB_PASS", "X-Auth" — but not "KEY_COUNT" or "PASS_THROUGH").
fn secret_name(name: &str) -> bool {
    let parts = name.split(['_', '-', '.']).filter(|p| !p.is_empty());
    let count = parts.clone().count();
    parts.enumerate().any(|(i, part)| {
        let mut buf = [0u8; 16];
        if part.len() > buf.len() {
            return false;
        }
        buf[..part.len()].copy_from_slice(part.as_bytes());
        buf[..part.len()].make_ascii_lowercase();
        let always = matches!(
            &buf[..part.len()],
            b"token"
                | b"secret"
                | b"password"
                | b"passwd"
                | b"pwd"
                | b"apikey"
                | b"credential"
                | b"credentials"
                | b"private"
                | b"cookie"
                | b"jwt"
                | b"bearer"
                | b"accesstoken"
                | b"privatekey"
                | b"secretkey"
                | b"clientsecret"
                | b"signature"
        );
        let at_end = i + 1 == count
            && matches!(
                &buf[..part.len()],
                b"key" | b"pass" | b"auth" | b"session" | b"sig"
            );
        always || at_end
    })
}

/// Where a value starting at `start` ends: a matching quote, or whitespace, `&`, `;`, `#`.
fn value_end(s: &str, start: usize) -> (usize, usize) {
    let b = s.as_bytes();
    if let Some(&q @ (b'"' | b'\'')) = b.get(start) {
        let close = s[start + 1..]
            .find(q as char)
            .map_or(s.len(), |e| start + 1 + e);
        return (start + 1, close);
    }
    let end = s[start..]
        .find(|c: char| c.is_whitespace() || matches!(c, '&' | ';' | '"' | '\'' | '#' | ')' | '`'))
        .map_or(s.len(), |e| start + e);
    (start, end)
}

/// `NAME=value` where NAME says secret: env assignments, query parameters, `--password=x`.
fn assignments(s: &str, out: &mut Vec<Range<usize>>) {
    let b = s.as_bytes();
    for (i, _) in s.match_indices('=') {
        let name_start = start_of_run(&s[..i], |c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
        });
        let name = &s[name_start..i];
        if name.is_empty() || name.len() > 64 || b.get(i + 1) == Some(&b'=') {
            continue;
        }
        if secret_name(name) {
            let (start, end) = value_end(s, i + 1);
            out.push(start..end);
        }
    }
}

/// `--token abc`, `--password "x y"`, `mysql -pSECRET`, `sshpass -p x`, `curl -u user:pass`.
fn flags(s: &str, out: &mut Vec<Range<usize>>) {
    let words = word_ranges(s);
    let program = words
        .first()
        .map(|r| s[r.clone()].rsplit('/').next().unwrap_or(""))
        .unwrap_or("");
    let db = matches!(
        program,
        "mysql" | "mysqldump" | "mysqladmin" | "mariadb" | "mariadb-dump"
    );
    for (k, w) in words.iter().enumerate() {
        let word = &s[w.clone()];
        let next = words.get(k + 1).cloned();
        let flag = word.trim_start_matches('-');
        let long = word.starts_with("--") && !word.contains('=') && secret_name(flag);
        if long || (word == "-p" && program == "sshpass") {
            if let Some(n) = next {
                let (start, end) = value_end(s, n.start);
                out.push(start..end.max(start));
            }
        } else if db && word.starts_with("-p") && word.len() > 2 {
            out.push(w.start + 2..w.end);
        } else if matches!(word, "-u" | "--user")
            && program == "curl"
            && let Some(n) = next
            && let Some(colon) = s[n.clone()].find(':')
        {
            out.push(n.start + colon + 1..n.end);
        }
    }
}

/// `Authorization: Bearer x`, `Private-Token: x`, `X-Api-Key: x`, `Cookie: x`: the value
/// (after a scheme word), to the end of the quoted header or the word.
fn headers(s: &str, out: &mut Vec<Range<usize>>) {
    let b = s.as_bytes();
    for (i, _) in s.match_indices(':') {
        let name_start = start_of_run(&s[..i], |c| c.is_ascii_alphanumeric() || c == '-');
        let name = &s[name_start..i];
        let header = name.eq_ignore_ascii_case("authorization")
            || name.eq_ignore_ascii_case("cookie")
            || name.eq_ignore_ascii_case("proxy-authorization")
            || (name.contains('-') && secret_name(name))
            || name.eq_ignore_ascii_case("apikey");
        if !header || b.get(i + 1) != Some(&b' ') {
            continue;
        }
        let mut start = i + 1;
        while b.get(start) == Some(&b' ') {
            start += 1;
        }
        let scheme_end = s[start..].find(' ').map(|e| start + e);
        if let Some(e) = scheme_end {
            let scheme = &s[start..e];
            if ["bearer", "basic", "token", "digest", "bot"]
                .iter()
                .any(|k| scheme.eq_ignore_ascii_case(k))
            {
                start = e + 1;
            }
        }
        let end = s[start..]
            .find(|c: char| matches!(c, '"' | '\'' | '`') || c.is_whitespace())
            .map_or(s.len(), |e| start + e);
        out.push(start..end);
    }
}

/// Tokens that name themselves.
fn token_shapes(s: &str, out: &mut Vec<Range<usize>>) {
    const PREFIXES: &[&str] = &[
        "ghp_",
        "gho_",
        "ghu_",
        "ghs_",
        "ghr_",
        "github_pat_",
        "glpat-",
        "sk-",
        "sk_live_",
        "rk_live_",
        "xoxb-",
        "xoxp-",
        "xoxa-",
        "xapp-",
        "AKIA",
        "ASIA",
        "npm_",
        "pypi-",
        "hf_",
        "eyJ",
    ];
    for w in word_ranges(s) {
        let word = &s[w.clone()];
        // Inside a word too: `https://x-access-token:ghp_…@github.com`, `token=ghp_…`.
        for p in PREFIXES {
            let mut from = 0;
            while let Some(i) = word[from..].find(p) {
                let at = from + i;
                let boundary = at == 0 || !word.as_bytes()[at - 1].is_ascii_alphanumeric();
                let end = word[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
                    .map_or(word.len(), |e| at + e);
                if boundary && end - at >= p.len() + 12 {
                    out.push(w.start + at..w.start + end);
                }
                from = end.max(at + 1);
            }
        }
    }
}

/// Where the run of `in_name` characters that ends `s` starts (a char boundary).
fn start_of_run(s: &str, in_name: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| !in_name(c))
        .map_or(0, |(p, c)| p + c.len_utf8())
}

/// Byte ranges of whitespace-separated words.
fn word_ranges(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push(st..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(st..s.len());
    }
    out
}

#[cfg(test)]
mod tests;
