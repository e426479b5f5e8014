//! What Ctrl-C (and the other signals that stop a command) does to the
//! output folders being written.
//!
//! Every command writes into a hidden staging folder next to its target
//! (see [`super::folder`]). Stopped by Ctrl-C, `kill` or a batch system's
//! time limit, the process would leave that folder behind: for a long run
//! a hidden `runs.csv` of gigabytes. So each staging folder is registered
//! here while it is in use, and [`interrupted`], called from the signal
//! handler that [`install`] sets, removes the unfinished ones before the
//! process ends by the same signal. A sweep registers its folder to
//! be kept instead, since `--resume` continues from the points finished in
//! it (a new sweep with no point finished has nothing to keep).
//!
//! The registry is the one piece of process-wide state in backsim, and it
//! lives here, with the exporters, not in the model: a signal handler has
//! no other way to learn what to clean up. A commit holds the registry's
//! lock while it renames the staging folder into place, so an interrupt
//! either finds the folder unfinished and removes it, or finds it committed
//! and leaves the target whole.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What happens to a registered folder on Ctrl-C (or SIGTERM, SIGHUP).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnInterrupt {
    /// Removed: the target is left as it was.
    Remove,
    /// Kept, and the user told how to continue (a resumed sweep's `--resume`).
    Keep,
    /// Kept if a sweep point is finished in its `points` folder, else
    /// removed: a new sweep with no point done has nothing to resume, and
    /// its folder would only block the next attempt.
    KeepPoints,
}

/// Whether a sweep's staging folder holds a finished point (`points/K`;
/// a point being written is a hidden `.K.tmp`).
fn has_points(staging: &Path) -> bool {
    fs::read_dir(staging.join("points"))
        .map(|d| d.flatten().any(|e| !e.file_name().to_string_lossy().starts_with('.')))
        .unwrap_or(false)
}

#[derive(Clone, Debug)]
struct Entry {
    staging: PathBuf,
    target: PathBuf,
    what: OnInterrupt,
}

static LIVE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// Targets committed so far; changed only while [`LIVE`] is locked.
static DONE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The committed targets (see [`live`] on a poisoned lock).
fn done() -> MutexGuard<'static, Vec<PathBuf>> {
    DONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// The registry, also after a thread panicked while holding it (its list
/// stays valid: every change to it is a single push or retain).
fn live() -> MutexGuard<'static, Vec<Entry>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Staging folders or files registered for a stop signal; unregistered
/// when dropped.
#[derive(Debug)]
pub struct Registration {
    /// (staging, target) pairs.
    pairs: Vec<(PathBuf, PathBuf)>,
}

/// Registers `staging`, which will become `target`, for a stop signal.
pub fn register(staging: &Path, target: &Path, what: OnInterrupt) -> Registration {
    register_all(&[(staging.to_path_buf(), target.to_path_buf())], what)
}

/// Registers several (staging, target) pairs that are committed together:
/// the hidden temporary files of [`super::folder::write_files`], say, which
/// an interrupt removes like a staging folder (a file inside a registered
/// staging folder goes with it, without a line of its own).
pub fn register_all(pairs: &[(PathBuf, PathBuf)], what: OnInterrupt) -> Registration {
    live().extend(pairs.iter().map(|(staging, target)| Entry {
        staging: staging.clone(),
        target: target.clone(),
        what,
    }));
    Registration { pairs: pairs.to_vec() }
}

impl Registration {
    /// Whether `e` is one of this registration's entries.
    fn owns(&self, e: &Entry) -> bool {
        self.pairs.iter().any(|(s, _)| *s == e.staging)
    }

    /// Runs `commit` (which moves the staging folders or files into place)
    /// so that a stop signal cannot interrupt it half-way, and unregisters
    /// them.
    pub fn commit<R>(&self, commit: impl FnOnce() -> R) -> R {
        let mut live = live();
        let r = commit();
        live.retain(|e| !self.owns(e));
        for (staging, target) in &self.pairs {
            if !staging.exists() && target.exists() {
                done().push(target.clone());
            }
        }
        r
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        live().retain(|e| !self.owns(e));
    }
}

/// Removes the folders (and files) of `entries` marked
/// [`OnInterrupt::Remove`] and returns one line per folder saying what
/// became of it.
fn clean(entries: &[Entry]) -> Vec<String> {
    let mut lines = Vec::new();
    for e in entries {
        let keep = match e.what {
            OnInterrupt::Remove => false,
            OnInterrupt::Keep => true,
            OnInterrupt::KeepPoints => has_points(&e.staging),
        };
        match keep {
            false => {
                // A writer thread may still create a file while the folder is
                // removed; a few attempts settle it.
                for _ in 0..5 {
                    let removed = if e.staging.is_dir() {
                        fs::remove_dir_all(&e.staging)
                    } else {
                        fs::remove_file(&e.staging)
                    };
                    if removed.is_ok() || !e.staging.exists() {
                        break;
                    }
                }
                let inside_another = entries
                    .iter()
                    .any(|o| o.staging != e.staging && e.staging.starts_with(&o.staging));
                if inside_another && !e.staging.exists() {
                    continue;
                }
                lines.push(if e.staging.exists() {
                    format!(
                        "interrupted: the unfinished files of {} could not all be removed; delete {}",
                        e.target.display(),
                        e.staging.display()
                    )
                } else {
                    format!(
                        "interrupted: nothing was written to {} (its unfinished files are removed)",
                        e.target.display()
                    )
                });
            }
            true => lines.push(format!(
                "interrupted: the finished points are kept in {}; run the same command with --resume to continue",
                e.staging.display()
            )),
        }
    }
    lines
}

/// `lines`, or with none (no folder was being written) a line per target
/// already committed, so that an interrupt after the last commit says the
/// results are whole.
fn or_done(lines: Vec<String>, done: &[PathBuf]) -> Vec<String> {
    if !lines.is_empty() {
        return lines;
    }
    if done.is_empty() {
        return vec!["interrupted".to_string()];
    }
    done.iter()
        .map(|t| format!("interrupted: {} was already written in full", t.display()))
        .collect()
}

/// The signals that stop a command after it cleaned up: Ctrl-C (SIGINT),
/// `kill` and the time limit of a batch system such as Slurm (SIGTERM),
/// and a closed terminal or ssh session (SIGHUP).
#[cfg(unix)]
const STOP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
];

/// Seconds a second stop signal gives the clean-up before it ends the
/// process anyway.
#[cfg(unix)]
const SECOND_SIGNAL_GRACE: u64 = 5;

/// Whether `signal` was ignored when the process started, as SIGINT is for
/// a job that a non-interactive shell started with `&` and SIGHUP under
/// `nohup`: such a signal gets no handler and stays ignored, as the caller
/// asked.
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: `sigaction` with a null new action only reads the current
    // one into `old`, a zeroed plain C struct it fully owns.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}

/// Sets the handler of the signals that stop a command: on the first of
/// them it removes the unfinished folders (see [`interrupted`]). On Unix
/// these are SIGINT, SIGTERM and SIGHUP, each unless it was ignored from
/// the start; elsewhere Ctrl-C. The signals are read on a thread of their
/// own (`signal_hook`'s self-pipe), since removing folders is no work for
/// a signal handler. A second signal ends the process if the clean-up has
/// not ended it 5 seconds later (on a hung network file system, say); two
/// signals in quick succession (a script, an impatient Ctrl-C) still clean
/// up. A handler that a program embedding backsim set before is chained:
/// it runs too. If no handler can be set, the signals do what they did,
/// leaving at most a hidden staging folder.
pub fn install() {
    #[cfg(unix)]
    {
        let wanted: Vec<i32> = STOP_SIGNALS.into_iter().filter(|&s| !ignored(s)).collect();
        if wanted.is_empty() {
            return;
        }
        if let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) {
            std::thread::spawn(move || {
                let mut signals = signals.forever();
                if let Some(signal) = signals.next() {
                    std::thread::spawn(move || interrupted(signal));
                }
                if let Some(signal) = signals.next() {
                    // The clean-up ends the process when it is done, which
                    // takes milliseconds; only one that hangs is cut short.
                    std::thread::sleep(std::time::Duration::from_secs(SECOND_SIGNAL_GRACE));
                    use std::io::Write;
                    let _ = writeln!(
                        std::io::stderr(),
                        "\ninterrupted again, and the clean-up had not finished after {SECOND_SIGNAL_GRACE} s: a hidden staging folder (.NAME.partial) or file (.NAME.tmp) may be left; the next run with the same output replaces it"
                    );
                    end_by(signal);
                }
            });
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrlc::set_handler(|| interrupted(2));
    }
}

/// Ends the process as `signal` does by default, so that a shell script
/// that ran backsim stops too (a shell carries on after a child that exits
/// normally, whatever its code) and a batch system records the signal. If
/// the signal cannot be raised, `signal_hook` aborts the process; exit code
/// 128 + `signal` is left for a signal it does not know (none of ours) and
/// for platforms without signals.
fn end_by(signal: i32) -> ! {
    #[cfg(unix)]
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal)
}

/// What to do on a stop signal (2 is SIGINT, Ctrl-C): removes the
/// unfinished folders, says what it did on stderr and ends the process by
/// the same signal (shells report 128 + its number: 130 for Ctrl-C, 143
/// for SIGTERM). The registry stays locked until the end, so no commit or
/// clean-up of another thread runs in between.
pub fn interrupted(signal: i32) -> ! {
    use std::io::Write;
    let live = live();
    let lines = or_done(clean(&live), &done());
    // After SIGHUP the terminal may be gone: a failed write must not stop
    // the process from ending. A progress bar may hold the cursor mid-line.
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err);
    for l in lines {
        let _ = writeln!(err, "{l}");
    }
    drop(err);
    end_by(signal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interrupt_removes_unfinished_keeps_sweeps_and_forgets_committed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mk = |name: &str| {
            let p = d.join(name);
            fs::create_dir_all(p.join("sub")).unwrap();
            fs::write(p.join("sub/f.csv"), b"x").unwrap();
            p
        };
        let (run, sweep, done) = (mk(".run.partial"), mk(".sweep.partial"), mk(".done.partial"));
        let r1 = register(&run, &d.join("run"), OnInterrupt::Remove);
        let r2 = register(&sweep, &d.join("sweep"), OnInterrupt::Keep);
        let r3 = register(&done, &d.join("done"), OnInterrupt::Remove);
        r3.commit(|| fs::rename(&done, d.join("done")).unwrap());
        // New sweeps: one with a finished point, one with a point being
        // written only.
        let (with, without) = (mk(".with.partial"), mk(".without.partial"));
        fs::create_dir_all(with.join("points/0")).unwrap();
        fs::create_dir_all(without.join("points/.1.tmp")).unwrap();
        let r4 = register(&with, &d.join("with"), OnInterrupt::KeepPoints);
        let r5 = register(&without, &d.join("without"), OnInterrupt::KeepPoints);
        // Other tests register folders of their own meanwhile: clean only
        // this test's.
        let mine: Vec<Entry> = live().iter().filter(|e| e.staging.starts_with(d)).cloned().collect();
        assert_eq!(mine.len(), 4, "{mine:?}");
        let mine = clean(&mine);
        assert_eq!(mine.len(), 4, "{mine:?}");
        assert!(with.join("points/0").exists(), "a sweep with a finished point is kept");
        assert!(!without.exists(), "a sweep with none is removed");
        assert!(
            mine.iter()
                .any(|l| l.contains("nothing was written to") && l.contains("without"))
        );
        assert!(!run.exists(), "the unfinished run's folder is removed");
        assert!(sweep.join("sub/f.csv").exists(), "the sweep's folder is kept");
        assert!(d.join("done/sub/f.csv").exists(), "a committed folder is left alone");
        assert!(super::done().contains(&d.join("done")), "a commit is remembered");
        assert!(!super::done().contains(&d.join("run")), "only a commit");
        assert!(
            mine.iter()
                .any(|l| l.contains("nothing was written to") && l.contains("run"))
        );
        assert!(mine.iter().any(|l| l.contains("--resume")));
        drop((r1, r2, r3, r4, r5));
        // With nothing being written, an interrupt names what is complete.
        let lines = or_done(Vec::new(), &[d.join("done")]);
        assert_eq!(
            lines,
            [format!(
                "interrupted: {} was already written in full",
                d.join("done").display()
            )]
        );
        assert_eq!(or_done(Vec::new(), &[]), ["interrupted"]);
        assert_eq!(or_done(vec!["x".into()], &[d.join("done")]), ["x"]);
        assert!(
            live().iter().all(|e| !e.staging.starts_with(d)),
            "dropped registrations are gone"
        );
    }

    #[test]
    fn interrupt_removes_temporary_files_and_names_them_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // A staging folder with a file being written inside it, and two
        // files being written on their own beside an older version.
        let staging = d.join(".run.partial");
        fs::create_dir_all(&staging).unwrap();
        fs::write(staging.join(".a.png.tmp"), b"half").unwrap();
        fs::write(d.join("story.csv"), b"old").unwrap();
        fs::write(d.join(".story.csv.tmp"), b"half").unwrap();
        let r1 = register(&staging, &d.join("run"), OnInterrupt::Remove);
        let r2 = register_all(
            &[(staging.join(".a.png.tmp"), staging.join("a.png"))],
            OnInterrupt::Remove,
        );
        let r3 = register_all(
            &[
                (d.join(".story.csv.tmp"), d.join("story.csv")),
                (d.join(".notyet.csv.tmp"), d.join("notyet.csv")),
            ],
            OnInterrupt::Remove,
        );
        let mine: Vec<Entry> = live().iter().filter(|e| e.staging.starts_with(d)).cloned().collect();
        assert_eq!(mine.len(), 4, "{mine:?}");
        let lines = clean(&mine);
        assert!(!staging.exists() && !d.join(".story.csv.tmp").exists());
        assert_eq!(
            fs::read(d.join("story.csv")).unwrap(),
            b"old",
            "the older file is left as it was"
        );
        assert_eq!(lines.len(), 3, "no line for a file inside a staging folder: {lines:?}");
        assert!(lines.iter().any(|l| l.ends_with(&format!(
            "nothing was written to {} (its unfinished files are removed)",
            d.join("story.csv").display()
        ))));
        drop((r1, r2, r3));
        assert!(live().iter().all(|e| !e.staging.starts_with(d)));
        // Committed together: both targets are remembered as whole.
        let pairs = [(d.join(".x.tmp"), d.join("x")), (d.join(".y.tmp"), d.join("y"))];
        let r = register_all(&pairs, OnInterrupt::Remove);
        for (t, _) in &pairs {
            fs::write(t, b"1").unwrap();
        }
        r.commit(|| pairs.iter().for_each(|(t, p)| fs::rename(t, p).unwrap()));
        assert!(
            live().iter().all(|e| !e.staging.starts_with(d)),
            "unregistered on commit"
        );
        assert!(super::done().contains(&d.join("x")) && super::done().contains(&d.join("y")));
    }
}
