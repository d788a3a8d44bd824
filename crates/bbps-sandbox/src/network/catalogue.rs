//! The curated sandbox catalogue: about two hundred billers with realistic Indian names across every BBPS
//! category, each category with the param rules, fetch requirement, exactness, fees and limits typical of it.
//! Within a category, billers vary deterministically by position (some fetch-optional, some with validation,
//! some with a fee table, some with tighter mobile limits), so every combination the widget must handle exists.

use bbps_core::biller::{ChannelLimit, ModeLimit, ParamGroup, PaymentMode};
use bbps_core::fee::{CCF_CODE, FeeDirection, FeeEntry, FeeSlab};
use bbps_core::plan::PlanRequirement;
use bbps_core::region::State;
use bbps_core::{
    Availability, Biller, BillerId, Channel, Coverage, CustomerParam, DataType, Exactness, FeeTable, FetchRequirement,
    Paise, Pause, Timestamp,
};

use super::ids::IdAllocator;

/// A customer param of a category template.
pub(super) struct P {
    pub name: &'static str,
    pub numeric: bool,
    pub optional: bool,
    pub min: Option<u16>,
    pub max: Option<u16>,
    pub regex: Option<&'static str>,
    pub values: &'static [&'static str],
    pub hint: &'static str,
}

const fn num(name: &'static str, min: u16, max: u16, regex: &'static str, hint: &'static str) -> P {
    P { name, numeric: true, optional: false, min: Some(min), max: Some(max), regex: Some(regex), values: &[], hint }
}

const fn alnum(name: &'static str, min: u16, max: u16, regex: &'static str, hint: &'static str) -> P {
    P { name, numeric: false, optional: false, min: Some(min), max: Some(max), regex: Some(regex), values: &[], hint }
}

const fn choice(name: &'static str, values: &'static [&'static str]) -> P {
    P { name, numeric: false, optional: false, min: None, max: None, regex: None, values, hint: "" }
}

const fn optional(p: P) -> P {
    P { optional: true, ..p }
}

const MOBILE: P = num("Registered Mobile Number", 10, 10, "[6-9][0-9]{9}", "9876543210");

/// What every biller of a category shares.
pub(super) struct Template {
    pub category: &'static str,
    pub params: &'static [P],
    /// "Enter A or B" groups, by param name.
    pub groups: &'static [&'static [&'static str]],
    pub fetch: FetchRequirement,
    /// Every n-th biller (1-based position % n == 0) takes `alt_fetch` instead.
    pub alt_fetch: Option<(usize, FetchRequirement)>,
    pub exactness: Option<Exactness>,
    pub adhoc: bool,
    /// Every n-th biller supports validation (0: none).
    pub validation_every: usize,
    /// Every n-th biller has a convenience-fee table (0: none).
    pub fee_every: usize,
    pub max_rupees: u64,
    pub info: &'static [&'static str],
}

/// `(name, alias, coverage)`; coverage is `IN` (national), a state code (`MH`) or `state:City`.
pub(super) type Entry = (&'static str, &'static str, &'static str);

pub(super) const TEMPLATES: &[(Template, &[Entry])] = &[
    (
        Template {
            category: "Broadband Postpaid",
            params: &[num("Account Number", 6, 12, "[0-9]{6,12}", "1002345678")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: Some((3, FetchRequirement::Optional)),
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 3,
            fee_every: 0,
            max_rupees: 100_000,
            info: &["Plan Name", "Data Used"],
        },
        &[
            ("ACT Fibernet", "Atria Convergence", "IN"),
            ("Airtel Broadband", "Airtel Xstream Fiber", "IN"),
            ("Hathway Broadband", "", "IN"),
            ("Tata Play Fiber", "", "IN"),
            ("Excitel Broadband", "", "IN"),
            ("Spectra Broadband", "", "IN"),
            ("BSNL Bharat Fiber", "BSNL FTTH", "IN"),
            ("Alliance Broadband", "", "WB:Kolkata"),
            ("Asianet Broadband", "", "KL"),
        ],
    ),
    (
        Template {
            category: "Cable TV",
            params: &[alnum("Subscriber ID", 6, 16, "[A-Z0-9]{6,16}", "VC10234567")],
            groups: &[],
            fetch: FetchRequirement::Optional,
            alt_fetch: Some((2, FetchRequirement::Mandatory)),
            exactness: None,
            adhoc: true,
            validation_every: 2,
            fee_every: 0,
            max_rupees: 50_000,
            info: &["Package"],
        },
        &[
            ("Hathway Digital Cable", "", "IN"),
            ("DEN Networks", "", "IN"),
            ("GTPL Hathway", "GTPL", "GJ"),
            ("Asianet Digital Network", "", "KL"),
            ("SITI Networks", "Siti Cable", "IN"),
            ("NXT Digital", "InCable", "IN"),
            ("Kerala Vision Digital TV", "", "KL"),
        ],
    ),
    (
        Template {
            category: "Clubs and Associations",
            params: &[alnum("Membership Number", 4, 12, "[A-Z0-9]{4,12}", "BG1234")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 200_000,
            info: &["Subscription Period"],
        },
        &[
            ("The Bombay Gymkhana", "", "MH:Mumbai"),
            ("Delhi Gymkhana Club", "", "DL:New Delhi"),
            ("Calcutta Cricket and Football Club", "CC&FC", "WB:Kolkata"),
            ("Bangalore Club", "", "KA:Bengaluru"),
            ("Madras Boat Club", "", "TN:Chennai"),
            ("Poona Club", "", "MH:Pune"),
        ],
    ),
    (
        Template {
            category: "Credit Card",
            params: &[MOBILE, num("Last 4 Digits of Card", 4, 4, "[0-9]{4}", "4321")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: None,
            adhoc: false,
            validation_every: 0,
            fee_every: 3,
            max_rupees: 500_000,
            info: &["Minimum Amount Due", "Statement Date"],
        },
        &[
            ("HDFC Bank Credit Card", "", "IN"),
            ("ICICI Bank Credit Card", "", "IN"),
            ("SBI Card", "SBI Credit Card", "IN"),
            ("Axis Bank Credit Card", "", "IN"),
            ("Kotak Mahindra Bank Credit Card", "Kotak Credit Card", "IN"),
            ("IDFC FIRST Bank Credit Card", "", "IN"),
            ("AU Small Finance Bank Credit Card", "", "IN"),
            ("RBL Bank Credit Card", "", "IN"),
            ("IndusInd Bank Credit Card", "", "IN"),
            ("Bank of Baroda Credit Card", "BOBCARD", "IN"),
        ],
    ),
    (
        Template {
            category: "Donation",
            params: &[
                P { name: "Donor Mobile Number", ..MOBILE },
                choice("Donation Purpose", &["General Donation", "Annadanam", "Education Fund", "Building Fund"]),
                optional(alnum("PAN for 80G Receipt", 10, 10, "[A-Z]{5}[0-9]{4}[A-Z]", "ABCDE1234F")),
            ],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 100_000,
            info: &[],
        },
        &[
            ("Shree Siddhivinayak Ganapati Temple Trust", "Siddhivinayak Mandir", "MH:Mumbai"),
            ("Tirumala Tirupati Devasthanams", "TTD", "AP"),
            ("The Akshaya Patra Foundation", "Akshaya Patra", "IN"),
            ("Child Rights and You", "CRY", "IN"),
            ("HelpAge India", "", "IN"),
            ("Shri Saibaba Sansthan Trust Shirdi", "Shirdi Sai", "MH"),
        ],
    ),
    (
        Template {
            category: "DTH",
            params: &[
                P { optional: true, ..num("Subscriber ID", 10, 11, "[0-9]{10,11}", "1023456789") },
                P { optional: true, ..MOBILE },
            ],
            groups: &[&["Subscriber ID", "Registered Mobile Number"]],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 1,
            fee_every: 0,
            max_rupees: 25_000,
            info: &[],
        },
        &[
            ("Tata Play", "Tata Sky", "IN"),
            ("Airtel Digital TV", "", "IN"),
            ("Dish TV", "", "IN"),
            ("d2h", "Videocon d2h", "IN"),
            ("Sun Direct", "", "IN"),
        ],
    ),
    (
        Template {
            category: "eChallan",
            params: &[alnum("Challan Number", 14, 22, "[A-Z]{2}[0-9]{12,20}", "MH12345678901234")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 2,
            max_rupees: 100_000,
            info: &["Vehicle Number", "Offence"],
        },
        &[
            ("Maharashtra Traffic Police eChallan", "Mahatraffic", "MH"),
            ("Delhi Traffic Police eChallan", "", "DL"),
            ("Karnataka State Police eChallan", "", "KA"),
            ("Telangana Police eChallan", "", "TG"),
            ("Gujarat Police eChallan", "", "GJ"),
            ("Tamil Nadu Police eChallan", "", "TN"),
        ],
    ),
    (
        Template {
            category: "Education Fees",
            params: &[
                alnum("Enrollment Number", 5, 20, "[A-Z0-9]{5,20}", "ENR20241234"),
                choice("Fee Term", &["Term 1", "Term 2", "Annual"]),
            ],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 2,
            max_rupees: 500_000,
            info: &["Student Name", "Class"],
        },
        &[
            ("Delhi Public School R K Puram", "DPS RKP", "DL:New Delhi"),
            ("Amity University", "", "UP:Noida"),
            ("Lovely Professional University", "LPU", "PB"),
            ("Symbiosis International University", "", "MH:Pune"),
            ("Manipal Academy of Higher Education", "MAHE", "KA"),
            ("Kendriya Vidyalaya Sangathan", "KV", "IN"),
            ("Vellore Institute of Technology", "VIT", "TN"),
        ],
    ),
    (
        Template {
            category: "Electricity",
            params: &[num("Consumer Number", 9, 12, "[0-9]{9,12}", "100234567890")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: Some((7, FetchRequirement::Optional)),
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 7,
            fee_every: 4,
            max_rupees: 200_000,
            info: &["Units Consumed", "Tariff Category"],
        },
        &[
            ("Maharashtra State Electricity Distribution Co. Ltd", "MSEDCL Mahavitaran", "MH"),
            ("Adani Electricity Mumbai Limited", "AEML", "MH:Mumbai"),
            ("Tata Power - Mumbai", "", "MH:Mumbai"),
            ("B.E.S.T. Undertaking", "BEST Mumbai", "MH:Mumbai"),
            ("BSES Rajdhani Power Limited", "BRPL", "DL"),
            ("BSES Yamuna Power Limited", "BYPL", "DL"),
            ("Tata Power Delhi Distribution Limited", "TPDDL", "DL"),
            ("Bangalore Electricity Supply Co. Ltd", "BESCOM", "KA"),
            ("Mangalore Electricity Supply Co. Ltd", "MESCOM", "KA"),
            ("Tamil Nadu Power Distribution Corporation", "TNPDCL TNEB", "TN"),
            ("Kerala State Electricity Board", "KSEB", "KL"),
            ("Telangana Southern Power Distribution Co. Ltd", "TGSPDCL", "TG"),
            ("Andhra Pradesh Central Power Distribution Co. Ltd", "APCPDCL", "AP"),
            ("Uttar Pradesh Power Corporation Ltd (Urban)", "UPPCL", "UP"),
            ("Paschim Gujarat Vij Company Ltd", "PGVCL", "GJ"),
            ("Uttar Gujarat Vij Company Ltd", "UGVCL", "GJ"),
            ("Dakshin Gujarat Vij Company Ltd", "DGVCL", "GJ"),
            ("Madhya Gujarat Vij Company Ltd", "MGVCL", "GJ"),
            ("Torrent Power - Ahmedabad", "", "GJ:Ahmedabad"),
            ("CESC Limited", "CESC Kolkata", "WB:Kolkata"),
            ("West Bengal State Electricity Distribution Co. Ltd", "WBSEDCL", "WB"),
            ("Jaipur Vidyut Vitran Nigam Ltd", "JVVNL", "RJ"),
            ("Ajmer Vidyut Vitran Nigam Ltd", "AVVNL", "RJ"),
            ("Punjab State Power Corporation Ltd", "PSPCL", "PB"),
            ("Dakshin Haryana Bijli Vitran Nigam", "DHBVN", "HR"),
            ("Uttar Haryana Bijli Vitran Nigam", "UHBVN", "HR"),
            ("TP Central Odisha Distribution Ltd", "TPCODL", "OD"),
            ("Noida Power Company Limited", "NPCL", "UP:Greater Noida"),
            ("South Bihar Power Distribution Company Ltd", "SBPDCL", "BR"),
            ("North Bihar Power Distribution Company Ltd", "NBPDCL", "BR"),
            ("Jharkhand Bijli Vitran Nigam Ltd", "JBVNL", "JH"),
            ("MP Madhya Kshetra Vidyut Vitaran Co. Ltd - Bhopal", "MPMKVVCL", "MP"),
            ("Chhattisgarh State Power Distribution Co. Ltd", "CSPDCL", "CG"),
            ("Assam Power Distribution Company Ltd", "APDCL", "AS"),
            ("Goa Electricity Department", "", "GA"),
            ("Himachal Pradesh State Electricity Board", "HPSEB", "HP"),
            ("Uttarakhand Power Corporation Ltd", "UPCL", "UK"),
        ],
    ),
    (
        Template {
            category: "EV Recharge",
            params: &[MOBILE],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 1,
            fee_every: 0,
            max_rupees: 10_000,
            info: &[],
        },
        &[
            ("Tata Power EZ Charge", "", "IN"),
            ("Statiq EV Charging", "", "IN"),
            ("ChargeZone", "", "IN"),
            ("Jio-bp pulse", "", "IN"),
            ("Ather Grid", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Fastag",
            params: &[alnum(
                "Vehicle Registration Number",
                8,
                11,
                "[A-Z]{2}[0-9]{1,2}[A-Z]{0,3}[0-9]{4}",
                "MH12AB1234",
            )],
            groups: &[],
            fetch: FetchRequirement::Optional,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 2,
            fee_every: 0,
            max_rupees: 100_000,
            info: &["Tag Balance", "Customer Name"],
        },
        &[
            ("ICICI Bank FASTag", "", "IN"),
            ("HDFC Bank FASTag", "", "IN"),
            ("Axis Bank FASTag", "", "IN"),
            ("IDFC FIRST Bank FASTag", "", "IN"),
            ("Kotak Mahindra Bank FASTag", "", "IN"),
            ("Bank of Baroda FASTag", "", "IN"),
            ("IndusInd Bank FASTag", "", "IN"),
            ("State Bank of India FASTag", "SBI FASTag", "IN"),
        ],
    ),
    (
        Template {
            category: "Gas",
            params: &[num("Customer Account Number", 10, 12, "[0-9]{10,12}", "2100345678")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 5,
            max_rupees: 100_000,
            info: &["SCM Consumed", "Meter Reading"],
        },
        &[
            ("Mahanagar Gas Limited", "MGL", "MH:Mumbai"),
            ("Indraprastha Gas Limited", "IGL", "DL"),
            ("Adani Total Gas Limited", "", "IN"),
            ("Gujarat Gas Limited", "", "GJ"),
            ("Sabarmati Gas Limited", "", "GJ"),
            ("Maharashtra Natural Gas Limited", "MNGL", "MH:Pune"),
            ("Green Gas Limited", "", "UP:Lucknow"),
            ("Torrent Gas", "", "IN"),
            ("Haryana City Gas", "", "HR"),
            ("Bhagyanagar Gas Limited", "", "TG:Hyderabad"),
        ],
    ),
    (
        Template {
            category: "Hospital",
            params: &[alnum("UHID or Patient ID", 6, 15, "[A-Z0-9]{6,15}", "APL0012345")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndBelow),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 500_000,
            info: &["Patient Name", "Admission Date"],
        },
        &[
            ("Apollo Hospitals", "", "IN"),
            ("Fortis Healthcare", "", "IN"),
            ("Manipal Hospitals", "", "IN"),
            ("Narayana Health", "", "IN"),
            ("Kokilaben Dhirubhai Ambani Hospital", "", "MH:Mumbai"),
            ("Max Super Speciality Hospital Saket", "Max Healthcare", "DL:New Delhi"),
        ],
    ),
    (
        Template {
            category: "Hospital and Pathology",
            params: &[alnum("Booking ID", 6, 15, "[A-Z0-9]{6,15}", "LPL20241234")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 100_000,
            info: &["Tests"],
        },
        &[
            ("Dr Lal PathLabs", "", "IN"),
            ("Metropolis Healthcare", "", "IN"),
            ("Agilus Diagnostics", "SRL Diagnostics", "IN"),
            ("Thyrocare Technologies", "", "IN"),
            ("Suburban Diagnostics", "", "MH"),
        ],
    ),
    (
        Template {
            category: "Housing Society",
            params: &[
                alnum("Member ID", 4, 12, "[A-Z0-9]{4,12}", "HS0041201"),
                P { optional: true, ..choice("Wing", &["A", "B", "C", "D"]) },
            ],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: Some((3, FetchRequirement::Optional)),
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 200_000,
            info: &["Maintenance Period", "Flat Number"],
        },
        &[
            ("Lodha Palava City Residents Association", "Palava", "MH:Thane"),
            ("Hiranandani Gardens Co-operative Housing Society", "", "MH:Mumbai"),
            ("Prestige Shantiniketan Apartment Owners Association", "", "KA:Bengaluru"),
            ("DLF Phase 4 Residents Welfare Association", "", "HR:Gurugram"),
            ("Magarpatta City Township", "", "MH:Pune"),
            ("My Home Jewel Owners Welfare Association", "", "TG:Hyderabad"),
            ("Purva Riviera Apartment Owners Association", "", "KA:Bengaluru"),
        ],
    ),
    (
        Template {
            category: "Insurance",
            params: &[
                num("Policy Number", 8, 10, "[0-9]{8,10}", "512345678"),
                alnum(
                    "Date of Birth (DD/MM/YYYY)",
                    10,
                    10,
                    "(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/(19|20)[0-9]{2}",
                    "15/08/1985",
                ),
            ],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 3,
            max_rupees: 500_000,
            info: &["Policy Holder", "Premium Frequency"],
        },
        &[
            ("Life Insurance Corporation of India", "LIC", "IN"),
            ("HDFC Life Insurance", "", "IN"),
            ("ICICI Prudential Life Insurance", "", "IN"),
            ("SBI Life Insurance", "", "IN"),
            ("Axis Max Life Insurance", "Max Life", "IN"),
            ("Bajaj Allianz Life Insurance", "", "IN"),
            ("Tata AIA Life Insurance", "", "IN"),
            ("Star Health and Allied Insurance", "", "IN"),
            ("Care Health Insurance", "", "IN"),
            ("Niva Bupa Health Insurance", "", "IN"),
            ("ICICI Lombard General Insurance", "", "IN"),
            ("HDFC ERGO General Insurance", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Landline Postpaid",
            params: &[
                num("Telephone Number with STD Code", 10, 11, "0?[1-9][0-9]{9}", "02212345678"),
                optional(num("Account Number", 10, 10, "[0-9]{10}", "9012345678")),
            ],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 50_000,
            info: &["Plan Name"],
        },
        &[
            ("BSNL Landline", "", "IN"),
            ("MTNL Delhi Landline", "", "DL"),
            ("MTNL Mumbai Landline", "", "MH:Mumbai"),
            ("Airtel Landline", "", "IN"),
            ("Tata Tele Business Services Landline", "Tata Teleservices", "IN"),
        ],
    ),
    (
        Template {
            category: "Loan Repayment",
            params: &[alnum("Loan Account Number", 8, 20, "[A-Z0-9]{8,20}", "LN0012345678")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: Some((4, FetchRequirement::Optional)),
            exactness: None,
            adhoc: true,
            validation_every: 4,
            fee_every: 3,
            max_rupees: 500_000,
            info: &["EMI Amount", "EMI Due Date"],
        },
        &[
            ("Bajaj Finance Limited", "Bajaj Finserv", "IN"),
            ("HDFC Bank Retail Loans", "", "IN"),
            ("Tata Capital Limited", "", "IN"),
            ("Muthoot Finance", "", "IN"),
            ("Mahindra and Mahindra Financial Services", "Mahindra Finance", "IN"),
            ("Shriram Finance", "", "IN"),
            ("L&T Finance", "", "IN"),
            ("Hero FinCorp", "", "IN"),
            ("Aditya Birla Finance", "", "IN"),
            ("IIFL Finance", "", "IN"),
            ("Home Credit India Finance", "", "IN"),
            ("SMFG India Credit", "Fullerton India", "IN"),
        ],
    ),
    (
        Template {
            category: "LPG Gas",
            params: &[
                P { optional: true, ..num("LPG ID", 17, 17, "[0-9]{17}", "75000012345678901") },
                P { optional: true, ..MOBILE },
            ],
            groups: &[&["LPG ID", "Registered Mobile Number"]],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 10_000,
            info: &["Distributor", "Cylinder Type"],
        },
        &[
            ("Indane Gas (Indian Oil)", "Indane", "IN"),
            ("Bharatgas (BPCL)", "Bharat Gas", "IN"),
            ("HP Gas (HPCL)", "HP Gas", "IN"),
        ],
    ),
    (
        Template {
            category: "Mobile Postpaid",
            params: &[num("Mobile Number", 10, 10, "[6-9][0-9]{9}", "9876543210")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 100_000,
            info: &["Plan Name", "Bill Cycle"],
        },
        &[
            ("Airtel Postpaid", "", "IN"),
            ("Jio Postpaid", "JioPostpaid Plus", "IN"),
            ("Vi Postpaid", "Vodafone Idea", "IN"),
            ("BSNL Mobile Postpaid", "", "IN"),
            ("MTNL Dolphin Postpaid", "", "MH:Mumbai"),
        ],
    ),
    (
        Template {
            category: "Mobile Prepaid",
            params: &[num("Mobile Number", 10, 10, "[6-9][0-9]{9}", "9876543210")],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 1,
            fee_every: 0,
            max_rupees: 10_000,
            info: &[],
        },
        &[
            ("Airtel Prepaid", "", "IN"),
            ("Jio Prepaid", "", "IN"),
            ("Vi Prepaid", "Vodafone Idea", "IN"),
            ("BSNL Prepaid", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Municipal Services",
            params: &[num("Application Number", 6, 14, "[0-9]{6,14}", "2024001234")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 2,
            max_rupees: 100_000,
            info: &["Service"],
        },
        &[
            ("Greater Chennai Corporation - Trade Licence", "", "TN:Chennai"),
            ("Pune Municipal Corporation - Services", "PMC", "MH:Pune"),
            ("Surat Municipal Corporation", "SMC", "GJ:Surat"),
            ("Kalyan Dombivli Municipal Corporation", "KDMC", "MH:Thane"),
            ("Nagpur Municipal Corporation", "NMC", "MH:Nagpur"),
        ],
    ),
    (
        Template {
            category: "Municipal Taxes",
            params: &[
                alnum("Property ID", 5, 20, "[A-Z0-9]{5,20}", "PID0401234"),
                P { optional: true, ..choice("Assessment Year", &["2025-26", "2026-27"]) },
            ],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 2,
            max_rupees: 500_000,
            info: &["Owner Name", "Ward"],
        },
        &[
            ("Bruhat Bengaluru Mahanagara Palike Property Tax", "BBMP", "KA:Bengaluru"),
            ("Brihanmumbai Municipal Corporation Property Tax", "BMC MCGM", "MH:Mumbai"),
            ("Greater Hyderabad Municipal Corporation Property Tax", "GHMC", "TG:Hyderabad"),
            ("Municipal Corporation of Delhi Property Tax", "MCD", "DL"),
            ("Ahmedabad Municipal Corporation Property Tax", "AMC", "GJ:Ahmedabad"),
            ("Pune Municipal Corporation Property Tax", "PMC", "MH:Pune"),
            ("Greater Chennai Corporation Property Tax", "GCC", "TN:Chennai"),
            ("Kolkata Municipal Corporation Property Tax", "KMC", "WB:Kolkata"),
        ],
    ),
    (
        Template {
            category: "National Pension System",
            params: &[num("PRAN", 12, 12, "[0-9]{12}", "110012341234")],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 1,
            fee_every: 1,
            max_rupees: 500_000,
            info: &[],
        },
        &[("NPS Protean CRA", "NSDL CRA", "IN"), ("NPS KFintech CRA", "Karvy CRA", "IN"), ("NPS CAMS CRA", "", "IN")],
    ),
    (
        Template {
            category: "NCMC Recharge",
            params: &[num("Card Number", 16, 16, "[0-9]{16}", "6070123412341234")],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 2_000,
            info: &[],
        },
        &[
            ("Delhi Metro NCMC Card", "DMRC", "DL"),
            ("Mumbai Metro One NCMC", "", "MH:Mumbai"),
            ("Namma Metro NCMC", "BMRCL", "KA:Bengaluru"),
            ("SBI NCMC Transit Card", "", "IN"),
            ("Airtel Payments Bank NCMC", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Prepaid Meter",
            params: &[alnum("Meter Number", 6, 15, "[A-Z0-9]{6,15}", "SM00123456")],
            groups: &[],
            fetch: FetchRequirement::NotSupported,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 1,
            fee_every: 0,
            max_rupees: 50_000,
            info: &[],
        },
        &[
            ("Noida Power Smart Prepaid", "NPCL Prepaid", "UP:Greater Noida"),
            ("BSES Rajdhani Prepaid Meter", "", "DL"),
            ("Tata Power Delhi Prepaid Meter", "", "DL"),
            ("JVVNL Smart Prepaid Meter", "", "RJ"),
            ("Adani Electricity Prepaid Meter", "", "MH:Mumbai"),
        ],
    ),
    (
        Template {
            category: "Recurring Deposit",
            params: &[num("RD Account Number", 10, 16, "[0-9]{10,16}", "5012345678")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::Exact),
            adhoc: false,
            validation_every: 0,
            fee_every: 0,
            max_rupees: 100_000,
            info: &["Instalment Number"],
        },
        &[
            ("Bandhan Bank Recurring Deposit", "", "IN"),
            ("Ujjivan Small Finance Bank RD", "", "IN"),
            ("Jana Small Finance Bank RD", "", "IN"),
            ("Suryoday Small Finance Bank RD", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Rental",
            params: &[alnum("Tenant ID", 5, 15, "[A-Z0-9]{5,15}", "TEN001234")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: Some((2, FetchRequirement::Optional)),
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 2,
            fee_every: 0,
            max_rupees: 200_000,
            info: &["Property", "Rent Month"],
        },
        &[
            ("Stanza Living", "", "IN"),
            ("Zolo Stays", "", "IN"),
            ("Colive", "", "KA:Bengaluru"),
            ("Your-Space Student Housing", "", "IN"),
        ],
    ),
    (
        Template {
            category: "Subscription",
            params: &[num("Subscriber Number", 6, 12, "[0-9]{6,12}", "30012345")],
            groups: &[],
            fetch: FetchRequirement::Optional,
            alt_fetch: None,
            exactness: None,
            adhoc: true,
            validation_every: 2,
            fee_every: 0,
            max_rupees: 50_000,
            info: &["Publication"],
        },
        &[
            ("The Hindu Newspaper Subscription", "", "IN"),
            ("The Times of India Subscription", "TOI", "IN"),
            ("Hindustan Times Subscription", "", "IN"),
            ("Malayala Manorama Subscription", "", "KL"),
        ],
    ),
    (
        Template {
            category: "Water",
            params: &[num("K Number or Consumer Number", 8, 12, "[0-9]{8,12}", "3100456789")],
            groups: &[],
            fetch: FetchRequirement::Mandatory,
            alt_fetch: None,
            exactness: Some(Exactness::ExactAndAbove),
            adhoc: false,
            validation_every: 0,
            fee_every: 4,
            max_rupees: 100_000,
            info: &["Connection Type", "Meter Reading"],
        },
        &[
            ("Delhi Jal Board", "DJB", "DL"),
            ("Bangalore Water Supply and Sewerage Board", "BWSSB", "KA:Bengaluru"),
            ("Hyderabad Metropolitan Water Supply and Sewerage Board", "HMWSSB", "TG:Hyderabad"),
            ("Chennai Metropolitan Water Supply and Sewerage Board", "CMWSSB", "TN:Chennai"),
            ("Pune Municipal Corporation Water", "", "MH:Pune"),
            ("Brihanmumbai Municipal Corporation Water", "MCGM Water", "MH:Mumbai"),
            ("Kerala Water Authority", "KWA", "KL"),
            ("Uttarakhand Jal Sansthan", "", "UK"),
            ("Ahmedabad Municipal Corporation Water", "", "GJ:Ahmedabad"),
            ("Indore Municipal Corporation Water", "", "MP:Indore"),
        ],
    ),
];

pub(super) fn coverage(code: &str) -> Coverage {
    match code.split_once(':') {
        _ if code == "IN" => Coverage::National,
        Some((state, city)) => Coverage::City { state: state_of(state), city: city.to_owned() },
        None => Coverage::State { state: state_of(code) },
    }
}

/// A state of the sandbox's tables, which name each by its ISO code.
pub(super) fn state_of(iso: &str) -> State {
    State::parse(iso).unwrap_or_else(|_| unreachable!("the sandbox's tables name states by ISO code, not {iso:?}"))
}

pub(super) fn customer_params(params: &[P]) -> Vec<CustomerParam> {
    params
        .iter()
        .map(|p| CustomerParam {
            name: p.name.to_owned(),
            data_type: if p.numeric { DataType::Numeric } else { DataType::Alphanumeric },
            optional: p.optional,
            min_length: p.min,
            max_length: p.max,
            regex: p.regex.map(str::to_owned),
            values: (!p.values.is_empty()).then(|| p.values.iter().map(|v| (*v).to_owned()).collect()),
            hint: (!p.hint.is_empty()).then(|| p.hint.to_owned()),
        })
        .collect()
}

fn paise(n: u64) -> Paise {
    Paise::new(n).unwrap_or(Paise::ZERO)
}

/// A typical BBPS convenience-fee table: free below ₹500, ₹5 up to ₹2,000, then ₹10 plus 0.5 %.
pub(super) fn fee_table() -> FeeTable {
    FeeTable(vec![FeeEntry {
        code: CCF_CODE.to_owned(),
        direction: FeeDirection::C2B,
        slabs: vec![
            FeeSlab { min_amount: paise(0), max_amount: paise(49_999), flat: paise(0), percent_bps: 0 },
            FeeSlab { min_amount: paise(50_000), max_amount: paise(199_999), flat: paise(500), percent_bps: 0 },
            FeeSlab {
                min_amount: paise(200_000),
                max_amount: paise(bbps_core::money::MAX_PAISE),
                flat: paise(1_000),
                percent_bps: 50,
            },
        ],
    }])
}

/// The biller paused by its master data: from the start of today (IST) for three days (docs/sandbox.md).
pub const PAUSED: &str = "Goa Electricity Department";
/// The biller whose master data makes it effective only thirty days from today.
pub const NOT_YET_EFFECTIVE: &str = "Himachal Pradesh State Electricity Board";

/// The availability of `name`: always, but for the two billers above, whose windows are relative to today so
/// that the sandbox always shows them.
fn availability(name: &str) -> Availability {
    if name != PAUSED && name != NOT_YET_EFFECTIVE {
        return Availability::default();
    }
    let day = time::Duration::days(1);
    let today =
        Timestamp::from_offset_date_time(time::OffsetDateTime::now_utc()).next_midnight_ist().saturating_sub(day);
    if name == PAUSED {
        Availability {
            paused: Some(Pause { start: today, end: today.saturating_add(day * 3) }),
            ..Availability::default()
        }
    } else {
        Availability { from: Some(today.saturating_add(day * 30)), ..Availability::default() }
    }
}

/// The biller the network's biller status always announces down: since the last half hour, for two hours
/// (docs/sandbox.md); its master data says it is active.
pub const DOWN: &str = "Sabarmati Gas Limited";
/// The biller the simulator withdraws from its catalogue a while after it starts (`SandboxTimings::catalogue_change`),
/// so that an incremental master data pull brings a change.
pub const WITHDRAWN: &str = "Haryana City Gas";

/// Billers that take a fetched bill's payment only on the calendar day (IST) of the fetch (docs/sandbox.md).
const PAY_ON_FETCH_DAY: &[&str] = &["Adani Electricity Mumbai Limited"];

/// Whether the biller takes a fetched bill's payment only on the day of the fetch.
pub(super) fn pays_on_fetch_day(b: &Biller) -> bool {
    PAY_ON_FETCH_DAY.contains(&b.name.as_str())
}

/// Builds one biller of a template at 1-based position `n` in its category.
pub(super) fn biller(t: &Template, n: usize, name: &str, alias: &str, coverage: Coverage, id: BillerId) -> Biller {
    let every = |k: usize| k > 0 && n.is_multiple_of(k);
    let fetch_requirement = match t.alt_fetch {
        Some((k, alt)) if every(k) => alt,
        _ => t.fetch,
    };
    let max = paise(t.max_rupees * 100);
    let mut channel_limits = vec![ChannelLimit { channel: Channel::Internet, min: paise(100), max }];
    // Every fifth biller takes less from a mobile app than from the web, as some do.
    let mobile_max = if n.is_multiple_of(5) { paise((t.max_rupees * 100 / 2).max(100)) } else { max };
    channel_limits.push(ChannelLimit { channel: Channel::Mobile, min: paise(100), max: mobile_max });
    Biller {
        id,
        name: name.to_owned(),
        alias: (!alias.is_empty()).then(|| alias.to_owned()),
        category: t.category.to_owned(),
        coverage,
        fetch_requirement,
        supports_validation: every(t.validation_every) && fetch_requirement != FetchRequirement::Mandatory,
        exactness: t.exactness,
        accepts_adhoc: t.adhoc,
        mode_limits: vec![
            ModeLimit { mode: PaymentMode::Upi, min: paise(100), max },
            ModeLimit { mode: PaymentMode::DebitCard, min: paise(100), max },
        ],
        channel_limits,
        params: customer_params(t.params),
        param_groups: t
            .groups
            .iter()
            .map(|g| ParamGroup { params: g.iter().map(|p| (*p).to_owned()).collect() })
            .collect(),
        additional_info: t.info.iter().map(|i| (*i).to_owned()).collect(),
        fees: if every(t.fee_every) { fee_table() } else { FeeTable::none() },
        availability: availability(name),
        plans: plans_of(t.category),
    }
}

/// Prepaid categories sell plans (docs/sandbox.md); a customer may still pay an amount of their choosing.
fn plans_of(category: &str) -> Option<PlanRequirement> {
    ["Mobile Prepaid", "DTH"].contains(&category).then_some(PlanRequirement::Optional)
}

/// The curated catalogue, in category order.
pub fn curated(ids: &mut IdAllocator) -> Vec<Biller> {
    let mut out = Vec::new();
    for (template, entries) in TEMPLATES {
        for (i, entry) in entries.iter().enumerate() {
            let (name, alias, cov) = *entry;
            let cov = coverage(cov);
            let id = ids.allocate(name, &cov);
            out.push(biller(template, i + 1, name, alias, cov, id));
        }
    }
    out
}
