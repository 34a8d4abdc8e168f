//! Reading lists the way steps write them: `Alice, Bob and Carol`, `"a", "b" and "c"`.

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
