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
# What else a movement needs, beyond a position and equipment. Any of these keeps it out of
# desk microbreaks: floor work on a mat, room to travel (a deep walking crouch), an empty
# stomach (mornings only).
NEEDS: tuple[str, ...] = ("mat", "room-to-travel", "empty-stomach")
# Equipment a person at a desk has within reach (offices have doors).
DESK_EQUIPMENT: frozenset[str] = frozenset({"chair", "wall", "doorway"})
DESK_POSITIONS: frozenset[str] = frozenset({"standing", "seated"})
# Said with every movement, wherever it is done (prompt, batch step, window).
PAIN_RULE = "Pain means stop; if it comes back or stays, talk to your therapist."
PAIN_RULE_CAREGIVER = ("Stop at the person's first sign of pain; if it comes back or stays, "
                       "talk to their therapist.")

# Feedback a user can give about a movement.
FEEDBACK: tuple[str, ...] = ("ok", "too-easy", "too-hard", "pain")
# What became of a prompt ("pain": answered with pain, so not a done break).
OUTCOMES: tuple[str, ...] = ("done", "skipped", "snoozed", "away", "missed", "partial",
                             "pain")
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

    ``amount`` is the microbreak dose (small, fits a 30-60 s break at ``tempo``); ``target``
    is what a rehab plan builds toward. ``floor`` and ``max`` bound every adapted dose. A
    dose in seconds is a hold; ``repeats`` holds make one set.

    A movement done in both directions (``each_direction``) counts its amount once per
    direction: 20 means 20 one way and 20 the other, 40 reps done. ``per_side`` does the
    amount on each side. ``tempo`` is seconds a rep (one direction), or for a hold the
    seconds to get into and out of each one. ``or_hold`` offers a hold of that many seconds
    at the point of resistance instead of the reps (the caregiver programme).
    ``prescribed``: sets, times a day and target are a clinic's programme, kept as given
    when a plan says ``prescribed = true``.
    """

    __slots__ = ("unit", "amount", "floor", "max", "target", "per_side", "each_direction",
                 "repeats", "sets", "per_day", "tempo", "or_hold", "prescribed")
    _defaults = {"per_side": False, "each_direction": False, "repeats": 1, "sets": 1,
                 "per_day": 1, "tempo": 2.0, "or_hold": 0, "prescribed": False}
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
    tempo: float
    or_hold: int
    prescribed: bool

    @property
    def directions(self) -> int:
        """1, or 2 for a movement done one way and then the other."""
        return 2 if self.each_direction and self.unit == "reps" else 1

    @property
    def sides(self) -> int:
        return 2 if self.per_side else 1

    def done_count(self, amount: int, sides: int = 1) -> int:
        """Reps (or seconds held) that ``amount`` stands for: every direction and every
        hold counted, on ``sides`` sides."""
        per = amount * self.directions if self.unit == "reps" else amount * self.repeats
        return per * max(1, sides)

    def seconds(self, amount: int, sides: int | None = None) -> float:
        """How long ``amount`` takes at this tempo, on every side (default: the dose's)."""
        n = self.sides if sides is None else sides
        if self.unit == "seconds":
            return (amount + self.tempo) * self.repeats * n
        return amount * self.directions * self.tempo * n

    def fitting(self, seconds: float) -> int:
        """The largest amount that takes at most ``seconds`` (0 when not even one fits)."""
        if self.unit == "seconds":
            return max(0, int(seconds / (self.repeats * self.sides) - self.tempo))
        per = self.directions * self.tempo * self.sides
        return max(0, int(seconds / per)) if per > 0 else self.max

    def describe(self, amount: int | None = None) -> str:
        """Human text for a dose, e.g. '12 reps each side', '20 reps each direction' or
        '30 s hold x 4'."""
        n = self.amount if amount is None else amount
        if self.unit == "seconds":
            text = f"{n} s hold"
            if self.repeats > 1:
                text += f" x {self.repeats}"
        else:
            text = f"{n} rep" + ("" if n == 1 else "s")
        if self.directions == 2:
            text += " each direction"
        if self.per_side:
            text += " each side"
        return text

    def describe_set(self, amount: int | None = None) -> str:
        """``describe`` plus what a set adds up to, e.g. '40 reps each direction (80 a
        set)', and the hold alternative of the caregiver programme."""
        n = self.amount if amount is None else amount
        text = self.describe(n)
        if self.directions == 2:
            text += f" ({n * 2} a set)"
        if self.or_hold:
            text += f", or a {self.or_hold} s hold at the point of resistance"
        return text


class Movement(Record):
    """One movement of the catalog.

    ``cue`` is the one-line instruction, ``easier`` the cue of its easier variant (smaller
    range, slower, more support) that "too hard" switches to. ``caution_short`` is the one
    line shown wherever the movement is done; ``cautions`` the full list (each says when to
    stop). ``needs`` lists what keeps it away from a desk (see NEEDS); ``optional_equipment``
    is used by a progression or variant only. ``figure`` is the figure a team file gives
    its own movement (a ``domain.figure.Figure``); the built-in movements' figures live in
    data/figures.toml and are looked up by id (``bootstrap.figure_for``).
    """

    __slots__ = ("id", "name", "kind", "regions", "position", "dose", "cue", "easier", "steps",
                 "aliases", "equipment", "helper", "cautions", "good_for", "source", "origin",
                 "caution_short", "needs", "optional_equipment", "figure")
    _defaults = {"aliases": (), "equipment": (), "helper": False, "cautions": (),
                 "good_for": (), "source": (), "origin": "built-in",
                 "caution_short": "Stop if it hurts.", "needs": (), "optional_equipment": (),
                 "figure": None}
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
    caution_short: str
    needs: tuple[str, ...]
    optional_equipment: tuple[str, ...]
    figure: Any  # Figure | None

    @property
    def desk_friendly(self) -> bool:
        """Standing or seated, no helper, nothing beyond a chair, wall or doorway, and no
        mat, travelling room or empty stomach needed."""
        return (
            not self.helper
            and not self.needs
            and bool(DESK_POSITIONS.intersection(self.position))
            and set(self.equipment) <= DESK_EQUIPMENT
        )

    @property
    def pain_rule(self) -> str:
        """The stop-on-pain rule in the words that suit who does the movement."""
        return PAIN_RULE_CAREGIVER if self.helper else PAIN_RULE

    def cue_for(self, easier: bool = False) -> str:
        """The cue of the full movement, or of its easier variant."""
        return self.easier if easier else self.cue

    def matches(self, term: str) -> bool:
        """True when ``term`` names this movement by id, name or alias (case-insensitive)."""
        t = term.strip().lower()
        return t == self.id or t == self.name.lower() or t in (a.lower() for a in self.aliases)

    def as_dict(self) -> dict:
        d = super().as_dict()
        del d["figure"]  # drawing data, not for reading: 'mobes movements figure' draws it
        d["desk_friendly"] = self.desk_friendly
        d["pain_rule"] = self.pain_rule
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
