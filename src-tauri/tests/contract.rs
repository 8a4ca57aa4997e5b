//! The UI, the capabilities and the shell agree on the command names: every name
//! `ui/src/lib/api.ts` invokes and every `allow-*` a window is granted is a real command.

use jotline_shell::commands::COMMAND_NAMES;
use std::path::PathBuf;

fn repo_file(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Names in `invoke('name'` / `invoke<T>('name'` calls.
fn invoked_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in source.match_indices("invoke") {
        let rest = &source[i + "invoke".len()..];
        let rest = match rest.strip_prefix('<') {
            Some(generic) => match generic.find(">(") {
                Some(end) => &generic[end + 1..],
                None => continue,
            },
            None => rest,
        };
        let Some(rest) = rest.strip_prefix('(') else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            names.push(rest[1..1 + end].to_owned());
        }
    }
    names
}

#[test]
fn api_ts_invokes_only_real_commands_and_covers_them_all() {
    let names = invoked_names(&repo_file("ui/src/lib/api.ts"));
    assert!(!names.is_empty(), "no invoke calls found in api.ts");
    for name in &names {
        assert!(
            COMMAND_NAMES.contains(&name.as_str()),
            "api.ts invokes unknown command {name}"
        );
    }
    for name in COMMAND_NAMES {
        assert!(
            names.iter().any(|n| n == name),
            "api.ts has no wrapper for {name}"
        );
    }
}

#[test]
fn capabilities_grant_only_existing_commands_and_events() {
    for file in [
        "src-tauri/capabilities/main.json",
        "src-tauri/capabilities/capture.json",
    ] {
        let capability: serde_json::Value = serde_json::from_str(&repo_file(file)).unwrap();
        for permission in capability["permissions"].as_array().unwrap() {
            let permission = permission.as_str().unwrap();
            if let Some(command) = permission.strip_prefix("allow-") {
                let command = command.replace('-', "_");
                assert!(
                    COMMAND_NAMES.contains(&command.as_str()),
                    "{file}: {permission}"
                );
            } else {
                assert!(
                    ["core:event:allow-listen", "core:event:allow-unlisten"].contains(&permission),
                    "{file} grants more than the app's own commands and events: {permission}"
                );
            }
        }
    }
}

#[test]
fn security_settings_hold() {
    let config: serde_json::Value = serde_json::from_str(&repo_file("tauri.conf.json")).unwrap();
    assert_eq!(config["app"]["withGlobalTauri"], serde_json::json!(false));
    let csp = &config["app"]["security"]["csp"];
    assert_eq!(csp["default-src"], serde_json::json!("'self'"));
    // Besides IPC, only the asset protocol (recordings are fetched from it into a blob).
    assert_eq!(
        csp["connect-src"],
        serde_json::json!("ipc: http://ipc.localhost asset: http://asset.localhost")
    );
    assert_eq!(csp["media-src"], serde_json::json!("'self' blob:"));
    // No static asset scope: the app allows its audio folder alone at start-up.
    let assets = &config["app"]["security"]["assetProtocol"];
    assert_eq!(assets["scope"], serde_json::json!([]));
}
