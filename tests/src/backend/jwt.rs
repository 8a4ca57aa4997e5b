//! HS256 JWTs as GoTrue issues them and PostgREST verifies them: access tokens for users, and
//! the long-lived `anon` / `service_role` API keys.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Roles a token may carry; PostgREST would accept any role the authenticator may switch to,
/// this backend accepts exactly the three Supabase uses.
pub const ALLOWED_ROLES: [&str; 3] = ["anon", "authenticated", "service_role"];

/// Lifetime of the API keys (anon, service): ten years, like the keys of a Supabase project.
const API_KEY_LIFETIME_SECS: u64 = 10 * 365 * 24 * 3600;

/// Claims of a user's access token (README: sub, role, aud, email, exp, iat, session_id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub role: String,
    pub aud: String,
    pub email: String,
    pub exp: u64,
    pub iat: u64,
    pub session_id: String,
    pub iss: String,
}

/// Why a token was refused. Both end in a 401 (`PGRST301` on /rest, GoTrue error on /auth).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid(String),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Expired => write!(f, "JWT expired"),
            TokenError::Invalid(why) => write!(f, "JWT invalid: {why}"),
        }
    }
}

/// The project's JWT secret and what is derived from it.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    secret: String,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").finish_non_exhaustive()
    }
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl JwtKeys {
    pub fn new(secret: &str) -> Self {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            secret: secret.to_string(),
        }
    }

    /// A fresh random secret (64 hex characters).
    pub fn random() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Self::new(&secret)
    }

    pub fn secret(&self) -> &str {
        &self.secret
    }

    /// Signs any claims object with HS256.
    pub fn sign<T: Serialize>(&self, claims: &T) -> String {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of serializable claims cannot fail")
    }

    /// An API key (`anon` or `service_role`), shaped like Supabase's: `iss`, `role`, `iat`, `exp`.
    pub fn api_key(&self, role: &str) -> String {
        let iat = now_secs();
        self.sign(&serde_json::json!({
            "iss": "supabase-demo",
            "role": role,
            "iat": iat,
            "exp": iat + API_KEY_LIFETIME_SECS,
        }))
    }

    /// A user's access token valid for `ttl_secs` from now.
    pub fn access_token(
        &self,
        user_id: &str,
        email: &str,
        session_id: &str,
        ttl_secs: u64,
    ) -> (String, AccessClaims) {
        let iat = now_secs();
        let claims = AccessClaims {
            sub: user_id.to_string(),
            role: "authenticated".to_string(),
            aud: "authenticated".to_string(),
            email: email.to_string(),
            exp: iat + ttl_secs,
            iat,
            session_id: session_id.to_string(),
            iss: "jotline-local-backend/auth/v1".to_string(),
        };
        (self.sign(&claims), claims)
    }

    /// Verifies signature (HS256 only) and expiry (no leeway, so tests can use 1-second tokens)
    /// and returns every claim, as PostgREST hands all of them to `request.jwt.claims`.
    pub fn verify(&self, token: &str) -> Result<Value, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        // The anon key carries no `aud`; PostgREST only checks `aud` when configured to.
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp"]);
        match decode::<Value>(token, &self.decoding, &validation) {
            Ok(data) => {
                let claims = data.claims;
                if !claims.is_object() {
                    return Err(TokenError::Invalid("claims are not an object".into()));
                }
                Ok(claims)
            }
            Err(e) => match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => Err(TokenError::Expired),
                other => Err(TokenError::Invalid(format!("{other:?}"))),
            },
        }
    }

    /// Verifies and also requires a role this backend serves.
    pub fn verify_with_role(&self, token: &str) -> Result<(Value, String), TokenError> {
        let claims = self.verify(token)?;
        let role = claims
            .get("role")
            .and_then(Value::as_str)
            .ok_or_else(|| TokenError::Invalid("no role claim".into()))?
            .to_string();
        if !ALLOWED_ROLES.contains(&role.as_str()) {
            return Err(TokenError::Invalid(format!("role {role:?} not allowed")));
        }
        Ok((claims, role))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let keys = JwtKeys::random();
        let (token, claims) = keys.access_token("u1", "a@example.com", "s1", 60);
        let back = keys.verify(&token).unwrap();
        assert_eq!(back["sub"], "u1");
        assert_eq!(back["exp"], claims.exp);

        let other = JwtKeys::random();
        assert!(matches!(other.verify(&token), Err(TokenError::Invalid(_))));

        let expired = keys.sign(&serde_json::json!({"role": "anon", "exp": now_secs() - 1}));
        assert_eq!(keys.verify(&expired), Err(TokenError::Expired));

        let postgres = keys.sign(&serde_json::json!({"role": "postgres", "exp": now_secs() + 60}));
        assert!(keys.verify_with_role(&postgres).is_err());
        let (_, role) = keys.verify_with_role(&keys.api_key("anon")).unwrap();
        assert_eq!(role, "anon");
    }
}
