//! Whether the plugin's native binaries are in place, or the placeholders committed in the
//! repository still are.
//!
//! A plugin installed from a Git marketplace holds only committed files: each of its `bin/`
//! binaries is a placeholder, a POSIX sh script that does nothing (the hooks exit 0 silently,
//! the CLI says it is not installed). The plugin's SessionStart hook (`hooks/bootstrap`)
//! replaces each one by rename with the native binary of the plugin's version, and writes
//! `.installed` (beside `bin/`) last. Until it has, every hook is silent: this module tells
//! which state a plugin directory is in, so that `doctor` can say so instead of calling a
//! do-nothing hook healthy.

use std::{
    fs::File,
    io::Read,
    path::{Path, PathBuf},
};

use crate::settings;

/// A line every placeholder committed in `plugin/bin/` carries, right after `#!/bin/sh`.
pub const PLACEHOLDER_MARK: &str = "# instar-hooks placeholder";

/// The plugin's `bin/`: the hooks (in template order) and the `instar-hooks` CLI, as the
/// bootstrap installs them.
pub fn plugin_binaries() -> impl Iterator<Item = &'static str> {
    settings::binaries().iter().copied().chain(["instar-hooks"])
}

/// Whether the file at `path` is one of the committed placeholders (`false` when it cannot be
/// read: then it is not a placeholder that runs either).
pub fn is_placeholder(path: &Path) -> bool {
    let mut head = [0u8; 128];
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut len = 0;
    while len < head.len() {
        match file.read(&mut head[len..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => len += n,
        }
    }
    let prefix = format!("#!/bin/sh\n{PLACEHOLDER_MARK} ");
    head[..len].starts_with(prefix.as_bytes())
}

/// The plugin at a root whose hooks are still placeholders: which, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotInstalled {
    /// The registered hook paths that hold a placeholder.
    pub placeholders: Vec<PathBuf>,
    /// What is wrong, naming the directory.
    pub detail: String,
    /// The command that fixes it.
    pub fix: String,
}

/// `Some` when a hook binary in `<root>/bin/` is still the committed placeholder (the plugin's
/// hooks then do nothing); `None` when every hook there is something else (the native binary,
/// or a file `doctor` judges on its own: missing, not executable).
pub fn not_installed(root: &Path) -> Option<NotInstalled> {
    let bin = root.join("bin");
    let placeholders: Vec<PathBuf> = settings::binaries()
        .iter()
        .map(|b| bin.join(b))
        .filter(|p| is_placeholder(p))
        .collect();
    if placeholders.is_empty() {
        return None;
    }
    let names: Vec<String> = placeholders
        .iter()
        .filter_map(|p| Some(p.file_name()?.to_string_lossy().into_owned()))
        .collect();
    let detail = format!(
        "the plugin's binaries are not installed: {} holds placeholders for {}, which do nothing",
        bin.display(),
        names.join(", ")
    );
    let fix = match checkout_of(root) {
        Some(checkout) => format!(
            "this plugin runs from the checkout {0}, whose committed placeholders are never \
             replaced: `cd {1} && scripts/package-plugin`, then `claude plugin marketplace \
             remove instar-hooks && claude plugin marketplace add {2} && claude plugin install \
             instar-hooks@instar-hooks` (with the --scope you use)",
            checkout.display(),
            crate::fixes::shell_word(&checkout),
            crate::fixes::shell_word(&checkout.join("target")),
        ),
        None => "start a new Claude Code session: the plugin's SessionStart hook installs them \
                 (its message says why when it cannot); or `cargo install --locked \
                 instar-hooks`, then a new session"
            .to_string(),
    };
    Some(NotInstalled {
        placeholders,
        detail,
        fix,
    })
}

/// The checkout a plugin directory belongs to, when Claude Code runs it in place from a
/// checkout added as a local marketplace (`<checkout>/plugin`), judged as the bootstrap
/// judges it.
pub fn checkout_of(root: &Path) -> Option<PathBuf> {
    let top = root.parent()?;
    let is_checkout = top.join(".git").exists()
        && top.join(".claude-plugin/marketplace.json").is_file()
        && top.join("scripts/package-plugin").is_file();
    is_checkout.then(|| top.to_path_buf())
}
