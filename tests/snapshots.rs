//! Snapshots of rendered output (human and JSON) for fixture captions.
