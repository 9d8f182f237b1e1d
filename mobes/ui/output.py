"""Printing helpers shared by commands: JSON for scripts, aligned tables for people."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def _default(o):
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "as_dict"):
        return o.as_dict()
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def print_json(data) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n")


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


def terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns
