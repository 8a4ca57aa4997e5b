#!/usr/bin/env bash
# Installs whatever `make run` / `make test` need and this machine lacks: Debian packages
# (via sudo when not root), the Rust components, tauri-driver, and the UI's npm packages.
# Each step checks first, so a prepared machine pays almost nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libayatana-appindicator3-dev librsvg2-dev libasound2-dev libxdo-dev
  xvfb xauth webkit2gtk-driver dbus-x11 xdotool
  postgresql-15 gnome-keyring libsecret-tools
  sox espeak-ng
)

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if command -v rustup >/dev/null; then
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
  done
fi

if ! command -v tauri-driver >/dev/null; then
  echo "==> installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi

# npm ci only when package-lock.json changed since the last install.
stamp=ui/node_modules/.jotline-lock-stamp
lock_sum=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> installing UI packages (npm ci)"
  (cd ui && npm ci --no-audit --no-fund)
  echo "$lock_sum" > "$stamp"
fi

# Supabase's own tools for the tests (the CLI applies migrations/server): same rule.
stamp=tests/supabase-tools/node_modules/.jotline-lock-stamp
lock_sum=$(sha256sum tests/supabase-tools/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "==> installing Supabase's tools (npm ci)"
  (cd tests/supabase-tools && npm ci --no-audit --no-fund)
  echo "$lock_sum" > "$stamp"
fi
