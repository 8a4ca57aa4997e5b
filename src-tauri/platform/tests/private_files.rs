//! The journal's files are private: new ones 0600 / 0700 whatever the umask, and an older
//! install (0755 folder, 0644 files) tightened without following links out of it.

use jotline_platform::private_files::{restrict_new_files, tighten_data_dir};
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn an_older_install_is_tightened_and_links_out_of_it_are_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("journal");
    let audio = data.join("audio");
    std::fs::create_dir_all(&audio).unwrap();
    let outside = root.path().join("elsewhere.txt");
    for file in [
        data.join("jotline.db"),
        data.join("settings.json"),
        audio.join("a.wav"),
        outside.clone(),
    ] {
        std::fs::write(&file, b"x").unwrap();
        set_mode(&file, 0o644);
    }
    set_mode(&data, 0o755);
    set_mode(&audio, 0o755);
    symlink(&outside, data.join("link")).unwrap();
    // Named through a link, as a user may.
    let named = root.path().join("named");
    symlink(&data, &named).unwrap();

    tighten_data_dir(&named).unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&audio), 0o700);
    for file in ["jotline.db", "settings.json", "audio/a.wav"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    assert_eq!(
        mode(&outside),
        0o644,
        "a link's target is not the journal's"
    );
    tighten_data_dir(&root.path().join("missing")).unwrap();
}

#[test]
fn new_files_are_private_whatever_the_umask() {
    // This test binary's own process: the mask is process-wide.
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
    restrict_new_files();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("logs");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("jotline.log");
    std::fs::write(&file, b"x").unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&file), 0o600);
}
