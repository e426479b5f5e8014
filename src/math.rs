//! Portable floating-point functions and the random variates built on them.
//!
//! Results are reproducible to the bit on every platform only if every
//! number the model computes comes from the same operations everywhere.
//! Addition, multiplication, division and square root are IEEE 754
//! operations, correctly rounded on every processor Rust supports, and Rust
//! never fuses or reorders them. `exp` and `ln` are not: `f64::exp` calls the
//! system's C math library, and glibc, musl, Apple's and Microsoft's give
//! different last bits for some arguments (glibc and the FreeBSD-derived
//! functions differ for about one argument in ten). So the model, the
//! parameter draws and the statistics printed in the outputs take these
//! functions from here: the pure-Rust [`libm`] crate (the Rust project's port
//! of musl's math library), which computes the same bits on every target.
//! Clippy refuses a direct call of the system's functions elsewhere
//! (`clippy.toml`, `disallowed-methods`).
//!
//! The normal and beta variates of `rand_distr` call the system's functions
//! inside (through `num-traits`), so they are written here again, each the
//! same algorithm as `rand_distr` 0.6 drawing the same random numbers: with
//! the system's functions passed in, the tests find them equal to
//! `rand_distr`'s to the bit; the model passes in the portable ones.

use rand::Rng;
use rand::RngExt;
use rand::distr::Open01;

/// e raised to `x`, the same bits on every platform.
#[inline]
pub fn exp(x: f64) -> f64 {
    libm::exp(x)
}

/// The natural logarithm of `x`, the same bits on every platform.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}

/// `ln(1 + x)`, accurate near 0, the same bits on every platform.
#[inline]
pub fn ln_1p(x: f64) -> f64 {
    libm::log1p(x)
}

/// The base-10 logarithm of `x`, the same bits on every platform.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}

/// `x` raised to `y`, the same bits on every platform.
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

/// `x` raised to the whole power `n`, by repeated squaring.
///
/// Written out because Rust leaves the precision of `f64::powi` unspecified
/// (it may differ by platform and version). This is the algorithm of
/// `__powidf2` in Rust's compiler-builtins, which `f64::powi` calls here, so
/// the bits are those `powi` gave before (a test compares them).
#[inline]
pub fn powi(x: f64, n: i32) -> f64 {
    let mut a = x;
    let mut k = n.unsigned_abs();
    let mut product = 1.0;
    loop {
        if k & 1 != 0 {
            product *= a;
        }
        k >>= 1;
        if k == 0 {
            break;
        }
        a *= a;
    }
    if n < 0 { 1.0 / product } else { product }
}

/// The `exp` and `ln` a variate is computed with: the portable ones for the
/// model, the system's in the tests that compare with `rand_distr`.
#[derive(Clone, Copy)]
pub(crate) struct Fns {
    pub(crate) exp: fn(f64) -> f64,
    pub(crate) ln: fn(f64) -> f64,
}

/// The portable functions of this module.
pub(crate) const PORTABLE: Fns = Fns { exp, ln };

/// A standard normal variate (mean 0, standard deviation 1) with the
/// portable `exp` and `ln`.
///
/// The ziggurat method of Marsaglia and Tsang (2000) with 256 layers, as
/// `rand_distr::StandardNormal`: one 64-bit word per variate in 98.5% of
/// cases; the wedge test draws a uniform (and a rejection starts again),
/// and tail values (beyond 3.65, 0.03%) draw pairs of open uniforms.
#[inline]
pub fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    standard_normal_with(rng, PORTABLE)
}

#[inline(always)]
pub(crate) fn standard_normal_with<R: Rng + ?Sized>(rng: &mut R, f: Fns) -> f64 {
    loop {
        let bits = rng.next_u64();
        let i = bits as usize & 0xff;
        // 52 bits as a number in [2, 4), less 3: in [-1, 1).
        let u = f64::from_bits((1024u64 << 52) | (bits >> 12)) - 3.0;
        let x = u * ZIG_NORM_X[i];
        if x.abs() < ZIG_NORM_X[i + 1] {
            return x;
        }
        if i == 0 {
            return normal_tail(rng, u, f);
        }
        if ZIG_NORM_F[i + 1] + (ZIG_NORM_F[i] - ZIG_NORM_F[i + 1]) * rng.random::<f64>() < (f.exp)(-x * x / 2.0) {
            return x;
        }
    }
}

/// The base layer's tail beyond `ZIG_NORM_R` (Marsaglia 1964), on the side
/// of `u`.
#[cold]
fn normal_tail<R: Rng + ?Sized>(rng: &mut R, u: f64, f: Fns) -> f64 {
    let (mut x, mut y) = (1.0f64, 0.0f64);
    while -2.0 * y < x * x {
        let x_: f64 = rng.sample(Open01);
        let y_: f64 = rng.sample(Open01);
        x = (f.ln)(x_) / ZIG_NORM_R;
        y = (f.ln)(y_);
    }
    if u < 0.0 { x - ZIG_NORM_R } else { ZIG_NORM_R - x }
}

/// The beta distribution on [0, 1] with shapes `a` and `b` (both positive),
/// drawn with the portable `exp` and `ln`.
///
/// Cheng's (1978) algorithms BB (both shapes above 1) and BC (otherwise),
/// as `rand_distr::Beta`, drawing the same pairs of open uniforms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beta {
    a: f64,
    b: f64,
    switched: bool,
    algorithm: Cheng,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cheng {
    Bb {
        alpha: f64,
        beta: f64,
        gamma: f64,
    },
    Bc {
        alpha: f64,
        beta: f64,
        kappa1: f64,
        kappa2: f64,
    },
}

impl Beta {
    /// The distribution with shapes `a` and `b`; `None` unless both are
    /// positive.
    pub fn new(a: f64, b: f64) -> Option<Beta> {
        if !(a > 0.0 && b > 0.0) {
            return None;
        }
        let (a, b, switched) = if a < b { (a, b, false) } else { (b, a, true) };
        Some(if a > 1.0 {
            let alpha = a + b;
            let beta = ((alpha - 2.0) / (2.0 * a * b - alpha)).sqrt();
            let gamma = a + 1.0 / beta;
            Beta {
                a,
                b,
                switched,
                algorithm: Cheng::Bb { alpha, beta, gamma },
            }
        } else {
            // In BC, `a` is the larger shape.
            let (a, b, switched) = (b, a, !switched);
            let alpha = a + b;
            let beta = 1.0 / b;
            let delta = 1.0 + a - b;
            let kappa1 = delta * (1. / 18. / 4. + 3. / 18. / 4. * b) / (a * beta - 14. / 18.);
            let kappa2 = 0.25 + (0.5 + 0.25 / delta) * b;
            Beta {
                a,
                b,
                switched,
                algorithm: Cheng::Bc {
                    alpha,
                    beta,
                    kappa1,
                    kappa2,
                },
            }
        })
    }

    /// One variate.
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sample_with(rng, PORTABLE)
    }

    // `!(x < y)` as in rand_distr, so that NaN decides the same way.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub(crate) fn sample_with<R: Rng + ?Sized>(&self, rng: &mut R, f: Fns) -> f64 {
        let (exp, ln) = (f.exp, f.ln);
        // `w = a exp(v)` with `v = beta ln(u1 / (1 - u1))`, of the accepted try.
        let w_of = |u1: f64, beta: f64| {
            let v = beta * ln(u1 / (1.0 - u1));
            (v, self.a * exp(v))
        };
        let w = match self.algorithm {
            Cheng::Bb { alpha, beta, gamma } => loop {
                let u1: f64 = rng.sample(Open01);
                let u2: f64 = rng.sample(Open01);
                let (v, w) = w_of(u1, beta);
                let z = u1 * u1 * u2;
                let r = gamma * v - ln(4.0);
                let s = self.a + r - w;
                if s + 1.0 + ln(5.0) >= 5.0 * z {
                    break w;
                }
                let t = ln(z);
                if s >= t || !(r + alpha * ln(alpha / (self.b + w)) < t) {
                    break w;
                }
            },
            Cheng::Bc {
                alpha,
                beta,
                kappa1,
                kappa2,
            } => loop {
                let u1: f64 = rng.sample(Open01);
                let u2: f64 = rng.sample(Open01);
                let z;
                if u1 < 0.5 {
                    let y = u1 * u2;
                    z = u1 * y;
                    if 0.25 * u2 + z - y >= kappa1 {
                        continue;
                    }
                } else {
                    z = u1 * u1 * u2;
                    if z <= 0.25 {
                        break w_of(u1, beta).1;
                    }
                    if z >= kappa2 {
                        continue;
                    }
                }
                let (v, w) = w_of(u1, beta);
                if !(alpha * (ln(alpha / (self.b + w)) + v) - ln(4.0) < ln(z)) {
                    break w;
                }
            },
        };
        if !self.switched {
            if w == f64::INFINITY {
                return 1.0;
            }
            w / (self.b + w)
        } else {
            self.b / (self.b + w)
        }
    }
}

// The ziggurat tables of the standard normal, copied unchanged from
// rand_distr 0.6 (src/ziggurat_tables.rs, generated by its
// `ziggurat_tables.py`; Copyright 2018 Developers of the Rand project,
// Copyright 2013 The Rust Project Developers; MIT or Apache-2.0, as this
// crate). rand_distr does not export them. The literals carry more digits
// than an f64 holds; they are kept as written, so that they read as the
// same table, and round to the same numbers.
#[allow(clippy::excessive_precision, clippy::unreadable_literal)]
mod tables {
    pub(super) const ZIG_NORM_R: f64 = 3.654152885361008796;
    #[rustfmt::skip]
    pub(super) static ZIG_NORM_X: [f64; 257] =
        [3.910757959537090045, 3.654152885361008796, 3.449278298560964462, 3.320244733839166074,
         3.224575052047029100, 3.147889289517149969, 3.083526132001233044, 3.027837791768635434,
         2.978603279880844834, 2.934366867207854224, 2.894121053612348060, 2.857138730872132548,
         2.822877396825325125, 2.790921174000785765, 2.760944005278822555, 2.732685359042827056,
         2.705933656121858100, 2.680514643284522158, 2.656283037575502437, 2.633116393630324570,
         2.610910518487548515, 2.589575986706995181, 2.569035452680536569, 2.549221550323460761,
         2.530075232158516929, 2.511544441625342294, 2.493583041269680667, 2.476149939669143318,
         2.459208374333311298, 2.442725318198956774, 2.426670984935725972, 2.411018413899685520,
         2.395743119780480601, 2.380822795170626005, 2.366237056715818632, 2.351967227377659952,
         2.337996148795031370, 2.324308018869623016, 2.310888250599850036, 2.297723348901329565,
         2.284800802722946056, 2.272108990226823888, 2.259637095172217780, 2.247375032945807760,
         2.235313384928327984, 2.223443340090905718, 2.211756642882544366, 2.200245546609647995,
         2.188902771624720689, 2.177721467738641614, 2.166695180352645966, 2.155817819875063268,
         2.145083634046203613, 2.134487182844320152, 2.124023315687815661, 2.113687150684933957,
         2.103474055713146829, 2.093379631137050279, 2.083399693996551783, 2.073530263516978778,
         2.063767547809956415, 2.054107931648864849, 2.044547965215732788, 2.035084353727808715,
         2.025713947862032960, 2.016433734904371722, 2.007240830558684852, 1.998132471356564244,
         1.989106007615571325, 1.980158896898598364, 1.971288697931769640, 1.962493064942461896,
         1.953769742382734043, 1.945116560006753925, 1.936531428273758904, 1.928012334050718257,
         1.919557336591228847, 1.911164563769282232, 1.902832208548446369, 1.894558525668710081,
         1.886341828534776388, 1.878180486290977669, 1.870072921069236838, 1.862017605397632281,
         1.854013059758148119, 1.846057850283119750, 1.838150586580728607, 1.830289919680666566,
         1.822474540091783224, 1.814703175964167636, 1.806974591348693426, 1.799287584547580199,
         1.791640986550010028, 1.784033659547276329, 1.776464495522344977, 1.768932414909077933,
         1.761436365316706665, 1.753975320315455111, 1.746548278279492994, 1.739154261283669012,
         1.731792314050707216, 1.724461502945775715, 1.717160915015540690, 1.709889657069006086,
         1.702646854797613907, 1.695431651932238548, 1.688243209434858727, 1.681080704722823338,
         1.673943330923760353, 1.666830296159286684, 1.659740822855789499, 1.652674147080648526,
         1.645629517902360339, 1.638606196773111146, 1.631603456932422036, 1.624620582830568427,
         1.617656869570534228, 1.610711622367333673, 1.603784156023583041, 1.596873794420261339,
         1.589979870021648534, 1.583101723393471438, 1.576238702733332886, 1.569390163412534456,
         1.562555467528439657, 1.555733983466554893, 1.548925085471535512, 1.542128153226347553,
         1.535342571438843118, 1.528567729435024614, 1.521803020758293101, 1.515047842773992404,
         1.508301596278571965, 1.501563685112706548, 1.494833515777718391, 1.488110497054654369,
         1.481394039625375747, 1.474683555695025516, 1.467978458615230908, 1.461278162507407830,
         1.454582081885523293, 1.447889631277669675, 1.441200224845798017, 1.434513276002946425,
         1.427828197027290358, 1.421144398672323117, 1.414461289772464658, 1.407778276843371534,
         1.401094763676202559, 1.394410150925071257, 1.387723835686884621, 1.381035211072741964,
         1.374343665770030531, 1.367648583594317957, 1.360949343030101844, 1.354245316759430606,
         1.347535871177359290, 1.340820365893152122, 1.334098153216083604, 1.327368577624624679,
         1.320630975217730096, 1.313884673146868964, 1.307128989027353860, 1.300363230327433728,
         1.293586693733517645, 1.286798664489786415, 1.279998415710333237, 1.273185207661843732,
         1.266358287014688333, 1.259516886060144225, 1.252660221891297887, 1.245787495544997903,
         1.238897891102027415, 1.231990574742445110, 1.225064693752808020, 1.218119375481726552,
         1.211153726239911244, 1.204166830140560140, 1.197157747875585931, 1.190125515422801650,
         1.183069142678760732, 1.175987612011489825, 1.168879876726833800, 1.161744859441574240,
         1.154581450355851802, 1.147388505416733873, 1.140164844363995789, 1.132909248648336975,
         1.125620459211294389, 1.118297174115062909, 1.110938046009249502, 1.103541679420268151,
         1.096106627847603487, 1.088631390649514197, 1.081114409698889389, 1.073554065787871714,
         1.065948674757506653, 1.058296483326006454, 1.050595664586207123, 1.042844313139370538,
         1.035040439828605274, 1.027181966030751292, 1.019266717460529215, 1.011292417434978441,
         1.003256679539591412, 0.995156999629943084, 0.986990747093846266, 0.978755155288937750,
         0.970447311058864615, 0.962064143217605250, 0.953602409875572654, 0.945058684462571130,
         0.936429340280896860, 0.927710533396234771, 0.918898183643734989, 0.909987953490768997,
         0.900975224455174528, 0.891855070726792376, 0.882622229578910122, 0.873271068082494550,
         0.863795545546826915, 0.854189171001560554, 0.844444954902423661, 0.834555354079518752,
         0.824512208745288633, 0.814306670128064347, 0.803929116982664893, 0.793369058833152785,
         0.782615023299588763, 0.771654424216739354, 0.760473406422083165, 0.749056662009581653,
         0.737387211425838629, 0.725446140901303549, 0.713212285182022732, 0.700661841097584448,
         0.687767892786257717, 0.674499822827436479, 0.660822574234205984, 0.646695714884388928,
         0.632072236375024632, 0.616896989996235545, 0.601104617743940417, 0.584616766093722262,
         0.567338257040473026, 0.549151702313026790, 0.529909720646495108, 0.509423329585933393,
         0.487443966121754335, 0.463634336771763245, 0.437518402186662658, 0.408389134588000746,
         0.375121332850465727, 0.335737519180459465, 0.286174591747260509, 0.215241895913273806,
         0.000000000000000000];
    #[rustfmt::skip]
    pub(super) static ZIG_NORM_F: [f64; 257] =
        [0.000477467764586655, 0.001260285930498598, 0.002609072746106363, 0.004037972593371872,
         0.005522403299264754, 0.007050875471392110, 0.008616582769422917, 0.010214971439731100,
         0.011842757857943104, 0.013497450601780807, 0.015177088307982072, 0.016880083152595839,
         0.018605121275783350, 0.020351096230109354, 0.022117062707379922, 0.023902203305873237,
         0.025705804008632656, 0.027527235669693315, 0.029365939758230111, 0.031221417192023690,
         0.033093219458688698, 0.034980941461833073, 0.036884215688691151, 0.038802707404656918,
         0.040736110656078753, 0.042684144916619378, 0.044646552251446536, 0.046623094902089664,
         0.048613553216035145, 0.050617723861121788, 0.052635418276973649, 0.054666461325077916,
         0.056710690106399467, 0.058767952921137984, 0.060838108349751806, 0.062921024437977854,
         0.065016577971470438, 0.067124653828023989, 0.069245144397250269, 0.071377949059141965,
         0.073522973714240991, 0.075680130359194964, 0.077849336702372207, 0.080030515814947509,
         0.082223595813495684, 0.084428509570654661, 0.086645194450867782, 0.088873592068594229,
         0.091113648066700734, 0.093365311913026619, 0.095628536713353335, 0.097903279039215627,
         0.100189498769172020, 0.102487158942306270, 0.104796225622867056, 0.107116667775072880,
         0.109448457147210021, 0.111791568164245583, 0.114145977828255210, 0.116511665626037014,
         0.118888613443345698, 0.121276805485235437, 0.123676228202051403, 0.126086870220650349,
         0.128508722280473636, 0.130941777174128166, 0.133386029692162844, 0.135841476571757352,
         0.138308116449064322, 0.140785949814968309, 0.143274978974047118, 0.145775208006537926,
         0.148286642733128721, 0.150809290682410169, 0.153343161060837674, 0.155888264725064563,
         0.158444614156520225, 0.161012223438117663, 0.163591108232982951, 0.166181285765110071,
         0.168782774801850333, 0.171395595638155623, 0.174019770082499359, 0.176655321444406654,
         0.179302274523530397, 0.181960655600216487, 0.184630492427504539, 0.187311814224516926,
         0.190004651671193070, 0.192709036904328807, 0.195425003514885592, 0.198152586546538112,
         0.200891822495431333, 0.203642749311121501, 0.206405406398679298, 0.209179834621935651,
         0.211966076307852941, 0.214764175252008499, 0.217574176725178370, 0.220396127481011589,
         0.223230075764789593, 0.226076071323264877, 0.228934165415577484, 0.231804410825248525,
         0.234686861873252689, 0.237581574432173676, 0.240488605941449107, 0.243408015423711988,
         0.246339863502238771, 0.249284212419516704, 0.252241126056943765, 0.255210669955677150,
         0.258192911338648023, 0.261187919133763713, 0.264195763998317568, 0.267216518344631837,
         0.270250256366959984, 0.273297054069675804, 0.276356989296781264, 0.279430141762765316,
         0.282516593084849388, 0.285616426816658109, 0.288729728483353931, 0.291856585618280984,
         0.294997087801162572, 0.298151326697901342, 0.301319396102034120, 0.304501391977896274,
         0.307697412505553769, 0.310907558127563710, 0.314131931597630143, 0.317370638031222396,
         0.320623784958230129, 0.323891482377732021, 0.327173842814958593, 0.330470981380537099,
         0.333783015832108509, 0.337110066638412809, 0.340452257045945450, 0.343809713148291340,
         0.347182563958251478, 0.350570941482881204, 0.353974980801569250, 0.357394820147290515,
         0.360830600991175754, 0.364282468130549597, 0.367750569780596226, 0.371235057669821344,
         0.374736087139491414, 0.378253817247238111, 0.381788410875031348, 0.385340034841733958,
         0.388908860020464597, 0.392495061461010764, 0.396098818517547080, 0.399720314981931668,
         0.403359739222868885, 0.407017284331247953, 0.410693148271983222, 0.414387534042706784,
         0.418100649839684591, 0.421832709231353298, 0.425583931339900579, 0.429354541031341519,
         0.433144769114574058, 0.436954852549929273, 0.440785034667769915, 0.444635565397727750,
         0.448506701509214067, 0.452398706863882505, 0.456311852680773566, 0.460246417814923481,
         0.464202689050278838, 0.468180961407822172, 0.472181538469883255, 0.476204732721683788,
         0.480250865911249714, 0.484320269428911598, 0.488413284707712059, 0.492530263646148658,
         0.496671569054796314, 0.500837575128482149, 0.505028667945828791, 0.509245245998136142,
         0.513487720749743026, 0.517756517232200619, 0.522052074674794864, 0.526374847174186700,
         0.530725304406193921, 0.535103932383019565, 0.539511234259544614, 0.543947731192649941,
         0.548413963257921133, 0.552910490428519918, 0.557437893621486324, 0.561996775817277916,
         0.566587763258951771, 0.571211506738074970, 0.575868682975210544, 0.580559996103683473,
         0.585286179266300333, 0.590047996335791969, 0.594846243770991268, 0.599681752622167719,
         0.604555390700549533, 0.609468064928895381, 0.614420723892076803, 0.619414360609039205,
         0.624450015550274240, 0.629528779928128279, 0.634651799290960050, 0.639820277456438991,
         0.645035480824251883, 0.650298743114294586, 0.655611470583224665, 0.660975147780241357,
         0.666391343912380640, 0.671861719900766374, 0.677388036222513090, 0.682972161648791376,
         0.688616083008527058, 0.694321916130032579, 0.700091918140490099, 0.705928501336797409,
         0.711834248882358467, 0.717811932634901395, 0.723864533472881599, 0.729995264565802437,
         0.736207598131266683, 0.742505296344636245, 0.748892447223726720, 0.755373506511754500,
         0.761953346841546475, 0.768637315803334831, 0.775431304986138326, 0.782341832659861902,
         0.789376143571198563, 0.796542330428254619, 0.803849483176389490, 0.811307874318219935,
         0.818929191609414797, 0.826726833952094231, 0.834716292992930375, 0.842915653118441077,
         0.851346258465123684, 0.860033621203008636, 0.869008688043793165, 0.878309655816146839,
         0.887984660763399880, 0.898095921906304051, 0.908726440060562912, 0.919991505048360247,
         0.932060075968990209, 0.945198953453078028, 0.959879091812415930, 0.977101701282731328,
         1.000000000000000000];
}
use tables::{ZIG_NORM_F, ZIG_NORM_R, ZIG_NORM_X};

#[cfg(test)]
// The system's functions are what rand_distr calls; here they show that the
// variates above are its algorithms, drawn the same way.
#[allow(clippy::disallowed_methods, clippy::disallowed_types)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::Distribution;

    const SYSTEM: Fns = Fns {
        exp: f64::exp,
        ln: f64::ln,
    };

    #[test]
    fn the_normal_is_rand_distrs_with_the_same_functions() {
        let mut ours = ChaCha8Rng::seed_from_u64(7);
        let mut theirs = ours.clone();
        let (mut tail, mut wedge) = (0, 0);
        for i in 0..2_000_000 {
            let before = ours.get_word_pos();
            let x = standard_normal_with(&mut ours, SYSTEM);
            let y: f64 = rand_distr::StandardNormal.sample(&mut theirs);
            assert_eq!(x.to_bits(), y.to_bits(), "draw {i}");
            assert_eq!(ours.get_word_pos(), theirs.get_word_pos(), "draw {i}");
            // Word positions count 32-bit words: 2 for one 64-bit draw.
            if x.abs() >= ZIG_NORM_R {
                tail += 1;
            } else if ours.get_word_pos() - before > 2 {
                wedge += 1;
            }
        }
        // Both rare paths were taken: the wedge (with its rejections) in
        // 1.5% of draws, the tail in 0.03% (29250 and 521 here).
        assert!(wedge > 10_000 && tail > 200, "wedge {wedge}, tail {tail}");
    }

    #[test]
    fn the_beta_is_rand_distrs_with_the_same_functions() {
        // Both of Cheng's algorithms, with and without the shapes switched,
        // and the shapes of the built-in scenarios.
        let shapes = [
            (17.0, 3.0),
            (2.0, 3.0),
            (3.0, 2.0),
            (50.0, 50.0),
            (1.0, 1.0),
            (0.5, 0.5),
            (1.0, 2.0),
            (3.0, 0.7),
            (0.7, 3.0),
            (1e-3, 1e-3),
        ];
        for (a, b) in shapes {
            let ours = Beta::new(a, b).unwrap();
            let theirs = rand_distr::Beta::new(a, b).unwrap();
            let mut r1 = ChaCha8Rng::seed_from_u64(11);
            let mut r2 = r1.clone();
            for i in 0..20_000 {
                let x = ours.sample_with(&mut r1, SYSTEM);
                let y: f64 = theirs.sample(&mut r2);
                assert_eq!(x.to_bits(), y.to_bits(), "Beta({a}, {b}), draw {i}");
                assert_eq!(r1.get_word_pos(), r2.get_word_pos(), "Beta({a}, {b}), draw {i}");
            }
        }
    }

    #[test]
    fn a_beta_needs_positive_shapes() {
        for (a, b) in [(0.0, 1.0), (1.0, 0.0), (-1.0, 2.0), (f64::NAN, 1.0), (1.0, f64::NAN)] {
            assert!(Beta::new(a, b).is_none(), "Beta({a}, {b})");
        }
        assert!(Beta::new(f64::MIN_POSITIVE, 1e300).is_some());
    }

    #[test]
    fn the_portable_variates_draw_as_the_system_ones_nearly_always() {
        // They are the same algorithms; only the last bits of exp and ln
        // differ, which moves a draw only where a comparison is that close
        // (the normal) or by a last bit (the beta).
        let mut r1 = ChaCha8Rng::seed_from_u64(3);
        let mut r2 = r1.clone();
        let mut same = 0;
        for _ in 0..100_000 {
            same += (standard_normal(&mut r1) == standard_normal_with(&mut r2, SYSTEM)) as u32;
        }
        assert!(same >= 99_990, "{same}");
        let beta = Beta::new(17.0, 3.0).unwrap();
        let mut r1 = ChaCha8Rng::seed_from_u64(3);
        let mut r2 = r1.clone();
        for _ in 0..10_000 {
            let (x, y) = (beta.sample(&mut r1), beta.sample_with(&mut r2, SYSTEM));
            assert!((x - y).abs() <= 4.0 * f64::EPSILON, "{x} {y}");
        }
    }

    #[test]
    fn powi_is_compiler_builtins_powi() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..200_000 {
            let x = 0.5 + rng.random::<f64>() * 1.5;
            let n = rng.random_range(-400..=400);
            assert_eq!(powi(x, n).to_bits(), x.powi(n).to_bits(), "{x}^{n}");
        }
        // `black_box`: with constant arguments the compiler folds `powi`
        // by another rule (2^-1074 comes out as the smallest subnormal, where
        // the call gives 1 / inf = 0), one reason Rust leaves it unspecified.
        for (x, n) in [(2.0, -1074), (2.0, 1023), (10.0, 0), (0.0, 0), (-3.0, 3), (f64::NAN, 0)] {
            let (x, n) = std::hint::black_box((x, n));
            assert_eq!(powi(x, n).to_bits(), x.powi(n).to_bits(), "{x}^{n}");
        }
    }

    #[test]
    fn the_portable_functions_give_pinned_bits() {
        // A new libm release that moved one of these bits would move
        // results too; this shows it before the pinned results do.
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(-1.0).to_bits(), 0x3fd7_8b56_362c_ef38);
        assert_eq!(ln(0.5).to_bits(), 0xbfe6_2e42_fefa_39ef);
        assert_eq!(log10(1000.0), 3.0);
        assert_eq!(pow(10.0, -2.0), 0.01);
        assert_eq!(ln(4.0).to_bits(), 0x3ff6_2e42_fefa_39ef);
        assert_eq!(ln_1p(-0.25).to_bits(), ln(0.75).to_bits());
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert!(ln(-1.0).is_nan());
        // And a few variates of a fixed stream, tail and wedge included.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let normals: u64 = (0..100_000).fold(0, |h, _| h.rotate_left(5) ^ standard_normal(&mut rng).to_bits());
        let beta = Beta::new(2.0, 3.0).unwrap();
        let betas: u64 = (0..10_000).fold(0, |h, _| h.rotate_left(5) ^ beta.sample(&mut rng).to_bits());
        assert_eq!((normals, betas), (0x9a1f_e055_cdb5_a47e, 0xfbbd_74da_1fa8_2767));
    }
}
