//! Confidence intervals: the [`Interval`] type and the Wilson score interval
//! for a binomial proportion.

/// The two-sided 95% standard normal quantile, Φ⁻¹(0.975).
pub const Z95: f64 = 1.959963984540054;

/// Two-sided 95% quantiles of Student's t, `t(0.975, df)` for df = 1 to
/// 100 (scipy's `t.ppf(0.975, df)`, to the last digit).
#[rustfmt::skip]
const T975: [f64; 100] = [
    12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.7764451051977934,
    2.5705818356363146, 2.4469118511449786, 2.364624251592784, 2.306004135204166,
    2.262157162798205, 2.228138851986274, 2.200985160091639, 2.1788128296672284,
    2.1603686564627913, 2.144786687917804, 2.131449545559776, 2.1199052992212546,
    2.1098155778333156, 2.1009220402410382, 2.0930240544083087, 2.085963447265864,
    2.0796138447276795, 2.0738730679040254, 2.0686576104190486, 2.0638985616280245,
    2.0595385527532972, 2.0555294386428735, 2.0518305164802846, 2.0484071417952454,
    2.045229642132703, 2.0422724563012378, 2.039513446396408, 2.0369333434601016,
    2.0345152974493383, 2.0322445093177186, 2.030107928250343, 2.0280940009804502,
    2.0261924630291093, 2.0243941639119694, 2.022690920036761, 2.021075390306273,
    2.019540970441376, 2.0180817028184443, 2.016692199227824, 2.0153675744437636,
    2.014103388880846, 2.012895598919429, 2.0117405137297655, 2.010634757624232,
    2.0095752371292392, 2.008559112100761, 2.007583770315836, 2.006646805061688,
    2.0057459953178687, 2.0048792881880564, 2.0040447832891455, 2.003240718847872,
    2.002465459291007, 2.0017174841452356, 2.000995378088267, 2.0002978220142604,
    1.999623584994939, 1.9989715170333788, 1.998340542520741, 1.997729654317693,
    1.9971379083920038, 1.9965644189523117, 1.996008354025296, 1.9954689314298435,
    1.9949454151072374, 1.994437111771186, 1.9939433678456255, 1.9934635666618719,
    1.992997125889855, 1.992543495180932, 1.9921021540022417, 1.9916726096446642,
    1.9912543953883846, 1.9908470688116906, 1.9904502102301285, 1.990063421254446,
    1.9896863234569029, 1.989318557136572, 1.9889597801751624, 1.9886096669757083,
    1.9882679074772216, 1.98793420623902, 1.9876082815890708, 1.9872898648311692,
    1.986978699506281, 1.9866745407037683, 1.9863771544186177, 1.98608631695113,
    1.9858018143458227, 1.985523441866604, 1.9852510035054978, 1.984984311522457,
    1.9847231860139845, 1.9844674545084815, 1.9842169515864174, 1.9839715185235518,
];

/// Half-width of the 95% interval of a difference of two independent
/// means (Welch): `t975(df) * sqrt(va/na + vb/nb)`, with the
/// Welch-Satterthwaite degrees of freedom rounded down (the wider, safe
/// side). `va`, `vb` are sample variances over `na`, `nb` values; NaN when
/// either has fewer than two values, 0 when both variances are 0.
pub fn welch_half_width(va: f64, na: u64, vb: f64, nb: u64) -> f64 {
    if na < 2 || nb < 2 {
        return f64::NAN;
    }
    let (sa, sb) = (va / na as f64, vb / nb as f64);
    let se2 = sa + sb;
    if se2 == 0.0 {
        return 0.0;
    }
    let df = se2 * se2 / (sa * sa / (na - 1) as f64 + sb * sb / (nb - 1) as f64);
    // df lies between min(na, nb) - 1 and na + nb - 2.
    let df = (df.floor() as u64).clamp(na.min(nb) - 1, na + nb - 2);
    t975(df) * se2.sqrt()
}

/// The two-sided 95% quantile of Student's t with `df` degrees of freedom,
/// `t(0.975, df)`: the multiplier of a mean's 95% interval from `df + 1`
/// independent values. Exact (a table) up to 100 degrees of freedom; above,
/// the Cornish-Fisher expansion to the fourth order (Abramowitz and Stegun
/// 26.7.5), within 1e-10 of the exact value at 101 and closer beyond. NaN
/// for `df = 0`.
///
/// Written here, not taken from a crate: only this one quantile is needed,
/// and `statrs`' `inverse_cdf`, the obvious crate, did not return for large
/// degrees of freedom when tried (minutes of CPU time without a value).
pub fn t975(df: u64) -> f64 {
    match df {
        0 => f64::NAN,
        1..=100 => T975[df as usize - 1],
        _ => {
            let (z, v) = (Z95, df as f64);
            let z2 = z * z;
            let g1 = (z2 + 1.0) * z / 4.0;
            let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
            let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
            let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
            z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
        }
    }
}

/// A point estimate with a confidence interval `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
}

impl Interval {
    /// No estimate and no interval (all NaN: empty cells, `null` in JSON).
    pub const NONE: Interval = Interval {
        estimate: f64::NAN,
        low: f64::NAN,
        high: f64::NAN,
    };

    /// Half the width of the interval, `(high - low) / 2`.
    pub fn half_width(&self) -> f64 {
        (self.high - self.low) / 2.0
    }
}

/// Wilson score 95% interval for a binomial proportion.
///
/// `estimate` is the sample proportion `successes / trials`; `low` and `high`
/// are the Wilson score bounds with `z = Z95`, clamped to `[0, 1]` (and,
/// against rounding, to contain the estimate; `low` is exactly 0 when there
/// are no successes and `high` exactly 1 when all trials succeed). With no
/// trials there is no share: all three are NaN (written as empty cells and
/// `null`). `successes` larger than `trials` is treated as `trials`.
pub fn wilson(successes: u64, trials: u64) -> Interval {
    if trials == 0 {
        return Interval::NONE;
    }
    let n = trials as f64;
    wilson_of(successes.min(trials) as f64 / n, n, Z95)
}

/// The Wilson bounds of share `p` from `n` trials (`n` may be an effective,
/// fractional number of trials) with critical value `z`.
fn wilson_of(p: f64, n: f64, z: f64) -> Interval {
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // Mathematically low <= p <= high, with low == 0 iff successes == 0 and
    // high == 1 iff successes == trials; enforce this against rounding.
    let low = if p == 0.0 { 0.0 } else { (center - half).clamp(0.0, p) };
    let high = if p == 1.0 { 1.0 } else { (center + half).clamp(p, 1.0) };
    Interval { estimate: p, low, high }
}

/// 95% interval of the difference of two paired shares, `p_B − p_A`, by
/// Newcombe's hybrid score method (Newcombe 1998, "Improved confidence
/// intervals for the difference between binomial proportions based on
/// paired data", method 10): from the Wilson intervals of the two shares and the correlation of the pairs.
/// `n` pairs, `a_hits` and `b_hits` of them with the property in A and in B,
/// `only_a` and `only_b` with it in A only and in B only. Unlike the normal
/// interval of the mean difference, it is not of zero width when no pair
/// differs, and it keeps close to 95% coverage for rare outcomes. NaN for
/// no pairs.
pub fn paired_difference(n: u64, a_hits: u64, b_hits: u64, only_a: u64, only_b: u64) -> Interval {
    if n == 0 {
        return Interval::NONE;
    }
    let (ia, ib) = (wilson(a_hits, n), wilson(b_hits, n));
    // The 2 x 2 table of the pairs: both, B only, A only, neither.
    let both = a_hits.saturating_sub(only_a) as f64;
    let (ob, oa) = (only_b as f64, only_a as f64);
    let neither = (n as f64 - both - oa - ob).max(0.0);
    let denom = ((both + ob) * (oa + neither) * (both + oa) * (ob + neither)).sqrt();
    let phi = if denom > 0.0 {
        (both * neither - ob * oa) / denom
    } else {
        0.0
    };
    hybrid_score(ia, ib, phi)
}

/// 95% interval of the difference of two independent shares, `p_B − p_A`,
/// from their Wilson intervals `a` and `b`, by Newcombe's hybrid score
/// method (Newcombe 1998, "Interval estimation for the difference between
/// independent proportions", method 10: [`paired_difference`] without the
/// correlation of the pairs). Not of zero width when neither share varies,
/// unlike p_B − p_A ± t·√(var_A / n_A + var_B / n_B), and close to 95%
/// coverage for rare outcomes. NaN where either interval is.
pub fn unpaired_difference(a: Interval, b: Interval) -> Interval {
    if a.low.is_nan() || b.low.is_nan() {
        return Interval::NONE;
    }
    hybrid_score(a, b, 0.0)
}

/// Newcombe's hybrid score interval of `b − a` from the Wilson intervals of
/// two shares whose pairs have correlation `phi` (0 for independent ones).
fn hybrid_score(ia: Interval, ib: Interval, phi: f64) -> Interval {
    let d = ib.estimate - ia.estimate;
    let (lb, ub) = (ib.estimate - ib.low, ib.high - ib.estimate);
    let (la, ua) = (ia.estimate - ia.low, ia.high - ia.estimate);
    let low = d - (lb * lb - 2.0 * phi * lb * ua + ua * ua).max(0.0).sqrt();
    let high = d + (ub * ub - 2.0 * phi * ub * la + la * la).max(0.0).sqrt();
    Interval {
        estimate: d,
        low: low.max(-1.0),
        high: high.min(1.0),
    }
}

/// Per-cluster sums of a share whose items come in clusters: in backsim,
/// episodes (the items) come in runs (the clusters), and the episodes of
/// one run share its future, so they are not independent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClusterSums {
    /// Number of clusters `R`.
    pub clusters: u64,
    /// Items with the property, `K = Σ k_r`.
    pub hits: u64,
    /// Items, `N = Σ n_r`.
    pub items: u64,
    /// `Σ k_r²`.
    pub hits_sq: u64,
    /// `Σ k_r n_r`.
    pub hits_items: u64,
    /// `Σ n_r²`.
    pub items_sq: u64,
    /// Clusters with at least one item with the property.
    pub hit_clusters: u64,
    /// Clusters with at least one item without it.
    pub missed_clusters: u64,
}

impl ClusterSums {
    /// Adds one cluster of `items` items, `hits` of them with the property.
    pub fn add(&mut self, hits: u64, items: u64) {
        self.clusters += 1;
        self.hits += hits;
        self.items += items;
        self.hits_sq += hits * hits;
        self.hits_items += hits * items;
        self.items_sq += items * items;
        self.hit_clusters += u64::from(hits > 0);
        self.missed_clusters += u64::from(hits < items);
    }

    /// Adds the sums of other clusters.
    pub fn merge(&mut self, o: &ClusterSums) {
        self.clusters += o.clusters;
        self.hits += o.hits;
        self.items += o.items;
        self.hits_sq += o.hits_sq;
        self.hits_items += o.hits_items;
        self.items_sq += o.items_sq;
        self.hit_clusters += o.hit_clusters;
        self.missed_clusters += o.missed_clusters;
    }

    /// The design effect: the variance of the share `K / N` estimated from
    /// the clusters (the ratio estimator's, `R/(R−1) · Σ (k_r − p n_r)² / N²`,
    /// Cochran 1977, 6.9) over the variance it would have if the `N` items
    /// were independent, `p (1 − p) / N`. At least 1, and 1 when it cannot be
    /// estimated (fewer than two clusters, or `p` 0 or 1).
    pub fn design_effect(&self) -> f64 {
        if self.clusters < 2 || self.items == 0 {
            return 1.0;
        }
        let n = self.items as f64;
        let p = self.hits as f64 / n;
        let binomial = p * (1.0 - p) / n;
        if binomial <= 0.0 {
            return 1.0;
        }
        // Σ (k − p n)² = Σ k² − p (2 Σ k n − p Σ n²); every sum is an exact
        // integer, so the result does not depend on the order of the runs.
        let ss = (self.hits_sq as f64 - p * (2.0 * self.hits_items as f64 - p * self.items_sq as f64)).max(0.0);
        let r = self.clusters as f64;
        let clustered = r / (r - 1.0) * ss / (n * n);
        (clustered / binomial).max(1.0)
    }

    /// The Wilson 95% interval of the share `K / N` with the number of items
    /// divided by the [design effect](Self::design_effect) (Kish's
    /// effective sample size), and, as the design effect is estimated from
    /// the `R` clusters, Student's `t` quantile with `R − 1` degrees of
    /// freedom in place of the normal one (Korn and Graubard 1998): as wide
    /// as the items' clustering makes it, never narrower than for
    /// independent items. Where the design effect cannot be estimated (the
    /// hits, or the misses, all in one cluster or none, which includes a
    /// share of 0 or 1 and a single cluster) the effective sample size is
    /// the number of clusters, its value when the items of a cluster are all
    /// alike (the most they can be): with no hit in 30 runs of 6 episodes,
    /// the interval is the one of 0 in 30, not of 0 in 180, and one hit is
    /// not more certain than none. NaN with no items.
    pub fn wilson(&self) -> Interval {
        if self.items == 0 {
            return Interval::NONE;
        }
        let n = self.items as f64;
        let hits = self.hits.min(self.items);
        let z = if self.clusters < 2 {
            Z95
        } else {
            t975(self.clusters - 1)
        };
        let n_eff = if self.clusters < 2 || self.hit_clusters < 2 || self.missed_clusters < 2 {
            self.clusters.min(self.items) as f64
        } else {
            n / self.design_effect()
        };
        wilson_of(hits as f64 / n, n_eff, z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Independent computation: the Wilson bounds are the roots in `p` of
    /// `(p̂ - p)² = z² p (1 - p) / n`, i.e. of
    /// `(1 + z²/n) p² - (2p̂ + z²/n) p + p̂² = 0`.
    fn wilson_by_quadratic(s: u64, n: u64) -> (f64, f64) {
        let nf = n as f64;
        let ph = s as f64 / nf;
        let z2 = Z95 * Z95;
        let a = 1.0 + z2 / nf;
        let b = -(2.0 * ph + z2 / nf);
        let c = ph * ph;
        let disc = (b * b - 4.0 * a * c).max(0.0).sqrt();
        ((-b - disc) / (2.0 * a), (-b + disc) / (2.0 * a))
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_matches_closed_form() {
        for &(s, n) in &[(0u64, 10u64), (5, 10), (10, 10), (50, 100), (81, 263), (1, 1000)] {
            let iv = wilson(s, n);
            let (lo, hi) = wilson_by_quadratic(s, n);
            assert!(close(iv.low, lo.max(0.0), 1e-12), "{s}/{n}: {iv:?} vs {lo}");
            assert!(close(iv.high, hi.min(1.0), 1e-12), "{s}/{n}: {iv:?} vs {hi}");
            assert_eq!(iv.estimate, s as f64 / n as f64);
            assert!(iv.low <= iv.estimate && iv.estimate <= iv.high);
        }
    }

    #[test]
    fn wilson_known_values() {
        let z2 = Z95 * Z95;
        // 0 of n: low 0, high z²/(n+z²).
        let iv = wilson(0, 10);
        assert_eq!(iv.low, 0.0);
        assert!(close(iv.high, z2 / (10.0 + z2), 1e-12));
        assert!(close(iv.high, 0.27753, 1e-5));
        // n of n: low n/(n+z²), high 1.
        let iv = wilson(10, 10);
        assert_eq!(iv.high, 1.0);
        assert!(close(iv.low, 10.0 / (10.0 + z2), 1e-12));
        assert!(close(iv.low, 0.72247, 1e-5));
        // Symmetric cases.
        let iv = wilson(5, 10);
        assert!(close(iv.low, 0.23659, 1e-5), "{iv:?}");
        assert!(close(iv.high, 0.76341, 1e-5), "{iv:?}");
        assert!(close(iv.low + iv.high, 1.0, 1e-12));
        let iv = wilson(50, 100);
        assert!(close(iv.low, 0.40383, 1e-5), "{iv:?}");
        assert!(close(iv.high, 0.59617, 1e-5), "{iv:?}");
        // Classic textbook example: 81 of 263.
        let iv = wilson(81, 263);
        assert!(close(iv.low, 0.2553, 5e-5), "{iv:?}");
        assert!(close(iv.high, 0.3662, 5e-5), "{iv:?}");
    }

    #[test]
    fn t975_is_exact_in_the_table_and_continues_it_smoothly() {
        assert!(t975(0).is_nan());
        assert_eq!(t975(1), 12.706204736174694);
        assert_eq!(t975(10), 2.228138851986274);
        assert_eq!(t975(100), 1.9839715185235518);
        // scipy's t.ppf(0.975, df) beyond the table.
        for (df, exact) in [
            (101, 1.983731002955606),
            (1000, 1.9623390808264083),
            (1_000_000, 1.959966356814107),
        ] {
            assert!((t975(df) - exact).abs() < 1e-10, "df {df}: {} vs {exact}", t975(df));
        }
        // Decreasing towards the normal quantile.
        for df in 1..2000 {
            assert!(t975(df + 1) < t975(df), "df {df}");
        }
        assert!(t975(u64::MAX) >= Z95 && t975(u64::MAX) - Z95 < 1e-15);
    }

    /// Clusters of `n` items each, from `(hits per cluster)`.
    fn clusters(n: u64, hits: &[u64]) -> ClusterSums {
        let mut c = ClusterSums::default();
        for &k in hits {
            c.add(k, n);
        }
        c
    }

    #[test]
    fn clustered_share_widens_with_the_clustering() {
        // Clusters of 10 items that are all or nothing: 30 of 100 clusters
        // hit, so the share 0.3 rests on 100 independent draws, not 1000.
        let all_or_nothing = clusters(10, &[[10; 30].as_slice(), &[0; 70]].concat());
        assert!((all_or_nothing.design_effect() - 10.0 * 100.0 / 99.0).abs() < 1e-12);
        let iv = all_or_nothing.wilson();
        assert_eq!(iv.estimate, 0.3);
        // Wilson on 99 trials (n / design effect), not on 1000, with t on
        // 99 degrees of freedom.
        let expect = wilson_of(0.3, 99.0, t975(99));
        assert!((iv.low - expect.low).abs() < 1e-12 && (iv.high - expect.high).abs() < 1e-12);
        assert!(iv.half_width() > 2.5 * wilson(300, 1000).half_width());
        // Hits spread evenly over clusters vary less than independent items
        // would: the design effect is floored at 1, so the interval is
        // Wilson's on all items (with t on 99 degrees of freedom).
        let even = clusters(10, &[3; 100]);
        assert_eq!(even.design_effect(), 1.0);
        assert_eq!(even.wilson(), wilson_of(0.3, 1000.0, t975(99)));
        assert!(even.wilson().half_width() > wilson(300, 1000).half_width());
        // Shares of 0 and 1 and a single cluster: as many trials as
        // clusters.
        assert_eq!(clusters(10, &[0; 50]).wilson(), wilson_of(0.0, 50.0, t975(49)));
        assert_eq!(clusters(10, &[10; 50]).wilson(), wilson_of(1.0, 50.0, t975(49)));
        assert!(clusters(10, &[0; 50]).wilson().high > wilson(0, 50).high);
        assert_eq!(clusters(10, &[4]).wilson(), wilson_of(0.4, 1.0, Z95));
        // Hits (or misses) in a single cluster: no spread between clusters
        // to estimate, so as many trials as clusters, and one hit is never
        // more certain than none (an audit found 3.2% against 12.2% as the
        // upper bounds in 30 runs).
        let one = clusters(6, &[[1].as_slice(), &[0; 29]].concat());
        let none = clusters(6, &[0; 30]);
        assert_eq!(one.wilson(), wilson_of(1.0 / 180.0, 30.0, t975(29)));
        assert!(one.wilson().high > none.wilson().high);
        let all_but_one = clusters(6, &[[5].as_slice(), &[6; 29]].concat());
        assert_eq!(all_but_one.wilson(), wilson_of(179.0 / 180.0, 30.0, t975(29)));
        // Hits in two clusters: estimated.
        let two = clusters(6, &[[1, 1].as_slice(), &[0; 28]].concat());
        assert_ne!(two.wilson().high, wilson_of(2.0 / 180.0, 30.0, t975(29)).high);
        assert!(ClusterSums::default().wilson().estimate.is_nan());
        // Merging is adding.
        let (mut a, b) = (clusters(7, &[1, 2, 0, 7]), clusters(3, &[3, 0]));
        a.merge(&b);
        let mut c = clusters(7, &[1, 2, 0, 7]);
        c.add(3, 3);
        c.add(0, 3);
        assert_eq!(a, c);
    }

    #[test]
    fn clustered_interval_covers_at_95_percent() {
        // Runs of 6 episodes whose chance of an outcome is drawn per run
        // (0.02 or 0.3): strongly clustered. Over 2000 simulated studies of
        // 300 runs, the clustered interval covers the true share about 95%
        // of the time (plain Wilson on episodes covers far less).
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let truth = (0.02 + 0.3) / 2.0;
        let (mut covered, mut covered_plain, studies) = (0u32, 0u32, 2000u32);
        for _ in 0..studies {
            let mut c = ClusterSums::default();
            for _ in 0..300 {
                let p = if rng.random::<bool>() { 0.3 } else { 0.02 };
                let k = (0..6).filter(|_| rng.random::<f64>() < p).count() as u64;
                c.add(k, 6);
            }
            let iv = c.wilson();
            covered += (iv.low <= truth && truth <= iv.high) as u32;
            let plain = wilson(c.hits, c.items);
            covered_plain += (plain.low <= truth && truth <= plain.high) as u32;
        }
        // 95% of 2000 with a binomial 99.9% margin: 0.95 ± 3.3 sd(0.0049).
        let rate = covered as f64 / studies as f64;
        assert!((0.934..=0.966).contains(&rate), "clustered coverage {rate}");
        assert!(
            (covered_plain as f64 / studies as f64) < 0.90,
            "plain coverage {covered_plain}"
        );
    }

    #[test]
    fn clustered_interval_covers_with_few_clusters_and_no_hits() {
        // Strongly clustered episodes (a quarter of the runs have a chance
        // of 0.3 per episode, the rest none) in studies of only 5, 10 and 30
        // runs of 6, where many studies see no hit at all. With the normal
        // quantile and the design effect taken as 1 for no hits, coverage
        // here was 96%, 87% and below (an audit of the outputs found 75-84%
        // on the built-in scenarios); with t on R − 1 degrees of freedom and
        // as many trials as runs when the hits sit in one run or none it is
        // 98%, 98% and 95%.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let truth = (0.0 + 0.3) / 4.0;
        for runs in [5, 10, 30] {
            let (mut covered, mut empty, studies) = (0u32, 0u32, 4000u32);
            for _ in 0..studies {
                let mut c = ClusterSums::default();
                for _ in 0..runs {
                    let p = if rng.random::<f64>() < 0.25 { 0.3 } else { 0.0 };
                    let k = (0..6).filter(|_| rng.random::<f64>() < p).count() as u64;
                    c.add(k, 6);
                }
                let iv = c.wilson();
                covered += (iv.low <= truth && truth <= iv.high) as u32;
                empty += (c.hits == 0) as u32;
            }
            // 95% of 4000 less a binomial 99.9% margin (3.3 sd of 0.0034).
            let rate = covered as f64 / studies as f64;
            assert!(rate >= 0.939, "{runs} runs: coverage {rate}");
            assert!(runs > 10 || empty > 0, "{runs} runs: some studies have no hit");
        }
    }

    #[test]
    fn paired_difference_has_width_and_covers_at_95_percent() {
        // No pair differs: a real interval around 0, not [0, 0].
        let iv = paired_difference(1000, 3, 3, 0, 0);
        assert_eq!(iv.estimate, 0.0);
        assert!(iv.low < 0.0 && iv.high > 0.0, "{iv:?}");
        assert!(paired_difference(0, 0, 0, 0, 0).estimate.is_nan());
        // Every pair differs the same way: B − A = 1.
        let all = paired_difference(50, 0, 50, 0, 50);
        assert_eq!((all.estimate, all.high), (1.0, 1.0));
        assert!(all.low > 0.85 && all.low < 1.0, "{all:?}");
        // Coverage: 500 pairs of correlated rare outcomes (A 4%, B 6%, B
        // whenever A), 2000 studies.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (mut covered, mut covered_normal, studies) = (0u32, 0u32, 2000u32);
        for _ in 0..studies {
            let (mut a_hits, mut b_hits, mut only_b) = (0u64, 0u64, 0u64);
            let mut d = crate::stats::MeanAcc::new();
            for _ in 0..500 {
                let u: f64 = rng.random();
                let (a, b) = (u < 0.04, u < 0.06);
                a_hits += a as u64;
                b_hits += b as u64;
                only_b += (b && !a) as u64;
                d.add(b as u8 as f64 - a as u8 as f64);
            }
            let iv = paired_difference(500, a_hits, b_hits, 0, only_b);
            covered += (iv.low <= 0.02 && 0.02 <= iv.high) as u32;
            let normal = d.ci95();
            covered_normal += (normal.low <= 0.02 && 0.02 <= normal.high) as u32;
        }
        // 95% of 2000 with a binomial 99.9% margin.
        let rate = covered as f64 / studies as f64;
        assert!((0.934..=0.975).contains(&rate), "Newcombe coverage {rate}");
        // The normal interval of the mean difference covers less.
        assert!(
            (covered_normal as f64 / studies as f64) < 0.94,
            "normal coverage {covered_normal}"
        );
    }

    #[test]
    fn unpaired_difference_has_width_and_covers_at_95_percent() {
        // Neither share varies: an interval around 0 as wide as a Wilson
        // bound, not [0, 0].
        let none = wilson(0, 500);
        let iv = unpaired_difference(none, none);
        assert_eq!((iv.estimate, iv.low, iv.high), (0.0, -none.high, none.high));
        assert!(unpaired_difference(wilson(0, 0), none).estimate.is_nan());
        // Paired shares whose pairs are uncorrelated (phi = 0) give the same.
        let (a, b) = (wilson(2, 4), wilson(2, 4));
        assert_eq!(unpaired_difference(a, b), paired_difference(4, 2, 2, 1, 1));
        // Coverage: independent rare outcomes, A 4% of 500 and B 6% of 400,
        // 2000 studies.
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(12);
        let (mut covered, studies) = (0u32, 2000u32);
        for _ in 0..studies {
            let a_hits = (0..500).filter(|_| rng.random::<f64>() < 0.04).count() as u64;
            let b_hits = (0..400).filter(|_| rng.random::<f64>() < 0.06).count() as u64;
            let iv = unpaired_difference(wilson(a_hits, 500), wilson(b_hits, 400));
            covered += (iv.low <= 0.02 && 0.02 <= iv.high) as u32;
        }
        // 95% of 2000 with a binomial 99.9% margin.
        let rate = covered as f64 / studies as f64;
        assert!((0.934..=0.966).contains(&rate), "Newcombe coverage {rate}");
        // Small samples of rare outcomes, A 2% and B 5% of 100 each, where
        // the Wald interval (estimate ± 1.96 standard errors) covers less
        // than 95% (93.6% exactly, from the binomial distributions) and
        // Newcombe's more (96.8%); 8000 studies put each at least 5
        // standard deviations from 0.95.
        let (mut covered, mut covered_wald, studies) = (0u32, 0u32, 8000u32);
        for _ in 0..studies {
            let a_hits = (0..100).filter(|_| rng.random::<f64>() < 0.02).count() as u64;
            let b_hits = (0..100).filter(|_| rng.random::<f64>() < 0.05).count() as u64;
            let iv = unpaired_difference(wilson(a_hits, 100), wilson(b_hits, 100));
            covered += (iv.low <= 0.03 && 0.03 <= iv.high) as u32;
            let (pa, pb) = (a_hits as f64 / 100.0, b_hits as f64 / 100.0);
            let half = 1.959963984540054 * ((pa * (1.0 - pa) + pb * (1.0 - pb)) / 100.0).sqrt();
            covered_wald += ((pb - pa - half) <= 0.03 && 0.03 <= (pb - pa + half)) as u32;
        }
        let rate = covered as f64 / studies as f64;
        let wald = covered_wald as f64 / studies as f64;
        assert!(rate >= 0.95, "Newcombe coverage {rate} in small samples");
        assert!(
            wald < 0.95,
            "Wald coverage {wald}: the check would not tell the two apart"
        );
    }

    #[test]
    fn wilson_edge_cases() {
        // No trials, no share.
        let iv = wilson(0, 0);
        assert!(iv.estimate.is_nan() && iv.low.is_nan() && iv.high.is_nan());
        // successes > trials is clamped rather than producing nonsense.
        assert_eq!(wilson(20, 10), wilson(10, 10));
        let iv = wilson(3, u64::MAX);
        assert!(iv.low >= 0.0 && iv.high <= 1.0 && iv.low <= iv.high);
    }

    #[test]
    fn welch_degrees_of_freedom() {
        // Equal variances and sizes: df = 2(n - 1).
        let h = welch_half_width(4.0, 10, 4.0, 10);
        assert!((h - t975(18) * (0.8f64).sqrt()).abs() < 1e-12, "{h}");
        // One sample without spread: df = n - 1 of the other.
        let h = welch_half_width(0.0, 10, 9.0, 5);
        assert!((h - t975(4) * (1.8f64).sqrt()).abs() < 1e-12, "{h}");
        // Unequal: (1 + 2)^2 / (1/9 + 4/3) = 6.23 -> 6.
        let h = welch_half_width(10.0, 10, 8.0, 4);
        assert!((h - t975(6) * 3f64.sqrt()).abs() < 1e-12, "{h}");
        assert_eq!(welch_half_width(0.0, 10, 0.0, 10), 0.0);
        assert!(welch_half_width(1.0, 1, 1.0, 10).is_nan());
        // Large samples: the normal quantile.
        assert!((welch_half_width(1.0, 1_000_000, 1.0, 1_000_000) / (2e-6f64).sqrt() - Z95).abs() < 1e-5);
    }
}
