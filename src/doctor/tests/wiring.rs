//! Wiring: registrations, the binaries they run, settings files that cannot be read, and
//! the plugin.

use super::*;
use crate::settings::{self, HOOKS_DIR};

mod plugin_hooks;
mod registrations;
mod settings_files;
