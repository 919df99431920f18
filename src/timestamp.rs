//! Wall-clock instants stored as RFC 3339 UTC strings with milliseconds
//! (`2026-11-24T22:57:59.123Z`, the format instar writes) and compared as instants, never as
//! strings (upstream compares ISO strings lexicographically).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(SystemTime);

impl Timestamp {
    pub fn now() -> Self {
        Timestamp(SystemTime::now())
    }

    pub fn from_system_time(t: SystemTime) -> Self {
        // Millisecond precision, so a value survives a round trip through the file unchanged.
        let ms = t
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        Timestamp(UNIX_EPOCH + Duration::from_millis(ms))
    }

    #[cfg(test)]
    pub(crate) fn from_unix_ms(ms: u64) -> Self {
        Timestamp(UNIX_EPOCH + Duration::from_millis(ms))
    }

    pub(crate) fn unix_ms(self) -> u64 {
        self.0
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }

    pub(crate) fn system_time(self) -> SystemTime {
        self.0
    }

    pub fn parse(s: &str) -> Option<Self> {
        humantime::parse_rfc3339_weak(s.trim_end_matches('Z'))
            .ok()
            .map(Timestamp::from_system_time)
    }

    pub fn plus(self, d: Duration) -> Self {
        Timestamp::from_system_time(self.0 + d)
    }

    /// `self - earlier`, zero when `earlier` is later.
    pub fn since(self, earlier: Timestamp) -> Duration {
        self.0.duration_since(earlier.0).unwrap_or_default()
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", humantime::format_rfc3339_millis(self.0))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {s:?}")))
    }
}

/// "14 min", "3 h 5 min", "2 d": how long ago something was, for people.
pub fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => match (s % 3600) / 60 {
            0 => format!("{} h", s / 3600),
            m => format!("{} h {m} min", s / 3600),
        },
        _ => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_string_form() {
        let t = Timestamp::from_unix_ms(1_795_000_000_123);
        let s = t.to_string();
        assert_eq!(s, "2026-11-18T11:06:40.123Z");
        assert_eq!(Timestamp::parse(&s), Some(t));
    }

    #[test]
    fn parses_instar_iso_strings_and_rejects_garbage() {
        assert!(Timestamp::parse("2026-06-15T10:00:00.000Z").is_some());
        assert!(Timestamp::parse("2026-06-15T10:00:00Z").is_some());
        assert!(Timestamp::parse("yesterday").is_none());
    }

    #[test]
    fn compares_as_instants() {
        let a = Timestamp::from_unix_ms(1000);
        let b = a.plus(Duration::from_secs(6 * 3600));
        assert!(a < b);
        assert_eq!(b.since(a), Duration::from_secs(6 * 3600));
        assert_eq!(a.since(b), Duration::ZERO);
    }

    #[test]
    fn human_durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_secs(14 * 60 + 5)), "14 min");
        assert_eq!(
            human_duration(Duration::from_secs(3 * 3600 + 300)),
            "3 h 5 min"
        );
        assert_eq!(human_duration(Duration::from_secs(2 * 86_400)), "2 d");
    }
}
