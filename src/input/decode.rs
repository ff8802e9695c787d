//! Text encodings: every reader sees UTF-8. A file in UTF-8 (with or without a byte-order mark)
//! is read as it is; UTF-16 (Excel's "Unicode Text", with a byte-order mark or recognised by its
//! zero bytes) and legacy single-byte encodings (Windows-1252 from Excel's "CSV", Latin-1, ...)
//! are decoded with `encoding_rs` as they stream. The legacy encoding is guessed by `chardetng`
//! from the start of the file, or named with `--encoding`.

use std::io::{self, BufRead, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How much of a file is looked at to decide its encoding (the reader's first buffer, at most).
const SAMPLE: usize = 1 << 16;

/// The encoding a stream was found to be in, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// `--encoding`.
    Named,
    /// A byte-order mark.
    Bom,
    /// UTF-16 without a byte-order mark, recognised by its zero bytes.
    ZeroBytes,
    /// Not UTF-8: guessed from the bytes.
    Guessed,
    /// Valid UTF-8 (or plain ASCII).
    Utf8,
}

impl Detected {
    /// What to tell the user when the text was not UTF-8: `read as UTF-16LE (byte-order mark)`.
    pub fn note(&self) -> Option<String> {
        if self.encoding == UTF_8 {
            return None;
        }
        let how = match self.how {
            How::Named => "named by --encoding",
            How::Bom => "byte-order mark",
            How::ZeroBytes => "recognised by its zero bytes",
            How::Guessed | How::Utf8 => {
                "not UTF-8; guessed from its bytes: name another with --encoding if accented letters look wrong"
            }
        };
        Some(format!("read as {} ({how})", self.encoding.name()))
    }
}

/// The encoding named by an `--encoding` label (`utf-16`, `cp1252`, `latin1`, `shift_jis`:
/// the WHATWG Encoding Standard's labels).
pub fn for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label_no_replacement(label.trim().as_bytes())
}

/// Whether the start of a file is UTF-16 (by its byte-order mark or its zero bytes): text, not
/// binary, though it holds zero bytes.
pub fn is_utf16(sample: &[u8]) -> bool {
    matches!(
        Encoding::for_bom(sample),
        Some((e, _)) if e == UTF_16LE || e == UTF_16BE
    ) || utf16_by_zeros(sample).is_some()
}

/// UTF-16 without a byte-order mark: text that is mostly Latin has a zero byte in every other
/// position (the high byte of each code unit), and none in the others.
fn utf16_by_zeros(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    if odd * 10 >= pairs * 6 && even * 50 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 6 && odd * 50 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decide the encoding from the start of the stream. `whole` says the sample is the whole
/// stream (so an incomplete UTF-8 sequence at its end is an error, not a cut).
pub fn detect(sample: &[u8], whole: bool, named: Option<&'static Encoding>) -> Detected {
    if let Some(encoding) = named {
        return Detected {
            encoding,
            how: How::Named,
        };
    }
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return Detected {
            encoding,
            how: How::Bom,
        };
    }
    if let Some(encoding) = utf16_by_zeros(sample) {
        return Detected {
            encoding,
            how: How::ZeroBytes,
        };
    }
    let utf8 = mostly_utf8(sample, whole);
    if utf8 {
        return Detected {
            encoding: UTF_8,
            how: How::Utf8,
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, whole);
    Detected {
        encoding: detector.guess(None, chardetng::Utf8Detection::Deny),
        how: How::Guessed,
    }
}

/// Whether bytes are UTF-8, perhaps with a few bad bytes (a UTF-8 export with one broken
/// row is still UTF-8: its bad rows are errors, and the others must not be decoded as another
/// encoding): valid, or with more well-formed non-ASCII characters than invalid bytes.
fn mostly_utf8(sample: &[u8], whole: bool) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                // Valid up to here, so this cannot fail.
                good += std::str::from_utf8(valid)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                match e.error_len() {
                    // Cut in the middle of a character at the end of the sample.
                    None if !whole => break,
                    None => {
                        bad += 1;
                        break;
                    }
                    Some(n) => {
                        bad += 1;
                        rest = &rest[e.valid_up_to() + n..];
                    }
                }
            }
        }
    }
    bad == 0 || good > bad
}

/// A stream whose first bytes were read to decide its encoding: those bytes, then the rest.
pub type Peeked<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// A stream as UTF-8: passed through when it is UTF-8, decoded otherwise.
pub enum Utf8Reader<R> {
    Utf8(Peeked<R>),
    Decoding(DecodingReader<Peeked<R>>),
}

/// Wrap `reader` so that it yields UTF-8, deciding the encoding from its first 64 KiB (or all
/// of it, when it is shorter). A `stream` (stdin, which may be a live pipe) is not waited on:
/// the encoding is decided from what it has sent so far.
pub fn utf8_reader<R: BufRead>(
    mut reader: R,
    named: Option<&'static Encoding>,
    stream: bool,
) -> io::Result<(Utf8Reader<R>, Detected)> {
    let mut sample = Vec::new();
    let whole = loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break true;
        }
        let n = available.len().min(SAMPLE - sample.len());
        sample.extend_from_slice(&available[..n]);
        reader.consume(n);
        if sample.len() >= SAMPLE || stream {
            break false;
        }
    };
    let detected = detect(&sample, whole, named);
    let peeked = io::Cursor::new(sample).chain(reader);
    if detected.encoding == UTF_8 {
        return Ok((Utf8Reader::Utf8(peeked), detected));
    }
    Ok((
        Utf8Reader::Decoding(DecodingReader {
            inner: peeked,
            decoder: detected.encoding.new_decoder_with_bom_removal(),
            out: vec![0; SAMPLE].into_boxed_slice(),
            pos: 0,
            len: 0,
            done: false,
        }),
        detected,
    ))
}

/// Decodes a stream into UTF-8 as it is read.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    out: Box<[u8]>,
    pos: usize,
    len: usize,
    done: bool,
}

impl<R: BufRead> BufRead for DecodingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.len && !self.done {
            let src = self.inner.fill_buf()?;
            let last = src.is_empty();
            let (_, read, written, _) = self.decoder.decode_to_utf8(src, &mut self.out, last);
            self.inner.consume(read);
            self.pos = 0;
            self.len = written;
            self.done = last;
        }
        Ok(&self.out[self.pos..self.len])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.len);
    }
}

impl<R: BufRead> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Utf8Reader::Utf8(r) => r.read(buf),
            Utf8Reader::Decoding(r) => r.read(buf),
        }
    }
}

impl<R: BufRead> BufRead for Utf8Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Utf8Reader::Utf8(r) => r.fill_buf(),
            Utf8Reader::Decoding(r) => r.fill_buf(),
        }
    }

    fn consume(&mut self, amount: usize) {
        match self {
            Utf8Reader::Utf8(r) => r.consume(amount),
            Utf8Reader::Decoding(r) => r.consume(amount),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], named: Option<&'static Encoding>) -> (String, Detected) {
        // A small buffer, so decoding crosses buffer boundaries.
        let reader = io::BufReader::with_capacity(7, bytes);
        let (mut r, detected) = utf8_reader(reader, named, false).unwrap();
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        (s, detected)
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for unit in s.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf8_passes_through() {
        let (s, d) = decode("id,caption\n1,Crème brûlée #ad\n".as_bytes(), None);
        assert_eq!(s, "id,caption\n1,Crème brûlée #ad\n");
        assert_eq!(d.how, How::Utf8);
        assert_eq!(d.note(), None);
    }

    #[test]
    fn utf16_with_and_without_a_bom() {
        let text = "id\tcaption\r\n1\tCrème #ad 👍\r\n";
        let (s, d) = decode(&utf16le(text, true), None);
        assert_eq!(s, text);
        assert_eq!(d.encoding, UTF_16LE);
        assert_eq!(d.how, How::Bom);
        assert!(is_utf16(&utf16le(text, true)));
        let (s, d) = decode(&utf16le(text, false), None);
        assert_eq!(s, text);
        assert_eq!(d.how, How::ZeroBytes);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let (s, d) = decode(&be, None);
        assert_eq!((s.as_str(), d.encoding), (text, UTF_16BE));
    }

    #[test]
    fn windows_1252_is_guessed_and_can_be_named() {
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252
            .encode("id;caption\n1;Très belle crème, merci à @marque pour le cadeau – #pub\n");
        let (s, d) = decode(&cp1252, None);
        assert!(s.contains("Très belle crème, merci à @marque"), "{s}");
        assert_eq!(d.how, How::Guessed);
        assert!(d.note().unwrap().starts_with("read as windows-1252"));
        let (s, d) = decode(&cp1252, for_label("latin1"));
        assert!(s.contains("Très"));
        assert_eq!(d.how, How::Named);
        assert!(for_label("no-such-encoding").is_none());
    }
}
