//! Exporters: results flow one way from aggregates and run rows into files.

pub mod cases;
pub mod folder;
pub mod interrupt;
pub mod plots;
pub mod report;
pub mod runs;
pub mod story;
pub mod summary;

pub use folder::{FolderError, Replace, Staging};
pub use summary::Summary;

/// A count with its noun, singular for one: `1 run`, `40 quarters`
/// (`noun` is the singular; the plural adds an `s`).
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A word as a POSIX shell reads it back: as it is when it holds only
/// characters the shell leaves alone, else in single quotes.
pub(crate) fn shell_word(w: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c);
    if !w.is_empty() && w.chars().all(plain) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "run"), "1 run");
        assert_eq!(count(0, "run"), "0 runs");
        assert_eq!(count(40, "quarter"), "40 quarters");
    }
}
