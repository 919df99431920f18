//! Helpers for the library's own tests (compiled only under `cfg(test)`).

/// insta settings shared with the integration tests: snapshots in the top-level `snapshots/`
/// directory, named without the module path, with times and temp paths masked.
pub(crate) fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"));
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", "[TIME]");
    s.add_filter(r"/tmp/\.tmp[A-Za-z0-9]+", "[TMP]");
    s
}
