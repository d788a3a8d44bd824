//! A fetched list of bills inside the one `BillerResponse` the schema release we validate against allows. The
//! later release lists the bills as elements of their own; until that release is the contract, the list travels as
//! `BillerResponse/Tag`s: `BILL_SELECTION_TYPE` (`SINGLE`, `MULTIPLE`, `ALL`), then for the n-th bill (from 1)
//! `BILL_<n>_NUMBER`, `BILL_<n>_AMOUNT` (paise) and, when known, `BILL_<n>_DUE_DATE` and `BILL_<n>_PERIOD`.
//! `BillerResponse@amount` is the list's total. A payment names each bill it pays in an `Amount/Tag` `PAID_BILL`.

use bbps_core::Paise;
use bbps_core::bill_list::{BillItem, BillList};
use bbps_engine::ports::BbpsError;

use super::nonsense;
use crate::codes::SelectionType;
use crate::message::Tag;
use crate::time::WireDate;

pub const SELECTION_TAG: &str = "BILL_SELECTION_TYPE";
/// The `Amount/Tag` of a payment naming a bill of the list it pays, one per bill.
pub const PAID_BILL_TAG: &str = "PAID_BILL";

const PREFIX: &str = "BILL_";
const NUMBER: &str = "NUMBER";
const AMOUNT: &str = "AMOUNT";
const DUE_DATE: &str = "DUE_DATE";
const PERIOD: &str = "PERIOD";

fn item_tag(n: usize, field: &str, value: impl Into<String>) -> Tag {
    Tag::new(format!("{PREFIX}{n}_{field}"), value)
}

/// Which bill of a list a tag describes (`BILL_3_AMOUNT` → 3), if it is one of a bill's tags.
fn item_of(name: &str) -> Option<usize> {
    let (n, field) = name.strip_prefix(PREFIX)?.split_once('_')?;
    let digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
    // `BILL_01_…` is no bill's tag, nor a number past any list's end: read as bill 0, which the list refuses.
    let index = if n.starts_with('0') { Some(0) } else { Some(n.parse().unwrap_or(0)) };
    (digits && [NUMBER, AMOUNT, DUE_DATE, PERIOD].contains(&field)).then_some(index).flatten()
}

/// Whether a `BillerResponse/Tag` belongs to a list of bills (and so is no amount option).
pub fn is_list_tag(name: &str) -> bool {
    name == SELECTION_TAG || item_of(name).is_some()
}

/// The tags that carry `list`.
pub fn list_tags(list: &BillList) -> Vec<Tag> {
    let mut tags = vec![Tag::new(SELECTION_TAG, SelectionType::from(list.selection).as_str())];
    for (i, item) in list.items.iter().enumerate() {
        let n = i + 1;
        tags.push(item_tag(n, NUMBER, &item.bill_number));
        tags.push(item_tag(n, AMOUNT, item.amount.get().to_string()));
        tags.extend(item.due_date.map(|d| item_tag(n, DUE_DATE, WireDate(d).to_string())));
        tags.extend(item.bill_period.as_ref().map(|p| item_tag(n, PERIOD, p)));
    }
    tags
}

/// The list a `BillerResponse`'s tags carry, if any. Its bills must add up to the response's `amount`.
pub fn list_of(tags: &[Tag], amount: Paise) -> Result<Option<BillList>, BbpsError> {
    let Some(selection) = tags.iter().find(|t| t.name == SELECTION_TAG) else {
        if let Some(stray) = tags.iter().find(|t| is_list_tag(&t.name)) {
            return Err(nonsense(format!("{:?} without {SELECTION_TAG}", stray.name)));
        }
        return Ok(None);
    };
    let mut names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).filter(|n| is_list_tag(n)).collect();
    names.sort_unstable();
    if let Some(twice) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(nonsense(format!("{:?} is in the list of bills twice", twice[0])));
    }
    let selection = SelectionType::parse(&selection.value)
        .map_err(|_| nonsense(format!("{SELECTION_TAG} {:?} is not SINGLE, MULTIPLE or ALL", selection.value)))?;
    let field = |n: usize, f: &str| {
        let name = format!("{PREFIX}{n}_{f}");
        tags.iter().find(|t| t.name == name).map(|t| (name, t.value.as_str()))
    };
    let mut items = Vec::new();
    while let Some((_, number)) = field(items.len() + 1, NUMBER) {
        let n = items.len() + 1;
        let (name, amount) = field(n, AMOUNT).ok_or_else(|| nonsense(format!("bill {n} of the list has no amount")))?;
        let amount = amount
            .parse::<u64>()
            .ok()
            .and_then(Paise::new)
            .ok_or_else(|| nonsense(format!("{name} is {amount:?}, not paise")))?;
        let due_date = field(n, DUE_DATE)
            .map(|(name, v)| {
                bbps_core::clock::parse_date(v).ok_or_else(|| nonsense(format!("{name} {v:?} is not a date")))
            })
            .transpose()?;
        let bill_period = field(n, PERIOD).map(|(_, v)| v.to_owned());
        items.push(BillItem { bill_number: number.to_owned(), amount, due_date, bill_period });
    }
    let list = BillList::new(selection.into(), items).map_err(|e| nonsense(format!("the list of bills: {e}")))?;
    if let Some(stray) = tags.iter().find(|t| item_of(&t.name).is_some_and(|n| n == 0 || n > list.items.len())) {
        return Err(nonsense(format!(
            "{:?} is not a bill of the list (the numbers run from 1 without gaps)",
            stray.name
        )));
    }
    if list.total() != amount {
        return Err(nonsense(format!("the listed bills add up to {}, the bill says {amount}", list.total())));
    }
    Ok(Some(list))
}

/// The `Amount/Tag`s naming the bills a payment pays.
pub fn paid_tags(bills: &[String]) -> impl Iterator<Item = Tag> + '_ {
    bills.iter().map(|b| Tag::new(PAID_BILL_TAG, b))
}

/// The bills an `Amount`'s tags name as paid.
pub fn paid_of(tags: &[Tag]) -> Vec<String> {
    tags.iter().filter(|t| t.name == PAID_BILL_TAG).map(|t| t.value.clone()).collect()
}

#[cfg(test)]
mod tests {
    use bbps_core::api::{AmountOption, Bill};
    use bbps_core::bill_list::{BillItem, BillList, BillSelection};
    use bbps_core::{AmountRule, Paise};
    use bbps_engine::ports::BbpsError;

    use super::{PAID_BILL_TAG, SELECTION_TAG, is_list_tag, paid_of, paid_tags};
    use crate::map::bill::{bill_of, biller_response_of};
    use crate::message::{BillerResponse, Tag};

    fn p(n: u64) -> Paise {
        Paise::new(n).unwrap()
    }

    fn item(number: &str, amount: u64) -> BillItem {
        BillItem { bill_number: number.into(), amount: p(amount), due_date: None, bill_period: None }
    }

    /// Three statements of a card, the first two with their due dates and periods, the third with neither.
    fn listed(selection: BillSelection) -> Bill {
        let items = vec![
            BillItem {
                due_date: Some(time::macros::date!(2026 - 01 - 20)),
                bill_period: Some("December 2025".into()),
                ..item("STMT-2025-12", 120_050)
            },
            BillItem {
                due_date: Some(time::macros::date!(2026 - 02 - 20)),
                bill_period: Some("January 2026".into()),
                ..item("STMT-2026-01", 150_000)
            },
            item("STMT-2026-02", 90_001),
        ];
        let list = BillList::new(selection, items).unwrap();
        Bill {
            amount: list.total(),
            customer_name: Some("Priya Nair".into()),
            bill_number: Some("CARD-4321".into()),
            due_date: Some(time::macros::date!(2026 - 01 - 20)),
            list: Some(list),
            ..Bill::default()
        }
    }

    fn tag(name: &str, value: &str) -> Tag {
        Tag::new(name, value)
    }

    /// A response carrying `tags` over a bill of `amount`.
    fn response(amount: u64, tags: Vec<Tag>) -> BillerResponse {
        let (mut r, _) = biller_response_of(&Bill { amount: p(amount), ..Bill::default() });
        r.tags = tags;
        r
    }

    /// The refusal `bill_of` answers `r` with: the network's answer makes no sense.
    fn refused(r: &BillerResponse) -> String {
        match bill_of(r, None) {
            Err(BbpsError::Unavailable(detail)) => detail,
            other => panic!("expected a refusal of {:?}, got {other:?}", r.tags),
        }
    }

    #[test]
    fn a_list_of_bills_reads_back_as_written_whatever_its_selection() {
        for (selection, wire) in
            [(BillSelection::Single, "SINGLE"), (BillSelection::Multiple, "MULTIPLE"), (BillSelection::All, "ALL")]
        {
            let bill = listed(selection);
            let (r, info) = biller_response_of(&bill);
            assert_eq!(r.tags[0], tag(SELECTION_TAG, wire));
            assert_eq!(r.amount, p(360_051), "the response's amount is the list's total");
            let names: Vec<&str> = r.tags.iter().map(|t| t.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    SELECTION_TAG,
                    "BILL_1_NUMBER",
                    "BILL_1_AMOUNT",
                    "BILL_1_DUE_DATE",
                    "BILL_1_PERIOD",
                    "BILL_2_NUMBER",
                    "BILL_2_AMOUNT",
                    "BILL_2_DUE_DATE",
                    "BILL_2_PERIOD",
                    "BILL_3_NUMBER",
                    "BILL_3_AMOUNT",
                ]
            );
            assert!(r.tags.iter().any(|t| t.name == "BILL_1_DUE_DATE" && t.value == "2026-01-20"));
            assert!(r.tags.iter().any(|t| t.name == "BILL_3_AMOUNT" && t.value == "90001"), "paise");
            assert_eq!(bill_of(&r, info.as_ref()).unwrap(), bill, "{selection:?}");
        }
    }

    #[test]
    fn a_list_keeps_its_expiry_refuses_a_rule_and_a_single_bill_has_no_list_tags() {
        let bill = Bill {
            valid_until: bbps_core::Timestamp::parse("2026-01-21T00:00:00+05:30"),
            ..listed(BillSelection::Multiple)
        };
        let (r, _) = biller_response_of(&bill);
        assert_eq!(bill_of(&r, None).unwrap(), bill);
        // Each listed bill is paid in full: a range or step for the amount has no meaning beside a list.
        let ruled = Bill { amount_rule: AmountRule { min: Some(p(100)), max: None, multiple: None }, ..bill.clone() };
        assert!(refused(&biller_response_of(&ruled).0).contains("a list of bills with an amount rule"));
        let single =
            Bill { list: None, amount_options: vec![AmountOption { name: "Early".into(), amount: p(1) }], ..bill };
        let (r, _) = biller_response_of(&single);
        assert!(!r.tags.iter().any(|t| is_list_tag(&t.name)), "{:?}", r.tags);
        assert_eq!(bill_of(&r, None).unwrap(), single);
    }

    #[test]
    fn list_tags_are_told_from_amount_options() {
        for name in [SELECTION_TAG, "BILL_1_NUMBER", "BILL_12_AMOUNT", "BILL_2_DUE_DATE", "BILL_3_PERIOD"] {
            assert!(is_list_tag(name), "{name}");
        }
        for name in ["BILL_EXPIRY", "BILL_1_NAME", "BILL__NUMBER", "BILL_X_AMOUNT", "Early Payment Amount", "BILL_1"] {
            assert!(!is_list_tag(name), "{name}");
        }
    }

    #[test]
    fn a_list_whose_bills_do_not_add_up_to_the_amount_is_refused() {
        let (mut r, _) = biller_response_of(&listed(BillSelection::Multiple));
        r.amount = p(360_050);
        let e = refused(&r);
        assert!(e.contains("add up to"), "{e}");
        // One bill's amount changed, the total not.
        let (mut r, _) = biller_response_of(&listed(BillSelection::Multiple));
        r.tags.iter_mut().find(|t| t.name == "BILL_2_AMOUNT").unwrap().value = "150001".into();
        assert!(refused(&r).contains("add up to"));
    }

    #[test]
    fn a_gap_in_the_numbering_of_the_bills_is_refused() {
        let tags = |second: u32| {
            vec![
                tag(SELECTION_TAG, "MULTIPLE"),
                tag("BILL_1_NUMBER", "A"),
                tag("BILL_1_AMOUNT", "100"),
                tag(&format!("BILL_{second}_NUMBER"), "B"),
                tag(&format!("BILL_{second}_AMOUNT"), "200"),
            ]
        };
        assert!(bill_of(&response(300, tags(2)), None).is_ok(), "numbered from 1 without gaps");
        for second in [3, 0] {
            let e = refused(&response(300, tags(second)));
            assert!(e.contains(&format!("BILL_{second}_NUMBER")) && e.contains("without gaps"), "{e}");
        }
        // A stray field of a bill the list does not have.
        let mut stray = tags(2);
        stray.push(tag("BILL_3_PERIOD", "March 2026"));
        assert!(refused(&response(300, stray)).contains("BILL_3_PERIOD"));
        // A list that does not start at 1 has no bill.
        let e = refused(&response(
            300,
            vec![tag(SELECTION_TAG, "ALL"), tag("BILL_2_NUMBER", "B"), tag("BILL_2_AMOUNT", "300")],
        ));
        assert!(e.contains("without a bill"), "{e}");
    }

    #[test]
    fn a_bill_of_a_list_without_the_selection_type_is_refused() {
        let e = refused(&response(100, vec![tag("BILL_1_NUMBER", "A"), tag("BILL_1_AMOUNT", "100")]));
        assert!(e.contains("\"BILL_1_NUMBER\" without BILL_SELECTION_TYPE"), "{e}");
        let e = refused(&response(100, vec![tag("BILL_1_PERIOD", "May")]));
        assert!(e.contains(SELECTION_TAG), "{e}");
    }

    #[test]
    fn an_unknown_selection_type_is_refused() {
        for value in ["ANY", "single", "", "SINGLE "] {
            let (mut r, _) = biller_response_of(&listed(BillSelection::Single));
            r.tags[0].value = value.into();
            let e = refused(&r);
            assert!(e.contains("is not SINGLE, MULTIPLE or ALL"), "{value:?}: {e}");
        }
    }

    #[test]
    fn a_bill_number_listed_twice_is_refused() {
        let (mut r, _) = biller_response_of(&listed(BillSelection::Multiple));
        r.tags.iter_mut().find(|t| t.name == "BILL_3_NUMBER").unwrap().value = "STMT-2025-12".into();
        let e = refused(&r);
        assert!(e.contains("names bill \"STMT-2025-12\" twice"), "{e}");
    }

    #[test]
    fn a_tag_of_the_list_given_twice_or_numbered_with_a_leading_zero_is_refused() {
        let (mut twice, _) = biller_response_of(&listed(BillSelection::Multiple));
        twice.tags.push(tag("BILL_1_AMOUNT", "1"));
        assert!(refused(&twice).contains("\"BILL_1_AMOUNT\" is in the list of bills twice"));
        let (mut padded, _) = biller_response_of(&listed(BillSelection::Multiple));
        padded.tags.push(tag("BILL_01_PERIOD", "May 2026"));
        assert!(refused(&padded).contains("BILL_01_PERIOD"));
    }

    #[test]
    fn a_list_with_amount_options_is_refused() {
        let (mut r, _) = biller_response_of(&listed(BillSelection::Multiple));
        r.tags.push(tag("Early Payment Amount", "350000"));
        let e = refused(&r);
        assert!(e.contains("a list of bills with amount options"), "{e}");
    }

    #[test]
    fn a_bill_of_the_list_without_a_number_or_with_an_unreadable_field_is_refused() {
        let base = |extra: Vec<Tag>| {
            let mut tags = vec![tag(SELECTION_TAG, "SINGLE"), tag("BILL_1_NUMBER", "A")];
            tags.extend(extra);
            response(100, tags)
        };
        assert!(refused(&base(vec![])).contains("bill 1 of the list has no amount"));
        for amount in ["-1", "1.00", "x", ""] {
            assert!(refused(&base(vec![tag("BILL_1_AMOUNT", amount)])).contains("not paise"), "{amount}");
        }
        let e = refused(&base(vec![tag("BILL_1_AMOUNT", "0")]));
        assert!(e.contains("bill \"A\" has no amount"), "{e}");
        let e = refused(&base(vec![tag("BILL_1_AMOUNT", "100"), tag("BILL_1_DUE_DATE", "20/01/2026")]));
        assert!(e.contains("is not a date"), "{e}");
        // An amount without its number: no bill 1.
        let e = refused(&response(100, vec![tag(SELECTION_TAG, "SINGLE"), tag("BILL_1_AMOUNT", "100")]));
        assert!(e.contains("without a bill"), "{e}");
    }

    #[test]
    fn the_bills_paid_are_named_one_tag_each_in_order() {
        let bills = vec!["STMT-2026-01".to_owned(), "STMT-2025-12".to_owned()];
        let tags: Vec<Tag> = paid_tags(&bills).collect();
        assert_eq!(tags, [tag(PAID_BILL_TAG, "STMT-2026-01"), tag(PAID_BILL_TAG, "STMT-2025-12")]);
        let mut amount_tags = vec![tag("CCF1_CHARGES", "500"), tag("CCF1_GST", "90")];
        amount_tags.extend(tags);
        assert_eq!(paid_of(&amount_tags), bills);
        assert!(paid_of(&amount_tags[..2]).is_empty());
    }
}
