"""RFC 3339 timestamps as Step Functions reads them (Choice ``Timestamp*``, Wait ``Timestamp``) and the
ISO-8601 text it writes into the context object.

AWS parses with Java's ``ISO_OFFSET_DATE_TIME``: ``YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`` with an
uppercase ``T`` and ``Z``, real calendar dates, hours 0-23, no leap second, offsets up to ±18:00.
Recorded against AWS: ``2016-12-05T21:29:29`` (no zone), ``2016-12-05 21:29:29Z`` (blank instead of
``T``), ``05-12-2016T...``, hour 25 and month 13 are refused; nine fractional digits are accepted.
Python's ``datetime`` stops at microseconds, so instants are exact integers of nanoseconds since the
epoch; they compare and subtract without rounding.
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timezone

NANOS_PER_SECOND = 1_000_000_000

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))\Z",
    re.ASCII,
)


class Instant(int):
    """An instant: an exact integer of nanoseconds since 1970-01-01T00:00:00Z.

    Instants compare and subtract exactly (as ints); :meth:`timestamp` gives float seconds like
    ``datetime.timestamp`` for callers that only need seconds.
    """

    __slots__ = ()

    def timestamp(self) -> float:
        return int(self) / NANOS_PER_SECOND

    def to_datetime(self) -> datetime:
        return to_datetime(self)

    def __repr__(self) -> str:
        return f"Instant({int(self)})"


def parse_timestamp(value: object) -> Instant | None:
    """The :class:`Instant` ``value`` names; None if it is not a timestamp AWS accepts (including
    non-strings)."""
    if not isinstance(value, str):
        return None
    match = _RFC3339.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    if year < 1:
        return None
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
            and hour <= 23 and minute <= 59 and second <= 59):
        return None
    offset_seconds = 0
    if match.group(8) is None:
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        if offset_minutes > 59 or offset_hours * 60 + offset_minutes > 18 * 60:
            return None
        offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (1 if match.group(9) == "+" else -1)
    fraction = (match.group(7) or "").ljust(9, "0")
    seconds = calendar.timegm((year, month, day, hour, minute, second)) - offset_seconds
    return Instant(seconds * NANOS_PER_SECOND + int(fraction))


def is_timestamp(value: object) -> bool:
    """``IsTimestamp``: a string AWS parses as an RFC 3339 timestamp."""
    return parse_timestamp(value) is not None


def to_datetime(instant: int) -> datetime:
    """An aware UTC datetime for an instant in nanoseconds (microsecond precision)."""
    seconds, nanos = divmod(instant, NANOS_PER_SECOND)
    return datetime.fromtimestamp(seconds, timezone.utc).replace(microsecond=nanos // 1000)


def format_timestamp(moment: datetime | float | int) -> str:
    """ISO-8601 UTC text as AWS writes it in the context object (``Execution.StartTime``,
    ``State.EnteredTime``): millisecond precision, trailing fractional zeros dropped, and no fraction
    at all on a whole second (``2024-05-01T10:00:00.25Z``, ``2024-05-01T10:00:00Z``).

    ``moment`` is a datetime (naive means UTC) or seconds since the epoch.
    """
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        whole = moment.replace(microsecond=0)
        millis = moment.microsecond // 1000
    else:
        seconds = int(moment // 1)
        millis = int(round((moment - seconds) * 1000))
        if millis == 1000:
            seconds, millis = seconds + 1, 0
        whole = datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)
    text = whole.strftime("%Y-%m-%dT%H:%M:%S")
    if millis:
        text += "." + f"{millis:03d}".rstrip("0")
    return text + "Z"


__all__ = ["Instant", "parse_timestamp", "is_timestamp", "to_datetime", "format_timestamp", "NANOS_PER_SECOND"]
