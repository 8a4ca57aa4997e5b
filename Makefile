# The README's two commands are `make run` and `make test`; `make bench` prints METRIC lines.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# Builds are the slow part: keep one target dir outside the clone so later runs reuse it.
# Nothing depends on it being warm.
export CARGO_TARGET_DIR ?= /var/tmp/jotline-target
export PATH := $(HOME)/.cargo/bin:$(PATH)
APP_BIN := $(CARGO_TARGET_DIR)/debug/jotline
RELEASE_BIN := $(CARGO_TARGET_DIR)/release/jotline
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: run test bench deps ui check rust-test ui-test e2e app backend package package-test

deps:
	@scripts/ensure-deps.sh

ui: deps
	cd ui && npm run build

run: ui
	cargo run -p jotline

check: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

# Core, shell (mock runtime), and the server side against throwaway PostgreSQL clusters:
# the sync SQL itself (server), the local Supabase-compatible backend over HTTP (backend), and
# client + backend together with injected faults and a randomized multi-device simulation (sync),
# and voice memos: audio upload to Storage and transcription against a test double (voice).
rust-test: ui
	cargo test --workspace --exclude jotline-tests
	cargo test -p jotline-tests --lib --test server --test backend --test sync --test voice

ui-test: deps
	cd ui && npm test

app: ui
	cargo build -p jotline

# The real app under a virtual X display and its own D-Bus session, driven by
# tauri-driver + WebKitWebDriver. Screenshots and logs land in target/e2e-artifacts.
e2e: app
	JOTLINE_APP_BIN=$(APP_BIN) $(XVFB) \
	  dbus-run-session -- scripts/with-keyring.sh cargo test -p jotline-tests --test e2e -- --test-threads=1 --nocapture

# The release .deb, built by the Tauri bundler (scripts/package-deb.sh); prints its path.
package: ui
	scripts/package-deb.sh

# That .deb unpacked into a throwaway root (dpkg-deb -x); `jotline` run from it via PATH.
package-test: package
	$(XVFB) dbus-run-session -- cargo test -p jotline-tests --test package

test: check rust-test ui-test e2e package-test

# The local Supabase-compatible backend on a throwaway PostgreSQL: prints its URL and anon key.
backend: deps
	cargo run -p jotline-tests --bin backend

bench: package
	cargo bench -p jotline-core --bench store
	cargo bench -p jotline-core --bench voice
	JOTLINE_APP_BIN=$(RELEASE_BIN) JOTLINE_DEB="$$(ls $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb)" \
	  $(XVFB) dbus-run-session -- cargo run --release -p jotline-tests --bin app-bench
	cargo run --release -p jotline-tests --bin sync-bench
