//! Exporters: results flow one way from aggregates and run rows into files.

pub mod folder;
pub mod runs;
pub mod summary;

pub use folder::{FolderError, Replace, Staging};
pub use summary::Summary;
