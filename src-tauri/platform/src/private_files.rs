//! The journal is private to its user: on a shared computer nobody else may read the notes,
//! recordings, settings or logs. Everything the process creates is 0600 (folders 0700)
//! whatever the login's umask, and a data folder made by an earlier version (0755 folder,
//! 0644 files) is tightened at start-up.

use std::io;
use std::path::Path;

/// Files this process creates from now on are readable by their owner only.
pub fn restrict_new_files() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// The journal's folder (through a symbolic link to it, if that is how it is named) made
/// private: see [`tighten`].
pub fn tighten_data_dir(dir: &Path) -> io::Result<()> {
    match std::fs::canonicalize(dir) {
        Ok(real) => tighten(&real),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Takes group and other permissions off `dir` and everything in it (symbolic links are not
/// followed: what they point at is not the journal's). A missing `dir` is fine.
pub fn tighten(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::symlink_metadata(dir) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700))?;
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(dir)? {
                tighten(&entry?.path())?;
            }
        }
    }
    Ok(())
}
