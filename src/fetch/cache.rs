//! `--cache DIR`: fetched pages kept on disk with their validators (`ETag`, `Last-Modified`),
//! so that fetching the same post again asks the server whether it changed (`If-None-Match`,
//! `If-Modified-Since`) and a `304 Not Modified` reuses the stored body. `--offline` reads
//! pages from here without asking at all.
//!
//! One JSON file a URL, named by the FNV-1a hash of the URL (the entry keeps the URL, so a
//! collision is a miss, never a wrong page), written atomically.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A stored page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The URL that was asked for.
    pub url: String,
    /// The page that answered, after redirects; revalidation asks it directly.
    pub page_url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub content_type: Option<String>,
    pub body: String,
}

/// A folder of stored pages.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// Use `dir`, creating it when needed.
    pub fn open(dir: &Path) -> io::Result<Cache> {
        fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, url: &str) -> PathBuf {
        self.dir
            .join(format!("{:016x}.json", crate::fingerprint::fnv1a(&[url])))
    }

    /// The stored page for `url`; a missing, unreadable or foreign file is a miss.
    pub fn get(&self, url: &str) -> Option<Entry> {
        let bytes = crate::limits::read_file(&self.path(url), crate::limits::CACHE_ENTRY).ok()?;
        serde_json::from_slice::<Entry>(&bytes)
            .ok()
            .filter(|e| e.url == url)
    }

    /// Store a page, replacing any earlier copy atomically.
    pub fn put(&self, entry: &Entry) -> io::Result<()> {
        let bytes = serde_json::to_vec(entry).map_err(io::Error::other)?;
        crate::output::write_file_atomically(&self.path(&entry.url), &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_by_url() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("nested/cache")).unwrap();
        let entry = Entry {
            url: "https://a.example/p/1".into(),
            page_url: "https://a.example/p/1/".into(),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            content_type: Some("text/html".into()),
            body: "<html>😀</html>".into(),
        };
        assert_eq!(cache.get(&entry.url), None);
        cache.put(&entry).unwrap();
        assert_eq!(cache.get(&entry.url), Some(entry.clone()));
        assert_eq!(cache.get("https://a.example/p/2"), None);
        let files: Vec<_> = fs::read_dir(cache.dir()).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file is left behind");
    }
}
