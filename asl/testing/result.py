"""What a test sees of one execution, and assertions whose failure messages explain the run.

A failed assertion says what was expected, what happened, the path of states the execution took, and
— for JSON values — exactly where they differ::

    AssertionError: expected status SUCCEEDED, got FAILED
      error: Lambda.ServiceException
      cause: boom
      path:  Validate -> Charge -> Charge (attempt 2) ...
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, Sequence

from .harness import Invocation

_MISSING: Any = object()
TERMINAL_STATUSES = ("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED")


class ExecutionAssertionError(AssertionError):
    """An assertion about an execution failed; the message carries the run's story."""


class RunResult:
    """One execution plus the harness's record of its task calls.

    ``status``, ``output``, ``error``, ``cause``, ``history`` and ``execution`` come from the runtime;
    ``path`` is the names of the states entered, in order; ``invocations`` every Task attempt.
    """

    def __init__(self, execution: Any, invocations: Sequence[Invocation] = (), *, faults: Any = None,
                 services: Any = None):
        self.execution = execution
        self.invocations = list(invocations)
        self.faults = faults
        self.services = services

    # --- what happened --------------------------------------------------------------------------------
    @property
    def status(self) -> str:
        return self.execution.status

    @property
    def output(self) -> Any:
        return self.execution.output

    @property
    def error(self) -> str | None:
        return self.execution.error

    @property
    def cause(self) -> str | None:
        return self.execution.cause

    @property
    def history(self) -> list[dict]:
        return self.execution.history

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    @property
    def path(self) -> list[str]:
        """Names of the states entered, in history order (nested states included)."""
        entered = getattr(self.execution, "states_entered", None)
        if entered is not None:
            return list(entered)
        return [e["stateEnteredEventDetails"]["name"] for e in self.history if "stateEnteredEventDetails" in e]

    def calls(self, state: str | None = None, *, function: str | None = None) -> list[Invocation]:
        """Task attempts, optionally only those of ``state`` or calling the Lambda ``function``."""
        return [i for i in self.invocations
                if (state is None or i.state == state) and (function is None or i.function_name == function)]

    def attempts(self, state: str) -> int:
        """How many times the Task state ``state`` was attempted (retries and Map iterations included)."""
        if self.invocations:
            return len(self.calls(state))
        return _attempts_from_history(self.history, state)

    def sent(self, target: str) -> list[Any]:
        """What the run's Task states sent to a queue, topic or event bus — by name, URL or ARN — in
        order: SQS ``MessageBody``, SNS ``Message``, EventBridge entries. Only successful calls count."""
        out: list[Any] = []
        for call in self.invocations:
            if call.ok:
                out.extend(_sent_by(call, target))
        return out

    def queue(self, name: str) -> list[dict]:
        """The messages left in queue ``name`` of the run's services after the run (and its deliveries)."""
        queues = getattr(self.services, "queues", None)
        if not callable(queues):
            raise ExecutionAssertionError("this run had no in-memory services (pass services=... or use "
                                          "the asl_services fixture)")
        return list(queues().get(name, []))

    # --- assertions -----------------------------------------------------------------------------------
    def assert_succeeded(self, output: Any = _MISSING) -> "RunResult":
        if self.status != "SUCCEEDED":
            self._fail(f"expected status SUCCEEDED, got {self.status}")
        if output is not _MISSING:
            self.assert_output(output)
        return self

    def assert_failed(self, error: str | None = None, cause: str | None = None, *,
                      cause_contains: str | None = None) -> "RunResult":
        if self.status != "FAILED":
            self._fail(f"expected status FAILED, got {self.status}")
        if error is not None and self.error != error:
            self._fail(f"expected error {error!r}, got {self.error!r}")
        if cause is not None and self.cause != cause:
            self._fail(f"expected cause {cause!r}, got {self.cause!r}")
        if cause_contains is not None and cause_contains not in (self.cause or ""):
            self._fail(f"expected the cause to contain {cause_contains!r}, got {self.cause!r}")
        return self

    def assert_status(self, status: str) -> "RunResult":
        if self.status != status:
            self._fail(f"expected status {status}, got {self.status}")
        return self

    def assert_output(self, expected: Any) -> "RunResult":
        if self.status != "SUCCEEDED":
            self._fail(f"expected output {_short(expected)}, but the execution {self.status}")
        differences = json_diff(expected, self.output)
        if differences:
            self._fail("the output differs from the expected one:\n" + "\n".join("    " + d for d in differences))
        return self

    def assert_output_contains(self, subset: Any) -> "RunResult":
        """Every key (recursively) of ``subset`` is in the output with the same value."""
        if self.status != "SUCCEEDED":
            self._fail(f"expected output containing {_short(subset)}, but the execution {self.status}")
        differences = json_diff(subset, self.output, subset=True)
        if differences:
            self._fail("the output lacks what was expected:\n" + "\n".join("    " + d for d in differences))
        return self

    def assert_path(self, *states: str) -> "RunResult":
        """The states entered are exactly ``states``, in order."""
        expected = _flatten(states)
        if self.path != expected:
            self._fail(f"expected the path {_arrow(expected)}")
        return self

    def assert_visited(self, *states: str) -> "RunResult":
        """Every one of ``states`` was entered, in this order (other states may come between)."""
        expected = _flatten(states)
        position = 0
        for name in self.path:
            if position < len(expected) and name == expected[position]:
                position += 1
        if position < len(expected):
            self._fail(f"expected to visit {_arrow(expected)} in this order; {expected[position]!r} "
                       "was not entered" + (" after the ones before it" if position else ""))
        return self

    def assert_not_visited(self, *states: str) -> "RunResult":
        visited = [s for s in _flatten(states) if s in self.path]
        if visited:
            self._fail(f"expected never to enter {', '.join(map(repr, visited))}")
        return self

    def assert_attempts(self, state: str, count: int) -> "RunResult":
        actual = self.attempts(state)
        if actual != count:
            self._fail(f"expected {count} attempt(s) of {state!r}, got {actual}")
        return self

    def _fail(self, message: str) -> None:
        raise ExecutionAssertionError(message + "\n" + self.explain())

    # --- the story of the run -------------------------------------------------------------------------
    def explain(self) -> str:
        """A few lines a human reads to see what the execution did."""
        lines = [f"  status: {self.status}"]
        if self.error is not None or self.status == "FAILED":
            lines.append(f"  error:  {self.error}")
            lines.append(f"  cause:  {_clip(self.cause, 300)}")
        lines.append(f"  path:   {_arrow(self.path) or '(no state entered)'}")
        if self.status == "SUCCEEDED":
            lines.append(f"  output: {_short(self.output, 300)}")
        failed_calls = [i for i in self.invocations if not i.ok]
        if failed_calls:
            lines.append("  failed task attempts: " + "; ".join(
                f"{i.state} #{i.attempt} {i.error}" + (" (injected)" if i.source == "fault" else "")
                for i in failed_calls[:8]) + (" ..." if len(failed_calls) > 8 else ""))
        return "\n".join(lines)

    def __repr__(self) -> str:
        extra = f" error={self.error!r}" if self.error else ""
        return f"<RunResult {self.status}{extra} path={_arrow(self.path)}>"


# --- helpers --------------------------------------------------------------------------------------------

def json_diff(expected: Any, actual: Any, *, subset: bool = False, where: str = "$") -> list[str]:
    """Where two JSON values differ, as ``$.a[0].b: expected 1, got 2`` lines (empty when equal).

    ``True`` and ``1`` differ (they do in JSON); ``1`` and ``1.0`` do not. With ``subset``, keys the
    actual object has beyond the expected ones are ignored.
    """
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        out = []
        for key, value in expected.items():
            child = _child(where, key)
            if key not in actual:
                out.append(f"{child}: expected {_short(value)}, but the key is missing")
            else:
                out.extend(json_diff(value, actual[key], subset=subset, where=child))
        if not subset:
            out.extend(f"{_child(where, key)}: unexpected key (value {_short(actual[key])})"
                       for key in actual if key not in expected)
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} item(s), got {len(actual)}: {_short(actual)}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out.extend(json_diff(e, a, subset=subset, where=f"{where}[{i}]"))
        return out
    if _json_equal(expected, actual):
        return []
    return [f"{where}: expected {_short(expected)}, got {_short(actual)}"]


def _json_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _child(where: str, key: Any) -> str:
    key = str(key)
    return f"{where}.{key}" if key.isidentifier() else f"{where}[{json.dumps(key, ensure_ascii=False)}]"


def _short(value: Any, limit: int = 120) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except (TypeError, ValueError):
        text = repr(value)
    return _clip(text, limit)


def _clip(text: Any, limit: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _arrow(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) > 40:
        names = names[:18] + [f"... {len(names) - 36} more ..."] + names[-18:]
    return " -> ".join(names)


def _flatten(states: Sequence[Any]) -> list[str]:
    out: list[str] = []
    for item in states:
        if isinstance(item, (list, tuple)):
            out.extend(item)
        else:
            out.append(item)
    return out


def _sent_by(call: Invocation, target: str) -> list[Any]:
    payload = call.payload if isinstance(call.payload, Mapping) else {}
    action = call.resource.split(":::")[-1].split(".")[0] if ":::" in call.resource else ""
    if action == "sqs:sendMessage" and _names(payload.get("QueueUrl"), target, "/"):
        return [payload.get("MessageBody")]
    if action == "sns:publish" and (_names(payload.get("TopicArn"), target, ":")
                                    or _names(payload.get("TargetArn"), target, ":")):
        return [payload.get("Message")]
    if action == "events:putEvents":
        entries = payload.get("Entries") if isinstance(payload.get("Entries"), list) else []
        return [e for e in entries if isinstance(e, Mapping)
                and _names(e.get("EventBusName") or "default", target, "/:")]
    return []


def _names(reference: Any, target: str, separators: str) -> bool:
    """Does ``reference`` (a name, URL or ARN) name ``target`` (a name, URL or ARN)?"""
    if not isinstance(reference, str):
        return False
    if reference == target:
        return True
    tail = reference
    for separator in separators:
        tail = tail.rsplit(separator, 1)[-1]
    return tail == target


_SCHEDULED = ("TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled")


def _attempts_from_history(history: list[dict], state: str) -> int:
    """Count a state's task attempts from the history alone (each *Scheduled event belongs to the
    nearest ``*StateEntered`` up its ``previousEventId`` chain)."""
    by_id = {e["id"]: e for e in history}
    count = 0
    for event in history:
        if event["type"] not in _SCHEDULED:
            continue
        node = by_id.get(event.get("previousEventId"))
        while node is not None and not node["type"].endswith("StateEntered"):
            node = by_id.get(node.get("previousEventId"))
        if node is not None and node.get("stateEnteredEventDetails", {}).get("name") == state:
            count += 1
    return count
