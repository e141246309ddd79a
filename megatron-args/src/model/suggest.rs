//! Did-you-mean suggestions for misspelt keys, roles and values.

/// Candidates this similar or closer are suggested (Jaro-Winkler).
const THRESHOLD: f64 = 0.8;

/// Up to `n` candidates closest to `input`, best first.
pub(crate) fn closest_n<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let input_lower = input.to_lowercase();
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&input_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= THRESHOLD)
        .collect();
    // Best score first; ties in name order so that output is stable.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, c)| c.to_string()).collect()
}

/// The candidate closest to `input`, if any is close enough.
pub(crate) fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest_n(input, candidates, 1).into_iter().next()
}

/// `did you mean `a`, `b` or `c`?`, or nothing.
pub(crate) fn did_you_mean(suggestions: &[String]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_best_first() {
        let got = closest_n("overides", ["overrides", "args", "role", "name"], 3);
        assert_eq!(got, vec!["overrides".to_string()]);
        assert_eq!(closest("critc", ["actor", "critic"]), Some("critic".to_string()));
        assert_eq!(closest("zzz", ["actor", "critic"]), None);
    }

    #[test]
    fn did_you_mean_joins_with_or() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(did_you_mean(&s(&["a"])).unwrap(), "did you mean `a`?");
        assert_eq!(did_you_mean(&s(&["a", "b", "c"])).unwrap(), "did you mean `a`, `b` or `c`?");
        assert_eq!(did_you_mean(&[]), None);
    }
}
