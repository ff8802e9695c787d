//! JSON exports: an array of objects, an object holding one array of objects
//! (`{"posts": [...], "meta": {...}}`), or the array at a JSON pointer (`--records /data/items`).
//!
//! The file streams: the parser walks the document with serde visitors and hands each element of
//! the records array to the sink as soon as it is parsed, skipping everything off the path
//! without building it, so memory does not grow with the number of records. A syntax error ends
//! the file with one error naming its line and column; the records before it are still checked.
//! Between the file and the parser, [`super::guard`] mends lone surrogate escapes and cuts
//! overlong strings, and each record is built within the record size limit, so one huge or
//! broken record is an error for itself alone.

use std::fmt;
use std::io::{self, BufRead};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::error::Category;

use super::guard::{Bounded, Budget, JsonGuard};
use super::record::{Resolver, from_json_record, type_name};
use super::{Event, InputError, ReadOptions, Sink, io_reason};
use crate::caption::Place;

/// The error a visitor returns to unwind the parser when the sink asks to stop.
const STOPPED: &str = "adlint: reading stopped";

/// How many key names an error message lists.
const MAX_KEYS_SHOWN: usize = 20;

/// How many nested arrays of records an error message lists.
const MAX_NESTED_SHOWN: usize = 5;

/// Read the records of a JSON document, handing each to `sink` as soon as it is parsed. The
/// record id is the id field or the element's 1-based index; its place is its JSON pointer.
/// Returns `false` only when `sink` did.
pub fn read(
    source: &str,
    mut reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    if let Ok(start) = reader.fill_buf()
        && start.starts_with(b"\xEF\xBB\xBF")
    {
        reader.consume(3);
    }
    let tokens = options.records.as_deref().map(parse_pointer);
    let mut state = State {
        source,
        options,
        sink,
        stopped: false,
        started: false,
        read_from: None,
        saw_empty_array: false,
        nested: Vec::new(),
        ambiguous: Vec::new(),
        problems: Vec::new(),
        resolver: Resolver::default(),
    };
    let target = match &tokens {
        None => Target::Find,
        Some(t) if t.is_empty() => Target::Records,
        Some(t) => Target::Path(t),
    };
    let mut de =
        serde_json::Deserializer::from_reader(JsonGuard::new(reader, options.record_limit()));
    let root = Node {
        state: &mut state,
        target,
        path: String::new(),
    };
    let result = root.deserialize(&mut de).and_then(|()| de.end());
    if state.stopped {
        return false;
    }
    state.finish(result.err())
}

/// What the reader knows and where its events go.
struct State<'s, 'k, 'a> {
    source: &'s str,
    options: &'s ReadOptions,
    sink: &'k mut Sink<'a>,
    /// The sink asked to stop.
    stopped: bool,
    /// The top-level value has begun.
    started: bool,
    /// The pointer of the records array that was read (without `--records`).
    read_from: Option<String>,
    /// An empty array was seen at the top level (maybe an export with no records).
    saw_empty_array: bool,
    /// Arrays of objects one level down, when looking for the records without `--records`.
    nested: Vec<String>,
    /// Other top-level keys holding arrays of records (without `--records`).
    ambiguous: Vec<String>,
    /// Problems with the document's shape, reported once it has been read.
    problems: Vec<String>,
    /// Where the records' fields are.
    resolver: Resolver,
}

impl State<'_, '_, '_> {
    fn emit(&mut self, event: Event) -> bool {
        if !(self.sink)(event) {
            self.stopped = true;
        }
        !self.stopped
    }

    /// The pointer given with `--records`, for messages.
    fn records_pointer(&self) -> String {
        self.options
            .records
            .as_deref()
            .map(|p| join_tokens(&parse_pointer(p)))
            .unwrap_or_default()
    }

    /// Stream the elements of a records array, starting with `first` if it was already taken.
    fn records<'de, A: SeqAccess<'de>>(
        &mut self,
        seq: &mut A,
        pointer: &str,
        mut first: Option<(Value, bool)>,
    ) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let (value, over) = match first.take() {
                Some(v) => v,
                None => {
                    let mut budget = Budget::new(self.options.record_limit());
                    match seq.next_element_seed(Bounded(&mut budget))? {
                        Some(v) => (v, budget.over),
                        None => return Ok(()),
                    }
                }
            };
            let stays = if over {
                self.oversized(pointer, index)
            } else {
                self.element(pointer, index, value)
            };
            if !stays {
                return Err(de::Error::custom(STOPPED));
            }
            index += 1;
        }
    }

    /// An element of the records array over the size limit: an error for it alone, and the
    /// rest of it was skipped without being built.
    fn oversized(&mut self, pointer: &str, index: usize) -> bool {
        self.emit(Event::Error(InputError {
            source: self.source.to_string(),
            record: Some((index + 1).to_string()),
            place: Some(Place::Pointer(format!("{pointer}/{index}"))),
            message: super::over_record_limit("the record", self.options),
        }))
    }

    /// One element of the records array becomes a caption, or an error for it alone.
    fn element(&mut self, pointer: &str, index: usize, value: Value) -> bool {
        let place = Place::Pointer(format!("{pointer}/{index}"));
        let fallback = (index + 1).to_string();
        let event = match value {
            Value::Object(obj) => Event::record(from_json_record(
                self.source,
                place,
                fallback,
                &obj,
                self.options,
                &mut self.resolver,
            )),
            other => Event::Error(InputError {
                source: self.source.to_string(),
                record: Some(fallback),
                place: Some(place),
                message: format!(
                    "expected a JSON object with a caption field, found {}",
                    type_name(&other)
                ),
            }),
        };
        if !self.emit(event) {
            return false;
        }
        for note in self.resolver.take_notes() {
            if !self.emit(Event::note(self.source, note, false)) {
                return false;
            }
        }
        true
    }

    /// Report what was found wrong once the document was read, then the error that ended it.
    fn finish(mut self, error: Option<serde_json::Error>) -> bool {
        if !self.ambiguous.is_empty()
            && let Some(read) = self.read_from.clone()
        {
            let mut keys = vec![format!("`{read}`")];
            keys.extend(self.ambiguous.iter().map(|k| format!("`{k}`")));
            let message = format!(
                "several top-level keys hold arrays of records: {}; only `{read}` was read \
                 (choose the array with --records, e.g. --records {})",
                keys.join(", "),
                self.ambiguous[0]
            );
            if !self.emit(Event::Error(InputError::whole(self.source, message))) {
                return false;
            }
        }
        for message in std::mem::take(&mut self.problems) {
            if !self.emit(Event::Error(InputError::whole(self.source, message))) {
                return false;
            }
        }
        match error {
            Some(e) => {
                let event = Event::Error(parse_error(self.source, e, self.started));
                self.emit(event)
            }
            None => true,
        }
    }
}

/// A parse error as an input error at its line, naming its column.
fn parse_error(source: &str, e: serde_json::Error, started: bool) -> InputError {
    let (line, column) = (e.line(), e.column().max(1));
    let category = e.classify();
    if category == Category::Io {
        return InputError::whole(
            source,
            format!("could not read: {}", io_reason(&io::Error::from(e))),
        );
    }
    if category == Category::Eof && !started {
        return InputError::whole(
            source,
            "the file is empty: expected a JSON array of records or an object holding one",
        );
    }
    let text = e.to_string();
    let reason = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(r, _)| r);
    let message = if reason == "recursion limit exceeded" {
        format!("JSON nested deeper than 128 levels at column {column}; nothing after it was read")
    } else {
        format!("invalid JSON at column {column}: {reason}; nothing after it was read")
    };
    InputError {
        source: source.to_string(),
        record: None,
        place: Some(Place::Line(line)),
        message,
    }
}

/// The reference tokens of a JSON pointer (RFC 6901). A missing leading `/` is forgiven:
/// `posts` means `/posts`.
fn parse_pointer(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .strip_prefix('/')
        .unwrap_or(pointer)
        .split('/')
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn join_tokens(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

/// An array index token: digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0" || (!token.starts_with('0') && !token.is_empty());
    if canonical && token.bytes().all(|b| b.is_ascii_digit()) {
        token.parse().ok()
    } else {
        None
    }
}

/// What a value in the document is to the reader.
#[derive(Clone, Copy)]
enum Target<'p> {
    /// The top level without `--records`: an array of records, or an object holding one.
    Find,
    /// A value of a top-level key without `--records`: maybe the array of records.
    Candidate,
    /// A value one level further down without `--records`: only noted if it holds records.
    Probe,
    /// On the way to `--records`: these tokens remain.
    Path(&'p [String]),
    /// The array of records.
    Records,
}

/// One value of the document, visited without being built unless it is a record.
struct Node<'n, 'p, 's, 'k, 'a> {
    state: &'n mut State<'s, 'k, 'a>,
    target: Target<'p>,
    /// The JSON pointer of this value.
    path: String,
}

impl<'s, 'k, 'a> Node<'_, '_, 's, 'k, 'a> {
    fn shown_path(&self) -> String {
        if self.path.is_empty() {
            "the top level".into()
        } else {
            format!("`{}`", self.path)
        }
    }

    /// A value that is not an array or an object.
    fn scalar(self, kind: &str) {
        let problem = match self.target {
            Target::Find => {
                format!("expected a JSON array of records or an object holding one; found {kind}")
            }
            Target::Candidate | Target::Probe => return,
            Target::Path(_) => format!(
                "no records at `{}`: {} is {kind}",
                self.state.records_pointer(),
                self.shown_path()
            ),
            Target::Records => format!("`{}` is {kind}, not an array of records", self.path),
        };
        self.state.problems.push(problem);
    }

    fn child<'c>(&'c mut self, token: &str, target: Target<'c>) -> Node<'c, 'c, 's, 'k, 'a> {
        Node {
            path: format!("{}/{}", self.path, escape_token(token)),
            state: &mut *self.state,
            target,
        }
    }
}

fn next_target(tokens: &[String]) -> Target<'_> {
    if tokens.len() > 1 {
        Target::Path(&tokens[1..])
    } else {
        Target::Records
    }
}

/// The next element of an array, built within the record size limit, and whether it was over.
fn bounded_element<'de, A: SeqAccess<'de>>(
    seq: &mut A,
    options: &ReadOptions,
) -> Result<Option<(Value, bool)>, A::Error> {
    let mut budget = Budget::new(options.record_limit());
    Ok(seq
        .next_element_seed(Bounded(&mut budget))?
        .map(|v| (v, budget.over)))
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Key names for a message, a few at most.
fn list_keys(keys: &[String], more: bool) -> String {
    let mut shown = keys.join(", ");
    if more {
        shown.push_str(", …");
    }
    if shown.is_empty() {
        "(none)".into()
    } else {
        shown
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_, '_, '_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_, '_, '_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.state.started = true;
        self.scalar("a boolean");
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.state.started = true;
        self.scalar("a number");
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.state.started = true;
        self.scalar("a number");
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.state.started = true;
        self.scalar("a number");
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.state.started = true;
        self.scalar("a string");
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.state.started = true;
        self.scalar("null");
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.state.started = true;
        match self.target {
            Target::Find | Target::Records => {
                self.state.read_from = Some(self.path.clone());
                self.state.records(&mut seq, &self.path, None)
            }
            Target::Candidate => match bounded_element(&mut seq, self.state.options)? {
                None => {
                    self.state.saw_empty_array = true;
                    Ok(())
                }
                Some(first @ (Value::Object(_), _)) => {
                    if self.state.read_from.is_none() {
                        self.state.read_from = Some(self.path.clone());
                        self.state.records(&mut seq, &self.path, Some(first))
                    } else {
                        self.state.ambiguous.push(self.path);
                        drain_seq(seq)
                    }
                }
                // An array of other values (tags, numbers) is not the records.
                Some(_) => drain_seq(seq),
            },
            Target::Probe => {
                if let Some((Value::Object(_), _)) = bounded_element(&mut seq, self.state.options)?
                    && self.state.nested.len() < MAX_NESTED_SHOWN
                {
                    self.state.nested.push(self.path);
                }
                drain_seq(seq)
            }
            Target::Path(tokens) => {
                let token = &tokens[0];
                let Some(index) = array_index(token) else {
                    let problem = format!(
                        "no records at `{}`: {} is an array and `{token}` is not an index",
                        self.state.records_pointer(),
                        self.shown_path()
                    );
                    self.state.problems.push(problem);
                    return drain_seq(seq);
                };
                let mut len = 0usize;
                while len < index {
                    if seq.next_element::<IgnoredAny>()?.is_none() {
                        let problem = format!(
                            "no records at `{}`: {} has {len} element{}",
                            self.state.records_pointer(),
                            self.shown_path(),
                            if len == 1 { "" } else { "s" }
                        );
                        self.state.problems.push(problem);
                        return Ok(());
                    }
                    len += 1;
                }
                let child = self.child(token, next_target(tokens));
                if seq.next_element_seed(child)?.is_none() {
                    let problem = format!(
                        "no records at `{}`: {} has {len} element{}",
                        self.state.records_pointer(),
                        self.shown_path(),
                        if len == 1 { "" } else { "s" }
                    );
                    self.state.problems.push(problem);
                    return Ok(());
                }
                drain_seq(seq)
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.state.started = true;
        match self.target {
            Target::Find => {
                let (mut keys, mut more) = (Vec::new(), false);
                while let Some(key) = map.next_key::<String>()? {
                    let child = self.child(&key, Target::Candidate);
                    map.next_value_seed(child)?;
                    if keys.len() < MAX_KEYS_SHOWN {
                        keys.push(key);
                    } else {
                        more = true;
                    }
                }
                if self.state.read_from.is_some() {
                    return Ok(());
                }
                // Records one level down (`{"data": {"items": [...]}, "errors": []}`) need
                // `--records`; an empty array alone is an export with no records.
                let problem = if let Some(first) = self.state.nested.first() {
                    let found: Vec<String> =
                        self.state.nested.iter().map(|p| format!("`{p}`")).collect();
                    format!(
                        "no array of records at the top level; found arrays of objects at {}: \
                         name the records with --records, e.g. --records {first}",
                        found.join(", ")
                    )
                } else if self.state.saw_empty_array {
                    return Ok(());
                } else {
                    format!(
                        "no array of records: no top-level key holds an array of objects; the \
                         keys are: {}; name the array with --records, e.g. --records /data/items",
                        list_keys(&keys, more)
                    )
                };
                self.state.problems.push(problem);
                Ok(())
            }
            Target::Path(tokens) => {
                let (mut keys, mut more, mut found) = (Vec::new(), false, false);
                while let Some(key) = map.next_key::<String>()? {
                    if !found && key == tokens[0] {
                        found = true;
                        let child = self.child(&key, next_target(tokens));
                        map.next_value_seed(child)?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                    if keys.len() < MAX_KEYS_SHOWN {
                        keys.push(key);
                    } else {
                        more = true;
                    }
                }
                if !found {
                    let problem = format!(
                        "no records at `{}`: {} has no key `{}`; its keys are: {}",
                        self.state.records_pointer(),
                        self.shown_path(),
                        tokens[0],
                        list_keys(&keys, more)
                    );
                    self.state.problems.push(problem);
                }
                Ok(())
            }
            Target::Candidate => {
                while let Some(key) = map.next_key::<String>()? {
                    let child = self.child(&key, Target::Probe);
                    map.next_value_seed(child)?;
                }
                Ok(())
            }
            Target::Probe => drain_map(map),
            Target::Records => {
                let problem = format!("`{}` is an object, not an array of records", self.path);
                self.state.problems.push(problem);
                drain_map(map)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_json(text: &str, options: &ReadOptions) -> Vec<Event> {
        let mut out = Vec::new();
        read("x.json", text.as_bytes(), options, &mut |e| {
            out.push(e);
            true
        });
        out
    }

    fn records(pointer: &str) -> ReadOptions {
        ReadOptions {
            records: Some(pointer.into()),
            ..ReadOptions::default()
        }
    }

    fn caption(event: &Event) -> &crate::caption::Caption {
        match event {
            Event::Caption(c) => c,
            other => panic!("expected a caption, got {other:?}"),
        }
    }

    fn error(event: &Event) -> &InputError {
        match event {
            Event::Error(e) => e,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn a_top_level_array() {
        let events = read_json(
            "\u{feff}[{\"id\": \"a\", \"caption\": \"#ad hi\", \"platform\": \"tiktok\", \"sponsored\": true},\n {\"text\": \"two\"}, 5, {\"id\": 9}]",
            &ReadOptions::default(),
        );
        assert_eq!(events.len(), 4, "{events:?}");
        let first = caption(&events[0]);
        assert_eq!(first.origin.record.as_deref(), Some("a"));
        assert_eq!(first.origin.place, Some(Place::Pointer("/0".into())));
        assert_eq!(first.platform.as_deref(), Some("tiktok"));
        assert_eq!(first.sponsored, Some(true));
        let second = caption(&events[1]);
        assert_eq!(second.origin.record.as_deref(), Some("2"));
        assert_eq!(second.origin.display(), "x.json:/1 (post 2)");
        let third = error(&events[2]);
        assert_eq!(third.record.as_deref(), Some("3"));
        assert_eq!(third.place, Some(Place::Pointer("/2".into())));
        assert!(
            third.message.contains("found a number"),
            "{}",
            third.message
        );
        let fourth = error(&events[3]);
        assert_eq!(fourth.record.as_deref(), Some("9"));
        assert!(
            fourth.message.contains("no caption field"),
            "{}",
            fourth.message
        );
    }

    #[test]
    fn an_object_holding_one_array() {
        let events = read_json(
            r#"{"meta": {"count": 2, "tags": ["x"], "nested": [{"caption": "not me"}]},
                "tags": ["ad", "spon"], "empty": [],
                "posts": [{"caption": "one"}, {"caption": "two", "id": "p2"}],
                "total": 2}"#,
            &ReadOptions::default(),
        );
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(caption(&events[0]).text, "one");
        assert_eq!(
            caption(&events[0]).origin.place,
            Some(Place::Pointer("/posts/0".into()))
        );
        assert_eq!(
            caption(&events[1]).origin.display(),
            "x.json:/posts/1 (post p2)"
        );
    }

    #[test]
    fn several_arrays_of_records_are_one_error_naming_them() {
        let events = read_json(
            r#"{"posts": [{"caption": "one"}], "drafts": [{"caption": "two"}], "stories": [{"caption": "3"}]}"#,
            &ReadOptions::default(),
        );
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(caption(&events[0]).text, "one");
        let e = error(&events[1]);
        assert!(
            e.message.contains("`/posts`, `/drafts`, `/stories`")
                && e.message.contains("--records /drafts"),
            "{}",
            e.message
        );
        // Naming the array resolves it.
        let events = read_json(
            r#"{"posts": [{"caption": "one"}], "drafts": [{"caption": "two"}]}"#,
            &records("/drafts"),
        );
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(caption(&events[0]).text, "two");
    }

    #[test]
    fn no_array_of_records_names_the_keys() {
        let events = read_json(r#"{"a": 1, "tags": ["x"]}"#, &ReadOptions::default());
        assert_eq!(events.len(), 1);
        let e = error(&events[0]);
        assert!(
            e.message.contains("the keys are: a, tags;"),
            "{}",
            e.message
        );
        // Records one level down are named, and an empty array beside them is not taken for
        // the records.
        let events = read_json(
            r#"{"data": {"cursor": "x", "items": [{"caption": "x"}], "more": [{}]}, "errors": []}"#,
            &ReadOptions::default(),
        );
        assert_eq!(events.len(), 1, "{events:?}");
        assert!(
            error(&events[0])
                .message
                .contains("found arrays of objects at `/data/items`, `/data/more`: name the records with --records, e.g. --records /data/items"),
            "{events:?}"
        );
        // An empty export is not an error.
        assert!(read_json(r#"{"posts": [], "meta": {}}"#, &ReadOptions::default()).is_empty());
        assert!(read_json("[]", &ReadOptions::default()).is_empty());
        let e = read_json("\"text\"", &ReadOptions::default());
        assert!(error(&e[0]).message.contains("found a string"));
    }

    #[test]
    fn records_at_a_pointer() {
        let text = r#"{"page": 1, "data": {"x": [1], "items": [{"caption": "a"}, {"caption": "b"}], "y": {}}, "z": [{"caption": "no"}]}"#;
        let events = read_json(text, &records("/data/items"));
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(
            caption(&events[1]).origin.place,
            Some(Place::Pointer("/data/items/1".into()))
        );
        // Without the leading slash, and through an array index.
        let events = read_json(
            r#"{"pages": [{}, {"items": [{"caption": "p"}]}]}"#,
            &records("pages/1/items"),
        );
        assert_eq!(
            caption(&events[0]).origin.display(),
            "x.json:/pages/1/items/0 (post 1)"
        );
        // Escaped tokens.
        let events = read_json(
            r#"{"a/b": {"~c": [{"caption": "e"}]}}"#,
            &records("/a~1b/~0c"),
        );
        assert_eq!(
            caption(&events[0]).origin.place,
            Some(Place::Pointer("/a~1b/~0c/0".into()))
        );
        // The top level itself.
        assert_eq!(read_json(r#"[{"caption": "t"}]"#, &records("")).len(), 1);
    }

    #[test]
    fn a_pointer_that_does_not_lead_to_records() {
        let text = r#"{"data": {"items": {"a": 1}, "other": []}}"#;
        let e = read_json(text, &records("/data/posts"));
        assert_eq!(e.len(), 1);
        assert!(
            error(&e[0])
                .message
                .contains("no records at `/data/posts`: `/data` has no key `posts`; its keys are: items, other"),
            "{}",
            error(&e[0]).message
        );
        let e = read_json(text, &records("/data/items"));
        assert!(error(&e[0]).message.contains("`/data/items` is an object"));
        let e = read_json(r#"{"data": 3}"#, &records("/data/items"));
        assert!(
            error(&e[0]).message.contains("`/data` is a number"),
            "{e:?}"
        );
        let e = read_json(r#"{"data": [1]}"#, &records("/data/4"));
        assert!(error(&e[0]).message.contains("has 1 element"), "{e:?}");
    }

    #[test]
    fn a_syntax_error_names_its_line_and_column_after_earlier_records() {
        let text = "[\n{\"caption\": \"one\"},\n{\"caption\": \"two\"},\n{\"caption\": \"three\" \"id\": 4},\n{\"caption\": \"five\"}\n]";
        let events = read_json(text, &ReadOptions::default());
        assert_eq!(events.len(), 3, "{events:?}");
        assert_eq!(caption(&events[1]).text, "two");
        let e = error(&events[2]);
        assert_eq!(e.place, Some(Place::Line(4)));
        assert_eq!(e.location(), "x.json:line 4");
        assert!(
            e.message
                .starts_with("invalid JSON at column 21: expected `,` or `}`"),
            "{}",
            e.message
        );
        // Trailing garbage, a truncated file and an empty one.
        let events = read_json("[{\"caption\": \"a\"}] x", &ReadOptions::default());
        assert!(error(&events[1]).message.contains("trailing characters"));
        let events = read_json("[{\"caption\": \"a\"},", &ReadOptions::default());
        assert!(error(&events[1]).message.contains("EOF"), "{events:?}");
        let events = read_json(" \n", &ReadOptions::default());
        assert!(error(&events[0]).message.contains("the file is empty"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        for text in [
            "[".repeat(100_000),
            format!("[{{\"caption\": \"x\", \"deep\": {}", "[".repeat(100_000)),
            format!("{{\"posts\": {}", "[".repeat(100_000)),
        ] {
            let events = read_json(&text, &ReadOptions::default());
            let e = error(events.last().unwrap());
            assert!(
                e.message.contains("nested deeper than 128 levels"),
                "{}",
                e.message
            );
        }
        // Deep values off the records path are skipped without recursion.
        let text = format!(
            "{{\"meta\": {}1{}, \"posts\": [{{\"caption\": \"ok\"}}]}}",
            "{\"a\": ".repeat(10_000),
            "}".repeat(10_000)
        );
        let events = read_json(&text, &ReadOptions::default());
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(caption(&events[0]).text, "ok");
        let text = format!(
            "{{\"meta\": {}{}, \"posts\": [{{\"caption\": \"ok\"}}]}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let events = read_json(&text, &records("/posts"));
        assert_eq!(events.len(), 1, "{events:?}");
    }

    #[test]
    fn stopping_the_sink_stops_reading() {
        let mut seen = 0;
        let more = read(
            "x.json",
            "[{\"caption\": \"a\"}, {\"caption\": \"b\"}, {\"caption\": \"c\"}]".as_bytes(),
            &ReadOptions::default(),
            &mut |_| {
                seen += 1;
                seen < 2
            },
        );
        assert!(!more);
        assert_eq!(seen, 2);
    }

    #[test]
    fn many_records_stream() {
        // A reader that produces records on demand: nothing holds the whole document.
        struct Gen {
            n: usize,
            i: usize,
            buf: Vec<u8>,
            pos: usize,
        }
        impl io::Read for Gen {
            fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
                if self.pos == self.buf.len() {
                    self.buf.clear();
                    self.pos = 0;
                    if self.i == 0 {
                        self.buf.extend_from_slice(b"{\"posts\": [");
                    }
                    if self.i < self.n {
                        let sep = if self.i + 1 < self.n { "," } else { "]}" };
                        self.buf.extend_from_slice(
                            format!(
                                "{{\"id\": {}, \"caption\": \"post {}\"}}{sep}",
                                self.i, self.i
                            )
                            .as_bytes(),
                        );
                        self.i += 1;
                    }
                }
                let n = out.len().min(self.buf.len() - self.pos);
                out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                self.pos += n;
                Ok(n)
            }
        }
        let reader = io::BufReader::new(Gen {
            n: 50_000,
            i: 0,
            buf: Vec::new(),
            pos: 0,
        });
        let mut count = 0usize;
        let mut last = None;
        assert!(read(
            "gen.json",
            reader,
            &ReadOptions::default(),
            &mut |e| {
                let Event::Caption(c) = e else {
                    panic!("{e:?}")
                };
                count += 1;
                last = c.origin.record;
                true
            }
        ));
        assert_eq!(count, 50_000);
        assert_eq!(last.as_deref(), Some("49999"));
    }
}
