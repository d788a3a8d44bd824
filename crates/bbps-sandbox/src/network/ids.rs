//! Biller ids in the network's shape: up to five letters of the name, zero padding to nine characters, a
//! three-letter region code and two digits (`MAHA00000MAH01`, `TATA00000MUM02`, `AIRT00000NAT01`).

use std::collections::HashSet;

use bbps_core::{BillerId, Coverage};

#[derive(Default)]
pub struct IdAllocator {
    taken: HashSet<String>,
}

/// Three letters for a state (ISO 3166-2:IN code) or the first three of a city's name.
pub(super) fn region_code(coverage: &Coverage) -> String {
    match coverage {
        Coverage::National => "NAT".to_owned(),
        Coverage::City { city, .. } => {
            let letters: String = city.chars().filter(char::is_ascii_alphabetic).take(3).collect();
            format!("{:X<3}", letters.to_ascii_uppercase())
        }
        Coverage::State { state } => match state.as_str() {
            "MH" => "MAH",
            "DL" => "DEL",
            "KA" => "KAR",
            "TN" => "TAM",
            "TG" => "TEL",
            "AP" => "AND",
            "GJ" => "GUJ",
            "WB" => "WBL",
            "RJ" => "RAJ",
            "PB" => "PUN",
            "HR" => "HAR",
            "UP" => "UTP",
            "OD" => "ODI",
            "BR" => "BIH",
            "JH" => "JHA",
            "MP" => "MAP",
            "CG" => "CHH",
            "AS" => "ASM",
            "GA" => "GOA",
            "HP" => "HIM",
            "UK" => "UTK",
            "KL" => "KER",
            "JK" => "JAK",
            "CH" => "CHD",
            other => return format!("{:X<3}", other.to_ascii_uppercase()),
        }
        .to_owned(),
    }
}

impl IdAllocator {
    /// A new unique id for a biller called `name` serving `coverage`.
    pub fn allocate(&mut self, name: &str, coverage: &Coverage) -> BillerId {
        let letters: String = name.chars().filter(char::is_ascii_alphabetic).map(|c| c.to_ascii_uppercase()).collect();
        let prefix: String = format!("{letters:X<4}").chars().take(if letters.len() >= 5 { 5 } else { 4 }).collect();
        let region = region_code(coverage);
        // Two digits first; when a prefix and region have used all 99, a base-36 counter takes the padding.
        for round in 0u32.. {
            let pad = if round == 0 {
                format!("{prefix:0<9}")
            } else {
                let tag = to_base36(round);
                format!("{}{}{tag}", prefix, "0".repeat(9usize.saturating_sub(prefix.len() + tag.len())))
            };
            for n in 1..=99 {
                let candidate = format!("{pad}{region}{n:02}");
                if candidate.len() == 14
                    && self.taken.insert(candidate.clone())
                    && let Ok(id) = BillerId::parse(&candidate)
                {
                    return id;
                }
            }
        }
        unreachable!("the id space is never exhausted")
    }
}

fn to_base36(mut n: u32) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_network_shape_and_are_unique() {
        let mut ids = IdAllocator::default();
        let a = ids.allocate(
            "Maharashtra State Electricity",
            &Coverage::State { state: bbps_core::region::State::Maharashtra },
        );
        assert_eq!(a.as_str(), "MAHAR0000MAH01");
        let b = ids.allocate(
            "Tata Power",
            &Coverage::City { state: bbps_core::region::State::Maharashtra, city: "Mumbai".into() },
        );
        assert_eq!(b.as_str(), "TATAP0000MUM01");
        let c = ids.allocate("Airtel", &Coverage::National);
        assert_eq!(c.as_str(), "AIRTE0000NAT01");
        let mut seen = HashSet::new();
        for _ in 0..500 {
            let id = ids.allocate("Airtel", &Coverage::National);
            assert!(seen.insert(id.to_string()));
        }
    }
}
