//! Spelling conversions between Rust identifiers and argument, flag and role
//! names, and the edit distance behind did-you-mean hints.

/// `RewardModel` -> `reward_model`, `HTTPServer` -> `http_server`.
pub fn snake_case(ident: &str) -> String {
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::with_capacity(ident.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                Some(p) => p.is_uppercase() && next.is_some_and(char::is_lowercase),
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `reward_model` -> `RewardModel`.
pub fn upper_camel_case(snake: &str) -> String {
    snake
        .split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
            first + chars.as_str()
        })
        .collect()
}

/// The closest candidate within a small edit distance, for did-you-mean.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (levenshtein(word, c), c))
        .filter(|&(d, c)| d <= 2.max(c.len() / 3))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_words_and_acronyms() {
        assert_eq!(snake_case("RewardModel"), "reward_model");
        assert_eq!(snake_case("Actor"), "actor");
        assert_eq!(snake_case("HTTPServer"), "http_server");
        assert_eq!(snake_case("Model2Critic"), "model2_critic");
    }

    #[test]
    fn upper_camel_case_joins_words() {
        assert_eq!(upper_camel_case("reward_model"), "RewardModel");
        assert_eq!(upper_camel_case("critic"), "Critic");
    }

    #[test]
    fn closest_finds_typos_only() {
        assert_eq!(closest("critc", ["actor", "critic"]), Some("critic"));
        assert_eq!(closest("zzzzzz", ["actor", "critic"]), None);
    }
}
