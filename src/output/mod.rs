//! Exporters: results flow one way from aggregates and run rows into files.

pub mod cases;
pub mod folder;
pub mod plots;
pub mod report;
pub mod runs;
pub mod story;
pub mod summary;

pub use folder::{FolderError, Replace, Staging};
pub use summary::Summary;

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
