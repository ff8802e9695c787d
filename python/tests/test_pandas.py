"""adlint.pandas: check_frame and the batch functions for Spark and Ray."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest

import adlint
from adlint.pandas import COLUMNS, check_frame, findings_batch, map_arrow, map_pandas

CAPTIONS = {
    "p-emoji": "😍🔥 obsessed with my new @glowco serum!! ✨💧 link in bio",
    "p-de": "Mein neues Lieblingsserum von @glowco 💧 #hautpflege",
    "p-ja": "新しい美容液 @glowco 最高です！ #スキンケア",
    "p-ar": "أحب مصل @glowco الجديد 💧",
    "p-ok": "#ad Thanks @glowco for my new serum 💧",
}


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "caption": list(CAPTIONS.values()),
            "sponsored": [True, True, None, True, True],
            "market": ["us", "de", None, "us", "us"],
            "platform": ["instagram", "Instagram Reels", "tiktok", None, "instagram"],
        },
        index=pd.Index(list(CAPTIONS), name="post"),
    )


def test_check_frame_one_row_per_finding_indexed_by_record():
    df = frame()
    findings = check_frame(df)
    assert list(findings.columns) == COLUMNS
    assert findings.index.name == "post"
    assert set(findings.index) <= set(df.index)
    lint = adlint.linter()
    for label, row in zip(df.index, df.to_dict("records")):
        record = {k: v for k, v in row.items() if v is not None and v == v}
        expected = lint.check(record)
        got = findings.loc[[label]] if label in findings.index else findings.iloc[0:0]
        assert list(got["code"]) == [f["code"] for f in expected], label
        assert list(got["start"]) == [f["span"]["start"] for f in expected]
        assert list(got["column"]) == [f["column"] for f in expected]
    # Emoji before a finding: offsets are bytes, columns are characters.
    emoji = findings.loc[["p-emoji"]].iloc[0]
    assert emoji["code"] == "FTC001"
    de = findings.loc[["p-de"]]
    assert set(de["code"]) <= {c for c in de["code"] if c.startswith("DE")}
    assert "p-ok" not in set(findings.loc[findings["severity"] == "error"].index)
    assert findings["line"].dtype == "int64"
    # Joinable to the frame.
    joined = df.join(findings[["code"]], how="inner")
    assert len(joined) == len(findings)


def test_check_frame_settings_and_column_names():
    df = pd.DataFrame({"post_text": ["Mein neues Serum von @glowco 💧"]}, index=[7])
    findings = check_frame(df, caption="post_text", sponsored=True, markets=["de"])
    assert list(findings.index) == [7] * len(findings)
    assert findings["code"].str.startswith("DE").all() and len(findings) >= 1
    with pytest.raises(KeyError, match="no column 'caption'"):
        check_frame(df)
    empty = check_frame(pd.DataFrame({"caption": ["Just a sunset 🌅"]}))
    assert list(empty.columns) == COLUMNS and len(empty) == 0


def test_missing_captions_raise_or_are_skipped():
    df = pd.DataFrame({"caption": ["Loving @glowco", None]})
    with pytest.raises(adlint.AdlintError, match="caption 2"):
        check_frame(df)
    assert len(check_frame(df, errors="skip")) == len(check_frame(df.iloc[:1]))


def test_batches_for_spark_and_ray():
    df = frame().reset_index().rename(columns={"post": "id"})
    out = findings_batch(df)
    assert list(out.columns) == ["record", *COLUMNS]
    assert set(out["record"]) <= set(CAPTIONS)
    fixes = [json.loads(f) for f in out["fix"] if f is not None]
    assert all("edits" in f for f in fixes)
    table = findings_batch(pa.Table.from_pandas(df))
    assert isinstance(table, pa.Table)
    assert table.to_pandas().to_dict("records") == out.to_dict("records")
    assert pd.concat(list(map_pandas(iter([df, df])))).shape[0] == 2 * len(out)
    batches = list(map_arrow(pa.Table.from_pandas(df).to_batches()))
    assert sum(b.num_rows for b in batches) == len(out)
