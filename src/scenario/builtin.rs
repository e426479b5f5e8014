//! The scenarios built into the binary: every file in `scenarios/`.

include!(concat!(env!("OUT_DIR"), "/builtin_scenarios.rs"));

/// Name of the scenario run when none is given.
pub const DEFAULT: &str = "default";

/// The text of a built-in scenario.
pub fn find(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Names of all built-in scenarios.
pub fn names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(n, _)| *n)
}

/// The one-line description of a built-in scenario (its `description`).
pub fn description(text: &str) -> String {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("description").and_then(|d| d.as_str()).map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn every_builtin_is_valid_and_named_after_its_file() {
        assert!(find(DEFAULT).is_some());
        for (name, text) in BUILTIN {
            let s = Scenario::from_toml_str(text, name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&s.name, name);
            assert!(!s.description.is_empty(), "{name} needs a description");
        }
    }
}
