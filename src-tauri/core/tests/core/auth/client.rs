use crate::sync::stub::{dead_url, reply, Stub};
use jotline_core::auth::{AuthClient, AuthError, BackendConfig, SignUpOutcome};
use std::time::Duration;

const USER: &str = "019a0000-0000-7000-8000-0000000000aa";

fn token_body(access: &str, refresh: &str) -> String {
    format!(
        r#"{{"access_token": "{access}", "token_type": "bearer", "expires_in": 3600,
            "expires_at": 1900000000, "refresh_token": "{refresh}",
            "user": {{"id": "{USER}", "email": "a@example.com", "role": "authenticated"}}}}"#
    )
}

fn client(url: &str) -> AuthClient {
    let mut cfg = BackendConfig::new(url, "anon-key");
    cfg.timeout = Duration::from_millis(500);
    AuthClient::new(cfg).unwrap()
}

#[tokio::test]
async fn sign_in_posts_the_password_grant_and_returns_a_session() {
    let stub = Stub::start(vec![reply(200, &token_body("at-1", "rt-1"))]);
    let s = client(&stub.url)
        .sign_in("a@example.com", "pw")
        .await
        .unwrap();
    assert_eq!(
        (s.access_token.as_str(), s.refresh_token.as_str()),
        ("at-1", "rt-1")
    );
    assert_eq!(s.user_id.to_string(), USER);
    assert_eq!(s.email.as_deref(), Some("a@example.com"));
    assert_eq!(s.expires_at.timestamp(), 1_900_000_000);
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/auth/v1/token?grant_type=password");
    assert_eq!(req.header("apikey"), Some("anon-key"));
    assert_eq!(
        req.json(),
        serde_json::json!({"email": "a@example.com", "password": "pw"})
    );
}

#[tokio::test]
async fn refresh_uses_the_refresh_grant_and_returns_the_rotated_token() {
    let stub = Stub::start(vec![reply(200, &token_body("at-2", "rt-2"))]);
    let s = client(&stub.url).refresh("rt-1").await.unwrap();
    assert_eq!(s.refresh_token, "rt-2");
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/auth/v1/token?grant_type=refresh_token");
    assert_eq!(req.json(), serde_json::json!({"refresh_token": "rt-1"}));
}

#[tokio::test]
async fn every_gotrue_error_shape_maps_to_invalid_credentials() {
    let stub = Stub::start(vec![
        reply(
            400,
            r#"{"error": "invalid_grant", "error_description": "Invalid login credentials"}"#,
        ),
        reply(
            400,
            r#"{"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"}"#,
        ),
        reply(
            400,
            r#"{"code": "invalid_credentials", "message": "Invalid login credentials"}"#,
        ),
        reply(
            400,
            r#"{"code": 400, "error_code": "refresh_token_already_used", "msg": "Invalid Refresh Token: Already Used"}"#,
        ),
    ]);
    let c = client(&stub.url);
    // Older GoTrue, GoTrue's default today, and its 2024-01-01 API version.
    for _ in 0..3 {
        assert_eq!(
            c.sign_in("a@example.com", "wrong").await.unwrap_err(),
            AuthError::InvalidCredentials("Invalid login credentials".into())
        );
    }
    assert!(matches!(
        c.refresh("old").await.unwrap_err(),
        AuthError::InvalidCredentials(_)
    ));
}

#[tokio::test]
async fn other_errors_keep_status_and_message() {
    let stub = Stub::start(vec![
        reply(
            422,
            r#"{"code": 422, "error_code": "user_already_exists", "msg": "User already registered"}"#,
        ),
        reply(500, "upstream exploded"),
        reply(429, r#"{"error": "over_request_rate_limit"}"#),
    ]);
    let c = client(&stub.url);
    assert_eq!(
        c.sign_up("a@example.com", "pw").await.unwrap_err(),
        AuthError::Server {
            status: 422,
            message: "User already registered".into()
        }
    );
    assert_eq!(
        c.sign_in("a@example.com", "pw").await.unwrap_err(),
        AuthError::Server {
            status: 500,
            message: "upstream exploded".into()
        }
    );
    assert_eq!(
        c.sign_in("a@example.com", "pw").await.unwrap_err(),
        AuthError::Server {
            status: 429,
            message: "over_request_rate_limit".into()
        }
    );
}

#[tokio::test]
async fn a_malformed_success_body_is_malformed_and_quotes_no_token() {
    let stub = Stub::start(vec![
        reply(200, r#"{"access_token": "secret-at", "refresh_token": 7}"#),
        reply(200, r#"{"access_token": "secret-at""#),
    ]);
    let c = client(&stub.url);
    for _ in 0..2 {
        let err = c.sign_in("a@example.com", "pw").await.unwrap_err();
        assert!(matches!(err, AuthError::Malformed(_)), "{err:?}");
        assert!(!err.to_string().contains("secret-at"), "{err}");
    }
}

#[tokio::test]
async fn sign_up_returns_a_session_or_asks_for_confirmation() {
    let stub = Stub::start(vec![
        reply(200, &token_body("at-1", "rt-1")),
        reply(
            200,
            &format!(
                r#"{{"id": "{USER}", "email": "b@example.com", "confirmation_sent_at": "x"}}"#
            ),
        ),
    ]);
    let c = client(&stub.url);
    assert!(matches!(
        c.sign_up("a@example.com", "pw").await.unwrap(),
        SignUpOutcome::SignedIn(_)
    ));
    assert_eq!(
        c.sign_up("b@example.com", "pw").await.unwrap(),
        SignUpOutcome::ConfirmationRequired {
            email: "b@example.com".into()
        }
    );
    assert_eq!(stub.requests()[0].target, "/auth/v1/signup");
}

#[tokio::test]
async fn sign_out_sends_the_bearer_and_tolerates_an_already_dead_token() {
    let stub = Stub::start(vec![
        reply(204, ""),
        reply(
            403,
            r#"{"code": 403, "error_code": "session_not_found", "msg": "Session not found"}"#,
        ),
        reply(500, "boom"),
    ]);
    let c = client(&stub.url);
    c.sign_out("at-1").await.unwrap();
    c.sign_out("at-1").await.unwrap();
    assert!(matches!(
        c.sign_out("at-1").await.unwrap_err(),
        AuthError::Server { status: 500, .. }
    ));
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/auth/v1/logout");
    assert_eq!(req.header("authorization"), Some("Bearer at-1"));
    assert_eq!(req.header("apikey"), Some("anon-key"));
}

#[tokio::test]
async fn an_unreachable_backend_is_a_network_error() {
    let err = client(&dead_url())
        .sign_in("a@example.com", "pw")
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::Network(_)), "{err:?}");
}
