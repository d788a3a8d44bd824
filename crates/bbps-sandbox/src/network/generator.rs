//! A deterministic generator of a network-sized catalogue (the live network has about 22,000 billers), for scale
//! tests and benchmarks: the curated billers first, then generated ones named after Indian towns, spread over
//! the categories in roughly the live network's proportions. The same count always gives the same catalogue.

use bbps_core::{Biller, Coverage};

use super::catalogue::{TEMPLATES, biller, curated};
use super::ids::IdAllocator;

/// SplitMix64: tiny, fast and good enough to spread synthetic data; the sequence is fixed by the seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const SEED: u64 = 0x00BB_5022_0000;

/// `(town, state)`.
const TOWNS: &[(&str, &str)] = &[
    ("Nashik", "MH"),
    ("Aurangabad", "MH"),
    ("Kolhapur", "MH"),
    ("Solapur", "MH"),
    ("Sangli", "MH"),
    ("Amravati", "MH"),
    ("Jalgaon", "MH"),
    ("Latur", "MH"),
    ("Satara", "MH"),
    ("Ratnagiri", "MH"),
    ("Mysuru", "KA"),
    ("Hubballi", "KA"),
    ("Belagavi", "KA"),
    ("Davanagere", "KA"),
    ("Tumakuru", "KA"),
    ("Udupi", "KA"),
    ("Coimbatore", "TN"),
    ("Madurai", "TN"),
    ("Tiruchirappalli", "TN"),
    ("Salem", "TN"),
    ("Tirunelveli", "TN"),
    ("Vellore", "TN"),
    ("Erode", "TN"),
    ("Thoothukudi", "TN"),
    ("Warangal", "TG"),
    ("Karimnagar", "TG"),
    ("Nizamabad", "TG"),
    ("Khammam", "TG"),
    ("Visakhapatnam", "AP"),
    ("Vijayawada", "AP"),
    ("Guntur", "AP"),
    ("Nellore", "AP"),
    ("Tirupati", "AP"),
    ("Kakinada", "AP"),
    ("Vadodara", "GJ"),
    ("Rajkot", "GJ"),
    ("Bhavnagar", "GJ"),
    ("Jamnagar", "GJ"),
    ("Anand", "GJ"),
    ("Junagadh", "GJ"),
    ("Howrah", "WB"),
    ("Durgapur", "WB"),
    ("Asansol", "WB"),
    ("Siliguri", "WB"),
    ("Kharagpur", "WB"),
    ("Jodhpur", "RJ"),
    ("Udaipur", "RJ"),
    ("Kota", "RJ"),
    ("Bikaner", "RJ"),
    ("Ajmer", "RJ"),
    ("Ludhiana", "PB"),
    ("Amritsar", "PB"),
    ("Jalandhar", "PB"),
    ("Patiala", "PB"),
    ("Bathinda", "PB"),
    ("Faridabad", "HR"),
    ("Panipat", "HR"),
    ("Ambala", "HR"),
    ("Hisar", "HR"),
    ("Karnal", "HR"),
    ("Kanpur", "UP"),
    ("Agra", "UP"),
    ("Varanasi", "UP"),
    ("Prayagraj", "UP"),
    ("Meerut", "UP"),
    ("Bareilly", "UP"),
    ("Aligarh", "UP"),
    ("Gorakhpur", "UP"),
    ("Cuttack", "OD"),
    ("Bhubaneswar", "OD"),
    ("Rourkela", "OD"),
    ("Sambalpur", "OD"),
    ("Patna", "BR"),
    ("Gaya", "BR"),
    ("Bhagalpur", "BR"),
    ("Muzaffarpur", "BR"),
    ("Ranchi", "JH"),
    ("Jamshedpur", "JH"),
    ("Dhanbad", "JH"),
    ("Bokaro", "JH"),
    ("Gwalior", "MP"),
    ("Jabalpur", "MP"),
    ("Ujjain", "MP"),
    ("Sagar", "MP"),
    ("Raipur", "CG"),
    ("Bhilai", "CG"),
    ("Bilaspur", "CG"),
    ("Guwahati", "AS"),
    ("Dibrugarh", "AS"),
    ("Silchar", "AS"),
    ("Panaji", "GA"),
    ("Margao", "GA"),
    ("Shimla", "HP"),
    ("Dharamshala", "HP"),
    ("Dehradun", "UK"),
    ("Haridwar", "UK"),
    ("Kochi", "KL"),
    ("Thiruvananthapuram", "KL"),
    ("Kozhikode", "KL"),
    ("Thrissur", "KL"),
    ("Jammu", "JK"),
    ("Srinagar", "JK"),
    ("Chandigarh", "CH"),
];

const SOCIETY_WORDS: &[&str] = &[
    "Sai Krupa",
    "Shanti Niketan",
    "Gokuldham",
    "Vrindavan",
    "Shree Ganesh",
    "Green Valley",
    "Lakeview",
    "Sunrise",
    "Navjeevan",
    "Panchavati",
    "Ashirwad",
    "Om Shanti",
    "Royal Palms",
    "Silver Oak",
    "Kalpataru",
    "Sahyadri",
];

const PEOPLE: &[&str] = &[
    "Sardar Patel",
    "Swami Vivekananda",
    "Rabindranath Tagore",
    "Savitribai Phule",
    "Sri Aurobindo",
    "Maharishi Dayanand",
    "Guru Nanak",
    "Sant Tukaram",
    "Rani Laxmibai",
    "Netaji Subhas",
];

/// `(category, weight, name patterns)`; `{town}`, `{society}` and `{person}` are filled in.
const KINDS: &[(&str, u32, &[&str])] = &[
    (
        "Housing Society",
        18,
        &["{society} Co-operative Housing Society {town}", "{society} Apartments Owners Association {town}"],
    ),
    (
        "Education Fees",
        14,
        &["{person} Public School {town}", "{person} College of Engineering {town}", "{town} Institute of Management"],
    ),
    ("Electricity", 8, &["{town} Electric Supply Co-operative Society", "{town} Vidyut Vitaran Sahakari Mandal"]),
    ("Water", 8, &["{town} Municipal Council Water Supply", "{town} Jal Nigam"]),
    ("Municipal Taxes", 8, &["{town} Municipal Corporation Property Tax", "{town} Nagar Panchayat Tax"]),
    ("Municipal Services", 5, &["{town} Municipal Corporation Services", "{town} Development Authority"]),
    (
        "Loan Repayment",
        10,
        &["{town} Urban Co-operative Bank Loans", "{society} Finance {town}", "{town} Nagarik Sahakari Bank Loans"],
    ),
    ("Insurance", 3, &["{town} Co-operative Insurance Society"]),
    ("Clubs and Associations", 4, &["{town} Gymkhana", "{town} Club", "{town} Chamber of Commerce"]),
    ("Hospital", 5, &["{town} Multispeciality Hospital", "{person} Memorial Hospital {town}"]),
    ("Hospital and Pathology", 3, &["{town} Diagnostic Centre", "{society} Pathology Lab {town}"]),
    ("Cable TV", 4, &["{town} Cable Network", "{society} Digital Cable {town}"]),
    ("Broadband Postpaid", 4, &["{town} Fibernet", "{society} Broadband {town}"]),
    ("Donation", 3, &["{town} {society} Trust", "{person} Seva Samiti {town}"]),
    ("Recurring Deposit", 2, &["{town} Co-operative Credit Society RD"]),
    ("Rental", 1, &["{society} Rentals {town}"]),
    ("Subscription", 1, &["{town} Samachar Subscription"]),
];

fn fill(pattern: &str, town: &str, rng: &mut SplitMix) -> String {
    let society: &str = rng.pick(SOCIETY_WORDS);
    let person: &str = rng.pick(PEOPLE);
    pattern.replace("{town}", town).replace("{society}", society).replace("{person}", person)
}

/// The curated billers followed by generated ones, `count` in all (never fewer than the curated list).
pub fn catalogue(count: usize) -> Vec<Biller> {
    let mut ids = IdAllocator::default();
    let mut out = curated(&mut ids);
    let mut rng = SplitMix(SEED);
    let total_weight: u32 = KINDS.iter().map(|k| k.1).sum();
    let mut n = 0usize;
    while out.len() < count {
        n += 1;
        let mut roll = (rng.next() % u64::from(total_weight)) as u32;
        let (category, _, patterns) = KINDS
            .iter()
            .find(|k| {
                if roll < k.1 {
                    true
                } else {
                    roll -= k.1;
                    false
                }
            })
            .unwrap_or(&KINDS[0]);
        let Some((template, _)) = TEMPLATES.iter().find(|(t, _)| t.category == *category) else { continue };
        let (town, state) = rng.pick(TOWNS);
        let pattern: &str = rng.pick(patterns);
        let name = fill(pattern, town, &mut rng);
        // Most small billers serve their town; some serve the whole state.
        let coverage = if rng.next().is_multiple_of(4) {
            Coverage::State { state: super::catalogue::state_of(state) }
        } else {
            Coverage::City { state: super::catalogue::state_of(state), city: town.to_owned() }
        };
        let id = ids.allocate(&name, &coverage);
        out.push(biller(template, n, &name, "", coverage, id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_the_requested_size_deterministically_with_unique_ids() {
        let a = catalogue(3_000);
        let b = catalogue(3_000);
        assert_eq!(a.len(), 3_000);
        assert_eq!(a, b);
        let ids: std::collections::HashSet<_> = a.iter().map(|b| b.id.clone()).collect();
        assert_eq!(ids.len(), a.len());
    }
}
