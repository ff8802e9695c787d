//! A text or Markdown file, or stdin: the whole text is one caption.

use std::io::Read;

use super::{InputError, io_reason};
use crate::caption::{Caption, Origin};

/// Read one caption. A UTF-8 byte-order mark is dropped (spans are offsets into the caption,
/// so they are 3 less than file offsets when a file starts with one) and trailing whitespace
/// is trimmed; text that is not UTF-8 is an input error. At most `limit` bytes are read: a
/// longer file is an input error, not loaded.
pub fn read_caption(source: &str, reader: impl Read, limit: usize) -> Result<Caption, InputError> {
    let mut bytes = Vec::new();
    reader
        .take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::whole(source, format!("could not read: {}", io_reason(&e))))?;
    if bytes.len() > limit {
        return Err(InputError::whole(
            source,
            format!(
                "the file is larger than {}, far over the caption size limit: not read",
                super::human_size(limit)
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        InputError::whole(
            source,
            format!("not UTF-8 text: invalid byte at offset {}", e.valid_up_to()),
        )
    })?;
    if text.trim().is_empty() {
        return Err(InputError::whole(source, "the caption is empty"));
    }
    let mut caption = Caption::new(text.trim_end());
    caption.origin = Origin::file(source);
    Ok(caption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_trailing_whitespace_are_dropped() {
        let c = read_caption("a.txt", &b"\xEF\xBB\xBF#ad hi\r\n\n"[..], 100).unwrap();
        assert_eq!(c.text, "#ad hi");
    }

    #[test]
    fn invalid_utf8_is_an_input_error() {
        let e = read_caption("a.txt", &b"ok \xFF no"[..], 100).unwrap_err();
        assert!(e.message.contains("offset 3"), "{}", e.message);
    }

    #[test]
    fn a_file_over_the_limit_is_not_loaded() {
        let e = read_caption("big.txt", std::io::repeat(b'a'), 1000).unwrap_err();
        assert!(e.message.contains("larger than 1 KB"), "{}", e.message);
        assert!(read_caption("ok.txt", &[b'a'; 1000][..], 1000).is_ok());
    }
}
