//! A small deterministic random generator (SplitMix64). Written here rather than taken from a
//! crate so that a corpus stays byte-identical for a seed across dependency upgrades.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator for one part of the corpus, independent of the order parts are made in.
    pub fn derive(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * n as f64) as usize % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A Zipf-distributed index in `0..n` with exponent ~1, by inverse transform on the harmonic
    /// approximation: frequent words are many times more common than rare ones, as in real text.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let h = (n as f64).ln() + 0.5772;
        let x = (u * h - 0.5772).exp();
        (x as usize).min(n - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let a: Vec<u64> = (0..5).map(|_| Rng::derive(42, 7).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::derive(42, 7).next_u64(), Rng::derive(42, 8).next_u64());
    }

    #[test]
    fn zipf_prefers_the_head() {
        let mut r = Rng::new(1);
        let draws: Vec<usize> = (0..10_000).map(|_| r.zipf(50_000)).collect();
        let head = draws.iter().filter(|&&d| d < 100).count();
        let tail = draws.iter().filter(|&&d| d >= 25_000).count();
        assert!(head > tail, "head {head} tail {tail}");
        assert!(draws.iter().all(|&d| d < 50_000));
    }
}
