"""The system's time zone as a real zone (with its DST rules), for ``timezone = "local"``.

``datetime.now().astimezone()`` gives only today's fixed offset, which is wrong on the
other side of a DST change; working hours need the zone itself. In order: ``TZ``, the key
``/etc/localtime`` points to (Linux, macOS), ``/etc/timezone`` (Debian), the compiled
``/etc/localtime`` file, and finally a zone that asks the C library (Windows without the
tzdata package), which still follows DST.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone, tzinfo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

_cache: dict[str, tzinfo] = {}


class SystemLocalZone(tzinfo):
    """The C library's local time (``time.localtime``): DST-aware, no IANA name."""

    def _offset(self, dt: datetime) -> timedelta:
        naive = dt.replace(tzinfo=None)
        try:
            stamp = time.mktime((naive.year, naive.month, naive.day, naive.hour,
                                 naive.minute, naive.second, 0, 0, -1))
            return timedelta(seconds=time.localtime(stamp).tm_gmtoff)
        except (OverflowError, ValueError):
            return timedelta(seconds=-time.timezone)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return self._offset(dt) if dt is not None else timedelta(seconds=-time.timezone)

    def dst(self, dt: datetime | None) -> timedelta:
        return timedelta(0)

    def tzname(self, dt: datetime | None) -> str:
        return time.tzname[0]

    def fromutc(self, dt: datetime) -> datetime:
        stamp = (dt.replace(tzinfo=timezone.utc) - datetime(1970, 1, 1, tzinfo=timezone.utc)
                 ).total_seconds()
        off = time.localtime(stamp).tm_gmtoff
        return (dt + timedelta(seconds=off)).replace(tzinfo=self)

    def __repr__(self) -> str:
        return "SystemLocalZone()"


def _key(name: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:
        return None


def _from_file(path: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    try:
        with open(path, "rb") as f:
            return ZoneInfo.from_file(f, key=path)
    except Exception:
        return None


def system_zone(environ: Mapping[str, str] | None = None) -> tzinfo:
    """This computer's time zone (``TZ`` from ``environ``, default ``os.environ``)."""
    tz = (os.environ if environ is None else environ).get("TZ", "")
    if "TZ:" + tz in _cache:
        return _cache["TZ:" + tz]
    zone = _find(tz)
    _cache["TZ:" + tz] = zone
    return zone


def _find(tz: str) -> tzinfo:
    if tz:
        name = tz[1:] if tz.startswith(":") else tz
        zone = _from_file(name) if name.startswith("/") else _key(name)
        if zone is not None:
            return zone
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            zone = _key(target.split("zoneinfo/", 1)[1])
            if zone is not None:
                return zone
    except OSError:
        pass
    try:
        with open("/etc/timezone", encoding="utf-8") as f:
            zone = _key(f.read().strip())
        if zone is not None:
            return zone
    except OSError:
        pass
    if os.path.exists("/etc/localtime"):
        zone = _from_file("/etc/localtime")
        if zone is not None:
            return zone
    return SystemLocalZone()


def zone_named(name: str, environ: Mapping[str, str] | None = None) -> tzinfo:
    """``"local"`` or an IANA name (checked by the config loader) as a tzinfo."""
    if not name or name == "local":
        return system_zone(environ)
    if name not in _cache:
        _cache[name] = _key(name) or system_zone(environ)
    return _cache[name]
