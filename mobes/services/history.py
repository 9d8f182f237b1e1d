"""Helpers shared by the history commands (stats, log, report): the user's time zone,
``--since`` dates, reading every row of a period, and movement names from the catalog."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from mobes.domain.catalog import Catalog
    from mobes.domain.settings import Settings


def local_zone(settings: Settings) -> tzinfo:
    """The zone days are counted in: the work-hours zone, or the system's own zone (with its
    daylight-saving rules when they can be found, else today's fixed offset)."""
    import os
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from mobes.errors import UsageError

    name = settings.work.timezone
    if name and name != "local":
        try:
            return ZoneInfo(name)
        except (ValueError, OSError) as e:
            raise UsageError(f"work.timezone: unknown time zone {name!r} "
                             "(expected a name like 'Europe/Paris' or 'local')") from e
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        link = os.path.realpath("/etc/localtime")
        if "/zoneinfo/" in link:
            candidates.append(link.split("/zoneinfo/", 1)[1])
    except OSError:
        pass
    for key in candidates:
        if key and not key.startswith("/"):
            try:
                return ZoneInfo(key)
            except (ValueError, OSError):
                continue
    return datetime.now().astimezone().tzinfo


def parse_since(text: str | None, tz: tzinfo) -> datetime | None:
    """``--since YYYY-MM-DD`` as the start of that day in ``tz``."""
    if text is None:
        return None
    from datetime import date

    from mobes.domain.stats import midnight
    from mobes.errors import UsageError

    try:
        return midnight(date.fromisoformat(text.strip()), tz)
    except ValueError:
        raise UsageError(f"--since: expected a date like 2026-03-01, got {text!r}") from None


def names(catalog: Catalog) -> dict[str, str]:
    return {m.id: m.name for m in catalog}


def load(store, since: datetime | None) -> dict[str, list]:
    """Every row from ``since`` on (dose changes: all of them, so doses have a start)."""
    return {
        "prompts": store.prompts(since=since),
        "outcomes": store.outcomes(since=since),
        "suppressed": store.suppressed(since=since),
        "batches": store.batches(since=since),
        "items": store.batch_items_since(since),
        "feedback": store.feedback(since=since),
        "doses": store.dose_changes(),
    }
