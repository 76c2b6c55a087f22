"""The compiled Parallel state: every branch gets the same input; the result is their outputs in
branch order. A failing branch fails the state with the branch's own error (AWS does not wrap it in
``States.BranchFailed``) and the branches after it are not started.

Branches run one after the other on the calling thread, which gives the same results and a
deterministic history; AWS would interleave their events, each branch starting from
``ParallelStateStarted``, and that is how their ``previousEventId`` are chained here too.
"""
from __future__ import annotations

from typing import Any

from ..errors import StatesError
from .base import JsonPathIO, Scope, jsonata_io
from .concurrent import run_lines, threads_wanted
from .failures import in_state
from .program import compile_workflow
from .recovery import RecoverableState


class ParallelState(RecoverableState):
    __slots__ = ("branches",)

    def __init__(self, model: Any):
        super().__init__(model)
        self.jio = jsonata_io().TaskIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(
            model, parameters=model.parameters, result_selector=model.result_selector,
            result_path=model.result_path)
        self.branches = tuple(compile_workflow(branch) for branch in model.branches)

    def _attempt(self, data: Any, frame: Any, scope: Scope) -> tuple[Any, dict | None]:
        try:
            effective = self.jio.arguments(data, scope) if self.jio is not None else \
                self.io.effective_input(data, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, scope.entered_id, frame) from None
        started = frame.event("ParallelStateStarted")
        if threads_wanted(frame, len(self.branches)):
            results = self._run_threaded(effective, frame)
        else:
            results = self._run_sequential(effective, frame, started)
        frame.event("ParallelStateSucceeded", advance=False)
        return self.finish(data, results, scope)

    def _run_threaded(self, effective: Any, frame: Any) -> list:
        branches = self.branches

        def line(index: int, child: Any) -> Any:
            child.in_branch = True
            return branches[index].run(effective, child)
        try:
            results, _ = run_lines(frame, len(branches), None, line, label=self.name,
                                   share_variables=not any(b.assigns for b in branches))
        except StatesError as exc:
            exc.state_failed_event = "ParallelStateFailed"   # type: ignore[attr-defined]
            raise
        return results

    def _run_sequential(self, effective: Any, frame: Any, started: int) -> list:
        results = []
        start = end = frame.clock.now()
        for branch in self.branches:
            # every branch starts when the state does (on a scheduler clock, a branch's waits move the
            # services' time, which is the parent's "now")
            clock = frame.branch_clock(start)
            child = frame.child(variables=None if branch.assigns else frame.variables, label=self.name,
                                clock=clock)
            child.last = started
            child.in_branch = True
            try:
                results.append(branch.run(effective, child))
            except StatesError as exc:
                frame.last = child.last
                _join(frame, clock.now())
                exc.state_failed_event = "ParallelStateFailed"   # type: ignore[attr-defined]
                raise
            end = max(end, clock.now())
        _join(frame, end)
        frame.last = frame.run.log.count
        return results


def _join(frame: Any, moment: float) -> None:
    """Concurrent branches end together when the last one ends."""
    advance_to = getattr(frame.clock, "advance_to", None)
    if advance_to is not None:
        advance_to(moment)
