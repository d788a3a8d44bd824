//! String enums of the wire, each declared once with [`wire_enum!`]: the declaration gives the enum, its
//! `ALL`, `as_str`, `parse`, `Display`, `FromStr`, serde and (with the `openapi` feature) its OpenAPI schema, so
//! serde, the widget's decoder and the stores all read and write the same string, and renaming one is one edit.

use std::fmt;

/// A string that is not one of an enum's wire names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UnknownVariant {
    /// The enum's name, for messages and logs.
    pub of: &'static str,
    pub found: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a {}; expected one of {}", self.found, self.of, self.expected.join(", "))
    }
}

/// What every [`wire_enum!`] implements, so tests and stores can treat them alike.
pub trait WireEnum: Copy + Eq + fmt::Debug + 'static {
    const NAME: &'static str;
    const ALL: &'static [Self];
    /// The wire names, in the order of `ALL`.
    const WIRE: &'static [&'static str];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Result<Self, UnknownVariant>;
}

/// Declares a string enum of the wire. The enum takes doc comments and an optional `#[derive(...)]` of further
/// traits (such as `Default`, with `#[default]` on a variant); every enum gets `Debug, Clone, Copy, PartialEq,
/// Eq, Hash, PartialOrd, Ord`.
///
/// ```
/// bbps_core::wire_enum! {
///     /// A colour.
///     pub enum Colour {
///         Red = "red",
///         /// Dark blue.
///         Navy = "navy_blue",
///     }
/// }
/// assert_eq!(Colour::Navy.as_str(), "navy_blue");
/// assert_eq!(Colour::parse("red"), Ok(Colour::Red));
/// ```
#[macro_export]
macro_rules! wire_enum {
    (
        $(#[doc = $doc:expr])*
        $(#[derive($($extra:ident),+)])?
        $vis:vis enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord $($(, $extra)+)?)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire string.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $wire,)+
                }
            }

            pub fn parse(s: &str) -> ::core::result::Result<$name, $crate::wire::UnknownVariant> {
                let wire = <$name as $crate::wire::WireEnum>::WIRE;
                $crate::wire::position(wire, s, stringify!($name)).map(|i| $name::ALL[i])
            }
        }

        impl $crate::wire::WireEnum for $name {
            const NAME: &'static str = stringify!($name);
            const ALL: &'static [$name] = $name::ALL;
            const WIRE: &'static [&'static str] = &[$($wire,)+];
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(s: &str) -> ::core::result::Result<$name, $crate::wire::UnknownVariant> {
                $name::parse(s)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::wire::UnknownVariant;
            fn from_str(s: &str) -> ::core::result::Result<$name, $crate::wire::UnknownVariant> {
                $name::parse(s)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<$name, D::Error> {
                deserializer.deserialize_str($crate::wire::WireVisitor::<$name>::new())
            }
        }

        $crate::__wire_enum_schema!($name, [$($doc),*], [$($wire),+]);
    };
}

/// Where `s` is in `wire`. One function for every enum: a lookup per enum would cost the widget's wasm a match
/// and an error construction each.
#[doc(hidden)]
pub fn position(wire: &'static [&'static str], s: &str, of: &'static str) -> Result<usize, UnknownVariant> {
    wire.iter().position(|w| *w == s).ok_or_else(|| UnknownVariant {
        of,
        found: s.chars().take(64).collect(),
        expected: wire,
    })
}

/// The serde visitor of every [`wire_enum!`]: one generic type instead of one per enum.
#[doc(hidden)]
pub struct WireVisitor<T>(std::marker::PhantomData<T>);

impl<T> WireVisitor<T> {
    pub fn new() -> WireVisitor<T> {
        WireVisitor(std::marker::PhantomData)
    }
}

impl<T> Default for WireVisitor<T> {
    fn default() -> Self {
        WireVisitor::new()
    }
}

impl<T: WireEnum> serde::de::Visitor<'_> for WireVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {}", T::WIRE.join(", "))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
        T::parse(s).map_err(|_| E::unknown_variant(s, T::WIRE))
    }
}

/// The OpenAPI schema of a [`wire_enum!`]: a string with the enum's wire names, described by its doc comment
/// (doc lines trimmed and joined by newlines, as utoipa's derive does).
#[cfg(feature = "openapi")]
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_enum_schema {
    ($name:ident, [$($doc:expr),*], [$($wire:literal),+]) => {
        impl $crate::__private::utoipa::PartialSchema for $name {
            fn schema() -> $crate::__private::utoipa::openapi::RefOr<$crate::__private::utoipa::openapi::schema::Schema> {
                $crate::wire::string_enum_schema(&[$($doc),*], &[$($wire),+])
            }
        }
        impl $crate::__private::utoipa::ToSchema for $name {}
    };
}

#[cfg(not(feature = "openapi"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_enum_schema {
    ($($t:tt)*) => {};
}

#[cfg(feature = "openapi")]
#[doc(hidden)]
pub fn string_enum_schema(doc: &[&str], wire: &[&str]) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let description = doc.iter().map(|line| line.trim()).collect::<Vec<_>>().join("\n");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(wire.iter().copied()))
        .description((!description.is_empty()).then_some(description))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::wire_enum! {
        /// A test enum.
        pub enum Sample {
            One = "one",
            /// The second.
            TwoWords = "two words",
        }
    }

    #[test]
    fn round_trips_through_serde_and_parse() {
        for v in Sample::ALL {
            assert_eq!(Sample::parse(v.as_str()), Ok(*v));
            assert_eq!(serde_json::to_string(v).unwrap(), format!("\"{}\"", v.as_str()));
            assert_eq!(serde_json::from_str::<Sample>(&format!("\"{}\"", v.as_str())).unwrap(), *v);
        }
    }

    /// serde, `parse` and `as_str` agree, names are unique, and `ALL` lists every variant once.
    fn check<T: WireEnum + serde::Serialize + serde::de::DeserializeOwned>() {
        let mut seen = std::collections::HashSet::new();
        assert_eq!(T::ALL.len(), T::WIRE.len(), "{}", T::NAME);
        for (v, wire) in T::ALL.iter().zip(T::WIRE) {
            assert_eq!(v.as_str(), *wire, "{}", T::NAME);
            assert!(seen.insert(*wire), "{} names {wire} twice", T::NAME);
            assert_eq!(T::parse(wire), Ok(*v));
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, serde_json::to_string(wire).unwrap());
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
        }
        assert!(T::parse("").is_err());
    }

    #[test]
    fn every_wire_enum_of_the_core_agrees_with_serde() {
        use crate::api::*;
        use crate::biller::*;
        use crate::complaint::*;
        check::<Sample>();
        check::<crate::PaymentStatus>();
        check::<crate::ErrorCode>();
        check::<crate::ParamErrorCode>();
        check::<crate::appearance::Theme>();
        check::<crate::fee::FeeDirection>();
        check::<crate::upi::UpiApp>();
        check::<FetchRequirement>();
        check::<Exactness>();
        check::<Channel>();
        check::<PaymentMode>();
        check::<DataType>();
        check::<Disposition>();
        check::<ServiceReason>();
        check::<ComplaintStatus>();
        check::<Mode>();
        check::<QuoteKind>();
        check::<ReceiptStatus>();
        check::<RefundStatus>();
        check::<RefundReason>();
        check::<FailureCode>();
        check::<WebhookEventType>();
        check::<WebhookDeliveryStatus>();
    }

    #[test]
    fn unknown_names_say_what_was_expected() {
        let e = Sample::parse("three").unwrap_err();
        assert_eq!(e.to_string(), r#""three" is not a Sample; expected one of one, two words"#);
        assert!(serde_json::from_str::<Sample>("\"three\"").is_err());
        assert!(serde_json::from_str::<Sample>("3").is_err());
    }
}
