//! The transcript lines a turn is made of, parsed as little as they need: only the fields the
//! checks read are decoded, borrowed where they can be, and everything else — a tool result's
//! `toolUseResult` copy of the output, a Write call's file content, attachments — is skipped
//! by the parser without being built. A line of an unexpected shape fails to parse and is
//! skipped, as an unknown line is: the format is Claude Code's and drifts.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// One line of the transcript, as far as a turn needs it.
#[derive(Deserialize)]
pub(super) struct Line<'a> {
    #[serde(rename = "type", borrow, default)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) message: Option<Message<'a>>,
    #[serde(rename = "isMeta", default)]
    pub(super) is_meta: Option<bool>,
    /// For a tool result: `{"interrupted": …, …}` on success, a string on failure.
    #[serde(rename = "toolUseResult", borrow, default)]
    pub(super) tool_use_result: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(super) timestamp: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(super) struct Message<'a> {
    /// A string, or an array of blocks: see [`content`].
    #[serde(borrow, default)]
    pub(super) content: Option<&'a RawValue>,
}

/// A content block: text, a tool call, or a tool's result.
#[derive(Deserialize)]
pub(super) struct Block<'a> {
    #[serde(rename = "type", borrow, default)]
    pub(super) kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(super) input: Option<Input<'a>>,
    #[serde(borrow, default)]
    pub(super) tool_use_id: Option<Cow<'a, str>>,
    #[serde(default)]
    pub(super) is_error: Option<bool>,
    /// A tool result's output: a string, or an array of `{"type": "text", "text": …}`.
    #[serde(borrow, default)]
    pub(super) content: Option<&'a RawValue>,
}

/// The input of a tool call, as far as a Bash call needs it.
#[derive(Deserialize)]
pub(super) struct Input<'a> {
    #[serde(borrow, default)]
    pub(super) command: Option<Cow<'a, str>>,
    #[serde(default)]
    pub(super) run_in_background: Option<bool>,
}

#[derive(Deserialize)]
struct ToolUseResult {
    #[serde(default)]
    interrupted: Option<bool>,
}

#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
}

/// A message's content: its text, or its blocks (`None` for anything else).
pub(super) enum Content<'a> {
    Text(Cow<'a, str>),
    Blocks(Vec<Block<'a>>),
}

/// Decodes `message.content`, which Claude Code writes as a string or an array of blocks.
pub(super) fn content<'a>(raw: &'a RawValue) -> Option<Content<'a>> {
    match raw.get().as_bytes().first()? {
        b'"' => serde_json::from_str(raw.get()).ok().map(Content::Text),
        b'[' => serde_json::from_str(raw.get()).ok().map(Content::Blocks),
        _ => None,
    }
}

/// Whether the user stopped the call (`toolUseResult.interrupted`).
pub(super) fn interrupted(raw: Option<&RawValue>) -> bool {
    raw.filter(|r| r.get().starts_with('{'))
        .and_then(|r| serde_json::from_str::<ToolUseResult>(r.get()).ok())
        .and_then(|t| t.interrupted)
        .unwrap_or(false)
}

/// A tool result's output as text: the string, or its text parts joined by newlines.
pub(super) fn output(raw: &RawValue) -> String {
    match raw.get().as_bytes().first() {
        Some(b'"') => serde_json::from_str::<Cow<'_, str>>(raw.get())
            .map(Cow::into_owned)
            .unwrap_or_default(),
        Some(b'[') => serde_json::from_str::<Vec<Part<'_>>>(raw.get())
            .map(|parts| {
                parts
                    .iter()
                    .filter_map(|p| p.text.as_deref())
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}
