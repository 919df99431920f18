//! Property tests for the CLAUDE.md patcher: the user's text is kept byte for byte (we only
//! append), sections are never inside a code fence, and a second run changes nothing.

use super::*;
use proptest::prelude::*;

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[ -~]{0,40}\n",
            Just("```\n".to_string()),
            Just("~~~~sh\n".to_string()),
            Just("Action-Claim Follow-Through Sentinel\n".to_string()),
            Just("`autoHealStaleHostLock`\n".to_string()),
            Just("\n".to_string()),
            any::<String>(),
        ],
        0..30,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn user_text_is_preserved_and_patching_is_idempotent(text in markdown(), missing in any::<bool>()) {
        let existing = (!missing).then_some(text.as_str());
        let p = patch(existing);
        let Some(new) = p.content else {
            prop_assert!(p.added.is_empty());
            return Ok(());
        };
        prop_assert!(new.starts_with(existing.unwrap_or("")), "user bytes kept");
        for s in SECTIONS {
            prop_assert!(crate::markdown::contains_outside_fences(&new, s.sniff), "{} present outside fences", s.name);
        }
        prop_assert_eq!(patch(Some(&new)).content, None, "a second run changes nothing");
    }
}
