//! `instar-hooks classify`: JSON Lines in (`{"text": "..."}`), one result per line out.

use instar_hooks::{Error, action_claim};
use serde_json::{Value, json};
use std::io::{BufRead, Write};

use crate::common::Outcome;

const ABOUT: &str = "\
Runs the action-claim classifier over messages.

Reads JSON Lines on stdin, each an object with a string field `text`, and writes one JSON
object per input line, in order:
    {\"claim\": true, \"verb\": \"restart\", \"phrase\": \"I'll restart the server\"}
    {\"claim\": false, \"verb\": null, \"phrase\": null}
A line that is not such an object gets {\"error\": \"...\"} and the run goes on.";

const EXIT_CODES: &str = "\
Exit codes:
  0  every line was read (even lines that got an error object)
  2  stdin or stdout failed";

/// Classify messages (JSON Lines on stdin, one result per line on stdout)
#[derive(clap::Args, Debug)]
#[command(
    override_usage = "instar-hooks classify < messages.jsonl",
    long_about = ABOUT,
    after_long_help = EXIT_CODES,
)]
pub(crate) struct Args {}

pub(crate) fn run(Args {}: Args) -> Result<Outcome, Error> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.split(b'\n') {
        let line = line.map_err(|e| Error::io("<stdin>", "read", e))?;
        let line = line.strip_suffix(b"\r").unwrap_or(&line);
        let result = classify_line(line);
        let written = writeln!(out, "{result}");
        if let Err(e) = written {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(Outcome::success(""));
            }
            return Err(Error::io("<stdout>", "write", e));
        }
    }
    if let Err(e) = out.flush()
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(Error::io("<stdout>", "write", e));
    }
    Ok(Outcome::success(""))
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
