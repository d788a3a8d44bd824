//! Which amounts a customer may pay: the biller's exactness relative to the fetched bill, and its UPI limits for
//! the channel. The widget uses [`AmountBounds`] to decide whether the amount field is editable and what it may
//! hold; the server uses the same bounds to refuse anything else.

use serde::{Deserialize, Serialize};

use crate::biller::{Biller, Channel, Exactness, FetchRequirement};
use crate::money::Paise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AmountError {
    #[error("the amount must be more than zero")]
    AmountZero,
    #[error("this biller takes exactly the bill amount, {bill}")]
    AmountMustEqualBill { bill: Paise },
    #[error("this biller takes at least the bill amount, {bill}")]
    AmountBelowBill { bill: Paise },
    #[error("this biller takes at most the bill amount, {bill}")]
    AmountAboveBill { bill: Paise },
    #[error("the smallest amount this biller takes by UPI is {min}")]
    AmountBelowMin { min: Paise },
    #[error("the largest amount this biller takes by UPI is {max}")]
    AmountAboveMax { max: Paise },
    #[error("this bill takes at least {min}")]
    AmountBelowBillMin { min: Paise },
    #[error("this bill takes at most {max}")]
    AmountAboveBillMax { max: Paise },
    #[error("this bill takes amounts in multiples of {multiple}")]
    AmountNotMultiple { multiple: Paise },
    #[error("this biller does not take UPI payments on this channel")]
    UpiNotAccepted,
    #[error("this biller needs the bill to be fetched before it is paid")]
    BillFetchRequired,
}

impl AmountError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::AmountZero => "amount_zero",
            Self::AmountMustEqualBill { .. } => "amount_must_equal_bill",
            Self::AmountBelowBill { .. } => "amount_below_bill",
            Self::AmountAboveBill { .. } => "amount_above_bill",
            Self::AmountBelowMin { .. } => "amount_below_min",
            Self::AmountAboveMax { .. } => "amount_above_max",
            Self::AmountBelowBillMin { .. } => "amount_below_bill_min",
            Self::AmountAboveBillMax { .. } => "amount_above_bill_max",
            Self::AmountNotMultiple { .. } => "amount_not_multiple",
            Self::UpiNotAccepted => "upi_not_accepted",
            Self::BillFetchRequired => "bill_fetch_required",
        }
    }
}

/// What a fetched bill says about the amounts it takes, besides the biller's exactness: bounds, and a step every
/// amount must be a multiple of (part payments of a loan in ₹100s, say). An absent part does not restrict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountRule {
    pub min: Option<Paise>,
    pub max: Option<Paise>,
    pub multiple: Option<Paise>,
}

impl AmountRule {
    pub fn is_none(&self) -> bool {
        *self == AmountRule::default()
    }

    /// Whether some amount meets the rule: bounds in order, a step above zero, and a multiple of the step within
    /// the bounds. A biller's rule that cannot be met is not a rule to show a customer.
    pub fn can_be_met(&self) -> bool {
        let min = self.min.unwrap_or(Paise::ZERO).get().max(1);
        let max = self.max.map_or(u64::MAX, Paise::get);
        match self.multiple.map(Paise::get) {
            Some(0) => false,
            Some(step) => min.div_ceil(step).checked_mul(step).is_some_and(|first| first <= max),
            None => min <= max,
        }
    }

    /// The rule's own refusal of `amount`, if any.
    pub fn check(&self, amount: Paise) -> Result<(), AmountError> {
        if let Some(min) = self.min.filter(|m| amount < *m) {
            return Err(AmountError::AmountBelowBillMin { min });
        }
        if let Some(max) = self.max.filter(|m| amount > *m) {
            return Err(AmountError::AmountAboveBillMax { max });
        }
        if let Some(multiple) = self.multiple.filter(|m| !m.is_zero() && !amount.get().is_multiple_of(m.get())) {
            return Err(AmountError::AmountNotMultiple { multiple });
        }
        Ok(())
    }
}

/// The amounts a customer may pay for one bill (or one direct payment): `min..=max`, plus the bill's own amount
/// when there is one. `min >= max` means the field is not editable ([`AmountBounds::is_fixed`]); `min > max`, that
/// no amount can be paid here ([`AmountBounds::payable`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmountBounds {
    pub min: Paise,
    pub max: Paise,
    /// The amount to pre-fill: the bill (or chosen amount option), if any.
    pub suggested: Option<Paise>,
    /// Exactness relative to the bill, kept to name the right error.
    pub exactness: Option<Exactness>,
    /// The bill's own bounds and step; `min` and `max` above already include its bounds.
    #[serde(default)]
    pub rule: AmountRule,
}

impl AmountBounds {
    /// Bounds for paying `biller` by UPI on `channel`. `bill` is the fetched amount the customer chose (the bill
    /// amount or one of its amount options); `None` for a direct payment. `rule` is the fetched bill's.
    pub fn new(
        biller: &Biller,
        bill: Option<Paise>,
        rule: AmountRule,
        channel: Channel,
    ) -> Result<AmountBounds, AmountError> {
        if bill.is_none() && biller.fetch_requirement == FetchRequirement::Mandatory {
            return Err(AmountError::BillFetchRequired);
        }
        let (limit_min, limit_max) = biller.upi_limits(channel).ok_or(AmountError::UpiNotAccepted)?;
        // A paid amount is never zero, whatever the limits say.
        let limit_min = limit_min.max(Paise::new(1).unwrap_or(Paise::ZERO));
        let (mut min, mut max) = (limit_min, limit_max);
        let exactness = bill.and(biller.exactness);
        if let (Some(bill), Some(exactness)) = (bill, exactness) {
            match exactness {
                // The bill, if the limits take it; a bill outside them leaves `min > max`: not payable here.
                Exactness::Exact => (min, max) = (min.max(bill), max.min(bill)),
                Exactness::ExactAndAbove => min = min.max(bill),
                Exactness::ExactAndBelow => max = max.min(bill),
            }
        }
        min = rule.min.map_or(min, |m| min.max(m));
        max = rule.max.map_or(max, |m| max.min(m));
        Ok(AmountBounds { min, max, suggested: bill, exactness, rule })
    }

    /// These bounds narrowed to exactly `amount`: a plan's price, or the sum of the bills chosen from a list,
    /// which are paid to the paisa whatever the biller's exactness says of a single bill. An amount outside the
    /// limits leaves `min > max`, which [`AmountBounds::check`] refuses by the limit it breaks.
    pub fn exactly(self, amount: Paise) -> AmountBounds {
        AmountBounds {
            min: self.min.max(amount),
            max: self.max.min(amount),
            suggested: Some(amount),
            exactness: Some(Exactness::Exact),
            ..self
        }
    }

    /// Whether there is no amount to choose: one amount, or none (an exact amount outside the limits, which
    /// [`AmountBounds::payable`] tells apart).
    pub fn is_fixed(&self) -> bool {
        self.min >= self.max
    }

    /// Whether any amount passes: the bill's bounds and step and the biller's limits may not meet (a ₹1,234.56
    /// bill that must be paid exactly, in ₹100s).
    pub fn payable(&self) -> bool {
        AmountRule { min: Some(self.min), max: Some(self.max), multiple: self.rule.multiple }.can_be_met()
    }

    /// Checks an amount, naming the rule it breaks. Exactness errors take precedence over limits, because they
    /// tell the customer what to type.
    pub fn check(&self, amount: Paise) -> Result<(), AmountError> {
        if amount.is_zero() {
            return Err(AmountError::AmountZero);
        }
        if let (Some(bill), Some(exactness)) = (self.suggested, self.exactness) {
            match exactness {
                Exactness::Exact if amount != bill => {
                    return Err(AmountError::AmountMustEqualBill { bill });
                }
                Exactness::ExactAndAbove if amount < bill => {
                    return Err(AmountError::AmountBelowBill { bill });
                }
                Exactness::ExactAndBelow if amount > bill => {
                    return Err(AmountError::AmountAboveBill { bill });
                }
                _ => {}
            }
        }
        self.rule.check(amount)?;
        if amount < self.min {
            return Err(AmountError::AmountBelowMin { min: self.min });
        }
        if amount > self.max {
            return Err(AmountError::AmountAboveMax { max: self.max });
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::biller::{ChannelLimit, Coverage, ModeLimit, PaymentMode};
    use crate::fee::FeeTable;
    use crate::ids::BillerId;
    use proptest::prelude::*;

    fn p(n: u64) -> Paise {
        Paise::new(n).unwrap()
    }

    /// A biller taking UPI from ₹1 to ₹1,00,000 (₹10 to ₹50,000 from a mobile app).
    pub(crate) fn biller(exactness: Option<Exactness>, fetch: FetchRequirement) -> Biller {
        Biller {
            id: BillerId::parse("MSEDCL000MAH01").unwrap(),
            name: "Maharashtra State Electricity".into(),
            alias: None,
            category: "Electricity".into(),
            coverage: Coverage::State { state: crate::region::State::Maharashtra },
            fetch_requirement: fetch,
            supports_validation: false,
            exactness,
            accepts_adhoc: false,
            mode_limits: vec![ModeLimit { mode: PaymentMode::Upi, min: p(100), max: p(10_000_000) }],
            channel_limits: vec![ChannelLimit { channel: Channel::Mobile, min: p(1_000), max: p(5_000_000) }],
            params: vec![],
            param_groups: vec![],
            additional_info: vec![],
            fees: FeeTable::none(),
            availability: Default::default(),
            plans: None,
        }
    }

    #[test]
    fn exact_is_fixed() {
        let b = AmountBounds::new(
            &biller(Some(Exactness::Exact), FetchRequirement::Mandatory),
            Some(p(54_321)),
            AmountRule::default(),
            Channel::Internet,
        )
        .unwrap();
        assert!(b.is_fixed());
        assert_eq!(b.check(p(54_321)), Ok(()));
        assert_eq!(b.check(p(54_322)), Err(AmountError::AmountMustEqualBill { bill: p(54_321) }));
    }

    #[test]
    fn an_exact_amount_outside_the_upi_limits_is_not_payable_by_upi() {
        let exact = biller(Some(Exactness::Exact), FetchRequirement::Mandatory);
        let above = AmountBounds::new(&exact, Some(p(20_000_000)), AmountRule::default(), Channel::Internet).unwrap();
        assert!(!above.payable());
        assert_eq!(above.check(p(20_000_000)), Err(AmountError::AmountAboveMax { max: p(10_000_000) }));
        let below = AmountBounds::new(&exact, Some(p(50)), AmountRule::default(), Channel::Internet).unwrap();
        assert!(!below.payable());
        assert_eq!(below.check(p(50)), Err(AmountError::AmountBelowMin { min: p(100) }));
        // A plan's price or a list's chosen sum is held to the same limits.
        let direct = biller(None, FetchRequirement::NotSupported);
        let limits = AmountBounds::new(&direct, None, AmountRule::default(), Channel::Internet).unwrap();
        assert!(limits.exactly(p(5_000)).is_fixed());
        assert_eq!(
            limits.exactly(p(20_000_000)).check(p(20_000_000)),
            Err(AmountError::AmountAboveMax { max: p(10_000_000) })
        );
        assert_eq!(limits.exactly(p(5_000)).check(p(5_001)), Err(AmountError::AmountMustEqualBill { bill: p(5_000) }));
    }

    #[test]
    fn exact_and_above_and_below() {
        let above = AmountBounds::new(
            &biller(Some(Exactness::ExactAndAbove), FetchRequirement::Mandatory),
            Some(p(50_000)),
            AmountRule::default(),
            Channel::Internet,
        )
        .unwrap();
        assert_eq!(above.check(p(60_000)), Ok(()));
        assert_eq!(above.check(p(40_000)), Err(AmountError::AmountBelowBill { bill: p(50_000) }));
        assert_eq!(above.check(p(20_000_000)), Err(AmountError::AmountAboveMax { max: p(10_000_000) }));
        let below = AmountBounds::new(
            &biller(Some(Exactness::ExactAndBelow), FetchRequirement::Mandatory),
            Some(p(50_000)),
            AmountRule::default(),
            Channel::Internet,
        )
        .unwrap();
        assert_eq!(below.check(p(100)), Ok(()));
        assert_eq!(below.check(p(50)), Err(AmountError::AmountBelowMin { min: p(100) }));
        assert_eq!(below.check(p(50_001)), Err(AmountError::AmountAboveBill { bill: p(50_000) }));
        assert_eq!(below.check(p(0)), Err(AmountError::AmountZero));
    }

    #[test]
    fn channel_limits_tighten_mode_limits() {
        let b = AmountBounds::new(
            &biller(None, FetchRequirement::NotSupported),
            None,
            AmountRule::default(),
            Channel::Mobile,
        )
        .unwrap();
        assert_eq!((b.min, b.max), (p(1_000), p(5_000_000)));
        assert_eq!(b.check(p(999)), Err(AmountError::AmountBelowMin { min: p(1_000) }));
    }

    #[test]
    fn fetch_and_mode_requirements() {
        let mandatory = biller(None, FetchRequirement::Mandatory);
        assert_eq!(
            AmountBounds::new(&mandatory, None, AmountRule::default(), Channel::Internet),
            Err(AmountError::BillFetchRequired)
        );
        let mut no_upi = biller(None, FetchRequirement::Optional);
        no_upi.mode_limits[0].mode = PaymentMode::CreditCard;
        assert_eq!(
            AmountBounds::new(&no_upi, None, AmountRule::default(), Channel::Internet),
            Err(AmountError::UpiNotAccepted)
        );
    }

    #[test]
    fn codes_are_stable() {
        assert_eq!(AmountError::AmountBelowMin { min: p(1) }.code(), "amount_below_min");
        let json = serde_json::to_string(&AmountError::AmountAboveBill { bill: p(5) }).unwrap();
        assert_eq!(json, r#"{"code":"amount_above_bill","bill":5}"#);
    }

    #[test]
    fn a_bills_range_and_step_narrow_the_amount_with_errors_of_their_own() {
        // A loan: any part of the ₹25,000 due from ₹500, in ₹100s.
        let rule = AmountRule { min: Some(p(50_000)), max: Some(p(2_500_000)), multiple: Some(p(10_000)) };
        let b =
            AmountBounds::new(&biller(None, FetchRequirement::Mandatory), Some(p(2_500_000)), rule, Channel::Internet)
                .unwrap();
        assert_eq!((b.min, b.max), (p(50_000), p(2_500_000)));
        assert_eq!(b.check(p(120_000)), Ok(()));
        assert_eq!(b.check(p(40_000)), Err(AmountError::AmountBelowBillMin { min: p(50_000) }));
        assert_eq!(b.check(p(2_600_000)), Err(AmountError::AmountAboveBillMax { max: p(2_500_000) }));
        assert_eq!(b.check(p(120_050)), Err(AmountError::AmountNotMultiple { multiple: p(10_000) }));
        assert_eq!(AmountError::AmountNotMultiple { multiple: p(1) }.code(), "amount_not_multiple");
        // The biller's UPI limits still apply beyond the bill's own bounds.
        let wide = AmountRule { max: Some(p(50_000_000)), ..AmountRule::default() };
        let b = AmountBounds::new(&biller(None, FetchRequirement::Mandatory), Some(p(10_000)), wide, Channel::Internet)
            .unwrap();
        assert_eq!(b.check(p(20_000_000)), Err(AmountError::AmountAboveMax { max: p(10_000_000) }));
    }

    #[test]
    fn bounds_that_no_amount_meets_are_not_payable() {
        let exact = biller(Some(Exactness::Exact), FetchRequirement::Mandatory);
        let step = AmountRule { multiple: Some(p(10_000)), ..AmountRule::default() };
        let b = AmountBounds::new(&exact, Some(p(123_456)), step, Channel::Internet).unwrap();
        assert!(!b.payable(), "an exact bill that is no multiple of its step");
        let b = AmountBounds::new(&exact, Some(p(120_000)), step, Channel::Internet).unwrap();
        assert!(b.payable());
        let above_upi = AmountRule { min: Some(p(20_000_000)), ..AmountRule::default() };
        let b = AmountBounds::new(
            &biller(None, FetchRequirement::Mandatory),
            Some(p(30_000_000)),
            above_upi,
            Channel::Internet,
        )
        .unwrap();
        assert!(!b.payable(), "the bill's minimum above the biller's UPI maximum");
    }

    #[test]
    fn a_rule_that_cannot_be_met_is_told_apart() {
        let rule = |min: Option<u64>, max: Option<u64>, multiple: Option<u64>| AmountRule {
            min: min.map(p),
            max: max.map(p),
            multiple: multiple.map(p),
        };
        assert!(rule(None, None, None).can_be_met());
        assert!(rule(Some(500), Some(500), None).can_be_met());
        assert!(rule(Some(150), Some(250), Some(100)).can_be_met(), "200");
        assert!(!rule(Some(510), Some(590), Some(100)).can_be_met(), "no ₹1 step between");
        assert!(!rule(Some(600), Some(500), None).can_be_met());
        assert!(!rule(None, None, Some(0)).can_be_met());
        assert!(rule(None, None, None).is_none());
    }

    proptest! {
        #[test]
        fn accepted_amounts_are_within_bounds(
            exact in prop::option::of(0..3u8), bill in prop::option::of(1..20_000_000u64), amount in 0..20_000_000u64,
            min in prop::option::of(1..20_000_000u64), max in prop::option::of(1..20_000_000u64),
            multiple in prop::option::of(1..100_000u64),
        ) {
            let exactness = exact.map(|e| [Exactness::Exact, Exactness::ExactAndAbove, Exactness::ExactAndBelow][e as usize]);
            let b = biller(exactness, FetchRequirement::Optional);
            let rule = AmountRule { min: min.map(p), max: max.map(p), multiple: multiple.map(p) };
            let bounds = AmountBounds::new(&b, bill.map(p), rule, Channel::Internet).unwrap();
            if bounds.check(p(amount)).is_ok() {
                prop_assert!(amount > 0 && p(amount) >= bounds.min && p(amount) <= bounds.max);
                prop_assert!(multiple.is_none_or(|m| amount % m == 0));
                prop_assert!(min.is_none_or(|m| amount >= m) && max.is_none_or(|m| amount <= m));
            }
        }
    }
}
