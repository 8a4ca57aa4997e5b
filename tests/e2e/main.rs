//! End-to-end tests of the real app window (run by `make e2e` under Xvfb + D-Bus).

mod capture_flow;
mod startup_errors;
