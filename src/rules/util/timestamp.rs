//! RFC 3339 timestamps as Step Functions reads them: `2016-03-14T01:59:00Z`,
//! with an upper-case `T`, and an upper-case `Z` unless a numeric offset
//! (`+01:00`) is given. Fractional seconds are allowed.

/// Why a string is not an accepted timestamp; `None` when it is one.
pub fn problem(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            part.iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')),
        )
    };
    let shape = "expected the form `YYYY-MM-DDThh:mm:ssZ` (or an offset such as `+01:00`)";
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return Some(shape);
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Some(shape);
    }
    match b.get(10) {
        Some(b'T') => {}
        Some(b't') => return Some("the `T` between date and time must be upper-case"),
        Some(b' ') => {
            return Some("date and time must be separated by an upper-case `T`, not a space")
        }
        None => return Some("the time of day is missing"),
        _ => return Some(shape),
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(11, 2), digits(14, 2), digits(17, 2))
    else {
        return Some(shape);
    };
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return Some(shape);
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Some("the date does not exist");
    }
    // RFC 3339 allows a leap second (60).
    if hour > 23 || minute > 59 || second > 60 {
        return Some("the time of day is out of range");
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Some("a `.` must be followed by the fraction of a second");
        }
    }
    match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => None,
        Some(b'z') if i + 1 == b.len() => Some("the `Z` time zone must be upper-case"),
        Some(b'+' | b'-') => {
            let (Some(oh), Some(om)) = (digits(i + 1, 2), digits(i + 4, 2)) else {
                return Some(shape);
            };
            if b.get(i + 3) != Some(&b':') || i + 6 != b.len() {
                return Some(shape);
            }
            if oh > 23 || om > 59 {
                return Some("the time-zone offset is out of range");
            }
            None
        }
        None => Some("the time zone is missing: end with `Z` or an offset such as `+01:00`"),
        _ => Some(shape),
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn accepts_rfc3339_with_upper_case_t_and_z() {
        for ok in [
            "2016-03-14T01:59:00Z",
            "2016-03-14T01:59:00.123Z",
            "2016-03-14T01:59:00+01:00",
            "2016-03-14T01:59:00.5-08:30",
            "2024-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_other_forms() {
        for bad in [
            "",
            "2016-03-14",
            "2016-03-14t01:59:00Z",
            "2016-03-14 01:59:00Z",
            "2016-03-14T01:59:00z",
            "2016-03-14T01:59:00",
            "2016-13-14T01:59:00Z",
            "2023-02-29T00:00:00Z",
            "2016-03-14T24:00:00Z",
            "2016-03-14T01:59:00.Z",
            "2016-03-14T01:59:00+0100",
            "2016-03-14T01:59:00Z ",
            "2016-03-14T01:59:00ZZ",
            "14/03/2016",
            "２016-03-14T01:59:00Z",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
