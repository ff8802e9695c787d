"""adlint: lint sponsored social-media captions for advertising-disclosure compliance.

The rules and the engine are adlint's own (Rust); this package calls them in-process::

    >>> import adlint
    >>> [f["code"] for f in adlint.check("Loving my new serum from @glowco! #skincare", sponsored=True)]
    ['FTC001']

Findings are dicts in the JSON contract of ``adlint check --format json``: ``code``, ``name``,
``severity``, ``message``, ``help``, ``url``, ``line``, ``column``, ``span`` (byte offsets) and
``fix``. For many captions make one :class:`Linter` (rule packs are loaded once) and call
:meth:`Linter.check_many`, which checks on every core without holding the GIL. pandas, Spark
and Ray helpers are in :mod:`adlint.pandas`.
"""

from __future__ import annotations

import functools
import os
from typing import Any, Iterable, Mapping, Sequence, Union

from ._adlint import AdlintError, Linter, RuleError, __version__

__all__ = ["AdlintError", "Caption", "Finding", "Linter", "RuleError", "__version__", "check", "linter"]

Finding = dict  # a finding in the JSON contract; see adlint/_adlint.pyi for its keys
Caption = Union[str, Mapping[str, Any]]


def _tuple(values: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, (str, os.PathLike)):
        return (os.fspath(values),)
    return tuple(os.fspath(v) for v in values)


@functools.lru_cache(maxsize=32)
def _cached(
    platform: str | None,
    sponsored: bool | None,
    brands: tuple[str, ...],
    markets: tuple[str, ...] | None,
    config: str | None,
    rules: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_builtin: bool,
) -> Linter:
    return Linter(
        platform=platform,
        sponsored=sponsored,
        brands=list(brands),
        markets=None if markets is None else list(markets),
        config=config,
        rules=list(rules),
        select=list(select),
        ignore=list(ignore),
        no_builtin=no_builtin,
    )


def linter(
    *,
    platform: str | None = None,
    sponsored: bool | None = None,
    brands: Sequence[str] = (),
    markets: Sequence[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    rules: Sequence[str | os.PathLike[str]] = (),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    no_builtin: bool = False,
) -> Linter:
    """A :class:`Linter` for these settings, made once per process and reused.

    The module-level :func:`check` and the pandas/Spark helpers use it, so a Spark executor loads
    the rule packs once, not once per batch. Files (``config``, ``rules``) are read when the
    Linter is first made: make a :class:`Linter` yourself to pick up edits.
    """
    return _cached(
        platform,
        sponsored,
        _tuple(brands) or (),
        _tuple(markets),
        None if config is None else os.fspath(config),
        _tuple(rules) or (),
        _tuple(select) or (),
        _tuple(ignore) or (),
        no_builtin,
    )


def check(
    caption: Caption,
    *,
    platform: str | None = None,
    sponsored: bool | None = None,
    brands: Sequence[str] = (),
    markets: Sequence[str] | None = None,
    config: str | os.PathLike[str] | None = None,
    rules: Sequence[str | os.PathLike[str]] = (),
) -> list[Finding]:
    """Check one caption; its findings as dicts in the CLI's JSON contract.

    ``caption`` is the text, or a record (a dict with ``caption``/``text``, ``platform``,
    ``sponsored``, ``brands``, ``market`` and ``id`` keys, read as the CLI reads a JSONL record).
    ``platform``, ``sponsored`` and ``brands`` apply where the record does not say.
    ``markets`` are the jurisdictions whose packs run (``("us",)`` when neither it nor the
    config says; ``"all"`` for every pack). ``config`` is an ``adlint.toml`` path; ``rules`` are
    extra rule files or folders. Raises :class:`AdlintError` (bad option, config or record) or
    :class:`RuleError` (a rule pack with mistakes).
    """
    return linter(
        platform=platform,
        sponsored=sponsored,
        brands=brands,
        markets=markets,
        config=config,
        rules=rules,
    ).check(caption)
