"""Plain, immutable data for the domain. Standard library only; nothing here reads the clock.

Records are ``mobes.domain.record.Record`` subclasses rather than dataclasses to keep
``dataclasses``/``inspect`` out of start-up (see record.py).
"""

from __future__ import annotations

from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

REGIONS: tuple[str, ...] = (
    "neck",
    "shoulders",
    "upper-back",
    "chest",
    "lower-back",
    "hips",
    "glutes",
    "thighs",
    "knees",
    "calves",
    "ankles-feet",
    "elbows",
    "wrists-hands",
    "core",
)
KINDS: tuple[str, ...] = ("mobilization", "passive", "assisted", "stretch-hold")
POSITIONS: tuple[str, ...] = (
    "standing",
    "seated",
    "lying",
    "side-lying",
    "prone",
    "kneeling",
    "all-fours",
    "squatting",
)
EQUIPMENT: tuple[str, ...] = (
    "strap",
    "doorway",
    "bed",
    "wall",
    "chair",
    "table",
    "foam-roller",
    "band",
    "stool",
)
UNITS: tuple[str, ...] = ("reps", "seconds")
# Equipment a person at a desk has within reach.
DESK_EQUIPMENT: frozenset[str] = frozenset({"chair", "wall", "doorway"})
DESK_POSITIONS: frozenset[str] = frozenset({"standing", "seated"})

# Feedback a user can give about a movement.
FEEDBACK: tuple[str, ...] = ("ok", "too-easy", "too-hard", "pain")
# What became of a prompt.
OUTCOMES: tuple[str, ...] = ("done", "skipped", "snoozed", "away", "missed", "partial")
# Why a prompt did not fire.
SUPPRESS_REASONS: tuple[str, ...] = (
    "outside-hours",
    "paused",
    "idle",
    "snoozed",
    "do-not-disturb",
    "suspended",
)
BATCH_KINDS: tuple[str, ...] = ("maintenance", "rehab")
DOSE_CONTEXTS: tuple[str, ...] = ("microbreak", "rehab")


class Dose(Record):
    """How much of a movement to do.

    ``amount`` is the microbreak dose (small, fits a 30-60 s break); ``target`` is what a
    rehab plan builds toward. ``floor`` and ``max`` bound every adapted dose. A dose in
    seconds is a hold; ``repeats`` holds make one set.
    """

    __slots__ = ("unit", "amount", "floor", "max", "target", "per_side", "each_direction",
                 "repeats", "sets", "per_day")
    _defaults = {"per_side": False, "each_direction": False, "repeats": 1, "sets": 1,
                 "per_day": 1}
    unit: str
    amount: int
    floor: int
    max: int
    target: int
    per_side: bool
    each_direction: bool
    repeats: int
    sets: int
    per_day: int

    def describe(self, amount: int | None = None) -> str:
        """Human text for a dose, e.g. '12 reps each side' or '30 s hold x 4'."""
        n = self.amount if amount is None else amount
        if self.unit == "seconds":
            text = f"{n} s hold"
            if self.repeats > 1:
                text += f" x {self.repeats}"
        else:
            text = f"{n} rep" + ("" if n == 1 else "s")
        if self.each_direction:
            text += " each direction"
        if self.per_side:
            text += " each side"
        return text


class Movement(Record):
    """One movement of the catalog. ``figure`` is the figure a team file gives its own
    movement (a ``domain.figure.Figure``); the built-in movements' figures live in
    data/figures.toml and are looked up by id (``bootstrap.figure_for``)."""

    __slots__ = ("id", "name", "kind", "regions", "position", "dose", "cue", "easier", "steps",
                 "aliases", "equipment", "helper", "cautions", "good_for", "source", "origin",
                 "figure")
    _defaults = {"aliases": (), "equipment": (), "helper": False, "cautions": (),
                 "good_for": (), "source": (), "origin": "built-in", "figure": None}
    id: str
    name: str
    kind: str
    regions: tuple[str, ...]
    position: tuple[str, ...]
    dose: Dose
    cue: str
    easier: str
    steps: tuple[str, ...]
    aliases: tuple[str, ...]
    equipment: tuple[str, ...]
    helper: bool
    cautions: tuple[str, ...]
    good_for: tuple[str, ...]
    source: tuple[str, ...]
    origin: str
    figure: Any  # Figure | None

    @property
    def desk_friendly(self) -> bool:
        """Standing or seated, no helper, nothing beyond a chair, wall or doorway."""
        return (
            not self.helper
            and bool(DESK_POSITIONS.intersection(self.position))
            and set(self.equipment) <= DESK_EQUIPMENT
        )

    def matches(self, term: str) -> bool:
        """True when ``term`` names this movement by id, name or alias (case-insensitive)."""
        t = term.strip().lower()
        return t == self.id or t == self.name.lower() or t in (a.lower() for a in self.aliases)

    def as_dict(self) -> dict:
        d = super().as_dict()
        del d["figure"]  # drawing data, not for reading: 'mobes movements figure' draws it
        d["desk_friendly"] = self.desk_friendly
        return d


class PromptRecord(Record):
    """One past prompt as the rotation and stats see it (``outcome`` None while open)."""

    __slots__ = ("at", "movement_ids", "outcome", "kind")
    _defaults = {"outcome": None, "kind": "microbreak"}
    at: datetime
    movement_ids: tuple[str, ...]
    outcome: str | None
    kind: str


class Choice(Record):
    """What the rotation picked for one microbreak: movements and their doses."""

    __slots__ = ("movement_ids", "amounts", "why")
    _defaults = {"why": ""}
    movement_ids: tuple[str, ...]
    amounts: tuple[int, ...]
    why: str


class Preferences(Record):
    """What the user asked the rotation to favour or avoid."""

    __slots__ = ("focus", "excluded", "focus_weight", "movements_per_break",
                 "no_repeat_within", "only")
    _defaults = {"focus": (), "excluded": (), "focus_weight": 2.0, "movements_per_break": 1,
                 "no_repeat_within": 6, "only": ()}
    focus: tuple[str, ...]  # regions or conditions (good_for), e.g. "neck", "typists"
    excluded: tuple[str, ...]  # movement ids never to offer
    focus_weight: float
    movements_per_break: int
    no_repeat_within: int
    only: tuple[str, ...]  # restrict to these ids (a movement set); empty = all
