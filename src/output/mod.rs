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
