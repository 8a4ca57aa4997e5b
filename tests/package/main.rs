//! The .deb that `make package` builds, installed into a throwaway root with `dpkg-deb -x`:
//! its metadata, the desktop entry and icons, and the `jotline` command run from that root
//! through PATH against a temp journal (capture, then export and read back).
//! `make package-test` runs this under Xvfb and a D-Bus session, as a desktop would.

use jotline_core::export;
use jotline_tests::app;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `JOTLINE_DEB`, else the bundler's output for this version in the cargo target dir.
fn deb() -> PathBuf {
    if let Some(path) = std::env::var_os("JOTLINE_DEB") {
        return PathBuf::from(path);
    }
    let arch = run(Command::new("dpkg").arg("--print-architecture"));
    let name = format!(
        "Jotline_{}_{}.deb",
        env!("CARGO_PKG_VERSION"),
        String::from_utf8_lossy(&arch.stdout).trim()
    );
    app::target_dir().join("release/bundle/deb").join(name)
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("the command runs");
    assert!(output.status.success(), "{command:?} failed: {output:?}");
    output
}

fn field(name: &str) -> String {
    let out = run(Command::new("dpkg-deb").arg("-f").arg(deb()).arg(name));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The package unpacked into a temp root, as `dpkg -i` would lay it out under `/`.
fn install() -> tempfile::TempDir {
    let deb = deb();
    assert!(
        deb.exists(),
        "{} missing: run `make package`",
        deb.display()
    );
    let root = tempfile::tempdir().unwrap();
    run(Command::new("dpkg-deb")
        .arg("-x")
        .arg(&deb)
        .arg(root.path()));
    root
}

/// `jotline ARGS` found through PATH in the installed root, on the journal in `data`.
fn jotline(root: &Path, data: &Path, args: &[&str]) -> Output {
    installed(root)
        .args(args)
        .env("JOTLINE_DATA_DIR", data)
        .output()
        .expect("jotline is on PATH")
}

/// The installed `jotline`, found through PATH.
fn installed(root: &Path) -> Command {
    let path = format!(
        "{}:{}",
        root.join("usr/bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("jotline");
    command.env("PATH", path);
    command
}

#[test]
fn the_package_names_the_app_and_what_it_needs() {
    assert_eq!(field("Package"), "jotline");
    assert_eq!(field("Version"), env!("CARGO_PKG_VERSION"));
    let depends = field("Depends");
    for library in [
        "libwebkit2gtk-4.1-0",
        "libgtk-3-0",
        "libayatana-appindicator3-1",
    ] {
        assert!(depends.contains(library), "Depends: {depends}");
    }
}

#[test]
fn the_package_installs_the_command_a_desktop_entry_and_the_icons() {
    let root = install();
    let binary = root.path().join("usr/bin/jotline");
    let mode = std::os::unix::fs::PermissionsExt::mode(&binary.metadata().unwrap().permissions());
    assert!(mode & 0o111 != 0, "not executable: {mode:o}");

    let desktop =
        std::fs::read_to_string(root.path().join("usr/share/applications/Jotline.desktop"))
            .unwrap();
    for line in [
        "Exec=jotline",
        "Icon=jotline",
        "Name=Jotline",
        "Type=Application",
    ] {
        assert!(
            desktop.lines().any(|l| l == line),
            "{line} missing:\n{desktop}"
        );
    }
    for size in ["32x32", "128x128", "512x512"] {
        let icon = root
            .path()
            .join(format!("usr/share/icons/hicolor/{size}/apps/jotline.png"));
        assert!(icon.exists(), "{} missing", icon.display());
    }
}

#[test]
fn the_installed_command_prints_its_version_captures_and_exports() {
    let root = install();
    let data = tempfile::tempdir().unwrap();

    let version = jotline(root.path(), data.path(), &["--version"]);
    assert!(version.status.success(), "{version:?}");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("jotline {}", env!("CARGO_PKG_VERSION"))
    );

    let text = "Installed and captured from the terminal #deb";
    let saved = jotline(root.path(), data.path(), &["capture", text]);
    assert!(saved.status.success(), "{saved:?}");
    assert!(String::from_utf8_lossy(&saved.stdout).contains("Saved to the journal"));

    let out = tempfile::tempdir().unwrap();
    let json_dir = out.path().join("json");
    let md_dir = out.path().join("md");
    let json = jotline(
        root.path(),
        data.path(),
        &["export", "--format", "json", json_dir.to_str().unwrap()],
    );
    assert!(json.status.success(), "{json:?}");
    assert!(String::from_utf8_lossy(&json.stdout).contains("Exported 1 entry to"));
    let md = jotline(
        root.path(),
        data.path(),
        &["export", "--format", "md", md_dir.to_str().unwrap()],
    );
    assert!(md.status.success(), "{md:?}");

    let from_json = export::read_json(&json_dir).unwrap();
    let from_md = export::read_markdown(&md_dir).unwrap();
    assert_eq!(from_json.len(), 1);
    assert_eq!(from_json[0].body, text);
    assert_eq!(from_md.len(), 1);
    assert_eq!(from_md[0].body, text);
    assert_eq!(from_md[0].id, from_json[0].id);
}

#[test]
fn by_default_the_journal_and_its_logs_live_in_the_platform_data_dir() {
    let root = install();
    let home = tempfile::tempdir().unwrap();
    let text = "Where does this go?";
    let saved = installed(root.path())
        .args(["capture", text])
        .env("HOME", home.path())
        .env_remove("JOTLINE_DATA_DIR")
        .env_remove("XDG_DATA_HOME")
        .output()
        .unwrap();
    assert!(saved.status.success(), "{saved:?}");

    let data = home.path().join(".local/share/app.jotline.journal");
    assert_eq!(
        jotline_tests::journal_db::entry_bodies(&data).unwrap(),
        vec![text.to_string()]
    );
    let logs: Vec<_> = std::fs::read_dir(data.join("logs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        logs.iter()
            .any(|name| name.starts_with("jotline.") && name.ends_with(".log")),
        "{logs:?}"
    );
}
