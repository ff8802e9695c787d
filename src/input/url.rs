//! Published posts named by URL: an input that is a URL (`adlint check https://…`) and lists
//! of URLs (`--urls-from links.txt`). Each becomes a caption still to fetch; the run fetches
//! the pages ([`crate::fetch`]), so reading stays free of network I/O.

use std::io::BufRead;

use super::{Event, InputError, ReadOptions, Sink};
use crate::caption::{Caption, Fetched, Origin, Place};
use crate::limits;

/// Whether an input names a URL (`scheme://…`) rather than a file. Any scheme counts, so that
/// `ftp://…` is reported as an unsupported URL instead of a missing file.
pub fn looks_like_url(input: &str) -> bool {
    let Some((scheme, _)) = input.split_once("://") else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A post to fetch: its source is the URL, its context the defaults (`--platform`, …).
pub fn pending(url: &str, options: &ReadOptions) -> Caption {
    let mut caption = Caption::new("");
    caption.origin = Origin::file(url);
    caption.fetched = Some(Fetched::pending(url));
    options.defaults.apply(&mut caption);
    caption
}

/// A list of URLs, one a line; blank lines and lines starting with `#` are skipped. A line
/// that is not a URL is an input error naming its line. A line longer than
/// [`limits::URL_LINE`] is an error too (it is not kept in memory), and a list stops with an
/// error after [`limits::URL_LIST`] bytes.
pub fn read_list(
    source: &str,
    reader: impl BufRead,
    options: &ReadOptions,
    sink: &mut Sink<'_>,
) -> bool {
    let mut reader = reader.take(limits::URL_LIST);
    let mut n = 0usize;
    loop {
        n += 1;
        let place = Place::Line(n);
        let error = |message: String| {
            Event::Error(InputError {
                source: source.to_string(),
                record: Some(n.to_string()),
                place: Some(place.clone()),
                message,
            })
        };
        let line = limits::read_line(&mut reader, limits::URL_LINE);
        let event = match line {
            Err(e) => {
                let _ = sink(error(format!("could not read: {}", super::io_reason(&e))));
                return false;
            }
            Ok(None) if reader.limit() == 0 => {
                return sink(Event::Error(InputError::whole(
                    source,
                    format!(
                        "the list is larger than the {} limit for URL lists: the lines after \
                         line {} were not read",
                        super::human_size(limits::URL_LIST as usize),
                        n - 1
                    ),
                )));
            }
            Ok(None) => return true,
            Ok(Some((_, false))) => error(format!(
                "the line is longer than {}: not a URL",
                super::human_size(limits::URL_LINE)
            )),
            Ok(Some((bytes, true))) => match std::str::from_utf8(&bytes).map(str::trim) {
                Err(_) => error("not UTF-8 text".into()),
                Ok(text) if text.is_empty() || text.starts_with('#') => continue,
                Ok(text) if looks_like_url(text) => Event::Fetch(pending(text, options)),
                Ok(text) => error(format!(
                    "not a URL: `{text}` (give one http:// or https:// URL a line)"
                )),
            },
        };
        if !sink(event) {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths() {
        assert!(looks_like_url("https://www.instagram.com/p/abc/"));
        assert!(looks_like_url("ftp://example.com/x"));
        assert!(!looks_like_url("posts/https.txt"));
        assert!(!looks_like_url("C:\\captions\\a.txt"));
        assert!(!looks_like_url("://nothing"));
    }

    #[test]
    fn lists_skip_blanks_and_comments() {
        let list = "# campaign\n\nhttps://a.example/p/1\r\n  https://b.example/p/2  \nnope\n";
        let mut events = Vec::new();
        read_list(
            "links.txt",
            list.as_bytes(),
            &ReadOptions::default(),
            &mut |e| {
                events.push(e);
                true
            },
        );
        let shown: Vec<String> = events
            .iter()
            .map(|e| match e {
                Event::Fetch(c) => c.origin.source.clone(),
                Event::Error(e) => format!("{}: {}", e.location(), e.message),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            shown,
            [
                "https://a.example/p/1",
                "https://b.example/p/2",
                "links.txt:line 5: not a URL: `nope` (give one http:// or https:// URL a line)"
            ]
        );
    }
}
