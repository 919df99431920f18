//! `instar-hooks classify`: JSON Lines in (`{"text": "..."}`), one result per line out.

use instar_hooks::{Error, action_claim};
use serde_json::{Value, json};
use std::io::{BufRead, Write};

use crate::cli::{Args, Outcome, usage};

const HELP: &str = "\
instar-hooks classify — run the action-claim classifier over messages

USAGE:
    instar-hooks classify < messages.jsonl

Reads JSON Lines on stdin, each an object with a string field `text`, and writes one JSON
object per input line, in order:
    {\"claim\": true, \"verb\": \"restart\", \"phrase\": \"I'll restart the server\"}
    {\"claim\": false, \"verb\": null, \"phrase\": null}
A line that is not such an object gets {\"error\": \"...\"} and the run goes on.

EXIT CODES:
    0  every line was read (even lines that got an error object)
    2  stdin or stdout failed
";

pub fn run(args: &mut Args) -> Result<Outcome, Error> {
    use lexopt::Arg::*;
    if let Some(arg) = args.next()? {
        return match arg {
            Short('h') | Long("help") => Ok(Outcome::Help(HELP)),
            other => Err(usage(other.unexpected().to_string())),
        };
    }
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.split(b'\n') {
        let line = line.map_err(|e| Error::io("<stdin>", "read", e))?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        let result = classify_line(line);
        let written = writeln!(out, "{result}");
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(Outcome::Text(String::new()));
            }
            return Err(Error::io("<stdout>", "write", e));
        }
    }
    if let Err(e) = out.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(Error::io("<stdout>", "write", e));
    }
    Ok(Outcome::Text(String::new()))
}

fn classify_line(line: &[u8]) -> Value {
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return json!({"error": format!("invalid JSON: {e}")}),
    };
    match value.get("text") {
        Some(Value::String(text)) => match action_claim::classify(text) {
            Some(c) => json!({"claim": true, "verb": c.verb, "phrase": c.phrase}),
            None => json!({"claim": false, "verb": null, "phrase": null}),
        },
        Some(_) => json!({"error": "`text` must be a string"}),
        None if value.is_object() => json!({"error": "missing `text` field"}),
        None => json!({"error": "expected a JSON object with a `text` field"}),
    }
}
