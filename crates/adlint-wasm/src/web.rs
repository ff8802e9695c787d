//! The JavaScript face of the engine (wasm32 only): one [`Engine`] per page, strings in and
//! JSON text out. A mistake is answered as `{"error": {...}}`, never thrown.
//!
//! ```js
//! import init, { check, fix, rules, explain, fold, load_packs } from "./adlint_wasm.js";
//! await init();
//! const doc = JSON.parse(check("Loving this serum! #sp", JSON.stringify({ platform: "instagram" })));
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::{Engine, Error, answer};

thread_local! {
    /// The page's engine: the built-in packs until `load_packs` gives others.
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// The engine, loading the built-in packs on first use.
fn engine() -> Result<Rc<Engine>, Error> {
    ENGINE.with(|slot| {
        if let Some(engine) = slot.borrow().as_ref() {
            return Ok(engine.clone());
        }
        let engine = Rc::new(Engine::builtin()?);
        *slot.borrow_mut() = Some(engine.clone());
        Ok(engine)
    })
}

/// Check a caption: the CLI's `--format json` document. `options` is JSON text with the keys
/// of `POST /v1/check` (`platform`, `market`, `sponsored`, `brands`, `paid_partnership_label`,
/// `id`), or empty.
#[wasm_bindgen]
pub fn check(caption: &str, options: &str) -> String {
    answer(engine().and_then(|e| e.check(caption, options)))
}

/// Fix a caption: `{caption, changed, diff, edits, fixed, id, remaining}`, as `POST /v1/fix`.
/// `options` also takes `unsafe_fixes`.
#[wasm_bindgen]
pub fn fix(caption: &str, options: &str) -> String {
    answer(engine().and_then(|e| e.fix(caption, options)))
}

/// The rules, packs, platforms (with their folds) and markets, as `GET /v1/rules`.
#[wasm_bindgen]
pub fn rules() -> String {
    answer(engine().map(|e| e.rules()))
}

/// One rule by code or name, with what `adlint explain` says, as `GET /v1/rules/{code}`.
#[wasm_bindgen]
pub fn explain(code: &str) -> String {
    answer(engine().and_then(|e| e.explain(code)))
}

/// Where the platform's "… more" cut falls: `{end, fold, fold_chars, fold_lines, hidden,
/// platform}`, `end` a byte offset into the caption.
#[wasm_bindgen]
pub fn fold(caption: &str, platform: &str) -> String {
    answer(engine().and_then(|e| e.fold(caption, platform)))
}

/// Use the built-in packs and these (`[{"name", "text"}]`, TOML text); `[]` goes back to the
/// built-in packs alone. Answers the new rules (as [`rules`]) or the packs' mistakes, each with
/// its file, line and column; on a mistake the engine keeps the packs it had.
#[wasm_bindgen]
pub fn load_packs(packs: &str) -> String {
    answer(Engine::with_packs_json(packs).map(|engine| {
        let rules = engine.rules();
        ENGINE.with(|slot| *slot.borrow_mut() = Some(Rc::new(engine)));
        rules
    }))
}

/// The engine's version (the crate's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
