//! Billers that answer a fetch with several bills (a corporate card's statements, a school's term fees, a city's
//! e-challans). The biller says how many of them one payment may pay: exactly one, any of them, or all together.
//! Each chosen bill is paid in full, so the payment's amount is the sum of the chosen bills, to the paisa.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::amount::{AmountBounds, AmountError, AmountRule};
use crate::biller::{Biller, Channel};
use crate::money::Paise;

crate::wire_enum! {
    /// How many of a fetched list's bills one payment pays (the later schema release's `billerSelectionType`).
    pub enum BillSelection {
        /// Exactly one of them.
        Single = "single",
        /// One or more of them, as the customer chooses.
        Multiple = "multiple",
        /// All of them together.
        All = "all",
    }
}

/// One bill of a fetched list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillItem {
    /// The biller's number of the bill, unique within the list: a payment names the bills it pays by it.
    pub bill_number: String,
    pub amount: Paise,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub due_date: Option<Date>,
    pub bill_period: Option<String>,
}

/// The bills of one fetch, and how many one payment may pay. Built only by [`BillList::new`], so a list is never
/// empty, never names a bill twice, and its total fits in paise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "RawBillList")]
pub struct BillList {
    pub selection: BillSelection,
    pub items: Vec<BillItem>,
}

#[derive(Deserialize)]
struct RawBillList {
    selection: BillSelection,
    items: Vec<BillItem>,
}

impl TryFrom<RawBillList> for BillList {
    type Error = BillListError;

    fn try_from(raw: RawBillList) -> Result<BillList, BillListError> {
        BillList::new(raw.selection, raw.items)
    }
}

/// Why a biller's list of bills is not one a customer can be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillListError {
    #[error("a list of bills without a bill")]
    Empty,
    #[error("the list names bill {0:?} twice")]
    Repeated(String),
    #[error("bill {0:?} has no amount")]
    Zero(String),
    #[error("the bills add up to more than an amount can hold")]
    TooLarge,
    #[error("a bill of the list has no number")]
    Unnumbered,
}

/// Why the bills a payment names cannot be paid together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum BillChoiceError {
    #[error("choose the bills to pay")]
    BillsNotChosen,
    #[error("the fetched bill has no bill numbered {bill_number}")]
    BillNotListed { bill_number: String },
    #[error("bill {bill_number} is named twice")]
    BillChosenTwice { bill_number: String },
    #[error("this biller takes one bill per payment")]
    OneBillOnly,
    #[error("this biller takes all its bills in one payment")]
    AllBillsRequired,
    #[error("the fetched bill is a single bill; name no bills")]
    NotAList,
}

impl BillList {
    pub fn new(selection: BillSelection, items: Vec<BillItem>) -> Result<BillList, BillListError> {
        if items.is_empty() {
            return Err(BillListError::Empty);
        }
        let mut total = Paise::ZERO;
        for (i, item) in items.iter().enumerate() {
            if item.bill_number.trim().is_empty() {
                return Err(BillListError::Unnumbered);
            }
            if items[..i].iter().any(|o| o.bill_number == item.bill_number) {
                return Err(BillListError::Repeated(item.bill_number.clone()));
            }
            if item.amount.is_zero() {
                return Err(BillListError::Zero(item.bill_number.clone()));
            }
            total = total.checked_add(item.amount).ok_or(BillListError::TooLarge)?;
        }
        Ok(BillList { selection, items })
    }

    /// What all the bills add up to: the fetched bill's amount.
    pub fn total(&self) -> Paise {
        // `new` checked that the sum fits.
        self.items.iter().fold(Paise::ZERO, |sum, i| sum.checked_add(i.amount).unwrap_or(sum))
    }

    /// The bills a payment naming `numbers` pays, in the list's order; no names pays all of them when the biller
    /// takes only all. Their amounts add up to what the payment must be.
    pub fn choose(&self, numbers: &[String]) -> Result<Vec<&BillItem>, BillChoiceError> {
        if numbers.is_empty() && self.selection == BillSelection::All {
            return Ok(self.items.iter().collect());
        }
        for (i, n) in numbers.iter().enumerate() {
            if !self.items.iter().any(|item| &item.bill_number == n) {
                return Err(BillChoiceError::BillNotListed { bill_number: n.clone() });
            }
            if numbers[..i].contains(n) {
                return Err(BillChoiceError::BillChosenTwice { bill_number: n.clone() });
            }
        }
        match (self.selection, numbers.len()) {
            (_, 0) => Err(BillChoiceError::BillsNotChosen),
            (BillSelection::Single, n) if n > 1 => Err(BillChoiceError::OneBillOnly),
            (BillSelection::All, n) if n < self.items.len() => Err(BillChoiceError::AllBillsRequired),
            _ => Ok(self.items.iter().filter(|item| numbers.contains(&item.bill_number)).collect()),
        }
    }

    /// The sum of the chosen bills' amounts.
    pub fn sum(chosen: &[&BillItem]) -> Paise {
        chosen.iter().fold(Paise::ZERO, |sum, i| sum.checked_add(i.amount).unwrap_or(sum))
    }

    /// The bills offered before the customer chooses: all of them where the biller takes all or several and their
    /// sum fits its UPI limits; else the first bill that fits on its own. `None` when no choice the biller allows
    /// can be paid by UPI here.
    pub fn preselect(&self, biller: &Biller, channel: Channel) -> Option<Vec<&BillItem>> {
        let fits = |chosen: &[&BillItem]| Self::bounds(biller, Self::sum(chosen), channel).is_ok_and(|b| b.payable());
        let all: Vec<&BillItem> = self.items.iter().collect();
        match self.selection {
            BillSelection::All => fits(&all).then_some(all),
            BillSelection::Multiple if fits(&all) => Some(all),
            BillSelection::Multiple | BillSelection::Single => {
                self.items.iter().find(|item| fits(&[*item])).map(|item| vec![item])
            }
        }
    }

    /// The amounts a payment of `sum` (chosen bills' total) may be: exactly it, within the biller's UPI limits.
    pub fn bounds(biller: &Biller, sum: Paise, channel: Channel) -> Result<AmountBounds, AmountError> {
        Ok(AmountBounds::new(biller, Some(sum), AmountRule::default(), channel)?.exactly(sum))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(n: &str, rupees: u64) -> BillItem {
        BillItem {
            bill_number: n.into(),
            amount: Paise::from_rupees(rupees).unwrap(),
            due_date: None,
            bill_period: None,
        }
    }

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    fn numbers(chosen: &[&BillItem]) -> Vec<String> {
        chosen.iter().map(|i| i.bill_number.clone()).collect()
    }

    #[test]
    fn a_list_is_never_empty_repeated_zero_or_too_large() {
        assert_eq!(BillList::new(BillSelection::Multiple, vec![]), Err(BillListError::Empty));
        assert_eq!(
            BillList::new(BillSelection::Multiple, vec![item("A", 1), item("A", 2)]),
            Err(BillListError::Repeated("A".into()))
        );
        let zero = BillItem { amount: Paise::ZERO, ..item("Z", 1) };
        assert_eq!(BillList::new(BillSelection::All, vec![zero]), Err(BillListError::Zero("Z".into())));
        let huge = BillItem { amount: Paise::new(crate::money::MAX_PAISE / 2 + 1).unwrap(), ..item("H", 1) };
        let twice = vec![huge.clone(), BillItem { bill_number: "I".into(), ..huge }];
        assert_eq!(BillList::new(BillSelection::All, twice), Err(BillListError::TooLarge));
        let json = r#"{"selection":"all","items":[]}"#;
        assert!(serde_json::from_str::<BillList>(json).is_err(), "deserializing checks the list too");
    }

    #[test]
    fn each_selection_takes_its_own_count_of_bills() {
        let bills = vec![item("T1", 1200), item("T2", 1500), item("T3", 900)];
        let single = BillList::new(BillSelection::Single, bills.clone()).unwrap();
        assert_eq!(numbers(&single.choose(&names(&["T2"])).unwrap()), ["T2"]);
        assert_eq!(single.choose(&names(&["T1", "T2"])), Err(BillChoiceError::OneBillOnly));
        assert_eq!(single.choose(&[]), Err(BillChoiceError::BillsNotChosen));

        let multiple = BillList::new(BillSelection::Multiple, bills.clone()).unwrap();
        let chosen = multiple.choose(&names(&["T3", "T1"])).unwrap();
        assert_eq!(numbers(&chosen), ["T1", "T3"], "in the list's order");
        assert_eq!(BillList::sum(&chosen), Paise::from_rupees(2100).unwrap());
        assert_eq!(
            multiple.choose(&names(&["T1", "T1"])),
            Err(BillChoiceError::BillChosenTwice { bill_number: "T1".into() })
        );
        assert_eq!(multiple.choose(&names(&["T9"])), Err(BillChoiceError::BillNotListed { bill_number: "T9".into() }));

        let all = BillList::new(BillSelection::All, bills).unwrap();
        assert_eq!(all.choose(&[]).unwrap().len(), 3, "no names pays them all");
        assert_eq!(all.choose(&names(&["T1", "T2"])), Err(BillChoiceError::AllBillsRequired));
        assert_eq!(BillList::sum(&all.choose(&names(&["T3", "T2", "T1"])).unwrap()), all.total());
    }

    #[test]
    fn the_bills_offered_first_are_a_choice_the_upi_limits_take() {
        use crate::biller::{FetchRequirement, ModeLimit, PaymentMode};
        // UPI takes ₹10 to ₹2,000 here.
        let biller = Biller {
            mode_limits: vec![ModeLimit {
                mode: PaymentMode::Upi,
                min: Paise::from_rupees(10).unwrap(),
                max: Paise::from_rupees(2_000).unwrap(),
            }],
            channel_limits: vec![],
            ..crate::amount::tests::biller(None, FetchRequirement::Mandatory)
        };
        let numbers_of = |l: &BillList| l.preselect(&biller, Channel::Internet).map(|c| numbers(&c));
        let bills = vec![item("T1", 1_200), item("T2", 1_500), item("T3", 900)];
        // Together they are too much: the first bill that fits alone, or none where only all together are taken.
        assert_eq!(numbers_of(&BillList::new(BillSelection::Multiple, bills.clone()).unwrap()), Some(names(&["T1"])));
        assert_eq!(numbers_of(&BillList::new(BillSelection::All, bills.clone()).unwrap()), None);
        let small = vec![item("S1", 500), item("S2", 700)];
        assert_eq!(
            numbers_of(&BillList::new(BillSelection::Multiple, small.clone()).unwrap()),
            Some(names(&["S1", "S2"]))
        );
        assert_eq!(numbers_of(&BillList::new(BillSelection::All, small).unwrap()), Some(names(&["S1", "S2"])));
        // One per payment: the first that fits, skipping one above the limit.
        let one = vec![item("B1", 2_500), item("B2", 800)];
        assert_eq!(numbers_of(&BillList::new(BillSelection::Single, one).unwrap()), Some(names(&["B2"])));
        let none_fit = vec![item("C1", 2_500), item("C2", 3_000)];
        assert_eq!(numbers_of(&BillList::new(BillSelection::Single, none_fit).unwrap()), None);
        // A sum outside the limits is refused by the limit it breaks.
        let too_much = BillList::bounds(&biller, Paise::from_rupees(3_600).unwrap(), Channel::Internet).unwrap();
        assert!(!too_much.payable() && too_much.is_fixed());
        assert_eq!(
            too_much.check(Paise::from_rupees(3_600).unwrap()),
            Err(AmountError::AmountAboveMax { max: Paise::from_rupees(2_000).unwrap() })
        );
    }

    #[test]
    fn a_bill_without_a_number_is_no_bill_of_a_list() {
        assert_eq!(BillList::new(BillSelection::All, vec![item(" ", 100)]), Err(BillListError::Unnumbered));
    }

    proptest! {
        #[test]
        fn what_is_chosen_is_listed_once_and_adds_up(
            amounts in proptest::collection::vec(1u64..10_000_000, 1..6),
            picks in proptest::collection::vec(0usize..8, 0..8),
            selection in prop_oneof![Just(BillSelection::Single), Just(BillSelection::Multiple), Just(BillSelection::All)],
        ) {
            let items: Vec<BillItem> = amounts.iter().enumerate()
                .map(|(i, a)| BillItem { amount: Paise::new(*a).unwrap(), ..item(&format!("B{i}"), 1) })
                .collect();
            let list = BillList::new(selection, items).unwrap();
            let asked: Vec<String> = picks.iter().map(|p| format!("B{p}")).collect();
            if let Ok(chosen) = list.choose(&asked) {
                let mut seen: Vec<&str> = chosen.iter().map(|c| c.bill_number.as_str()).collect();
                seen.dedup();
                prop_assert_eq!(seen.len(), chosen.len());
                prop_assert!(!chosen.is_empty());
                prop_assert!(asked.is_empty() || chosen.iter().all(|c| asked.contains(&c.bill_number)));
                prop_assert_eq!(BillList::sum(&chosen).get(), chosen.iter().map(|c| c.amount.get()).sum::<u64>());
                match selection {
                    BillSelection::Single => prop_assert_eq!(chosen.len(), 1),
                    BillSelection::All => prop_assert_eq!(chosen.len(), list.items.len()),
                    BillSelection::Multiple => {}
                }
            }
        }
    }
}
