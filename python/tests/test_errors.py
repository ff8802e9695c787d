"""Errors are Python exceptions carrying adlint's own message."""

from __future__ import annotations

import pytest

import adlint

BAD_PACK = """[pack]
name = "acme"
title = "Acme house rules"
version = "1"
sources-read = "2026-01-01"

[[rule]]
code = "ACME001"
name = "acme-label"
severity = "loud"
"""


def test_a_bad_rule_pack_raises_rule_error_with_its_place(tmp_path):
    pack = tmp_path / "acme.toml"
    pack.write_text(BAD_PACK)
    with pytest.raises(adlint.RuleError) as info:
        adlint.Linter(rules=[pack])
    e = info.value
    assert isinstance(e, adlint.AdlintError) and isinstance(e, ValueError)
    assert e.file == str(pack)
    assert isinstance(e.line, int) and e.line > 1
    assert isinstance(e.column, int) and e.column >= 1
    assert e.errors and e.errors[0]["file"] == str(pack)
    message = str(e)
    assert "acme.toml" in message and "nothing was checked" in message
    # The report shows the line of the file, as the CLI's does.
    assert any(line.strip() and line.strip() in message for line in BAD_PACK.splitlines()[e.line - 1 : e.line])


def test_rule_pack_folder_and_missing_file(tmp_path):
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "acme.toml").write_text(BAD_PACK)
    with pytest.raises(adlint.RuleError):
        adlint.Linter(rules=[tmp_path / "packs"])
    with pytest.raises(adlint.AdlintError, match="could not read rule file"):
        adlint.Linter(rules=[tmp_path / "missing.toml"])


def test_bad_options():
    with pytest.raises(adlint.AdlintError, match="unknown platform `myspace`"):
        adlint.Linter(platform="myspace")
    with pytest.raises(adlint.AdlintError, match="unknown market `atlantis`"):
        adlint.check("hi", markets=["atlantis"])
    with pytest.raises(TypeError):
        adlint.check(42)
    with pytest.raises(ValueError, match="errors must be"):
        adlint.Linter().check_many(["x"], errors="ignore")
    with pytest.raises(KeyError, match="unknown field"):
        adlint.Linter().check({"caption": "x"}, fields={"captain": "x"})


def test_bad_config(tmp_path):
    config = tmp_path / "adlint.toml"
    config.write_text('sponsored = "maybe"\n')
    with pytest.raises(adlint.AdlintError) as info:
        adlint.Linter(config=config)
    assert "adlint.toml" in str(info.value)
    with pytest.raises(adlint.AdlintError, match="could not read config file"):
        adlint.Linter(config=tmp_path / "nope.toml")


def test_bad_records():
    lint = adlint.Linter()
    with pytest.raises(adlint.AdlintError, match="the caption is empty"):
        lint.check({"caption": "  ", "id": "p1"})
    with pytest.raises(adlint.AdlintError, match=r"caption 2 \(index 1\): sponsored must be yes or no"):
        lint.check_many([{"caption": "a"}, {"caption": "b", "sponsored": "perhaps"}])
    assert lint.check_many([{"caption": "Just a sunset"}, {"caption": ""}], errors="skip") == [[], []]
