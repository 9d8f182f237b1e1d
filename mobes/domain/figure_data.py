"""The figures of the built-in movements (mobes/data/figures.toml), validated once per
process. A file other than the packaged one can be read with ``load_figures`` (the
contact sheet and tests use it to try changed data)."""

from __future__ import annotations

import os
from functools import lru_cache

from mobes.domain.figure import Figure, parse_figures

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

FIGURES_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "data", "figures.toml")


def load_figures(doc: Mapping[str, Any], where: str = "figures") -> dict[str, Figure]:
    """Validate a parsed figures document (``movement id = figure table``)."""
    return parse_figures(doc, where)


@lru_cache(maxsize=1)
def builtin_figures() -> dict[str, Figure]:
    """The packaged figures by movement id (read and validated once per process)."""
    from mobes.tomlcache import load_toml

    return parse_figures(load_toml(FIGURES_FILE), where="built-in figures")
