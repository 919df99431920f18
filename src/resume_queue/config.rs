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

use crate::config::{PROJECT_CONFIG, json_type_name};

const CONFIG_CAP: usize = 4 * 1024 * 1024;

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
                        json_type_name(other),
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

    /// Reads `<project>/.instar/config.json`. A missing file gives the defaults; a file that
    /// is not a JSON object is an error (the server would not boot with it either).
    pub fn load(project: &Path) -> crate::Result<QueueConfig> {
        let path = project.join(PROJECT_CONFIG);
        let bytes = match crate::fsutil::read_capped(&path, CONFIG_CAP) {
            Ok((_, true)) => {
                return Err(crate::Error::Unsupported {
                    path,
                    found: format!("a file larger than {CONFIG_CAP} bytes"),
                });
            }
            Ok((bytes, false)) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(QueueConfig::resolve(None));
            }
            Err(e) => return Err(crate::Error::io(path, "read", e)),
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(doc @ Value::Object(_)) => Ok(QueueConfig::resolve(Some(&doc))),
            Ok(other) => Err(crate::Error::Unsupported {
                path,
                found: format!("{} instead of a JSON object", json_type_name(&other)),
            }),
            Err(e) => Err(crate::Error::parse(path, &e)),
        }
    }
}

/// JavaScript truthiness.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}
