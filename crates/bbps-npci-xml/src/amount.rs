//! The decimal numbers of the biller master data's fee table, read digit by digit into integers: a percentage
//! becomes basis points and a flat fee whole paise, with no float anywhere. (Amounts elsewhere on the wire are
//! integer paise and read as [`bbps_core::Paise`] directly.)

use bbps_core::Paise;

/// `int.frac` as an integer scaled by 10^`places`; `None` for anything else, for more decimals than `places`
/// (other than trailing zeros), or on overflow.
fn scaled(s: &str, places: u32) -> Option<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = frac.trim_end_matches('0');
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || frac.len() > places as usize || int.len() > 18 {
        return None;
    }
    let whole: u64 = int.parse().ok()?;
    let mut part: u64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    part *= 10u64.pow(places - frac.len() as u32);
    whole.checked_mul(10u64.pow(places))?.checked_add(part)
}

/// `percentFee`, e.g. `1.18` (per cent) → 118 basis points.
pub fn percent_to_bps(s: &str) -> Option<u32> {
    scaled(s, 2).and_then(|bps| u32::try_from(bps).ok())
}

/// Basis points as the wire's percentage: 118 → `1.18`.
pub fn bps_to_percent(bps: u32) -> String {
    format!("{}.{:02}", bps / 100, bps % 100)
}

/// `flatFee` in paise, e.g. `500` or `500.00`; a fraction of a paisa is refused.
pub fn flat_fee(s: &str) -> Option<Paise> {
    scaled(s, 0).and_then(Paise::new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_percentages_and_flat_fees() {
        assert_eq!(percent_to_bps("1.18"), Some(118));
        assert_eq!(percent_to_bps("0"), Some(0));
        assert_eq!(percent_to_bps("2.5"), Some(250));
        assert_eq!(percent_to_bps("2.500"), Some(250));
        assert_eq!(percent_to_bps("0.005"), None);
        assert_eq!(percent_to_bps("-1"), None);
        assert_eq!(percent_to_bps(".5"), None);
        assert_eq!(percent_to_bps("1e2"), None);
        assert_eq!(flat_fee("500.00"), Paise::new(500));
        assert_eq!(flat_fee("500.5"), None);
        assert_eq!(flat_fee("99999999999999999999"), None);
        assert_eq!(bps_to_percent(118), "1.18");
        assert_eq!(bps_to_percent(5), "0.05");
    }

    proptest! {
        #[test]
        fn percentages_round_trip(bps in any::<u32>()) {
            prop_assert_eq!(percent_to_bps(&bps_to_percent(bps)), Some(bps));
        }

        #[test]
        fn never_panics(s in ".{0,30}") {
            let _ = percent_to_bps(&s);
            let _ = flat_fee(&s);
        }
    }
}
