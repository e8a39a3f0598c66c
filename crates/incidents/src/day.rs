//! Calendar days as plain integers (days since 1970-01-01), for cheap comparison of dates.
//! The conversion is Howard Hinnant's `days_from_civil` / `civil_from_days`, exact for the
//! proleptic Gregorian calendar.

/// Days since 1970-01-01 of a civil date.
pub fn from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe as u32 * 365 + yoe as u32 / 4 - yoe as u32 / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// The civil date (year, month, day) of a day number.
pub fn to_civil(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The span of days a date string covers: `YYYY-MM-DD` one day, `YYYY-MM` its month, `YYYY`
/// its year. `None` for anything else.
pub fn parse_span(s: &str) -> Option<(i32, i32)> {
    let mut parts = s.trim().split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) {
        return None;
    }
    let Some(m) = parts.next() else {
        return Some((from_civil(y, 1, 1), from_civil(y, 12, 31)));
    };
    let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
    let Some(d) = parts.next() else {
        return Some((from_civil(y, m, 1), from_civil(y, m, days_in_month(y, m))));
    };
    let d: u32 = d.parse().ok().filter(|d| (1..=days_in_month(y, m)).contains(d))?;
    if parts.next().is_some() {
        return None;
    }
    let n = from_civil(y, m, d);
    Some((n, n))
}

/// `YYYY-MM-DD` of a day number.
pub fn format(day: i32) -> String {
    let (y, m, d) = to_civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_spans() {
        assert_eq!(from_civil(1970, 1, 1), 0);
        assert_eq!(format(from_civil(2022, 1, 20)), "2022-01-20");
        for day in [-1000, 0, 59, 60, 18_000, 19_377, 30_000] {
            let (y, m, d) = to_civil(day);
            assert_eq!(from_civil(y, m, d), day);
        }
        let (a, b) = parse_span("2024-02").expect("month");
        assert_eq!((format(a), format(b)), ("2024-02-01".into(), "2024-02-29".into()));
        let (a, b) = parse_span("2023").expect("year");
        assert_eq!(b - a, 364);
        assert_eq!(parse_span("2023-03-14"), Some((from_civil(2023, 3, 14), from_civil(2023, 3, 14))));
        for bad in ["", "2023-13", "2023-02-30", "x", "2023-01-01-01"] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }
}
