//! JWT-shaped access tokens (`jwt_access_tokens`, register S5): the public server issues
//! `header.payload.signature` (RFC 7519, each part base64url without padding), signed with
//! HMAC-SHA256, whose payload carries `_id`, `native_id`, `login` and `type`. The mock still
//! looks every token up in its store; the signature only makes the token well formed for
//! clients that decode it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// What an access token's payload says.
#[derive(Clone, Debug)]
pub(crate) struct Claims<'a> {
    /// The user's `_id`; `native_id` repeats it (user records carry no other).
    pub user: &'a str,
    pub login: &'a str,
    /// Seconds since the epoch.
    pub issued_at: i64,
    /// Seconds since the epoch.
    pub expires_at: i64,
    /// Unique per token, so two tokens issued in the same second differ.
    pub jti: &'a str,
}

/// The signed token: `base64url(header).base64url(payload).base64url(HMAC-SHA256)`.
pub(crate) fn sign(secret: &[u8], claims: &Claims<'_>) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT"});
    let payload = json!({
        "_id": claims.user,
        "native_id": claims.user,
        "login": claims.login,
        "type": "access",
        "iat": claims.issued_at,
        "exp": claims.expires_at,
        "jti": claims.jti,
    });
    let signing_input = format!("{}.{}", part(&header), part(&payload));
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let signature = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(signing_input.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    format!("{signing_input}.{signature}")
}

fn part(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn a_token_is_three_base64url_parts_with_the_claims_and_a_valid_signature() {
        let claims = Claims { user: "6650a", login: "alice", issued_at: 10, expires_at: 3610, jti: "j1" };
        let token = sign(b"secret", &claims);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        assert_eq!(decode(parts[0]), json!({"alg": "HS256", "typ": "JWT"}));
        let payload = decode(parts[1]);
        assert_eq!(payload["_id"], "6650a");
        assert_eq!(payload["native_id"], "6650a");
        assert_eq!(payload["login"], "alice");
        assert_eq!(payload["type"], "access");
        assert_eq!(payload["exp"], 3610);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
        assert_ne!(token, sign(b"secret", &Claims { jti: "j2", ..claims }));
    }
}
