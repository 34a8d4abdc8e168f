//! Step definitions, one folder per API and one file per area, named like the features.

pub mod sama;
pub mod unichat;

use cucumber::given;

use crate::world::ChatWorld;

/// `Given the users Alice, Bob and Carol`: each is made a user on the target the way its
/// profile says, and connected (an event stream for Unichat, a linked socket for SAMA).
#[given(regex = r"^the users (.+)$")]
async fn the_users(w: &mut ChatWorld, list: String) {
    for name in names(&list) {
        match w.ctx.target.api.as_str() {
            "sama" => sama::add_actor(w, &name).await,
            _ => w.add_actor(&name).await,
        }
    }
}

/// Splits "Alice, Bob and Carol" into names.
pub fn names(list: &str) -> Vec<String> {
    list.replace(" and ", ", ")
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Splits `"a", "b" and "c"` into the quoted strings.
pub fn quoted(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = list;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_read_like_prose() {
        assert_eq!(super::names("Alice, Bob and Carol"), ["Alice", "Bob", "Carol"]);
        assert_eq!(super::names("Alice"), ["Alice"]);
        assert_eq!(super::quoted(r#""a", "b c" and "d""#), ["a", "b c", "d"]);
    }
}
