//! The session provider against the canned-response stub: refreshed before expiry, one
//! refresh for any number of waiting callers, and a dead refresh token signs out.

use crate::sync::stub::{dead_url, reply, slow, Stub};
use chrono::{Duration as Span, Utc};
use jotline_core::auth::{
    AuthClient, AuthError, BackendConfig, MemoryTokenStore, Session, SessionError, SessionProvider,
    TokenStore,
};
use std::sync::Arc;
use std::time::Duration;

const USER: &str = "019a0000-0000-7000-8000-0000000000aa";

fn rotated() -> String {
    format!(
        r#"{{"access_token": "at-2", "token_type": "bearer", "expires_in": 3600,
            "expires_at": 1900000000, "refresh_token": "rt-2",
            "user": {{"id": "{USER}", "email": "a@example.com"}}}}"#
    )
}

fn stored(expires_in: Span) -> (Arc<MemoryTokenStore>, Session) {
    let session = Session {
        access_token: "at-1".into(),
        refresh_token: "rt-1".into(),
        expires_at: Utc::now() + expires_in,
        user_id: USER.parse().unwrap(),
        email: Some("a@example.com".into()),
    };
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session).unwrap();
    (tokens, session)
}

fn provider(url: &str, tokens: &Arc<MemoryTokenStore>) -> SessionProvider {
    let mut cfg = BackendConfig::new(url, "anon-key");
    cfg.timeout = Duration::from_millis(800);
    SessionProvider::new(AuthClient::new(cfg).unwrap(), tokens.clone())
}

#[tokio::test]
async fn a_session_good_for_more_than_a_minute_is_used_as_it_is() {
    let stub = Stub::start(vec![]);
    let (tokens, _) = stored(Span::minutes(5));
    let s = provider(&stub.url, &tokens).session().await.unwrap();
    assert_eq!(s.access_token, "at-1");
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn a_session_about_to_expire_is_refreshed_before_use_and_stored() {
    let stub = Stub::start(vec![reply(200, &rotated())]);
    let (tokens, _) = stored(Span::seconds(30));
    let s = provider(&stub.url, &tokens).session().await.unwrap();
    assert_eq!(
        (s.access_token.as_str(), s.refresh_token.as_str()),
        ("at-2", "rt-2")
    );
    assert_eq!(tokens.load().unwrap().unwrap().access_token, "at-2");
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/auth/v1/token?grant_type=refresh_token");
    assert_eq!(req.json(), serde_json::json!({"refresh_token": "rt-1"}));
}

#[tokio::test]
async fn callers_waiting_on_an_expiring_session_spend_the_refresh_token_once() {
    // One answer only: a second refresh would find nobody listening.
    let stub = Stub::start(vec![slow(200, &rotated(), Duration::from_millis(300))]);
    let (tokens, _) = stored(Span::seconds(10));
    let provider = provider(&stub.url, &tokens);
    let (a, b, c) = tokio::join!(provider.session(), provider.session(), provider.session());
    for s in [a, b, c] {
        assert_eq!(s.unwrap().access_token, "at-2");
    }
    assert_eq!(stub.requests().len(), 1);
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_for_everyone_it_was_rejected_for() {
    let stub = Stub::start(vec![slow(200, &rotated(), Duration::from_millis(200))]);
    let (tokens, session) = stored(Span::minutes(30));
    let provider = provider(&stub.url, &tokens);
    let (a, b) = tokio::join!(
        provider.after_rejection(&session),
        provider.after_rejection(&session)
    );
    assert_eq!(a.unwrap().access_token, "at-2");
    assert_eq!(b.unwrap().access_token, "at-2");
    assert_eq!(stub.requests().len(), 1);
    assert_eq!(
        provider.session().await.unwrap().access_token,
        "at-2",
        "the renewed session is the one in use"
    );
}

#[tokio::test]
async fn a_dead_refresh_token_signs_out_and_nothing_signed_in_is_signed_out() {
    let stub = Stub::start(vec![reply(
        400,
        r#"{"code": "refresh_token_not_found", "error_code": "refresh_token_not_found",
            "msg": "Invalid Refresh Token: Refresh Token Not Found"}"#,
    )]);
    let (tokens, _) = stored(Span::seconds(5));
    let provider = provider(&stub.url, &tokens);
    assert!(matches!(
        provider.session().await,
        Err(SessionError::Expired)
    ));
    assert!(
        tokens.load().unwrap().is_none(),
        "the dead session is forgotten"
    );
    assert!(matches!(
        provider.session().await,
        Err(SessionError::SignedOut)
    ));
}

#[tokio::test]
async fn offline_the_refresh_waits_and_the_session_is_kept() {
    let (tokens, _) = stored(Span::seconds(5));
    let err = provider(&dead_url(), &tokens).session().await.unwrap_err();
    assert!(
        matches!(err, SessionError::Auth(AuthError::Network(_))),
        "{err:?}"
    );
    assert_eq!(tokens.load().unwrap().unwrap().refresh_token, "rt-1");
}
