//! A channel's access token checked the way Realtime checks it (`ChannelsAuthorization`,
//! `JwtVerification`, `RealtimeChannel.confirm_token`): claims and header read first, an
//! HS256/384/512 signature with the project secret, `exp` in the future, `role` and `exp`
//! present. Each refusal keeps Realtime's own words: with an error code when a join is
//! refused, without one when a joined channel is shut down.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
use serde_json::Value;

use crate::backend::jwt::now_secs;

/// Why Realtime refuses a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Claims that are not base64url JSON (`:token_malformed`).
    Malformed,
    /// An algorithm with no signer for the project's secret (`:error_generating_signer`).
    NoSigner,
    /// A signature the secret does not verify (`:signature_error`).
    Signature,
    /// `exp` not in the future; Realtime says how long ago.
    Expired { seconds_ago: i64 },
    /// `role` or `exp` absent.
    MissingClaims,
    /// Anything else Realtime only reports generically (claims that are not a map, …).
    Other(&'static str),
}

impl Refusal {
    /// The `reason` of a refused `phx_join`.
    pub fn join_reason(&self) -> String {
        match self {
            Refusal::Malformed => "MalformedJWT: The token provided is not a valid JWT".into(),
            Refusal::NoSigner => format!("JwtSignerError: {NO_SIGNER}"),
            Refusal::Signature => "JwtSignatureError: Failed to validate JWT signature".into(),
            Refusal::Expired { .. } | Refusal::MissingClaims => {
                format!("InvalidJWTToken: {}", self.shutdown_message())
            }
            Refusal::Other(_) => "Unknown Error on Channel".into(),
        }
    }

    /// The `message` of the `system` error that shuts a joined channel down (a new
    /// `access_token`, or the token expiring).
    pub fn shutdown_message(&self) -> String {
        match self {
            Refusal::Malformed => "The token provided is not a valid JWT".into(),
            Refusal::NoSigner => NO_SIGNER.into(),
            // Realtime shows the bare reason (`inspect(:signature_error)`).
            Refusal::Signature => ":signature_error".into(),
            Refusal::Expired { seconds_ago } => {
                format!("Token has expired {seconds_ago} seconds ago")
            }
            Refusal::MissingClaims => "Fields `role` and `exp` are required in JWT".into(),
            Refusal::Other(reason) => format!(":{reason}"),
        }
    }
}

const NO_SIGNER: &str =
    "Failed to generate JWT signer, check your JWT secret or JWKS configuration";

/// A token Realtime accepted: its claims and `exp` (seconds since the epoch).
#[derive(Debug, Clone)]
pub struct Accepted {
    pub claims: Value,
    pub exp: i64,
}

/// Checks `token` against the project's JWT `secret`.
pub fn confirm(token: &str, secret: &str) -> Result<Accepted, Refusal> {
    // ChannelsAuthorization.clean_token: URI-decoded, whitespace removed.
    let token: String = percent_decode(token)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(Refusal::Malformed);
    }
    let claims = match peek(parts[1]) {
        Some(Value::Object(map)) => Value::Object(map),
        Some(_) => return Err(Refusal::Other("expected_claims_map")),
        None => return Err(Refusal::Malformed),
    };
    let Some(Value::Object(header)) = peek(parts[0]) else {
        return Err(Refusal::Other("expected_header_map"));
    };
    let algorithm = match header.get("alg").and_then(Value::as_str) {
        Some("HS256") => Algorithm::HS256,
        Some("HS384") => Algorithm::HS384,
        Some("HS512") => Algorithm::HS512,
        _ => return Err(Refusal::NoSigner),
    };
    let mut validation = Validation::new(algorithm);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    decode::<Value>(
        &token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::InvalidSignature => Refusal::Signature,
        _ => Refusal::Malformed,
    })?;

    // Joken validates `exp` and `iat` only when present; `exp` must be a number in the future.
    let now = now_secs() as i64;
    let exp = match claims.get("exp") {
        None => None,
        Some(Value::Number(n)) => {
            let exp = n.as_f64().unwrap_or(0.0);
            if exp <= now as f64 {
                return Err(match n.as_i64() {
                    Some(exp) => Refusal::Expired {
                        seconds_ago: now - exp,
                    },
                    None => Refusal::Other("invalid_exp"),
                });
            }
            Some(exp.round() as i64)
        }
        Some(_) => return Err(Refusal::Other("invalid_exp")),
    };
    if claims.get("iat").is_some_and(|iat| !iat.is_number()) {
        return Err(Refusal::Other("invalid_iat"));
    }
    match (claims.get("role"), exp) {
        (Some(_), Some(exp)) => Ok(Accepted { claims, exp }),
        _ => Err(Refusal::MissingClaims),
    }
}

fn peek(part: &str) -> Option<Value> {
    let bytes = URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `URI.decode`: `%XX` escapes become bytes; anything else stays.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::jwt::JwtKeys;
    use serde_json::json;

    #[test]
    fn refusals_in_realtimes_words() {
        let keys = JwtKeys::random();
        let (token, _) = keys.access_token("u", "u@example.com", "s", 60);
        let accepted = confirm(&token, keys.secret()).unwrap();
        assert_eq!(accepted.claims["sub"], "u");

        let other = JwtKeys::random();
        assert_eq!(
            confirm(&token, other.secret()).unwrap_err(),
            Refusal::Signature
        );
        assert_eq!(
            confirm("abc", keys.secret()).unwrap_err(),
            Refusal::Malformed
        );

        let old = keys.sign(&json!({"role": "authenticated", "exp": now_secs() - 10}));
        let refusal = confirm(&old, keys.secret()).unwrap_err();
        assert!(
            matches!(refusal, Refusal::Expired { seconds_ago } if (10..=11).contains(&seconds_ago))
        );
        assert!(refusal
            .join_reason()
            .starts_with("InvalidJWTToken: Token has expired 1"));

        let no_role = keys.sign(&json!({"exp": now_secs() + 60}));
        assert_eq!(
            confirm(&no_role, keys.secret()).unwrap_err().join_reason(),
            "InvalidJWTToken: Fields `role` and `exp` are required in JWT"
        );
    }

    #[test]
    fn escapes_are_decoded() {
        assert_eq!(percent_decode("a%2Eb%zz%"), "a.b%zz%");
    }
}
