//! Entry dates: `YYYY-MM-DD` or RFC 3339, ordered, and spelled the way a person reads them.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// A calendar day, with the time of day when the front matter gave one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryDate {
    pub day: Date,
    pub at: Option<OffsetDateTime>,
}

impl EntryDate {
    pub fn parse(text: &str) -> Result<EntryDate, String> {
        let text = text.trim();
        if let Ok(day) = Date::parse(text, format_description!("[year]-[month]-[day]")) {
            return Ok(EntryDate { day, at: None });
        }
        if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
            return Ok(EntryDate {
                day: at.date(),
                at: Some(at),
            });
        }
        Err(format!(
            "`{text}` is not a valid date: write YYYY-MM-DD (e.g. 2026-03-14) or RFC 3339 \
             (e.g. 2026-03-14T09:30:00Z)"
        ))
    }

    /// `2026-03-14`, for `<time datetime>` and sorting in templates.
    pub fn iso(&self) -> String {
        let (y, m, d) = (self.day.year(), self.day.month() as u8, self.day.day());
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `14 March 2026`.
    pub fn long(&self) -> String {
        format!(
            "{} {} {}",
            self.day.day(),
            self.day.month(),
            self.day.year()
        )
    }

    pub fn year(&self) -> i32 {
        self.day.year()
    }

    pub fn month(&self) -> u8 {
        self.day.month() as u8
    }
}

/// Today's date (UTC), or the day of `SOURCE_DATE_EPOCH` when it is set, for reproducible runs.
pub fn today() -> Date {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| OffsetDateTime::from_unix_timestamp(secs).ok());
    epoch.unwrap_or_else(OffsetDateTime::now_utc).date()
}

/// `2026-03-14`.
pub fn iso_day(day: Date) -> String {
    EntryDate { day, at: None }.iso()
}

impl Ord for EntryDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.day
            .cmp(&other.day)
            .then_with(|| match (self.at, other.at) {
                (Some(a), Some(b)) => a.cmp(&b),
                (a, b) => a.is_some().cmp(&b.is_some()),
            })
    }
}

impl PartialOrd for EntryDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for EntryDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.long())
    }
}

impl<'de> Deserialize<'de> for EntryDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a date (YYYY-MM-DD or RFC 3339)")]
        enum Raw {
            Text(String),
        }
        let Raw::Text(text) = Raw::deserialize(deserializer)?;
        EntryDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_dates_and_rfc3339() {
        assert_eq!(EntryDate::parse("2026-03-14").unwrap().iso(), "2026-03-14");
        let timed = EntryDate::parse("2026-03-14T09:30:00+01:00").unwrap();
        assert_eq!(timed.iso(), "2026-03-14");
        assert!(timed.at.is_some());
        assert_eq!(timed.long(), "14 March 2026");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(EntryDate::parse("2026-02-30").is_err());
        assert!(EntryDate::parse("14/03/2026").is_err());
    }

    #[test]
    fn timed_entries_sort_after_untimed_on_the_same_day() {
        let day = EntryDate::parse("2026-03-14").unwrap();
        let timed = EntryDate::parse("2026-03-14T09:30:00Z").unwrap();
        assert!(timed > day);
    }
}
