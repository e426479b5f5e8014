//! The points of a sweep: a full grid over the varied fields, or a seeded
//! Latin hypercube over their ranges.
//!
//! Point `k` (0-based, in the order of [`Design::points`]) is the scenario
//! with the point's values set by `--set` and is simulated on the random
//! streams of experiment point `k` (see [`crate::model::rng`]), so its
//! results equal those of `backsim run` with the same `--set` values, the
//! same seed and `--point k`.
//!
//! The grid varies the last field fastest. A Latin hypercube of `n` points
//! cuts each range into `n` equal strata and puts exactly one point in each
//! stratum of each field, pairing strata across fields by random
//! permutations; positions within strata are uniform. It is drawn from its
//! own ChaCha8 generator keyed by the seed ([`design_rng`]), apart from the
//! runs' streams. Whole-number fields are rounded.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::scenario::sweep::{AxisValues, SweepSpec, field_kind, number_value};

/// Stream id of the generator of experiment designs (Latin hypercubes,
/// Morris trajectories, Sobol samples), apart from the five run streams.
pub const DESIGN_STREAM: u64 = 0x6465_7369_676e; // "design"

/// The generator of a design drawn from `seed`, on stream `purpose` of
/// [`DESIGN_STREAM`]: a ChaCha8 keyed by the seed, so designs are
/// reproducible and independent of the runs' streams.
pub fn design_rng(seed: u64, purpose: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[24..].copy_from_slice(&DESIGN_STREAM.to_le_bytes());
    let mut r = ChaCha8Rng::from_seed(key);
    r.set_stream(purpose);
    r
}

/// The points of a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// The varied fields, by dotted path.
    pub params: Vec<String>,
    /// Per point, the value of each varied field.
    pub points: Vec<Vec<toml::Value>>,
}

impl Design {
    /// The points of a validated sweep under `seed` (the seed matters only
    /// for a Latin hypercube).
    pub fn new(spec: &SweepSpec, seed: u64) -> Design {
        let params: Vec<String> = spec.vary.iter().map(|a| a.path.clone()).collect();
        let points = match spec.lhs {
            Some(n) => {
                let ranges: Vec<(f64, f64)> = spec
                    .vary
                    .iter()
                    .map(|a| match a.values {
                        AxisValues::Range { min, max, .. } => (min, max),
                        // Validation allows only ranges in a hypercube.
                        AxisValues::List(_) => (0.0, 0.0),
                    })
                    .collect();
                let unit = latin_hypercube(n as usize, ranges.len(), &mut design_rng(seed, 0));
                unit.iter()
                    .map(|u| {
                        u.iter()
                            .zip(&ranges)
                            .zip(&params)
                            .map(|((x, (lo, hi)), p)| {
                                let kind = field_kind(p);
                                let v = if kind == crate::scenario::Kind::Int {
                                    whole_number_at(*x, *lo, *hi)
                                } else {
                                    (lo + (hi - lo) * x).clamp(*lo, *hi)
                                };
                                number_value(v, kind)
                            })
                            .collect()
                    })
                    .collect()
            }
            None => {
                let axes: Vec<Vec<toml::Value>> = spec.vary.iter().map(|a| a.grid_values()).collect();
                let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
                for values in &axes {
                    points = points
                        .into_iter()
                        .flat_map(|p| {
                            values.iter().map(move |v| {
                                let mut q = p.clone();
                                q.push(v.clone());
                                q
                            })
                        })
                        .collect();
                }
                points
            }
        };
        Design { params, points }
    }

    /// The `PATH=VALUE` overrides of point `k`, as `--set` takes them.
    pub fn sets(&self, k: usize) -> Vec<String> {
        self.params
            .iter()
            .zip(&self.points[k])
            .map(|(p, v)| format!("{p}={}", value_text(v)))
            .collect()
    }
}

/// A value as TOML text (a float always with a decimal point or exponent,
/// so that it reads back as the same float).
pub fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => {
            let s = format!("{f}");
            if s.contains(['.', 'e', 'E', 'i', 'n']) {
                s
            } else {
                format!("{s}.0")
            }
        }
        other => other.to_string(),
    }
}

/// A value for a CSV cell: numbers as the shortest text that reads back
/// exactly, words as they are, anything else as TOML.
pub fn value_cell(v: &toml::Value) -> String {
    match v {
        toml::Value::Float(f) => format!("{f}"),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::String(s) => s.clone(),
        toml::Value::Boolean(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The whole number at position `u` in `[0, 1]` of the range `lo..=hi`
/// (whole-number bounds): the range is cut into `hi − lo + 1` equal parts,
/// one per value, so a uniform `u` gives every value the same chance.
/// Rounding `lo + (hi − lo) · u` instead gives the two end values half the
/// chance of the others (an audit counted 530/980/994/1002/494 for 0 to 4).
pub fn whole_number_at(u: f64, lo: f64, hi: f64) -> f64 {
    (lo + (u * (hi - lo + 1.0)).floor()).clamp(lo, hi)
}

/// A Latin hypercube of `n` points in `[0, 1)^d`: for each dimension, a
/// uniformly random permutation of the `n` strata (Fisher-Yates), then a
/// uniform position within each stratum. Draws: per dimension, `n - 1`
/// for the permutation, then `n` positions.
pub fn latin_hypercube(n: usize, d: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    let mut points = vec![vec![0.0; d]; n];
    for j in 0..d {
        let mut perm: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let k = rng.random_range(0..=i);
            perm.swap(i, k);
        }
        for (i, p) in points.iter_mut().enumerate() {
            let u: f64 = rng.random();
            p[j] = (perm[i] as f64 + u) / n as f64;
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::sweep::Axis;

    fn spec(vary: &[&str], lhs: Option<u64>) -> SweepSpec {
        SweepSpec {
            vary: vary.iter().map(|v| Axis::parse(v).unwrap()).collect(),
            lhs,
            ..Default::default()
        }
    }

    #[test]
    fn whole_numbers_are_equally_likely() {
        // 5000 evenly spread positions over 0..=4: 1000 of each value.
        let mut count = [0u32; 5];
        for i in 0..5000 {
            let v = whole_number_at((i as f64 + 0.5) / 5000.0, 0.0, 4.0);
            assert_eq!(v, v.floor());
            count[v as usize] += 1;
        }
        assert_eq!(count, [1000; 5]);
        assert_eq!(whole_number_at(0.0, 2.0, 5.0), 2.0);
        assert_eq!(whole_number_at(1.0, 2.0, 5.0), 5.0);
        assert_eq!(whole_number_at(0.999_999_999, 2.0, 5.0), 5.0);
        assert_eq!(whole_number_at(0.5, 3.0, 3.0), 3.0);
    }

    #[test]
    fn grid_is_the_full_product_last_fastest() {
        let d = Design::new(&spec(&["buyer.power=0.2,0.8", "market.alternatives=0:4:3"], None), 1);
        assert_eq!(d.points.len(), 6);
        assert_eq!(d.sets(0), vec!["buyer.power=0.2", "market.alternatives=0"]);
        assert_eq!(d.sets(1), vec!["buyer.power=0.2", "market.alternatives=2"]);
        assert_eq!(d.sets(5), vec!["buyer.power=0.8", "market.alternatives=4"]);
        let d = Design::new(&spec(&["buyer.power=0:1:3"], None), 1);
        assert_eq!(d.sets(2), vec!["buyer.power=1.0"]);
    }

    #[test]
    fn latin_hypercube_has_one_point_per_stratum_and_is_seeded() {
        let d = Design::new(&spec(&["buyer.power=0.2:0.6", "market.alternatives=0:9"], Some(10)), 7);
        assert_eq!(d.points.len(), 10);
        let mut strata: Vec<usize> = d
            .points
            .iter()
            .map(|p| ((p[0].as_float().unwrap() - 0.2) / 0.4 * 10.0).floor() as usize)
            .collect();
        strata.sort();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        assert!(d.points.iter().all(|p| p[1].is_integer()));
        assert_eq!(
            d,
            Design::new(&spec(&["buyer.power=0.2:0.6", "market.alternatives=0:9"], Some(10)), 7)
        );
        assert_ne!(
            d,
            Design::new(&spec(&["buyer.power=0.2:0.6", "market.alternatives=0:9"], Some(10)), 8)
        );
    }

    #[test]
    fn values_read_back_exactly() {
        for x in [0.1, 1.0 / 3.0, 1e-9, 123456.789, 2.0] {
            let text = value_text(&toml::Value::Float(x));
            let back = crate::scenario::sweep::parse_value(&text);
            assert_eq!(back, toml::Value::Float(x), "{text}");
        }
    }
}
