//! Customer convenience fee (CCF) from a biller's fee table.
//!
//! BBPS fee tables list fee codes with a direction; the customer convenience fee is code `CCF1`, direction `C2B`
//! (customer to biller). Each entry has amount slabs; a slab charges a flat fee in paise plus a percentage of the
//! bill amount. The percentage is kept in basis points (1 bp = 0.01 %) so no float is ever involved, and the
//! percentage part is rounded half up to the nearest paisa. The fee is shown and sent separately
//! (`custConvFee`), never folded into the bill amount.
//!
//! GST applies to a customer convenience fee, which is a charge for a service: wherever the table charges one,
//! [`GST_ON_FEE_BPS`] (18 %) of it is added. Rounding, in this order: the fee is rounded half up to the paisa, then
//! the GST is computed on that rounded fee and rounded half up to the paisa. A flat ₹11.80 fee therefore carries
//! ₹2.12 GST (212.4 paise), ₹13.92 in all. The fee, its GST and their sum are shown and sent as separate figures.

use serde::{Deserialize, Serialize};

use crate::money::Paise;

crate::wire_enum! {
    pub enum FeeDirection {
        /// Paid by the customer to the biller side.
        C2B = "C2B",
        /// Paid by the biller side (interchange); never charged to the customer.
        B2C = "B2C",
    }
}

/// One amount range of a fee entry; both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeSlab {
    pub min_amount: Paise,
    pub max_amount: Paise,
    pub flat: Paise,
    /// Percentage of the bill amount in basis points: 118 = 1.18 %.
    pub percent_bps: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeeEntry {
    /// `CCF1` for the customer convenience fee.
    pub code: String,
    pub direction: FeeDirection,
    pub slabs: Vec<FeeSlab>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FeeTable(pub Vec<FeeEntry>);

/// The fee code of the customer convenience fee.
pub const CCF_CODE: &str = "CCF1";

/// The GST rate on a customer convenience fee, in basis points: 18 %.
pub const GST_ON_FEE_BPS: u32 = 1_800;

/// What the customer pays, split the way every screen and the payment message show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charges {
    pub bill_amount: Paise,
    /// The convenience fee before GST.
    pub convenience_fee: Paise,
    /// The GST on the convenience fee ([`GST_ON_FEE_BPS`]); zero without a fee. Absent in payments kept before GST
    /// was charged, which had none.
    #[serde(default)]
    pub convenience_fee_gst: Paise,
    /// Always `bill_amount + convenience_fee + convenience_fee_gst`.
    pub total: Paise,
}

impl Charges {
    /// The fee with its GST: what the customer pays besides the bill, and what travels as `custConvFee`.
    pub fn fee_with_gst(&self) -> Paise {
        fee_with_gst(self.convenience_fee, self.convenience_fee_gst)
    }
}

/// A fee and its GST together. Both come from [`FeeTable::charges`], whose total fits in paise, so their sum does.
pub fn fee_with_gst(fee: Paise, gst: Paise) -> Paise {
    fee.checked_add(gst).unwrap_or(fee)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the amount with its convenience fee is too large")]
pub struct FeeOverflow;

impl FeeTable {
    pub fn none() -> FeeTable {
        FeeTable(Vec::new())
    }

    /// The customer convenience fee for paying `amount`: the first `CCF1`/`C2B` slab containing the amount.
    /// No matching entry or slab means no fee.
    pub fn convenience_fee(&self, amount: Paise) -> Result<Paise, FeeOverflow> {
        let slab = self
            .0
            .iter()
            .filter(|e| e.code == CCF_CODE && e.direction == FeeDirection::C2B)
            .flat_map(|e| e.slabs.iter())
            .find(|s| s.min_amount <= amount && amount <= s.max_amount);
        match slab {
            None => Ok(Paise::ZERO),
            Some(s) => amount.percent_bps(s.percent_bps).and_then(|pct| pct.checked_add(s.flat)).ok_or(FeeOverflow),
        }
    }

    pub fn charges(&self, bill_amount: Paise) -> Result<Charges, FeeOverflow> {
        let convenience_fee = self.convenience_fee(bill_amount)?;
        let convenience_fee_gst = convenience_fee.percent_bps(GST_ON_FEE_BPS).ok_or(FeeOverflow)?;
        let total = bill_amount
            .checked_add(convenience_fee)
            .and_then(|t| t.checked_add(convenience_fee_gst))
            .ok_or(FeeOverflow)?;
        Ok(Charges { bill_amount, convenience_fee, convenience_fee_gst, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::MAX_PAISE;
    use proptest::prelude::*;

    fn p(n: u64) -> Paise {
        Paise::new(n).unwrap()
    }

    fn table() -> FeeTable {
        FeeTable(vec![
            FeeEntry {
                code: "BIF".into(),
                direction: FeeDirection::B2C,
                slabs: vec![FeeSlab { min_amount: p(0), max_amount: p(MAX_PAISE), flat: p(500), percent_bps: 0 }],
            },
            FeeEntry {
                code: CCF_CODE.into(),
                direction: FeeDirection::C2B,
                slabs: vec![
                    FeeSlab { min_amount: p(100), max_amount: p(99_999), flat: p(0), percent_bps: 0 },
                    FeeSlab { min_amount: p(100_000), max_amount: p(499_999), flat: p(500), percent_bps: 0 },
                    FeeSlab { min_amount: p(500_000), max_amount: p(MAX_PAISE), flat: p(1_000), percent_bps: 118 },
                ],
            },
        ])
    }

    #[test]
    fn picks_the_slab_and_ignores_other_codes() {
        let t = table();
        assert_eq!(t.convenience_fee(p(50_000)), Ok(p(0)));
        assert_eq!(t.convenience_fee(p(100_000)), Ok(p(500)));
        assert_eq!(t.convenience_fee(p(499_999)), Ok(p(500)));
        // ₹5,000.00 -> ₹10 flat + 1.18 % (₹59.00) = ₹69.00
        assert_eq!(t.convenience_fee(p(500_000)), Ok(p(6_900)));
        // 1.18 % of ₹5,000.01 is 5900.0118 paise -> 5900
        assert_eq!(t.convenience_fee(p(500_001)), Ok(p(6_900)));
        // Below every slab: no fee.
        assert_eq!(t.convenience_fee(p(50)), Ok(p(0)));
        assert_eq!(FeeTable::none().convenience_fee(p(123)), Ok(p(0)));
    }

    #[test]
    fn charges_keep_the_fee_and_its_gst_apart() {
        let c = table().charges(p(500_000)).unwrap();
        // ₹69.00 fee, 18 % GST ₹12.42.
        let want = Charges {
            bill_amount: p(500_000),
            convenience_fee: p(6_900),
            convenience_fee_gst: p(1_242),
            total: p(508_142),
        };
        assert_eq!(c, want);
        assert_eq!(c.fee_with_gst(), p(8_142));
        // No fee, no GST.
        let free = table().charges(p(50_000)).unwrap();
        assert_eq!((free.convenience_fee_gst, free.total), (p(0), p(50_000)));
    }

    #[test]
    fn gst_is_computed_on_the_rounded_fee_and_rounded_half_up() {
        let flat = |flat: u64, percent_bps: u32| {
            FeeTable(vec![FeeEntry {
                code: CCF_CODE.into(),
                direction: FeeDirection::C2B,
                slabs: vec![FeeSlab { min_amount: p(0), max_amount: p(MAX_PAISE), flat: p(flat), percent_bps }],
            }])
        };
        // 18 % of 50 = 9; of 1180 = 212.4 -> 212; of 25 = 4.5 -> 5 (half up); of 1 = 0.18 -> 0.
        for (fee, gst) in [(50, 9), (100, 18), (1_180, 212), (25, 5), (1, 0)] {
            let c = flat(fee, 0).charges(p(10_000)).unwrap();
            assert_eq!((c.convenience_fee, c.convenience_fee_gst), (p(fee), p(gst)), "fee {fee}");
        }
        // The percentage part is rounded first: 0.5 % of ₹10.01 is 5.005 -> 5 paise, then GST 0.9 -> 1.
        let c = flat(0, 50).charges(p(1_001)).unwrap();
        assert_eq!((c.convenience_fee, c.convenience_fee_gst, c.total), (p(5), p(1), p(1_007)));
    }

    #[test]
    fn charges_kept_before_gst_read_with_none() {
        let old: Charges = serde_json::from_str(r#"{"bill_amount":1000,"convenience_fee":500,"total":1500}"#).unwrap();
        assert_eq!(old.convenience_fee_gst, p(0));
        assert_eq!(old.fee_with_gst(), p(500));
    }

    #[test]
    fn overflow_is_an_error() {
        let t = FeeTable(vec![FeeEntry {
            code: CCF_CODE.into(),
            direction: FeeDirection::C2B,
            slabs: vec![FeeSlab { min_amount: p(0), max_amount: p(MAX_PAISE), flat: p(MAX_PAISE), percent_bps: 0 }],
        }]);
        assert_eq!(t.charges(p(1)), Err(FeeOverflow));
    }

    fn arb_table() -> impl Strategy<Value = FeeTable> {
        let slab = (0..=MAX_PAISE, 0..=MAX_PAISE, 0..=100_000u64, 0..=2_000u32).prop_map(|(a, b, flat, bps)| FeeSlab {
            min_amount: p(a.min(b)),
            max_amount: p(a.max(b)),
            flat: p(flat),
            percent_bps: bps,
        });
        prop::collection::vec(slab, 0..5)
            .prop_map(|slabs| FeeTable(vec![FeeEntry { code: CCF_CODE.into(), direction: FeeDirection::C2B, slabs }]))
    }

    proptest! {
        #[test]
        fn total_is_amount_plus_fee(t in arb_table(), amount in 0..=MAX_PAISE / 2) {
            // Within this domain (fee at most 20 % + ₹1,000) the total always fits, so an error is a bug.
            let c = t.charges(p(amount));
            prop_assert!(c.is_ok());
            let c = c.unwrap();
            prop_assert_eq!(c.bill_amount, p(amount));
            prop_assert_eq!(c.total.get(), c.bill_amount.get() + c.convenience_fee.get() + c.convenience_fee_gst.get());
            prop_assert_eq!(c.convenience_fee_gst, c.convenience_fee.percent_bps(GST_ON_FEE_BPS).unwrap());
            prop_assert!(c.total >= c.bill_amount, "fee is never negative");
        }

        #[test]
        fn fee_is_monotonic_within_a_slab(bps in 0..=2_000u32, flat in 0..=10_000u64, a in 0..=10_000_000u64, b in 0..=10_000_000u64) {
            let t = FeeTable(vec![FeeEntry {
                code: CCF_CODE.into(),
                direction: FeeDirection::C2B,
                slabs: vec![FeeSlab { min_amount: p(0), max_amount: p(MAX_PAISE), flat: p(flat), percent_bps: bps }],
            }]);
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(t.convenience_fee(p(lo)).unwrap() <= t.convenience_fee(p(hi)).unwrap());
        }
    }
}
