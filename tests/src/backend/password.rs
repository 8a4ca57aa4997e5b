//! Password hashes for `auth.users.encrypted_password` (PHC strings, Argon2id).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::errors::AuthError;

/// Argon2id with deliberately tiny costs (256 KiB, one pass): this backend only ever holds
/// throwaway test users on a small CI machine, and tests sign up many users; the real cost
/// parameters would only make the suite slower without protecting anything.
fn hasher() -> Argon2<'static> {
    let params = Params::new(256, 1, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::internal(format!("hashing the password: {e}")))
}

pub fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let a = hash_password("hunter22").unwrap();
        let b = hash_password("hunter22").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(password_matches("hunter22", &a));
        assert!(!password_matches("hunter23", &a));
        assert!(!password_matches("hunter22", "not a hash"));
    }
}
