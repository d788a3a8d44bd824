//! Customer convenience fee (CCF) from a biller's fee table.
//!
//! BBPS fee tables list fee codes with a direction; the customer convenience fee is code `CCF1`, direction `C2B`
//! (customer to biller). Each entry has amount slabs; a slab charges a flat fee in paise plus a percentage of the
//! bill amount. The percentage is kept in basis points (1 bp = 0.01 %) so no float is ever involved, and the
//! percentage part is rounded half up to the nearest paisa. The fee is shown and sent separately
//! (`custConvFee`), never folded into the bill amount.

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

/// What the customer pays, split the way every screen and the payment message show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Charges {
    pub bill_amount: Paise,
    pub convenience_fee: Paise,
    /// Always `bill_amount + convenience_fee`.
    pub total: Paise,
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
        let total = bill_amount.checked_add(convenience_fee).ok_or(FeeOverflow)?;
        Ok(Charges { bill_amount, convenience_fee, total })
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
    fn charges_keep_the_fee_apart() {
        let c = table().charges(p(500_000)).unwrap();
        assert_eq!(c, Charges { bill_amount: p(500_000), convenience_fee: p(6_900), total: p(506_900) });
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
            prop_assert_eq!(c.total.get(), c.bill_amount.get() + c.convenience_fee.get());
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
