"""The movement catalog: validate plain data into Movements, look them up, filter them.

Entries come as plain dicts (from the built-in TOML shipped in the package, or from a
team file). Everything here is pure; ``mobes.adapters.catalog_file.builtin`` reads the
packaged file.
"""

from __future__ import annotations

from mobes.domain.model import (
    EQUIPMENT,
    KINDS,
    NEEDS,
    POSITIONS,
    REGIONS,
    UNITS,
    Dose,
    Movement,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

CUE_MAX = 100
CAUTION_SHORT_MAX = 110
# 1-3 sets a day in total (seed 003: "approximately 1-3 sets per day"). A rehab set of a
# mobilization is 25-75 reps whatever an entry says: the dose rules hold it there
# (``mobes.domain.dosing.bounds``); the built-in catalog keeps to it too (its tests).
SETS_A_DAY = 3


def is_slug(text: str) -> bool:
    """Lowercase letters and digits in hyphen-separated words, like 'neck-circles'.

    A plain check rather than a regex: ``re`` is not otherwise needed on a command's path.
    """
    return all(p and p.isascii() and p.isalnum() and p == p.lower() for p in text.split("-"))

_REQUIRED = ("id", "name", "kind", "regions", "position", "dose", "cue", "easier", "steps")
_OPTIONAL = ("aliases", "equipment", "helper", "cautions", "good_for", "source",
             "caution_short", "needs", "optional_equipment", "figure")
_DOSE_REQUIRED = ("unit", "amount", "floor", "max", "target")
_DOSE_OPTIONAL = ("per_side", "each_direction", "repeats", "sets", "per_day", "tempo",
                  "or_hold", "prescribed")


class CatalogError(ValueError):
    """A catalog entry is invalid: which entry and field, and what is wrong, as fields.

    ``expected`` says what the field must be and ``got`` what it was (as shown to the
    user); ``problem`` says what is wrong when no expectation does ("unknown field")."""

    def __init__(self, where: str, entry: str, fld: str, problem: str = "", *,
                 expected: str = "", got: str = "") -> None:
        self.where, self.entry, self.field = where, entry, fld
        self.problem, self.expected, self.got = problem, expected, got
        super().__init__(f"{where}: movement {entry!r}, field {fld!r}: {self.detail}")

    @property
    def detail(self) -> str:
        """What is wrong, in words: the problem, or "expected X, got Y"."""
        if not self.expected:
            return self.problem
        return f"expected {self.expected}" + (f", got {self.got}" if self.got else "")


def _suggest(word: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _str(raw: Mapping[str, Any], key: str, fail) -> str:
    v = raw[key]
    if not isinstance(v, str) or not v.strip():
        fail(key, expected="a non-empty string", got=f"{v!r}")
    return v.strip()


def _strs(raw: Mapping[str, Any], key: str, fail, allowed: Sequence[str] | None = None,
          nonempty: bool = False) -> tuple[str, ...]:
    v = raw.get(key, [])
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        fail(key, expected="a list of strings", got=f"{v!r}")
    if nonempty and not v:
        fail(key, expected="at least one value")
    if allowed is not None:
        for x in v:
            if x not in allowed:
                fail(key, f"{x!r} is not one of {', '.join(allowed)}{_suggest(x, allowed)}")
    return tuple(x.strip() for x in v)


def _int(raw: Mapping[str, Any], key: str, fail, lo: int = 1, hi: int = 10_000) -> int:
    v = raw[key]
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        fail(key, expected=f"a whole number from {lo} to {hi}", got=f"{v!r}")
    return v


def default_tempo(unit: str) -> float:
    """Seconds a rep (2), or seconds into and out of a hold (3), when an entry gives none."""
    return 2.0 if unit == "reps" else 3.0


def default_caution_short(cautions: Sequence[str]) -> str:
    """For an entry without ``caution_short`` (team and user files): its first short
    caution, else the plain rule."""
    short = [c for c in cautions if len(c) <= CAUTION_SHORT_MAX]
    return short[0] if short else "Stop if it hurts."


def parse_movement(raw: Mapping[str, Any], where: str = "catalog",
                   origin: str = "built-in") -> Movement:
    """Validate one entry. Raises CatalogError naming the entry and the field."""
    entry = str(raw.get("id", "?")) if isinstance(raw, dict) else "?"

    def fail(fld: str, problem: str = "", expected: str = "", got: str = ""):
        raise CatalogError(where, entry, fld, problem, expected=expected, got=got)

    if not isinstance(raw, dict):
        fail("-", expected="a table", got=f"{type(raw).__name__}")
    for key in raw:
        if key not in _REQUIRED and key not in _OPTIONAL:
            fail(key, "unknown field" + _suggest(key, _REQUIRED + _OPTIONAL))
    for key in _REQUIRED:
        if key not in raw:
            fail(key, "missing (required)")
    mid = _str(raw, "id", fail)
    if not is_slug(mid):
        fail("id", expected="a lowercase slug like 'neck-circles'", got=f"{mid!r}")
    kind = _str(raw, "kind", fail)
    if kind not in KINDS:
        fail("kind", f"{kind!r} is not one of {', '.join(KINDS)}{_suggest(kind, KINDS)}")
    cue = _str(raw, "cue", fail)
    if len(cue) > CUE_MAX:
        fail("cue", expected=f"at most {CUE_MAX} characters", got=f"{len(cue)}")
    easier = _str(raw, "easier", fail)
    if len(easier) > CUE_MAX:
        fail("easier", expected=f"at most {CUE_MAX} characters", got=f"{len(easier)}")
    helper = raw.get("helper", False)
    if not isinstance(helper, bool):
        fail("helper", expected="true or false", got=f"{helper!r}")
    cautions = _strs(raw, "cautions", fail)
    if "caution_short" in raw:
        caution_short = _str(raw, "caution_short", fail)
        if "\n" in caution_short or len(caution_short) > CAUTION_SHORT_MAX:
            fail("caution_short", expected=f"one line of at most {CAUTION_SHORT_MAX} "
                                           f"characters", got=f"{len(caution_short)}")
    else:
        caution_short = default_caution_short(cautions)

    d = raw["dose"]
    if not isinstance(d, dict):
        fail("dose", expected="a table", got=f"{d!r}")

    def dfail(fld: str, problem: str = "", expected: str = "", got: str = ""):
        fail(f"dose.{fld}", problem, expected, got)

    for key in d:
        if key not in _DOSE_REQUIRED and key not in _DOSE_OPTIONAL:
            dfail(key, "unknown field" + _suggest(key, _DOSE_REQUIRED + _DOSE_OPTIONAL))
    for key in _DOSE_REQUIRED:
        if key not in d:
            dfail(key, "missing (required)")
    unit = d["unit"]
    if unit not in UNITS:
        dfail("unit", expected=f"one of {', '.join(UNITS)}", got=f"{unit!r}")
    flags = {}
    for key in ("per_side", "each_direction", "prescribed"):
        flags[key] = d.get(key, False)
        if not isinstance(flags[key], bool):
            dfail(key, expected="true or false", got=f"{flags[key]!r}")
    tempo = d.get("tempo", default_tempo(unit))
    if isinstance(tempo, bool) or not isinstance(tempo, (int, float)) or not 0 <= tempo <= 30:
        dfail("tempo", expected="seconds from 0 to 30", got=f"{tempo!r}")
    dose = Dose(
        unit=unit,
        amount=_int(d, "amount", dfail),
        floor=_int(d, "floor", dfail),
        max=_int(d, "max", dfail),
        target=_int(d, "target", dfail),
        repeats=_int(d, "repeats", dfail, 1, 20) if "repeats" in d else 1,
        sets=_int(d, "sets", dfail, 1, 10) if "sets" in d else 1,
        per_day=_int(d, "per_day", dfail, 1, 4) if "per_day" in d else 1,
        tempo=float(tempo),
        or_hold=_int(d, "or_hold", dfail, 0, 600) if "or_hold" in d else 0,
        **flags,
    )
    if not dose.floor <= dose.amount <= dose.max:
        dfail("amount", expected=f"floor <= amount <= max ({dose.floor}..{dose.max})",
              got=f"{dose.amount}")
    if not dose.floor <= dose.target <= dose.max:
        dfail("target", expected=f"floor <= target <= max ({dose.floor}..{dose.max})",
              got=f"{dose.target}")
    if not dose.prescribed and dose.sets * dose.per_day > SETS_A_DAY:
        dfail("sets", expected=f"1-{SETS_A_DAY} sets a day in total (sets x per_day), or "
                               f"prescribed = true", got=f"{dose.sets} x {dose.per_day}")
    steps = _strs(raw, "steps", fail, nonempty=True)
    m = Movement(
        id=mid,
        name=_str(raw, "name", fail),
        kind=kind,
        regions=_strs(raw, "regions", fail, REGIONS, nonempty=True),
        position=_strs(raw, "position", fail, POSITIONS, nonempty=True),
        dose=dose,
        cue=cue,
        easier=easier,
        steps=steps,
        aliases=_strs(raw, "aliases", fail),
        equipment=_strs(raw, "equipment", fail, EQUIPMENT),
        helper=helper,
        cautions=cautions,
        good_for=tuple(g.lower() for g in _strs(raw, "good_for", fail)),
        source=_strs(raw, "source", fail),
        origin=origin,
        caution_short=caution_short,
        needs=_strs(raw, "needs", fail, NEEDS),
        optional_equipment=_strs(raw, "optional_equipment", fail, EQUIPMENT),
    )
    if "figure" in raw:
        m = m.replace(figure=_figure(raw["figure"], m, fail))
    return m


def _figure(raw: Any, movement: Movement, fail):
    """A movement's own figure (a team file's ``[movement.figure]``), checked as a figure
    and against the movement it draws."""
    from mobes.domain.figure import FigureError, fits, parse_figure

    try:
        fig = parse_figure(raw)
    except FigureError as e:
        p = e.problems[0]
        fail("figure" + (f".{p.path}" if p.path else ""), p.problem, expected=p.expected,
             got=f"{p.value!r}")
    found = fits(fig, movement)
    if found:
        fail("figure", found[0], expected="a figure that fits its movement")
    return fig


def parse_movements(entries: Sequence[Mapping[str, Any]], where: str = "catalog",
                    origin: str = "built-in") -> tuple[Movement, ...]:
    """Validate a list of entries; ids and names must be unique within it."""
    if not isinstance(entries, (list, tuple)):
        raise CatalogError(where, "?", "movement", expected="an array of tables [[movement]]")
    out: list[Movement] = []
    seen: dict[str, str] = {}
    for raw in entries:
        m = parse_movement(raw, where, origin)
        if m.id in (x.id for x in out):
            raise CatalogError(where, m.id, "id", "duplicate id")
        for label in (m.id, m.name.lower(), *(a.lower() for a in m.aliases)):
            if seen.get(label, m.id) != m.id:
                raise CatalogError(where, m.id, "name",
                                   f"{label!r} is already used by {seen[label]!r}")
            seen[label] = m.id
        out.append(m)
    return tuple(out)


class Catalog:
    """An ordered, immutable set of movements with lookup by id, name or alias."""

    def __init__(self, movements: Iterable[Movement],
                 sources: Mapping[str, str] | None = None) -> None:
        self.movements: tuple[Movement, ...] = tuple(movements)
        self._by_id = {m.id: m for m in self.movements}
        self.sources: dict[str, str] = dict(sources or {})  # source id -> title

    def source_title(self, source: str) -> str:
        """The title of a source document (its id when the catalog does not know it)."""
        return self.sources.get(source, source)

    def __iter__(self):
        return iter(self.movements)

    def __len__(self) -> int:
        return len(self.movements)

    def __contains__(self, mid: object) -> bool:
        return mid in self._by_id

    def get(self, mid: str) -> Movement:
        return self._by_id[mid]

    def find(self, term: str) -> Movement | None:
        """Find by id, name or alias; None when nothing matches."""
        t = term.strip().lower()
        if t in self._by_id:
            return self._by_id[t]
        for m in self.movements:
            if m.matches(t):
                return m
        return None

    def suggest(self, term: str) -> list[str]:
        """Ids close to ``term``, for 'did you mean' hints."""
        import difflib

        t = term.strip().lower()
        names = {m.name.lower(): m.id for m in self.movements}
        hits = difflib.get_close_matches(t, list(self._by_id) + list(names), n=3, cutoff=0.5)
        return list(dict.fromkeys(names.get(h, h) for h in hits))

    def with_extra(self, extra: Iterable[Movement], where: str = "team file") -> Catalog:
        """A catalog with ``extra`` movements added; an extra may not reuse a built-in id."""
        extra = tuple(extra)
        for m in extra:
            if m.id in self._by_id:
                raise CatalogError(where, m.id, "id",
                                   f"{m.id!r} is a built-in movement; choose another id")
        return Catalog(self.movements + extra, self.sources)

    def filter(self, *, desk: bool = False, region: str | None = None,
               kind: str | None = None) -> list[Movement]:
        out = []
        for m in self.movements:
            if desk and not m.desk_friendly:
                continue
            if region and region not in m.regions:
                continue
            if kind and m.kind != kind:
                continue
            out.append(m)
        return out


def _trusted(raw: dict, origin: str = "built-in") -> Movement:
    """A Movement from an entry that already passed ``parse_movement`` (no checks again)."""
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k != "dose"}
    if "good_for" in fields:
        fields["good_for"] = tuple(g.lower() for g in fields["good_for"])
    fields.setdefault("caution_short", default_caution_short(fields.get("cautions", ())))
    dose = dict(raw["dose"])
    dose["tempo"] = float(dose.get("tempo", default_tempo(dose["unit"])))
    return Movement(dose=Dose(**dose), origin=origin, **fields)


def parse_sources(raw: Any, where: str = "catalog") -> dict[str, str]:
    """``[sources]``: source id -> the document's title (what ``movements show`` prints)."""
    if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in raw.items()):
        raise CatalogError(where, "-", "sources", expected='a table of id = "title"')
    return dict(raw)
