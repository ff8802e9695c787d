"""The Python API: check, Linter, check_many, fix, rules, explain, the console script."""

from __future__ import annotations

import json
import subprocess
import threading
import time

import pytest

import adlint
from conftest import adlint_command

SPONSORED = "Loving my new serum from @glowco! #skincare"
KEYS = {"code", "column", "fix", "help", "line", "message", "name", "severity", "span", "url"}


def test_check_returns_the_cli_contract(tmp_path, cli):
    found = adlint.check(SPONSORED, sponsored=True)
    assert [f["code"] for f in found] == ["FTC001"]
    f = found[0]
    assert set(f) == KEYS
    assert f["severity"] == "error"
    assert f["fix"] == {"edits": [{"end": 0, "start": 0, "text": "#ad "}], "safety": "unsafe"}
    # The same record through the CLI gives the same dicts.
    export = tmp_path / "posts.jsonl"
    export.write_text(json.dumps({"id": "p1", "caption": SPONSORED, "sponsored": True}) + "\n")
    assert cli(export) == {"p1": found}


def test_undeclared_caption_and_disclosed_caption():
    assert [f["code"] for f in adlint.check(SPONSORED)] == ["FTC013"]
    assert adlint.check("#ad Loving my new serum from @glowco!", sponsored=True, brands=["glowco"]) == []


def test_markets_choose_the_packs():
    us = adlint.Linter(sponsored=True)
    assert us.markets == ["us"]
    de = adlint.Linter(sponsored=True, markets=["DE"])
    assert de.markets == ["de"]
    assert {f["code"][:2] for f in de.check("#ad Loving my new serum from @glowco!")} == {"DE"}
    codes = {r["code"][:2] for r in adlint.Linter(markets=["all"]).rules()}
    assert {"FT", "UK", "DE"} <= codes


def test_records_carry_their_own_context():
    lint = adlint.Linter()
    record = {"caption": SPONSORED, "sponsored": "yes", "platform": "Instagram Reels", "market": "uk"}
    codes = [f["code"] for f in lint.check(record)]
    assert codes and all(c.startswith("UK") for c in codes)
    # `fields` names other columns.
    renamed = {"post_text": SPONSORED, "paid": "ja"}
    assert [f["code"] for f in lint.check(renamed, fields={"caption": "post_text", "sponsored": "paid"})] == ["FTC001"]


def test_check_many_matches_check_for_any_iterable():
    lint = adlint.Linter()
    inputs = [
        SPONSORED,
        {"caption": SPONSORED, "sponsored": True},
        {"text": "Werbung | Mein neues Serum von @glowco 💧", "sponsored": True, "market": "de"},
        "Just a sunset 🌅",
    ]
    expected = [lint.check(c) for c in inputs]
    assert lint.check_many(inputs) == expected
    assert lint.check_many(iter(inputs)) == expected
    assert lint.check_many(c for c in inputs) == expected
    assert lint.check_many(inputs, batch_size=1) == expected
    assert lint.check_many([]) == []


def test_check_many_releases_the_gil():
    lint = adlint.Linter()
    captions = [f"{SPONSORED} {i} #gifted #ad https://amzn.to/x{i}" for i in range(60_000)]
    ticks = 0
    stop = False

    def count():
        nonlocal ticks
        while not stop:
            ticks += 1

    t = threading.Thread(target=count)
    t.start()
    try:
        time.sleep(0.05)
        start = time.perf_counter()
        before = ticks
        results = lint.check_many(captions, batch_size=4096)
        during = ticks - before
        elapsed = time.perf_counter() - start
    finally:
        stop = True
        t.join()
    assert len(results) == len(captions)
    # The counting thread ran while the captions were checked: it was not frozen out.
    assert elapsed > 0.05
    assert during > 10_000, (during, elapsed)


def test_fix():
    lint = adlint.Linter()
    assert lint.fix(SPONSORED) == SPONSORED  # not declared sponsored: nothing safe to fix
    fixed = lint.fix({"caption": SPONSORED, "sponsored": True})
    assert fixed == "#ad " + SPONSORED
    assert all(f["severity"] != "error" for f in lint.check({"caption": fixed, "sponsored": True}))
    assert lint.fix(SPONSORED, unsafe_fixes=True) == SPONSORED  # no finding with a fix


def test_rules_and_explain():
    lint = adlint.Linter()
    rules = lint.rules()
    assert {"code", "name", "severity", "pack", "summary", "url"} == set(rules[0])
    assert all(r["pack"] in ("ftc",) or not r["code"].startswith(("UK", "DE")) for r in rules)
    text = lint.explain("FTC001")
    assert text.startswith("# missing-disclosure (FTC001)")
    assert "## Fails" in text and "Not legal advice" in text
    assert lint.explain("missing-disclosure") == text
    with pytest.raises(KeyError, match="unknown rule"):
        lint.explain("NOPE999")


def test_select_and_ignore():
    only = adlint.Linter(select=["FTC013"])
    assert [r["code"] for r in only.rules()] == ["FTC013"]
    assert adlint.Linter(ignore=["FTC013"]).check(SPONSORED) == []
    with pytest.raises(adlint.AdlintError, match="unknown rule selector `NOPE`"):
        adlint.Linter(select=["NOPE"])


def test_config_file(tmp_path):
    config = tmp_path / "adlint.toml"
    config.write_text('sponsored = true\nmarkets = ["uk"]\nbrands = ["GlowCo"]\n')
    lint = adlint.Linter(config=config)
    assert lint.markets == ["uk"]
    codes = [f["code"] for f in lint.check(SPONSORED)]
    assert codes and all(c.startswith("UK") for c in codes)
    assert adlint.check(SPONSORED, config=str(config)) == lint.check(SPONSORED)


def test_console_script(tmp_path):
    out = subprocess.run([*adlint_command(), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("adlint ")
    draft = tmp_path / "draft.txt"
    draft.write_text(SPONSORED + "\n")
    run = subprocess.run(
        [*adlint_command(), "check", "--no-config", "--sponsored", "--format", "json", str(draft)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert doc["results"][0]["diagnostics"] == adlint.check(SPONSORED, sponsored=True)
    piped = subprocess.run(
        [*adlint_command(), "check", "--no-config", "--format", "jsonl", "--input-format", "jsonl", "-"],
        input=json.dumps({"id": "a", "caption": SPONSORED}) + "\n",
        capture_output=True,
        text=True,
    )
    assert json.loads(piped.stdout)["diagnostics"] == adlint.check(SPONSORED)
    bad = subprocess.run([*adlint_command(), "check", "--no-such-flag"], capture_output=True, text=True)
    assert bad.returncode == 2
