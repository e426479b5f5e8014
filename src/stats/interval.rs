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
        return Interval {
            estimate: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let n = trials as f64;
    let p = successes.min(trials) as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // Mathematically low <= p <= high, with low == 0 iff successes == 0 and
    // high == 1 iff successes == trials; enforce this against rounding.
    let low = if p == 0.0 { 0.0 } else { (center - half).clamp(0.0, p) };
    let high = if p == 1.0 { 1.0 } else { (center + half).clamp(p, 1.0) };
    Interval { estimate: p, low, high }
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
}
