//! Byte searches for the hooks' hot path. Deliberately without SIMD crates: those (memchr)
//! pick their implementation by detecting CPU features at run time, which executes CPUID; in
//! a VM that traps to the hypervisor and cost a hook run about 60 µs, more than the searches
//! themselves on what hooks read. Eight bytes at a time in plain integer arithmetic instead,
//! which matters where a hook scans a turn of long tool outputs.

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Where `byte` first occurs in `haystack`.
pub(crate) fn find_byte(haystack: &[u8], byte: u8) -> Option<usize> {
    let pattern = LOW * u64::from(byte);
    let mut words = haystack.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ pattern;
        // The lowest flagged byte is always a true match (borrows only flag bytes above one).
        let found = x.wrapping_sub(LOW) & !x & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = words.remainder();
    rest.iter().position(|&b| b == byte).map(|i| at + i)
}

/// Where `needle` (not empty) first occurs in `haystack`.
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    while let Some(i) = find_byte(&haystack[at..], first) {
        let start = at + i;
        if haystack[start + 1..].starts_with(rest) {
            return Some(start);
        }
        at = start + 1;
    }
    None
}

/// Whether `needle` occurs in `haystack` (an empty needle does).
pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || find(haystack, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn contains_finds_needles_anywhere() {
        assert!(contains(b"abc\"open\"x", b"\"open\""));
        assert!(contains(b"\"open\"", b"\"open\""));
        assert!(!contains(b"\"ope\"n", b"\"open\""));
        assert!(!contains(b"", b"x"));
        assert!(
            contains(b"aab", b"ab"),
            "a partial match does not skip the real one"
        );
        assert!(contains(b"x", b""));
    }

    #[test]
    fn bytes_are_found_in_every_position_of_a_word_and_after_it() {
        let hay: Vec<u8> = (0u8..40).collect();
        for (i, &b) in hay.iter().enumerate() {
            assert_eq!(find_byte(&hay, b), Some(i));
        }
        assert_eq!(find_byte(&hay, 200), None);
        // A byte just above a match (the borrow's false positive) is not reported first.
        assert_eq!(
            find_byte(&[0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0x01], 0x00),
            Some(1)
        );
        assert_eq!(find_byte(b"", b'x'), None);
    }

    proptest! {
        #[test]
        fn the_same_answers_as_a_plain_scan(
            hay in proptest::collection::vec(0u8..6, 0..80),
            byte in 0u8..8,
            needle in proptest::collection::vec(0u8..6, 1..4),
        ) {
            prop_assert_eq!(find_byte(&hay, byte), hay.iter().position(|&b| b == byte));
            prop_assert_eq!(find(&hay, &needle), hay.windows(needle.len()).position(|w| w == &needle[..]));
        }
    }
}
