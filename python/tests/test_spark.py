"""Spark, for real: PySpark in local mode checks a generated export with mapInPandas, and its
findings equal the CLI's (`adlint check --format jsonl`) on the same file; so do those of
`RDD.pipe` through the CLI's JSONL stdin/stdout mode.

ADLINT_SPARK_ROWS sets the export's size (100,000 by default).
"""

from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import sys

import pytest

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java", allow_module_level=True)

from adlint.pandas import SPARK_SCHEMA, map_pandas  # noqa: E402
from conftest import adlint_command  # noqa: E402

ROWS = int(os.environ.get("ADLINT_SPARK_ROWS", "100000"))
MARKETS = ["us", "uk", "de"]

OPENINGS = [
    "Loving my new serum from @glowco!",
    "Obsessed with these sneakers from @stridely 👟🔥",
    "#ad Thanks @glowco for my new serum 💧",
    "Werbung | Mein neues Lieblingsserum von @glowco 💧",
    "Ad | My week with @stridely running shoes",
    "Gifted by @glowco, all opinions my own ✨",
    "Just a sunset 🌅 nothing else",
    "新しい美容液 @glowco 最高です！",
    "Use my code SAVE20 at https://amzn.to/3xYz for 20% off",
    "Partnership with @stridely: new season, new miles",
]
TAILS = ["", " #skincare", " #sponsored", " link in bio", " #gifted", " #collab", "\n\n#ad", " 💕"]


def generate(path, rows: int) -> None:
    rnd = random.Random(19)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            record = {
                "id": f"p{i}",
                "caption": rnd.choice(OPENINGS) + rnd.choice(TAILS) + f" #{i % 97}",
                "platform": rnd.choice(["instagram", "tiktok", "youtube", "Instagram Reels", None]),
                "sponsored": rnd.choice([True, False, None, "yes"]) if i % 5 else None,
                "brand": rnd.choice(["GlowCo", "Stridely", "GlowCo; Stridely", None]),
                "market": rnd.choice(["us", "uk", "de", "US", None]),
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def key(record: str, d: dict) -> tuple:
    fix = None if d["fix"] is None else json.dumps(d["fix"], ensure_ascii=False, sort_keys=True)
    span = d["span"]
    return (record, d["code"], d["name"], d["severity"], d["message"], d["line"], d["column"],
            span["start"], span["end"], d["help"], d["url"], fix)


def test_spark_map_in_pandas_equals_the_cli(tmp_path, cli, monkeypatch):
    from pyspark.sql import SparkSession

    # Spark's Python workers import the installed package, not the source folder beside them.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)

    export = tmp_path / "export.jsonl"
    generate(export, ROWS)
    expected = sorted(
        key(record, d)
        for record, found in cli(export, "--jurisdiction", ",".join(MARKETS)).items()
        for d in found
    )
    assert len(expected) > ROWS // 2

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("adlint-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    try:
        # Every value a string, as an export's columns are: the package reads them as the CLI does.
        df = spark.read.schema(
            "id string, caption string, platform string, sponsored string, brand string, market string"
        ).json(str(export))
        findings = df.repartition(4).mapInPandas(
            lambda frames: map_pandas(frames, markets=MARKETS), schema=SPARK_SCHEMA
        )
        rows = findings.collect()
        # The no-Python route: the lines through the CLI's JSONL stdin/stdout mode.
        command = " ".join(
            [*map(shlex.quote, adlint_command()), "check", "--no-config", "--exit-zero",
             "--format", "jsonl", "--input-format", "jsonl", "--jurisdiction", ",".join(MARKETS), "-"]
        )
        piped = spark.sparkContext.textFile(str(export), 4).pipe(command, checkCode=True).collect()
    finally:
        spark.stop()
    through_pipe = sorted(
        key(result["record"], d) for result in map(json.loads, piped) for d in result["diagnostics"]
    )
    assert through_pipe == expected
    got = sorted(
        (r.record, r.code, r.name, r.severity, r.message, r.line, r.column, r.start, r.end,
         r.help, r.url, r.fix)
        for r in rows
    )
    if got != expected:
        fix_json = [g for g in got if g[-1] is not None][:1]
        raise AssertionError(
            f"{len(got)} findings from Spark, {len(expected)} from the CLI; "
            f"first differences: {sorted(set(got) ^ set(expected))[:3]} {fix_json}"
        )
