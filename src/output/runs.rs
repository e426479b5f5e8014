//! `runs.csv` (one row per run) and `episodes.csv` (one row per episode).

use std::io::Write;

use crate::model::{Episode, Outcome, RunResult};

/// Columns of `runs.csv`, in order, with their meaning (for the README).
pub const RUN_COLUMNS: &[(&str, &str)] = &[
    (
        "run",
        "run index (0-based); run i uses the random streams of (seed, point, i)",
    ),
    ("episodes", "contract episodes in the run"),
    ("continued", "episodes still running at the horizon"),
    ("switched", "episodes ended by a re-tender won by another provider"),
    ("initiated", "episodes ended by the buyer taking the service back"),
    (
        "involuntary",
        "episodes ended by the provider (notice or failure), service taken back",
    ),
    (
        "involuntary_exit",
        "involuntary episodes caused by notice, non-renewal or failed renegotiation",
    ),
    ("involuntary_failure", "involuntary episodes caused by provider failure"),
    ("wound_down", "episodes ended because demand vanished"),
    (
        "first_backsourcing",
        "type of the first backsourcing (initiated or involuntary; empty if none)",
    ),
    (
        "first_backsourcing_cause",
        "its cause (exit, failure, renegotiation, grievance, term_end)",
    ),
    ("first_backsourcing_period", "period it happened (0-based)"),
    (
        "first_backsourcing_contract_period",
        "contract period of that episode (1 = first term)",
    ),
    ("total_cost", "buyer's total cost (currency)"),
    ("payments", "payments to providers"),
    ("in_house", "in-house production cost"),
    ("spot", "spot purchases"),
    ("transition", "backsourcing set-up and recruitment cost"),
    ("legal", "disputes, legal cases and damages (net)"),
    ("sanctions_received", "sanctions received (subtracted in the total)"),
    (
        "reference_cost",
        "served volume at the opening price, indexed as signed",
    ),
    ("excess_cost", "total_cost - reference_cost"),
    ("provider_profit", "all providers' profit (negative: loss)"),
    ("demand", "total demand (places)"),
    ("unserved", "demand not served (places)"),
    ("mean_quality", "volume-weighted mean delivered quality (0-1)"),
    (
        "value_added",
        "mean partnership value-added quality per contracted unit-period",
    ),
    ("complaints", "complaints"),
    ("audits", "audits and inspections"),
    ("sanctions", "sanctions imposed"),
    ("disputes", "disputes started"),
    ("legal_cases", "legal cases started"),
    ("entrants", "providers that entered the market"),
    ("failures", "providers that failed"),
    (
        "final_buyer_trust",
        "mean buyer trust in each unit's last provider at the horizon",
    ),
    (
        "final_provider_trust",
        "mean trust of each unit's last provider in the buyer at the horizon",
    ),
    ("both_lose", "1 if excess_cost > 0 and provider_profit < 0, else 0"),
];

/// Columns of `episodes.csv`.
pub const EPISODE_COLUMNS: &[(&str, &str)] = &[
    ("run", "run index"),
    ("buyer", "buyer index (0-based)"),
    ("unit", "unit index (0-based, over all buyers)"),
    (
        "provider",
        "provider index (incumbents, then alternatives, then entrants)",
    ),
    ("form", "procurement or partnership"),
    ("start", "first period of the episode"),
    ("end", "period it ended (the horizon for continued)"),
    ("outcome", "continued, switched, initiated, involuntary or wound_down"),
    (
        "cause",
        "exit, failure, renegotiation, grievance, term_end, demand (empty for continued)",
    ),
    ("contract_period", "contract periods it ran (1 = first term)"),
    ("sanctions", "sanctions during the episode"),
    ("complaints", "complaints during the episode"),
];

/// Writes a header line: the column names, comma-separated.
fn write_header<W: Write>(w: &mut W, columns: &[(&str, &str)]) -> std::io::Result<()> {
    let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
    w.write_all(names.join(",").as_bytes())?;
    w.write_all(b"\n")
}

/// Writes the header of `runs.csv`.
pub fn write_run_header<W: Write>(w: &mut W) -> std::io::Result<()> {
    write_header(w, RUN_COLUMNS)
}

/// Writes the rows of `runs.csv` and `episodes.csv` through one reused
/// buffer, so a row costs no allocation. Every field is a number or a fixed
/// word (an outcome, cause or form name), none of which CSV ever quotes, so
/// rows are laid out here directly (comma-separated, `\n`-terminated: what
/// the `csv` crate writes for them) at a third of the cost of the `csv`
/// crate's per-field checks. Numbers are formatted with `itoa` and `ryu`,
/// laid out exactly as `Display` lays them out (see [`display_f64`]).
#[derive(Default)]
pub struct RowWriter {
    buf: String,
    int: itoa::Buffer,
    float: ryu::Buffer,
}

impl std::fmt::Debug for RowWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowWriter").finish_non_exhaustive()
    }
}

/// A value of a `runs.csv` field.
trait Cell {
    fn push_to(self, rw: &mut RowWriter);
}

impl Cell for f64 {
    fn push_to(self, rw: &mut RowWriter) {
        display_f64(self, &mut rw.float, &mut rw.buf);
    }
}

macro_rules! int_cell {
    ($($t:ty),*) => {$(
        impl Cell for $t {
            fn push_to(self, rw: &mut RowWriter) {
                rw.buf.push_str(rw.int.format(self));
            }
        }
    )*};
}
int_cell!(u8, u32, u64);

impl Cell for &str {
    fn push_to(self, rw: &mut RowWriter) {
        rw.buf.push_str(self);
    }
}

/// Whether `x` may lie exactly halfway between two shortest decimal
/// candidates, where `ryu` (ties to even) and the standard library (ties
/// away) may pick different last digits. That needs an exact decimal
/// expansion of at most 19 significant digits: x = m * 2^-k with m odd and
/// m * 5^k < 10^19, or a whole number of 2^53 or more. Such values are
/// rare in `runs.csv` and are formatted by the standard library.
fn may_tie(x: f64) -> bool {
    let bits = x.abs().to_bits();
    let exp = (bits >> 52) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (mant, q) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    if mant == 0 {
        return false;
    }
    let tz = mant.trailing_zeros();
    let (m, q) = (mant >> tz, q + tz as i32);
    if q >= 0 {
        return x.abs() >= 9_007_199_254_740_992.0;
    }
    let k = (-q) as u32;
    k < 28 && (m as u128) * 5u128.pow(k) < 10u128.pow(19)
}

/// ASCII digits as text.
fn text(d: &[u8]) -> &str {
    std::str::from_utf8(d).unwrap_or_default()
}

/// Appends `x` to `out` exactly as `format!("{x}")` writes it: the shortest
/// digits that read back as `x` (from `ryu`, which finds the same digits as
/// the standard library except on exact ties, see `may_tie`), in plain
/// decimal notation with no exponent and no trailing `.0`. Written by hand
/// because `ryu` lays large and small numbers out with an exponent, which
/// `runs.csv` has never used; a test checks it against `Display` on
/// millions of values.
pub fn display_f64(x: f64, ryu: &mut ryu::Buffer, out: &mut String) {
    if !x.is_finite() || may_tie(x) {
        use std::fmt::Write as _;
        let _ = write!(out, "{x}");
        return;
    }
    let s = ryu.format_finite(x);
    // Between 1e-5 and 1e16 `ryu` writes plain decimal notation, which is
    // the text of `Display` except for whole numbers' trailing ".0".
    if !s.as_bytes().contains(&b'e') {
        out.push_str(s.strip_suffix(".0").unwrap_or(s));
        return;
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match s.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // The digits without the point, and where the point goes after them.
    let mut digits = [0u8; 40];
    let mut n = 0;
    for &d in int.as_bytes().iter().chain(frac.as_bytes()) {
        digits[n] = d;
        n += 1;
    }
    let mut point = int.len() as i32 + exp;
    let lead = digits[..n].iter().take_while(|&&d| d == b'0').count();
    let digits = &digits[lead..n];
    point -= lead as i32;
    let digits = &digits[..digits.len() - digits.iter().rev().take_while(|&&d| d == b'0').count()];
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push('0');
        return;
    }
    if point <= 0 {
        out.push_str("0.");
        (0..-point).for_each(|_| out.push('0'));
        out.push_str(text(digits));
    } else if point as usize >= digits.len() {
        out.push_str(text(digits));
        (0..point as usize - digits.len()).for_each(|_| out.push('0'));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(text(a));
        out.push('.');
        out.push_str(text(b));
    }
}

impl RowWriter {
    fn field(&mut self, x: impl Cell) {
        x.push_to(self);
        self.buf.push(',');
    }

    /// Writes one row of `runs.csv`.
    pub fn run<W: Write>(&mut self, w: &mut W, r: &RunResult) -> std::io::Result<()> {
        self.buf.clear();
        let c = &r.costs;
        self.field(r.run);
        self.field(r.episodes);
        for o in [
            Outcome::Continued,
            Outcome::Switched,
            Outcome::Initiated,
            Outcome::Involuntary,
        ] {
            self.field(r.outcomes[o.index()]);
        }
        self.field(r.involuntary_exit);
        self.field(r.involuntary_failure);
        self.field(r.outcomes[Outcome::WoundDown.index()]);
        match r.first_backsourcing {
            Some((o, cause, t, cp)) => {
                self.field(o.name());
                self.field(cause.name());
                self.field(t);
                self.field(cp);
            }
            None => self.buf.push_str(",,,,"),
        }
        for x in [
            c.total(),
            c.payments,
            c.in_house,
            c.spot,
            c.transition,
            c.legal,
            c.sanctions,
            c.reference,
            c.excess(),
            r.provider_profit,
            r.demand,
            r.unserved,
            r.mean_quality,
            r.value_added,
        ] {
            self.field(x);
        }
        for n in [
            r.complaints,
            r.audits,
            r.sanctions,
            r.disputes,
            r.legal_cases,
            r.entrants,
            r.failures,
        ] {
            self.field(n);
        }
        self.field(r.final_buyer_trust);
        self.field(r.final_provider_trust);
        (r.both_lose() as u8).push_to(self);
        self.buf.push('\n');
        w.write_all(self.buf.as_bytes())
    }

    /// Writes one row of `episodes.csv`: whole numbers and fixed words, laid
    /// out like the rows of `runs.csv`.
    pub fn episode<W: Write>(&mut self, w: &mut W, run: u64, e: &Episode) -> std::io::Result<()> {
        self.buf.clear();
        self.field(run);
        self.field(e.buyer);
        self.field(e.unit);
        self.field(e.provider);
        self.field(if e.partnership { "partnership" } else { "procurement" });
        self.field(e.start);
        self.field(e.end);
        self.field(e.outcome.name());
        self.field(e.cause.name());
        self.field(e.contract_period);
        self.field(e.sanctions);
        e.complaints.push_to(self);
        self.buf.push('\n');
        w.write_all(self.buf.as_bytes())
    }
}

/// Writes one row of `runs.csv` (see [`RowWriter`] for many rows).
pub fn write_run<W: Write>(w: &mut W, r: &RunResult) -> std::io::Result<()> {
    RowWriter::default().run(w, r)
}

/// Writes the header of `episodes.csv` (rows: [`RowWriter::episode`]).
pub fn write_episode_header<W: Write>(w: &mut W) -> std::io::Result<()> {
    write_header(w, EPISODE_COLUMNS)
}

#[cfg(test)]
// The system's math functions make test inputs and expected values here;
// no output depends on them (see src/math.rs).
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt, SeedableRng};

    fn check(x: f64, ryu: &mut ryu::Buffer, out: &mut String) {
        out.clear();
        display_f64(x, ryu, out);
        assert_eq!(*out, format!("{x}"), "bits {:#x}", x.to_bits());
    }

    #[test]
    fn floats_are_written_exactly_as_display_writes_them() {
        let (mut ryu, mut out) = (ryu::Buffer::new(), String::new());
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.1 + 0.2,
            1e-7,
            1.5e-7,
            // Around the bounds of `ryu`'s plain notation.
            9.99e-6,
            1e-5,
            1.5e-5,
            1e-4,
            -123.0,
            9_999_999_999_999_998.0,
            123456.789,
            1e15,
            1e16,
            1e17,
            1.2345e21,
            1e22,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::EPSILON,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            552.8312025690079,
        ];
        for x in special {
            check(x, &mut ryu, &mut out);
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        for _ in 0..1_000_000 {
            // Any bit pattern: every exponent, subnormals, NaNs.
            check(f64::from_bits(rng.next_u64()), &mut ryu, &mut out);
            // Values of the sizes runs.csv holds, and whole numbers.
            let scale = 10f64.powi(rng.random_range(-8..12));
            let y = (rng.random::<f64>() - 0.3) * scale;
            check(y, &mut ryu, &mut out);
            check(y.round(), &mut ryu, &mut out);
            // Values with short exact expansions (quarters, large numbers), where ties live.
            let q = (rng.next_u64() >> rng.random_range(0..40)) as f64 / 4.0;
            check(q, &mut ryu, &mut out);
            check(-q * 1024.0, &mut ryu, &mut out);
        }
        check(f64::from_bits(0x43057843c130fb0a), &mut ryu, &mut out);
    }

    /// The episode rows are laid out by hand; they must be what the `csv`
    /// crate writes for the same fields (which is what they were before).
    #[test]
    fn episode_rows_match_the_csv_crate() {
        use crate::model::Cause;
        let causes = [
            Cause::None,
            Cause::Exit,
            Cause::Failure,
            Cause::Renegotiation,
            Cause::Grievance,
            Cause::TermEnd,
            Cause::Demand,
        ];
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let (mut ours, mut rows) = (Vec::new(), RowWriter::default());
        let mut theirs = csv::Writer::from_writer(Vec::new());
        write_episode_header(&mut ours).unwrap();
        theirs.write_record(EPISODE_COLUMNS.iter().map(|(c, _)| *c)).unwrap();
        for i in 0..2000u32 {
            let e = Episode {
                buyer: rng.random_range(0..300),
                unit: rng.next_u32(),
                provider: i % 7,
                partnership: i % 3 == 0,
                start: rng.random_range(0..100),
                end: rng.random_range(0..100),
                outcome: Outcome::ALL[i as usize % 5],
                cause: causes[i as usize % causes.len()],
                contract_period: i % 4,
                sanctions: i % 11,
                complaints: rng.next_u32() >> (i % 32),
            };
            let run = rng.next_u64() >> (i % 64);
            rows.episode(&mut ours, run, &e).unwrap();
            let form = if e.partnership { "partnership" } else { "procurement" };
            let fields = [
                run.to_string(),
                e.buyer.to_string(),
                e.unit.to_string(),
                e.provider.to_string(),
                form.to_string(),
                e.start.to_string(),
                e.end.to_string(),
                e.outcome.name().to_string(),
                e.cause.name().to_string(),
                e.contract_period.to_string(),
                e.sanctions.to_string(),
                e.complaints.to_string(),
            ];
            theirs.write_record(fields).unwrap();
        }
        let theirs = theirs.into_inner().unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
    }
}
