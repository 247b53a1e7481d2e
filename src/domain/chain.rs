//! The decision log is hash-chained: each entry carries the hash of the one before, so an entry
//! altered or deleted behind the tool's back breaks the chain at a nameable place.

use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one log entry that the hash covers, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFields<'a> {
    pub seq: i64,
    pub unit_code: &'a str,
    pub criterion_code: &'a str,
    pub action: &'a str,
    pub score: &'a str,
    /// The self-score the entry was made against.
    pub basis: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
    pub at: &'a str,
}

/// SHA-256 (hex) of the previous hash and the entry's fields, each length-prefixed so that no
/// two different entries share a byte string.
pub fn entry_hash(previous: &str, fields: &ChainFields<'_>) -> String {
    let mut hasher = Sha256::new();
    let seq = fields.seq.to_string();
    for part in [
        previous,
        seq.as_str(),
        fields.unit_code,
        fields.criterion_code,
        fields.action,
        fields.score,
        fields.basis,
        fields.reason,
        fields.by,
        fields.at,
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex(&hasher.finalize())
}

/// SHA-256 of bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_field_change_changes_the_hash() {
        let base = ChainFields {
            seq: 1,
            unit_code: "SNV",
            criterion_code: "1.1",
            action: "decide",
            score: "0.5",
            basis: "1",
            reason: "thiếu",
            by: "an",
            at: "2026-11-23T09:00:00+07:00",
        };
        let h = entry_hash(GENESIS, &base);
        assert_eq!(h.len(), 64);
        assert_eq!(h, entry_hash(GENESIS, &base.clone()));
        assert_ne!(
            h,
            entry_hash(
                GENESIS,
                &ChainFields {
                    score: "0.75",
                    ..base.clone()
                }
            )
        );
        assert_ne!(h, entry_hash(&h, &base));
        // Moving a boundary between fields must not collide.
        assert_ne!(
            entry_hash(
                GENESIS,
                &ChainFields {
                    reason: "ab",
                    by: "c",
                    ..base.clone()
                }
            ),
            entry_hash(
                GENESIS,
                &ChainFields {
                    reason: "a",
                    by: "bc",
                    ..base
                }
            )
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
