"""RFC 3339 timestamps as AWS accepts them, and the context object's ISO-8601 text."""
from datetime import datetime, timedelta, timezone

import pytest

from asl.timestamps import Instant, format_timestamp, is_timestamp, parse_timestamp


@pytest.mark.parametrize("text", [
    "2012-10-09T19:00:55Z", "2012-10-09T19:00:55+01:00", "2016-03-05T21:29:29.243167252Z",
    "2026-11-28T00:29:53.000000Z", "2026-11-28T00:29:53.00Z", "2024-02-29T00:00:00-18:00",
])
def test_accepted(text):
    assert is_timestamp(text)


@pytest.mark.parametrize("text", [
    "2016-12-05T21:29:29", "2016-12-05 21:29:29Z", "05-12-2016T21:29:29Z", "2016-12-05T25:29:29Z",
    "2016-13-05T21:29:29Z", "2023-02-30T00:00:00Z", "2016-12-05t21:29:29z", "2016-12-05T21:29:60Z",
    "2016-12-05T21:29:29.1234567890Z", "2016-12-05T21:29:29+19:00", "2016-12-05T21:29:29+0100",
    "2023-02-24 12:15:56.832957", "", " ", "0000-01-01T00:00:00Z",
])
def test_refused(text):
    assert parse_timestamp(text) is None and not is_timestamp(text)


@pytest.mark.parametrize("value", [None, 0, 1.5, True, [], {}])
def test_non_strings_are_not_timestamps(value):
    assert parse_timestamp(value) is None


def test_instants_compare_exactly_across_offsets_and_nanoseconds():
    assert parse_timestamp("2012-10-09T19:00:55+01:00") == parse_timestamp("2012-10-09T18:00:55Z")
    earlier = parse_timestamp("2016-03-05T21:29:29.243167252Z")
    later = parse_timestamp("2016-03-05T21:29:29.243167253Z")
    assert later - earlier == 1 and isinstance(earlier, Instant)
    assert earlier.timestamp() == pytest.approx(1457213369.243167252)
    assert earlier.to_datetime() == datetime(2016, 3, 5, 21, 29, 29, 243167, tzinfo=timezone.utc)


@pytest.mark.parametrize("moment, text", [
    (datetime(2024, 5, 1, 10, 0, 0, 250000), "2024-05-01T10:00:00.25Z"),
    (datetime(2024, 5, 1, 10, 0, 0), "2024-05-01T10:00:00Z"),
    (datetime(2024, 5, 1, 10, 0, 0, 123999), "2024-05-01T10:00:00.123Z"),
    (datetime(2024, 5, 1, 12, 0, 0, 1000, tzinfo=timezone(timedelta(hours=2))), "2024-05-01T10:00:00.001Z"),
    (1714557600.5, "2024-05-01T10:00:00.5Z"),
])
def test_format_timestamp(moment, text):
    assert format_timestamp(moment) == text
    assert is_timestamp(text)
