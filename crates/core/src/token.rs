//! Blinded identity tokens on ristretto255.
//!
//! A match key becomes a group element `P = from_uniform_bytes(BLAKE3-XOF(domain ‖ federation ‖
//! key kind ‖ value))`. A node blinds it with its secret scalar `a` (`T = a·P`) before it leaves;
//! the peer re-blinds with its own `b` (`D = b·T`). `D = ab·P` is equal on both sides exactly
//! when the match key is, and is useless to anyone without one of the two secrets.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

/// Domain separation for the hash-to-group step; change it and no token matches old ones.
pub(crate) const HASH_DOMAIN: &[u8] = b"homeward.v1.match-key";
/// Domain separation for per-peer record references.
const REF_DOMAIN: &str = "homeward.v1.peer-ref";

/// Length of an opaque per-peer record reference.
pub const REF_LEN: usize = 16;
pub type PeerRef = [u8; REF_LEN];

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token is not a canonical ristretto255 encoding")]
    InvalidPoint,
    #[error("token must be 32 bytes, got {0}")]
    WrongLength(usize),
    #[error("operating system randomness is unavailable")]
    NoRandomness,
}

/// Hashes a match key to a group element. `kind_domain` is the key kind's hashing label: two
/// keys can only ever match when kind and value are both equal.
pub fn hash_to_point(federation_id: &str, kind_domain: &str, value: &[u8]) -> RistrettoPoint {
    let mut hasher = blake3::Hasher::new();
    // Length prefixes keep the fields unambiguous: ("ab","c") never hashes as ("a","bc").
    for part in [HASH_DOMAIN, federation_id.as_bytes(), kind_domain.as_bytes(), value] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let mut wide = [0u8; 64];
    hasher.finalize_xof().fill(&mut wide);
    RistrettoPoint::from_uniform_bytes(&wide)
}

/// A node's secret blinding scalar. Never leaves the node's data directory.
#[derive(Clone)]
pub struct NodeSecret {
    scalar: Scalar,
    /// `scalar / 2`: batch compression computes `enc(2·Q)`, so `Q = (a/2)·P` gives `enc(a·P)`
    /// with one field inversion for the whole batch.
    half: Scalar,
}

impl std::fmt::Debug for NodeSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NodeSecret(..)")
    }
}

impl NodeSecret {
    /// A fresh uniformly random non-zero scalar from the operating system's randomness.
    pub fn generate() -> Result<NodeSecret, TokenError> {
        loop {
            let mut wide = [0u8; 64];
            getrandom::fill(&mut wide).map_err(|_| TokenError::NoRandomness)?;
            let scalar = Scalar::from_bytes_mod_order_wide(&wide);
            if scalar != Scalar::ZERO {
                return Ok(NodeSecret::of(scalar));
            }
        }
    }

    fn of(scalar: Scalar) -> NodeSecret {
        NodeSecret { scalar, half: scalar * Scalar::from(2u64).invert() }
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        self.scalar.to_bytes()
    }

    /// Reads a stored secret; refuses non-canonical or zero scalars.
    pub fn from_bytes(bytes: [u8; 32]) -> Option<NodeSecret> {
        let scalar: Option<Scalar> = Scalar::from_canonical_bytes(bytes).into();
        scalar.filter(|s| *s != Scalar::ZERO).map(NodeSecret::of)
    }

    /// `T = a·P`, compressed for the wire.
    pub fn blind(&self, point: &RistrettoPoint) -> [u8; 32] {
        (self.scalar * point).compress().to_bytes()
    }

    /// `D = b·T` for a token received from a peer. Refuses anything that is not a canonical
    /// encoding of a group element.
    pub fn reblind(&self, token: &[u8]) -> Result<[u8; 32], TokenError> {
        let point = decode_point(token)?;
        Ok((self.scalar * point).compress().to_bytes())
    }
}

impl NodeSecret {
    /// `a·P` for many points, compressed together (one field inversion per batch instead of
    /// one per point). Equal to [`NodeSecret::blind`] point by point.
    pub fn blind_batch(&self, points: &[RistrettoPoint]) -> Vec<[u8; 32]> {
        if points.iter().any(|p| p.is_identity()) {
            return points.iter().map(|p| self.blind(p)).collect();
        }
        let halves: Vec<RistrettoPoint> = points.iter().map(|p| self.half * p).collect();
        RistrettoPoint::double_and_compress_batch(&halves).into_iter().map(|c| c.to_bytes()).collect()
    }

    /// `b·T` for many tokens, compressed together. Refuses the whole batch at the first token
    /// that is not a canonical encoding (its index is returned).
    pub fn reblind_batch(&self, tokens: &[&[u8]]) -> Result<Vec<[u8; 32]>, (usize, TokenError)> {
        let mut halves = Vec::with_capacity(tokens.len());
        for (i, token) in tokens.iter().enumerate() {
            halves.push(self.half * decode_point(token).map_err(|e| (i, e))?);
        }
        Ok(RistrettoPoint::double_and_compress_batch(&halves).into_iter().map(|c| c.to_bytes()).collect())
    }

    /// The factor `new / old` that turns `old·X` into `new·X` (key rotation: a node rewrites
    /// the tokens it holds without the peer's help, and without telling the peer anything).
    pub fn rotation_factor(old: &NodeSecret, new: &NodeSecret) -> NodeSecret {
        NodeSecret::of(new.scalar * old.scalar.invert())
    }

    /// One plain variable-base multiplication, uncompressed (the benchmark's floor).
    pub fn mul_point(&self, point: &RistrettoPoint) -> RistrettoPoint {
        self.scalar * point
    }
}

/// Decodes a 32-byte token, refusing wrong lengths and invalid encodings.
pub fn decode_point(token: &[u8]) -> Result<RistrettoPoint, TokenError> {
    let bytes: [u8; 32] = token.try_into().map_err(|_| TokenError::WrongLength(token.len()))?;
    // The identity is refused too: it is no hashed key's blinding (a hash lands there with
    // negligible probability), it would match every other identity token, and batch
    // compression cannot invert it.
    CompressedRistretto(bytes).decompress().filter(|p| !p.is_identity()).ok_or(TokenError::InvalidPoint)
}

/// Whether a token is a canonical encoding of a group element (checked before anything is
/// stored, so that one bad token refuses its whole batch).
pub fn is_valid_token(token: &[u8]) -> bool {
    decode_point(token).is_ok()
}

/// The key a node uses to derive its per-peer references, from its secret material.
pub fn ref_key(secret_material: &[u8]) -> [u8; 32] {
    blake3::derive_key(REF_DOMAIN, secret_material)
}

/// `ref = BLAKE3-keyed(ref_key, peer ‖ record)`: stable for one peer, unlinkable across peers
/// without the key.
pub fn peer_ref(ref_key: &[u8; 32], peer_country: &str, record_id: &str) -> PeerRef {
    let mut hasher = blake3::Hasher::new_keyed(ref_key);
    hasher.update(&(peer_country.len() as u64).to_le_bytes());
    hasher.update(peer_country.as_bytes());
    hasher.update(record_id.as_bytes());
    let mut out = [0u8; REF_LEN];
    out.copy_from_slice(&hasher.finalize().as_bytes()[..REF_LEN]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_blinding_commutes() {
        let a = NodeSecret::generate().unwrap();
        let b = NodeSecret::generate().unwrap();
        let p = hash_to_point("test", "full_name_dob", b"aziza|karimova|1990-03-07");
        let q = hash_to_point("test", "full_name_dob", b"aziza|karimova|1990-03-08");
        let d_from_a = b.reblind(&a.blind(&p)).unwrap();
        let d_from_b = a.reblind(&b.blind(&p)).unwrap();
        assert_eq!(d_from_a, d_from_b);
        assert_ne!(d_from_a, a.reblind(&b.blind(&q)).unwrap());
        // Same value under another kind never matches.
        let r = hash_to_point("test", "family_name_dob", b"aziza|karimova|1990-03-07");
        assert_ne!(d_from_a, a.reblind(&b.blind(&r)).unwrap());
    }

    #[test]
    fn invalid_points_are_refused() {
        let a = NodeSecret::generate().unwrap();
        assert_eq!(a.reblind(&[0xffu8; 32]), Err(TokenError::InvalidPoint));
        assert_eq!(a.reblind(&[1u8; 31]), Err(TokenError::WrongLength(31)));
        assert_eq!(a.reblind(&[0u8; 32]), Err(TokenError::InvalidPoint), "the identity");
    }

    #[test]
    fn refs_differ_per_peer_and_are_stable() {
        let key = ref_key(b"secret");
        assert_eq!(peer_ref(&key, "UZ", "r1"), peer_ref(&key, "UZ", "r1"));
        assert_ne!(peer_ref(&key, "UZ", "r1"), peer_ref(&key, "KG", "r1"));
    }

    #[test]
    fn batches_equal_single_operations() {
        let a = NodeSecret::generate().unwrap();
        let points: Vec<RistrettoPoint> = (0..37u32).map(|i| hash_to_point("t", "k", &i.to_le_bytes())).collect();
        let batch = a.blind_batch(&points);
        let single: Vec<[u8; 32]> = points.iter().map(|p| a.blind(p)).collect();
        assert_eq!(batch, single);
        let b = NodeSecret::generate().unwrap();
        let refs: Vec<&[u8]> = batch.iter().map(|t| t.as_slice()).collect();
        let re = b.reblind_batch(&refs).unwrap();
        let re_single: Vec<[u8; 32]> = batch.iter().map(|t| b.reblind(t).unwrap()).collect();
        assert_eq!(re, re_single);
        let bad = [0xffu8; 32];
        let mut refs = refs.clone();
        refs[5] = &bad;
        assert_eq!(b.reblind_batch(&refs), Err((5, TokenError::InvalidPoint)));
        assert!(a.blind_batch(&[]).is_empty());
    }

    /// Known answers: the bytes a federation agrees on. Every node must make these exact
    /// tokens whatever its processor (curve25519-dalek picks its AVX-512 IFMA, AVX2 or portable
    /// code at run time; these were computed with each, and agree) and whatever its version,
    /// unless the change is meant and announced (a new `KEYS_VERSION` does not move them: it
    /// changes what is hashed, not how).
    #[test]
    fn tokens_are_the_same_bytes_on_every_machine() {
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        let a = NodeSecret::from_bytes([7u8; 32]).unwrap();
        let b = NodeSecret::from_bytes([9u8; 32]).unwrap();
        let values: [&[u8]; 3] = [b"aziza|karimova|1990-03-07", b"iusuf|1988", b"AA1234567|UZ"];
        let points: Vec<RistrettoPoint> =
            values.iter().map(|v| hash_to_point("homeward-test", "full_name_dob", v)).collect();
        let blinded = a.blind_batch(&points);
        let refs: Vec<&[u8]> = blinded.iter().map(|t| t.as_slice()).collect();
        let answered = b.reblind_batch(&refs).unwrap();
        let seen: Vec<[String; 3]> =
            (0..3).map(|i| [hex(points[i].compress().as_bytes()), hex(&blinded[i]), hex(&answered[i])]).collect();
        let expected = [
            [
                "a89af8e1b9b9c8c1c2951c2d10948350ddc0ddc9b8d37cd05bd8d761ad536b47",
                "06730a9128ae294cc743099484af037e6050269aa3b10b529d06c45fe148eb42",
                "c4da132ab43a7041ed4bcd749effa5be93d84a6955ef901f455643712465b35a",
            ],
            [
                "62b00d7c8578ace740d1c8a2e6b78fc7cd30869fc12b5ff12c47f5ba90a6e37d",
                "40a8fa478b010938756e34c86e51bceabf0275b3c7eadfde7ffedf3b54446a3d",
                "8a6219ee49a26b25652c9f1ed52b36fcad7703f7e9f369f5c26870f8e5c70e35",
            ],
            [
                "b8433da438c83c32d14df91ffc3ed92f71f876d68505bb55a5eb270e7f329113",
                "80ae7223791069edb89cdc2a72635cbe44d228d0bdc7e2f8c4e5b53fd505c57b",
                "f614e4821881bd6e75b6c2550f1efba5a4e476fc36e503ebb35662387f457676",
            ],
        ];
        assert_eq!(seen, expected.map(|row| row.map(String::from)));
        // One at a time, the same bytes as in a batch.
        assert_eq!(a.blind(&points[1]), blinded[1]);
        assert_eq!(b.reblind(&blinded[2]).unwrap(), answered[2]);
    }

    #[test]
    fn rotation_factor_moves_tokens_to_the_new_key() {
        let (a, a2, b) =
            (NodeSecret::generate().unwrap(), NodeSecret::generate().unwrap(), NodeSecret::generate().unwrap());
        let p = hash_to_point("t", "k", b"v");
        let d_old = a.reblind(&b.blind(&p)).unwrap();
        let r = NodeSecret::rotation_factor(&a, &a2);
        assert_eq!(r.reblind(&d_old).unwrap(), a2.reblind(&b.blind(&p)).unwrap());
    }

    #[test]
    fn secrets_round_trip() {
        let a = NodeSecret::generate().unwrap();
        let b = NodeSecret::from_bytes(a.to_bytes()).unwrap();
        let p = hash_to_point("t", "k", b"v");
        assert_eq!(a.blind(&p), b.blind(&p));
        assert!(NodeSecret::from_bytes([0u8; 32]).is_none());
    }
}
