"""A small immutable record base: slots, keyword/positional init, equality, repr, replace.

``dataclasses`` would do this, but importing it pulls in ``inspect`` (about 8 ms here), and
``mobes next`` must start within 2.5x a bare interpreter. Subclasses list their fields in
``__slots__`` (in order) and defaults in ``_defaults``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # keep typing out of start-up
    from typing import Any, ClassVar


class Record:
    __slots__ = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self.__slots__
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes at most {len(fields)} arguments")
        values = dict(zip(fields, args))
        for k, v in kwargs.items():
            if k not in fields:
                raise TypeError(f"{type(self).__name__} has no field {k!r}")
            if k in values:
                raise TypeError(f"{type(self).__name__} got {k!r} twice")
            values[k] = v
        for f in fields:
            if f not in values:
                if f not in self._defaults:
                    raise TypeError(f"{type(self).__name__} is missing {f!r}")
                values[f] = self._defaults[f]
            object.__setattr__(self, f, values[f])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self.__slots__)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self):
        return (type(self), self._values())

    def replace(self, **changes: Any):
        """A copy with some fields changed."""
        values = {f: getattr(self, f) for f in self.__slots__}
        values.update(changes)
        return type(self)(**values)

    def as_dict(self) -> dict[str, Any]:
        """Fields as a plain dict (nested records converted too), for JSON output."""
        out = {}
        for f in self.__slots__:
            v = getattr(self, f)
            if isinstance(v, Record):
                v = v.as_dict()
            elif isinstance(v, tuple):
                v = [x.as_dict() if isinstance(x, Record) else x for x in v]
            out[f] = v
        return out
