"""Layered TOML configuration: defaults < team file < user file < command line.

``load()`` (``loader``) reads the layers (``layers``), validates every key against its rule
(``schema``, plans: ``plans``), checks cross-references against the movement catalog and
returns the effective ``Settings`` with the origin of every value. All mistakes of all
layers are collected and raised together as one ``ConfigError`` (``problems``), each
naming the file, the key path, the bad value and what was expected. ``Reloader``
(``reload``) re-reads the layers when a file changes; ``writer`` renders TOML, writes the
user file template and edits plans in place.

Key paths: ``section.key`` for plain settings (``microbreaks.interval_minutes``),
``sets.NAME``, ``movement.ID`` and ``rehab.plan.NAME`` for named entries, ``locked`` for
the team's locks. Config files are data only: no key names a file mobes writes to, and only
the user's own file may name another file to read (``team_config``).

The names below are importable from ``mobes.config`` itself; each submodule is imported
only when one of its names is first used (``mobes --help`` imports none of them).
"""

from __future__ import annotations

_HOMES = {
    "load": "loader", "Loaded": "loader", "DISCOVER": "loader", "plan_table": "loader",
    "team_file_setting": "loader",
    "Reloader": "reload",
    "ConfigError": "problems", "Problem": "problems", "MISSING": "problems",
    "SECTIONS": "schema", "leaf_keys": "schema", "display_key": "schema",
    "default_file": "schema", "parse_hhmm": "schema", "TRAY_BACKENDS": "schema",
    "read_layer_file": "layers",
    "toml_key": "writer", "toml_value": "writer", "short_value": "writer",
    "user_file_template": "writer",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mobes.config' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"mobes.config.{home}"), name)
    globals()[name] = value
    return value
