//! Python 3.11's `datetime.date.fromisoformat`, dates held as proleptic Gregorian ordinals
//! (0001-01-01 is day 1, as `date.toordinal()`).

pub const MAX_ORDINAL: i64 = 3_652_059; // 9999-12-31

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

fn days_before_year(y: i64) -> i64 {
    let y = y - 1;
    y * 365 + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
}

fn days_before_month(y: i64, m: i64) -> i64 {
    (1..m).map(|k| days_in_month(y, k)).sum()
}

/// `ymd_to_ord` without range checks.
pub fn ymd_to_ord(y: i64, m: i64, d: i64) -> i64 {
    days_before_year(y) + days_before_month(y, m) + d
}

/// Inverse of [`ymd_to_ord`].
pub fn ord_to_ymd(ord: i64) -> (i64, i64, i64) {
    // civil-from-days (H. Hinnant): days since 0000-03-01; 1970-01-01 is ordinal 719_163
    let z = ord - 719_163 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn parse_digits(b: &[u8], pos: &mut usize, n: usize) -> Option<i64> {
    let mut v = 0i64;
    for _ in 0..n {
        let c = *b.get(*pos).unwrap_or(&0);
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
        *pos += 1;
    }
    Some(v)
}

fn iso_week1_monday(year: i64) -> i64 {
    let first_day = ymd_to_ord(year, 1, 1);
    let first_weekday = (first_day + 6).rem_euclid(7);
    let mut monday = first_day - first_weekday;
    if first_weekday > 3 {
        monday += 7;
    }
    monday
}

/// `date.fromisoformat(s)` as an ordinal; `None` where Python raises ValueError.
pub fn fromisoformat(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let len = b.len();
    if !(len == 7 || len == 8 || len == 10) {
        return None;
    }
    let at = |i: usize| *b.get(i).unwrap_or(&0);
    let mut p = 0usize;
    let year = parse_digits(b, &mut p, 4)?;
    let sep = at(p) == b'-';
    if sep {
        p += 1;
    }
    let (y, m, d) = if at(p) == b'W' {
        p += 1;
        let week = parse_digits(b, &mut p, 2)?;
        let day = if p < len {
            if sep {
                if at(p) != b'-' {
                    return None;
                }
                p += 1;
            }
            parse_digits(b, &mut p, 1)?
        } else {
            1
        };
        if week <= 0 || week >= 53 {
            let mut ok = false;
            if week == 53 {
                let first_weekday = (ymd_to_ord(year, 1, 1) + 6).rem_euclid(7);
                ok = first_weekday == 3 || (first_weekday == 2 && is_leap(year));
            }
            if !ok {
                return None;
            }
        }
        if day <= 0 || day >= 8 {
            return None;
        }
        ord_to_ymd(iso_week1_monday(year) + (week - 1) * 7 + day - 1)
    } else {
        let m = parse_digits(b, &mut p, 2)?;
        if sep {
            if at(p) != b'-' {
                return None;
            }
            p += 1;
        }
        let d = parse_digits(b, &mut p, 2)?;
        (year, m, d)
    };
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(ymd_to_ord(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> Option<(i64, i64, i64)> {
        fromisoformat(s).map(ord_to_ymd)
    }

    #[test]
    fn like_python_311() {
        assert_eq!(fromisoformat("0001-01-01"), Some(1));
        assert_eq!(fromisoformat("9999-12-31"), Some(MAX_ORDINAL));
        assert_eq!(ymd("2024-01-05"), Some((2024, 1, 5)));
        assert_eq!(ymd("20240105"), Some((2024, 1, 5)));
        assert_eq!(ymd("2024-W01"), Some((2024, 1, 1)));
        assert_eq!(ymd("2024W011"), Some((2024, 1, 1)));
        assert_eq!(ymd("2020-W53-7"), Some((2021, 1, 3)));
        assert_eq!(ymd("2024010512"), Some((2024, 1, 5)));
        for bad in ["2024-01", "2024-1-05", "2024-01-05 ", "0000-01-01", "2024-W53", "2024-02-30", "2024-0105", "+2024-01-05", "", "٢٠٢٤-٠١-٠٥"] {
            assert_eq!(fromisoformat(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinal_round_trip() {
        for ord in [1, 2, 59, 60, 365, 366, 730_000, 738_000, MAX_ORDINAL] {
            let (y, m, d) = ord_to_ymd(ord);
            assert_eq!(ymd_to_ord(y, m, d), ord);
        }
    }
}
