"""Which errors a Retrier or Catcher handles, and how long a retry waits.

Matching is on the ASL error *name* (a string), exact and case-sensitive, with AWS's wildcards:

* ``States.ALL`` matches every error except ``States.Runtime`` and the *terminal* form of
  ``States.DataLimitExceeded`` (state data over 256 KiB). AWS's recorded runs show ``States.ALL``
  catching a DataLimitExceeded that a task *result* raised, so that form is an ordinary task error.
* ``States.TaskFailed`` matches any error except ``States.Timeout`` (and the two above).
* ``States.HeartbeatTimeout`` also matches a heartbeat expiry, which AWS reports as ``States.Timeout``.
* ``States.Runtime`` is never retried or caught, not even when named.
"""
from __future__ import annotations

import random
from typing import Iterable

from ..errors import ALL, HEARTBEAT_TIMEOUT, RUNTIME, TASK_FAILED, TIMEOUT, StatesError


def error_matches(failure: StatesError, error_equals: Iterable[str]) -> bool:
    """True when a Retrier/Catcher listing ``error_equals`` handles ``failure``."""
    error = failure.error
    if error == RUNTIME:
        return False
    terminal = getattr(failure, "terminal", False)
    for name in error_equals:
        if name == error:
            return True
        if terminal:
            continue
        if name == ALL:
            return True
        if name == TASK_FAILED and error != TIMEOUT:
            return True
        if name == HEARTBEAT_TIMEOUT and error == TIMEOUT and getattr(failure, "heartbeat", False):
            return True
    return False


def retry_delay(interval: float, backoff: float, attempt: int, max_delay: float | None,
                full_jitter: bool, rng: random.Random) -> float:
    """Seconds to wait before the retry that follows ``attempt`` earlier retries."""
    delay = interval * (backoff ** attempt)
    if max_delay is not None and delay > max_delay:
        delay = max_delay
    if full_jitter:
        delay = rng.uniform(0, delay)
    return delay
