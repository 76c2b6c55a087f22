"""JSONata-mode data flow (placeholder until asl.jsonata_expr lands)."""
from __future__ import annotations

from typing import Any


class _Pending:
    def __init__(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("JSONata states are not supported yet")


StateIO = FailIO = WaitIO = RuleIO = _Pending


def compile_condition(rule: Any):
    raise NotImplementedError("JSONata states are not supported yet")
