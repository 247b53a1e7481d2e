//! Times: stored as UTC RFC 3339 text (`2025-03-24T07:29:07.123Z`), shown in local time.
//!
//! Stored times are never rewritten (the decision log's hash chain covers their text), and
//! sessions made before times were stored in UTC hold local times with an offset
//! (`2025-03-24T14:29:07.123+07:00`): every function here reads either form. The functions
//! ending in `_in` take the zone to show; the others use the machine's zone (`TZ` when set).

use chrono::{DateTime, FixedOffset, Local, SecondsFormat, TimeZone, Utc};

/// A time as stored: UTC with milliseconds and `Z`.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Now, as stored.
pub fn now_stamp() -> String {
    stamp(Utc::now())
}

/// A stored time read back, whatever offset it was stored with.
pub fn parse_stored(stored: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(stored.trim()).ok()
}

/// The instant a stored time names, for ordering (times stored with different offsets compare
/// by the moment they name, not by their text). An unreadable text sorts first.
pub fn instant(stored: &str) -> Option<DateTime<Utc>> {
    parse_stored(stored).map(|t| t.with_timezone(&Utc))
}

/// Orders two stored times by the moment they name.
pub fn order(a: &str, b: &str) -> std::cmp::Ordering {
    instant(a).cmp(&instant(b)).then_with(|| a.cmp(b))
}

/// Formats a stored time in `zone` with `pattern`; a text that is not a time is shown as it is,
/// and "" stays "".
fn format_in<Tz: TimeZone>(stored: &str, zone: &Tz, pattern: &str) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match parse_stored(stored) {
        Some(time) => time.with_timezone(zone).format(pattern).to_string(),
        None => stored.to_string(),
    }
}

/// For files: ISO 8601 local time with its offset, `2025-03-24T14:29:07+07:00`.
pub fn iso_in<Tz: TimeZone>(stored: &str, zone: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format_in(stored, zone, "%Y-%m-%dT%H:%M:%S%:z")
}

/// For lists where the day matters: `2025-03-24 14:29`.
pub fn date_time_in<Tz: TimeZone>(stored: &str, zone: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format_in(stored, zone, "%Y-%m-%d %H:%M")
}

/// The zone times are shown in: the machine's (`TZ` when set), or a fixed offset (tests,
/// golden files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    #[default]
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    /// [`iso_in`] in this zone.
    pub fn iso(self, stored: &str) -> String {
        match self {
            Zone::Local => iso_in(stored, &Local),
            Zone::Fixed(offset) => iso_in(stored, &offset),
        }
    }
    /// The wall-clock time a stored time names in this zone (a spreadsheet's date cell);
    /// None for a text that is not a time.
    pub fn local_naive(self, stored: &str) -> Option<chrono::NaiveDateTime> {
        let time = parse_stored(stored)?;
        Some(match self {
            Zone::Local => time.with_timezone(&Local).naive_local(),
            Zone::Fixed(offset) => time.with_timezone(&offset).naive_local(),
        })
    }
    /// [`date_time_in`] in this zone.
    pub fn date_time(self, stored: &str) -> String {
        match self {
            Zone::Local => date_time_in(stored, &Local),
            Zone::Fixed(offset) => date_time_in(stored, &offset),
        }
    }
}

/// [`iso_in`] in the machine's zone.
pub fn local_iso(stored: &str) -> String {
    iso_in(stored, &Local)
}

/// [`date_time_in`] in the machine's zone.
pub fn local_date_time(stored: &str) -> String {
    date_time_in(stored, &Local)
}

/// A duration on a clock: minutes and seconds (`07:05`), hours past the hour (`3:08:12`).
pub fn format_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes:02}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hanoi() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    #[test]
    fn new_times_are_stored_in_utc() {
        let at = Utc.with_ymd_and_hms(2025, 3, 24, 7, 29, 7).unwrap();
        assert_eq!(stamp(at), "2025-03-24T07:29:07.000Z");
    }

    #[test]
    fn stored_times_are_shown_in_the_zone_asked_for() {
        for stored in ["2025-03-24T07:29:07.000Z", "2025-03-24T14:29:07.5+07:00"] {
            assert_eq!(iso_in(stored, &hanoi()), "2025-03-24T14:29:07+07:00");
            assert_eq!(date_time_in(stored, &hanoi()), "2025-03-24 14:29");
            assert_eq!(iso_in(stored, &Utc), "2025-03-24T07:29:07+00:00");
        }
        // Across midnight the day changes too.
        assert_eq!(
            date_time_in("2025-03-24T20:00:00Z", &hanoi()),
            "2025-03-25 03:00"
        );
        assert_eq!(iso_in("", &hanoi()), "");
        assert_eq!(iso_in("not a time", &hanoi()), "not a time");
    }

    #[test]
    fn times_stored_with_different_offsets_order_by_their_moment() {
        // 09:00 in Hanoi is 02:00 UTC, before 03:00 UTC although its text sorts after.
        let old_local = "2026-11-23T09:00:00+07:00";
        let new_utc = "2026-11-23T03:00:00.000Z";
        assert!(old_local > new_utc);
        assert_eq!(order(old_local, new_utc), std::cmp::Ordering::Less);
    }

    #[test]
    fn clocks_read_hours_past_an_hour() {
        assert_eq!(format_duration(0), "00:00");
        assert_eq!(format_duration(425), "07:05");
        assert_eq!(format_duration(3599), "59:59");
        assert_eq!(format_duration(3600), "1:00:00");
        assert_eq!(format_duration(3 * 3600 + 8 * 60 + 12), "3:08:12");
        assert_eq!(format_duration(-3), "00:00");
    }
}
