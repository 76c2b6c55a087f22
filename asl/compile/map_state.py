"""The compiled Map state, Inline and Distributed, over items already in the state's data.

JSONPath order: InputPath -> ItemsPath (on the effective input; must be an array) -> per item
ItemSelector (``$`` is the effective input, the item is ``$$.Map.Item.Value``) -> ItemBatcher ->
one run of the processor per item or batch -> results in input order -> ResultSelector ->
ResultPath -> OutputPath. JSONata: Items (default: the input) -> ItemSelector -> ... -> Output.

Iterations run one after the other on the calling thread. That yields the results AWS gives and the
history AWS records with ``MaxConcurrency: 1``; each iteration's first event follows the previous
iteration's last one, as AWS shows it.

Failure: without tolerance, the first failing iteration fails the Map with that iteration's own
error. With ToleratedFailureCount/Percentage, failures are counted and the Map fails with
``States.ExceedToleratedFailureThreshold`` only once either threshold is exceeded.

Distributed mode runs each item as a child execution: its states do not appear in the parent
history (``MapRunStarted`` / ``MapRunSucceeded|Failed`` stand for them), and it cannot see the outer
variables.
"""
from __future__ import annotations

import heapq
from typing import Any

from ..errors import EXCEED_TOLERATED_FAILURE_THRESHOLD, QUERY_EVALUATION_ERROR, StatesError
from ..model import ABSENT
from ..paths import compact_json, compile_path
from ..payload import compile_template
from .base import JsonPathIO, Scope, is_number, json_size, mentions, runtime_error, jsonata_io
from .concurrent import run_lines, threads_wanted
from .failures import failure, in_state
from .program import compile_workflow
from .recovery import RecoverableState

_DEFAULT_ITEMS = object()


def _quoted(value: Any) -> str:
    return '"' + (value if isinstance(value, str) else compact_json(value)) + '"'


def _is_int(value: Any) -> bool:
    return not isinstance(value, bool) and (isinstance(value, int) or (
        isinstance(value, float) and value.is_integer()))


def _as_int(value: Any) -> Any:
    """What Java's integer parsing accepts: a whole number, or a string holding one."""
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return int(value) if _is_int(value) else None


def _as_float(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return value if is_number(value) else None


def _threshold_exceeded() -> StatesError:
    return failure(EXCEED_TOLERATED_FAILURE_THRESHOLD, "The specified tolerated failure threshold was exceeded")


def _map_run_failed(frame: Any, exc: StatesError) -> None:
    """A Distributed Map's MapRunFailed event, with the error and cause it failed with."""
    details = {key: value for key, value in (("error", exc.error), ("cause", exc.cause)) if value is not None}
    frame.event("MapRunFailed", "mapRunFailedEventDetails", details)


class MapState(RecoverableState):
    __slots__ = ("processor", "distributed", "items_path", "item_selector", "max_concurrency",
                 "max_concurrency_path", "tolerated_count", "tolerated_count_path", "tolerated_percentage",
                 "tolerated_percentage_path", "batcher", "label", "selector_uses_context",
                 "item_reader")

    def __init__(self, model: Any):
        super().__init__(model)
        self.jio = jsonata_io().MapIO(model) if self.jsonata else None
        self.io = None if self.jsonata else JsonPathIO(
            model, result_selector=model.result_selector, result_path=model.result_path)
        if model.item_processor is None:
            raise ValueError("a Map state needs an ItemProcessor")
        self.processor = compile_workflow(model.item_processor)
        self.distributed = model.distributed
        self.label = model.label if isinstance(model.label, str) else None
        self.items_path = None
        self.item_selector = None
        self.selector_uses_context = False
        if not self.jsonata:
            if isinstance(model.items_path, str) and model.items_path != "$":
                self.items_path = compile_path(model.items_path, reference=True)
            if model.item_selector is not ABSENT:
                field = "Parameters" if model.uses_legacy_parameters else "ItemSelector"
                self.item_selector = compile_template(model.item_selector, field=field)
                # the context object (with $$.Map.Item) is built per item only for a selector that reads it
                self.selector_uses_context = mentions(model.item_selector, "$$")
        self.max_concurrency = model.max_concurrency if _is_int(model.max_concurrency) else None
        self.tolerated_count = model.tolerated_failure_count if is_number(
            model.tolerated_failure_count) else None
        self.tolerated_percentage = model.tolerated_failure_percentage if is_number(
            model.tolerated_failure_percentage) else None
        self.max_concurrency_path = self.tolerated_count_path = self.tolerated_percentage_path = None
        if not self.jsonata:
            if isinstance(model.max_concurrency_path, str):
                self.max_concurrency_path = compile_path(model.max_concurrency_path, reference=True)
            if isinstance(model.tolerated_failure_count_path, str):
                self.tolerated_count_path = compile_path(model.tolerated_failure_count_path, reference=True)
            if isinstance(model.tolerated_failure_percentage_path, str):
                self.tolerated_percentage_path = compile_path(
                    model.tolerated_failure_percentage_path, reference=True)
        self.batcher = Batcher(model.item_batcher, self.jsonata) if isinstance(model.item_batcher, dict) else None
        self.item_reader = model.item_reader if isinstance(model.item_reader, dict) else None

    # -- one attempt -----------------------------------------------------------------------------------
    def _attempt(self, data: Any, frame: Any, scope: Scope) -> tuple[Any, dict | None]:
        if self.item_reader is not None:
            resource = self.item_reader.get("Resource")
            raise failure("States.ItemReaderFailed",
                          f"The ItemReader resource '{resource}' cannot be read locally: aslkit has no S3. "
                          "Put the items in the state's input (ItemsPath / Items) to test the Map.")
        try:
            if self.jio is not None:
                effective, items, limit = self.jio.items(data, scope)
                if limit is None:
                    limit = self.max_concurrency
            else:
                effective = self.io.effective_input(data, scope)
                items = self._items(effective, scope)
                limit = self._max_concurrency(effective, scope)
        except StatesError as exc:
            exc = in_state(exc, self.name, scope.entered_id, frame)
            if exc.error == QUERY_EVALUATION_ERROR:
                frame.event("MapStateFailed")
            raise exc from None
        frame.event("MapStateStarted", "mapStateStartedEventDetails", {"length": len(items)})
        try:
            count_limit, percentage_limit = self._tolerance(effective, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, scope.entered_id, frame) from None
        slots = Slots(frame, limit or (DISTRIBUTED_CONCURRENCY if self.distributed else INLINE_CONCURRENCY))
        if self.distributed:
            results = self._run_distributed(effective, items, frame, scope, count_limit, percentage_limit, slots)
        else:
            results = self._run_inline(effective, items, frame, scope, count_limit, percentage_limit, slots)
        return self.finish(data, results, scope)

    def _items(self, effective: Any, scope: Scope) -> list:
        if self.items_path is None:
            items = effective
            text = "$"
        else:
            ctx = scope.context() if self.io.uses_context else None
            items = self.items_path.get(effective, ctx, scope.frame.variables)
            text = self.items_path.text
        if not isinstance(items, list):
            raise runtime_error(f'Reference path "{text}" must point to array.')
        return items

    def _path_value(self, path: Any, effective: Any, scope: Scope) -> Any:
        ctx = scope.context() if (self.io is not None and self.io.uses_context) else None
        return path.get(effective, ctx, scope.frame.variables)

    def _max_concurrency(self, effective: Any, scope: Scope) -> int | None:
        if self.max_concurrency_path is None:
            return self.max_concurrency
        raw = self._path_value(self.max_concurrency_path, effective, scope)
        value = _as_int(raw)
        if value is None:
            raise runtime_error(f"The MaxConcurrencyPath field refers to value {_quoted(raw)} which is "
                                f"not a valid integer: {self.max_concurrency_path.text}")
        if value < 0:
            raise runtime_error("MaxConcurrency cannot be negative.")
        return int(value)

    def _tolerance(self, effective: Any, scope: Scope) -> tuple[float | None, float | None]:
        if self.jio is not None:
            return self.jio.tolerance(effective, scope)
        count, percentage = self.tolerated_count, self.tolerated_percentage
        if self.tolerated_count_path is not None:
            raw = self._path_value(self.tolerated_count_path, effective, scope)
            count = _as_int(raw)
            if count is None:
                raise runtime_error(f"The ToleratedFailureCountPath field refers to value {_quoted(raw)} "
                                    f"which is not a valid integer: {self.tolerated_count_path.text}")
        if self.tolerated_percentage_path is not None:
            raw = self._path_value(self.tolerated_percentage_path, effective, scope)
            percentage = _as_float(raw)
            if percentage is None:
                raise runtime_error(f"The ToleratedFailurePercentagePath field refers to value "
                                    f"{_quoted(raw)} which is not a valid float: "
                                    f"{self.tolerated_percentage_path.text}")
        if count is not None and count < 0:
            raise runtime_error("ToleratedFailureCount cannot be negative.")
        if percentage is not None and not 0 <= percentage <= 100:
            raise runtime_error("ToleratedFailurePercentage must be between 0 and 100.")
        return count, percentage

    # -- iterations ------------------------------------------------------------------------------------
    def _iteration_input(self, effective: Any, index: int, item: Any, scope: Scope, key: Any = None) -> Any:
        if self.jio is not None:
            return self.jio.item_input(effective, index, item, scope, key)
        if self.item_selector is None:
            return item
        frame = scope.frame
        ctx = frame.context(self.name, scope.entered_time, map_item=(index, item, key)) \
            if self.selector_uses_context else None
        return self.item_selector.evaluate(effective, ctx, frame.variables, frame.run)

    def _inputs(self, effective: Any, items: list, scope: Scope) -> list:
        try:
            inputs = [self._iteration_input(effective, i, item, scope) for i, item in enumerate(items)]
            if self.batcher is not None:
                inputs = self.batcher.batches(inputs, effective, scope)
        except StatesError as exc:
            raise in_state(exc, self.name, scope.entered_id, scope.frame) from None
        return inputs

    def _run_threaded(self, inputs: list, frame: Any, limit: int | None, count_limit: Any,
                      percentage_limit: Any, *, distributed: bool) -> list:
        """Iterations in threads (real clock): events recorded as they happen, siblings cancelled on
        the first failure that is not tolerated."""
        processor, name, total = self.processor, self.name, len(inputs)
        tolerant = count_limit is not None or percentage_limit is not None
        failures = [0]

        def line(index: int, child: Any) -> Any:
            if distributed:
                return processor.run(inputs[index], child.detached())
            iteration = {"name": name, "index": index}
            child.event("MapIterationStarted", "mapIterationStartedEventDetails", iteration)
            try:
                output = processor.run(inputs[index], child)
            except StatesError:
                child.event("MapIterationFailed", "mapIterationFailedEventDetails", iteration, advance=False)
                raise
            child.event("MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration, advance=False)
            return output

        def tolerate(index: int, exc: StatesError) -> bool:
            failures[0] += 1
            return tolerant and not _exceeded(failures[0], total, count_limit, percentage_limit)

        try:
            results, failed_indexes = run_lines(frame, total, limit, line, label=name, tolerate=tolerate,
                                         share_variables=distributed or not processor.assigns)
        except StatesError as exc:
            if tolerant:
                exc = _threshold_exceeded()
            if distributed:
                _map_run_failed(frame, exc)
            exc.state_failed_event = "MapStateFailed"   # type: ignore[attr-defined]
            raise exc from None
        if distributed:     # a Distributed Map's result leaves out the failed (tolerated) iterations
            failed = set(failed_indexes)
            return [result for index, result in enumerate(results) if index not in failed]
        return results

    def _run_inline(self, effective: Any, items: list, frame: Any, scope: Scope,
                    count_limit: Any, percentage_limit: Any, slots: "Slots") -> list:
        inputs = self._inputs(effective, items, scope)
        if threads_wanted(frame, len(inputs)):
            results = self._run_threaded(inputs, frame, slots.limit, count_limit, percentage_limit,
                                         distributed=False)
            frame.event("MapStateSucceeded", advance=False)
            return results
        processor = self.processor
        results: list[Any] = []
        failures = 0
        tolerant = count_limit is not None or percentage_limit is not None
        total = len(inputs)
        completed_event = None
        name = self.name
        share_variables = not processor.assigns
        for index, value in enumerate(inputs):
            iteration = {"name": name, "index": index}
            clock = slots.take()
            frame.event("MapIterationStarted", "mapIterationStartedEventDetails", iteration, at=clock.now())
            child = frame.child(variables=frame.variables if share_variables else None, label=name, clock=clock)
            try:
                output = processor.run(value, child)
            except StatesError as exc:
                slots.release(clock)
                frame.last = child.last
                frame.event("MapIterationFailed", "mapIterationFailedEventDetails", iteration, advance=False,
                            at=clock.now())
                failures += 1
                if tolerant and not _exceeded(failures, total, count_limit, percentage_limit):
                    results.append(None)
                    continue
                if tolerant:
                    exc = _threshold_exceeded()
                slots.join()
                exc.state_failed_event = "MapStateFailed"   # type: ignore[attr-defined]
                raise exc from None
            slots.release(clock)
            frame.last = child.last
            completed_event = frame.event("MapIterationSucceeded", "mapIterationSucceededEventDetails",
                                          iteration, advance=False, at=clock.now())
            results.append(output)
        slots.join()
        if completed_event is not None:
            frame.last = completed_event
        frame.event("MapStateSucceeded", advance=False)
        return results

    def _run_distributed(self, effective: Any, items: list, frame: Any, scope: Scope,
                         count_limit: Any, percentage_limit: Any, slots: "Slots") -> list:
        inputs = self._inputs(effective, items, scope)
        run = frame.run
        label = self.label or "Map"
        map_run_arn = (f"arn:aws:states:{run.region}:{run.account}:mapRun:"
                       f"{run.state_machine_context.get('Name', 'StateMachine')}/{label}:{run.uuid()}")
        frame.event("MapRunStarted", "mapRunStartedEventDetails", {"mapRunArn": map_run_arn})
        if threads_wanted(frame, len(inputs)):
            results = self._run_threaded(inputs, frame, slots.limit, count_limit, percentage_limit,
                                         distributed=True)
            frame.event("MapRunSucceeded")
            frame.event("MapStateSucceeded", advance=False)
            return results
        results: list[Any] = []
        failures = 0
        total = len(inputs)
        tolerant = count_limit is not None or percentage_limit is not None
        for value in inputs:
            clock = slots.take()
            child = frame.detached(clock)
            try:
                results.append(self.processor.run(value, child))
                slots.release(clock)
            except StatesError as exc:
                slots.release(clock)
                failures += 1
                if tolerant and not _exceeded(failures, total, count_limit, percentage_limit):
                    continue
                if tolerant:
                    exc = _threshold_exceeded()
                slots.join()
                _map_run_failed(frame, exc)
                exc.state_failed_event = "MapStateFailed"   # type: ignore[attr-defined]
                raise exc from None
        slots.join()
        frame.event("MapRunSucceeded")
        frame.event("MapStateSucceeded", advance=False)
        return results


INLINE_CONCURRENCY = 40          # AWS runs at most about 40 inline iterations at once
DISTRIBUTED_CONCURRENCY = 10_000


class Slots:
    """Virtual-time scheduling of concurrent iterations.

    Iterations run one after the other, but on virtual time each gets its own clock that starts when
    one of ``limit`` slots frees up, so waits inside iterations overlap as they would on AWS and the
    Map ends when its last iteration does. On a real clock everything simply shares the one clock.
    """

    __slots__ = ("frame", "heap", "end", "virtual", "limit")

    def __init__(self, frame: Any, limit: int):
        self.frame = frame
        self.limit = limit
        self.virtual = hasattr(frame.clock, "branch")
        start = frame.clock.now()
        self.heap = [start] * max(1, min(int(limit), 10_000)) if self.virtual else []
        self.end = start

    def take(self) -> Any:
        if not self.virtual:
            return self.frame.clock
        return self.frame.branch_clock(heapq.heappop(self.heap))

    def release(self, clock: Any) -> None:
        if self.virtual:
            moment = clock.now()
            heapq.heappush(self.heap, moment)
            if moment > self.end:
                self.end = moment

    def join(self) -> None:
        if self.virtual:
            self.frame.clock.advance_to(self.end)


def _exceeded(failures: int, total: int, count_limit: Any, percentage_limit: Any) -> bool:
    """AWS fails the Map when failures exceed either threshold (a missing threshold tolerates none
    unless the other one is set)."""
    over_count = count_limit is not None and failures > count_limit
    over_percentage = percentage_limit is not None and total > 0 and failures * 100.0 / total > percentage_limit
    if count_limit is None:
        return over_percentage
    if percentage_limit is None:
        return over_count
    return over_count or over_percentage


class Batcher:
    """ItemBatcher on in-memory items: ``{"Items": [...], "BatchInput": {...}}`` per batch."""

    __slots__ = ("max_items", "max_items_path", "max_bytes", "max_bytes_path", "batch_input", "jsonata",
                 "max_items_expr", "max_bytes_expr")

    def __init__(self, value: dict, jsonata: bool):
        self.jsonata = jsonata
        self.max_items = value.get("MaxItemsPerBatch") if _is_int(value.get("MaxItemsPerBatch")) else None
        self.max_bytes = value.get("MaxInputBytesPerBatch") if _is_int(value.get("MaxInputBytesPerBatch")) else None
        self.max_items_path = self.max_bytes_path = self.max_items_expr = self.max_bytes_expr = None
        batch_input = value.get("BatchInput", ABSENT)
        if jsonata:
            from ..jsonata_expr import compile_field

            if isinstance(value.get("MaxItemsPerBatch"), str):
                self.max_items_expr = compile_field(value["MaxItemsPerBatch"], field="ItemBatcher/MaxItemsPerBatch",
                                                    expect="integer")
            if isinstance(value.get("MaxInputBytesPerBatch"), str):
                self.max_bytes_expr = compile_field(value["MaxInputBytesPerBatch"],
                                                    field="ItemBatcher/MaxInputBytesPerBatch", expect="integer")
            self.batch_input = None if batch_input is ABSENT else compile_field(
                batch_input, field="ItemBatcher/BatchInput")
        else:
            if isinstance(value.get("MaxItemsPerBatchPath"), str):
                self.max_items_path = compile_path(value["MaxItemsPerBatchPath"], reference=True)
            if isinstance(value.get("MaxInputBytesPerBatchPath"), str):
                self.max_bytes_path = compile_path(value["MaxInputBytesPerBatchPath"], reference=True)
            self.batch_input = None if batch_input is ABSENT else compile_template(batch_input, field="BatchInput")

    def batches(self, items: list, effective: Any, scope: Scope) -> list:
        variables = scope.frame.variables
        max_items, max_bytes, batch_input = self.max_items, self.max_bytes, None
        if self.jsonata:
            if self.max_items_expr is not None or self.max_bytes_expr is not None or self.batch_input is not None:
                from .jsonata_io import env_for

                env = env_for(scope, effective)
                if self.max_items_expr is not None:
                    max_items = self.max_items_expr.evaluate(env)
                if self.max_bytes_expr is not None:
                    max_bytes = self.max_bytes_expr.evaluate(env)
                if self.batch_input is not None:
                    batch_input = self.batch_input.evaluate(env)
        else:
            if self.max_items_path is not None:
                max_items = self.max_items_path.get(effective, None, variables)
            if self.max_bytes_path is not None:
                max_bytes = self.max_bytes_path.get(effective, None, variables)
            if self.batch_input is not None:
                batch_input = self.batch_input.evaluate(effective, None, variables, scope.frame.run)
        if not _is_int(max_items) or max_items <= 0:
            max_items = None
        if not _is_int(max_bytes) or max_bytes <= 0:
            max_bytes = None
        batches: list[list] = []
        current: list = []
        size = 0
        for item in items:
            item_size = json_size(item) + 1
            if current and ((max_items is not None and len(current) >= max_items) or (
                    max_bytes is not None and size + item_size > max_bytes)):
                batches.append(current)
                current, size = [], 0
            current.append(item)
            size += item_size
        if current:
            batches.append(current)
        out = []
        for batch in batches:
            entry: dict[str, Any] = {"Items": batch}
            if batch_input is not None:
                entry["BatchInput"] = batch_input
            out.append(entry)
        return out


__all__ = ["MapState", "Batcher", "Slots"]
