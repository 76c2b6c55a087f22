"""A readable trace of a run: the path through the machine, state by state, with inputs and outputs.

:class:`TextTracer` is a ``trace`` callback for :meth:`Machine.execute` (it receives every history
event as it happens, recorded or not). Nested lines (Parallel branches, Map iterations) are indented;
a long Map prints progress lines instead of every iteration, so a 10,000-item Map stays readable.
"""
from __future__ import annotations

import json
import sys
import time
from typing import Any, TextIO

_EVENT_TYPES_SHOWN = ("StateEntered", "StateExited")


def _short(value: Any, limit: int) -> str:
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class TextTracer:
    """Writes one line per interesting event to ``stream`` (stderr by default)."""

    def __init__(self, stream: TextIO | None = None, *, width: int = 160, detail_iterations: int = 3,
                 progress_every: float = 1.0):
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.detail_iterations = detail_iterations   # Map iterations shown in full per Map state
        # real seconds between progress lines of a long Map: progress is for the person watching, so it
        # follows the wall clock, not the run's (virtual) one
        self.progress_every = progress_every
        self._maps: dict[tuple, dict] = {}
        self._quiet_depth: int | None = None

    def _write(self, depth: int, text: str) -> None:
        self.stream.write("  " * depth + text + "\n")

    def __call__(self, frame: Any, type_: str, details: Any) -> None:
        depth = frame.depth
        if self._quiet_depth is not None and depth > self._quiet_depth:
            return
        if type_ == "MapStateStarted":
            length = details.get("length", 0) if details else 0
            self._maps[(id(frame), depth)] = {"length": length, "done": 0, "failed": 0,
                                              "last": time.monotonic()}
            self._write(depth + 1, f"· {length} item(s)")
            return
        if type_ in ("MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed"):
            self._iteration(frame, depth, type_, details)
            return
        if type_.endswith("StateEntered"):
            kind = type_[: -len("StateEntered")]
            self._write(depth, f"→ {details['name']} ({kind})  input: {_short(details.get('input'), self.width)}")
        elif type_.endswith("StateExited"):
            line = f"← {details['name']}  output: {_short(details.get('output'), self.width)}"
            if details.get("assignedVariables"):
                line += f"  assigned: {_short(details['assignedVariables'], self.width // 2)}"
            self._write(depth, line)
        elif type_ in ("TaskFailed", "LambdaFunctionFailed", "TaskTimedOut", "LambdaFunctionTimedOut",
                       "EvaluationFailed", "MapRunFailed", "TaskStartFailed"):
            error = (details or {}).get("error")
            cause = (details or {}).get("cause")
            self._write(depth + 1, f"✗ {type_}: {error or ''} {_short(cause, self.width) if cause else ''}".rstrip())
        elif type_ in ("TaskSucceeded", "LambdaFunctionSucceeded"):
            self._write(depth + 1, f"✓ result: {_short((details or {}).get('output'), self.width)}")
        elif type_ in ("ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"):
            error = (details or {}).get("error")
            cause = (details or {}).get("cause")
            self._write(0, f"✗ {type_}: {error or ''}" + (f" — {cause}" if cause else ""))
        elif type_ == "ExecutionSucceeded":
            self._write(0, "✓ ExecutionSucceeded")
        elif type_ in ("MapRunStarted",):
            self._write(depth + 1, f"· map run {(details or {}).get('mapRunArn', '')}")

    def _iteration(self, frame: Any, depth: int, type_: str, details: Any) -> None:
        state = self._maps.get((id(frame), depth))
        index = (details or {}).get("index", 0)
        if state is None:
            return
        if type_ == "MapIterationStarted":
            if index < self.detail_iterations:
                self._quiet_depth = None
                self._write(depth + 1, f"[{index}]")
            else:
                self._quiet_depth = depth
            return
        if type_ == "MapIterationSucceeded":
            state["done"] += 1
        else:
            state["failed"] += 1
            self._write(depth + 1, f"[{index}] failed")
        finished = state["done"] + state["failed"]
        now = time.monotonic()
        if index >= self.detail_iterations and (now - state["last"] >= self.progress_every
                                                or finished == state["length"]):
            state["last"] = now
            self._write(depth + 1, f"· {finished}/{state['length']} iterations done"
                                   + (f" ({state['failed']} failed)" if state["failed"] else ""))
        if finished == state["length"]:
            self._quiet_depth = None
