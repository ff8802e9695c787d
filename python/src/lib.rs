//! `adlint._adlint`: the Python package's extension. The rules, the engine and the command line
//! are adlint's own; this module turns Python values into captions and findings into dicts in
//! the JSON contract the CLI writes (`adlint_core::contract::DiagnosticJson`).
//!
//! The Python side (`python/adlint/`) adds the module-level `check`, the pandas and Arrow
//! helpers and the `adlint` console script.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use adlint::caption::{Caption, Origin, Place};
use adlint::contract::DiagnosticJson;
use adlint::input::record::from_json_object;
use adlint::input::{Defaults, FieldNames, ReadOptions};
use adlint::rules::{RuleErrors, RuleSet};
use adlint::settings::{self, ConfigSource, Overrides, ResolveError, SettingsError, Sources};
use adlint::{engine, fix};
use miette::{GraphicalReportHandler, GraphicalTheme};
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::{Map, Value};

create_exception!(
    _adlint,
    AdlintError,
    PyValueError,
    "adlint could not do what was asked: a bad option, config file or record. The message is adlint's own report."
);
create_exception!(
    _adlint,
    RuleError,
    AdlintError,
    "A rule pack has mistakes. `file`, `line` and `column` point at the first; `errors` lists them all."
);

/// A miette report as text, without colour, as the CLI writes it to a file.
fn render(e: &dyn miette::Diagnostic) -> String {
    let mut s = String::new();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_links(false);
    if handler.render_report(&mut s, e).is_err() || s.trim().is_empty() {
        return e.to_string();
    }
    s.trim_end().to_string()
}

fn usage(message: impl Into<String>) -> PyErr {
    AdlintError::new_err(message.into())
}

/// Rule files' mistakes as `adlint.RuleError`: the rendered reports, and where the first is.
fn rule_error(py: Python<'_>, errors: &RuleErrors) -> PyErr {
    let mut text = String::new();
    let mut places = Vec::new();
    for e in &errors.errors {
        text.push_str(&render(e));
        text.push_str("\n\n");
        let file = e.src.name().to_string();
        let (line, column) = match e.span {
            Some(span) => {
                let (l, c) = adlint::text::line_col(e.src.inner(), span.offset());
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        places.push((file, line, column, e.message.clone(), e.help.clone()));
    }
    let n = errors.errors.len();
    text.push_str(&format!(
        "{n} mistake{} in rule files; nothing was checked",
        if n == 1 { "" } else { "s" }
    ));
    let err = RuleError::new_err(text);
    let value = err.value(py);
    let set = || -> PyResult<()> {
        let first = places.first();
        value.setattr("file", first.map(|p| p.0.clone()))?;
        value.setattr("line", first.and_then(|p| p.1))?;
        value.setattr("column", first.and_then(|p| p.2))?;
        let list = PyList::empty(py);
        for (file, line, column, message, help) in &places {
            let d = PyDict::new(py);
            d.set_item("file", file)?;
            d.set_item("line", line)?;
            d.set_item("column", column)?;
            d.set_item("message", message)?;
            d.set_item("help", help)?;
            list.append(d)?;
        }
        value.setattr("errors", list)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// Settings that could not be resolved: `adlint.RuleError` for mistakes in rule files, else
/// `adlint.AdlintError` with every report. A market is a `markets=` argument here, so it is
/// called one.
fn settings_error(py: Python<'_>, errors: &[SettingsError]) -> PyErr {
    if let Some(SettingsError::Rules(rules)) =
        errors.iter().find(|e| matches!(e, SettingsError::Rules(_)))
    {
        return rule_error(py, rules);
    }
    let reports: Vec<String> = errors
        .iter()
        .map(|e| match e {
            SettingsError::Resolve(ResolveError::UnknownJurisdiction(bad, help)) => {
                format!("unknown market `{bad}`; {help}")
            }
            e => render(e),
        })
        .collect();
    AdlintError::new_err(reports.join("\n\n"))
}

/// Rules and reading options, loaded once and shared by every check.
struct Engine {
    rules: RuleSet,
    options: ReadOptions,
}

impl Engine {
    /// Resolve settings as the CLI does (the same layer, the same mistakes), and the reading
    /// options they give.
    fn load(py: Python<'_>, sources: &Sources, overrides: &Overrides) -> PyResult<Engine> {
        let settings =
            settings::resolve(sources, overrides).map_err(|errors| settings_error(py, &errors))?;
        let options = ReadOptions {
            defaults: Defaults::from_settings(&settings),
            max_caption: settings.max_caption,
            ..ReadOptions::default()
        };
        Ok(Engine {
            rules: settings.rules,
            options,
        })
    }

    /// The reading options with these field names (the Linter's own when none are named).
    fn options(&self, fields: &FieldNames) -> std::borrow::Cow<'_, ReadOptions> {
        if fields_empty(fields) {
            std::borrow::Cow::Borrowed(&self.options)
        } else {
            std::borrow::Cow::Owned(ReadOptions {
                fields: fields.clone(),
                ..self.options.clone()
            })
        }
    }

    /// A caption from an input: a string is the caption itself; a record is read as the CLI
    /// reads a JSONL record (`caption`/`text`, `id`, `platform`, `sponsored`, `brand(s)`,
    /// `market`, ... found by the same names), with `index` (from 1) naming it when it has
    /// no id.
    fn caption(
        &self,
        input: Input,
        index: usize,
        options: &ReadOptions,
    ) -> Result<Caption, String> {
        match input {
            Input::Text(text) => {
                let mut caption = Caption::new(text);
                caption.origin = Origin::file("<python>");
                options.defaults.apply(&mut caption);
                Ok(caption)
            }
            Input::Record(obj) => from_json_object(
                "<python>",
                Place::Line(index),
                index.to_string(),
                &obj,
                options,
            )
            .map_err(|e| e.message),
        }
    }

    /// Check one input: its findings in the JSON contract, or why it could not be read.
    fn check(
        &self,
        input: Input,
        index: usize,
        options: &ReadOptions,
    ) -> Result<Vec<Value>, String> {
        let caption = self.caption(input, index, options)?;
        if caption.text.len() > options.caption_limit() {
            return Err(format!(
                "the caption is larger than the {}-byte limit (max-caption-size)",
                options.caption_limit()
            ));
        }
        let found = engine::check(&caption, &self.rules);
        Ok(found
            .iter()
            .map(|d| {
                serde_json::to_value(DiagnosticJson::new(&caption.text, d)).unwrap_or_default()
            })
            .collect())
    }
}

fn fields_empty(f: &FieldNames) -> bool {
    f.caption.is_none()
        && f.id.is_none()
        && f.platform.is_none()
        && f.sponsored.is_none()
        && f.brand.is_none()
        && f.creator.is_none()
        && f.market.is_none()
        && f.paid_partnership_label.is_none()
}

/// One input's findings in the JSON contract, or why it could not be read.
type Checked = Result<Vec<Value>, String>;

/// An input taken from Python: converted while holding the GIL, checked without it.
enum Input {
    Text(String),
    Record(Map<String, Value>),
}

/// A Python value as JSON: what a record's field holds. NaN (pandas' missing value) is null;
/// anything else unknown is its `str()`.
fn to_json(v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_string()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(n) = v.extract::<i64>() {
            return Ok(Value::from(n));
        }
        return Ok(Value::String(v.str()?.to_str()?.to_string()));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let x = f.value();
        return Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut m = Map::new();
        for (k, val) in d.iter() {
            m.insert(k.str()?.to_str()?.to_string(), to_json(&val)?);
        }
        return Ok(Value::Object(m));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut items = Vec::new();
        for item in v.try_iter()? {
            items.push(to_json(&item?)?);
        }
        return Ok(Value::Array(items));
    }
    // numpy scalars and the like.
    let type_name = v.get_type().name()?.to_string();
    if (type_name == "bool_" || type_name == "bool")
        && let Ok(b) = v.extract::<bool>()
    {
        return Ok(Value::Bool(b));
    }
    if (type_name.starts_with("int") || type_name.starts_with("uint"))
        && let Ok(n) = v.extract::<i64>()
    {
        return Ok(Value::from(n));
    }
    if type_name.starts_with("float")
        && let Ok(x) = v.extract::<f64>()
    {
        return Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number));
    }
    if type_name == "NAType" || type_name == "NaTType" {
        return Ok(Value::Null);
    }
    if let Ok(items) = v.try_iter()
        && !v.is_instance_of::<pyo3::types::PyBytes>()
    {
        let mut out = Vec::new();
        for item in items {
            out.push(to_json(&item?)?);
        }
        return Ok(Value::Array(out));
    }
    Ok(Value::String(v.str()?.to_str()?.to_string()))
}

/// A caption argument: a string, or a mapping (a record).
fn to_input(v: &Bound<'_, PyAny>) -> PyResult<Input> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Input::Text(s.to_str()?.to_string()));
    }
    if v.cast::<PyDict>().is_ok() || v.hasattr("keys")? {
        let d = match v.cast::<PyDict>() {
            Ok(d) => d.clone(),
            Err(_) => PyDict::from_sequence(&v.call_method0("items")?)?,
        };
        let mut m = Map::new();
        for (k, val) in d.iter() {
            m.insert(k.str()?.to_str()?.to_string(), to_json(&val)?);
        }
        return Ok(Input::Record(m));
    }
    Err(PyTypeError::new_err(format!(
        "a caption is a str or a dict with a `caption` key, not {}",
        v.get_type().name()?
    )))
}

/// A JSON value as a Python object.
fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => u.into_pyobject(py)?.into_any(),
            (_, Some(i), _) => i.into_pyobject(py)?.into_any(),
            (_, _, Some(f)) => PyFloat::new(py, f).into_any(),
            _ => py.None().into_bound(py),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, item) in m {
                d.set_item(PyString::intern(py, k), to_py(py, item)?)?;
            }
            d.into_any()
        }
    })
}

fn findings_list<'py>(py: Python<'py>, found: &[Value]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for v in found {
        list.append(to_py(py, v)?)?;
    }
    Ok(list)
}

/// Field names from a `fields` mapping: `{"caption": "post_text", "id": "post_id"}`.
fn field_names(fields: Option<&Bound<'_, PyDict>>) -> PyResult<FieldNames> {
    let mut names = FieldNames::default();
    let Some(fields) = fields else {
        return Ok(names);
    };
    for (k, v) in fields.iter() {
        let key: String = k.extract()?;
        let value: Option<String> = v.extract()?;
        let slot = match key.as_str() {
            "caption" => &mut names.caption,
            "id" => &mut names.id,
            "platform" => &mut names.platform,
            "sponsored" => &mut names.sponsored,
            "brand" | "brands" => &mut names.brand,
            "creator" => &mut names.creator,
            "market" | "markets" => &mut names.market,
            "paid_partnership_label" => &mut names.paid_partnership_label,
            other => {
                return Err(PyKeyError::new_err(format!(
                    "unknown field `{other}`: use caption, id, platform, sponsored, brand, creator, market or paid_partnership_label"
                )));
            }
        };
        *slot = value;
    }
    Ok(names)
}

/// Rules, packs and settings loaded once; checks captions with them.
///
/// Loading parses and validates every rule pack, which takes milliseconds; make one Linter
/// and check many captions with it.
#[pyclass(frozen, module = "adlint._adlint")]
struct Linter {
    engine: Arc<Engine>,
}

#[pymethods]
impl Linter {
    #[new]
    #[pyo3(signature = (*, platform=None, sponsored=None, brands=Vec::new(), markets=None, config=None, rules=Vec::new(), select=Vec::new(), ignore=Vec::new(), no_builtin=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        platform: Option<String>,
        sponsored: Option<bool>,
        brands: Vec<String>,
        markets: Option<Vec<String>>,
        config: Option<PathBuf>,
        rules: Vec<PathBuf>,
        select: Vec<String>,
        ignore: Vec<String>,
        no_builtin: bool,
    ) -> PyResult<Linter> {
        let sources = Sources {
            config: config.map_or(ConfigSource::None, ConfigSource::File),
            rules,
            no_builtin,
        };
        let overrides = Overrides {
            markets: markets.unwrap_or_default(),
            platform,
            sponsored,
            brands,
            select,
            ignore,
            ..Overrides::default()
        };
        Ok(Linter {
            engine: Arc::new(Engine::load(py, &sources, &overrides)?),
        })
    }

    /// The run's markets (jurisdiction codes).
    #[getter]
    fn markets(&self) -> Vec<String> {
        self.engine.rules.markets.clone()
    }

    /// Check one caption (a str, or a dict record): its findings as dicts.
    #[pyo3(signature = (caption, *, fields=None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        caption: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let input = to_input(caption)?;
        let names = field_names(fields)?;
        match self.engine.check(input, 1, &self.engine.options(&names)) {
            Ok(found) => findings_list(py, &found),
            Err(message) => Err(usage(message)),
        }
    }

    /// Check many captions on every core, without holding the GIL while checking.
    #[pyo3(signature = (captions, *, fields=None, errors="raise", batch_size=16384))]
    fn check_many<'py>(
        &self,
        py: Python<'py>,
        captions: &Bound<'py, PyAny>,
        fields: Option<&Bound<'py, PyDict>>,
        errors: &str,
        batch_size: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        let skip = match errors {
            "raise" => false,
            "skip" => true,
            other => {
                return Err(PyValueError::new_err(format!(
                    "errors must be \"raise\" or \"skip\", not {other:?}"
                )));
            }
        };
        let names = field_names(fields)?;
        let options = self.engine.options(&names);
        let options = &*options;
        let engine = &*self.engine;
        let size = batch_size.clamp(1, 1 << 20);
        let out = PyList::empty(py);
        let mut items = captions.try_iter()?;
        // The next batch of inputs, converted while holding the GIL.
        let mut read = || -> PyResult<Vec<Input>> {
            let mut batch = Vec::with_capacity(size);
            for item in items.by_ref().take(size) {
                batch.push(to_input(&item?)?);
            }
            Ok(batch)
        };
        // Batches overlap: while one is checked on the thread pool (no GIL needed), this
        // thread turns the findings of the one before into Python objects and reads the next.
        // It waits for the pool without the GIL, so other Python threads run meanwhile.
        std::thread::scope(|scope| -> PyResult<()> {
            let mut first = 1usize;
            let mut next = read()?;
            let mut running = None;
            loop {
                let done = match running.take() {
                    Some((handle, at)) => {
                        let handle: std::thread::ScopedJoinHandle<'_, Vec<Checked>> = handle;
                        let results = py
                            .detach(|| handle.join())
                            .map_err(|_| usage("a check panicked"))?;
                        Some((results, at))
                    }
                    None => None,
                };
                if !next.is_empty() {
                    let batch = std::mem::take(&mut next);
                    let at = first;
                    first += batch.len();
                    running = Some((
                        scope.spawn(move || {
                            batch
                                .into_par_iter()
                                .enumerate()
                                .map(|(i, input)| engine.check(input, at + i, options))
                                .collect::<Vec<Checked>>()
                        }),
                        at,
                    ));
                }
                if let Some((results, at)) = done {
                    for (i, r) in results.into_iter().enumerate() {
                        match r {
                            Ok(found) => out.append(findings_list(py, &found)?)?,
                            Err(_) if skip => out.append(PyList::empty(py))?,
                            Err(message) => {
                                return Err(usage(format!(
                                    "caption {} (index {}): {message}",
                                    at + i,
                                    at + i - 1
                                )));
                            }
                        }
                    }
                }
                if running.is_none() {
                    return Ok(());
                }
                next = read()?;
            }
        })?;
        Ok(out)
    }

    /// The caption with every applicable fix applied (unsafe fixes only with `unsafe_fixes`,
    /// or when the caption is declared sponsored).
    #[pyo3(signature = (caption, *, unsafe_fixes=false, fields=None))]
    fn fix(
        &self,
        caption: &Bound<'_, PyAny>,
        unsafe_fixes: bool,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let input = to_input(caption)?;
        let names = field_names(fields)?;
        let caption = self
            .engine
            .caption(input, 1, &self.engine.options(&names))
            .map_err(usage)?;
        Ok(fix::fix(&caption, &self.engine.rules, unsafe_fixes).text)
    }

    /// The rules a check with these markets runs: code, name, severity, pack, summary, url.
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rules = &self.engine.rules;
        let list = PyList::empty(py);
        for r in &rules.rules {
            let pack = &rules.packs[r.pack];
            let active = pack
                .jurisdiction
                .as_ref()
                .is_none_or(|j| rules.markets.contains(j));
            if !active {
                continue;
            }
            let d = PyDict::new(py);
            d.set_item("code", &r.code)?;
            d.set_item("name", &r.name)?;
            d.set_item("severity", r.severity.as_str())?;
            d.set_item("pack", &pack.name)?;
            d.set_item("summary", &r.summary)?;
            d.set_item("url", &r.source)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// A rule's documentation, as `adlint explain CODE` prints it.
    fn explain(&self, rule: &str) -> PyResult<String> {
        let rules = &self.engine.rules;
        let r = rules.rule(rule).ok_or_else(|| {
            PyKeyError::new_err(format!(
                "unknown rule `{rule}`; `Linter().rules()` lists every rule"
            ))
        })?;
        let mut out = Vec::new();
        adlint::report::rules::explain(&mut out, rules, r)
            .map_err(|e| usage(format!("could not explain `{rule}`: {e}")))?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn __repr__(&self) -> String {
        format!(
            "Linter(markets={:?}, rules={})",
            self.engine.rules.markets,
            self.engine.rules.rules.len()
        )
    }
}

/// Run the command line in this process: `argv` as `sys.argv` (the first is the program's
/// name). Returns the exit code. The GIL is released while it runs.
#[pyfunction]
fn cli(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    py.detach(|| {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut err = std::io::stderr();
        let code = adlint::run::main_from(argv, &mut out, &mut err);
        let _ = out.flush();
        code
    })
}

#[pymodule]
fn _adlint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Linter>()?;
    m.add_function(wrap_pyfunction!(cli, m)?)?;
    m.add("AdlintError", py.get_type::<AdlintError>())?;
    m.add("RuleError", py.get_type::<RuleError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
