"""The built-in movement catalog: ``mobes/data/catalog.toml``, read through the TOML cache
and validated by ``mobes.domain.catalog``."""

from __future__ import annotations

from functools import lru_cache

from mobes.domain.catalog import Catalog, _trusted, parse_movements, parse_sources

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mobes.domain.model import Movement


@lru_cache(maxsize=1)
def builtin() -> Catalog:
    """The catalog shipped inside the package (read and validated once per process).

    The file is validated whenever it is parsed; the TOML cache keeps only documents that
    passed, so a cached copy is built without validating again (about 1 ms of start-up).
    """
    import os

    from mobes.adapters.tomlcache import load_toml

    validated: list[tuple[Movement, ...]] = []

    def check(doc: dict) -> None:
        validated.append(parse_movements(doc.get("movement", []), where="built-in catalog"))
        parse_sources(doc.get("sources", {}), where="built-in catalog")

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # mobes/
    data = load_toml(os.path.join(package, "data", "catalog.toml"), check=check)
    sources = data.get("sources", {})
    if validated:
        return Catalog(validated[0], sources)
    return Catalog((_trusted(e) for e in data.get("movement", [])), sources)
