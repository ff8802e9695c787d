//! Records of an export become captions: which column or key holds the caption, the id, the
//! platform, the sponsored flag, the brand and the creator, found by common names or named by
//! the user, and the values parsed the same way for every format.
//!
//! With `--fetch`, a record whose caption is missing or empty but which has a URL becomes a
//! caption still to fetch ([`Caption::needs_fetch`]); the run fetches it from the post's page.

use serde_json::{Map, Value};

use super::flat::{Flat, Scalar};
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

    /// Column names found without being told, in order of preference. Names are compared
    /// ignoring case, spaces, underscores, hyphens and dots ([`same_name`]), so `post_text`
    /// also finds `Post Text`, `post-text` and `POST.TEXT`.
    pub fn common_names(self) -> &'static [&'static str] {
        match self {
            Field::Caption => &[
                "caption",
                "text",
                "post_text",
                "caption_text",
                "body",
                "description",
                "message",
                "content",
                "copy",
                "post_copy",
                "post_caption",
                "full_text",
            ],
            Field::Id => &["id", "post_id", "post_url", "url", "permalink", "link"],
            Field::Platform => &["platform", "network", "channel", "social_network", "source"],
            Field::Sponsored => &["sponsored", "is_sponsored", "paid", "is_paid", "paid_post"],
            Field::Brand => &["brand", "brands", "sponsor", "client", "advertiser"],
            Field::Creator => &[
                "creator",
                "handle",
                "username",
                "account",
                "influencer",
                "author",
                "creator_handle",
                "account_name",
            ],
            Field::Url => &["post_url", "url", "permalink", "link", "post_link"],
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

/// Whether a column or key name is the same as a field name, ignoring case, spaces,
/// underscores, hyphens and dots: `Post Text`, `post_text` and `post.text` are one name.
pub fn same_name(found: &str, name: &str) -> bool {
    let skip = |c: &char| !matches!(c, ' ' | '_' | '-' | '.' | '\u{a0}');
    if found.is_ascii() && name.is_ascii() {
        let a = found
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'_' | b'-' | b'.'));
        let b = name
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'_' | b'-' | b'.'));
        return a
            .map(|b| b.to_ascii_lowercase())
            .eq(b.map(|b| b.to_ascii_lowercase()));
    }
    found
        .chars()
        .filter(skip)
        .flat_map(char::to_lowercase)
        .eq(name.chars().filter(skip).flat_map(char::to_lowercase))
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
        let find = |name: &str| header.iter().position(|h| same_name(h, name));
        let mut index = [None; Field::ALL.len()];
        for (slot, field) in index.iter_mut().zip(Field::ALL) {
            *slot = match names.get(field) {
                // `--sponsored-field ''`: the field is switched off.
                Some("") => None,
                Some(name) => Some(find(name).ok_or_else(|| {
                    let near = crate::suggest::did_you_mean(name, header.iter().copied())
                        .map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default();
                    format!(
                        "no column `{name}` (named by {}){near}; the columns are: {}",
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

/// Spellings of "yes" in a yes/no column, compared ignoring case: English and the languages
/// of the built-in packs (German, French, Spanish, Italian, Dutch, Portuguese, Swedish, Danish,
/// Norwegian, Polish), and ticks.
pub const YES: &[&str] = &[
    "true",
    "yes",
    "y",
    "1",
    "ja",
    "j",
    "wahr",
    "oui",
    "o",
    "vrai",
    "sí",
    "si",
    "s",
    "verdadero",
    "sì",
    "vero",
    "waar",
    "sim",
    "verdadeiro",
    "sant",
    "tak",
    "x",
    "✓",
    "✔",
    "☑",
    "✅",
];

/// Spellings of "no", as [`YES`].
pub const NO: &[&str] = &[
    "false", "no", "n", "0", "nein", "falsch", "non", "faux", "falso", "nee", "onwaar", "não",
    "nao", "nej", "nei", "falskt", "nie", "✗", "✘", "❌", "☐",
];

/// Spellings of "not known": an empty cell and these.
pub const UNKNOWN: &[&str] = &["null", "n/a", "na", "-", "?"];

/// Parse a yes/no flag (`sponsored`, `paid_partnership_label`): a spelling of [`YES`] or
/// [`NO`], a JSON boolean, 1 or 0; empty, null or [`UNKNOWN`] for not known. The error is the
/// value as found.
pub fn parse_sponsored(value: &SponsoredValue<'_>) -> Result<Option<bool>, String> {
    let text = match value {
        SponsoredValue::Json(Value::Null) => return Ok(None),
        SponsoredValue::Json(Value::Bool(b)) => return Ok(Some(*b)),
        SponsoredValue::Json(Value::Number(n)) => match n.as_f64() {
            Some(1.0) => return Ok(Some(true)),
            Some(0.0) => return Ok(Some(false)),
            _ => return Err(n.to_string()),
        },
        SponsoredValue::Json(Value::String(s)) => s.as_str(),
        SponsoredValue::Json(other) => return Err(other.to_string()),
        SponsoredValue::Text(s) => s,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let is = |list: &[&str]| {
        list.iter().any(|w| {
            w.eq_ignore_ascii_case(trimmed)
                || (!w.is_ascii() && w.to_lowercase() == trimmed.to_lowercase())
        })
    };
    if is(YES) {
        Ok(Some(true))
    } else if is(NO) {
        Ok(Some(false))
    } else if is(UNKNOWN) {
        Ok(None)
    } else {
        Err(format!("\"{text}\""))
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
    // Yes/no fields share their spellings.
    let flag = |value: &Option<SponsoredValue<'_>>, name: &str| match value {
        Some(v) => parse_sponsored(v).map_err(|found| {
            error(format!(
                "{name} must be yes or no; found {found}. Accepted for yes: {}; for no: {}; for \
                 not known: empty, {} (switch the column off with {} '')",
                YES.join(" "),
                NO.join(" "),
                UNKNOWN.join(" "),
                if name == "sponsored" {
                    Field::Sponsored.flag()
                } else {
                    Field::PaidPartnershipLabel.flag()
                }
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
            .map(|p| {
                options
                    .defaults
                    .platform_name(p)
                    .or_else(|| url.and_then(|u| platform_of_url(u, options)))
                    .map_or_else(|| p.to_string(), String::from)
            })
            .or_else(|| {
                url.and_then(|u| platform_of_url(u, options))
                    .filter(|p| options.defaults.platform_name(p).is_some())
                    .map(String::from)
            }),
        url: url.map(String::from),
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

/// The key holding `field` among an object's keys: the user's name, or the first common name
/// present (compared as [`same_name`] does). Among keys that match the same name, the first in
/// sorted order wins, as in serde_json's map.
pub fn key_for<'k>(
    keys: impl IntoIterator<Item = &'k str>,
    field: Field,
    names: &FieldNames,
) -> Option<&'k str> {
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable();
    let lookup = |name: &str| keys.iter().copied().find(|k| same_name(k, name));
    match names.get(field) {
        Some("") => None,
        Some(name) => lookup(name),
        None => field.common_names().iter().find_map(|n| lookup(n)),
    }
}

/// Where each field sits in a JSON record: the keys (and array indices) leading to it.
type Path = Vec<String>;

/// Finds the fields of JSON records. Records of one export share their shape, so where each
/// field is found is worked out once per set of top-level keys and reused; notes about the
/// shape (a field that is an object) are collected once per export.
#[derive(Debug, Default)]
pub struct Resolver {
    /// The top-level keys of the records the paths were worked out for.
    keys: Vec<String>,
    paths: [Option<Path>; Field::ALL.len()],
    /// Notes not yet handed out, and every note given, so each is said once.
    notes: Vec<String>,
    said: Vec<String>,
    /// A record held nested values: the records are not read as flat ones (see
    /// [`from_flat_record`]).
    pub nested: bool,
}

/// Keys that hold the text when a caption field is an object (`{"caption": {"text": ...}}`).
const TEXT_KEYS: &[&str] = &["text", "body", "value", "content", "message", "caption"];

/// Keys that name a thing when a field other than the caption is an object
/// (`{"creator": {"username": ...}}`).
const NAME_KEYS: &[&str] = &["handle", "username", "name", "value", "id", "text"];

/// Exports that wrap each post: the caption of Instagram's GraphQL shape.
const KNOWN_CAPTION_PATHS: &[&[&str]] = &[&["edge_media_to_caption", "edges", "0", "node", "text"]];

impl Resolver {
    /// The paths of the fields, when they were worked out for records with exactly these keys
    /// (each once).
    fn paths_for(&self, flat: &Flat<'_>) -> Option<&[Option<Path>]> {
        if self.keys.is_empty() || flat.len() != self.keys.len() || flat.len() > 64 {
            return None;
        }
        let mut seen = 0u64;
        for (key, _) in flat {
            let i = self.keys.binary_search_by(|k| k.as_str().cmp(key)).ok()?;
            seen |= 1 << i;
        }
        (seen.count_ones() as usize == flat.len()).then_some(&self.paths)
    }

    /// Notes gathered since the last call, each said once per export.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    fn note(&mut self, note: String) {
        if !self.said.contains(&note) {
            self.said.push(note.clone());
            self.notes.push(note);
        }
    }

    /// The paths of every field for a record with these keys.
    fn paths(&mut self, obj: &Map<String, Value>, names: &FieldNames) -> &[Option<Path>] {
        let same_keys =
            obj.len() == self.keys.len() && obj.keys().zip(&self.keys).all(|(a, b)| a == b);
        if !same_keys || self.keys.is_empty() {
            self.keys = obj.keys().cloned().collect();
            for (i, field) in Field::ALL.into_iter().enumerate() {
                self.paths[i] = self.find(obj, field, names);
            }
        }
        &self.paths
    }

    fn find(&mut self, obj: &Map<String, Value>, field: Field, names: &FieldNames) -> Option<Path> {
        let mut path = match names.get(field) {
            Some("") => return None,
            Some(name) => named_path(obj, name)?,
            None => {
                let top = field
                    .common_names()
                    .iter()
                    .find_map(|n| obj.keys().find(|k| same_name(k, n)))
                    .map(|k| vec![k.clone()]);
                match top {
                    Some(p) => p,
                    None if field == Field::Caption => nested_caption(obj)?,
                    None => return None,
                }
            }
        };
        // A field that is an object: look inside it for the text or the name.
        if let Some(Value::Object(inner)) = value_at(obj, &path) {
            let wanted = if field == Field::Caption {
                TEXT_KEYS
            } else {
                NAME_KEYS
            };
            let found = wanted
                .iter()
                .find_map(|n| inner.keys().find(|k| same_name(k, n)).cloned());
            let shown = path.join(".");
            let keys: Vec<&str> = inner.keys().map(String::as_str).take(20).collect();
            match found {
                Some(key) => {
                    path.push(key);
                    self.note(format!(
                        "`{shown}` is an object: read {} from `{}` (name another key with {} {shown}.KEY; its keys are: {})",
                        field_noun(field),
                        path.join("."),
                        field.flag(),
                        keys.join(", ")
                    ));
                }
                None => self.note(format!(
                    "`{shown}` is an object, not {}; its keys are: {}; name one with {} {shown}.KEY",
                    field_noun(field),
                    keys.join(", "),
                    field.flag()
                )),
            }
        }
        Some(path)
    }
}

/// What a field holds, for notes.
fn field_noun(field: Field) -> &'static str {
    match field {
        Field::Caption => "the caption",
        Field::Id => "the id",
        Field::Platform => "the platform",
        Field::Sponsored => "the sponsored flag",
        Field::Brand => "the brand",
        Field::Creator => "the creator",
        Field::Url => "the post URL",
        Field::Market => "the market",
        Field::PaidPartnershipLabel => "the paid-partnership flag",
    }
}

/// The path a user named: a JSON pointer (`/caption/text`), a key (matched as [`same_name`]
/// does, dots included), or a dotted path (`caption.text`, `media.0.caption`).
fn named_path(obj: &Map<String, Value>, name: &str) -> Option<Path> {
    if let Some(pointer) = name.strip_prefix('/') {
        let tokens: Path = pointer
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        return Some(tokens);
    }
    if let Some(key) = obj.keys().find(|k| k.as_str() == name) {
        return Some(vec![key.clone()]);
    }
    if name.contains('.') {
        // Each step matches a key as field names do; an index steps into an array.
        let mut path = Vec::new();
        let mut here = Some(obj);
        let mut array: Option<&Vec<Value>> = None;
        for token in name.split('.') {
            let next = if let Some(items) = array {
                let i: usize = token.parse().ok()?;
                path.push(token.to_string());
                items.get(i)
            } else {
                let map = here?;
                let key = map
                    .keys()
                    .find(|k| k.as_str() == token)
                    .or_else(|| map.keys().find(|k| same_name(k, token)))?;
                path.push(key.clone());
                map.get(key)
            };
            (here, array) = match next {
                Some(Value::Object(m)) => (Some(m), None),
                Some(Value::Array(a)) => (None, Some(a)),
                _ => (None, None),
            };
        }
        return Some(path);
    }
    obj.keys()
        .find(|k| same_name(k, name))
        .map(|k| vec![k.clone()])
}

/// A caption inside a common nesting: a known export shape, or one level down
/// (`{"post": {"caption": ...}}`, `{"snippet": {"description": ...}}`).
fn nested_caption(obj: &Map<String, Value>) -> Option<Path> {
    for known in KNOWN_CAPTION_PATHS {
        let path: Path = known.iter().map(|t| t.to_string()).collect();
        if matches!(value_at(obj, &path), Some(Value::String(_))) {
            return Some(path);
        }
    }
    for name in Field::Caption.common_names() {
        for (key, value) in obj {
            if let Value::Object(inner) = value
                && let Some(k) = inner.keys().find(|k| same_name(k, name))
            {
                return Some(vec![key.clone(), k.clone()]);
            }
        }
    }
    None
}

/// The value at a path of keys and array indices.
pub fn value_at<'v>(obj: &'v Map<String, Value>, path: &[String]) -> Option<&'v Value> {
    let (first, rest) = path.split_first()?;
    let mut value = obj.get(first)?;
    for token in rest {
        value = match value {
            Value::Object(m) => m.get(token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn json_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Build a caption from a flat record ([`super::flat`]) whose keys the export's [`Resolver`]
/// already knows. `None` when it does not know them, or a field is not one the record holds at
/// its top level, or the caption is not a string: the record is then read the general way
/// ([`from_json_record`]), with the same result.
pub fn from_flat_record(
    source: &str,
    line: usize,
    flat: &Flat<'_>,
    options: &ReadOptions,
    resolver: &Resolver,
) -> Option<Result<Caption, InputError>> {
    let paths = resolver.paths_for(flat)?;
    let mut values: [Option<&Scalar<'_>>; Field::ALL.len()] = [None; Field::ALL.len()];
    for (value, path) in values.iter_mut().zip(paths) {
        *value = match path.as_deref() {
            None => None,
            Some([key]) => flat.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Some(_) => return None,
        };
    }
    let at = |field: Field| values[Field::ALL.iter().position(|f| *f == field)?];
    let Some(Scalar::Str(caption)) = at(Field::Caption) else {
        return None;
    };
    let str_of = |field: Field| match at(field) {
        Some(Scalar::Str(s)) => Some(s.as_ref()),
        _ => None,
    };
    let text_of = |field: Field| match at(field)? {
        Scalar::Str(s) => Some(s.to_string()),
        Scalar::Number(n) => Some(n.to_string()),
        _ => None,
    };
    // A flag that is not text is parsed from its JSON value, as the general way does.
    let json = |field: Field| match at(field) {
        Some(Scalar::Str(_)) | None => None,
        Some(other) => Some(other.to_value()),
    };
    let (sponsored_json, label_json) = (json(Field::Sponsored), json(Field::PaidPartnershipLabel));
    fn flag<'v>(text: Option<&'v str>, json: &'v Option<Value>) -> Option<SponsoredValue<'v>> {
        match (text, json) {
            (Some(s), _) => Some(SponsoredValue::Text(s)),
            (None, Some(v)) => Some(SponsoredValue::Json(v)),
            (None, None) => None,
        }
    }
    let values = Values {
        caption: Some(caption),
        id: text_of(Field::Id),
        platform: str_of(Field::Platform),
        sponsored: flag(str_of(Field::Sponsored), &sponsored_json),
        brands: str_of(Field::Brand).map(split_brands).unwrap_or_default(),
        creator: text_of(Field::Creator),
        url: str_of(Field::Url),
        market: text_of(Field::Market),
        paid_partnership_label: flag(str_of(Field::PaidPartnershipLabel), &label_json),
    };
    Some(build(
        source,
        Place::Line(line),
        line.to_string(),
        values,
        options,
    ))
}

/// Build a caption from a JSON object (a JSONL line or an element of a JSON array), finding
/// its fields afresh.
pub fn from_json_object(
    source: &str,
    place: Place,
    fallback_id: String,
    obj: &Map<String, Value>,
    options: &ReadOptions,
) -> Result<Caption, InputError> {
    from_json_record(
        source,
        place,
        fallback_id,
        obj,
        options,
        &mut Resolver::default(),
    )
}

/// Build a caption from a JSON object, finding its fields with the export's [`Resolver`].
pub fn from_json_record(
    source: &str,
    place: Place,
    fallback_id: String,
    obj: &Map<String, Value>,
    options: &ReadOptions,
    resolver: &mut Resolver,
) -> Result<Caption, InputError> {
    let names = &options.fields;
    let paths = resolver.paths(obj, names);
    let at = |field: Field| -> Option<(&Path, &Value)> {
        let i = Field::ALL.iter().position(|f| *f == field)?;
        let path = paths[i].as_ref()?;
        value_at(obj, path).map(|v| (path, v))
    };
    let url = at(Field::Url).and_then(|(_, v)| v.as_str());
    // With --fetch, a record without a caption but with a URL is fetched.
    let fetchable = options.fetch && url.is_some_and(|u| !u.trim().is_empty());
    let id = at(Field::Id).and_then(|(_, v)| json_text(v));
    let error = |message: String| InputError {
        source: source.to_string(),
        record: Some(id.clone().unwrap_or_else(|| fallback_id.clone())),
        place: Some(place.clone()),
        message,
    };
    // The paths were found on an earlier record with the same keys; a record whose caption
    // is shaped otherwise (a string where others hold an object) is looked at afresh.
    let fresh;
    let mut found = at(Field::Caption);
    if !matches!(found, Some((_, Value::String(_)))) {
        fresh = Resolver::default().find(obj, Field::Caption, names);
        if let Some(path) = &fresh
            && let Some(value @ Value::String(_)) = value_at(obj, path)
        {
            found = Some((path, value));
        }
    }
    let caption = match found {
        Some((_, Value::String(s))) => s.as_str(),
        Some((_, Value::Null)) | None if fetchable => "",
        Some((path, Value::Null)) => return Err(error(format!("`{}` is null", path.join(".")))),
        Some((path, Value::Object(inner))) => {
            let keys: Vec<&str> = inner.keys().map(String::as_str).take(20).collect();
            return Err(error(format!(
                "`{}` must be a string, found an object with keys: {}; name the text with --caption-field {}.KEY",
                path.join("."),
                keys.join(", "),
                path.join(".")
            )));
        }
        Some((path, other)) => {
            return Err(error(format!(
                "`{}` must be a string, found {}",
                path.join("."),
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
                "no caption field: looked for {wanted} (and inside objects one level down); found: {}",
                found.join(", ")
            )));
        }
    };
    let brands = match at(Field::Brand).map(|(_, v)| v) {
        Some(Value::String(s)) => split_brands(s),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Object(m) => NAME_KEYS
                    .iter()
                    .find_map(|n| m.iter().find(|(k, _)| same_name(k, n)))
                    .and_then(|(_, v)| json_text(v)),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let values = Values {
        caption: Some(caption),
        id: id.clone(),
        platform: at(Field::Platform).and_then(|(_, v)| v.as_str()),
        sponsored: at(Field::Sponsored).map(|(_, v)| SponsoredValue::Json(v)),
        brands,
        creator: at(Field::Creator).and_then(|(_, v)| json_text(v)),
        url,
        market: match at(Field::Market).map(|(_, v)| v) {
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
        paid_partnership_label: at(Field::PaidPartnershipLabel)
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

/// The platform of a post URL's host, from the loaded platforms' `hosts`.
fn platform_of_url<'o>(url: &str, options: &'o ReadOptions) -> Option<&'o str> {
    crate::fetch::platform_of(url, &options.defaults.platform_hosts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str, names: FieldNames) -> Result<Caption, InputError> {
        let obj: Map<String, Value> = serde_json::from_str(json).unwrap();
        let options = ReadOptions {
            fields: names,
            ..ReadOptions::default()
        };
        from_json_object("x.jsonl", Place::Line(1), "1".into(), &obj, &options)
    }

    #[test]
    fn json_keys_are_found_as_in_sorted_order() {
        // Among keys matching one name, the first in serde_json's sorted order wins.
        let obj: Map<String, Value> =
            serde_json::from_str(r#"{"text": "b", "Caption": "a", "caption": "c"}"#).unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        assert!(keys.is_sorted(), "{keys:?}");
        let names = FieldNames::default();
        assert_eq!(
            record(
                r#"{"text": "b", "Caption": "a", "caption": "c"}"#,
                names.clone()
            )
            .unwrap()
            .text,
            "a"
        );
        assert_eq!(
            key_for(["text", "caption", "Caption"], Field::Caption, &names),
            Some("Caption")
        );
        assert_eq!(
            key_for(["Post Text", "id"], Field::Caption, &names),
            Some("Post Text")
        );
    }

    #[test]
    fn nested_fields_by_path_pointer_and_by_themselves() {
        let nested = r##"{"id": "p1", "caption": {"text": "#ad hi", "lang": "en"}, "owner": {"username": "jo"}}"##;
        // Found by itself: the caption object's text.
        assert_eq!(
            record(nested, FieldNames::default()).unwrap().text,
            "#ad hi"
        );
        for name in ["caption.text", "/caption/text", "Caption.Text"] {
            let names = FieldNames {
                caption: Some(name.into()),
                creator: Some("owner.username".into()),
                ..FieldNames::default()
            };
            let c = record(nested, names).unwrap();
            assert_eq!(c.text, "#ad hi", "{name}");
            assert_eq!(c.creator.as_deref(), Some("jo"));
        }
        // One level down, and Instagram's GraphQL shape.
        let c = record(
            r#"{"node": {"id": 3, "post_text": "x"}}"#,
            FieldNames::default(),
        )
        .unwrap();
        assert_eq!(c.text, "x");
        let c = record(
            r#"{"edge_media_to_caption": {"edges": [{"node": {"text": "ig"}}]}}"#,
            FieldNames::default(),
        )
        .unwrap();
        assert_eq!(c.text, "ig");
        // An object with no text in it names its keys.
        let e = record(r#"{"caption": {"a": 1, "b": 2}}"#, FieldNames::default()).unwrap_err();
        assert!(e.message.contains("keys: a, b"), "{}", e.message);
        // A field switched off is not read.
        let names = FieldNames {
            sponsored: Some(String::new()),
            ..FieldNames::default()
        };
        let c = record(r#"{"caption": "x", "sponsored": "maybe"}"#, names).unwrap();
        assert_eq!(c.sponsored, None);
    }

    #[test]
    fn records_of_one_shape_with_captions_of_another_are_read() {
        let mut resolver = Resolver::default();
        let options = ReadOptions::default();
        let mut texts = Vec::new();
        for json in [
            r#"{"id": 1, "caption": {"text": "nested"}}"#,
            r#"{"id": 2, "caption": "plain"}"#,
        ] {
            let obj: Map<String, Value> = serde_json::from_str(json).unwrap();
            let c = from_json_record(
                "x",
                Place::Line(1),
                "1".into(),
                &obj,
                &options,
                &mut resolver,
            )
            .unwrap();
            texts.push(c.text);
        }
        assert_eq!(texts, ["nested", "plain"]);
    }

    #[test]
    fn a_resolver_says_once_that_a_field_is_an_object() {
        let mut resolver = Resolver::default();
        let options = ReadOptions::default();
        for _ in 0..3 {
            let obj: Map<String, Value> =
                serde_json::from_str(r#"{"caption": {"text": "t", "lang": "en"}}"#).unwrap();
            from_json_record(
                "x",
                Place::Line(1),
                "1".into(),
                &obj,
                &options,
                &mut resolver,
            )
            .unwrap();
        }
        let notes = resolver.take_notes();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].contains("its keys are: lang, text"),
            "{}",
            notes[0]
        );
        assert!(resolver.take_notes().is_empty());
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
            ("Ja", Some(true)),
            ("Oui", Some(true)),
            ("Sí", Some(true)),
            ("SÍ", Some(true)),
            ("TRUE", Some(true)),
            ("✓", Some(true)),
            ("Nein", Some(false)),
            ("non", Some(false)),
            ("Não", Some(false)),
            ("n/a", None),
        ] {
            assert_eq!(parse_sponsored(&SponsoredValue::Text(s)), Ok(want), "{s}");
        }
        assert!(parse_sponsored(&SponsoredValue::Text("maybe")).is_err());
    }
}
