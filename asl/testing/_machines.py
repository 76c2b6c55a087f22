"""The state-machine generator behind :func:`asl.testing.strategies.state_machines`.

Hypothesis-jsonschema cannot draw ASL (the language is recursive: Parallel branches and Map
processors hold whole workflows, and validity depends on the graph and the data flow), so this is a
hand-written generator. It guarantees, by construction:

* **validity** — every field is allowed where it is written, every transition names a state of the
  same ``States`` object, every state is reachable, every workflow has a terminal state, names are
  unique across the machine, variables are assigned before they are read;
* **termination** — transitions only go forward (the graph is acyclic), Map iterates over arrays of
  a few items, retries are bounded;
* **no accidental failures** — every path, intrinsic argument and JSONata reference reads something
  the generator knows is there (see :mod:`._facts`), so the only failures are the ones the machine
  means: ``Fail`` states, and task errors that escape Retry/Catch.

States are laid out in a line; each non-terminal state continues with the next one, Choice rules and
Catchers may jump further ahead. A terminal state in the middle of the line is only placed when an
earlier Choice exists to give the state after it an incoming transition.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st

from ._expressions import (
    PAST_TIMESTAMPS, Expr, IntrinsicGenerator, JsonataGenerator, Scope, as_template, jsonata_key,
    jsonpath_key, path_sources, plain_strings,
)
from ._facts import UNKNOWN, Facts, join, kind

JSONPATH = "JSONPath"
JSONATA = "JSONata"
ALL_STATE_TYPES = ("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")
TERMINAL_CAPABLE = ("Pass", "Task", "Wait", "Succeed", "Fail", "Parallel", "Map")
DEFAULT_ERRORS = (
    "Lambda.ServiceException", "Lambda.TooManyRequestsException", "Lambda.SdkClientException",
    "States.Timeout", "CustomError",
)
ERROR_OUTPUT = {"Error": UNKNOWN, "Cause": UNKNOWN}
_NAME_WORDS = ("Validate", "Charge", "Notify", "Ship", "Price", "Check", "Store", "Route", "Audit",
               "Enrich", "Load", "Split", "Merge", "Review", "Fetch")
_FAIL_ERRORS = ("OrderRejected", "ValidationError", "Custom.Failure", "PaymentDeclined")


@dataclass(frozen=True)
class Options:
    min_states: int
    max_states: int
    state_types: tuple[str, ...]
    query_language: str | None      # JSONPath | JSONata | "mixed" | None (any of the three)
    max_depth: int
    max_branch_states: int
    functions: tuple[str, ...]
    errors: tuple[str, ...]
    variables: bool
    retry: bool
    catch: bool
    intrinsics: bool
    exotic_names: bool


class MachineGenerator:
    def __init__(self, draw: Callable, options: Options):
        self.draw = draw
        self.o = options
        self.counter = 0
        self.top_language = JSONPATH
        self.mixed = False

    # --- small helpers -----------------------------------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def maybe(self, probability_in_4: int = 2) -> bool:
        return self.draw(st.integers(0, 3)) < probability_in_4

    def fresh_key(self) -> str:
        self.counter += 1
        if self.o.exotic_names and self.draw(st.integers(0, 9)) == 0:
            return self.draw(st.sampled_from([f"k-{self.counter}", f"k {self.counter}", f"ключ{self.counter}"]))
        return f"k{self.counter}"

    def state_name(self) -> str:
        self.counter += 1
        name = f"{self.draw(st.sampled_from(_NAME_WORDS))} {self.counter}"
        if self.o.exotic_names and self.draw(st.integers(0, 7)) == 0:
            name += " " + self.draw(st.sampled_from(["é", "漢字", "(retry)", "#2", "a.b", "$x", "🙂"]))
        return name

    def comment(self, node: dict) -> None:
        if self.draw(st.integers(0, 5)) == 0:
            node["Comment"] = self.draw(plain_strings(0, 20))

    def language(self, state: dict) -> str:
        """The state's query language, declaring it on the state when needed (or, sometimes, redundantly)."""
        if self.top_language == JSONATA:
            if self.draw(st.integers(0, 5)) == 0:
                state["QueryLanguage"] = JSONATA
            return JSONATA
        if self.mixed and self.draw(st.booleans()):
            state["QueryLanguage"] = JSONATA
            return JSONATA
        if self.draw(st.integers(0, 7)) == 0:
            state["QueryLanguage"] = JSONPATH
        return JSONPATH

    def data_value(self) -> Any:
        """A constant a Pass state writes for later states to use (an array for a Map, a small int for
        a Wait's SecondsPath, a timestamp for TimestampPath, ...)."""
        return self.draw(st.one_of(
            st.integers(0, 5),
            st.integers(-1000, 1000),
            st.floats(-100, 100, allow_nan=False).map(lambda f: round(f, 2)),
            plain_strings(0, 8),
            st.sampled_from(PAST_TIMESTAMPS),
            st.booleans(), st.none(),
            st.lists(st.integers(0, 50), min_size=0, max_size=4),
            st.lists(st.fixed_dictionaries({"id": st.integers(0, 99), "name": plain_strings(1, 6, exotic=False)}),
                     min_size=1, max_size=3),
            st.fixed_dictionaries({"a": st.integers(0, 9), "b": plain_strings(0, 5, exotic=False)}),
        ))

    def seed_object(self) -> dict:
        return {self.fresh_key(): self.data_value() for _ in range(self.draw(st.integers(1, 3)))}

    # --- the machine -------------------------------------------------------------------------------
    def machine(self) -> dict:
        language = self.o.query_language
        if language is None:
            language = self.draw(st.sampled_from([JSONPATH, JSONATA, "mixed"]))
        self.top_language = JSONATA if language == JSONATA else JSONPATH
        self.mixed = language == "mixed"
        definition: dict[str, Any] = {}
        self.comment(definition)
        if self.top_language == JSONATA or self.draw(st.integers(0, 5)) == 0:
            definition["QueryLanguage"] = self.top_language
        workflow = self.workflow(Facts(), 0, self.o.min_states, self.o.max_states)
        definition.update(workflow)
        if self.draw(st.integers(0, 5)) == 0:
            definition["TimeoutSeconds"] = self.draw(st.integers(86_400, 31_536_000))
        if self.draw(st.integers(0, 7)) == 0:
            definition["Version"] = "1.0"
        return definition

    def workflow(self, facts_in: Facts, depth: int, min_states: int, max_states: int) -> dict:
        allowed = [t for t in self.o.state_types if depth < self.o.max_depth or t not in ("Parallel", "Map")]
        count = self.draw(st.integers(min_states, max_states))
        types = [self.draw(st.sampled_from(allowed)) for _ in range(count)]
        terminal_types = [t for t in allowed if t in TERMINAL_CAPABLE] or ["Pass"]
        if types[-1] not in TERMINAL_CAPABLE:
            types[-1] = self.draw(st.sampled_from(terminal_types))
        names = [self.state_name() for _ in range(count)]
        line = _Line(names, types, facts_in)
        for i in range(count):
            self.place(line, i, depth)
        body: dict[str, Any] = {}
        self.comment(body)
        body["StartAt"] = names[0]
        body["States"] = {name: line.states[name] for name in names}
        return body

    def place(self, line: "_Line", i: int, depth: int) -> None:
        """Write the state at position ``i`` of ``line``."""
        if not line.incoming[i]:
            # an earlier terminal cut the line: an earlier Choice gains a rule leading here
            choice = self.draw(st.sampled_from(line.choices))
            line.incoming[i].append(choice.add_rule(line.names[i]))
        facts = join(line.incoming[i])
        last = i == len(line.names) - 1
        kind_ = line.types[i]
        if kind_ in ("Succeed", "Fail") and not last and not line.choices:
            kind_ = "Pass"
        end = last or (kind_ not in ("Succeed", "Fail", "Choice") and bool(line.choices)
                       and self.draw(st.integers(0, 5)) == 0)
        state: dict[str, Any] = {"Type": kind_}
        self.comment(state)
        builder = _StateBuilder(self, line, i, facts, self.language(state), depth)
        getattr(builder, _BUILDERS[kind_])(state, end)
        line.states[line.names[i]] = state


class _Line:
    """The states of one workflow, in order, with what each position receives."""

    def __init__(self, names: list[str], types: list[str], facts_in: Facts):
        self.names = names
        self.types = types
        self.states: dict[str, dict] = {}
        self.incoming: list[list[Facts]] = [[] for _ in names]
        self.incoming[0].append(facts_in)
        self.choices: list[_ChoiceHandle] = []

    def forward(self, i: int) -> list[int]:
        return list(range(i + 1, len(self.names)))


class _ChoiceHandle:
    """Lets a later position add a rule to an earlier Choice (to become reachable)."""

    def __init__(self, builder: "_StateBuilder", state: dict):
        self.builder = builder
        self.state = state

    def add_rule(self, target: str) -> Facts:
        rule, facts = self.builder.choice_rule(target)
        self.state["Choices"].append(rule)
        return facts


class _StateBuilder:
    """Writes one state; knows its position, its input facts and its query language."""

    def __init__(self, gen: MachineGenerator, line: _Line, index: int, facts: Facts, language: str, depth: int):
        self.gen = gen
        self.draw = gen.draw
        self.line = line
        self.i = index
        self.facts = facts
        self.language = language
        self.depth = depth
        self.jsonata = language == JSONATA
        self.choice_output_keys: dict | None = None

    # --- transitions -------------------------------------------------------------------------------
    def transition(self, state: dict, end: bool, out: Facts) -> None:
        if end:
            state["End"] = True
        else:
            state["Next"] = self.line.names[self.i + 1]
            self.line.incoming[self.i + 1].append(out)

    def jump(self) -> int | None:
        targets = self.line.forward(self.i)
        return self.draw(st.sampled_from(targets)) if targets else None

    # --- scopes -------------------------------------------------------------------------------------
    def scope(self, keys: dict | None, **extra: Any) -> Scope:
        return Scope(input=keys, vars=dict(self.facts.vars) if self.gen.o.variables else {}, **extra)

    def jsonpath_value(self, scope: Scope, want: str | None = None) -> Expr:
        """A ``.$`` value: a path or (when allowed) an intrinsic call."""
        sources = path_sources(scope, want)
        if self.gen.o.intrinsics and (not sources or self.draw(st.booleans())):
            return IntrinsicGenerator(self.draw, scope).call(want)
        if not sources:
            return Expr("$", None)
        return self.draw(st.sampled_from(sources))

    def payload_template(self, scope: Scope, size: tuple[int, int] = (1, 4)) -> tuple[dict, dict]:
        """A JSONPath payload template and the keys (with known values) it produces."""
        template: dict[str, Any] = {}
        produced: dict[str, Any] = {}
        for _ in range(self.draw(st.integers(*size))):
            key = self.gen.fresh_key()
            choice = self.draw(st.sampled_from(["constant", "dynamic", "dynamic", "nested"]))
            if choice == "constant":
                value = self.gen.data_value()
                template[key] = value
                produced[key] = value
            elif choice == "dynamic":
                expr = self.jsonpath_value(scope)
                template[key + ".$"] = expr.text
                produced[key] = expr.value
            else:
                inner, _ = self.payload_template(scope, (1, 2))
                template[key] = inner
                produced[key] = UNKNOWN
        return template, produced

    def jsonata_object(self, scope: Scope, size: tuple[int, int] = (1, 3)) -> tuple[dict, dict]:
        """A JSON object whose string leaves are JSONata templates, and the keys it produces."""
        out: dict[str, Any] = {}
        produced: dict[str, Any] = {}
        generator = JsonataGenerator(self.draw, scope)
        for _ in range(self.draw(st.integers(*size))):
            key = self.gen.fresh_key()
            out[key], produced[key] = self._jsonata_field(generator, literal_odds=4)
        return out, produced

    def _jsonata_field(self, generator: "JsonataGenerator", *, literal_odds: int) -> tuple[Any, Any]:
        """One JSONata-mode field value: a literal (1 in ``literal_odds``; a string that would read as
        ``{% %}`` is defused) or a ``{% %}`` expression. Returns (what is written, the value it yields)."""
        if self.draw(st.integers(0, literal_odds - 1)) == 0:
            value = self.gen.data_value()
            if isinstance(value, str) and value.startswith("{%"):
                value = "x" + value
            return value, value
        expr = generator.expression(None)
        return as_template(expr), expr.value

    # --- JSONPath I/O -------------------------------------------------------------------------------
    def input_path(self, state: dict) -> dict:
        """Maybe write InputPath; returns the keys of the effective input."""
        return self._io_path(state, "InputPath", self.facts.keys, absent=2)

    def output_path(self, state: dict, keys: dict) -> dict:
        """Maybe write OutputPath over ``keys``; returns the keys of the state's output."""
        return self._io_path(state, "OutputPath", keys, absent=3)

    def _io_path(self, state: dict, field: str, keys: dict, *, absent: int) -> dict:
        """``field`` absent (``absent`` times as likely as the others), ``$``, null (an empty object) or
        the path of one object-valued key; returns the keys of what it selects."""
        dicts = [k for k, v in keys.items() if isinstance(v, dict)]
        choice = self.draw(st.sampled_from(["absent"] * absent + ["dollar", "null"] + (["key"] if dicts else [])))
        if choice == "dollar":
            state[field] = "$"
        elif choice == "null":
            state[field] = None
            return {}
        elif choice == "key":
            key = self.draw(st.sampled_from(dicts))
            state[field] = jsonpath_key(key)
            return dict(keys[key])
        return dict(keys)

    def result_path(self, state: dict, raw: dict, result: dict | None) -> dict:
        """Write ResultPath for a result whose keys are ``result`` (None: not known to be an object)."""
        options = ["fresh", "fresh", "null"] + (["dollar", "absent"] if result is not None else [])
        if raw:
            options.append("overwrite")
        choice = self.draw(st.sampled_from(options))
        if choice == "dollar":
            state["ResultPath"] = "$"
            return dict(result)
        if choice == "absent":
            return dict(result)
        if choice == "null":
            state["ResultPath"] = None
            return dict(raw)
        key = self.gen.fresh_key() if choice == "fresh" else self.draw(st.sampled_from(sorted(raw)))
        state["ResultPath"] = jsonpath_key(key)
        value = UNKNOWN if result is None else _value(result)
        return {**raw, key: value}

    def result_selector(self, state: dict) -> dict | None:
        """Maybe write a ResultSelector (over a result of unknown shape); returns the keys it makes."""
        if not self.draw(st.booleans()):
            return None
        selector, produced = self.payload_template(self.scope(None), (1, 3))
        state["ResultSelector"] = selector
        return produced

    # --- variables ----------------------------------------------------------------------------------
    def assign(self, target: dict, scope: Scope) -> dict:
        """Maybe write Assign; returns the new variables (name -> known value)."""
        if not self.gen.o.variables or not self.draw(st.booleans()):
            return {}
        assigned: dict[str, Any] = {}
        block: dict[str, Any] = {}
        for _ in range(self.draw(st.integers(1, 3))):
            name = self.gen.fresh("v")
            if self.jsonata:
                block[name], assigned[name] = self._jsonata_field(JsonataGenerator(self.draw, scope),
                                                                  literal_odds=3)
            elif self.draw(st.integers(0, 2)) == 0:
                value = self.gen.data_value()
                block[name] = value
                assigned[name] = value
            else:
                expr = self.jsonpath_value(scope)
                block[name + ".$"] = expr.text
                assigned[name] = expr.value
        target["Assign"] = block
        return assigned

    # --- error handling -----------------------------------------------------------------------------
    def error_names(self, count_max: int) -> list[list[str]]:
        """Disjoint ErrorEquals lists: specific names, then maybe States.TaskFailed, then maybe States.ALL."""
        pool = list(self.gen.o.errors)
        names = self.draw(st.lists(st.sampled_from(pool), unique=True, max_size=min(len(pool), count_max)))
        groups: list[list[str]] = []
        while names:
            size = self.draw(st.integers(1, len(names)))
            groups.append(names[:size])
            names = names[size:]
        if self.draw(st.integers(0, 3)) == 0:
            groups.append(["States.TaskFailed"])
        if self.draw(st.booleans()) or not groups:
            groups.append(["States.ALL"])
        return groups[:count_max + 1]

    def retry(self, state: dict) -> None:
        if not self.gen.o.retry or not self.draw(st.booleans()):
            return
        retriers = []
        for errors in self.error_names(2):
            retrier: dict[str, Any] = {"ErrorEquals": errors}
            if self.draw(st.booleans()):
                retrier["IntervalSeconds"] = self.draw(st.integers(1, 3))
            if self.draw(st.booleans()):
                retrier["MaxAttempts"] = self.draw(st.integers(0, 3))
            if self.draw(st.booleans()):
                retrier["BackoffRate"] = self.draw(st.sampled_from([1, 1.0, 1.5, 2, 2.5]))
            if self.draw(st.integers(0, 3)) == 0:
                retrier["MaxDelaySeconds"] = self.draw(st.integers(1, 10))
            if self.draw(st.integers(0, 3)) == 0:
                retrier["JitterStrategy"] = self.draw(st.sampled_from(["FULL", "NONE"]))
            retriers.append(retrier)
        state["Retry"] = retriers

    def catch(self, state: dict, raw: dict) -> None:
        if not self.gen.o.catch or not self.line.forward(self.i) or not self.draw(st.booleans()):
            return
        catchers = []
        for errors in self.error_names(1):
            target = self.jump()
            catcher: dict[str, Any] = {"ErrorEquals": errors, "Next": self.line.names[target]}
            keys, new_vars = self.catcher_output(catcher, raw)
            catchers.append(catcher)
            self.line.incoming[target].append(Facts(keys, {**self.facts.vars, **new_vars}))
        state["Catch"] = catchers

    def catcher_output(self, catcher: dict, raw: dict) -> tuple[dict, dict]:
        if self.jsonata:
            scope = self.scope(raw, error_output=True)
            new_vars = self.assign(catcher, scope)
            if self.draw(st.booleans()):
                key = self.gen.fresh_key()
                catcher["Output"] = "{% $merge([$states.input, {" + _jsonata_str(key) + ": $states.errorOutput}]) %}"
                return {**raw, key: UNKNOWN}, new_vars
            return dict(ERROR_OUTPUT), new_vars
        new_vars = self.assign(catcher, self.scope(dict(ERROR_OUTPUT)))
        choice = self.draw(st.sampled_from(["absent", "null", "fresh"]))
        if choice == "null":
            catcher["ResultPath"] = None
            return dict(raw), new_vars
        if choice == "fresh":
            key = self.gen.fresh_key()
            catcher["ResultPath"] = jsonpath_key(key)
            return {**raw, key: UNKNOWN}, new_vars
        return dict(ERROR_OUTPUT), new_vars

    def jsonata_result_output(self, state: dict) -> dict:
        """Output for a state whose result has an unknown shape: keep an object."""
        raw = dict(self.facts.keys)
        key = self.gen.fresh_key()
        if self.draw(st.booleans()):
            state["Output"] = "{% $merge([$states.input, {" + _jsonata_str(key) + ": $states.result}]) %}"
            return {**raw, key: UNKNOWN}
        obj, produced = self.jsonata_object(self.scope(raw, result=True), (0, 2))
        obj[key] = "{% $states.result %}"
        state["Output"] = obj
        return {**produced, key: UNKNOWN}

    # --- the eight state types ----------------------------------------------------------------------
    def pass_(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if self.jsonata:
            out = raw
            if self.draw(st.booleans()):
                obj, produced = self.jsonata_object(self.scope(raw))
                if self.draw(st.booleans()):
                    state["Output"] = obj
                    out = produced
                else:
                    inner = ", ".join(f"{_jsonata_str(k)}: {v[3:-3] if isinstance(v, str) and v.startswith('{%') else _jsonata_literal(v)}"
                                      for k, v in obj.items())
                    state["Output"] = "{% $merge([$states.input, {" + inner + "}]) %}"
                    out = {**raw, **produced}
            new_vars = self.assign(state, self.scope(raw))
            self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))
            return
        effective = self.input_path(state)
        choice = self.draw(st.sampled_from(["result", "parameters", "neither"]))
        if choice == "result":
            result: Any = self.gen.seed_object() if self.draw(st.integers(0, 3)) else self.gen.data_value()
            state["Result"] = result
            result_keys = dict(result) if isinstance(result, dict) else None
        elif choice == "parameters":
            template, result_keys = self.payload_template(self.scope(effective))
            state["Parameters"] = template
        else:
            result_keys = effective
        # ResultPath merges into the *raw* input, whatever InputPath selected
        out = self.result_path(state, raw, result_keys)
        out = self.output_path(state, out)
        assign_scope = self.scope(result_keys, null_input=choice == "result" and state["Result"] is None)
        new_vars = self.assign(state, assign_scope)
        self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))

    def task(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        function = self.draw(st.sampled_from(self.gen.o.functions))
        optimized = self.draw(st.booleans())
        state["Resource"] = ("arn:aws:states:::lambda:invoke" if optimized
                             else f"arn:aws:lambda:us-east-1:123456789012:function:{function}")
        if self.jsonata:
            scope = self.scope(raw)
            payload: Any
            if self.draw(st.booleans()):
                payload = "{% $states.input %}"
            else:
                payload, _ = self.jsonata_object(scope)
            if optimized:
                state["Arguments"] = {"FunctionName": function, "Payload": payload}
            elif self.draw(st.booleans()):
                state["Arguments"] = payload
            self.timeouts(state, raw)
            self.retry(state)
            self.catch(state, raw)
            out = self.jsonata_result_output(state)
            new_vars = self.assign(state, self.scope(raw, result=True))
            self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))
            return
        effective = self.input_path(state)
        if optimized:
            if self.draw(st.booleans()):
                state["Parameters"] = {"FunctionName": function, "Payload.$": "$"}
            else:
                template, _ = self.payload_template(self.scope(effective))
                state["Parameters"] = {"FunctionName": function, "Payload": template}
        elif self.draw(st.booleans()):
            template, _ = self.payload_template(self.scope(effective))
            state["Parameters"] = template
        selected = self.result_selector(state)
        out = self.result_path(state, raw, selected)
        out = self.output_path(state, out)
        self.timeouts(state, raw)
        self.retry(state)
        self.catch(state, raw)
        new_vars = self.assign(state, self.scope(None))
        self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))

    def timeouts(self, state: dict, raw: dict) -> None:
        choice = self.draw(st.sampled_from(["none", "none", "timeout", "both"]))
        if choice == "none":
            return
        timeout = self.draw(st.integers(2, 3600))
        if self.jsonata and self.draw(st.booleans()):
            state["TimeoutSeconds"] = "{% " + str(timeout) + " %}"
        else:
            state["TimeoutSeconds"] = timeout
        if choice == "both":
            state["HeartbeatSeconds"] = self.draw(st.integers(1, timeout - 1))

    def choice(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if not self.jsonata and self.draw(st.integers(0, 3)) == 0:
            state["InputPath"] = "$"
        if not self.jsonata and self.draw(st.integers(0, 3)) == 0:
            state["OutputPath"] = "$"
        out = raw
        if self.jsonata and self.draw(st.integers(0, 3)) == 0:
            obj, produced = self.jsonata_object(self.scope(raw))
            state["Output"] = obj
            out = produced
            self.choice_output_keys = produced
        state["Choices"] = []
        for _ in range(self.draw(st.integers(1, 3))):
            target = self.jump()
            rule, facts = self.choice_rule(self.line.names[target])
            state["Choices"].append(rule)
            self.line.incoming[target].append(facts)
        state["Default"] = self.line.names[self.i + 1]
        new_vars = self.assign(state, self.scope(raw))
        self.line.incoming[self.i + 1].append(Facts(out, {**self.facts.vars, **new_vars}))
        self.line.choices.append(_ChoiceHandle(self, state))

    def choice_rule(self, target: str) -> tuple[dict, Facts]:
        raw = dict(self.facts.keys)
        scope = self.scope(raw)
        if self.jsonata:
            rule: dict[str, Any] = {}
            if self.draw(st.integers(0, 4)) == 0:
                rule["Condition"] = self.draw(st.booleans())
            else:
                rule["Condition"] = as_template(JsonataGenerator(self.draw, scope).expression("boolean"))
        else:
            rule = self.data_test(scope, 0)
        rule["Next"] = target
        out = raw if self.choice_output_keys is None else _join_keys(raw, self.choice_output_keys)
        if self.jsonata and self.draw(st.integers(0, 3)) == 0:
            obj, produced = self.jsonata_object(scope)
            rule["Output"] = obj
            out = produced
        new_vars = self.assign(rule, scope)
        if self.draw(st.integers(0, 7)) == 0:
            rule["Comment"] = self.draw(plain_strings(0, 12))
        return rule, Facts(out, {**self.facts.vars, **new_vars})

    def data_test(self, scope: Scope, depth: int) -> dict:
        """A JSONPath Choice rule (no Next): a comparison, or And / Or / Not over nested rules."""
        shape = self.draw(st.sampled_from(["compare"] * 4 + (["and", "or", "not"] if depth < 2 else [])))
        if shape in ("and", "or"):
            return {shape.capitalize(): [self.data_test(scope, depth + 1) for _ in range(self.draw(st.integers(1, 3)))]}
        if shape == "not":
            return {"Not": self.data_test(scope, depth + 1)}
        sources = [s for s in path_sources(scope) if s.text != "$"]
        if self.draw(st.integers(0, 5)) == 0 or not sources:
            missing = jsonpath_key(self.draw(st.sampled_from(["absent_key", "maybe"])))
            return {"Variable": missing, "IsPresent": self.draw(st.booleans())}
        variable = self.draw(st.sampled_from(sources))
        operator_kind = self.draw(st.sampled_from(["String", "Numeric", "Boolean", "Timestamp", "Is", "Path",
                                                   "Matches"]))
        rule: dict[str, Any] = {"Variable": variable.text}
        if operator_kind == "Is":
            rule[self.draw(st.sampled_from(["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean",
                                            "IsTimestamp"]))] = self.draw(st.booleans())
        elif operator_kind == "Matches":
            rule["StringMatches"] = self.draw(st.sampled_from(["*", "a*", "*.json", "k\\*", "Validate*"]))
        elif operator_kind == "Path":
            family = self.draw(st.sampled_from(["String", "Numeric", "Boolean", "Timestamp"]))
            rule[family + self._comparison(family) + "Path"] = self.draw(st.sampled_from(sources)).text
        else:
            rule[operator_kind + self._comparison(operator_kind)] = self._operand(operator_kind)
        return rule

    def _comparison(self, family: str) -> str:
        if family == "Boolean":
            return "Equals"
        return self.draw(st.sampled_from(["Equals", "LessThan", "GreaterThan", "LessThanEquals",
                                          "GreaterThanEquals"]))

    def _operand(self, family: str) -> Any:
        if family == "String":
            return self.draw(plain_strings(0, 8))
        if family == "Numeric":
            return self.draw(st.integers(-10, 10) | st.sampled_from([0.5, 2.25, 1e3]))
        if family == "Boolean":
            return self.draw(st.booleans())
        return self.draw(st.sampled_from(PAST_TIMESTAMPS + ("2031-01-01T00:00:00Z",)))

    def wait(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if self.jsonata:
            choice = self.draw(st.sampled_from(["seconds", "expr", "timestamp"]))
            if choice == "seconds":
                state["Seconds"] = self.draw(st.integers(0, 5))
            elif choice == "expr":
                known = [k for k, v in raw.items() if _small_int(v)]
                if known and self.draw(st.booleans()):
                    state["Seconds"] = "{% $states.input." + jsonata_key(self.draw(st.sampled_from(known))) + " %}"
                else:
                    state["Seconds"] = "{% " + str(self.draw(st.integers(0, 5))) + " %}"
            else:
                # a JSONata Timestamp is an expression (the linter refuses a bare literal here)
                state["Timestamp"] = "{% '" + self.draw(st.sampled_from(PAST_TIMESTAMPS)) + "' %}"
            out = raw
            if self.draw(st.integers(0, 3)) == 0:
                obj, out = self.jsonata_object(self.scope(raw))
                state["Output"] = obj
            new_vars = self.assign(state, self.scope(raw))
            self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))
            return
        effective = self.input_path(state)
        ints = [k for k, v in effective.items() if _small_int(v)]
        stamps = [k for k, v in effective.items() if v in PAST_TIMESTAMPS]
        options = ["seconds", "timestamp"] + (["seconds_path"] if ints else []) + (["timestamp_path"] if stamps else [])
        choice = self.draw(st.sampled_from(options))
        if choice == "seconds":
            state["Seconds"] = self.draw(st.integers(0, 5))
        elif choice == "timestamp":
            state["Timestamp"] = self.draw(st.sampled_from(PAST_TIMESTAMPS))
        elif choice == "seconds_path":
            state["SecondsPath"] = jsonpath_key(self.draw(st.sampled_from(ints)))
        else:
            state["TimestampPath"] = jsonpath_key(self.draw(st.sampled_from(stamps)))
        # Wait's output is its effective input (after InputPath), then OutputPath
        out = self.output_path(state, effective)
        new_vars = self.assign(state, self.scope(effective))
        self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))

    def succeed(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if self.jsonata:
            if self.draw(st.integers(0, 2)) == 0:
                state["Output"], _ = self.jsonata_object(self.scope(raw))
            return
        effective = self.input_path(state)
        self.output_path(state, effective)

    def fail(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if self.jsonata:
            if self.draw(st.integers(0, 3)):
                if self.draw(st.booleans()):
                    state["Error"] = self.draw(st.sampled_from(_FAIL_ERRORS))
                else:
                    state["Error"] = "{% 'Dynamic.' & $states.context.State.Name %}"
            if self.draw(st.booleans()):
                expr = JsonataGenerator(self.draw, self.scope(raw)).expression("string")
                state["Cause"] = as_template(expr)
            return
        strings = [k for k, v in raw.items() if isinstance(v, str)]
        choice = self.draw(st.sampled_from(["error", "error", "none"] + (["error_path"] if strings else [])
                                           + (["error_intrinsic"] if self.gen.o.intrinsics else [])))
        if choice == "error":
            state["Error"] = self.draw(st.sampled_from(_FAIL_ERRORS))
        elif choice == "error_path":
            state["ErrorPath"] = jsonpath_key(self.draw(st.sampled_from(strings)))
        elif choice == "error_intrinsic":
            state["ErrorPath"] = "States.Format('Failed.{}', $$.State.Name)"
        cause = self.draw(st.sampled_from(["cause", "none", "cause_path"]))
        if cause == "cause":
            state["Cause"] = self.draw(plain_strings(0, 30))
        elif cause == "cause_path":
            state["CausePath"] = self.draw(st.sampled_from([
                "States.Format('state {} failed', $$.State.Name)", "States.JsonToString($)",
            ] + [jsonpath_key(k) for k in strings]))

    def parallel(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        branch_input: dict = raw
        if self.jsonata:
            if self.draw(st.booleans()):
                state["Arguments"], branch_input = self.jsonata_object(self.scope(raw))
        else:
            effective = self.input_path(state)
            branch_input = effective
            if self.draw(st.booleans()):
                state["Parameters"], branch_input = self.payload_template(self.scope(effective))
        inner = Facts(branch_input, dict(self.facts.vars))
        state["Branches"] = [self.gen.workflow(inner, self.depth + 1, 1, self.gen.o.max_branch_states)
                             for _ in range(self.draw(st.integers(1, 3)))]
        self.after_nested(state, end, raw, first_item=True)

    def map(self, state: dict, end: bool) -> None:
        raw = dict(self.facts.keys)
        if self.jsonata:
            arrays = [k for k, v in raw.items() if isinstance(v, list)]
            choice = self.draw(st.sampled_from(["literal", "expression"] + (["key"] if arrays else [])))
            if choice == "key":
                key = self.draw(st.sampled_from(arrays))
                state["Items"] = "{% $states.input." + jsonata_key(key) + " %}"
                items = raw[key]
            else:
                items = self.draw(st.lists(st.integers(0, 9), max_size=4))
                state["Items"] = items if choice == "literal" else "{% " + _jsonata_literal(items) + " %}"
            item_keys = self.item_selector(state, items, raw)
        else:
            effective = self.input_path(state)
            arrays = [k for k, v in effective.items() if isinstance(v, list)]
            if not arrays:
                self._seed_for_map(state, end)
                return
            key = self.draw(st.sampled_from(arrays))
            state["ItemsPath"] = jsonpath_key(key)
            items = effective[key]
            item_keys = self.item_selector(state, items, effective)
        if self.draw(st.booleans()):
            state["MaxConcurrency"] = self.draw(st.integers(0, 3))
        processor: dict[str, Any] = {}
        if self.draw(st.booleans()):
            processor["ProcessorConfig"] = {"Mode": "INLINE"}
        inner = Facts(item_keys, dict(self.facts.vars))
        processor.update(self.gen.workflow(inner, self.depth + 1, 1, self.gen.o.max_branch_states))
        state["ItemProcessor"] = processor
        self.after_nested(state, end, raw, first_item=bool(items))

    def item_selector(self, state: dict, items: Any, selector_input: dict) -> dict:
        """Maybe write ItemSelector (always when the items share no keys); returns the keys of an
        iteration's input. The selector adds the item itself (``value``) and maybe its index."""
        item_keys = _common_keys(items)
        if item_keys is not None and not self.draw(st.booleans()):
            return item_keys
        scope = self.scope(selector_input, map_item=True)
        if self.jsonata:
            selector, item_keys = self.jsonata_object(scope, (0, 2))
            value_key, value, index_key, index = ("value", "{% $states.context.Map.Item.Value %}",
                                                  "index", "{% $states.context.Map.Item.Index %}")
        else:
            selector, item_keys = self.payload_template(scope, (0, 2))
            value_key, value, index_key, index = "value.$", "$$.Map.Item.Value", "index.$", "$$.Map.Item.Index"
        selector[value_key] = value
        item_keys = {**item_keys, "value": UNKNOWN}
        if self.draw(st.booleans()):
            selector[index_key] = index
            item_keys["index"] = UNKNOWN
        state["ItemSelector"] = selector
        return item_keys

    def _seed_for_map(self, state: dict, end: bool) -> None:
        """No array to map over: this position becomes a Pass that writes one, and the Map moves to the
        next position (or, at the end of the line, the Pass ends the workflow)."""
        raw = dict(self.facts.keys)
        for key in list(state):
            if key not in ("Comment", "QueryLanguage"):
                del state[key]
        state["Type"] = "Pass"
        key = self.gen.fresh_key()
        items = self.draw(st.lists(st.integers(0, 9), min_size=0, max_size=3)
                          | st.lists(st.fixed_dictionaries({"id": st.integers(0, 9)}), min_size=1, max_size=3))
        state["Result"] = items
        state["ResultPath"] = jsonpath_key(key)
        if not end:
            self.line.types[self.i + 1] = "Map"
        self.transition(state, end, Facts({**raw, key: items}, dict(self.facts.vars)))

    def after_nested(self, state: dict, end: bool, raw: dict, first_item: bool) -> None:
        """ResultSelector/ResultPath/OutputPath (or Output), Retry, Catch and Assign of Parallel and Map."""
        if self.jsonata:
            self.retry(state)
            self.catch(state, raw)
            out = self.jsonata_result_output(state)
            new_vars = self.assign(state, self.scope(raw, result=True))
            self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))
            return
        selected = None
        if self.draw(st.booleans()):
            selector = {"count.$": "States.ArrayLength($)"}
            selected = {"count": UNKNOWN}
            if first_item and self.draw(st.booleans()):
                selector["first.$"] = "$[0]"
                selected["first"] = UNKNOWN
            if self.draw(st.booleans()):
                selector["all.$"] = "$"
                selected["all"] = UNKNOWN
            state["ResultSelector"] = selector
        out = self.result_path(state, raw, selected)
        out = self.output_path(state, out)
        self.retry(state)
        self.catch(state, raw)
        new_vars = self.assign(state, self.scope(None))
        self.transition(state, end, Facts(out, {**self.facts.vars, **new_vars}))


# state type -> the _StateBuilder method that writes it (``pass`` is a keyword)
_BUILDERS = {"Pass": "pass_", "Task": "task", "Choice": "choice", "Wait": "wait", "Succeed": "succeed",
             "Fail": "fail", "Parallel": "parallel", "Map": "map"}


def _value(keys: dict) -> Any:
    return dict(keys) if all(v is not UNKNOWN for v in keys.values()) else UNKNOWN


def _join_keys(a: dict, b: dict) -> dict:
    return join([Facts(a), Facts(b)]).keys


def _common_keys(items: Any) -> dict | None:
    """The keys every item of a known array has (None when some item is not an object)."""
    if not isinstance(items, list) or not items or not all(isinstance(x, dict) for x in items):
        return None
    return dict(join([Facts(x) for x in items]).keys)


def _small_int(value: Any) -> bool:
    return kind(value) == "number" and isinstance(value, int) and 0 <= value <= 5


def _jsonata_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _jsonata_literal(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
