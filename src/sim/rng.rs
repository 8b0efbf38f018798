//! Seeded random streams: one ChaCha stream per (seed, purpose, object identity), so adding an
//! object to a scenario never changes the draws of another.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// FNV-1a 64-bit: a fixed, portable hash for deriving stream seeds (std's hasher is randomised).
pub fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.iter() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The random stream for `purpose` of the object `identity` under `seed`.
pub fn stream(seed: u64, purpose: &str, identity: &str) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(fnv1a(&[
        &seed.to_le_bytes(),
        purpose.as_bytes(),
        identity.as_bytes(),
    ]))
}

/// The alphabet of generated name suffixes (apimachinery `util/rand`): no vowels, no 0/1/3.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Five random characters for `generateName`, as the API server appends them.
pub fn name_suffix(rng: &mut ChaCha8Rng) -> String {
    let mut s = compact_str::CompactString::with_capacity(5);
    push_name_suffix(rng, &mut s);
    s.into()
}

/// Appends [`name_suffix`]'s five characters to `out`, the name built so far.
pub fn push_name_suffix(rng: &mut ChaCha8Rng, out: &mut compact_str::CompactString) {
    use rand::Rng;
    for _ in 0..5 {
        out.push(NAME_ALPHABET[rng.random_range(0..NAME_ALPHABET.len())] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_independent_and_reproducible() {
        let a1 = name_suffix(&mut stream(0, "pod-name", "default/a"));
        let a2 = name_suffix(&mut stream(0, "pod-name", "default/a"));
        let b = name_suffix(&mut stream(0, "pod-name", "default/b"));
        assert_eq!(a1, a2);
        assert_ne!(a1, b);
        assert_eq!(a1.len(), 5);
        assert!(a1.bytes().all(|c| NAME_ALPHABET.contains(&c)));
    }
}
