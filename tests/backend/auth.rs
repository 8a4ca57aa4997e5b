//! `/auth/v1`: signup, password sign-in, refresh-token rotation, reuse detection, logout.

use jotline_tests::backend::{AuthErrorStyle, BackendOptions, LocalBackend};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{Api, PASSWORD};

#[tokio::test]
async fn signup_then_password_sign_in_returns_the_session_shape() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let signed_up = api.signup("Alice@Example.com").await;

    let (status, body) = api.sign_in("alice@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3600);
    let expires_at = body["expires_at"].as_u64().expect("expires_at");
    let now = jotline_tests::backend::jwt::now_secs();
    assert!((now + 3590..=now + 3610).contains(&expires_at), "{body}");
    assert!(body["refresh_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 20));
    assert_eq!(body["user"]["id"], signed_up.user_id.as_str());
    assert_eq!(body["user"]["email"], "alice@example.com");

    // The access token carries the README's claims and verifies with the backend's secret.
    let keys = jotline_tests::backend::JwtKeys::new(&backend.jwt_secret());
    let claims = keys.verify(body["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["sub"], signed_up.user_id.as_str());
    assert_eq!(claims["role"], "authenticated");
    assert_eq!(claims["aud"], "authenticated");
    assert_eq!(claims["email"], "alice@example.com");
    assert_eq!(claims["exp"].as_u64(), Some(expires_at));
    assert!(claims["iat"].as_u64().is_some());
    assert!(claims["session_id"].as_str().is_some());

    // The password is stored hashed.
    let db = backend.connect_db().await.unwrap();
    let stored: String = db
        .query_one(
            "select encrypted_password from auth.users where email = 'alice@example.com'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(stored.starts_with("$argon2id$"), "{stored}");
}

#[tokio::test]
async fn wrong_password_unknown_user_and_duplicate_signup_are_refused() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    api.signup("bob@example.com").await;

    let (status, body) = api.sign_in("bob@example.com", "not the password").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"error": "invalid_grant", "error_description": "Invalid login credentials"})
    );
    let (status, body) = api.sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");

    let (status, body) = api
        .post(
            "/auth/v1/signup",
            None,
            &json!({"email": "bob@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error_description"].is_string(), "{body}");

    let (status, body) = api
        .post(
            "/auth/v1/signup",
            None,
            &json!({"email": "carol@example.com", "password": "123"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // Without the apikey header the gateway refuses before auth sees the request.
    let response = api
        .http
        .post(format!("{}/auth/v1/token?grant_type=password", api.base))
        .json(&json!({"email": "bob@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn modern_error_style_uses_code_error_code_msg() {
    let backend = LocalBackend::start_with(BackendOptions {
        auth_error_style: AuthErrorStyle::Modern,
        ..BackendOptions::default()
    })
    .await
    .unwrap();
    let api = Api::new(&backend);
    api.signup("dave@example.com").await;
    let (status, body) = api.sign_in("dave@example.com", "wrong password").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"code": 400, "error_code": "invalid_credentials", "msg": "Invalid login credentials"})
    );
}

#[tokio::test]
async fn refresh_rotates_and_reusing_a_rotated_token_ends_the_session() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let first = api.new_user().await;

    let (status, body) = api.refresh(&first.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = crate::support::Session::from_json(&body);
    assert_eq!(second.user_id, first.user_id);
    assert_ne!(second.refresh_token, first.refresh_token);
    assert!(body["expires_at"].as_u64().is_some());

    // Same session: the new access token keeps the session id.
    let keys = jotline_tests::backend::JwtKeys::new(&backend.jwt_secret());
    let sid = |t: &str| keys.verify(t).unwrap()["session_id"].clone();
    assert_eq!(sid(&first.access_token), sid(&second.access_token));

    // The old token is refused now ...
    let (status, body) = api.refresh(&first.refresh_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");
    // ... and its reuse revoked the whole session, the newest token included.
    let (status, body) = api.refresh(&second.refresh_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // A token that never existed.
    let (status, body) = api.refresh("no-such-token").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn logout_revokes_the_sessions_refresh_tokens_only() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let email = "erin@example.com";
    let laptop = api.signup(email).await;
    let (_, phone) = api.sign_in(email, PASSWORD).await;
    let phone = crate::support::Session::from_json(&phone);

    let (status, body) = api
        .post("/auth/v1/logout", Some(&laptop.access_token), &json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let (status, _) = api.refresh(&laptop.refresh_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = api.refresh(&phone.refresh_token).await;
    assert_eq!(status, StatusCode::OK, "the other session survives: {body}");

    // Logout needs a user token.
    let (status, _) = api.post("/auth/v1/logout", None, &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
