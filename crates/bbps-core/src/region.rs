//! India's states and union territories, and the PIN codes that place a customer in them, so that a biller list
//! can be narrowed by where the customer is ([`crate::Coverage`] says where a biller serves).
//!
//! A PIN code is placed by its first three digits (India Post's sorting district), which name one state or
//! union territory, or a few where a district straddles a border (see [`Pincode::states`]). There is no
//! city-level PIN data here, so a city biller is matched by its state.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A six-digit Indian PIN code (Postal Index Number).
///
/// The first digit is 1 to 9: India Post numbers no PIN from 0. PINs from 9 (the Army Postal Service's field
/// post offices) are accepted, since a soldier paying a bill has one, but they place the customer nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[1-9][0-9]{5}$"))]
#[serde(try_from = "String", into = "String")]
pub struct Pincode(u32);

/// Why a text is not a PIN code. Checked in this order: empty, a character other than a digit, the count of
/// digits, a leading 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PincodeError {
    #[error("enter a PIN code")]
    Empty,
    #[error("a PIN code has only digits")]
    NotDigits,
    #[error("a PIN code has 6 digits")]
    WrongLength,
    #[error("no PIN code starts with 0")]
    LeadingZero,
}

impl Pincode {
    /// Parses what a person types: six digits, with spaces around them, and one space after the third digit
    /// allowed because India Post prints PINs as `110 001`. Nothing else: `110-001` or `1 1 0 0 0 1` is more
    /// likely a mistake than a PIN.
    pub fn parse(input: &str) -> Result<Pincode, PincodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(PincodeError::Empty);
        }
        let mut value = 0u32;
        let mut digits = 0usize;
        for (i, c) in s.char_indices() {
            match c.to_digit(10) {
                Some(d) => {
                    digits += 1;
                    // Past six digits the length check fails anyway; stopping here keeps `value` from overflowing.
                    if digits <= 6 {
                        value = value * 10 + d;
                    }
                }
                None if c == ' ' && i == 3 && digits == 3 => {}
                None => return Err(PincodeError::NotDigits),
            }
        }
        if digits != 6 {
            return Err(PincodeError::WrongLength);
        }
        if value < 100_000 {
            return Err(PincodeError::LeadingZero);
        }
        Ok(Pincode(value))
    }

    /// The first three digits: India Post's sorting district, which places the PIN in a state.
    pub fn prefix(&self) -> u16 {
        // Below 1_000_000, so the quotient is below 1_000.
        (self.0 / 1_000) as u16
    }

    /// The states and union territories this PIN may be in: usually one, two where the PIN's sorting district
    /// straddles a border (160 is Chandigarh's and Punjab's), none for a prefix India Post does not use or for
    /// the Army Postal Service's 9.
    pub fn states(&self) -> impl Iterator<Item = State> + use<> {
        let prefix = self.prefix();
        State::ALL
            .iter()
            .copied()
            .filter(move |state| state.facts().pins.iter().any(|&(first, last)| (first..=last).contains(&prefix)))
    }
}

impl fmt::Display for Pincode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Pincode {
    type Err = PincodeError;
    fn from_str(s: &str) -> Result<Pincode, PincodeError> {
        Pincode::parse(s)
    }
}

impl TryFrom<String> for Pincode {
    type Error = PincodeError;
    fn try_from(s: String) -> Result<Pincode, PincodeError> {
        Pincode::parse(&s)
    }
}

impl From<Pincode> for String {
    fn from(pin: Pincode) -> String {
        pin.to_string()
    }
}

crate::wire_enum! {
    /// A state or union territory of India, on the wire by its ISO 3166-2:IN code without `IN-` (`MH`), the codes
    /// the biller model and the widget's state names already use.
    ///
    /// The three-letter codes of BBPS coverage strings ([`State::bbps_code`]) have no public list. These were seen
    /// in `billerCoverage` values of public BBPS samples: ANP, ASM, CHH, DEL, GOA, GUJ, HAR, HIP, KAR, KER, MAH,
    /// MAP, ODI, PUN, RAJ, TEL, TND, UTP, UTT, WBL. These were seen only as the state part of BBPS biller ids
    /// (`SBPDCL000BHI01`), which carry the same code: ANI, ARP, BHI, CHA, DNH, JAK, JHA, LAK, MEG, MIZ, NAG, PUD,
    /// SIK, TRI. These are derived, in the same style, from nothing seen: LAD (Ladakh), MAN (Manipur). Since any
    /// of them may be wrong, [`State::lookup`] also reads the ISO code and the English name.
    pub enum State {
        AndamanAndNicobarIslands = "AN",
        AndhraPradesh = "AP",
        ArunachalPradesh = "AR",
        Assam = "AS",
        Bihar = "BR",
        Chandigarh = "CH",
        Chhattisgarh = "CG",
        DadraAndNagarHaveliAndDamanAndDiu = "DH",
        Delhi = "DL",
        Goa = "GA",
        Gujarat = "GJ",
        Haryana = "HR",
        HimachalPradesh = "HP",
        JammuAndKashmir = "JK",
        Jharkhand = "JH",
        Karnataka = "KA",
        Kerala = "KL",
        Ladakh = "LA",
        Lakshadweep = "LD",
        MadhyaPradesh = "MP",
        Maharashtra = "MH",
        Manipur = "MN",
        Meghalaya = "ML",
        Mizoram = "MZ",
        Nagaland = "NL",
        Odisha = "OD",
        Puducherry = "PY",
        Punjab = "PB",
        Rajasthan = "RJ",
        Sikkim = "SK",
        TamilNadu = "TN",
        Telangana = "TG",
        Tripura = "TR",
        UttarPradesh = "UP",
        Uttarakhand = "UK",
        WestBengal = "WB",
    }
}

/// What is known of a state, in one place per state.
struct Facts {
    name: &'static str,
    bbps: &'static str,
    /// Other names and former ISO codes that still turn up in data.
    aliases: &'static [&'static str],
    /// The first three digits of its PIN codes, as inclusive ranges in ascending order.
    pins: &'static [(u16, u16)],
}

const fn known(
    name: &'static str,
    bbps: &'static str,
    aliases: &'static [&'static str],
    pins: &'static [(u16, u16)],
) -> Facts {
    Facts { name, bbps, aliases, pins }
}

impl State {
    /// The English name, e.g. `Tamil Nadu`.
    pub fn name(self) -> &'static str {
        self.facts().name
    }

    /// The ISO 3166-2:IN subdivision code without `IN-`, e.g. `TN`: the wire name.
    pub fn iso_code(self) -> &'static str {
        self.as_str()
    }

    /// The three letters BBPS coverage strings use, e.g. `TND` in `IND-TND-Madurai`.
    pub fn bbps_code(self) -> &'static str {
        self.facts().bbps
    }

    /// Reads a state from its BBPS code, ISO code or English name, in any case, with `&` for `and` and `_` for a
    /// space allowed in a name; also a few older names (`Orissa`, `Pondicherry`) and ISO codes (`OR`, `TS`).
    pub fn lookup(text: &str) -> Option<State> {
        let wanted = normalise(text);
        State::ALL.iter().copied().find(|state| state.spellings().any(|s| normalise(s) == wanted))
    }

    /// Every text [`State::lookup`] reads as this state.
    fn spellings(self) -> impl Iterator<Item = &'static str> {
        let facts = self.facts();
        [self.as_str(), facts.bbps, facts.name].into_iter().chain(facts.aliases.iter().copied())
    }

    // PIN prefixes: the circle table of Wikipedia's "Postal Index Number" (11 Delhi, 12-13 Haryana, ..., 79 the
    // north-east, 80-85 Bihar and Jharkhand), narrowed to the prefixes in use by India Post's All India Pincode
    // Directory (data.gov.in), in a snapshot from before 2014 and one of 2025-10-03. A prefix is shared where that
    // directory has offices of both states under it; single offices filed under a far-away state were left out as
    // clerical slips. Telangana is 500-509 (the Andhra Pradesh circle before 2014), Ladakh is 194.
    const fn facts(self) -> Facts {
        match self {
            State::AndamanAndNicobarIslands => {
                known("Andaman and Nicobar Islands", "ANI", &["Andaman and Nicobar"], &[(744, 744)])
            }
            State::AndhraPradesh => known("Andhra Pradesh", "ANP", &[], &[(515, 518), (520, 524), (530, 535)]),
            State::ArunachalPradesh => known("Arunachal Pradesh", "ARP", &[], &[(790, 792)]),
            State::Assam => known("Assam", "ASM", &[], &[(781, 788)]),
            State::Bihar => {
                known("Bihar", "BHI", &[], &[(800, 805), (811, 814), (821, 821), (823, 824), (841, 848), (851, 855)])
            }
            State::Chandigarh => known("Chandigarh", "CHA", &[], &[(160, 160)]),
            State::Chhattisgarh => known("Chhattisgarh", "CHH", &["CT"], &[(490, 497)]),
            // Merged in 2020 from two territories, whose codes and names still turn up.
            State::DadraAndNagarHaveliAndDamanAndDiu => known(
                "Dadra and Nagar Haveli and Daman and Diu",
                "DNH",
                &["DN", "DD", "Dadra and Nagar Haveli", "Daman and Diu"],
                &[(362, 362), (396, 396)],
            ),
            State::Delhi => known("Delhi", "DEL", &["NCT of Delhi"], &[(110, 110)]),
            State::Goa => known("Goa", "GOA", &[], &[(403, 403)]),
            State::Gujarat => {
                known("Gujarat", "GUJ", &[], &[(360, 365), (370, 370), (380, 380), (382, 385), (387, 396)])
            }
            State::Haryana => known("Haryana", "HAR", &[], &[(121, 127), (131, 136)]),
            State::HimachalPradesh => known("Himachal Pradesh", "HIP", &[], &[(171, 177)]),
            State::JammuAndKashmir => known("Jammu and Kashmir", "JAK", &[], &[(180, 182), (184, 185), (190, 193)]),
            State::Jharkhand => known("Jharkhand", "JHA", &[], &[(813, 816), (822, 822), (825, 829), (831, 835)]),
            State::Karnataka => known("Karnataka", "KAR", &[], &[(560, 563), (570, 577), (580, 587), (590, 591)]),
            State::Kerala => known(
                "Kerala",
                "KER",
                &[],
                &[(670, 671), (673, 673), (676, 676), (678, 680), (682, 683), (685, 686), (688, 691), (695, 695)],
            ),
            State::Ladakh => known("Ladakh", "LAD", &[], &[(194, 194)]),
            State::Lakshadweep => known("Lakshadweep", "LAK", &[], &[(682, 682)]),
            State::MadhyaPradesh => {
                known("Madhya Pradesh", "MAP", &[], &[(450, 458), (460, 466), (470, 477), (480, 488)])
            }
            State::Maharashtra => {
                known("Maharashtra", "MAH", &[], &[(400, 402), (410, 416), (421, 425), (431, 431), (440, 445)])
            }
            State::Manipur => known("Manipur", "MAN", &[], &[(795, 795)]),
            // 781-783 reach into the Ri-Bhoi and Garo hills.
            State::Meghalaya => known("Meghalaya", "MEG", &[], &[(781, 783), (793, 794)]),
            State::Mizoram => known("Mizoram", "MIZ", &[], &[(796, 796)]),
            State::Nagaland => known("Nagaland", "NAG", &[], &[(797, 798)]),
            State::Odisha => known("Odisha", "ODI", &["OR", "Orissa"], &[(751, 770)]),
            // Puducherry, Karaikal, Mahe and Yanam lie inside Tamil Nadu, Kerala and Andhra Pradesh.
            State::Puducherry => known(
                "Puducherry",
                "PUD",
                &["Pondicherry"],
                &[(533, 533), (605, 605), (607, 607), (609, 609), (673, 673)],
            ),
            State::Punjab => known("Punjab", "PUN", &[], &[(140, 148), (151, 152), (160, 160)]),
            State::Rajasthan => {
                known("Rajasthan", "RAJ", &[], &[(301, 307), (311, 314), (321, 328), (331, 335), (341, 345)])
            }
            State::Sikkim => known("Sikkim", "SIK", &[], &[(737, 737)]),
            State::TamilNadu => known("Tamil Nadu", "TND", &[], &[(600, 614), (620, 632), (635, 639), (641, 643)]),
            // ISO has written Telangana both IN-TG and IN-TS, and so has the state itself.
            State::Telangana => known("Telangana", "TEL", &["TS"], &[(500, 509)]),
            State::Tripura => known("Tripura", "TRI", &[], &[(799, 799)]),
            State::UttarPradesh => known(
                "Uttar Pradesh",
                "UTP",
                &[],
                &[(201, 212), (221, 233), (241, 247), (250, 251), (261, 262), (271, 277), (281, 285)],
            ),
            // Carved out of Uttar Pradesh in 2000, inside its PIN circle.
            State::Uttarakhand => {
                known("Uttarakhand", "UTT", &["UT", "Uttaranchal"], &[(244, 244), (246, 249), (262, 263)])
            }
            State::WestBengal => {
                known("West Bengal", "WBL", &[], &[(700, 700), (711, 713), (721, 723), (731, 736), (741, 743)])
            }
        }
    }
}

/// Lower case, `&` as `and`, `_` as a space, runs of spaces as one.
fn normalise(text: &str) -> String {
    let lower = text.to_ascii_lowercase().replace('&', " and ").replace('_', " ");
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    fn pin(s: &str) -> Pincode {
        Pincode::parse(s).unwrap()
    }

    fn states(s: &str) -> Vec<State> {
        pin(s).states().collect()
    }

    #[test]
    fn pincode_reads_six_digits_and_the_printed_form() {
        assert_eq!(pin("110001"), Pincode(110_001));
        assert_eq!(pin("  560001 "), Pincode(560_001));
        assert_eq!(pin("110 001"), Pincode(110_001));
        assert_eq!(pin("110 001").to_string(), "110001");
        assert_eq!(pin("999999"), Pincode(999_999));
        assert_eq!("400001".parse::<Pincode>(), Ok(Pincode(400_001)));
    }

    #[test]
    fn pincode_rejects_with_the_exact_error() {
        use PincodeError::*;
        for (input, error) in [
            ("", Empty),
            ("   ", Empty),
            ("11000A", NotDigits),
            ("ABCDEF", NotDigits),
            ("110-001", NotDigits),
            ("11 0001", NotDigits),
            ("110  001", NotDigits),
            ("1 1 0 0 0 1", NotDigits),
            ("١١٠٠٠١", NotDigits),
            ("11000", WrongLength),
            ("1100011", WrongLength),
            ("110 0011", WrongLength),
            ("12345678901234567890", WrongLength),
            ("012345", LeadingZero),
            ("000000", LeadingZero),
            ("01234", WrongLength),
        ] {
            assert_eq!(Pincode::parse(input), Err(error), "{input:?}");
        }
        assert_eq!(WrongLength.to_string(), "a PIN code has 6 digits");
    }

    #[test]
    fn pincode_is_a_string_in_json() {
        assert_eq!(serde_json::to_string(&pin("682001")).unwrap(), r#""682001""#);
        assert_eq!(serde_json::from_str::<Pincode>(r#""682001""#).unwrap(), pin("682001"));
        assert!(serde_json::from_str::<Pincode>(r#""082001""#).is_err());
        assert!(serde_json::from_str::<Pincode>("682001").is_err());
    }

    proptest! {
        #[test]
        fn every_six_digit_pin_parses_and_round_trips(s in "[1-9][0-9]{5}") {
            let pin = Pincode::parse(&s).unwrap();
            prop_assert_eq!(pin.to_string(), s.clone());
            let json = serde_json::to_string(&pin).unwrap();
            prop_assert_eq!(&json, &format!("\"{s}\""));
            prop_assert_eq!(serde_json::from_str::<Pincode>(&json).unwrap(), pin);
            prop_assert_eq!(pin.prefix().to_string(), s[..3].to_owned());
        }
    }

    #[test]
    fn no_two_states_share_a_code_or_name() {
        assert_eq!(State::ALL.len(), 36);
        let mut owner: HashMap<String, State> = HashMap::new();
        for &state in State::ALL {
            assert!(state.iso_code().len() == 2 && state.iso_code().bytes().all(|b| b.is_ascii_uppercase()));
            assert!(state.bbps_code().len() == 3 && state.bbps_code().bytes().all(|b| b.is_ascii_uppercase()));
            for spelling in state.spellings() {
                if let Some(other) = owner.insert(normalise(spelling), state) {
                    assert_eq!(other, state, "{spelling:?} names both {other:?} and {state:?}");
                }
                assert_eq!(State::lookup(spelling), Some(state), "{spelling:?}");
            }
        }
    }

    #[test]
    fn state_lookup_reads_codes_and_names_in_any_case() {
        assert_eq!(State::lookup("MAH"), Some(State::Maharashtra));
        assert_eq!(State::lookup("map"), Some(State::MadhyaPradesh));
        assert_eq!(State::lookup("ANP"), Some(State::AndhraPradesh));
        assert_eq!(State::lookup("ANI"), Some(State::AndamanAndNicobarIslands));
        assert_eq!(State::lookup("an"), Some(State::AndamanAndNicobarIslands));
        assert_eq!(State::lookup("ap"), Some(State::AndhraPradesh));
        assert_eq!(State::lookup("tg"), Some(State::Telangana));
        assert_eq!(State::lookup("TS"), Some(State::Telangana));
        assert_eq!(State::lookup("  tamil   NADU "), Some(State::TamilNadu));
        assert_eq!(State::lookup("Tamil_Nadu"), Some(State::TamilNadu));
        assert_eq!(State::lookup("Jammu & Kashmir"), Some(State::JammuAndKashmir));
        assert_eq!(State::lookup("Orissa"), Some(State::Odisha));
        assert_eq!(State::lookup("Daman and Diu"), Some(State::DadraAndNagarHaveliAndDamanAndDiu));
        assert_eq!(State::lookup(""), None);
        assert_eq!(State::lookup("NA"), None);
        assert_eq!(State::lookup("IND"), None);
        assert_eq!(State::lookup("Andhra"), None);
    }

    #[test]
    fn state_is_its_iso_code_on_the_wire() {
        for &state in State::ALL {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.iso_code()));
            assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
        }
        assert_eq!(State::Telangana.name(), "Telangana");
        assert_eq!(State::Telangana.bbps_code(), "TEL");
        assert!(serde_json::from_str::<State>(r#""MAH""#).is_err());
    }

    #[test]
    fn well_known_pins_lie_in_their_states() {
        use State::*;
        for (pin, state) in [
            ("110001", Delhi),
            ("400001", Maharashtra),
            ("560001", Karnataka),
            ("500001", Telangana),
            ("600001", TamilNadu),
            ("700001", WestBengal),
            ("403001", Goa),
            ("160017", Chandigarh),
            ("682001", Kerala),
            ("781001", Assam),
            ("302001", Rajasthan),
            ("380001", Gujarat),
            ("226001", UttarPradesh),
            ("248001", Uttarakhand),
            ("834001", Jharkhand),
            ("800001", Bihar),
            ("751001", Odisha),
            ("190001", JammuAndKashmir),
            ("194101", Ladakh),
            ("737101", Sikkim),
            ("744101", AndamanAndNicobarIslands),
            ("605001", Puducherry),
            ("795001", Manipur),
            ("452001", MadhyaPradesh),
            ("492001", Chhattisgarh),
            ("520001", AndhraPradesh),
            ("171001", HimachalPradesh),
            ("141001", Punjab),
            ("122001", Haryana),
            ("793001", Meghalaya),
            ("796001", Mizoram),
            ("797001", Nagaland),
            ("799001", Tripura),
            ("791111", ArunachalPradesh),
            ("396230", DadraAndNagarHaveliAndDamanAndDiu),
            ("682555", Lakshadweep),
        ] {
            assert!(states(pin).contains(&state), "{pin}: {:?}", states(pin));
        }
        // One state where the prefix is not shared.
        assert_eq!(states("110001"), [Delhi]);
        assert_eq!(states("400001"), [Maharashtra]);
        assert_eq!(states("500001"), [Telangana]);
        assert_eq!(states("403001"), [Goa]);
        assert_eq!(states("248001"), [Uttarakhand]);
        assert_eq!(states("834001"), [Jharkhand]);
        assert_eq!(states("226001"), [UttarPradesh]);
    }

    #[test]
    fn shared_prefixes_give_every_state() {
        use State::*;
        assert_eq!(states("160017"), [Chandigarh, Punjab]);
        assert_eq!(states("396210"), [DadraAndNagarHaveliAndDamanAndDiu, Gujarat]);
        assert_eq!(states("362520"), [DadraAndNagarHaveliAndDamanAndDiu, Gujarat]);
        assert_eq!(states("605001"), [Puducherry, TamilNadu]);
        assert_eq!(states("533464"), [AndhraPradesh, Puducherry]);
        assert_eq!(states("673310"), [Kerala, Puducherry]);
        assert_eq!(states("682001"), [Kerala, Lakshadweep]);
        assert_eq!(states("247667"), [UttarPradesh, Uttarakhand]);
        assert_eq!(states("814112"), [Bihar, Jharkhand]);
        assert_eq!(states("783123"), [Assam, Meghalaya]);
    }

    #[test]
    fn unused_prefixes_give_no_state() {
        for unused in [
            "100001", "109999", "137001", "186001", "199999", "290001", "350001", "510001", "650001", "899999",
            "900001", "999999",
        ] {
            assert_eq!(states(unused), [], "{unused}");
        }
    }

    #[test]
    fn pin_ranges_are_ascending_and_within_india_posts_zones() {
        for &state in State::ALL {
            let pins = state.facts().pins;
            assert!(!pins.is_empty(), "{state:?}");
            for &(first, last) in pins {
                assert!((110..=899).contains(&first) && first <= last && last <= 899, "{state:?}");
            }
            assert!(pins.windows(2).all(|w| w[0].1 + 1 < w[1].0), "{state:?}: unsorted or mergeable");
        }
    }
}
