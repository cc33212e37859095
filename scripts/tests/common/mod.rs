use std::path::PathBuf;

/// The workspace these tests check: `$DSEQ_TEST_ROOT` when set (to try the checks on another
/// checkout or a scratch workspace), else the workspace holding this crate.
pub fn root() -> PathBuf {
    match std::env::var_os("DSEQ_TEST_ROOT") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dseq::project::find_workspace_root(env!("CARGO_MANIFEST_DIR").as_ref())
            .expect("the dseq crate lives inside the workspace"),
    }
}
