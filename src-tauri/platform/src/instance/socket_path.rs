//! Where the running app listens: `jotline.sock` in the journal's canonical folder, so every
//! spelling of the path meets the same app. A socket path is limited to ~100 bytes; a longer
//! folder gets a socket named after a hash of it in the runtime (or temp) folder instead.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

pub const SOCKET_FILE: &str = "jotline.sock";
/// `sun_path` holds 108 bytes on Linux, 104 on macOS, including the final NUL.
const MAX_SOCKET_PATH: usize = 100;

pub fn socket_path(canonical_dir: &Path) -> PathBuf {
    let beside = canonical_dir.join(SOCKET_FILE);
    if beside.as_os_str().len() <= MAX_SOCKET_PATH {
        return beside;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    canonical_dir.hash(&mut hasher);
    let runtime = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_dir())
        .unwrap_or_else(std::env::temp_dir);
    runtime.join(format!("jotline-{:016x}.sock", hasher.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_folder_keeps_its_socket_beside_the_journal() {
        let dir = Path::new("/home/ana/.local/share/app.jotline.journal");
        assert_eq!(socket_path(dir), dir.join(SOCKET_FILE));
    }

    #[test]
    fn a_long_folder_gets_a_short_socket_path_of_its_own() {
        let long = PathBuf::from("/").join("a".repeat(120));
        let other = PathBuf::from("/").join("b".repeat(120));
        let path = socket_path(&long);
        assert!(path.as_os_str().len() <= MAX_SOCKET_PATH + 40, "{path:?}");
        assert_ne!(path, socket_path(&other));
        assert_eq!(path, socket_path(&long), "the same folder, the same socket");
    }
}
