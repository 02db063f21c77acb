//! Review periods: a year, a half, a quarter or a month, named the way `--period` accepts them.

use std::fmt;
use std::str::FromStr;

use time::{Date, Month};

/// How long a period is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    Year,
    Half,
    Quarter,
    Month,
}

impl Span {
    /// Months in one period of this span.
    fn months(self) -> u8 {
        match self {
            Span::Year => 12,
            Span::Half => 6,
            Span::Quarter => 3,
            Span::Month => 1,
        }
    }

    /// Periods of this span in a year: the largest valid `Period::number`.
    fn per_year(self) -> u8 {
        12 / self.months()
    }
}

impl FromStr for Span {
    type Err = String;

    fn from_str(text: &str) -> Result<Span, String> {
        let text = text.trim();
        span_word(&text.to_ascii_lowercase()).ok_or_else(|| {
            format!("`{text}` is not a period span: write year, half, quarter or month")
        })
    }
}

/// The exact lower-case word for a span; `this-year` uses it too, so `this- year` is refused.
fn span_word(word: &str) -> Option<Span> {
    match word {
        "year" => Some(Span::Year),
        "half" => Some(Span::Half),
        "quarter" => Some(Span::Quarter),
        "month" => Some(Span::Month),
        _ => None,
    }
}

/// A calendar period: a year, a half (H1, H2), a quarter (Q1..Q4) or a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub span: Span,
    /// 1 for a year; 1-2 for a half; 1-4 for a quarter; 1-12 for a month
    pub number: u8,
}

impl Period {
    // The constructors clamp `n` into range rather than panic: callers pass numbers they
    // computed, and `parse_period` is where text from people gets rejected with a message.
    fn new(year: i32, span: Span, n: u8) -> Period {
        let number = n.clamp(1, span.per_year());
        Period { year, span, number }
    }

    pub fn year(year: i32) -> Period {
        Period::new(year, Span::Year, 1)
    }

    pub fn half(year: i32, n: u8) -> Period {
        Period::new(year, Span::Half, n)
    }

    pub fn quarter(year: i32, n: u8) -> Period {
        Period::new(year, Span::Quarter, n)
    }

    pub fn month(year: i32, n: u8) -> Period {
        Period::new(year, Span::Month, n)
    }

    /// The period of `span` that holds `day`.
    pub fn containing(span: Span, day: Date) -> Period {
        // `Month as u8` is 1..=12, so this stays in 1..=per_year for every span.
        let number = (day.month() as u8 - 1) / span.months() + 1;
        Period::new(day.year(), span, number)
    }

    /// The period of the same span just before (None before the start of the calendar).
    pub fn previous(self) -> Option<Period> {
        if !self.is_valid() {
            return None;
        }
        let prev = if self.number > 1 {
            Period::new(self.year, self.span, self.number - 1)
        } else {
            Period::new(self.year.checked_sub(1)?, self.span, self.span.per_year())
        };
        // `Date::MIN` is the first of January, so a whole year before it is outside the calendar.
        (prev.year >= Date::MIN.year()).then_some(prev)
    }

    /// First and last day, both included; None when a day falls outside `time::Date`'s range.
    pub fn first_day(self) -> Option<Date> {
        Date::from_calendar_date(self.year, self.first_month()?, 1).ok()
    }

    pub fn last_day(self) -> Option<Date> {
        let month = self.first_month()?.nth_next(self.span.months() - 1);
        Date::from_calendar_date(self.year, month, month.length(self.year)).ok()
    }

    pub fn contains(self, day: Date) -> bool {
        Period::containing(self.span, day) == self
    }

    /// `2026`, `2026-H1`, `2026-Q3`, `2026-09`: what `--period` accepts back (Display too).
    pub fn name(self) -> String {
        let year = self.year;
        match self.span {
            Span::Year => format!("{year:04}"),
            Span::Half => format!("{year:04}-H{}", self.number),
            Span::Quarter => format!("{year:04}-Q{}", self.number),
            Span::Month => format!("{year:04}-{:02}", self.number),
        }
    }

    /// For people: `2026`, `first half of 2026`, `Q3 2026` , `September 2026`.
    pub fn label(self) -> String {
        let year = self.year;
        match (self.span, self.first_month()) {
            (Span::Half, Some(Month::January)) => format!("first half of {year}"),
            (Span::Half, Some(_)) => format!("second half of {year}"),
            (Span::Quarter, Some(_)) => format!("Q{} {year}", self.number),
            (Span::Month, Some(month)) => format!("{month} {year}"),
            // A year reads as its number; a hand-built period with a bad number, as its name.
            (Span::Year, _) | (_, None) => self.name(),
        }
    }

    /// The site path under review/: `2026/`, `2026/h1/`, `2026/q3/`, `2026/09/` (lower case, ends in /).
    pub fn path(self) -> String {
        let year = self.year;
        match self.span {
            Span::Year => format!("{year:04}/"),
            Span::Half => format!("{year:04}/h{}/", self.number),
            Span::Quarter => format!("{year:04}/q{}/", self.number),
            Span::Month => format!("{year:04}/{:02}/", self.number),
        }
    }

    /// The halves then the quarters of a year (for the site's /review/ index): [H1, H2, Q1..Q4].
    pub fn parts_of_year(year: i32) -> Vec<Period> {
        let halves = (1..=2).map(|n| Period::half(year, n));
        halves
            .chain((1..=4).map(|n| Period::quarter(year, n)))
            .collect()
    }

    // The fields are public, so a period may have been built by hand with a bad number.
    fn is_valid(self) -> bool {
        (1..=self.span.per_year()).contains(&self.number)
    }

    fn first_month(self) -> Option<Month> {
        if !self.is_valid() {
            return None;
        }
        Month::try_from((self.number - 1) * self.span.months() + 1).ok()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

const ACCEPTED: &str = "write 2026, 2026-H1, 2026-Q3, 2026-09, this-quarter, last-quarter, \
                        this-half, last-half, this-year, last-year, this-month or last-month";

/// Parses what `playbook review --period` accepts, relative to `today`:
/// `2026`, `2026-H1`/`2026-h2`, `2026-Q3`/`2026-q1`, `2026-09` (a month), and the relative
/// forms `this-year`, `last-year`, `this-half`, `last-half`, `this-quarter`, `last-quarter`,
/// `this-month`, `last-month`. Surrounding whitespace ignored; case-insensitive.
pub fn parse_period(text: &str, today: Date) -> Result<Period, String> {
    let shown = text.trim();
    let lower = shown.to_ascii_lowercase();
    let relative = (lower.strip_prefix("this-").map(|w| (false, w)))
        .or_else(|| lower.strip_prefix("last-").map(|w| (true, w)));
    if let Some((last, word)) = relative
        && let Some(span) = span_word(word)
    {
        let current = Period::containing(span, today);
        return match last {
            false => Ok(current),
            true => (current.previous())
                .ok_or_else(|| format!("`{shown}` is before the start of the calendar")),
        };
    }
    absolute(&lower).ok_or_else(|| format!("`{shown}` is not a period: {ACCEPTED}"))
}

/// `2026`, `2026-h1`, `2026-q3`, `2026-09`, already lower case. The year is exactly four
/// digits, so `26` is not taken for the year 26 and every year parsed fits `time::Date`.
fn absolute(text: &str) -> Option<Period> {
    let (year, rest) = text.split_at_checked(4)?;
    let year = i32::try_from(digits(year, 4)?).ok()?;
    let (span, number) = match rest.strip_prefix('-') {
        None if rest.is_empty() => (Span::Year, 1),
        None => return None,
        Some(r) => match (r.strip_prefix('h'), r.strip_prefix('q')) {
            (Some(n), _) => (Span::Half, digits(n, 1)?),
            (_, Some(n)) => (Span::Quarter, digits(n, 1)?),
            _ => (Span::Month, digits(r, 2)?),
        },
    };
    let number = u8::try_from(number).ok()?;
    (1..=span.per_year())
        .contains(&number)
        .then_some(Period { year, span, number })
}

/// The value of exactly `len` ASCII digits (`str::parse` alone would also take `+3`).
fn digits(text: &str, len: usize) -> Option<u32> {
    let ok = text.len() == len && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 05 - 20);

    fn days(text: &str, today: Date) -> (Date, Date) {
        let p = parse_period(text, today).unwrap();
        (p.first_day().unwrap(), p.last_day().unwrap())
    }

    #[test]
    fn absolute_forms_have_the_right_days() {
        let cases = [
            ("2026", date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
            ("2026-H1", date!(2026 - 01 - 01), date!(2026 - 06 - 30)),
            ("2026-h2", date!(2026 - 07 - 01), date!(2026 - 12 - 31)),
            ("2026-Q3", date!(2026 - 07 - 01), date!(2026 - 09 - 30)),
            ("2026-q1", date!(2026 - 01 - 01), date!(2026 - 03 - 31)),
            ("  2026-Q4 ", date!(2026 - 10 - 01), date!(2026 - 12 - 31)),
            ("2026-09", date!(2026 - 09 - 01), date!(2026 - 09 - 30)),
            ("2024-02", date!(2024 - 02 - 01), date!(2024 - 02 - 29)),
            ("2025-02", date!(2025 - 02 - 01), date!(2025 - 02 - 28)),
        ];
        for (text, first, last) in cases {
            assert_eq!(days(text, TODAY), (first, last), "{text}");
        }
    }

    #[test]
    fn relative_forms_follow_today_across_year_ends() {
        let cases = [
            ("this-year", TODAY, "2026"),
            ("Last-Year", TODAY, "2025"),
            ("this-half", TODAY, "2026-H1"),
            ("this-quarter", TODAY, "2026-Q2"),
            ("this-month", TODAY, "2026-05"),
            ("last-quarter", date!(2026 - 01 - 15), "2025-Q4"),
            ("last-half", date!(2026 - 03 - 01), "2025-H2"),
            ("last-month", date!(2026 - 01 - 03), "2025-12"),
            ("last-quarter", date!(2026 - 07 - 01), "2026-Q2"),
        ];
        for (text, today, want) in cases {
            assert_eq!(parse_period(text, today).unwrap().name(), want, "{text}");
        }
    }

    #[test]
    fn bad_inputs_are_errors_that_list_the_forms() {
        // `|` separates the inputs; the first is the empty string.
        let bad = "|2026-Q5|2026-H3|2026-13|2026-00|Q3|2026-Q3x|99999999|2026-|2026-Q|2026-9|-2026\
                   |2026-Q+3|2026-Q03|2026-+9|next-year|this-week|202６|this-|this- year|9999-h1x";
        for text in bad.split('|') {
            let err = parse_period(text, TODAY).unwrap_err();
            assert!(err.contains("last-month"), "{text}: {err}");
        }
        let err = parse_period("last-year", Date::MIN).unwrap_err();
        assert!(err.contains("before the start of the calendar"), "{err}");
    }

    #[test]
    fn calendar_ends_do_not_panic() {
        for span in [Span::Year, Span::Half, Span::Quarter, Span::Month] {
            for day in [Date::MIN, Date::MAX] {
                let p = Period::containing(span, day);
                assert!(p.contains(day));
                assert!(p.first_day().is_some() && p.last_day().is_some());
                let _ = p
                    .previous()
                    .map(|q| (q.first_day(), q.last_day(), q.label()));
            }
            assert_eq!(Period::containing(span, Date::MIN).previous(), None);
            assert_eq!(Period::new(i32::MIN, span, 1).previous(), None);
            assert_eq!(Period::new(i32::MAX, span, 12).last_day(), None);
        }
        let bad = Period {
            number: 0,
            ..Period::quarter(2026, 1)
        };
        assert_eq!(
            (bad.first_day(), bad.previous(), bad.contains(TODAY)),
            (None, None, false)
        );
        assert_eq!(Period::quarter(2026, 9), Period::quarter(2026, 4));
    }

    #[test]
    fn names_round_trip_and_paths_and_labels() {
        let mut all = vec![Period::year(2026)];
        all.extend(Period::parts_of_year(2026));
        all.extend((1..=12).map(|m| Period::month(2026, m)));
        for p in all {
            assert_eq!(parse_period(&p.name(), TODAY), Ok(p));
            assert_eq!(p.to_string(), p.name());
            assert_eq!(
                p.previous().and_then(|q| q.last_day()?.next_day()),
                p.first_day()
            );
        }
        let parts = Period::parts_of_year(2026);
        let names: Vec<String> = parts.iter().map(|p| p.name()).collect();
        assert_eq!(
            names.join(" "),
            "2026-H1 2026-H2 2026-Q1 2026-Q2 2026-Q3 2026-Q4"
        );
        let paths: Vec<String> = parts.iter().map(|p| p.path()).collect();
        assert_eq!(
            paths.join(" "),
            "2026/h1/ 2026/h2/ 2026/q1/ 2026/q2/ 2026/q3/ 2026/q4/"
        );
        assert_eq!(Period::year(2026).path(), "2026/");
        assert_eq!(Period::month(2026, 9).path(), "2026/09/");
        assert_eq!(Period::year(2026).label(), "2026");
        assert_eq!(Period::half(2026, 1).label(), "first half of 2026");
        assert_eq!(Period::quarter(2026, 3).label(), "Q3 2026");
        assert_eq!(Period::half(2026, 2).label(), "second half of 2026");
        assert_eq!(Period::month(2026, 9).label(), "September 2026");
    }

    #[test]
    fn spans_parse_from_config() {
        assert_eq!(" Quarter ".parse::<Span>(), Ok(Span::Quarter));
        assert_eq!("month".parse::<Span>(), Ok(Span::Month));
        let err = "weekly".parse::<Span>().unwrap_err();
        assert!(err.contains("year, half, quarter or month"), "{err}");
        assert_eq!(serde_json::to_string(&Span::Half).unwrap(), "\"half\"");
    }
}
