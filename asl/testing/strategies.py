"""Hypothesis strategies for Amazon States Language state machines, their inputs and their failures.

::

    import asl
    from hypothesis import given, settings
    from asl.testing import strategies as asl_st

    @settings(deadline=None)     # the first example pays one-time imports and grammar builds
    @given(asl_st.state_machines(max_states=5, query_language="JSONata"))
    def test_every_machine_terminates(definition):
        ex = asl.load(definition).execute({}, lambdas=asl_st.echo_lambdas(definition))
        assert ex.status in ("SUCCEEDED", "FAILED")

Every machine :func:`state_machines` draws is valid (it lints without errors), terminates, and fails
only where it means to (a ``Fail`` state, or a task error that escapes Retry/Catch): every path,
intrinsic argument and JSONata reference reads data the machine itself guarantees. Task states call
the Lambda functions named by ``functions``; :func:`echo_lambdas` gives a handler for each.

Options are keyword-only; bounds are ``min_*``/``max_*``; bad arguments raise
``hypothesis.errors.InvalidArgument`` when the strategy is drawn from, as Hypothesis's own do.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ._expressions import IntrinsicGenerator, JsonataGenerator, Scope
from ._machines import ALL_STATE_TYPES, DEFAULT_ERRORS, JSONATA, JSONPATH, MachineGenerator, Options
from .faults import ANY_STATE, FAULT_KINDS, Fault, FaultSchedule

__all__ = [
    "state_machines", "intrinsic_calls", "jsonata_expressions", "inputs", "faults", "fault_schedules",
    "echo_lambdas", "function_names", "DEFAULT_ERRORS",
]

_QUERY_LANGUAGES = (JSONPATH, JSONATA, "mixed")
_TYPES = ("string", "number", "boolean", "array", "object")


def state_machines(
    *,
    min_states: int = 1,
    max_states: int = 6,
    state_types: Sequence[str] | None = None,
    query_language: str | None = None,
    max_depth: int = 2,
    max_branch_states: int = 3,
    functions: Sequence[str] = ("echo",),
    errors: Sequence[str] = DEFAULT_ERRORS,
    variables: bool = True,
    retry: bool = True,
    catch: bool = True,
    intrinsics: bool = True,
    exotic_names: bool = True,
) -> st.SearchStrategy[dict]:
    """Valid state-machine definitions (JSON-compatible dicts).

    - ``min_states``/``max_states``: states in the top-level ``States`` (a JSONPath Map with nothing
      to iterate over is preceded by a Pass that writes its items, within the same bound);
    - ``state_types``: the types to draw from (default all eight; at least one that can end a
      workflow, i.e. anything but ``Choice``);
    - ``query_language``: ``"JSONPath"``, ``"JSONata"``, ``"mixed"`` (JSONPath machine, some states
      JSONata) or None for any of them;
    - ``max_depth``: nesting of Parallel branches / Map processors (0 = none);
      ``max_branch_states``: states per nested workflow;
    - ``functions``: Lambda function names Task states call (as a function ARN or through
      ``arn:aws:states:::lambda:invoke``);
    - ``errors``: error names Retry and Catch list (besides ``States.TaskFailed`` / ``States.ALL``) —
      align them with the faults you inject;
    - ``variables``, ``retry``, ``catch``, ``intrinsics``: switch those features off;
    - ``exotic_names``: sometimes use state names and data keys with spaces, punctuation or non-ASCII.
    """
    return _state_machines(Options(
        min_states=min_states, max_states=max_states,
        state_types=tuple(ALL_STATE_TYPES if state_types is None else state_types),
        query_language=query_language, max_depth=max_depth, max_branch_states=max_branch_states,
        functions=tuple(functions), errors=tuple(errors), variables=variables, retry=retry, catch=catch,
        intrinsics=intrinsics, exotic_names=exotic_names,
    ))


@st.composite
def _state_machines(draw: Callable, options: Options) -> dict:
    _validate_machine_options(options)
    return MachineGenerator(draw, options).machine()


def _validate_machine_options(o: Options) -> None:
    if not isinstance(o.min_states, int) or o.min_states < 1:
        raise InvalidArgument(f"min_states={o.min_states!r} must be an integer >= 1")
    if not isinstance(o.max_states, int) or o.max_states < o.min_states:
        raise InvalidArgument(f"max_states={o.max_states!r} must be an integer >= min_states={o.min_states}")
    unknown = [t for t in o.state_types if t not in ALL_STATE_TYPES]
    if unknown or not o.state_types:
        raise InvalidArgument(f"state_types={list(o.state_types)!r}: choose from {list(ALL_STATE_TYPES)}")
    if all(t == "Choice" for t in o.state_types):
        raise InvalidArgument("state_types needs a type that can end a workflow (anything but Choice)")
    if o.query_language not in (None,) + _QUERY_LANGUAGES:
        raise InvalidArgument(f"query_language={o.query_language!r}: use one of {list(_QUERY_LANGUAGES)} or None")
    if not isinstance(o.max_depth, int) or o.max_depth < 0:
        raise InvalidArgument(f"max_depth={o.max_depth!r} must be an integer >= 0")
    if not isinstance(o.max_branch_states, int) or o.max_branch_states < 1:
        raise InvalidArgument(f"max_branch_states={o.max_branch_states!r} must be an integer >= 1")
    if not o.functions or not all(isinstance(f, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", f)
                                  for f in o.functions):
        raise InvalidArgument(f"functions={list(o.functions)!r}: Lambda function names ([A-Za-z0-9_-], <= 64)")
    if not o.errors or not all(isinstance(e, str) and e and e not in ("States.ALL", "States.TaskFailed")
                               for e in o.errors):
        raise InvalidArgument(f"errors={list(o.errors)!r}: non-empty error names (States.ALL and "
                              "States.TaskFailed are added by the generator)")


def intrinsic_calls(*, type: str | None = None) -> st.SearchStrategy[str]:
    """Intrinsic function calls (``States.Format('{}', States.MathAdd(1, 2))``, ...) that evaluate
    without error on any input; ``type`` restricts the JSON type they return."""
    if type is not None and type not in _TYPES:
        raise InvalidArgument(f"type={type!r}: one of {list(_TYPES)} or None")

    @st.composite
    def calls(draw: Callable) -> str:
        return IntrinsicGenerator(draw, Scope(input={})).call(type).text

    return calls()


def jsonata_expressions(*, type: str | None = None) -> st.SearchStrategy[str]:
    """JSONata expressions (without the ``{% %}`` delimiters) valid in any state's ``Output``."""
    if type is not None and type not in _TYPES:
        raise InvalidArgument(f"type={type!r}: one of {list(_TYPES)} or None")

    @st.composite
    def expressions(draw: Callable) -> str:
        return JsonataGenerator(draw, Scope(input={})).expression(type).text

    return expressions()


def inputs(schema: Any = None, *, definition: Any = None) -> st.SearchStrategy[Any]:
    """Execution inputs: values of the JSON Schema ``schema`` (through hypothesis-jsonschema), or —
    when only ``definition`` is given — objects holding what its first states read (see
    :func:`asl.testing.inference.input_schema`), or any small JSON object when neither says more."""
    if schema is None and definition is not None:
        from .inference import input_schema

        schema = input_schema(definition)
    if schema is None:
        schema = {"type": "object"}
    try:
        import hypothesis_jsonschema  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dev dependency
        raise InvalidArgument("inputs() needs hypothesis-jsonschema: pip install hypothesis-jsonschema") from exc
    from ._json_schema import from_schema

    return from_schema(schema).filter(_json_safe)


def _json_safe(value: Any) -> bool:
    """No integers beyond 2**53 (Step Functions compares numbers as doubles) and no lone surrogates."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) < 2**53
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(_json_safe(v) for v in value)
    if isinstance(value, dict):
        return all(_json_safe(k) and _json_safe(v) for k, v in value.items())
    return False


def faults(*, kinds: Sequence[str] = FAULT_KINDS, errors: Sequence[str] = DEFAULT_ERRORS,
           service: str = "Lambda") -> st.SearchStrategy[Fault]:
    """One task failure: an error named in ``errors``, a throttle of ``service``, a timeout or a lost
    heartbeat (``kinds`` picks among ``error``, ``throttle``, ``timeout``, ``heartbeat``)."""
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in FAULT_KINDS]
    if bad or not kinds:
        raise InvalidArgument(f"kinds={list(kinds)!r}: choose from {list(FAULT_KINDS)}")
    if "error" in kinds and not errors:
        raise InvalidArgument("kinds includes 'error' but errors is empty")
    options: list[st.SearchStrategy[Fault]] = []
    if "error" in kinds:
        options.append(st.builds(Fault.failure, st.sampled_from(tuple(errors)),
                                 st.sampled_from(["", "injected failure", "Internal server error"])))
    if "throttle" in kinds:
        options.append(st.just(Fault.throttle(service)))
    if "timeout" in kinds:
        options.append(st.just(Fault.timeout()))
    if "heartbeat" in kinds:
        options.append(st.just(Fault.heartbeat()))
    return st.one_of(options)


def fault_schedules(
    *,
    states: Sequence[str] = (ANY_STATE,),
    kinds: Sequence[str] = FAULT_KINDS,
    errors: Sequence[str] = DEFAULT_ERRORS,
    service: str = "Lambda",
    min_faults: int = 0,
    max_faults: int = 3,
    max_attempt: int = 4,
    consecutive: bool = True,
) -> st.SearchStrategy[FaultSchedule]:
    """Schedules failing between ``min_faults`` and ``max_faults`` attempts (each among the first
    ``max_attempt + 1`` attempts) of the Task states named in ``states`` (``"*"``: every Task state).

    With ``consecutive`` (the default) the faults of a state are its first attempts — "the first n
    calls fail", the reading retry properties need; without it they may hit any attempts, e.g. some
    Map iterations of a state and not others.

    "For any two throttles the order still completes"::

        @given(fault_schedules(states=["Charge"], kinds=["throttle"], min_faults=2, max_faults=2))
    """
    if not states or not all(isinstance(s, str) and s for s in states):
        raise InvalidArgument(f"states={list(states)!r}: non-empty state names (or '*')")
    if not (isinstance(min_faults, int) and isinstance(max_faults, int) and 0 <= min_faults <= max_faults):
        raise InvalidArgument(f"need 0 <= min_faults ({min_faults!r}) <= max_faults ({max_faults!r})")
    if max_faults > len(states) * (max_attempt + 1):
        raise InvalidArgument(f"max_faults={max_faults} exceeds the {len(states) * (max_attempt + 1)} "
                              "attempts that can fail")
    fault_strategy = faults(kinds=kinds, errors=errors, service=service)
    slots = [(state, attempt) for state in states for attempt in range(max_attempt + 1)]

    @st.composite
    def schedules(draw: Callable) -> FaultSchedule:
        if consecutive:
            total = draw(st.integers(min_faults, max_faults))
            counts = dict.fromkeys(states, 0)
            for _ in range(total):
                open_states = [s for s in states if counts[s] <= max_attempt]
                counts[draw(st.sampled_from(open_states))] += 1
            chosen = [(state, attempt) for state, n in counts.items() for attempt in range(n)]
        else:
            chosen = draw(st.lists(st.sampled_from(slots), unique=True, min_size=min_faults, max_size=max_faults))
        plan: dict[str, list[Fault | None]] = {}
        for state, attempt in sorted(chosen):
            row = plan.setdefault(state, [])
            row.extend([None] * (attempt + 1 - len(row)))
            row[attempt] = draw(fault_strategy)
        return FaultSchedule({s: tuple(row) for s, row in plan.items()})

    return schedules()


# --- helpers for the machines drawn above -----------------------------------------------------------

def function_names(definition: Any) -> list[str]:
    """The Lambda function names the Task states of ``definition`` call (function ARNs and
    ``lambda:invoke`` FunctionName constants), in order of first appearance."""
    names: list[str] = []

    def visit(states: Any) -> None:
        if not isinstance(states, dict):
            return
        for state in states.values():
            if not isinstance(state, dict):
                continue
            name = _function_of(state)
            if name and name not in names:
                names.append(name)
            for branch in state.get("Branches", []) or []:
                if isinstance(branch, dict):
                    visit(branch.get("States"))
            processor = state.get("ItemProcessor") or state.get("Iterator")
            if isinstance(processor, dict):
                visit(processor.get("States"))

    if isinstance(definition, dict):
        visit(definition.get("States"))
    return names


def _function_of(state: dict) -> str | None:
    resource = state.get("Resource")
    if not isinstance(resource, str):
        return None
    match = re.match(r"^arn:[\w-]+:lambda:[\w-]+:\d+:function:([^:]+)", resource)
    if match:
        return match.group(1)
    if re.match(r"^arn:[\w-]+:states:::lambda:invoke(\.waitForTaskToken)?$", resource):
        for field_name in ("Parameters", "Arguments"):
            payload = state.get(field_name)
            if isinstance(payload, dict) and isinstance(payload.get("FunctionName"), str):
                name = payload["FunctionName"]
                return name.split(":function:")[-1].split(":")[0] if ":function:" in name else name
    return None


def _echo(event: Any, context: Any = None) -> Any:
    """A Lambda handler that returns its event."""
    return event


def echo_lambdas(definition_or_names: Any) -> dict[str, Callable]:
    """``{name: handler returning its event}`` for every function a definition calls (or for the given
    names) — the ``lambdas=`` argument that runs a drawn machine."""
    if isinstance(definition_or_names, dict):
        names: Iterable[str] = function_names(definition_or_names)
    else:
        names = definition_or_names
    return {name: _echo for name in names}
