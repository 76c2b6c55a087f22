"""The interpreter: run a compiled state machine with AWS's semantics on an injected clock.

    from asl.runtime import Machine
    execution = Machine(model).execute({"order": 1})
    execution.status, execution.output, execution.history
"""
from .clock import Clock, RealClock, VirtualClock
from .machine import ABORTED, FAILED, SUCCEEDED, TIMED_OUT, Execution, Machine

__all__ = ["Machine", "Execution", "Clock", "VirtualClock", "RealClock", "SUCCEEDED", "FAILED",
           "TIMED_OUT", "ABORTED"]
