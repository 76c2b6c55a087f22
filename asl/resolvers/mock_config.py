"""AWS Step Functions Local's ``MockConfigFile``, used unchanged.

```
{"StateMachines": {"<machine>": {"TestCases": {"<case>": {"<Task state>": "<mocked response>"}}}},
 "MockedResponses": {"<mocked response>": {"0": {"Return": ...}, "1-2": {"Throw": {"Error": ..., "Cause": ...}}}}}
```

The *n*-th invocation of a mocked Task state (retries count: "0" is the first attempt, "1" the first
retry) gets response *n*: ``Return`` is the task's result (for ``.waitForTaskToken`` the callback's
output, for ``.sync`` the finished job), ``Throw`` fails it with ``Error``/``Cause``. Running past the
last response fails the execution. Task states the test case does not list fall through to the next
resolvers (the "hybrid" mode); Activities cannot be mocked (``States.Runtime``, as SFN Local says).
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Mapping

from ..errors import RUNTIME, ResolverNotFound, TaskFailed
from .base import ResourceInfo, TaskRequest

_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


class MockConfigError(ValueError):
    """A mock config that SFN Local would refuse, or a test case that is not in it."""


def load_mock_config(source: Any) -> dict:
    """A mock config from a dict, JSON text or a path; validated."""
    if isinstance(source, Mapping):
        config = dict(source)
    else:
        text = str(source)
        if not text.lstrip().startswith("{"):
            try:
                text = Path(text).read_text(encoding="utf-8")
            except OSError as exc:
                raise MockConfigError(f"cannot read mock config {source}: {exc.strerror}") from None
        try:
            config = json.loads(text)
        except ValueError as exc:
            raise MockConfigError(f"mock config is not valid JSON: {exc}") from None
    validate(config)
    return config


def validate(config: Any) -> None:
    """Raise :class:`MockConfigError` for the problems SFN Local / LocalStack reject."""
    if not isinstance(config, Mapping):
        raise MockConfigError("mock config must be a JSON object")
    machines = config.get("StateMachines", {})
    responses = config.get("MockedResponses", {})
    if not isinstance(machines, Mapping) or not isinstance(responses, Mapping):
        raise MockConfigError("'StateMachines' and 'MockedResponses' must be objects")
    for name, response in responses.items():
        if not isinstance(response, Mapping) or not response:
            raise MockConfigError(f"mocked response {name!r} must be a non-empty object")
        expected = 0
        for key, (low, high) in sorted(((k, _parse_range(name, k)) for k in response), key=lambda kv: kv[1][0]):
            if low != expected:
                raise MockConfigError(f"mocked response {name!r}: Mock responses must be consecutively numbered "
                                      f"(expected {expected}, got {key!r})")
            expected = high + 1
            entry = response[key]
            if not isinstance(entry, Mapping) or len(set(entry) & {"Return", "Throw"}) != 1 or len(entry) != 1:
                raise MockConfigError(f"mocked response {name!r} {key!r}: exactly one of 'Return' or 'Throw'")
            if "Throw" in entry:
                throw = entry["Throw"]
                if not isinstance(throw, Mapping) or not isinstance(throw.get("Error"), str) \
                        or not isinstance(throw.get("Cause"), str):
                    raise MockConfigError(f"mocked response {name!r} {key!r}: 'Throw' needs string 'Error' and 'Cause'")
    for machine, spec in machines.items():
        cases = spec.get("TestCases") if isinstance(spec, Mapping) else None
        if not isinstance(cases, Mapping):
            raise MockConfigError(f"state machine {machine!r} needs a 'TestCases' object")
        for case, states in cases.items():
            if not isinstance(states, Mapping):
                raise MockConfigError(f"test case {machine}#{case} must map state names to mocked responses")
            for state, response in states.items():
                if response not in responses:
                    raise MockConfigError(f"test case {machine}#{case}: state {state!r} uses unknown mocked "
                                          f"response {response!r}")


def _parse_range(name: str, key: str) -> tuple[int, int]:
    match = _RANGE.match(str(key))
    if not match:
        raise MockConfigError(f"mocked response {name!r}: invocation key {key!r} is not 'N' or 'N-M'")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else low
    if high < low:
        raise MockConfigError(f"mocked response {name!r}: range {key!r} is reversed")
    return low, high


class MockConfigResolver:
    """Serves the Task states one test case mocks; every other state is passed on to the resolvers
    after it (``TaskRequest.pass_on``) — Step Functions Local's hybrid mode."""

    def __init__(self, config: Any, state_machine: str, test_case: str):
        self.config = load_mock_config(config)
        machines = self.config.get("StateMachines", {})
        if state_machine not in machines:
            raise MockConfigError(f"state machine {state_machine!r} is not in the mock config "
                                  f"(it has: {', '.join(sorted(machines)) or 'none'})")
        cases = machines[state_machine]["TestCases"]
        if test_case not in cases:
            raise MockConfigError(f"Invalid mock test case name: {test_case!r} for state machine {state_machine!r} "
                                  f"(it has: {', '.join(sorted(cases)) or 'none'})")
        self.state_machine = state_machine
        self.test_case = test_case
        self.states: dict[str, str] = dict(cases[test_case])
        self.responses: Mapping[str, Any] = self.config.get("MockedResponses", {})
        self.calls: dict[str, int] = {}
        self._lock = threading.Lock()

    def accepts(self, resource: ResourceInfo) -> bool:
        return True    # decided per state in invoke: unmocked states are passed on

    def invoke(self, request: TaskRequest) -> Any:
        response_name = self.states.get(request.state_name)
        if response_name is None:
            if request.pass_on is not None:
                try:
                    return request.pass_on(request)
                except ResolverNotFound:
                    pass
            raise TaskFailed(RUNTIME, f"State '{request.state_name}' is not mocked in test case "
                                      f"'{self.state_machine}#{self.test_case}' and no other resolver serves "
                                      f"'{request.resource.arn}'")
        if request.resource.service == "activity":
            raise TaskFailed(RUNTIME, "Activity state cannot be mocked. Please remove mocks mapped for all activity "
                                      "state in the mock config file.")
        with self._lock:
            index = self.calls.get(request.state_name, 0)
            self.calls[request.state_name] = index + 1
        entry = _entry_for(self.responses[response_name], index)
        if entry is None:
            raise TaskFailed(RUNTIME, f"No mocked response for invocation {index} of state '{request.state_name}' "
                                      f"(mocked response '{response_name}' in test case "
                                      f"'{self.state_machine}#{self.test_case}')")
        if "Throw" in entry:
            raise TaskFailed(entry["Throw"]["Error"], entry["Throw"]["Cause"])
        if callable(request.submitted) and request.resource.pattern in ("waitForTaskToken", "sync", "sync:2"):
            request.submitted({})
        return json.loads(json.dumps(entry["Return"]))


def _entry_for(response: Mapping[str, Any], index: int) -> Mapping[str, Any] | None:
    for key, entry in response.items():
        low, high = _parse_range("", key)
        if low <= index <= high:
            return entry
    return None


def state_machine_name(path: str | os.PathLike | None, explicit: str | None = None) -> str | None:
    """The name a definition file is mocked under: ``--name``, else the file name without
    ``.asl.json`` / ``.asl.yaml`` / ``.json`` / ``.yaml``."""
    if explicit:
        return explicit
    if path is None:
        return None
    name = Path(path).name
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name
