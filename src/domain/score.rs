//! Points as exact decimals. Vietnamese writes the decimal comma ("6,5"); files written by
//! spreadsheets may use the dot. Both are accepted, nothing else is.

use super::text::Excerpt;
use rust_decimal::Decimal;
use std::fmt;
use std::str::FromStr;

/// Why a text is not a score.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreParseError {
    Empty,
    NotANumber(Excerpt),
    TooLong(Excerpt),
}

/// Parses "0,5", "0.5", " 6,5 ", "-1", "10". Rejects exponents, NaN, thousands separators,
/// fractions and anything but one optional sign, digits and at most one decimal separator.
pub fn parse_score(text: &str) -> Result<Decimal, ScoreParseError> {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        return Err(ScoreParseError::Empty);
    }
    let quoted = || super::text::excerpt(trimmed, super::text::EXCERPT_CHARS);
    let not_a_number = || ScoreParseError::NotANumber(quoted());
    let (sign, unsigned) = match trimmed.as_bytes()[0] {
        b'-' => ("-", &trimmed[1..]),
        b'+' => ("", &trimmed[1..]),
        _ => ("", trimmed),
    };
    let mut separators = 0;
    let mut digits = 0;
    for c in unsigned.chars() {
        match c {
            '0'..='9' => digits += 1,
            ',' | '.' => separators += 1,
            _ => return Err(not_a_number()),
        }
    }
    if digits == 0
        || separators > 1
        || unsigned.starts_with([',', '.'])
        || unsigned.ends_with([',', '.'])
    {
        return Err(not_a_number());
    }
    if digits > 20 {
        return Err(ScoreParseError::TooLong(quoted()));
    }
    // Most cells are plain ("0.75"): parsed as they are, without a copy.
    let parsed = if sign.is_empty() && !unsigned.contains(',') {
        Decimal::from_str(unsigned)
    } else {
        Decimal::from_str(&format!("{sign}{}", unsigned.replace(',', ".")))
    };
    parsed.map(|d| d.normalize()).map_err(|_| not_a_number())
}

/// Formats points the Vietnamese way: "6,5", "10", "-0,25".
pub fn format_vi(points: Decimal) -> String {
    format_dot(points).replace('.', ",")
}

/// Formats points with a dot, for files: "6.5", "10", "-0.25".
pub fn format_dot(points: Decimal) -> String {
    let normal = points.normalize();
    // normalize() keeps a negative zero's sign; points never need it.
    if normal.is_zero() {
        "0".to_string()
    } else {
        normal.to_string()
    }
}

/// How points are written for a reader: with the decimal comma (Vietnamese, "7,5") or the
/// dot (English, "7.5"). Files always use the dot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    Comma,
    Dot,
}

impl Numbers {
    /// How a language writes numbers.
    pub fn of(lang: crate::lang::Lang) -> Numbers {
        match lang {
            crate::lang::Lang::Vi => Numbers::Comma,
            crate::lang::Lang::En => Numbers::Dot,
        }
    }
    pub fn points(self, points: Decimal) -> String {
        match self {
            Numbers::Comma => format_vi(points),
            Numbers::Dot => format_dot(points),
        }
    }
    /// A percentage with two decimals.
    pub fn pct(self, pct: Decimal) -> String {
        match self {
            Numbers::Comma => format_pct_vi(pct),
            Numbers::Dot => format_pct_dot(pct),
        }
    }
}

/// A decimal that displays in the Vietnamese way; handy in format strings.
pub struct Vi(pub Decimal);

impl fmt::Display for Vi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format_vi(self.0))
    }
}

/// Rounds half away from zero ("half-up" as the index is published) to `places` decimals.
pub fn round_half_up(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// A percentage with exactly two decimals, e.g. "92.18" (dot) for files.
pub fn format_pct_dot(pct: Decimal) -> String {
    let mut rounded = round_half_up(pct, 2);
    rounded.rescale(2);
    rounded.to_string()
}

/// Same with the decimal comma, for the screen.
pub fn format_pct_vi(pct: Decimal) -> String {
    format_pct_dot(pct).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn accepts_comma_dot_and_spaces() {
        assert_eq!(parse_score("0,5").unwrap(), dec("0.5"));
        assert_eq!(parse_score("0.5").unwrap(), dec("0.5"));
        assert_eq!(parse_score("  6,5 ").unwrap(), dec("6.5"));
        assert_eq!(parse_score("10").unwrap(), dec("10"));
        assert_eq!(parse_score("-0,25").unwrap(), dec("-0.25"));
        assert_eq!(parse_score("+1").unwrap(), dec("1"));
        assert_eq!(parse_score("\u{a0}2\t").unwrap(), dec("2"));
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "", " ", "1.2.3", "1e3", "NaN", "nan", "inf", "½", "1,000.5", "1 000", ".5", "5.", "-",
            "--1", "0x10", "1/2", "١", "12a", "+-1",
        ] {
            assert!(parse_score(bad).is_err(), "{bad:?} should be rejected");
        }
        assert_eq!(parse_score("").unwrap_err(), ScoreParseError::Empty);
        assert!(parse_score("123456789012345678901234").is_err());
    }

    #[test]
    fn formats_both_ways() {
        assert_eq!(format_vi(dec("6.50")), "6,5");
        assert_eq!(format_dot(dec("6.50")), "6.5");
        assert_eq!(format_dot(dec("-0.0")), "0");
        assert_eq!(format_pct_dot(dec("92.175")), "92.18");
        assert_eq!(format_pct_dot(dec("80")), "80.00");
        assert_eq!(format_pct_vi(dec("64.745")), "64,75");
        assert_eq!(round_half_up(dec("-1.005"), 2), dec("-1.01"));
    }
}
