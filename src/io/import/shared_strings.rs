//! The shared-strings table of an xlsx says how many strings it holds (`<sst uniqueCount="N">`)
//! and calamine reserves room for N before reading one: a 5 KB file saying 99999999999999
//! ends the process (an allocation failure cannot be caught). The count is checked first
//! against what the entry can hold.

use std::io::Read;

/// The fewest bytes a string takes in the table: `<si><t/></si>`.
const SMALLEST_STRING: u64 = 13;
/// A start tag longer than this is not from a spreadsheet program.
const LONGEST_TAG: usize = 1 << 20;

/// Whether the `sst` start tag in `xml` (an entry of `unpacked` bytes) declares no more
/// strings than the entry can hold. Reads up to that tag, no further.
pub(super) fn count_fits(xml: impl Read, unpacked: u64) -> bool {
    match declared_count(xml) {
        Ok(Some(count)) => count <= unpacked / SMALLEST_STRING + 1,
        Ok(None) => true,
        Err(()) => false,
    }
}

/// The `uniqueCount` of the first `sst` element (any prefix), None if there is none;
/// Err for a start tag past [`LONGEST_TAG`] or a count that is not a number.
fn declared_count(xml: impl Read) -> Result<Option<u64>, ()> {
    let mut tag: Vec<u8> = Vec::new();
    let mut inside = false;
    for byte in std::io::BufReader::new(xml).bytes() {
        let byte = byte.map_err(drop)?;
        match (inside, byte) {
            (false, b'<') => {
                inside = true;
                tag.clear();
            }
            (true, b'>') => {
                inside = false;
                if is_sst(&tag) {
                    return unique_count(&tag);
                }
            }
            (true, _) if tag.len() >= LONGEST_TAG => return Err(()),
            (true, _) => tag.push(byte),
            (false, _) => {}
        }
    }
    Ok(None)
}

fn is_sst(tag: &[u8]) -> bool {
    let name = tag
        .split(|b| b.is_ascii_whitespace() || *b == b'/')
        .next()
        .unwrap_or_default();
    let local = name.rsplit(|b| *b == b':').next().unwrap_or_default();
    local == b"sst"
}

fn unique_count(tag: &[u8]) -> Result<Option<u64>, ()> {
    let key = b"uniqueCount=";
    let Some(at) = tag.windows(key.len()).position(|w| w == key) else {
        return Ok(None);
    };
    let rest = &tag[at + key.len()..];
    let quote = *rest.first().ok_or(())?;
    let value = rest.get(1..).ok_or(())?;
    let end = value.iter().position(|b| *b == quote).ok_or(())?;
    let digits = std::str::from_utf8(&value[..end]).map_err(drop)?;
    digits.trim().parse::<u64>().map(Some).map_err(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits(xml: &str) -> bool {
        count_fits(xml.as_bytes(), xml.len() as u64)
    }

    #[test]
    fn a_true_count_fits_and_a_huge_one_does_not() {
        let table = r#"<?xml version="1.0"?><sst xmlns="x" count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#;
        assert!(fits(table));
        assert!(!fits(&table.replace(
            r#"uniqueCount="2""#,
            r#"uniqueCount="99999999999999""#
        )));
        assert!(!fits(
            &table.replace(r#"uniqueCount="2""#, "uniqueCount='1e9'")
        ));
        // With a prefix, in single quotes, or with no count at all.
        assert!(!fits(r#"<x:sst uniqueCount='5000'></x:sst>"#));
        assert!(fits(
            r#"<x:sst uniqueCount='1'><x:si><x:t>a</x:t></x:si></x:sst>"#
        ));
        assert!(fits("<sst><si><t>a</t></si></sst>"));
        assert!(fits("not xml at all"));
    }

    #[test]
    fn a_start_tag_without_end_is_refused_past_its_limit() {
        let endless = format!("<sst {}", " ".repeat(LONGEST_TAG + 1));
        assert!(!fits(&endless));
    }
}
