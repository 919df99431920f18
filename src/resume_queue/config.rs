//! `monitoring.resumeQueue.{enabled, dryRun, autoHealStaleHostLock}` from the project's
//! `.instar/config.json`, resolved as upstream's server does (SPEC §1.3):
//!
//! - `enabled = cfg.enabled ?? true`
//! - `dryRun = cfg.dryRun ?? !developmentAgent`
//! - `autoHealStaleHostLock = cfg.autoHealStaleHostLock ?? developmentAgent`
//!
//! where `developmentAgent` is the top-level key, read as JavaScript truthiness (`!!x`). A value
//! of the wrong type is read the way the server would read it (truthiness) and reported in
//! `problems`, so `status` predicts the server rather than second-guessing it.

use serde::Serialize;
use serde_json::Value;
use std::path::Path;

use crate::{config::PROJECT_CONFIG, json_file as file};

/// Where a resolved value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Set in `.instar/config.json`.
    Config,
    /// Not set: upstream's code default (dev-agent gated for `dryRun` and auto-heal).
    Default,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub value: bool,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueConfig {
    pub enabled: Setting,
    pub dry_run: Setting,
    pub auto_heal_stale_host_lock: Setting,
    pub development_agent: bool,
    /// Keys of the wrong type, said so that a person can fix them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

impl QueueConfig {
    pub fn enabled(&self) -> bool {
        self.enabled.value
    }
    pub fn dry_run(&self) -> bool {
        self.dry_run.value
    }
    pub fn auto_heal(&self) -> bool {
        self.auto_heal_stale_host_lock.value
    }

    /// Resolves the config from a parsed `.instar/config.json` (`None`: no file).
    pub fn resolve(doc: Option<&Value>) -> QueueConfig {
        let mut problems = Vec::new();
        let development_agent = doc
            .and_then(|d| d.get("developmentAgent"))
            .is_some_and(truthy);
        let rq = doc
            .and_then(|d| d.get("monitoring"))
            .and_then(|m| m.get("resumeQueue"));
        let mut setting = |key: &str, default: bool| -> Setting {
            match rq.and_then(|o| o.get(key)) {
                None | Some(Value::Null) => Setting {
                    value: default,
                    source: Source::Default,
                },
                Some(Value::Bool(b)) => Setting {
                    value: *b,
                    source: Source::Config,
                },
                Some(other) => {
                    problems.push(format!(
                        "monitoring.resumeQueue.{key} should be true or false, found {}; \
                         the server reads it as {}",
                        file::type_name(other),
                        truthy(other)
                    ));
                    Setting {
                        value: truthy(other),
                        source: Source::Config,
                    }
                }
            }
        };
        let enabled = setting("enabled", true);
        let dry_run = setting("dryRun", !development_agent);
        let auto_heal = setting("autoHealStaleHostLock", development_agent);
        QueueConfig {
            enabled,
            dry_run,
            auto_heal_stale_host_lock: auto_heal,
            development_agent,
            problems,
        }
    }

    /// Reads `<project>/.instar/config.json` (as every config file is read:
    /// [`file::read_object`]). A missing file gives the defaults; a file that cannot be read
    /// as a JSON object is an error, typed as it came (the server would not boot with it
    /// either).
    pub fn load(project: &Path) -> crate::Result<QueueConfig> {
        let doc = file::read_object(&project.join(PROJECT_CONFIG))?;
        Ok(QueueConfig::resolve(doc.map(Value::Object).as_ref()))
    }

    /// The config under which the operator's `heal` judges a lock: the server's auto-heal,
    /// switched on and not a dry run (`heal --dry-run` is the heal's own).
    pub(crate) fn operator_heal() -> QueueConfig {
        let on = |value| Setting {
            value,
            source: Source::Config,
        };
        QueueConfig {
            enabled: on(true),
            dry_run: on(false),
            auto_heal_stale_host_lock: on(true),
            development_agent: false,
            problems: Vec::new(),
        }
    }
}

/// JavaScript truthiness.
pub(super) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}
