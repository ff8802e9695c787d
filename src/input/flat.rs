//! A flat JSON record (`{"id": "p1", "caption": "…", "sponsored": true}`) read without building
//! a `serde_json::Value`: keys and strings are borrowed from the line where they have no escapes,
//! so a record of an ordinary export costs no allocation until its caption is built.
//!
//! Only the common shape is read here: an object of strings, numbers, booleans and nulls, each
//! key once. Anything else (a nested object or array, a repeated key) gives `None`, and the
//! record is read the general way ([`super::record::from_json_record`]), which also says what is
//! wrong with a record that cannot be read.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

/// A value of a flat record.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    Str(Cow<'a, str>),
    Number(serde_json::Number),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    /// The value as a `serde_json::Value` (for the flags, which are parsed from one).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Scalar::Str(s) => serde_json::Value::String(s.to_string()),
            Scalar::Number(n) => serde_json::Value::Number(n.clone()),
            Scalar::Bool(b) => serde_json::Value::Bool(*b),
            Scalar::Null => serde_json::Value::Null,
        }
    }
}

/// A flat record's keys and values, in the order of the line.
pub type Flat<'a> = Vec<(Cow<'a, str>, Scalar<'a>)>;

/// How a JSON line reads.
#[derive(Debug, PartialEq)]
pub enum Line<'a> {
    Flat(Flat<'a>),
    /// An object with a nested value: the export's records are nested.
    Nested,
    /// Not a JSON object, or not JSON at all.
    Other,
}

/// Read a JSON line as a flat record.
pub fn parse(text: &str) -> Line<'_> {
    let mut de = serde_json::Deserializer::from_str(text);
    match (&mut de).deserialize_map(FlatVisitor) {
        Ok(flat) if de.end().is_ok() => flat.map_or(Line::Nested, Line::Flat),
        _ => Line::Other,
    }
}

struct FlatVisitor;

impl<'de> Visitor<'de> for FlatVisitor {
    /// `None` when a value is nested: the record is not flat.
    type Value = Option<Flat<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut flat = Vec::with_capacity(map.size_hint().unwrap_or(8));
        let mut nested = false;
        while let Some(key) = map.next_key_seed(StrSeed)? {
            match map.next_value_seed(ScalarSeed)? {
                Some(value) => flat.push((key, value)),
                None => nested = true,
            }
        }
        Ok((!nested).then_some(flat))
    }
}

/// A string, borrowed when it has no escapes.
struct StrSeed;

impl<'de> DeserializeSeed<'de> for StrSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(StrVisitor)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(s))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(s))
    }
}

/// A scalar value, or `None` for an array or object (read past).
struct ScalarSeed;

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Option<Scalar<'de>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Option<Scalar<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(Cow::Borrowed(s))))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(Cow::Owned(s.to_owned()))))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Str(Cow::Owned(s))))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Bool(b)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Number(n.into())))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Number(n.into())))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        // NaN and infinities cannot be in JSON text; the general path says what it found.
        Ok(serde_json::Number::from_f64(n).map(Scalar::Number))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(Scalar::Null))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let line = r##"{"id": "p1", "caption": "#ad café \ud83c\udf1f\n", "n": 3, "ok": true, "x": null}"##;
        let Line::Flat(flat) = parse(line) else {
            panic!("not flat")
        };
        assert!(matches!(&flat[0].1, Scalar::Str(Cow::Borrowed("p1"))));
        assert_eq!(flat[1].1, Scalar::Str(Cow::Owned("#ad café 🌟\n".into())));
        assert_eq!(flat[2].1, Scalar::Number(3.into()));
        assert_eq!(flat[3].1, Scalar::Bool(true));
        assert_eq!(flat[4].1, Scalar::Null);
        assert!(matches!(flat[1].0, Cow::Borrowed("caption")));
    }

    #[test]
    fn nested_records_and_bad_lines_are_left_to_the_general_reader() {
        assert_eq!(parse(r#"{"caption": {"text": "hi"}}"#), Line::Nested);
        assert_eq!(
            parse(r#"{"caption": "hi", "brands": ["a", "b"]}"#),
            Line::Nested
        );
        assert_eq!(parse(r#"{"caption": "hi"} trailing"#), Line::Other);
        assert_eq!(parse(r#"["caption"]"#), Line::Other);
        assert_eq!(parse(r#"{"caption": "\ud83c"}"#), Line::Other);
        assert_eq!(parse("{\"caption\": \"hi\""), Line::Other);
    }
}
