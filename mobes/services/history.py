"""History queries shared by the history commands (stats, log, report): ``--since``
dates, reading every row of a period, and movement names from the catalog. Days are cut
in the zone the caller passes (``mobes.bootstrap.zone``, the agent's own resolver)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime, tzinfo

    from mobes.domain.catalog import Catalog


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
