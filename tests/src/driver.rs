//! One running app under WebDriver: tauri-driver on a free port, a fantoccini session whose
//! `tauri:options` launch the built app with its own data dir.

use crate::key_grabs::wait_until_no_key_grabs;
use crate::process::{free_port, kill_all, kill_tree, tree};
use anyhow::{bail, Context};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The default capture hotkey, as xdotool spells it.
pub const CAPTURE_HOTKEY: &str = "ctrl+shift+space";
/// The default voice hotkey, as xdotool spells it.
pub const VOICE_HOTKEY: &str = "ctrl+shift+r";

pub struct AppSession {
    pub client: Client,
    driver: Child,
}

impl AppSession {
    /// Starts the app at `binary` with `JOTLINE_DATA_DIR=data_dir`; app output goes to `log`.
    pub async fn launch(binary: &Path, data_dir: &Path, log: &Path) -> anyhow::Result<Self> {
        Self::launch_with_env(binary, data_dir, log, &[]).await
    }

    /// [`Self::launch`] with more environment for the app (e.g. a WAV standing in for the
    /// microphone).
    pub async fn launch_with_env(
        binary: &Path,
        data_dir: &Path,
        log: &Path,
        env: &[(&str, &Path)],
    ) -> anyhow::Result<Self> {
        Self::launch_with(binary, data_dir, log, env, &[]).await
    }

    /// [`Self::launch_with_env`] with command-line arguments for the app.
    pub async fn launch_with(
        binary: &Path,
        data_dir: &Path,
        log: &Path,
        env: &[(&str, &Path)],
        args: &[&str],
    ) -> anyhow::Result<Self> {
        anyhow::ensure!(binary.exists(), "app binary {} not built", binary.display());
        let port = free_port();
        let native_port = free_port();
        let log_file = std::fs::File::create(log)?;
        let driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .env("JOTLINE_DATA_DIR", data_dir)
            .env("JOTLINE_LOG", "info")
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .context("start tauri-driver (make deps installs it)")?;
        let mut session = None;
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            json!({ "application": binary.to_string_lossy(), "args": args }),
        );
        caps.insert("browserName".into(), json!("wry"));
        while Instant::now() < deadline {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => {
                    session = Some(client);
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
            }
        }
        let Some(client) = session else {
            bail!("could not open a WebDriver session on tauri-driver");
        };
        Ok(Self { client, driver })
    }

    /// Switches to the journal window (served at `/`, i.e. index.html).
    pub async fn switch_to_main(&self) -> anyhow::Result<()> {
        self.switch_to_page(|path| path == "/" || path.ends_with("/index.html"), "main")
            .await
    }

    /// Switches to the quick-capture window.
    pub async fn switch_to_capture(&self) -> anyhow::Result<()> {
        self.switch_to_page(|path| path.ends_with("/capture.html"), "capture")
            .await
    }

    async fn switch_to_page(
        &self,
        is_page: impl Fn(&str) -> bool,
        page: &str,
    ) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            for handle in self.client.windows().await? {
                self.client.switch_to_window(handle).await?;
                let path = self
                    .client
                    .execute("return window.location.pathname", vec![])
                    .await?;
                if path.as_str().is_some_and(&is_page) {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bail!("no {page} window")
    }

    /// Presses the capture hotkey on the X display and waits until the capture window is
    /// on screen; leaves the session switched to it.
    pub async fn open_capture_with_hotkey(&self) -> anyhow::Result<()> {
        self.open_capture_with(CAPTURE_HOTKEY).await
    }

    /// [`Self::open_capture_with_hotkey`] for a capture hotkey the test has set (`keys` as
    /// xdotool spells them).
    pub async fn open_capture_with(&self, keys: &str) -> anyhow::Result<()> {
        self.switch_to_capture().await?;
        press_keys(keys)?;
        self.wait_until(
            "the capture window is shown",
            "return document.visibilityState === 'visible'",
        )
        .await
    }

    /// Waits until an entry of the timeline in the current window contains `text`.
    pub async fn wait_for_timeline_text(&self, text: &str) -> anyhow::Result<()> {
        let script = format!(
            "return [...document.querySelectorAll('[data-testid=timeline-entry]')]\
             .some(e => e.textContent.includes({}))",
            serde_json::to_string(text)?
        );
        self.wait_until("the note shows in the timeline", &script)
            .await
    }

    /// Waits for `css`, scrolls it to the middle of the view (a long page may have it below
    /// the fold, under the status bar) and clicks it.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        let element = self.wait_for_enabled(css).await?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                vec![serde_json::to_value(&element)?],
            )
            .await?;
        element.click().await?;
        Ok(())
    }

    pub async fn wait_for(&self, css: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("waiting for {css}"))
    }

    /// Waits for `css` to exist and accept input: a form shown before its data has loaded keeps
    /// its fields disabled, and typing into one then fails or is overwritten.
    pub async fn wait_for_enabled(&self, css: &str) -> anyhow::Result<Element> {
        let element = self.wait_for(css).await?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while !element.is_enabled().await? {
            if Instant::now() >= deadline {
                bail!("{css} stayed disabled");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(element)
    }

    /// Polls `script` (which returns a boolean) until it is true.
    pub async fn wait_until(&self, what: &str, script: &str) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.client.execute(script, vec![]).await?.as_bool() == Some(true) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("timed out waiting until {what}")
    }

    pub async fn visibility(&self) -> anyhow::Result<String> {
        let state = self
            .client
            .execute("return document.visibilityState", vec![])
            .await?;
        Ok(state.as_str().unwrap_or_default().to_owned())
    }

    pub async fn screenshot(&self, path: PathBuf) -> anyhow::Result<()> {
        // Let the page paint what the DOM already holds before taking the picture.
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));",
                vec![],
            )
            .await?;
        let png = self.client.screenshot().await?;
        std::fs::write(&path, png)?;
        eprintln!("screenshot: {}", path.display());
        Ok(())
    }

    pub async fn close(mut self) -> anyhow::Result<()> {
        // Ending the WebDriver session stops the app without waiting for it, and an app that
        // outlives its driver is no longer in the driver's tree: note the tree first.
        let processes = tree(self.driver.id());
        let closed = self.client.clone().close().await;
        kill_all(&processes);
        kill_tree(self.driver.id());
        let _ = self.driver.wait();
        closed?;
        wait_until_no_key_grabs(Duration::from_secs(10))
    }
}

impl Drop for AppSession {
    /// Also when a test fails half-way: the app (a grandchild, started by WebKitWebDriver)
    /// goes too, so its global hotkeys cannot reach into the next test.
    fn drop(&mut self) {
        kill_tree(self.driver.id());
        let _ = self.driver.wait();
        if let Err(err) = wait_until_no_key_grabs(Duration::from_secs(10)) {
            eprintln!("after the app: {err:#}");
        }
    }
}

/// Presses a key combination on the X display, as a user would (reaches global shortcuts).
pub fn press_keys(keys: &str) -> anyhow::Result<()> {
    xdotool(&["key", "--clearmodifiers", keys])
}

/// Holds a key combination down for `held`, then lets go (a push-to-talk press). The X server
/// may auto-repeat the key meanwhile, as a real keyboard does.
pub async fn hold_keys(keys: &str, held: Duration) -> anyhow::Result<()> {
    xdotool(&["keydown", keys])?;
    tokio::time::sleep(held).await;
    xdotool(&["keyup", keys])
}

fn xdotool(args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("xdotool")
        .args(args)
        .stdin(Stdio::null())
        .status()
        .context("run xdotool")?;
    anyhow::ensure!(status.success(), "xdotool {args:?} failed");
    Ok(())
}
