"""Read TOML files through a small on-disk cache, so start-up need not import a parser.

Importing ``tomllib`` costs more than a bare interpreter start here, and most runs read
the same unchanged files (the built-in catalog, the defaults, your config). ``load_toml``
keeps parsed documents in one ``marshal`` file under ``paths.state_dir()``, keyed by the
file's absolute path, ``(mtime_ns, size)`` and the mobes version. Dates and times, which
marshal cannot hold, are stored as tagged tuples (TOML itself never yields tuples).

The cache is only an optimisation: a missing, corrupt or unwritable cache file means the
TOML file is parsed as usual. A file modified within the last couple of seconds is not
cached, because a second edit in the same timestamp tick with the same size could
otherwise be mistaken for the first ("racy" timestamps, as git calls them).
"""

from __future__ import annotations

import marshal
import os

from mobes import __version__
from mobes.domain.rules import racy  # (mtime, size) cannot prove a just-written file unchanged

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FORMAT = 1
_MAX_ENTRIES = 24
_TAGS = ("datetime", "date", "time")

_memo: tuple[str, dict] | None = None  # (cache file, its entries), read once per process


def cache_file() -> str:
    from mobes.adapters import paths

    return os.path.join(paths.state_dir(), "toml-cache.marshal")


def _read_cache(path: str) -> dict:
    global _memo
    if _memo is None or _memo[0] != path:
        entries: dict = {}
        try:
            with open(path, "rb") as f:
                blob = marshal.loads(f.read())
            if (isinstance(blob, tuple) and len(blob) == 3 and blob[0] == _FORMAT
                    and blob[1] == __version__ and isinstance(blob[2], dict)):
                entries = blob[2]
        except Exception:  # missing, unreadable or corrupt: start empty
            entries = {}
        _memo = (path, entries)
    return _memo[1]


def _write_cache(path: str, entries: dict) -> None:
    from mobes.adapters.paths import write_atomic

    try:
        write_atomic(path, marshal.dumps((_FORMAT, __version__, entries)))
    except Exception:  # read-only home, full disk...: the cache is optional
        pass


def _encode(v: Any) -> Any:
    """Plain data marshal can store: dates/times become (tag, isoformat) tuples."""
    if isinstance(v, dict):
        return {k: _encode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_encode(x) for x in v]
    name = type(v).__name__
    if name in _TAGS and type(v).__module__ == "datetime":
        return (name, v.isoformat())
    return v


def _decode(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode(x) for x in v]
    if isinstance(v, tuple):
        import datetime

        tag, text = v
        return getattr(datetime, tag).fromisoformat(text)
    return v


def _has_dates(v: Any) -> bool:
    if isinstance(v, dict):
        return any(_has_dates(x) for x in v.values())
    if isinstance(v, list):
        return any(_has_dates(x) for x in v)
    return isinstance(v, tuple)


def parse(text: str) -> dict:
    """Parse TOML text (imports the parser). Raises ValueError (TOMLDecodeError) on bad TOML."""
    from mobes.adapters import tomlcompat

    return tomlcompat.loads(text)


def load_toml(path: str, check=None) -> dict:
    """The parsed document at ``path``.

    Raises OSError when the file cannot be read, UnicodeDecodeError when it is not UTF-8
    and ValueError (``TOMLDecodeError``) when it is not valid TOML. ``check(doc)``, when
    given, runs on a freshly parsed document before it is cached; if it raises, nothing is
    cached and the error propagates, so a cache hit means the document passed ``check``.
    """
    import time

    path = os.path.abspath(path)
    st = os.stat(path)
    stamp = (st.st_mtime_ns, st.st_size)
    try:
        cpath = cache_file()
        entries = _read_cache(cpath)
        hit = entries.get(path)
        if isinstance(hit, tuple) and len(hit) == 3 and hit[0] == stamp:
            doc = marshal.loads(hit[2])  # a fresh copy every time
            if isinstance(doc, dict):
                return _decode(doc) if hit[1] else doc
    except Exception:  # a damaged entry or no state dir: parse instead
        cpath, entries = "", {}
    with open(path, "rb") as f:
        after = os.fstat(f.fileno())
        data = f.read()
    doc = parse(data.decode("utf-8"))
    if check is not None:
        check(doc)
    if (cpath and (after.st_mtime_ns, after.st_size) == stamp and len(data) == st.st_size
            and not racy(st.st_mtime_ns, time.time_ns())):
        try:
            enc = _encode(doc)
            entries.pop(path, None)
            while len(entries) >= _MAX_ENTRIES:
                entries.pop(next(iter(entries)))
            entries[path] = (stamp, _has_dates(enc), marshal.dumps(enc))
            _write_cache(cpath, entries)
        except Exception:
            pass
    return doc


def clear_memo() -> None:
    """Forget the in-process copy of the cache file (tests move MOBES_HOME between runs)."""
    global _memo
    _memo = None
