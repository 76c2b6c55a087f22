"""The interpreter: run a compiled state machine with AWS's semantics on an injected clock.

    from asl.runtime import Machine
    execution = Machine(model).execute({"order": 1})
    execution.status, execution.output, execution.history

Names load on first use, so the services can import :mod:`asl.runtime.clock` without the interpreter.
"""
from __future__ import annotations

from typing import Any

_FROM = {"Machine": "machine", "Execution": "machine", "SUCCEEDED": "machine", "FAILED": "machine",
         "TIMED_OUT": "machine", "ABORTED": "machine", "Clock": "clock", "VirtualClock": "clock",
         "RealClock": "clock"}


def __getattr__(name: str) -> Any:
    module = _FROM.get(name)
    if module is None:
        raise AttributeError(f"module 'asl.runtime' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)


__all__ = ["Machine", "Execution", "Clock", "VirtualClock", "RealClock", "SUCCEEDED", "FAILED",
           "TIMED_OUT", "ABORTED"]
