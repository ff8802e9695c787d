//! `adlint serve`: settings resolved as for `check`, then the server until SIGINT or SIGTERM.

use std::io::Write;

use super::{Ui, exit, overrides, resolve, sources};
use crate::cli::{LogFormat, ServeArgs};
use crate::serve::{self, Options};

pub(super) fn run(args: &ServeArgs, ui: &mut Ui<'_>) -> u8 {
    let overrides = overrides(&args.rule_args, &args.context, None, args.max_caption_size);
    let Some(settings) = resolve(&sources(&args.rule_args), &overrides, ui) else {
        return exit::TROUBLE;
    };
    // `[[ignore]]` entries apply to the server's answers: their globs must compile.
    if let Err(message) = crate::suppress::Ignores::new(&settings.ignored_findings) {
        return ui.fail(&super::UsageError::Suppression(message));
    }
    let bind = args.bind.unwrap_or_else(|| {
        Options::DEFAULT_BIND
            .parse()
            .unwrap_or(std::net::SocketAddr::from(([127, 0, 0, 1], 7878)))
    });
    let options = Options {
        bind,
        token: args.token.clone(),
        log: match args.log_format {
            LogFormat::Text => serve::LogFormat::Text,
            LogFormat::Json => serve::LogFormat::Json,
            LogFormat::Off => serve::LogFormat::Off,
        },
        max_body: args.max_body,
        timeout: args.timeout,
        concurrency: args
            .concurrency
            .map_or_else(Options::default_concurrency, |n| n as usize),
        max_batch: args.max_batch,
        header_timeout: args.header_timeout,
    };
    // Said before serving, so scripts and tests can read the address (port 0 picks one).
    let ready = |addr: std::net::SocketAddr| {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "adlint: listening on http://{addr}");
        let _ = err.flush();
    };
    match serve::run(settings, options, ready) {
        Ok(()) => exit::CLEAN,
        Err(e) => ui.fail(&e),
    }
}
