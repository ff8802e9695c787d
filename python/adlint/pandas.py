"""adlint on data frames: pandas, and batches for Spark (``mapInPandas``/``mapInArrow``) and Ray.

Each record (row) is read as the CLI reads a JSONL record: the caption column (``caption=``),
and ``id``, ``platform``, ``sponsored``, ``brand``/``brands``, ``market`` and
``paid_partnership_label`` columns found by the same names as in an export (rename them with
``fields={"platform": "network"}``). Settings (``platform=``, ``sponsored=``, ``markets=``,
``config=``, ``rules=``, ...) are those of :func:`adlint.linter`; the Linter is made once per
process, so a Spark executor loads the rule packs once.

A finding is one row: ``code``, ``name``, ``severity``, ``message``, ``line``, ``column``,
``start``, ``end`` (byte offsets in the caption), ``help``, ``url`` and ``fix`` (the fix as in
the JSON contract; a JSON string in Spark and Arrow batches).
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping

from . import Linter, linter as _linter

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "COLUMNS",
    "SPARK_SCHEMA",
    "check_frame",
    "findings_batch",
    "map_arrow",
    "map_pandas",
]

#: The columns of a findings frame, in order (a batch adds ``record`` first).
COLUMNS = ["code", "name", "severity", "message", "line", "column", "start", "end", "help", "url", "fix"]

#: The schema of :func:`map_pandas`'s and :func:`map_arrow`'s output, for ``mapInPandas``/``mapInArrow``.
SPARK_SCHEMA = (
    "record string, code string, name string, severity string, message string, "
    "line long, `column` long, start long, `end` long, help string, url string, fix string"
)

_INTS = ("line", "column", "start", "end")


def _missing(v: Any) -> bool:
    """pandas' missing values (None, NaN, NA, NaT): a record's null."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    return type(v).__name__ in ("NAType", "NaTType")


def _records(df: "pd.DataFrame") -> list[dict[str, Any]]:
    columns = [str(c) for c in df.columns]
    return [
        {c: (None if _missing(v) else v) for c, v in zip(columns, row)}
        for row in df.itertuples(index=False, name=None)
    ]


def _settings_linter(linter: Linter | None, settings: Mapping[str, Any]) -> Linter:
    if linter is not None:
        if settings:
            raise TypeError("give either a Linter or settings, not both")
        return linter
    return _linter(**settings)


def _fields(caption: str | None, fields: Mapping[str, str] | None) -> dict[str, str]:
    out = dict(fields or {})
    if caption is not None:
        out["caption"] = caption
    return out


def _flat(f: Mapping[str, Any], fix_as_json: bool) -> list[Any]:
    span = f["span"]
    fix = f["fix"]
    if fix_as_json and fix is not None:
        fix = json.dumps(fix, ensure_ascii=False, sort_keys=True)
    return [
        f["code"],
        f["name"],
        f["severity"],
        f["message"],
        f["line"],
        f["column"],
        span["start"],
        span["end"],
        f["help"],
        f["url"],
        fix,
    ]


def check_frame(
    df: "pd.DataFrame",
    caption: str = "caption",
    *,
    fields: Mapping[str, str] | None = None,
    errors: str = "raise",
    linter: Linter | None = None,
    **settings: Any,
) -> "pd.DataFrame":
    """Check every row of ``df``; one row per finding, indexed by the row's index label.

    ``caption`` names the caption column. Rows are checked in parallel on every core.
    ``errors="skip"`` passes over rows that cannot be checked (an empty caption, a sponsored
    value that is not yes or no) instead of raising :class:`adlint.AdlintError`. Join the result
    back with ``df.join(findings)``.
    """
    import pandas as pd

    if caption not in df.columns:
        raise KeyError(f"no column {caption!r} in the frame; columns: {', '.join(map(str, df.columns))}")
    lint = _settings_linter(linter, settings)
    results = lint.check_many(_records(df), fields=_fields(caption, fields), errors=errors)
    rows: list[list[Any]] = []
    labels: list[Any] = []
    for label, found in zip(df.index, results):
        for f in found:
            labels.append(label)
            rows.append(_flat(f, fix_as_json=False))
    index = pd.Index(labels, name=df.index.name, dtype=df.index.dtype if not labels else None)
    out = pd.DataFrame(rows, columns=COLUMNS, index=index)
    for c in _INTS:
        out[c] = out[c].astype("int64")
    return out


def findings_batch(
    batch: "pd.DataFrame | pa.RecordBatch | pa.Table",
    caption: str = "caption",
    *,
    id: str | None = "id",
    fields: Mapping[str, str] | None = None,
    errors: str = "skip",
    linter: Linter | None = None,
    **settings: Any,
) -> "pd.DataFrame | pa.Table":
    """The findings of a batch of records, as a flat batch with a ``record`` column.

    For Ray (``ds.map_batches(findings_batch, batch_format="pandas")``, or ``"pyarrow"``) and
    inside Spark functions. ``record`` is the ``id`` column's value as a string (the row's
    position in the batch, from 1, when there is no such column); ``fix`` is a JSON string.
    A pandas batch gives a pandas frame and an Arrow batch or table an Arrow table.
    Unreadable rows are passed over unless ``errors="raise"``.
    """
    import pandas as pd

    arrow = not isinstance(batch, pd.DataFrame)
    df = batch.to_pandas() if arrow else batch
    lint = _settings_linter(linter, settings)
    names = _fields(caption, fields)
    if id is not None and id in df.columns:
        names.setdefault("id", id)
        ids = ["" if _missing(v) else str(v) for v in df[id].tolist()]
    else:
        ids = [str(i + 1) for i in range(len(df))]
    results = lint.check_many(_records(df), fields=names, errors=errors)
    rows = []
    for record, found in zip(ids, results):
        for f in found:
            rows.append([record, *_flat(f, fix_as_json=True)])
    out = pd.DataFrame(rows, columns=["record", *COLUMNS])
    for c in _INTS:
        out[c] = out[c].astype("int64")
    out["fix"] = out["fix"].astype(object)
    if arrow:
        import pyarrow as pa

        return pa.Table.from_pandas(out, schema=_arrow_schema(), preserve_index=False)
    return out


def _arrow_schema() -> "pa.Schema":
    import pyarrow as pa

    s, i = pa.string(), pa.int64()
    return pa.schema(
        [("record", s), ("code", s), ("name", s), ("severity", s), ("message", s), ("line", i),
         ("column", i), ("start", i), ("end", i), ("help", s), ("url", s), ("fix", s)]
    )


def map_pandas(frames: Iterable["pd.DataFrame"], caption: str = "caption", **options: Any) -> Iterator["pd.DataFrame"]:
    """For Spark's ``mapInPandas``: the findings of every frame, one frame each.

    ``df.mapInPandas(lambda it: map_pandas(it, markets=["us", "uk"]), SPARK_SCHEMA)``; options
    are :func:`findings_batch`'s.
    """
    for frame in frames:
        yield findings_batch(frame, caption, **options)


def map_arrow(batches: Iterable["pa.RecordBatch"], caption: str = "caption", **options: Any) -> Iterator["pa.RecordBatch"]:
    """For Spark's ``mapInArrow``: the findings of every Arrow record batch."""
    for batch in batches:
        table = findings_batch(batch, caption, **options)
        yield from table.to_batches()
