"""``asl run``: execute a state machine locally and print its output.

Exit codes: 0 the execution succeeded (its output JSON on stdout); 1 it failed or timed out (error and
cause on stderr); 2 the definition, the input or the options are unusable (diagnostics on stderr).
"""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from typing import Any

import click

from .run_inputs import json_value, lambda_targets


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def _parse_lambdas(specs: tuple[str, ...]) -> dict[str, Any]:
    from ..services.handlers import load_handler

    handlers: dict[str, Any] = {}
    targets = lambda_targets(specs)
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    for name, target in targets.items():
        try:
            handlers[name] = load_handler(target, base_dir=cwd)
        except Exception as exc:  # noqa: BLE001 - any import problem is a usage error
            raise click.UsageError(f"--lambda {name}: {exc}") from None
    return handlers


def _read_input(input_text: str | None, input_file: str | None) -> Any:
    if input_text is not None and input_file is not None:
        raise click.UsageError("give --input or --input-file, not both")
    if input_file is not None:
        try:
            with open(input_file, encoding="utf-8") if input_file != "-" else sys.stdin as handle:
                input_text = handle.read()
        except OSError as exc:
            raise click.UsageError(f"cannot read --input-file: {exc}") from None
    if input_text is None:
        return {}
    return json_value(input_text, "the input")


def _machine_name(path: str) -> str:
    """``flows/order-workflow.asl.json`` -> ``order-workflow`` (a legal state machine name)."""
    base = os.path.basename(path)
    for suffix in (".asl.json", ".asl.yaml", ".asl.yml", ".json", ".yaml", ".yml"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in base)[:80]
    return cleaned or "StateMachine"


def _print_diagnostics(diagnostics: Any, path: str) -> None:
    for d in diagnostics:
        where = f"{d.path or path}:{d.line or 1}:{d.column or 1}"
        click.echo(f"{where}: {d.code} {d.message}", err=True)


@click.command("run")
@click.argument("definition", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--input", "input_text", metavar="JSON", help="Execution input as JSON text (default {}).")
@click.option("--input-file", type=click.Path(dir_okay=False, allow_dash=True), help="Read the input JSON from a file.")
@click.option("--name", help="Execution name (default: a UUID drawn from the seed).")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed for jitter, States.UUID, States.MathRandom, $random and $uuid.")
@click.option("--real-time", is_flag=True, help="Really wait (default: virtual time, a Wait returns at once).")
@click.option("--lambda", "lambdas", multiple=True, metavar="NAME=module:function",
              help="A local handler for a Lambda function name or ARN (repeatable).")
@click.option("--express", is_flag=True, help="Run as an EXPRESS workflow (default STANDARD).")
@click.option("--env", "env_file", type=click.Path(exists=True, dir_okay=False),
              help="Environment file (YAML/JSON): functions, queues, topics, rules, APIs, limits.")
@click.option("--mock-config", type=click.Path(exists=True, dir_okay=False),
              help="Step Functions Local MockConfigFile.json.")
@click.option("--test-case", help="Test case of the mock config to run.")
@click.option("--machine-name", help="State machine name (ARNs; the mock config's key). Default: the file name.")
@click.option("--show-queues", is_flag=True, help="Print what is left in each queue and DLQ after the run.")
@click.option("--history", "show_history", is_flag=True, help="Print the execution history (JSON) to stderr.")
@click.option("--trace", is_flag=True, help="Show the path through the machine, state by state, on stderr.")
def run_command(definition: str, input_text: str | None, input_file: str | None, name: str | None, seed: int,
                real_time: bool, lambdas: tuple[str, ...], express: bool, env_file: str | None,
                mock_config: str | None, test_case: str | None, machine_name: str | None, show_queues: bool,
                show_history: bool, trace: bool) -> int:
    """Run DEFINITION (JSON or YAML; '-' reads stdin) and print the execution's output."""
    import asl

    value = _read_input(input_text, input_file)
    handlers = _parse_lambdas(lambdas)
    if definition == "-":
        source: Any = sys.stdin.read()
        path = "<stdin>"
    else:
        source = definition
        path = definition
        if not os.path.exists(definition):
            raise click.UsageError(f"no such file: {definition}")
    machine_name = machine_name or _machine_name(path)
    clock: Any = "real" if real_time else "virtual"
    env = None
    if env_file or mock_config or test_case or show_queues:
        from ..resolvers.cli_options import RunOptionsError, environment_for_run
        from ..runtime.clock import make_clock

        try:
            env = environment_for_run(None if definition == "-" else definition, env_file=env_file,
                                      mock_config=mock_config, test_case=test_case, name=machine_name,
                                      lambdas=handlers, seed=seed, clock=make_clock(clock), need=show_queues)
        except RunOptionsError as exc:
            raise click.UsageError(str(exc)) from None
    try:
        machine = asl.load(source, workflow_type="EXPRESS" if express else "STANDARD", name=machine_name)
    except asl.DefinitionError as exc:
        _print_diagnostics(exc.diagnostics, path)
        click.echo(f"asl run: {path}: the definition is not valid ({len(exc.diagnostics)} problem(s))", err=True)
        return 2
    tracer = None
    if trace:
        from ..runtime.trace import TextTracer

        tracer = TextTracer(sys.stderr)
    options: dict[str, Any] = {"seed": seed, "history": True, "name": name, "trace": tracer}
    if env is not None:
        options.update(resolvers=env.resolvers(), clock=env.clock)
    else:
        options.update(lambdas=handlers or None, clock=clock)
    execution = machine.start(value, **options)
    try:
        while not execution.wait(0.2).done:
            pass
    except KeyboardInterrupt:      # Ctrl-C stops the execution the way StopExecution would
        execution.stop(error="Interrupted", cause="stopped from the keyboard")
        execution.wait(10)
    if env is not None:
        env.settle()
    if show_history:
        click.echo(json.dumps(execution.history, indent=2, default=_json_default, ensure_ascii=False), err=True)
    if show_queues:
        from ..resolvers.cli_options import format_queues

        click.echo(format_queues(env), err=True)
    if execution.status == "SUCCEEDED":
        click.echo(json.dumps(execution.output, ensure_ascii=False))
        return 0
    click.echo(f"{execution.status}: {execution.error or ''}".rstrip(), err=True)
    if execution.cause:
        click.echo(f"cause: {execution.cause}", err=True)
    return 1
