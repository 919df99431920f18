//! Every key instar-hooks reads, with what it accepts and its built-in default: the one
//! table that resolving, `instar-hooks config` and its validation all read.

use serde_json::Value;

/// A key this crate reads, with what it accepts.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// The dotted name, e.g. `actionClaim.enabled`.
    pub name: &'static str,
    /// What a valid value is, for messages ("true or false", "an integer from 1 to 1000").
    pub expects: &'static str,
    /// Read from the project's `.instar/config.json` only (not the per-user file).
    pub project_only: bool,
    check: fn(&Value) -> bool,
    /// The built-in default (`None`: unset; `actionClaim.enabled` depends on the runner).
    default: Option<fn() -> Value>,
}

impl Key {
    /// Whether `value` is valid for this key.
    pub fn accepts(&self, value: &Value) -> bool {
        (self.check)(value)
    }

    /// The built-in default, when the key has one.
    pub(crate) fn default_value(&self) -> Option<Value> {
        self.default.map(|f| f())
    }
}

fn in_range(v: &Value, lo: f64, hi: f64, lo_open: bool) -> bool {
    v.as_f64()
        .is_some_and(|n| (if lo_open { n > lo } else { n >= lo }) && n <= hi)
}

/// Every key instar-hooks reads, with its check and default.
pub const KEYS: &[Key] = &[
    Key {
        name: "actionClaim.enabled",
        expects: "true or false",
        project_only: false,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "actionClaim.perTopicCap",
        expects: "an integer from 1 to 1000",
        project_only: false,
        check: |v| in_range(v, 1.0, 1000.0, false) && v.as_f64().is_some_and(|n| n.fract() == 0.0),
        default: Some(|| Value::from(5)),
    },
    Key {
        name: "actionClaim.expiresHours",
        expects: "a number of hours above 0, at most 8760",
        project_only: false,
        check: |v| in_range(v, 0.0, 24.0 * 365.0, true),
        default: Some(|| Value::from(6)),
    },
    Key {
        name: "actionClaim.reminderGraceMinutes",
        expects: "a number of minutes from 0 to 10080",
        project_only: false,
        check: |v| in_range(v, 0.0, 7.0 * 24.0 * 60.0, false),
        default: Some(|| Value::from(10)),
    },
    Key {
        name: "actionClaim.forwardBackoffSeconds",
        expects: "a number of seconds from 0 to 3600",
        project_only: false,
        check: |v| in_range(v, 0.0, 3600.0, false),
        default: Some(|| Value::from(10)),
    },
    Key {
        name: "actionClaim.sameTurn",
        expects: "true or false",
        project_only: false,
        check: Value::is_boolean,
        default: Some(|| Value::Bool(true)),
    },
    Key {
        name: "port",
        expects: "an integer from 1 to 65535",
        project_only: false,
        check: |v| v.as_u64().is_some_and(|p| (1..=65535).contains(&p)),
        default: None,
    },
    Key {
        name: "authToken",
        expects: "a string",
        project_only: false,
        check: Value::is_string,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.enabled",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.dryRun",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
    Key {
        name: "monitoring.resumeQueue.autoHealStaleHostLock",
        expects: "true or false",
        project_only: true,
        check: Value::is_boolean,
        default: None,
    },
];

/// The known key called `name`.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}
