//! Dates as people write them in notes: `2026-03-14`, `March 2026`, `Mar 14, 2026`, `Q1 2026`,
//! `Jan 5` under a dated heading, and the numeric ones playbook does not guess at
//! (`3/14/2026`), found in headings and at the start of items.

use time::{Date, Month};

/// A date at the start of an item (`2026-03-14: …`, `**Mar 14, 2026** – …`, `March 2026: …`,
/// or `Jan 5: …` in the year of the heading above), and the text after it and its separator;
/// a date that is none (`2026-02-30`, `Feb 29, 2025`, `3/14/2026`, `Jan 5` under no dated
/// heading) is an error. A year alone is no date here: `2000 new signups`.
pub(super) fn leading_date(
    text: &str,
    heading: Option<Date>,
) -> Option<Result<(Date, &str), String>> {
    let unwrapped = text.trim_start_matches(['*', '_', '[', '(']);
    // A weekday before the date: `Monday, March 9`.
    let unwrapped = match words_of(unwrapped).first() {
        Some(&(0, word)) if weekday(word) => unwrapped[word.len()..].trim_start_matches([',', ' ']),
        _ => unwrapped,
    };
    let after = |end: usize| {
        unwrapped[end..]
            .trim_start_matches(|c: char| c.is_whitespace() || "*_])-–—:|,.".contains(c))
    };
    match find_date(unwrapped) {
        Some((date, 0, end)) if year(&unwrapped[..end]).is_none() => {
            return Some(Ok((date, after(end))));
        }
        _ => {}
    }
    match yearless(unwrapped, heading.map(|h| h.year()), false) {
        // A day without its year starts an item only before a separator (`Jan 5: …`): `3
        // March hires onboarded` is about hires.
        Some(Ok((_, end))) if after(end).len() == unwrapped[end..].trim_start().len() => {
            not_a_date(unwrapped).map(Err)
        }
        Some(Ok((date, end))) => Some(Ok((date, after(end)))),
        Some(Err(message)) => Some(Err(message)),
        None => not_a_date(unwrapped).map(Err),
    }
}

/// A date without its year at the start of `text` (`Jan 5`, `5 Jan`, `March 3rd`; with
/// `alone`, in a heading, `March`, `Q2`, `H2` too), in `year_of`, and where it ends; `None`
/// when `text` starts with none. A day with a year that is none (`Feb 29, 2025`), or a day
/// with no year to be in, is an error.
pub(super) fn yearless(
    text: &str,
    year_of: Option<i32>,
    alone: bool,
) -> Option<Result<(Date, usize), String>> {
    let words = words_of(text);
    let word = |k: usize| words.get(k).map(|w| w.1);
    if words.first().is_none_or(|w| w.0 != 0) {
        return None;
    }
    let end = |k: usize| words[k].0 + words[k].1.len();
    let month_day = (word(0).and_then(month).zip(word(1).and_then(day_number)))
        .or_else(|| word(1).and_then(month).zip(word(0).and_then(day_number)));
    if let Some((m, d)) = month_day {
        let written = &text[..end(1)];
        if word(2).and_then(year).is_some() {
            // A year is written: the date was no day of it.
            return Some(Err(format!("`{}` is not a valid date", &text[..end(2)])));
        }
        let short_year =
            word(2).is_some_and(|w| w.len() == 2 && w.bytes().all(|b| b.is_ascii_digit()));
        if short_year && text[end(2)..].trim_start().starts_with(':') {
            return Some(Err(format!(
                "`{}` is not a date playbook reads: write the year in full",
                &text[..end(2)]
            )));
        }
        return Some(match year_of {
            Some(y) => (calendar(y, m, d).map(|date| (date, end(1))))
                .ok_or_else(|| format!("`{written}` is not a day of {y}")),
            None => Err(format!(
                "`{written}` has no year: write it as 2026-01-05, or put it under a dated \
                 heading (`## 2026`)"
            )),
        });
    }
    // A month, quarter or half alone, in a heading (an item may start with `May`).
    let first = word(0).and_then(month).or_else(|| word(0).and_then(period));
    let first = first.filter(|_| alone)?;
    Some(Ok((calendar(year_of?, first, 1)?, end(0))))
}

/// What of a heading's date playbook does not read, beside the span it read (if any). A
/// range is read as its first day (`Oct 2025 – Mar 2026`); what is not read is a date where
/// playbook found none or only a year (`March 9–13, 2026`, `2026-02-30`, `3/14/2026`), a day
/// that is none beside the month read (`30 Feb 2026`), or a range's start before the day read
/// (`Mar 30 – Apr 3, 2026`). A month name counts when it is capitalised and beside a number
/// (`with Jan`, `May launch prep` name no date).
pub(super) fn unread_in_heading(title: &str, read: Option<(usize, usize)>) -> Option<String> {
    let words = words_of(title);
    let inside = |start: usize| read.is_some_and(|(s, e)| start >= s && start < e);
    let before = |start: usize| read.is_some_and(|(s, _)| start < s);
    let only_a_year = read.is_none_or(|(s, e)| year(&title[s..e]).is_some());
    let has_digit = |w: &str| w.contains(|c: char| c.is_ascii_digit());
    let month_word = |w: &str| month(w).is_some() && w.starts_with(|c: char| c.is_uppercase());
    // A numeric date: with a year of four digits (`2026-02-30`, `14.03.2026`) or slashes.
    let numeric = |w: &str| {
        let parts: Vec<&str> = w.split(['/', '-', '–', '—', '.']).collect();
        w.chars().all(|c| c.is_ascii_digit() || "/-–—.".contains(c))
            && parts.len() >= 2
            && (w.contains('/') || parts.iter().any(|p| p.len() == 4))
    };
    // Words stand together when only spaces, commas or emphasis are between them.
    let together = |a: usize, b: usize| {
        let (start, word) = words[a];
        let gap = title
            .get(start + word.len()..words[b].0)
            .unwrap_or_default();
        gap.chars()
            .all(|c| c.is_whitespace() || matches!(c, ',' | '*' | '_'))
    };
    let beside = |k: usize, test: &dyn Fn(usize) -> bool| {
        let at = |j: usize| j < words.len() && test(j) && together(j.min(k), j.max(k));
        k.checked_sub(1).is_some_and(at) || at(k + 1)
    };
    let unread = words.iter().enumerate().any(|(k, &(start, w))| {
        let dated_month = month_word(w) && beside(k, &|j| has_digit(words[j].1));
        // A day beside the month that was read, not beside another.
        let bad_day =
            day_number(w).is_some() && beside(k, &|j| month_word(words[j].1) && inside(words[j].0));
        match inside(start) {
            true => false,
            false if only_a_year => dated_month || numeric(w) || bad_day,
            false => bad_day || (before(start) && dated_month),
        }
    });
    unread.then(|| {
        format!(
            "`{title}` holds a date playbook does not read: write its first day \
             (`2026-03-09`) or its month (`March 2026`)"
        )
    })
}

/// A message for text that starts like a numeric date but is none playbook reads
/// (`2026-02-30`, `2026-13`, `3/14/2026`, `14.03.2026`).
fn not_a_date(text: &str) -> Option<String> {
    let head: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.'))
        .collect();
    let head = head.trim_end_matches(['-', '/', '.']);
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let iso_like = parts.len() >= 2 && parts[0].len() == 4 && (1..=2).contains(&parts[1].len());
    let year_last = parts.len() == 3 && parts[2].len() == 4;
    let what = if iso_like {
        "a valid date"
    } else {
        "a date playbook reads"
    };
    if iso_like || year_last {
        return Some(format!(
            "`{head}` is not {what}: write YYYY-MM-DD (e.g. 2026-03-14) or YYYY-MM"
        ));
    }
    // What stands before a colon near the start, when it looks like a date (`3/14:`,
    // `Mar 5-7:`): the writer meant one.
    let prefix = text
        .split_once(':')
        .map(|(prefix, _)| prefix.trim())
        .unwrap_or_default();
    let numeric = |c: char| c.is_ascii_digit() || "/-. ".contains(c);
    let starts_dated = (words_of(prefix).first()).is_some_and(|&(_, w)| {
        month(w).is_some() || weekday(w) || w.starts_with(|c: char| c.is_ascii_digit())
    });
    let dated = prefix.chars().count() <= 25
        && starts_dated
        && prefix.contains(|c: char| c.is_ascii_digit())
        && (prefix.chars().all(numeric)
            || words_of(prefix)
                .iter()
                .any(|&(_, w)| month(w).is_some() || weekday(w)));
    dated.then(|| {
        format!(
            "`{prefix}` is not a date playbook reads: write YYYY-MM-DD (e.g. 2026-03-14), \
             `March 14, 2026`, or `Mar 14` under a dated heading"
        )
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A day of the week, by its name or its first three letters.
fn weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let word = word.trim_end_matches(['.', ',']).to_lowercase();
    word.len() >= 3
        && DAYS
            .iter()
            .any(|day| *day == word || (word.len() == 3 && day.starts_with(&word)))
}

/// A month by its name or its first three letters (`Sept` too).
fn month(word: &str) -> Option<Month> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let n = MONTHS
        .iter()
        .position(|m| *m == word || (word.len() <= 4 && m.starts_with(&word)))?;
    Month::try_from(n as u8 + 1).ok()
}

/// The first date in `text`: its day (the first of a month, quarter, half or year when only
/// that is written) and where it stands, as byte offsets. Written as `2026-03-14`,
/// `2026/03/14`, `2026-03`, `14 March 2026`, `March 14, 2026`, `March 2026`, `Q1 2026`,
/// `2026 Q1`, `2026-Q1`, `H2 2026`, or a year alone (in a heading).
pub(super) fn find_date(text: &str) -> Option<(Date, usize, usize)> {
    let words = words_of(text);
    let end = |last: usize| words[last].0 + words[last].1.len();
    let mut year_alone = None;
    for (i, &(start, word)) in words.iter().enumerate() {
        if let Some((date, last)) = date_at(text, &words, i) {
            return Some((date, start, end(last)));
        }
        let after_month = i > 0 && month(words[i - 1].1).is_some();
        if year_alone.is_none() && !after_month {
            year_alone = year(word)
                .and_then(|y| calendar(y, Month::January, 1))
                .map(|date| (date, start, end(i)));
        }
    }
    year_alone
}

/// The words of `text` and their byte offsets, split at spaces and at `,()[]*_:|`.
fn words_of(text: &str) -> Vec<(usize, &str)> {
    let split = |c: char| c.is_whitespace() || ",()[]*_:|".contains(c);
    let mut words = Vec::new();
    let mut offset = 0;
    for piece in text.split_inclusive(split) {
        let word = piece.trim_end_matches(split);
        if !word.is_empty() {
            words.push((offset, word));
        }
        offset += piece.len();
    }
    words
}

/// The date written from word `i` of `text` on, and its last word. Its words stand apart by
/// spaces, commas or full stops only: `Sprint 14 (Mar 2026)` holds March 2026, not the 14th.
fn date_at(text: &str, words: &[(usize, &str)], i: usize) -> Option<(Date, usize)> {
    let joined = |k: usize| {
        let (start, word) = words[k - 1];
        let gap = &text[start + word.len()..words[k].0];
        gap.chars()
            .all(|c| c.is_whitespace() || matches!(c, ',' | '.' | '*' | '_'))
    };
    let word = |k: usize| {
        (words.get(k))
            .filter(|_| (i + 1..=k).all(joined))
            .map(|w| w.1)
    };
    let w = word(i)?;
    numeric(w)
        .map(|date| (date, i))
        // Q1 2026
        .or_else(|| Some((calendar(year(word(i + 1)?)?, period(w)?, 1)?, i + 1)))
        // 2026 Q1
        .or_else(|| Some((calendar(year(w)?, period(word(i + 1)?)?, 1)?, i + 1)))
        // 14 March 2026
        .or_else(|| {
            let (d, m, y) = (day_number(w)?, month(word(i + 1)?)?, year(word(i + 2)?)?);
            Some((calendar(y, m, d)?, i + 2))
        })
        // March 14, 2026
        .or_else(|| {
            let (m, d, y) = (month(w)?, day_number(word(i + 1)?)?, year(word(i + 2)?)?);
            Some((calendar(y, m, d)?, i + 2))
        })
        // March 2026
        .or_else(|| Some((calendar(year(word(i + 1)?)?, month(w)?, 1)?, i + 1)))
}

/// `2026-03-14`, `2026/03/14`, `2026-03`, `2026-Q1`, `2026-H2`.
fn numeric(word: &str) -> Option<Date> {
    let parts: Vec<&str> = word.split(['-', '/']).collect();
    let two_digits = |p: &str| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u8>().ok())
            .flatten()
    };
    let y = year(parts.first()?)?;
    match parts[1..] {
        [p] if period(p).is_some() => calendar(y, period(p)?, 1),
        // An ISO week, `2026-W12`: its Monday.
        [w] if w.starts_with(['W', 'w']) => {
            let week = w[1..].parse().ok()?;
            Date::from_iso_week_date(y, week, time::Weekday::Monday).ok()
        }
        [m] => calendar(y, Month::try_from(two_digits(m)?).ok()?, 1),
        [m, d] => calendar(y, Month::try_from(two_digits(m)?).ok()?, two_digits(d)?),
        _ => None,
    }
}

fn calendar(year: i32, month: Month, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, day).ok()
}

/// A year of four digits, 1970 to 2200.
fn year(word: &str) -> Option<i32> {
    let word = word.trim_end_matches('.');
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
        .filter(|y| (1970..=2200).contains(y))
}

/// A day of the month: `14`, `14th`, `1st`.
fn day_number(word: &str) -> Option<u8> {
    let word = word.trim_end_matches(['.', ',']);
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    (matches!(suffix, "" | "st" | "nd" | "rd" | "th") && (1..=2).contains(&digits.len()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// The first month of a quarter or half: `Q1`, `H2`.
fn period(word: &str) -> Option<Month> {
    match word.to_uppercase().as_str() {
        "Q1" | "H1" => Some(Month::January),
        "Q2" => Some(Month::April),
        "Q3" | "H2" => Some(Month::July),
        "Q4" => Some(Month::October),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_are_found_in_the_common_spellings() {
        fn found(text: &str) -> Option<(Date, &str)> {
            find_date(text).map(|(d, s, e)| (d, &text[s..e]))
        }
        assert_eq!(
            found("2026-03-14: x"),
            Some((date!(2026 - 03 - 14), "2026-03-14"))
        );
        assert_eq!(
            found("2026/03/14"),
            Some((date!(2026 - 03 - 14), "2026/03/14"))
        );
        assert_eq!(found("2026-03"), Some((date!(2026 - 03 - 01), "2026-03")));
        assert_eq!(
            found("Projects (March 2026)"),
            Some((date!(2026 - 03 - 01), "March 2026"))
        );
        assert_eq!(
            found("Sept 2025"),
            Some((date!(2025 - 09 - 01), "Sept 2025"))
        );
        assert_eq!(
            found("Mar 14, 2026 — x"),
            Some((date!(2026 - 03 - 14), "Mar 14, 2026"))
        );
        assert_eq!(
            found("14 March 2026"),
            Some((date!(2026 - 03 - 14), "14 March 2026"))
        );
        assert_eq!(found("Q3 2026"), Some((date!(2026 - 07 - 01), "Q3 2026")));
        assert_eq!(found("2026 Q4"), Some((date!(2026 - 10 - 01), "2026 Q4")));
        assert_eq!(found("2026-H2"), Some((date!(2026 - 07 - 01), "2026-H2")));
        assert_eq!(found("2025"), Some((date!(2025 - 01 - 01), "2025")));
        assert_eq!(
            found("Sprint 14 (Mar 2026)"),
            Some((date!(2026 - 03 - 01), "Mar 2026"))
        );
        assert_eq!(found("Projects"), None);
        assert_eq!(found("May the team ship"), None);
        assert_eq!(found("2026-02-30"), None);
    }
}
