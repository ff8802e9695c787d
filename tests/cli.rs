//! CLI behaviour of the built binary: exit codes, stdin, selection, config, rule files.
