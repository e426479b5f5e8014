//! `backsim cases`: runs every case scenario with a fixed seed and prints
//! the results tables of `docs/cases.md`, checks them or rewrites them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use super::pool;
use crate::output::cases::{self, Block};

/// Options of `backsim cases`.
#[derive(Debug, Args)]
pub struct CasesArgs {
    /// Exit with code 2 if the tables between the markers of this Markdown file differ from the ones produced now.
    #[arg(long, value_name = "FILE", conflicts_with = "write")]
    pub check: Option<PathBuf>,
    /// Rewrite the tables between the markers of this Markdown file.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = super::whole_number::<usize>)]
    pub threads: Option<usize>,
    /// Print nothing but errors (no progress lines on stderr).
    #[arg(long)]
    pub quiet: bool,
}

/// Runs `backsim cases`.
pub(super) fn cases(args: &CasesArgs) -> Result<()> {
    // Read the document and check its markers first, so a bad file fails
    // before any work.
    let target = args.check.as_ref().or(args.write.as_ref());
    let doc = match target {
        Some(path) => {
            let doc = read(path)?;
            cases::check_markers(&doc, &cases::block_ids()).with_context(|| format!("{}", path.display()))?;
            Some(doc)
        }
        None => None,
    };
    let pool = pool(args.threads)?;
    let quiet = args.quiet;
    let blocks = pool.install(|| {
        cases::all_blocks(|name, runs, secs| {
            if !quiet {
                eprintln!("{name}: {runs} runs in {secs:.1} s");
            }
        })
    })?;
    match (doc, &args.check, &args.write) {
        (Some(doc), Some(path), _) => check(path, &doc, &blocks),
        (Some(doc), None, Some(path)) => write(path, &doc, &blocks, quiet),
        _ => {
            print!("{}", cases::render(&blocks));
            Ok(())
        }
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn check(path: &Path, doc: &str, blocks: &[Block]) -> Result<()> {
    let (_, changed) = cases::update(doc, blocks).with_context(|| format!("{}", path.display()))?;
    if !changed.is_empty() {
        let (tables, differ) = if changed.len() == 1 {
            ("table", "differs")
        } else {
            ("tables", "differ")
        };
        bail!(
            "{}: the {tables} {} {differ} from what `backsim cases` produces; run `backsim cases --write {}`",
            path.display(),
            changed.join(", "),
            path.display()
        );
    }
    Ok(())
}

fn write(path: &Path, doc: &str, blocks: &[Block], quiet: bool) -> Result<()> {
    let (new, changed) = cases::update(doc, blocks).with_context(|| format!("{}", path.display()))?;
    if !changed.is_empty() {
        // The document is replaced whole or not at all.
        crate::output::folder::write_files(&[(path.to_path_buf(), new.as_bytes())])
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if !quiet {
        match changed.len() {
            0 => eprintln!("{}: tables already up to date", path.display()),
            _ => eprintln!(
                "{}: rewrote the {} {}",
                path.display(),
                if changed.len() == 1 { "table" } else { "tables" },
                changed.join(", ")
            ),
        }
    }
    Ok(())
}
