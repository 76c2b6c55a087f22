"""RFC 3339 timestamps as AWS accepts them in a definition (Wait ``Timestamp``, Choice ``Timestamp*``).

A regular expression for the shape plus a calendar check for the values (month 13, hour 25 and
February 30 are all refused by AWS: `String does not match RFC3339 timestamp`).
"""
from __future__ import annotations

import re

# compiled on first use (re's cache): most definitions have no literal timestamp
_RFC3339 = r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))\Z"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_rfc3339(text: str) -> bool:
    m = re.match(_RFC3339, text)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    if not 1 <= month <= 12 or not 1 <= day <= _DAYS[month - 1] or hour > 23 or minute > 59 or second > 60:
        return False
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return False
    if m.group(7) is not None and (int(m.group(7)) > 23 or int(m.group(8)) > 59):
        return False
    return True
