"""Mocked Task responses with Step Functions Local's semantics, from code or from a ``MockConfigFile``.

A mocked state answers its *n*-th invocation (retries included, zero-based) with response *n*: a
``Return`` (the integration's raw result, before ResultSelector) or a ``Throw`` (an error name and
cause). Running past the last response fails the execution, as Step Functions Local does — a test
should say what every attempt gets. In code::

    mocks = Mocks().state("Charge").throws("Lambda.ServiceException", "boom").returns({"ok": True})

From AWS's ``MockConfigFile.json`` (``StateMachines.<name>.TestCases.<case>`` maps state names to
``MockedResponses.<response>``, whose keys are invocation indexes ``"0"`` or inclusive ranges
``"1-3"``)::

    mocks = Mocks.from_mock_config(json.load(f), "OrderMachine", "HappyPath")

Problems in a config raise :class:`MockConfigError` with the JSON location of the fault.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from ..errors import AslError, StatesError, TaskFailed

RUNTIME = "States.Runtime"


class MockConfigError(AslError):
    """A mock configuration is malformed (the message says where)."""


@dataclass(frozen=True, slots=True)
class MockResponse:
    """``Return`` a value, or ``Throw`` ``error``/``cause``."""

    value: Any = None
    error: str | None = None
    cause: str = ""

    @property
    def throws(self) -> bool:
        return self.error is not None

    def apply(self) -> Any:
        if self.error is not None:
            raise TaskFailed(self.error, self.cause)
        return self.value

    def to_json(self) -> dict:
        if self.error is not None:
            return {"Throw": {"Error": self.error, "Cause": self.cause}}
        return {"Return": self.value}


class StateMocks:
    """The responses of one state, in invocation order; chainable."""

    def __init__(self, mocks: "Mocks", state: str):
        self._mocks = mocks
        self.name = state
        self.responses: list[MockResponse] = []

    def returns(self, value: Any, *, times: int = 1) -> "StateMocks":
        self.responses.extend([MockResponse(value=value)] * times)
        return self

    def throws(self, error: str, cause: str = "", *, times: int = 1) -> "StateMocks":
        self.responses.extend([MockResponse(error=error, cause=cause)] * times)
        return self

    @property
    def mocks(self) -> "Mocks":
        """The :class:`Mocks` this state belongs to."""
        return self._mocks

    def state(self, name: str) -> "StateMocks":
        """Continue with another state (``mocks.state("A").returns(1).state("B").returns(2)``)."""
        return self._mocks.state(name)

    def __len__(self) -> int:
        return len(self.responses)


class Mocks:
    """Mocked responses for some Task states of one execution. States not mocked run for real."""

    def __init__(self) -> None:
        self._states: dict[str, StateMocks] = {}

    def state(self, name: str) -> StateMocks:
        if name not in self._states:
            self._states[name] = StateMocks(self, name)
        return self._states[name]

    def __contains__(self, name: object) -> bool:
        return name in self._states

    def __iter__(self) -> Iterator[str]:
        return iter(self._states)

    def __bool__(self) -> bool:
        return bool(self._states)

    def response(self, state: str, invocation: int) -> MockResponse:
        """The response of the ``invocation``-th call of ``state`` (raises States.Runtime past the end)."""
        responses = self._states[state].responses
        if invocation >= len(responses):
            raise StatesError(RUNTIME, f"The mock for state '{state}' has no response for invocation "
                                       f"{invocation} (it has {len(responses)}); mock every attempt, "
                                       "retries included.")
        return responses[invocation]

    def to_json(self) -> dict:
        return {state: [r.to_json() for r in m.responses] for state, m in self._states.items()}

    # -- AWS MockConfigFile -------------------------------------------------------------------------
    @classmethod
    def from_responses(cls, plan: Mapping[str, Any], *, where: str = "mocks") -> "Mocks":
        """From ``{state: [response, ...]}`` where a response is ``{"Return": value}`` or
        ``{"Throw": {"Error": ..., "Cause": ...}}`` (lower-case ``return``/``throw``/``error``/``cause``
        are accepted too), or ``{state: {"0": response, "1-2": response}}`` as in a MockConfigFile."""
        mocks = cls()
        if not isinstance(plan, Mapping):
            raise MockConfigError(f"{where}: expected an object mapping state names to responses")
        for state, responses in plan.items():
            target = mocks.state(str(state))
            if isinstance(responses, Mapping):
                target.responses.extend(_indexed_responses(responses, f"{where}/{state}"))
            elif isinstance(responses, list):
                target.responses.extend(_response(r, f"{where}/{state}/{i}") for i, r in enumerate(responses))
            else:
                raise MockConfigError(f"{where}/{state}: expected a list of responses or an object of "
                                      "invocation indexes")
        return mocks

    @classmethod
    def from_mock_config(cls, config: Any, state_machine: str, test_case: str) -> "Mocks":
        """The mocks of ``test_case`` of ``state_machine`` in a parsed ``MockConfigFile``."""
        _validate_with_resolvers(config)
        if not isinstance(config, Mapping):
            raise MockConfigError("MockConfigFile: the top level must be an object")
        machines = config.get("StateMachines")
        if not isinstance(machines, Mapping):
            raise MockConfigError("MockConfigFile: 'StateMachines' must be an object")
        if state_machine not in machines:
            known = ", ".join(sorted(map(str, machines))) or "none"
            raise MockConfigError(f"MockConfigFile: no state machine {state_machine!r} under StateMachines "
                                  f"(it has: {known})")
        cases = machines[state_machine].get("TestCases") if isinstance(machines[state_machine], Mapping) else None
        if not isinstance(cases, Mapping):
            raise MockConfigError(f"MockConfigFile: StateMachines/{state_machine}/TestCases must be an object")
        if test_case not in cases:
            known = ", ".join(sorted(map(str, cases))) or "none"
            raise MockConfigError(f"MockConfigFile: Invalid mock test case name {test_case!r} for "
                                  f"{state_machine!r} (it has: {known})")
        case = cases[test_case]
        if not isinstance(case, Mapping):
            raise MockConfigError(f"MockConfigFile: TestCases/{test_case} must map state names to responses")
        library = config.get("MockedResponses", {})
        if not isinstance(library, Mapping):
            raise MockConfigError("MockConfigFile: 'MockedResponses' must be an object")
        mocks = cls()
        for state, response_name in case.items():
            if response_name not in library:
                raise MockConfigError(f"MockConfigFile: TestCases/{test_case}/{state} names the mocked response "
                                      f"{response_name!r}, which MockedResponses does not define")
            responses = library[response_name]
            if not isinstance(responses, Mapping):
                raise MockConfigError(f"MockConfigFile: MockedResponses/{response_name} must be an object")
            mocks.state(str(state)).responses.extend(
                _indexed_responses(responses, f"MockedResponses/{response_name}"))
        return mocks


def _validate_with_resolvers(config: Any) -> None:
    """Apply the resolvers package's MockConfigFile checks too, so ``asl run --mock-config`` and the
    harness accept and refuse exactly the same files."""
    try:
        from ..resolvers.mock_config import MockConfigError as ResolverMockConfigError, validate
    except ImportError:  # pragma: no cover - an aslkit without the mock-config resolver
        return
    try:
        validate(config)
    except ResolverMockConfigError as exc:
        raise MockConfigError(f"MockConfigFile: {exc}") from None


def list_test_cases(config: Any) -> list[tuple[str, str]]:
    """``(state machine, test case)`` for every test case of a parsed MockConfigFile, in file order."""
    out = []
    machines = config.get("StateMachines", {}) if isinstance(config, Mapping) else {}
    for machine, body in (machines.items() if isinstance(machines, Mapping) else []):
        cases = body.get("TestCases", {}) if isinstance(body, Mapping) else {}
        out.extend((str(machine), str(case)) for case in (cases if isinstance(cases, Mapping) else []))
    return out


_INDEX = re.compile(r"^(0|[1-9][0-9]*)(?:-(0|[1-9][0-9]*))?$")


def _indexed_responses(responses: Mapping[str, Any], where: str) -> list[MockResponse]:
    """``{"0": r, "1-2": r}`` -> a list, checking the indexes run consecutively from 0."""
    spans = []
    for key, value in responses.items():
        match = _INDEX.match(str(key))
        if not match:
            raise MockConfigError(f"{where}: {key!r} is not an invocation index ('0') or range ('1-3')")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        if end < start:
            raise MockConfigError(f"{where}: the range {key!r} ends before it starts")
        spans.append((start, end, _response(value, f"{where}/{key}")))
    spans.sort(key=lambda span: span[0])
    out: list[MockResponse] = []
    for start, end, response in spans:
        if start != len(out):
            raise MockConfigError(f"{where}: mock responses must be consecutively numbered from 0 "
                                  f"(expected index {len(out)}, found {start})")
        out.extend([response] * (end - start + 1))
    return out


def _response(value: Any, where: str) -> MockResponse:
    if not isinstance(value, Mapping):
        raise MockConfigError(f"{where}: a response is an object with 'Return' or 'Throw'")
    keys = {k.lower(): k for k in value}
    if ("return" in keys) == ("throw" in keys):
        raise MockConfigError(f"{where}: a response has exactly one of 'Return' or 'Throw'")
    if "return" in keys:
        return MockResponse(value=value[keys["return"]])
    throw = value[keys["throw"]]
    if not isinstance(throw, Mapping):
        raise MockConfigError(f"{where}/Throw: expected an object with 'Error' and 'Cause'")
    fields = {k.lower(): v for k, v in throw.items()}
    error = fields.get("error")
    if not isinstance(error, str) or not error:
        raise MockConfigError(f"{where}/Throw: 'Error' must be a non-empty string")
    cause = fields.get("cause", "")
    if not isinstance(cause, str):
        raise MockConfigError(f"{where}/Throw: 'Cause' must be a string")
    return MockResponse(error=error, cause=cause)
