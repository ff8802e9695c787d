//! Shared by the export targets: read bytes with one reader and check what it yields.
#![allow(dead_code)]

use adlint::input::{self, Event, FieldNames, Kind, ReadOptions};

/// Options picked by the first byte: default fields, or named ones; for JSON, a records
/// pointer; for CSV, another delimiter.
pub fn options(kind: Kind, pick: u8) -> ReadOptions {
    let mut options = ReadOptions::default();
    if pick & 1 != 0 {
        options.fields = FieldNames {
            caption: Some("body".into()),
            id: Some("key".into()),
            ..FieldNames::default()
        };
    }
    if kind == Kind::Json && pick & 2 != 0 {
        options.records = Some(["/data", "", "/a~1b/0", "/posts"][(pick >> 2) as usize % 4].into());
    }
    if matches!(kind, Kind::Csv | Kind::Tsv) && pick & 2 != 0 {
        options.delimiter = Some([b';', b'|', b'\t', b','][(pick >> 2) as usize % 4]);
    }
    options
}

/// Every event is a caption with a place to name, or an input error with a message; captions
/// are checked with the built-in packs.
pub fn sink_check(event: Event) -> bool {
    match event {
        Event::Caption(c) => {
            assert!(!c.origin.source.is_empty());
            super::common::check_caption(&c, &super::common::BUILTIN);
        }
        Event::Error(e) => {
            assert!(
                !e.message.trim().is_empty(),
                "an input error without a reason"
            );
            let _ = e.location();
        }
        Event::Skipped { .. } => panic!("a stream never skips files"),
        Event::Fetch(_) => panic!("nothing is fetched without --fetch"),
    }
    true
}

/// Read `data` (after the first byte, which picks the options) as `kind`; return the number of
/// events.
pub fn read(kind: Kind, data: &[u8]) -> usize {
    let Some((&pick, body)) = data.split_first() else {
        return 0;
    };
    let options = options(kind, pick);
    let mut events = 0usize;
    input::read_stream("fuzz", kind, body, &options, &mut |event| {
        events += 1;
        sink_check(event)
    });
    events
}
