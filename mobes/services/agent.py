"""The agent's use cases: what happens on a tick, a menu click or a key press.

``App`` is the TrayController the tray and the headless console call. It owns the policy
state (``mobes.domain.policy``), asks the rotation for movements, records everything in the
history store and shows prompts through the notifier. One lock guards every entry point:
the scheduler thread, the tray thread and the console may call in at any time. Subscribers
(the tray's refresh, the runtime's reschedule) are called after the lock is released.

Recorded: every prompt shown (PromptRow), every answer (OutcomeRow: done with feedback,
skipped, snoozed), every due time not shown (SuppressedRow with its reason, or a prompt
with outcome ``away``), feedback and dose changes (``mobes.services.feedback.give_feedback``), rehab
reminders and the tray-guided rehab batches (``mobes.services.rehab_session``).
"""

from __future__ import annotations

import logging
import threading

from mobes.domain import policy
from mobes.domain.rules import ANSWER_FEEDBACK
from mobes.services.delivery import Delivery  # noqa: F401 (the agent's delivery)
from mobes.services.prompt_view import PromptView, guide_view, microbreak_view
from mobes.ui import texts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime, tzinfo
    from typing import Any

    from mobes.domain.catalog import Catalog
    from mobes.domain.settings import Settings
    from mobes.services.ports import HistoryStore, IdleMonitor, Notifier

log = logging.getLogger("mobes.agent")

MICROBREAK_ACTIONS = texts.MICROBREAK_ACTIONS
FEEDBACK_OF = ANSWER_FEEDBACK
# How the tray's fixed buttons map onto a guided rehab batch's choices.
_GUIDE_KEYS = {"skip": "stop", "ok": "ok", "stop": "stop"}


def _call_clock(clock: Any) -> datetime:
    return clock.now() if hasattr(clock, "now") else clock()


class App:
    """The agent. ``settings_reloader`` has ``.settings`` and ``.check() -> bool``
    (``mobes.config.Reloader``); ``clock`` has ``.now()`` (or is a callable) returning an
    aware datetime; ``idle_monitor.idle_seconds()`` may return None (unknown)."""

    def __init__(self, settings_reloader: Any, catalog: Catalog, store: HistoryStore,
                 notifier: Notifier, idle_monitor: IdleMonitor | None, clock: Any, *,
                 zone_for: Callable[[Settings], tzinfo] | None = None,
                 catalog_for: Callable[[Settings], Catalog] | None = None,
                 write_status: Callable[[dict[str, Any]], Any] | None = None,
                 open_config: Callable[[], str] | None = None,
                 say: Callable[[str], Any] | None = None) -> None:
        self.reloader = settings_reloader
        self.catalog = catalog
        self.store = store
        self.notifier = notifier
        self.idle_monitor = idle_monitor
        self.clock = clock
        self._zone_for = zone_for or _default_zone
        self._catalog_for = catalog_for
        self._write_status_to = write_status
        self._open_config = open_config
        self._say = say or log.warning
        self._lock = threading.RLock()
        self._subscribers: list[Callable[[], Any]] = []
        self._quit_callbacks: list[Callable[[], Any]] = []
        self._said: set[str] = set()
        reason = getattr(idle_monitor, "reason", "") if idle_monitor is not None else ""
        self._idle_off = idle_monitor is None or bool(reason)
        self._guide: Any = None  # a rehab_session.TrayGuide while a batch runs
        self._easier: set[str] = set()  # movements of the prompt shown as the easier variant
        self._reminders_at: datetime | None = None  # no rehab reminder is due before this
        self.quitting = threading.Event()
        if idle_monitor is None:
            self._say_once(texts.IDLE_UNKNOWN)
        elif reason:  # e.g. mobes.adapters.idle.UnknownIdle: known to be unknown
            self._say_once(texts.idle_unreadable(reason))
        self.state = policy.initial_state(self._now())
        self._write_status()

    # --- helpers ---------------------------------------------------------------------------
    @property
    def settings(self) -> Settings:
        return self.reloader.settings

    def _zone(self) -> tzinfo:
        return self._zone_for(self.settings)

    def _now(self) -> datetime:
        return _call_clock(self.clock).astimezone(self._zone())

    def _say_once(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self._say(message)

    def _notify_subscribers(self) -> None:
        for cb in list(self._subscribers):
            try:
                cb()
            except Exception:  # a broken subscriber must not break the agent
                log.exception("subscriber failed")

    def _entry(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` under the lock, then tell subscribers (outside the lock)."""
        with self._lock:
            result = fn()
            self._write_status()
        self._notify_subscribers()
        return result

    def _reload(self) -> bool:
        """Re-read changed config files; True when the settings changed."""
        try:
            changed = self.reloader.check()
        except Exception as e:  # keep the last good settings, say why once
            self._say_once(f"config not reloaded: {e}")
            return False
        if changed:
            self._reminders_at = None
            if self._catalog_for is not None:
                try:
                    self.catalog = self._catalog_for(self.settings)
                except Exception as e:
                    self._say_once(f"movements not reloaded: {e}")
            log.info("settings reloaded")
        return bool(changed)

    def _idle(self, now: datetime) -> float | None:
        if self._idle_off or self.idle_monitor is None:
            return None
        if not self.settings.microbreaks.enabled or not policy.in_work_hours(self.settings, now):
            return None
        try:
            idle = self.idle_monitor.idle_seconds()
        except Exception as e:
            idle = None
            reason = str(e)
        else:
            reason = getattr(self.idle_monitor, "reason", "") or "it is not available here"
        if idle is None:
            self._idle_off = True
            self._say_once(texts.idle_unreadable(reason))
        return idle

    def _busy(self) -> str:
        if self._guide is not None:
            return texts.batch_in_progress(self._guide.session.plan.name)
        return ""

    # --- processing policy events ----------------------------------------------------------
    def _advance(self, now: datetime, idle: float | None) -> bool:
        state, events = policy.on_tick(self.settings, self.state, now, idle, busy=self._busy())
        # last_tick moves on every poll; only a real change is worth a status write
        changed = state.replace(last_tick=None) != self.state.replace(last_tick=None)
        self.state = state
        self._handle(events, now)
        return changed or bool(events)

    def _handle(self, events: list[policy.Event], now: datetime) -> None:
        for e in events:
            handler = self._EVENT_HANDLERS.get(e.kind)
            if handler is not None:
                handler(self, e, now)

    def _on_prompt(self, e: policy.Event, now: datetime) -> None:
        self._show_new_prompt(e, now)

    def _on_reprompt(self, e: policy.Event, now: datetime) -> None:
        self._show_current(again=True)

    def _on_away(self, e: policy.Event, now: datetime) -> None:
        from mobes.domain.history import OutcomeRow, PromptRow
        from mobes.services.feedback import transaction

        with transaction(self.store):
            pid = e.prompt_id
            if pid is None:
                pid = self.store.add_prompt(PromptRow(
                    at=e.at, kind="microbreak", movement_ids=(), amounts=(),
                    why=f"due while you were away ({e.detail})"))
            self.store.add_outcome(OutcomeRow(prompt_id=pid, at=e.at, outcome="away"))

    def _on_suppressed(self, e: policy.Event, now: datetime) -> None:
        from mobes.domain.history import SuppressedRow

        self.store.add_suppressed(SuppressedRow(at=e.at, reason=e.reason, detail=e.detail))

    def _on_back(self, e: policy.Event, now: datetime) -> None:
        log.info("welcome back: %s", e.detail)

    def _on_pause_ended(self, e: policy.Event, now: datetime) -> None:
        log.info("pause ended")

    def _on_clock(self, e: policy.Event, now: datetime) -> None:
        log.info("%s", e.detail)

    # What each policy event does (events of other kinds are the callers' to read).
    _EVENT_HANDLERS: dict[str, Callable[[App, policy.Event, datetime], None]] = {
        "prompt": _on_prompt, "reprompt": _on_reprompt, "away": _on_away,
        "suppressed": _on_suppressed, "back": _on_back, "pause-ended": _on_pause_ended,
        "clock": _on_clock}

    def _choose(self, now: datetime):
        from mobes.services.upcoming import pick

        return pick(self.settings, self.catalog, self.store, now)

    def _show_new_prompt(self, e: policy.Event, now: datetime) -> None:
        from mobes.domain.history import PromptRow

        choice = self._choose(now)
        if choice is None:
            self._say_once(texts.NO_MOVEMENT)
            self.state = self.state.replace(current_prompt=None)
            return
        why = e.detail + (f"; {choice.why}" if choice.why else "")
        pid = self.store.add_prompt(PromptRow(at=now, kind="microbreak",
                                              movement_ids=choice.movement_ids,
                                              amounts=choice.amounts, why=why))
        cur = self.state.current_prompt
        self.state = self.state.replace(current_prompt=cur.replace(
            prompt_id=pid, movement_ids=choice.movement_ids, amounts=choice.amounts))
        from mobes.services.feedback import easier_now

        self._easier = easier_now(self.store, self.catalog, self.settings, now,
                                  choice.movement_ids)
        log.info("prompt %s: %s (%s)", pid, ", ".join(choice.movement_ids), why)
        self._show_current(again=False)

    def _view(self) -> PromptView | None:
        if self._guide is not None:
            return guide_view(self._guide, self.catalog)
        left = max(0, self.settings.microbreaks.max_snoozes - self.state.snoozes_for_current)
        return microbreak_view(self.state.current_prompt, self.catalog, self._easier, left)

    def _show_current(self, again: bool) -> None:
        view = self._view()
        if view is None:
            return
        title = view.title + (texts.AGAIN if again else "")
        if not self._deliver(title, view.body, self.settings.microbreaks.duration_seconds):
            log.info("prompt not delivered as a notification")

    def _deliver(self, title: str, body: str, timeout: int) -> bool:
        try:
            return bool(self.notifier.notify(title, body, timeout))
        except Exception as ex:
            self._say_once(f"notification failed: {ex}")
            return False

    # --- the TrayController interface ------------------------------------------------------
    def tick(self) -> None:
        """Called by the runtime at due times and every poll: reload changed config, read
        idle time (only in working hours), advance the policy, deliver rehab reminders."""
        def run() -> bool:
            reloaded = self._reload()
            now = self._now()
            changed = self._advance(now, self._idle(now))
            return self._rehab_reminders(now) or changed or reloaded

        with self._lock:
            changed = run()
            if changed:
                self._write_status()
        if changed:
            self._notify_subscribers()

    def take_break_now(self) -> None:
        def run() -> None:
            now = self._now()
            self._advance(now, None)
            self.state, events = policy.on_prompt_now(self.settings, self.state, now)
            self._handle(events, now)
        self._entry(run)

    def respond(self, action: str) -> str:
        """Answer the prompt on screen: done, too-hard, too-easy, pain, skip or snooze (and,
        in a rehab batch, ok or stop). Returns what happened, in words."""
        return self._entry(lambda: self._respond(action))

    def _respond(self, action: str) -> str:
        from mobes.domain.history import OutcomeRow
        from mobes.services.feedback import explain, give_feedback, transaction

        now = self._now()
        if self._guide is not None:
            return self._guide_act(action, now)
        if action not in policy.RESPONSES:
            return texts.unknown_answer(action)
        self._advance(now, None)
        cur = self.state.current_prompt
        if cur is None:
            return texts.NOTHING_TO_ANSWER
        self.state, events = policy.on_response(self.settings, self.state, now, action)
        said: list[str] = []
        with transaction(self.store):
            for e in events:
                if e.kind == "snooze-refused":
                    said.append(texts.no_snooze_left(e.detail))
                if e.kind != "outcome" or e.prompt_id is None:
                    continue
                if e.reason == "pain":  # stopped by pain: recorded as pain, not done
                    for mid in cur.movement_ids:
                        self.store.add_outcome(OutcomeRow(prompt_id=e.prompt_id, at=now,
                                                          outcome="pain", movement_id=mid,
                                                          feedback="pain"))
                        if mid in self.catalog:
                            changes = give_feedback(self.store, self.catalog, self.settings,
                                                    mid, "microbreak", "pain", now,
                                                    source="prompt")
                            said.extend(explain(changes, self.catalog))
                    said.insert(0, texts.PAIN_STOPPED)
                elif e.reason == "done":
                    fb = FEEDBACK_OF[e.detail]
                    for mid in cur.movement_ids:
                        self.store.add_outcome(OutcomeRow(prompt_id=e.prompt_id, at=now,
                                                          outcome="done", movement_id=mid,
                                                          feedback=fb))
                        if mid in self.catalog:
                            changes = give_feedback(self.store, self.catalog, self.settings,
                                                    mid, "microbreak", fb, now,
                                                    source="prompt")
                            said.extend(explain(changes, self.catalog))
                    said.insert(0, texts.done(e.detail if fb != "ok" else ""))
                else:
                    self.store.add_outcome(OutcomeRow(prompt_id=e.prompt_id, at=now,
                                                      outcome=e.reason))
                    if e.reason == "snoozed":
                        said.append(texts.snoozed(self.settings.microbreaks.snooze_minutes,
                                                  e.detail))
                    elif e.reason == "skipped" and e.detail != "snooze":
                        said.append(texts.SKIPPED)
        msg = " ".join(said)
        log.info("answer %s: %s", action, msg)
        return msg

    def _guide_act(self, action: str, now: datetime) -> str:
        guide = self._guide
        s = guide.session
        if action == "snooze":
            return texts.NO_SNOOZE_IN_BATCH
        key = _GUIDE_KEYS.get(action, action)
        if key in ("too-hard", "too-easy") and s.needs_feedback() is None:
            guide.act("done", now)  # the step was done; then say how it felt
        elif key == "done" and s.needs_feedback() is not None:
            key = "ok"
        view = guide.act(key, now)
        if view.finished:
            self._guide = None
            self.state, _ = policy.on_break_taken(self.settings, self.state, now,
                                                  "your rehab batch")
        self._notify_view(view)
        return f"{view.title}. {view.message}".strip()

    def _notify_view(self, view: Any) -> None:
        self._deliver(view.title, view.message,
                      max(self.settings.microbreaks.duration_seconds, 30))

    def pause(self, minutes: int) -> str:
        """Pause prompts for ``minutes`` (-1 = for the rest of the day)."""
        def run() -> str:
            now = self._now()
            self._advance(now, None)
            self.state, _ = policy.on_pause(self.settings, self.state, now, minutes)
            text = policy.describe(self.settings, self.state, now)
            log.info("%s", text)
            return text
        return self._entry(run)

    def resume(self) -> str:
        def run() -> str:
            now = self._now()
            self._advance(now, None)
            self.state, _ = policy.on_resume(self.settings, self.state, now)
            return policy.describe(self.settings, self.state, now)
        return self._entry(run)

    def is_paused(self) -> bool:
        with self._lock:
            return self.state.is_paused(self._now())

    def status_text(self) -> str:
        """E.g. "next break in 12 min", "paused until 14:30", "outside working hours until
        Mon 09:00" (the tray puts it in its title)."""
        with self._lock:
            busy = self._busy()
            if busy:
                return busy
            return policy.describe(self.settings, self.state, self._now())

    def current_prompt(self) -> PromptView | None:
        with self._lock:
            return self._view()

    def next_due(self) -> policy.Due:
        with self._lock:
            return policy.next_due(self.settings, self.state, self._now())

    def next_wakeup(self) -> datetime | None:
        """When the runtime must call ``tick`` next (a due time, a snooze, a pause's end, a
        rehab reminder)."""
        with self._lock:
            now = self._now()
            times = [t for t in (policy.next_wakeup(self.settings, self.state, now),
                                 self._next_reminder(now)) if t is not None]
            return min(times, key=lambda t: t.timestamp()) if times else None

    def rehab_plans(self) -> list[str]:
        with self._lock:
            return [p.name for p in self.settings.rehab.plans if not p.retired]

    def start_rehab_batch(self, plan_name: str) -> str:
        """Start a tray-guided sitting of a rehab plan (one notification per step)."""
        def run() -> str:
            from mobes.errors import MobesError
            from mobes.services.rehab_session import TrayGuide, find_plan

            now = self._now()
            self._advance(now, None)
            try:
                plan = find_plan(self.settings, plan_name)
            except MobesError as e:
                return str(e)
            if self._guide is not None:
                self._guide.act("stop", now)
            self._guide = TrayGuide.start(plan, self.catalog, self.store, self.settings, now)
            view = self._guide.view()
            if view.finished:
                self._guide = None
            self._notify_view(view)
            return f"{view.title}. {view.message}".strip()
        return self._entry(run)

    def open_config(self) -> str:
        """Open the user config file (written from the documented template when missing,
        by the ``open_config`` the composition root passes in); returns its path."""
        if self._open_config is None:
            from mobes.errors import MobesError

            raise MobesError("this agent cannot open files")
        return self._open_config()

    def quit(self) -> None:
        self.quitting.set()
        with self._lock:
            if self._guide is not None:
                self._guide.act("stop", self._now())
                self._guide = None
        for cb in list(self._quit_callbacks):
            try:
                cb()
            except Exception:
                log.exception("quit callback failed")

    def subscribe(self, callback: Callable[[], Any]) -> None:
        """``callback()`` runs after every change of state (outside the agent's lock)."""
        self._subscribers.append(callback)

    def on_quit(self, callback: Callable[[], Any]) -> None:
        """Call ``callback`` when the agent quits (at once when it already has)."""
        self._quit_callbacks.append(callback)
        if self.quitting.is_set():
            callback()

    # --- rehab reminders -------------------------------------------------------------------
    def _rehab_reminders(self, now: datetime) -> bool:
        if not self.settings.rehab.plans or self.state.is_paused(now):
            return False
        if self._reminders_at is not None and now < self._reminders_at:
            return False  # the history is read only when a reminder stage can be due
        from mobes.services.rehab_course import tick_reminders

        try:
            due = tick_reminders(self.store, self.settings, now, self._zone())
        except Exception as e:
            self._say_once(f"rehab reminders failed: {e}")
            return False
        self._reminders_at = self._next_reminder(now)
        anytime = {p.name for p in self.settings.rehab.plans if p.anytime}
        for r in due:
            title = (texts.REHAB_MISSED_TITLE if r.kind == "missed"
                     else texts.REHAB_REMINDER_TITLE)
            text = r.message(anytime=r.plan in anytime)
            log.info("rehab reminder: %s", text)
            self._deliver(title, text, max(self.settings.microbreaks.duration_seconds, 30))
        return bool(due)

    def _next_reminder(self, now: datetime) -> datetime | None:
        from mobes.services.rehab_course import next_reminder

        return next_reminder(self.settings, now, self._zone())

    # --- status file -----------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """What ``agent.json`` holds (the writer adds the pid): status line, pause, the next
        prompt with its movements (what ``mobes next`` prints), the prompt on screen and the
        policy state (an ``AgentState``)."""
        from mobes.services.upcoming import next_info

        now = self._now()
        try:
            info = next_info(self.settings, self.catalog, self.store, self.state, now)
        except Exception as e:  # the status file must not take the agent down
            self._say_once(f"could not work out the next prompt: {e}")
            due = policy.next_due(self.settings, self.state, now)
            info = {"next": None, "reason": due.why}
        view = self._view()
        return {
            "updated": now.isoformat(),
            "status": self.status_text(),
            "paused": self.state.is_paused(now),
            "paused_until": self.state.paused_until.astimezone(now.tzinfo).isoformat()
            if self.state.paused_until else None,
            "next": info["next"],
            "reason": info["reason"],
            "current": None if view is None else {
                "title": view.title, "body": view.body, "kind": view.kind,
                "movement_ids": list(view.movement_ids),
                "actions": [k for k, _ in view.actions], "prompt_id": view.prompt_id,
                "caution": view.caution, "cautions": list(view.cautions),
                "easier": sorted(self._easier & set(view.movement_ids))},
            "state": self.state,  # the writer turns it into plain data
        }

    def _write_status(self) -> None:
        if self._write_status_to is None:
            return
        try:
            self._write_status_to(self.status())
        except OSError as e:
            self._say_once(f"could not write the status file: {e}")


def _default_zone(settings: Settings) -> tzinfo:
    """A named work zone through zoneinfo; "local" as UTC. The composition root
    (``mobes.bootstrap.build_agent``) passes the real resolver, which also knows this
    computer's zone with its DST rules; this default serves agents built in tests."""
    from datetime import timezone
    from zoneinfo import ZoneInfo

    name = settings.work.timezone
    return ZoneInfo(name) if name and name != "local" else timezone.utc
