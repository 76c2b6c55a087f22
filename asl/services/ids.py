"""Identifiers drawn from a service's seeded random source instead of ``uuid.uuid4()``: the same seed
gives the same request ids, message ids and subscription ARNs, so local runs repeat exactly."""
from __future__ import annotations

import random
import uuid


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID (text) drawn from ``rng``."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
