"""The in-memory services a test's Task states talk to (Lambda, SQS, SNS, EventBridge, ...).

The services belong to the resolvers package (:class:`asl.resolvers.Environment`); this module only
creates them for the pytest plugin and suite files, so both keep working — and say so plainly — on an
aslkit without them.
"""
from __future__ import annotations

from typing import Any


def environment_class() -> Any:
    """:class:`asl.resolvers.Environment`, or None when this aslkit has no local services."""
    from .. import resolvers

    try:
        return getattr(resolvers, "Environment", None)
    except ImportError:  # pragma: no cover - a partial install
        return None


def new_environment(spec: Any = None, *, base_dir: Any = None) -> Any:
    """A fresh environment: empty, or from an environment file's content (a path or a mapping, see
    :mod:`asl.resolvers.env_file`). None when this aslkit has no local services."""
    cls = environment_class()
    if cls is None:
        return None
    if spec is None:
        return cls()
    from ..resolvers.env_file import load_environment

    return load_environment(spec, base_dir=base_dir)
