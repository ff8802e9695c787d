"""Type hints for adlint's Rust extension (``adlint._adlint``)."""

from os import PathLike
from typing import Any, Iterable, Literal, Mapping, Sequence, TypedDict, Union

__version__: str

class Span(TypedDict):
    start: int
    end: int

class Finding(TypedDict):
    """A finding in the JSON contract of ``adlint check --format json``."""

    code: str
    column: int
    fix: dict[str, Any] | None
    help: str
    line: int
    message: str
    name: str
    severity: Literal["error", "warning", "advice"]
    span: Span
    url: str

class RuleInfo(TypedDict):
    code: str
    name: str
    severity: str
    pack: str
    summary: str
    url: str

Caption = Union[str, Mapping[str, Any]]
Fields = Mapping[str, str]

class AdlintError(ValueError):
    """adlint could not do what was asked: a bad option, config file or record."""

class RuleError(AdlintError):
    """A rule pack has mistakes; ``file``, ``line`` and ``column`` point at the first."""

    file: str | None
    line: int | None
    column: int | None
    errors: list[dict[str, Any]]

class Linter:
    """Rule packs and settings loaded once; checks captions with them."""

    def __init__(
        self,
        *,
        platform: str | None = None,
        sponsored: bool | None = None,
        brands: Sequence[str] = ...,
        markets: Sequence[str] | None = None,
        config: str | PathLike[str] | None = None,
        rules: Sequence[str | PathLike[str]] = ...,
        select: Sequence[str] = ...,
        ignore: Sequence[str] = ...,
        no_builtin: bool = False,
    ) -> None: ...
    @property
    def markets(self) -> list[str]:
        """The jurisdictions whose packs run on captions that do not name their own markets."""
    def check(self, caption: Caption, *, fields: Fields | None = None) -> list[Finding]:
        """Check one caption (a str, or a record dict): its findings."""
    def check_many(
        self,
        captions: Iterable[Caption],
        *,
        fields: Fields | None = None,
        errors: Literal["raise", "skip"] = "raise",
        batch_size: int = 16384,
    ) -> list[list[Finding]]:
        """Check many captions on every core, without holding the GIL; one list per caption."""
    def fix(self, caption: Caption, *, unsafe_fixes: bool = False, fields: Fields | None = None) -> str:
        """The caption with every applicable fix applied."""
    def rules(self) -> list[RuleInfo]:
        """The rules a check with these markets runs."""
    def explain(self, rule: str) -> str:
        """A rule's documentation, as ``adlint explain CODE`` prints it."""

def cli(argv: Sequence[str]) -> int:
    """Run the adlint command line in-process; returns its exit code."""
