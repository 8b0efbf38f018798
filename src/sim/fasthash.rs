//! A fast, fixed (unseeded) hasher for the engine's internal lookup maps keyed by UIDs.
//!
//! std's SipHash is built to resist hash flooding, which a simulator's own integer keys do not
//! need, and it showed up at ~7% of a sweep's profile. These maps are only looked up, never
//! iterated for output, so their order cannot leak into results.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The FxHash mix (as in rustc): rotate, xor, multiply by a fixed odd constant.
#[derive(Clone, Copy, Debug, Default)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Whole words are plain loads; the tail is assembled byte by byte, because copying a
        // variable-length slice into a word buffer became a `memcpy` call per hashed name.
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut buf = [0u8; 8];
            buf.copy_from_slice(w);
            self.add(u64::from_le_bytes(buf));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let word = tail
                .iter()
                .rev()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
            self.add(word);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// A `HashMap` with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: each 8-byte chunk, zero-padded, read little-endian.
    fn reference(bytes: &[u8]) -> u64 {
        let mut h = FxHasher::default();
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            h.add(u64::from_le_bytes(buf));
        }
        h.finish()
    }

    #[test]
    fn words_and_tails_hash_as_zero_padded_little_endian_chunks() {
        let text = b"hello-2-29012345-x7k2p/default";
        for len in 0..=text.len() {
            let mut h = FxHasher::default();
            h.write(&text[..len]);
            assert_eq!(h.finish(), reference(&text[..len]), "length {len}");
        }
        let mut h = FxHasher::default();
        h.write(&[0x01, 0x02, 0x03]);
        let mut expected = FxHasher::default();
        expected.add(0x03_02_01);
        assert_eq!(h.finish(), expected.finish());
    }
}
