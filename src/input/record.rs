//! Records of an export become captions: which column or key holds the caption, the id, the
//! platform, the sponsored flag, the brand and the creator, found by common names or named by
//! the user, and the values parsed the same way for every format.
//!
//! With `--fetch`, a record whose caption is missing or empty but which has a URL becomes a
//! caption still to fetch ([`Caption::needs_fetch`]); the run fetches it from the post's page.

use serde_json::{Map, Value};

use super::{InputError, ReadOptions};
use crate::caption::{Caption, Fetched, Origin, Place};

/// The fields a record may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Caption,
    Id,
    Platform,
    Sponsored,
    Brand,
    Creator,
    /// The published post's URL, fetched with `--fetch` when the caption is missing.
    Url,
    Market,
    PaidPartnershipLabel,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Caption,
        Field::Id,
        Field::Platform,
        Field::Sponsored,
        Field::Brand,
        Field::Creator,
        Field::Url,
        Field::Market,
        Field::PaidPartnershipLabel,
    ];

    /// Column names found without being told, in order of preference (case-insensitive).
    pub fn common_names(self) -> &'static [&'static str] {
        match self {
            Field::Caption => &[
                "caption",
                "text",
                "body",
                "description",
                "content",
                "message",
                "post_text",
            ],
            Field::Id => &["id", "post_id", "url", "permalink"],
            Field::Platform => &["platform", "network", "channel"],
            Field::Sponsored => &["sponsored", "is_sponsored", "paid"],
            Field::Brand => &["brand", "brands", "sponsor"],
            Field::Creator => &["creator", "handle", "username", "author"],
            Field::Url => &["url", "permalink", "link", "post_url"],
            Field::Market => &["market", "markets", "country", "jurisdiction"],
            Field::PaidPartnershipLabel => &["paid_partnership_label", "paid_partnership"],
        }
    }

    /// The flag that names this field.
    pub fn flag(self) -> &'static str {
        match self {
            Field::Caption => "--caption-field",
            Field::Id => "--id-field",
            Field::Platform => "--platform-field",
            Field::Sponsored => "--sponsored-field",
            Field::Brand => "--brand-field",
            Field::Creator => "--creator-field",
            Field::Url => "--url-field",
            Field::Market => "--market-field",
            Field::PaidPartnershipLabel => "--paid-partnership-field",
        }
    }
}

/// Field names the user gave (`--caption-field` and friends); `None` means "find it".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldNames {
    pub caption: Option<String>,
    pub id: Option<String>,
    pub platform: Option<String>,
    pub sponsored: Option<String>,
    pub brand: Option<String>,
    pub creator: Option<String>,
    pub url: Option<String>,
    pub market: Option<String>,
    pub paid_partnership_label: Option<String>,
}

impl FieldNames {
    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Caption => self.caption.as_deref(),
            Field::Id => self.id.as_deref(),
            Field::Platform => self.platform.as_deref(),
            Field::Sponsored => self.sponsored.as_deref(),
            Field::Brand => self.brand.as_deref(),
            Field::Creator => self.creator.as_deref(),
            Field::Url => self.url.as_deref(),
            Field::Market => self.market.as_deref(),
            Field::PaidPartnershipLabel => self.paid_partnership_label.as_deref(),
        }
    }
}

/// Column indices of a tabular export (CSV, TSV, XLSX), resolved once from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    index: [Option<usize>; Field::ALL.len()],
}

impl Columns {
    /// Resolve the header. A missing caption column, or a named column that is not there, is
    /// one error naming the columns that were found. With `fetch`, a URL column may stand in
    /// for the caption column.
    pub fn resolve<S: AsRef<str>>(
        header: &[S],
        names: &FieldNames,
        fetch: bool,
    ) -> Result<Columns, String> {
        let header: Vec<&str> = header.iter().map(|h| h.as_ref().trim()).collect();
        let find = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
        let mut index = [None; Field::ALL.len()];
        for (slot, field) in index.iter_mut().zip(Field::ALL) {
            *slot = match names.get(field) {
                Some(name) => Some(find(name).ok_or_else(|| {
                    format!(
                        "no column `{name}` (named by {}); the columns are: {}",
                        field.flag(),
                        header.join(", ")
                    )
                })?),
                None => field.common_names().iter().find_map(|n| find(n)),
            };
        }
        let columns = Columns { index };
        let fetchable = fetch && columns.get(Field::Url).is_some();
        if columns.get(Field::Caption).is_none() && !fetchable {
            let url = if fetch {
                format!(
                    " or a URL column ({}; --url-field)",
                    Field::Url.common_names().join(", ")
                )
            } else {
                String::new()
            };
            return Err(format!(
                "no caption column: looked for {} (name it with --caption-field){url}; the columns are: {}",
                Field::Caption.common_names().join(", "),
                header.join(", ")
            ));
        }
        Ok(columns)
    }

    /// The column holding `field`, if any.
    pub fn get(&self, field: Field) -> Option<usize> {
        self.index[Field::ALL.iter().position(|f| *f == field).unwrap_or(0)]
    }

    /// The cell of `field` in a row.
    pub fn cell<'r>(&self, row: &'r [&'r str], field: Field) -> Option<&'r str> {
        self.get(field).and_then(|i| row.get(i).copied())
    }
}

/// The values of one record, as text, before parsing.
#[derive(Debug, Default)]
pub struct Values<'a> {
    pub caption: Option<&'a str>,
    pub id: Option<String>,
    pub platform: Option<&'a str>,
    pub sponsored: Option<SponsoredValue<'a>>,
    pub brands: Vec<String>,
    pub creator: Option<String>,
    pub url: Option<&'a str>,
    /// The market(s), as written (`UK`, `de-DE`, `uk; de`).
    pub market: Option<String>,
    /// Whether the platform's "Paid partnership" label is shown, as a flag like `sponsored`.
    pub paid_partnership_label: Option<SponsoredValue<'a>>,
}

/// A sponsored flag as it came: text from a cell, or a JSON value.
#[derive(Debug)]
pub enum SponsoredValue<'a> {
    Text(&'a str),
    Json(&'a Value),
}

/// Parse a sponsored flag: true/false/yes/no/y/n/1/0, empty or null for unknown.
pub fn parse_sponsored(value: &SponsoredValue<'_>) -> Result<Option<bool>, String> {
    let text = match value {
        SponsoredValue::Json(Value::Null) => return Ok(None),
        SponsoredValue::Json(Value::Bool(b)) => return Ok(Some(*b)),
        SponsoredValue::Json(Value::Number(n)) => match n.as_u64() {
            Some(1) => return Ok(Some(true)),
            Some(0) => return Ok(Some(false)),
            _ => return Err(n.to_string()),
        },
        SponsoredValue::Json(Value::String(s)) => s.as_str(),
        SponsoredValue::Json(other) => return Err(other.to_string()),
        SponsoredValue::Text(s) => s,
    };
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "null" | "n/a" => Ok(None),
        "true" | "yes" | "y" | "1" => Ok(Some(true)),
        "false" | "no" | "n" | "0" => Ok(Some(false)),
        _ => Err(format!("\"{text}\"")),
    }
}

/// Build a caption from a record's values. `fallback_id` names records without an id. With
/// `--fetch`, a record with no caption and a URL gives a caption still to fetch.
pub fn build(
    source: &str,
    place: Place,
    fallback_id: String,
    values: Values<'_>,
    options: &ReadOptions,
) -> Result<Caption, InputError> {
    let record = values
        .id
        .filter(|id| !id.trim().is_empty())
        .unwrap_or(fallback_id);
    let error = |message: String| InputError {
        source: source.to_string(),
        record: Some(record.clone()),
        place: Some(place.clone()),
        message,
    };
    let url = values.url.map(str::trim).filter(|u| !u.is_empty());
    let (text, fetched) = match (values.caption.filter(|t| !t.trim().is_empty()), url) {
        (Some(text), _) => (text, None),
        (None, Some(url)) if options.fetch => ("", Some(Fetched::pending(url))),
        (None, Some(_)) => {
            return Err(error(
                "the caption is empty; the record has a URL: add --fetch to check the published post"
                    .into(),
            ));
        }
        (None, None) => return Err(error("the caption is empty".into())),
    };
    // Yes/no fields share one spelling: true/false/yes/no/y/n/1/0, empty for unknown.
    let flag = |value: &Option<SponsoredValue<'_>>, name: &str| match value {
        Some(v) => parse_sponsored(v).map_err(|found| {
            error(format!(
                "{name} must be true, false, yes, no, 1, 0 or empty; found {found}"
            ))
        }),
        None => Ok(None),
    };
    let sponsored = flag(&values.sponsored, "sponsored")?;
    let paid_partnership_label = flag(&values.paid_partnership_label, "paid_partnership_label")?;
    let markets = match &values.market {
        Some(m) => options.defaults.markets.parse_list(m).map_err(|unknown| {
            error(format!(
                "unknown market `{unknown}`; known markets: {}",
                options.defaults.markets.codes().join(", ")
            ))
        })?,
        None => Vec::new(),
    };
    let mut caption = Caption {
        text: text.to_string(),
        origin: Origin {
            source: source.to_string(),
            record: Some(record.clone()),
            line: match place {
                Place::Line(n) => Some(n),
                _ => None,
            },
            place: Some(place.clone()),
        },
        platform: values
            .platform
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from),
        sponsored,
        brands: values.brands,
        creator: values.creator.filter(|c| !c.trim().is_empty()),
        fetched,
        markets,
        paid_partnership_label,
    };
    options.defaults.apply(&mut caption);
    Ok(caption)
}

/// Brands from a cell: several may be separated by `;` or `|`.
pub fn split_brands(cell: &str) -> Vec<String> {
    cell.split([';', '|'])
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(String::from)
        .collect()
}

/// A tabular row's values.
pub fn row_values<'r>(columns: &Columns, row: &'r [&'r str]) -> Values<'r> {
    Values {
        caption: columns.cell(row, Field::Caption),
        id: columns.cell(row, Field::Id).map(|s| s.trim().to_string()),
        platform: columns.cell(row, Field::Platform),
        sponsored: columns
            .cell(row, Field::Sponsored)
            .map(SponsoredValue::Text),
        brands: columns
            .cell(row, Field::Brand)
            .map(split_brands)
            .unwrap_or_default(),
        creator: columns
            .cell(row, Field::Creator)
            .map(|s| s.trim().to_string()),
        url: columns.cell(row, Field::Url),
        market: columns.cell(row, Field::Market).map(String::from),
        paid_partnership_label: columns
            .cell(row, Field::PaidPartnershipLabel)
            .map(SponsoredValue::Text),
    }
}

/// Find a key of a JSON object for a field: the user's name, or a common name
/// (case-insensitive either way).
/// The key holding `field` among an object's keys: the user's name, or the first common name
/// present (case-insensitive either way). Among keys that differ only in case, the first in
/// sorted order wins, as in serde_json's map.
pub fn key_for<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    field: Field,
    names: &FieldNames,
) -> Option<&'k str> {
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable();
    key_in_sorted(keys.iter().copied(), field, names)
}

/// [`key_for`] over keys already in sorted order, without collecting them.
fn key_in_sorted<'k>(
    keys: impl Iterator<Item = &'k str> + Clone,
    field: Field,
    names: &FieldNames,
) -> Option<&'k str> {
    let lookup = |name: &str| keys.clone().find(|k| k.eq_ignore_ascii_case(name));
    match names.get(field) {
        Some(name) => lookup(name),
        None => field.common_names().iter().find_map(|n| lookup(n)),
    }
}

fn json_key<'o>(
    obj: &'o Map<String, Value>,
    field: Field,
    names: &FieldNames,
) -> Option<(&'o str, &'o Value)> {
    // serde_json's map (without `preserve_order`) keeps its keys sorted.
    let key = key_in_sorted(obj.keys().map(String::as_str), field, names)?;
    obj.get_key_value(key).map(|(k, v)| (k.as_str(), v))
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Build a caption from a JSON object (a JSONL line or an element of a JSON array).
pub fn from_json_object(
    source: &str,
    place: Place,
    fallback_id: String,
    obj: &Map<String, Value>,
    options: &ReadOptions,
) -> Result<Caption, InputError> {
    let names = &options.fields;
    let url = json_key(obj, Field::Url, names).and_then(|(_, v)| v.as_str());
    // With --fetch, a record without a caption but with a URL is fetched.
    let fetchable = options.fetch && url.is_some_and(|u| !u.trim().is_empty());
    let id = json_key(obj, Field::Id, names).and_then(|(_, v)| json_text(v));
    let error = |message: String| InputError {
        source: source.to_string(),
        record: Some(id.clone().unwrap_or_else(|| fallback_id.clone())),
        place: Some(place.clone()),
        message,
    };
    let caption = match json_key(obj, Field::Caption, names) {
        Some((_, Value::String(s))) => s.as_str(),
        Some((_, Value::Null)) | None if fetchable => "",
        Some((key, Value::Null)) => return Err(error(format!("`{key}` is null"))),
        Some((key, other)) => {
            return Err(error(format!(
                "`{key}` must be a string, found {}",
                type_name(other)
            )));
        }
        None => {
            let found: Vec<&str> = obj.keys().map(String::as_str).collect();
            let wanted = match names.caption.as_deref() {
                Some(name) => format!("`{name}`"),
                None => Field::Caption.common_names().join(", "),
            };
            return Err(error(format!(
                "no caption field: looked for {wanted}; found: {}",
                found.join(", ")
            )));
        }
    };
    let brands = match json_key(obj, Field::Brand, names).map(|(_, v)| v) {
        Some(Value::String(s)) => split_brands(s),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        _ => Vec::new(),
    };
    let values = Values {
        caption: Some(caption),
        id: id.clone(),
        platform: json_key(obj, Field::Platform, names).and_then(|(_, v)| v.as_str()),
        sponsored: json_key(obj, Field::Sponsored, names).map(|(_, v)| SponsoredValue::Json(v)),
        brands,
        creator: json_key(obj, Field::Creator, names).and_then(|(_, v)| json_text(v)),
        url,
        market: match json_key(obj, Field::Market, names).map(|(_, v)| v) {
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            Some(v) => json_text(v),
            None => None,
        },
        paid_partnership_label: json_key(obj, Field::PaidPartnershipLabel, names)
            .map(|(_, v)| SponsoredValue::Json(v)),
    };
    build(source, place, fallback_id, values, options)
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_are_found_as_in_sorted_order() {
        // `json_key` relies on serde_json's map keeping keys sorted (no `preserve_order`).
        let obj: Map<String, Value> =
            serde_json::from_str(r#"{"text": "b", "Caption": "a", "caption": "c"}"#).unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert!(keys.is_sorted(), "{keys:?}");
        let names = FieldNames::default();
        let (key, value) = json_key(&obj, Field::Caption, &names).unwrap();
        assert_eq!((key, value.as_str()), ("Caption", Some("a")));
        assert_eq!(
            key_for(["text", "caption", "Caption"], Field::Caption, &names),
            Some("Caption")
        );
    }

    #[test]
    fn columns_are_found_by_common_names() {
        let cols = Columns::resolve(
            &["Post ID", "Handle", "Post_Text", "id"],
            &FieldNames::default(),
            false,
        )
        .unwrap();
        assert_eq!(cols.get(Field::Caption), Some(2));
        assert_eq!(cols.get(Field::Creator), Some(1));
        assert_eq!(cols.get(Field::Id), Some(3));
    }

    #[test]
    fn a_missing_caption_column_names_what_was_found() {
        let err = Columns::resolve(&["id", "words"], &FieldNames::default(), false).unwrap_err();
        assert!(err.contains("the columns are: id, words"), "{err}");
        let names = FieldNames {
            caption: Some("words".into()),
            ..FieldNames::default()
        };
        assert_eq!(
            Columns::resolve(&["id", "words"], &names, false)
                .unwrap()
                .get(Field::Caption),
            Some(1)
        );
        let names = FieldNames {
            id: Some("nope".into()),
            caption: Some("words".into()),
            ..FieldNames::default()
        };
        assert!(
            Columns::resolve(&["id", "words"], &names, false)
                .unwrap_err()
                .contains("--id-field")
        );
    }

    #[test]
    fn sponsored_spellings() {
        for (s, want) in [
            ("Yes", Some(true)),
            ("0", Some(false)),
            ("", None),
            ("N", Some(false)),
        ] {
            assert_eq!(parse_sponsored(&SponsoredValue::Text(s)), Ok(want), "{s}");
        }
        assert!(parse_sponsored(&SponsoredValue::Text("maybe")).is_err());
    }
}
