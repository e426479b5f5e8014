//! The output folder, written so that an interrupted run never leaves a
//! folder that looks complete.
//!
//! Everything is written into a hidden staging folder next to the target
//! (`.NAME.partial`), which is renamed to the target only when every file is
//! complete. The target is checked and the staging folder created before any
//! simulation starts, so an unwritable location fails at once. On Ctrl-C,
//! SIGTERM or SIGHUP the staging folder is removed ([`super::interrupt`]).

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::interrupt::{OnInterrupt, Registration, register, register_all};

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    /// The folder exists and was named with `--out` without `--force`.
    #[error("output folder {0} already exists; choose another --out or add --force to replace it")]
    Exists(PathBuf),
    /// The folder exists and holds files backsim does not write, which
    /// replacing it would delete.
    #[error(
        "output folder {path} holds files backsim does not write ({names}); it is not replaced, even with --force: choose another --out, or move those files out of it"
    )]
    Foreign {
        /// The folder.
        path: PathBuf,
        /// The first few of those files, comma-separated.
        names: String,
    },
    /// The folder or its staging folder cannot be created or written.
    #[error("cannot write output folder {path}: {reason}")]
    Unwritable {
        /// The folder.
        path: PathBuf,
        /// Why, in words (the I/O error, or a file standing where a folder must be).
        reason: String,
    },
}

/// How an existing target is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replace {
    /// The default folder of a scenario: replaced by the next run (said on stderr).
    Default,
    /// A folder named by the user: only replaced with `--force`.
    Explicit {
        /// `--force` was given.
        force: bool,
    },
}

/// Files and folders that backsim writes into an output folder, besides
/// the plots ([`is_plot`]): those of `run`, `sweep`, `compare` and
/// `sensitivity`, and the report.
const OUTPUT_NAMES: &[&str] = &[
    "scenario.toml",
    "summary.json",
    "runs.csv",
    "episodes.csv",
    "timeseries.csv",
    "points",
    "points.csv",
    "sweep.csv",
    "scenario_a.toml",
    "scenario_b.toml",
    "summary_a.json",
    "summary_b.json",
    "timeseries_a.csv",
    "timeseries_b.csv",
    "compare.csv",
    "sensitivity.csv",
    "samples.csv",
    "report.html",
];

/// Whether `name` is a plot backsim draws: `STEM.png` or `STEM.svg` for
/// the plots of `run`, `sweep`, `compare` and `sensitivity` (a sensitivity
/// plot of each metric: `sensitivity_METRIC`), and no other name, so that
/// a user's `sweep_notes.png` is not taken for one.
fn is_plot(name: &str) -> bool {
    const STEMS: &[&str] = &[
        "outcomes",
        "excess_cost",
        "incidence",
        "bands",
        "compare",
        "compare_costs",
        "sensitivity",
    ];
    let Some(stem) = name.strip_suffix(".png").or_else(|| name.strip_suffix(".svg")) else {
        return false;
    };
    STEMS.contains(&stem) || SWEEP_PLOTS.contains(&stem) || is_sensitivity_metric_plot(stem)
}

/// The stems of the plots of a sweep folder.
pub const SWEEP_PLOTS: [&str; 4] = ["sweep_outcomes", "sweep_metric", "sweep_heatmap", "sweep_scatter"];

/// Whether `stem` is the sensitivity plot of one metric: `sensitivity_METRIC`
/// with METRIC one of backsim's metric names.
pub fn is_sensitivity_metric_plot(stem: &str) -> bool {
    stem.strip_prefix("sensitivity_")
        .is_some_and(|m| crate::experiment::metrics::metric_names().iter().any(|x| x == m))
}

/// Whether `name` is what backsim writes into an output folder, or what
/// it may leave there (the hidden `.NAME.tmp` of a file being written), or
/// what a file manager puts into any folder it shows.
fn is_output_name(name: &str) -> bool {
    const SYSTEM: &[&str] = &[".DS_Store", "Thumbs.db", "desktop.ini"];
    let own = |n: &str| OUTPUT_NAMES.contains(&n) || is_plot(n);
    own(name)
        || SYSTEM.contains(&name)
        || name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .is_some_and(own)
}

/// Whether writing `path` would replace a file that backsim writes in the
/// output folder `dir` (its `sweep.csv`, a plot, anything in `points/`):
/// a command that reads the folder must not write over it.
pub fn is_output_file_of(dir: &Path, path: &Path) -> bool {
    let Ok(dir) = fs::canonicalize(dir) else {
        return false;
    };
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Ok(parent), Some(name)) = (fs::canonicalize(parent), path.file_name()) else {
        return false;
    };
    (parent == dir && is_output_name(&name.to_string_lossy())) || parent.starts_with(dir.join("points"))
}

/// What a sweep writes into each point's folder `points/K`.
const POINT_NAMES: &[&str] = &["scenario.toml", "summary.json", "timeseries.csv", "metrics.csv"];

/// The entries of `points` that a sweep does not write: a folder per point
/// (`K`, or `.K.tmp` while it is written) holding [`POINT_NAMES`].
fn foreign_in_points(points: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in fs::read_dir(points)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let k = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".tmp"))
            .unwrap_or(&name);
        if !(entry.file_type()?.is_dir() && !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit())) {
            out.push(format!("points/{name}"));
            continue;
        }
        for file in fs::read_dir(entry.path())? {
            let file = file?.file_name().to_string_lossy().into_owned();
            let bare = file
                .strip_prefix('.')
                .and_then(|n| n.strip_suffix(".tmp"))
                .unwrap_or(&file);
            if !POINT_NAMES.contains(&bare) && !is_output_name(&file) {
                out.push(format!("points/{name}/{file}"));
            }
        }
    }
    Ok(())
}

/// Refuses to replace a folder that holds anything backsim does not write
/// (a user's notes, the scenario file being run): replacing it would delete
/// them. An empty folder or an earlier output folder passes; so does a
/// staging folder (`.NAME.partial`) of an unfinished command.
pub fn only_output_files(target: &Path) -> Result<(), FolderError> {
    let unwritable = |e: io::Error| FolderError::Unwritable {
        path: target.to_path_buf(),
        reason: e.to_string(),
    };
    let mut foreign = Vec::new();
    for entry in fs::read_dir(target).map_err(unwritable)? {
        let entry = entry.map_err(unwritable)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "points" && entry.path().is_dir() {
            foreign_in_points(&entry.path(), &mut foreign).map_err(unwritable)?;
        } else if !is_output_name(&name) {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let more = foreign.len().saturating_sub(5);
    let mut names = foreign[..foreign.len().min(5)].join(", ");
    if more > 0 {
        names.push_str(&format!(" and {more} more"));
    }
    Err(FolderError::Foreign {
        path: target.to_path_buf(),
        names,
    })
}

/// A staging folder that becomes the output folder on [`Staging::commit`].
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
    /// Removes the staging folder on Ctrl-C, SIGTERM or SIGHUP (see
    /// [`super::interrupt`]).
    registration: Registration,
}

/// The hidden staging folder of a target: `.NAME.partial` next to it.
pub fn staging_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.join(format!(".{name}.partial"))
}

/// Refuses a target that is the folder we work in or one above it: it
/// cannot be replaced by an output folder.
pub fn not_the_current_folder(target: &Path) -> io::Result<()> {
    if let (Ok(t), Ok(here)) = (
        target.canonicalize(),
        std::env::current_dir().and_then(|d| d.canonicalize()),
    ) && here.starts_with(&t)
    {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is the current folder or holds it; choose a new folder for --out",
        ));
    }
    Ok(())
}

/// Writes files all or none: each to a hidden temporary name beside it
/// first (`.NAME.tmp`), then, once every one is whole, renamed into place.
/// On an error the temporary files are removed, so a full disk or a
/// missing permission leaves the files as they were; so does a stop signal
/// (see [`super::interrupt`]). A target that is a
/// folder is refused before anything is written.
pub fn write_files(files: &[(PathBuf, &[u8])]) -> io::Result<()> {
    let tmp_of = |path: &Path| {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        path.with_file_name(format!(".{name}.tmp"))
    };
    for (path, _) in files {
        if path.is_dir() {
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "it is a folder"));
        }
    }
    // Registered before the first byte, so that a stop signal in the
    // middle removes the temporary files too.
    let pairs: Vec<(PathBuf, PathBuf)> = files.iter().map(|(path, _)| (tmp_of(path), path.clone())).collect();
    let registration = register_all(&pairs, OnInterrupt::Remove);
    let cleanup = |written: &[(PathBuf, PathBuf)]| {
        for (t, _) in written {
            let _ = fs::remove_file(t);
        }
    };
    for (i, (_, bytes)) in files.iter().enumerate() {
        if let Err(e) = fs::write(&pairs[i].0, bytes) {
            cleanup(&pairs[..=i]);
            return Err(e);
        }
    }
    registration.commit(|| {
        for (i, (tmp, path)) in pairs.iter().enumerate() {
            if let Err(e) = fs::rename(tmp, path) {
                cleanup(&pairs[i..]);
                return Err(e);
            }
        }
        Ok(())
    })
}

/// Writes one file that the user named with `option` (`--csv FILE`, say),
/// whole or not at all ([`write_files`]), into a folder that exists. An
/// existing file is replaced only with `force`, as an existing output
/// folder is: it might be anything, the scenario file itself too.
pub fn write_named(path: &Path, bytes: &[u8], option: &str, force: bool) -> Result<(), String> {
    check_named(path, option, force)?;
    write_files(&[(path.to_path_buf(), bytes)])
        .map_err(|e| format!("cannot write {option} {}: {}", path.display(), explain(path, &e)))
}

/// The checks of [`write_named`], to run before any work.
pub fn check_named(path: &Path, option: &str, force: bool) -> Result<(), String> {
    let fail = |reason: String| format!("cannot write {option} {}: {reason}", path.display());
    if path.is_dir() {
        return Err(fail("it is a folder; name a file".into()));
    }
    if path.exists() && !force {
        return Err(format!(
            "{option} {} already exists; choose another file or add --force to replace it",
            path.display()
        ));
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        return Err(fail(match parent.exists() {
            true => format!("{} is not a folder", parent.display()),
            false => format!("the folder {} does not exist", parent.display()),
        }));
    }
    Ok(())
}

/// Renames a finished staging folder to the target, replacing an old
/// target. Returns whether one was replaced.
pub fn replace_dir(staging: &Path, target: &Path) -> io::Result<bool> {
    let replaced = target.exists();
    if replaced {
        let old = staging.with_extension("old");
        if old.exists() {
            fs::remove_dir_all(&old)?;
        }
        fs::rename(target, &old)?;
        fs::rename(staging, target)?;
        fs::remove_dir_all(&old)?;
    } else {
        fs::rename(staging, target)?;
    }
    Ok(replaced)
}

impl Staging {
    /// Checks the target and creates the staging folder.
    pub fn prepare(target: &Path, replace: Replace) -> Result<Self, FolderError> {
        let unwritable = |e: io::Error| FolderError::Unwritable {
            path: target.to_path_buf(),
            reason: explain(target, &e),
        };
        if target.exists() {
            if !target.is_dir() {
                return Err(unwritable(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "it exists and is not a folder",
                )));
            }
            not_the_current_folder(target).map_err(unwritable)?;
            // Files of the user's are refused first: --force would not help.
            only_output_files(target)?;
            let empty = fs::read_dir(target).map_err(unwritable)?.next().is_none();
            if let Replace::Explicit { force: false } = replace
                && !empty
            {
                return Err(FolderError::Exists(target.to_path_buf()));
            }
        }
        let staging = staging_path(target);
        if let Some(parent) = staging.parent() {
            fs::create_dir_all(parent).map_err(unwritable)?;
        }
        if staging.is_dir() {
            // What an interrupted command left (an unfinished sweep, say).
            only_output_files(&staging)?;
        }
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(unwritable)?;
        }
        fs::create_dir(&staging).map_err(unwritable)?;
        let registration = register(&staging, target, OnInterrupt::Remove);
        // Probe that files can be written there, before any work is done.
        fs::write(staging.join(".probe"), b"").map_err(unwritable)?;
        fs::remove_file(staging.join(".probe")).map_err(unwritable)?;
        Ok(Staging {
            target: target.to_path_buf(),
            staging,
            committed: false,
            registration,
        })
    }

    /// The final folder.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The staging folder itself, where the files go until [`Staging::commit`].
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Creates a buffered file in the staging folder.
    pub fn create(&self, name: &str) -> io::Result<BufWriter<fs::File>> {
        Ok(BufWriter::with_capacity(
            1 << 16,
            fs::File::create(self.staging.join(name))?,
        ))
    }

    /// Writes a whole file in the staging folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let mut f = self.create(name)?;
        f.write_all(bytes)?;
        f.flush()
    }

    /// Replaces the target with the staging folder. Returns whether a
    /// previous folder was replaced.
    pub fn commit(mut self) -> io::Result<bool> {
        let replaced = self.registration.commit(|| replace_dir(&self.staging, &self.target))?;
        self.committed = true;
        Ok(replaced)
    }
}

/// The I/O error in words, naming a file that stands where a folder must be.
fn explain(target: &Path, e: &io::Error) -> String {
    let blocking_file = target.ancestors().skip(1).find(|a| a.is_file());
    match blocking_file {
        Some(file) => format!("{} is a file, not a folder", file.display()),
        None => e.to_string(),
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a failed run removes its partial files.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_refuses_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = Staging::prepare(&target, Replace::Explicit { force: false }).unwrap();
        s.write("runs.csv", b"1").unwrap();
        assert!(!target.exists(), "nothing appears before commit");
        assert!(!s.commit().unwrap());
        assert_eq!(fs::read(target.join("runs.csv")).unwrap(), b"1");
        assert!(matches!(
            Staging::prepare(&target, Replace::Explicit { force: false }),
            Err(FolderError::Exists(_))
        ));
        let s = Staging::prepare(&target, Replace::Explicit { force: true }).unwrap();
        s.write("summary.json", b"2").unwrap();
        assert!(s.commit().unwrap());
        assert!(!target.join("runs.csv").exists());
        assert!(target.join("summary.json").exists());
        // A file backsim does not write stops even --force and the default.
        fs::write(target.join("notes.txt"), b"mine").unwrap();
        for replace in [Replace::Explicit { force: true }, Replace::Default] {
            match Staging::prepare(&target, replace) {
                Err(FolderError::Foreign { names, .. }) => assert_eq!(names, "notes.txt"),
                other => panic!("{other:?}"),
            }
        }
        assert!(target.join("notes.txt").exists() && !staging_path(&target).exists());
    }

    #[test]
    fn a_sweep_point_may_hold_its_files_and_their_temporaries_only() {
        let dir = tempfile::tempdir().unwrap();
        let sweep = dir.path().join("sw");
        fs::create_dir_all(sweep.join("points/0")).unwrap();
        fs::create_dir_all(sweep.join("points/.1.tmp")).unwrap();
        for f in ["points/0/metrics.csv", "points/.1.tmp/.metrics.csv.tmp", "sweep.csv"] {
            fs::write(sweep.join(f), b"x").unwrap();
        }
        only_output_files(&sweep).unwrap();
        fs::write(sweep.join("points/0/x.txt"), b"x").unwrap();
        fs::create_dir(sweep.join("points/mine")).unwrap();
        match only_output_files(&sweep) {
            Err(FolderError::Foreign { names, .. }) => assert_eq!(names, "points/0/x.txt, points/mine"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn output_names_are_what_backsim_writes() {
        for name in [
            "bands.svg",
            "sweep_outcomes.png",
            "sensitivity_excess_cost_mean.svg",
            "points",
            "report.html",
        ] {
            assert!(OUTPUT_NAMES.contains(&name) || is_plot(name), "{name}");
        }
        for name in ["notes.txt", "default.toml", "bands.pdf", "photo.png", ".hidden"] {
            assert!(!OUTPUT_NAMES.contains(&name) && !is_plot(name), "{name}");
        }
    }

    #[test]
    fn files_are_written_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let names = |d: &Path| {
            let mut v: Vec<String> = fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        write_files(&[(d.join("a.txt"), b"1"), (d.join("b.txt"), b"2")]).unwrap();
        assert_eq!(names(d), ["a.txt", "b.txt"]);
        // The second file cannot be written: the first keeps its old bytes
        // and no temporary file is left.
        let e = write_files(&[(d.join("a.txt"), b"new"), (d.join("no/such/b.txt"), b"x")]);
        assert!(e.is_err());
        assert_eq!(fs::read(d.join("a.txt")).unwrap(), b"1");
        assert_eq!(names(d), ["a.txt", "b.txt"]);
        // A folder is not overwritten, and nothing is written.
        fs::create_dir(d.join("f")).unwrap();
        let e = write_files(&[(d.join("c.txt"), b"3"), (d.join("f"), b"4")]).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
        assert_eq!(names(d), ["a.txt", "b.txt", "f"]);
    }

    #[test]
    fn dropped_staging_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        {
            let s = Staging::prepare(&target, Replace::Default).unwrap();
            s.write("a.txt", b"1").unwrap();
        }
        assert!(!target.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
