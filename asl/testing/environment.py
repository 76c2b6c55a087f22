"""The in-memory services a test's Task states talk to (SQS, SNS, EventBridge), when aslkit has them.

The services themselves belong to the resolvers package; this module only finds and creates them, so
the pytest plugin and ``asl test`` work (and say so plainly) with or without them.
"""
from __future__ import annotations

from typing import Any


def environment_class() -> Any:
    """The resolvers package's ``Environment`` class, or None when this aslkit has none."""
    try:
        from .. import resolvers
    except ImportError:  # pragma: no cover - the package always exists
        return None
    return getattr(resolvers, "Environment", None)


def new_environment(spec: Any = None) -> Any:
    """A fresh environment (configured from a suite file's ``services:`` mapping when given), or None."""
    cls = environment_class()
    if cls is None:
        return None
    if spec:
        from_spec = getattr(cls, "from_spec", None) or getattr(cls, "from_dict", None)
        if from_spec is not None:
            return from_spec(spec)
    return cls()
