"""What is wrong with a configuration: one ``Problem`` per mistake, all of them raised
together as one ``ConfigError``."""

from __future__ import annotations

from mobes.config.writer import short_value
from mobes.domain.record import Record
from mobes.errors import MobesError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any




class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()


class Problem(Record):
    """One mistake: where (file, key path), what was there, and what was expected."""

    __slots__ = ("file", "key", "value", "expected", "problem", "hint")
    _defaults = {"value": MISSING, "problem": "", "hint": ""}
    file: str  # a path, "command line" or "environment"
    key: str  # e.g. "[microbreaks].interval_minutes"
    value: Any  # the offending value (MISSING when there is none)
    expected: str
    problem: str  # short description when "expected" alone would not say it
    hint: str  # " (did you mean ...?)" or extra lines

    def __str__(self) -> str:
        text = f"{self.file}: {self.key}"
        if self.value is not MISSING:
            text += f" = {short_value(self.value)}"
        text += ": " + (f"{self.problem}; " if self.problem else "")
        return text + f"expected {self.expected}{self.hint}"

    def as_dict(self) -> dict:
        value = None if self.value is MISSING else self.value
        return {"file": self.file, "key": self.key, "value": value,
                "expected": self.expected, "problem": self.problem,
                "hint": self.hint.strip(), "message": str(self)}


class ConfigError(MobesError):
    """The configuration cannot be used. ``problems`` lists every mistake found."""

    def __init__(self, problems: Iterable[Problem], files: dict | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.files: dict[str, str] = dict(files or {})
        if len(self.problems) == 1:
            msg = str(self.problems[0])
        else:
            msg = f"{len(self.problems)} problems in the configuration:\n" + "\n".join(
                "  " + str(p).replace("\n", "\n  ") for p in self.problems)
        super().__init__(msg, code=2)


class Bad(Exception):
    """Raised by a value check: what was expected, and an optional hint."""

    def __init__(self, expected: str, hint: str = "", problem: str = "") -> None:
        super().__init__(expected)
        self.expected, self.hint, self.problem = expected, hint, problem


def _hint(word: object, choices: Iterable[str], prefix: str = "") -> str:
    if not isinstance(word, str):
        return ""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {prefix}{close[0]!r}?)" if close else ""


# ------------------------------------------------- layers, entries and the collector


class Layer:
    __slots__ = ("kind", "path", "label", "file")

    def __init__(self, kind: str, path: str | None = None) -> None:
        self.kind, self.path = kind, path
        self.label = f"{kind}: {path}" if path else kind
        self.file = path or kind


class Entry:
    """One effective value: as written (``value``), converted (``conv``), and its layer."""

    __slots__ = ("value", "conv", "layer", "where")

    def __init__(self, value: Any, conv: Any, layer: Layer, where: str) -> None:
        self.value, self.conv, self.layer, self.where = value, conv, layer, where


class _Collector:
    """Problems of all layers, plus ids of movements that failed so references to them
    are not reported a second time."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.broken_ids: set[str] = set()
        self.broken_sets: set[str] = set()
        # plans with a mistake in their own fields: their movements are still checked
        self.partial_plans: list[Entry] = []

    def add(self, file: str, key: str, value: Any, expected: str, hint: str = "",
            problem: str = "") -> None:
        self.problems.append(Problem(file=file, key=key, value=value, expected=expected,
                                     hint=hint, problem=problem))

    def bad(self, layer: Layer, key: str, value: Any, e: Bad) -> None:
        self.add(layer.file, key, value, e.expected, e.hint, e.problem)
