#!/usr/bin/env bash
# Runs its arguments with an unlocked GNOME keyring (Secret Service) on the current D-Bus
# session, so the app stores sign-in tokens in a real OS keyring under Xvfb (make e2e runs
# this inside `dbus-run-session`). The keyring (a throwaway password) lives only as long as
# that session.
set -euo pipefail
if command -v gnome-keyring-daemon >/dev/null; then
  export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
  eval "$(printf 'jotline-e2e' | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
else
  echo "with-keyring: gnome-keyring-daemon not installed (make deps installs it)" >&2
fi
exec "$@"
