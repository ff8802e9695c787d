//! What a document format cannot write until the run is over (SARIF's results come after the
//! invocation that counts the unreadable inputs, JUnit's suites after the totals on the root),
//! kept in constant memory: bytes stay in memory up to [`IN_MEMORY`] and go on to an unnamed
//! temporary file beyond it (created in the system's temporary folder and unlinked at once, so
//! nothing is left behind, even when the run is killed).
//!
//! Also the helpers that let a renderer write a pretty-printed JSON document in pieces with the
//! same bytes `serde_json::to_writer_pretty` gives for the whole.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;

/// Bytes kept in memory before a spool moves to a temporary file.
pub const IN_MEMORY: usize = 4 << 20;

/// An append-only byte store that can be read back by range.
#[derive(Default)]
pub struct Spool {
    /// Bytes not yet in the file (all of them while there is no file).
    mem: Vec<u8>,
    file: Option<File>,
    /// Bytes in the file.
    on_disk: u64,
}

impl Spool {
    pub fn new() -> Self {
        Spool::default()
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.on_disk + self.mem.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append bytes.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.mem.extend_from_slice(bytes);
        if self.mem.len() >= IN_MEMORY {
            self.spill()?;
        }
        Ok(())
    }

    /// Move the bytes held in memory to the file, creating it first.
    fn spill(&mut self) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(anonymous_file()?),
        };
        file.seek(SeekFrom::End(0))?;
        file.write_all(&self.mem)?;
        self.on_disk += self.mem.len() as u64;
        self.mem.clear();
        // Give back a buffer that grew past the threshold by one large write.
        if self.mem.capacity() > 2 * IN_MEMORY {
            self.mem.shrink_to(IN_MEMORY);
        }
        Ok(())
    }

    /// Copy the bytes in `range` to `out`.
    pub fn copy_range(&mut self, range: Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        if range.end > self.on_disk && self.file.is_some() {
            self.spill()?;
        }
        match &mut self.file {
            None => {
                let (start, end) = (range.start as usize, range.end as usize);
                out.write_all(&self.mem[start..end])
            }
            Some(file) => {
                file.seek(SeekFrom::Start(range.start))?;
                let wanted = range.end - range.start;
                let copied = io::copy(&mut Read::by_ref(file).take(wanted), out)?;
                if copied != wanted {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "a temporary file of adlint's was cut short",
                    ));
                }
                Ok(())
            }
        }
    }

    /// Read everything back in order, in pieces: `each` gets consecutive slices of at most
    /// [`IN_MEMORY`] bytes, which may split records (callers that need records frame them).
    pub fn reader(&mut self) -> io::Result<SpoolReader<'_>> {
        if let Some(file) = &mut self.file {
            file.seek(SeekFrom::Start(0))?;
        }
        Ok(SpoolReader {
            file: self
                .file
                .as_mut()
                .map(|f| Read::by_ref(f).take(self.on_disk)),
            mem: &self.mem,
        })
    }
}

/// Reads a spool from its start: the file's bytes, then those in memory.
pub struct SpoolReader<'a> {
    file: Option<io::Take<&'a mut File>>,
    mem: &'a [u8],
}

impl Read for SpoolReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(file) = &mut self.file {
            let n = file.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            self.file = None;
        }
        self.mem.read(buf)
    }
}

/// A new temporary file, already unlinked.
fn anonymous_file() -> io::Result<File> {
    let dir = std::env::temp_dir();
    let (file, path) = crate::output::create_temp(&dir, "adlint-spool")?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// A value as `serde_json::to_writer_pretty` writes it when it sits `depth` levels deep in a
/// document: every line after the first indented by two spaces per level. JSON strings hold no
/// raw line breaks, so every line break in the output is one the pretty printer put there.
pub fn pretty_at(value: &impl serde::Serialize, depth: usize, out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    serde_json::to_writer_pretty(&mut *out, value)?;
    if depth > 0 && out[start..].contains(&b'\n') {
        let rendered = out.split_off(start);
        for (i, line) in rendered.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                out.push(b'\n');
                out.extend(std::iter::repeat_n(b' ', 2 * depth));
            }
            out.extend_from_slice(line);
        }
    }
    Ok(())
}

/// A pretty document with holes: rendered once with a placeholder string where each array will
/// go, then written piece by piece with the arrays' elements in the holes.
pub struct Skeleton {
    /// The text around the holes: one more piece than holes.
    pieces: Vec<Vec<u8>>,
    /// The depth of each hole's elements.
    depths: Vec<usize>,
}

/// The string a hole's placeholder is rendered with (no caption or rule text contains it: it
/// holds control characters that serde_json escapes).
pub fn placeholder(n: usize) -> String {
    format!("\u{1}adlint-hole-{n}\u{1}")
}

impl Skeleton {
    /// Render `doc` (whose holes hold [`placeholder`]s 0, 1, ... in document order).
    pub fn new(doc: &impl serde::Serialize) -> io::Result<Skeleton> {
        let text = serde_json::to_vec_pretty(doc)?;
        let mut pieces = Vec::new();
        let mut depths = Vec::new();
        let mut rest = &text[..];
        for n in 0.. {
            let hole = serde_json::to_string(&placeholder(n))?;
            let Some(at) = find(rest, hole.as_bytes()) else {
                break;
            };
            let line_start = rest[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let indent = rest[line_start..at]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            pieces.push(rest[..at].to_vec());
            depths.push(indent / 2 + 1);
            rest = &rest[at + hole.len()..];
        }
        pieces.push(rest.to_vec());
        Ok(Skeleton { pieces, depths })
    }

    /// The depth of the elements of hole `n`.
    pub fn depth(&self, n: usize) -> usize {
        self.depths.get(n).copied().unwrap_or(1)
    }

    /// The text before hole `n` (after hole `n - 1`).
    pub fn piece(&self, n: usize) -> &[u8] {
        self.pieces.get(n).map_or(&[], Vec::as_slice)
    }

    /// How many holes.
    pub fn holes(&self) -> usize {
        self.depths.len()
    }
}

/// Writes the elements of one array in a hole, as the pretty printer would: `[]` when empty,
/// else `[`, each element on its own lines, `,` between, and `]` at the key's indent.
pub struct ArrayWriter {
    depth: usize,
    count: u64,
}

impl ArrayWriter {
    pub fn new(depth: usize) -> Self {
        ArrayWriter { depth, count: 0 }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// What goes before the next element, already rendered at this array's depth.
    pub fn separator(&mut self) -> Vec<u8> {
        let sep = element_start(self.count, self.depth);
        self.count += 1;
        sep
    }

    /// What closes the array.
    pub fn close(&self) -> Vec<u8> {
        array_end(self.count, self.depth)
    }
}

/// What goes before element `index` of an array whose elements are at `depth`.
pub fn element_start(index: u64, depth: usize) -> Vec<u8> {
    let mut sep = Vec::with_capacity(2 * depth + 2);
    sep.extend_from_slice(if index == 0 { b"[\n" } else { b",\n" });
    sep.extend(std::iter::repeat_n(b' ', 2 * depth));
    sep
}

/// What closes an array of `count` elements at `depth` (`[]` when it is empty).
pub fn array_end(count: u64, depth: usize) -> Vec<u8> {
    if count == 0 {
        return b"[]".to_vec();
    }
    let mut end = b"\n".to_vec();
    end.extend(std::iter::repeat_n(b' ', 2 * depth.saturating_sub(1)));
    end.push(b']');
    end
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Write `doc` with its arrays `holes` through the skeleton, as the renderers do.
    fn pieced(doc: &serde_json::Value, holes: &[(&str, Vec<serde_json::Value>)]) -> Vec<u8> {
        let mut with_holes = doc.clone();
        for (n, (pointer, _)) in holes.iter().enumerate() {
            *with_holes.pointer_mut(pointer).unwrap() = json!(placeholder(n));
        }
        let skeleton = Skeleton::new(&with_holes).unwrap();
        let mut out = Vec::new();
        for (n, (_, items)) in holes.iter().enumerate() {
            out.extend_from_slice(skeleton.piece(n));
            let mut array = ArrayWriter::new(skeleton.depth(n));
            for item in items {
                out.extend(array.separator());
                pretty_at(item, skeleton.depth(n), &mut out).unwrap();
            }
            out.extend(array.close());
        }
        out.extend_from_slice(skeleton.piece(holes.len()));
        out
    }

    #[test]
    fn a_pieced_document_is_the_pretty_document() {
        let items = [
            json!({"a": [1, {"b": "x\ny"}], "c": {}}),
            json!(2),
            json!([]),
        ];
        for n in 0..items.len() {
            let shown = items[..n].to_vec();
            let doc = json!({"v": 1, "runs": [{"k": "x", "results": shown.clone(), "z": [1]}]});
            let out = pieced(&doc, &[("/runs/0/results", shown.clone())]);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&doc).unwrap()
            );
        }
        let doc = json!({"a": [json!(1)], "b": {"c": []}});
        let out = pieced(&doc, &[("/a", vec![json!(1)]), ("/b/c", vec![])]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&doc).unwrap()
        );
    }

    #[test]
    fn a_spool_reads_back_across_memory_and_file() {
        let mut spool = Spool::new();
        let chunk: Vec<u8> = (0..=255u8).cycle().take(IN_MEMORY / 3 + 7).collect();
        let mut all = Vec::new();
        for _ in 0..7 {
            spool.write(&chunk).unwrap();
            all.extend_from_slice(&chunk);
        }
        assert!(spool.file.is_some());
        assert_eq!(spool.len(), all.len() as u64);
        let mut back = Vec::new();
        spool.reader().unwrap().read_to_end(&mut back).unwrap();
        assert_eq!(back, all);
        let mut part = Vec::new();
        let range = 5..(all.len() as u64 - 3);
        spool.copy_range(range.clone(), &mut part).unwrap();
        assert_eq!(part, &all[range.start as usize..range.end as usize]);
    }
}
