//! Numbers as the console shows them: three significant digits with K/M/G and kB/MB, or exact (`x`).

use humansize::{DECIMAL, FormatSizeOptions, format_size};
use std::time::Duration;

/// The widest `number(v, false)` below 999.5T (e.g. `9990`, `999K`).
pub const NUMBER_WIDTH: usize = 4;
/// The widest `bytes(v, false)` below 1,000 PB (e.g. `12.3kB`, `1.23MB`).
pub const BYTES_WIDTH: usize = 6;

/// `value` rounded to three significant digits (0 stays 0).
fn three_digits(value: f64) -> f64 {
    if value <= 0.0 || !value.is_finite() {
        return value.max(0.0);
    }
    let scale = 10f64.powi(value.log10().floor() as i32 - 2);
    (value / scale).round() * scale
}

/// A rate of things: exact, or at most three significant digits (`1230`, `12K`, `4.2G`). A
/// fourth digit of a measured rate is noise that would repaint the cell at every poll.
pub fn rate(value: f64, exact: bool) -> String {
    if exact {
        number(value, true)
    } else {
        number(three_digits(value.max(0.0)), false)
    }
}

/// A count of things: exact, or every digit up to 9,999 and 3 significant figures with K/M/G/T
/// above.
pub fn number(value: f64, exact: bool) -> String {
    let value = value.max(0.0);
    if exact || value < 10_000.0 {
        // Rates below 10/s keep a decimal so that a slow service does not read as idle.
        return if !exact && value > 0.0 && value < 10.0 && value.fract() != 0.0 {
            format!("{value:.1}")
        } else {
            format!("{}", value.round() as u64)
        };
    }
    let mut v = value;
    let mut unit = 0;
    while v >= 999.5 && unit < 4 {
        v /= 1000.0;
        unit += 1;
    }
    let suffix = ["", "K", "M", "G", "T"][unit];
    if v < 9.95 {
        format!("{v:.1}{suffix}")
    } else {
        format!("{v:.0}{suffix}")
    }
}

/// Bytes per second (or bytes): decimal units at three significant digits (`512B`, `12.3kB`,
/// `1.23MB`), or every digit.
pub fn bytes(value: f64, exact: bool) -> String {
    let value = value.max(0.0);
    if exact {
        return (value.round() as u64).to_string();
    }
    // Rounded here to three significant digits; humansize picks the unit and prints it with as
    // many decimals as the third digit needs.
    let rounded = three_digits(value.round());
    let mut mantissa = rounded;
    while mantissa >= 999.5 {
        mantissa /= 1000.0;
    }
    let decimals = match mantissa {
        _ if rounded < 999.5 => 0,
        m if m < 9.995 => 2,
        m if m < 99.95 => 1,
        _ => 0,
    };
    let options = FormatSizeOptions::from(DECIMAL)
        .decimal_places(decimals)
        .decimal_zeroes(decimals)
        .space_after_value(false);
    format_size(rounded as u64, options)
}

/// How long ago, coarsely: `4s`, `2m05s`, `3h10m`.
pub fn age(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s / 60 % 60),
    }
}

/// An interval the way the header states it: `2s`, `0.5s`.
pub fn interval(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// `text` in lines of at most `width` characters, broken at spaces (and at its own newlines).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|paragraph| wrap_one(paragraph, width))
        .collect()
}

fn wrap_one(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("never empty");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_forms_fit_their_slot_widths() {
        // Every power of ten and the values just below and above it, up to the bound each states.
        let mut v = 1.0_f64;
        while v < 1e16 {
            for x in [v * 0.9995, v, v * 9.99, v * 9.995] {
                assert!(
                    number(x, false).len() <= NUMBER_WIDTH || x >= 999.5e12,
                    "number({x}) = {:?}",
                    number(x, false)
                );
                assert!(
                    rate(x, false).len() <= NUMBER_WIDTH || x >= 999.5e12,
                    "rate({x}) = {:?}",
                    rate(x, false)
                );
                assert!(
                    bytes(x, false).len() <= BYTES_WIDTH,
                    "bytes({x}) = {:?}",
                    bytes(x, false)
                );
            }
            v *= 10.0;
        }
        assert_eq!(number(9999.0, false).len(), NUMBER_WIDTH);
        assert_eq!(bytes(12_345.0, false).len(), BYTES_WIDTH);
    }

    #[test]
    fn compact_and_exact_numbers() {
        for (v, compact, exact) in [
            (0.0, "0", "0"),
            (2.5, "2.5", "3"),
            (9999.0, "9999", "9999"),
            (12_345.0, "12K", "12345"),
            (999_600.0, "1.0M", "999600"),
            (4_200_000_000.0, "4.2G", "4200000000"),
        ] {
            assert_eq!(number(v, false), compact, "{v}");
            assert_eq!(number(v, true), exact, "{v}");
        }
        assert_eq!(rate(1234.0, false), "1230");
        assert_eq!(rate(1234.0, true), "1234");
        assert_eq!(rate(9999.0, false), "10K");
        assert_eq!(rate(987.6, false), "988");
        assert_eq!(rate(2.54, false), "2.5");
        assert_eq!(bytes(1_234_567.0, false), "1.23MB");
        assert_eq!(bytes(1_234_567.0, true), "1234567");
        assert_eq!(bytes(512.0, false), "512B");
        assert_eq!(bytes(999.6, false), "1.00kB");
        assert_eq!(bytes(12_345.0, false), "12.3kB");
        assert_eq!(bytes(123_456.0, false), "123kB");
        assert_eq!(bytes(999_600.0, false), "1.00MB");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_newlines() {
        assert_eq!(wrap("one two three\nfour", 8), ["one two", "three", "four"]);
        assert_eq!(wrap("unbreakable-word", 4), ["unbreakable-word"]);
    }

    #[test]
    fn ages() {
        assert_eq!(age(Duration::from_secs(4)), "4s");
        assert_eq!(age(Duration::from_secs(125)), "2m05s");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 600)), "3h10m");
        assert_eq!(interval(Duration::from_millis(500)), "0.5s");
    }
}
