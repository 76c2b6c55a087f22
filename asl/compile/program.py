"""Model -> program: every state compiled once into an object whose ``run`` is the state's work.

The interpreter loop is the whole of :meth:`Workflow.run`::

    while name is not None:
        name, data = states[name].run(data, frame)

Parallel branches and Map processors are :class:`Workflow` objects too, run by their parent state.
"""
from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic
from ..errors import AslError, DefinitionError, RUNTIME
from ..model import ABSENT, StateMachine
from ..model import Workflow as WorkflowModel
from .failures import failure


def _state_classes() -> dict[str, type]:
    from .choice import ChoiceState
    from .map_state import MapState
    from .parallel import ParallelState
    from .states import FailState, PassState, SucceedState, WaitState
    from .task import TaskState

    return {"Pass": PassState, "Task": TaskState, "Choice": ChoiceState, "Wait": WaitState,
            "Succeed": SucceedState, "Fail": FailState, "Parallel": ParallelState, "Map": MapState}


class Workflow:
    """A compiled ``StartAt`` + ``States``: the machine, a Parallel branch or a Map processor."""

    __slots__ = ("start_at", "states", "assigns", "pointer")

    def __init__(self, start_at: str, states: dict[str, Any], assigns: bool, pointer: str):
        self.start_at = start_at
        self.states = states
        self.assigns = assigns      # does any state in here (not nested deeper) write variables?
        self.pointer = pointer

    def run(self, data: Any, frame: Any) -> Any:
        states = self.states
        name = self.start_at
        while name is not None:
            try:
                state = states[name]
            except KeyError:
                raise failure(RUNTIME, f"The state '{name}' does not exist") from None
            name, data = state.run(data, frame)
        return data


def compile_workflow(model: WorkflowModel) -> Workflow:
    classes = _state_classes()
    states: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    assigns = False
    for name, state_model in model.states.items():
        cls = classes[state_model.type]
        try:
            states[name] = cls(state_model)
        except DefinitionError as exc:
            problems.extend(exc.diagnostics)
        except (AslError, ValueError, TypeError) as exc:
            problems.append(Diagnostic("ASL010", f"State '{name}' cannot be compiled: {exc}",
                                       state_model.pointer))
        if _writes_variables(state_model):
            assigns = True
    if problems:
        raise DefinitionError(problems)
    start = model.start_at if isinstance(model.start_at, str) else ""
    if start not in states:
        raise DefinitionError([Diagnostic("ASL102", f"Missing 'Next' target: {start}",
                                          model.pointer + "/StartAt")])
    return Workflow(start, states, assigns, model.pointer)


def _writes_variables(state: Any) -> bool:
    """Does this state write workflow variables (its own Assign, a Choice rule's, a Catcher's)?"""
    if state.assign is not ABSENT:
        return True
    for rule in getattr(state, "choices", ()):
        if rule.assign is not ABSENT:
            return True
    for catcher in getattr(state, "catch", ()):
        if catcher.assign is not ABSENT:
            return True
    return False


class Program:
    """The compiled machine."""

    __slots__ = ("workflow", "timeout_seconds", "query_language", "model")

    def __init__(self, model: StateMachine):
        self.model = model
        self.workflow = compile_workflow(model)
        timeout = model.timeout_seconds
        self.timeout_seconds = timeout if isinstance(timeout, (int, float)) and not isinstance(
            timeout, bool) and timeout > 0 else None
        self.query_language = model.query_language


def compile_machine(model: StateMachine) -> Program:
    """Compile a parsed state machine once; raises DefinitionError when something cannot compile."""
    return Program(model)
