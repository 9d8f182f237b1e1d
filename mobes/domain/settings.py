"""Effective settings: frozen, typed records with built-in defaults.

This module holds the *shape* of the settings (shared by the agent, the rehab code and the
config loader). Reading, layering and validating TOML files is ``mobes.config``'s job;
``Settings()`` with no arguments equals the built-in defaults in ``data/default.toml``.
"""

from __future__ import annotations

from mobes.domain.model import Preferences
from mobes.domain.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date

    from mobes.domain.model import Movement

WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday",
                             "saturday", "sunday")
_NINE_TO_FIVE = ((9 * 60, 17 * 60),)


class WorkHours(Record):
    """Working windows per weekday (Monday first) as (start, end) minutes after midnight."""

    __slots__ = ("timezone", "days")
    _defaults = {"timezone": "local",
                 "days": (_NINE_TO_FIVE,) * 5 + ((), ())}
    timezone: str  # an IANA name like "Europe/Paris", or "local"
    days: tuple[tuple[tuple[int, int], ...], ...]  # 7 entries, Monday first


class Microbreaks(Record):
    __slots__ = ("enabled", "interval_minutes", "duration_seconds", "movements_per_break",
                 "snooze_minutes", "max_snoozes", "pause_choices", "focus", "exclude",
                 "movement_set", "idle_threshold_minutes", "no_repeat_within")
    _defaults = {"enabled": True, "interval_minutes": 20, "duration_seconds": 45,
                 "movements_per_break": 1, "snooze_minutes": 5, "max_snoozes": 2,
                 "pause_choices": (30, 60, -1), "focus": (), "exclude": (),
                 "movement_set": "", "idle_threshold_minutes": 5, "no_repeat_within": 6}
    enabled: bool
    interval_minutes: int  # 5..120
    duration_seconds: int  # 30..60; notifications expire after this
    movements_per_break: int  # 1..2
    snooze_minutes: int
    max_snoozes: int  # per prompt
    pause_choices: tuple[int, ...]  # minutes; -1 = rest of the day
    focus: tuple[str, ...]  # regions or conditions
    exclude: tuple[str, ...]  # movement ids
    movement_set: str  # name of a set in Settings.sets; "" = all desk-friendly movements
    idle_threshold_minutes: int  # idle this long = a natural break
    no_repeat_within: int


class PlanItem(Record):
    """One movement in a rehab plan: reps per set, or holds of ``hold_seconds`` x ``holds``."""

    __slots__ = ("movement", "reps", "hold_seconds", "holds")
    _defaults = {"reps": None, "hold_seconds": None, "holds": 1}
    movement: str
    reps: int | None
    hold_seconds: int | None
    holds: int


class Plan(Record):
    """A rehab plan. ``per_side`` and ``caregiver`` left at None follow the movements (each
    side for a movement dosed per side; the helper's instructions when a movement needs
    one); True or False override. ``prescribed``: a therapist's programme, doses kept as
    given. ``anytime``: the batch may be done any time of the day, ``times`` are reminder
    times and the batch is missed only when the day ends. ``warm_up``: start with a short
    warm-up drawn from the plan's regions."""

    __slots__ = ("name", "items", "sets", "per_side", "times", "days", "start_date",
                 "trial_days", "caregiver", "retired", "origin", "prescribed", "anytime",
                 "warm_up")
    _defaults = {"sets": 1, "per_side": None, "times": ("08:00",),
                 "days": WEEKDAYS, "start_date": None, "trial_days": 3, "caregiver": None,
                 "retired": False, "origin": "user", "prescribed": False, "anytime": False,
                 "warm_up": False}
    name: str
    items: tuple[PlanItem, ...]  # 1..5
    sets: int  # sets x batches a day: 1..3 in total, unless prescribed
    per_side: bool | None
    times: tuple[str, ...]  # "HH:MM" local times of the daily batch (or its reminder)
    days: tuple[str, ...]  # weekday names
    start_date: date | None
    trial_days: int
    caregiver: bool | None  # passive program: instructions speak to the helper
    retired: bool
    origin: str
    prescribed: bool
    anytime: bool
    warm_up: bool


class Rehab(Record):
    __slots__ = ("tempo_seconds", "rest_seconds", "remind_again_minutes", "plans")
    _defaults = {"tempo_seconds": 2.0, "rest_seconds": 30, "remind_again_minutes": 30,
                 "plans": ()}
    tempo_seconds: float  # pace of the rep counter
    rest_seconds: int  # rest between sets
    remind_again_minutes: int  # second reminder; after another interval the batch is missed
    plans: tuple[Plan, ...]


class Adaptation(Record):
    __slots__ = ("too_hard_factor", "pain_factor", "too_easy_step", "pain_rest_hours",
                 "pain_retire_count", "pain_retire_days", "clean_streak", "start_fraction",
                 "build_up_days")
    _defaults = {"too_hard_factor": 0.7, "pain_factor": 0.5, "too_easy_step": 0.10,
                 "pain_rest_hours": 48, "pain_retire_count": 2, "pain_retire_days": 7,
                 "clean_streak": 3, "start_fraction": 0.5, "build_up_days": 3}
    too_hard_factor: float
    pain_factor: float
    too_easy_step: float  # fraction; at least one rep
    pain_rest_hours: int
    pain_retire_count: int  # pain marks within pain_retire_days that retire a movement
    pain_retire_days: int
    clean_streak: int  # clean completions in a row that earn one step toward the target
    start_fraction: float  # a new plan starts at this fraction of the target
    build_up_days: int  # a start below the plan's floor reaches it within this many days


class Notifications(Record):
    __slots__ = ("enabled", "app_name")
    _defaults = {"enabled": True, "app_name": "mobes"}
    enabled: bool
    app_name: str


class Tray(Record):
    __slots__ = ("enabled", "backend")
    _defaults = {"enabled": True, "backend": "auto"}
    enabled: bool
    backend: str  # auto | gtk | appindicator | xorg | win32 | darwin | none


class Settings(Record):
    __slots__ = ("work", "microbreaks", "rehab", "adaptation", "notifications", "tray",
                 "movements", "sets", "locked")
    _defaults = {"work": WorkHours(), "microbreaks": Microbreaks(), "rehab": Rehab(),
                 "adaptation": Adaptation(), "notifications": Notifications(), "tray": Tray(),
                 "movements": (), "sets": (), "locked": ()}
    work: WorkHours
    microbreaks: Microbreaks
    rehab: Rehab
    adaptation: Adaptation
    notifications: Notifications
    tray: Tray
    movements: tuple[Movement, ...]  # extra movements from team/user files
    sets: tuple[tuple[str, tuple[str, ...]], ...]  # named movement sets
    locked: tuple[str, ...]  # key paths the team file locked

    def preferences(self) -> Preferences:
        """What the microbreak rotation needs from these settings."""
        mb = self.microbreaks
        only: tuple[str, ...] = ()
        if mb.movement_set:
            only = dict(self.sets).get(mb.movement_set, ())
        return Preferences(
            focus=mb.focus,
            excluded=mb.exclude,
            movements_per_break=mb.movements_per_break,
            no_repeat_within=mb.no_repeat_within,
            only=only,
        )
