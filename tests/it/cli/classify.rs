//! `instar-hooks classify`: one answer per line of input, in order, bad lines answered with an
//! error; empty input and CRLF line ends.

use crate::harness::Project;
use crate::snapshot_settings;

#[test]
fn classify_answers_each_line_in_order_and_survives_bad_lines() {
    let p = Project::new();
    let input = concat!(
        r#"{"text": "Relaunching the server now."}"#,
        "\n",
        "not json\n",
        r#"{"text": "Let me know if you want me to restart it."}"#,
        "\n",
        r#"{"txt": "x"}"#,
        "\n",
        r#"{"text": 42}"#,
        "\n",
        r#"{"text": "I’ll quickly restart the worker, then report back."}"#,
        "\n",
    );
    let out = p.cli(&["classify"]).stdin(input).run().code(0);
    snapshot_settings!().bind(|| insta::assert_snapshot!("classify_jsonl", out.stdout));
    let lines: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["claim"], true);
    assert!(lines[1]["error"].is_string());
    assert_eq!(
        lines[2],
        serde_json::json!({"claim": false, "verb": null, "phrase": null})
    );
}

#[test]
fn classify_handles_empty_input_and_crlf() {
    let p = Project::new();
    p.cli(&["classify"]).stdin("").run().code(0).stdout("");
    p.cli(&["classify"])
        .stdin("{\"text\": \"Pushing now.\"}\r\n")
        .run()
        .code(0)
        .stdout("{\"claim\":true,\"verb\":\"push\",\"phrase\":\"Pushing now\"}\n");
}
