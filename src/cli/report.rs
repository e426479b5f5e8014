//! `backsim report DIR`: one self-contained `report.html` for an output folder.

use anyhow::Result;

use super::ReportArgs;
use crate::output::report;

/// Runs `backsim report`.
pub(super) fn report(args: &ReportArgs) -> Result<()> {
    let path = report::write_report(&args.dir, args.out.as_deref(), args.force)?;
    if !args.quiet {
        println!("report in {}", path.display());
    }
    Ok(())
}
