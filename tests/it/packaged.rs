//! The plugin as `scripts/package-plugin` builds it from this checkout, once per test process:
//! shared by both test targets (`it`, and `claude-code` through `#[path]`).

use std::{
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Output},
    sync::OnceLock,
    time::Instant,
};

/// This checkout.
pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scripts/package-plugin` in the checkout at `root`, packaging the binaries in
/// `bin_dir`, or, without one, the release binaries it builds itself (scripts/build-release).
pub(crate) fn package_plugin(root: &Path, bin_dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(root.join("scripts/package-plugin"));
    cmd.current_dir(root);
    match bin_dir {
        Some(dir) => cmd.env("INSTAR_HOOKS_BIN_DIR", dir),
        None => cmd.env_remove("INSTAR_HOOKS_BIN_DIR"),
    };
    cmd.output()
        .unwrap_or_else(|e| panic!("run {}/scripts/package-plugin: {e}", root.display()))
}

/// The release binaries `scripts/test` built before running the tests
/// (`INSTAR_HOOKS_BIN_DIR`), so that no test builds them again while timed tests run. Under
/// plain `cargo test` there are none, and `scripts/package-plugin` builds them.
pub(crate) fn release_bin_dir() -> Option<PathBuf> {
    std::env::var_os("INSTAR_HOOKS_BIN_DIR").map(PathBuf::from)
}

/// What `scripts/package-plugin` built.
pub(crate) struct Packaged {
    /// `target/plugin/`.
    pub dir: PathBuf,
    /// `target/instar-hooks-plugin.zip`.
    pub zip: PathBuf,
}

/// Runs `scripts/package-plugin` on this checkout once per test process (with the release
/// binaries of [`release_bin_dir`], else building them: about half a minute the first time).
pub(crate) fn packaged_plugin() -> &'static Packaged {
    static PACKAGED: OnceLock<Result<Packaged, String>> = OnceLock::new();
    let packaged = PACKAGED.get_or_init(|| {
        let started = Instant::now();
        let out = package_plugin(repo(), release_bin_dir().as_deref());
        if !out.status.success() {
            return Err(format!(
                "scripts/package-plugin failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let _ = writeln!(
            std::io::stderr(),
            "scripts/package-plugin took {} ms",
            started.elapsed().as_millis()
        );
        Ok(Packaged {
            dir: repo().join("target/plugin"),
            zip: repo().join("target/instar-hooks-plugin.zip"),
        })
    });
    match packaged {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}
