"""One import point for a TOML parser: ``tomllib`` (3.11+) or ``tomli`` before that."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib as toml
else:  # pragma: no cover - exercised only on 3.10
    import tomli as toml

TOMLDecodeError = toml.TOMLDecodeError
loads = toml.loads
