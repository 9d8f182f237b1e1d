"""Printing helpers shared by commands: JSON for scripts, aligned tables for people."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import IO


def _default(o):
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "as_dict"):
        return o.as_dict()
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def print_json(data, out: IO[str]) -> None:
    """``data`` as indented JSON on ``out`` (times as ISO 8601, records as dicts)."""
    import json

    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 0) -> str:
    """Left-aligned columns; the last column is cut to fit ``max_width`` when given."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for n, r in enumerate(cells):
        line = "  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip()
        if max_width and len(line) > max_width:
            line = line[: max_width - 1] + "…"
        out.append(line)
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"


def terminal_width(out: IO[str], environ: Mapping[str, str]) -> int:
    """Columns to fit: ``COLUMNS`` when set, else the width of ``out`` when it is a
    terminal, else 100."""
    import os

    try:
        cols = int(environ.get("COLUMNS", "0"))
    except ValueError:
        cols = 0
    if cols > 0:
        return cols
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 100
