"""The figures of the built-in movements: ``mobes/data/figures.toml``, read through the
TOML cache and validated by ``mobes.domain.figure``."""

from __future__ import annotations

import os
from functools import lru_cache

from mobes.domain.figure import Figure, parse_figures

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.domain.model import Movement

FIGURES_FILE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "data", "figures.toml")


@lru_cache(maxsize=1)
def builtin_figures() -> dict[str, Figure]:
    """The packaged figures by movement id (read and validated once per process)."""
    from mobes.adapters.tomlcache import load_toml

    return parse_figures(load_toml(FIGURES_FILE), where="built-in figures")


def figure_for(movement: Movement) -> Figure | None:
    """The movement's figure: its own (from a team file), or the built-in one by id; None
    for a team movement that has none (it is shown as text only)."""
    if movement.figure is not None:
        return movement.figure
    if movement.origin == "built-in":
        return builtin_figures().get(movement.id)
    return None
