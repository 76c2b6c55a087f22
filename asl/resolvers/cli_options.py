"""What ``asl run`` needs for ``--env``, ``--mock-config``, ``--test-case``, ``--machine-name`` and
``--show-queues``.

The run command (owned by the runtime side) calls two functions::

    from asl.resolvers.cli_options import environment_for_run, format_queues

    env = environment_for_run(definition_path, env_file=..., mock_config=..., test_case=...,
                              name=..., lambdas=lambdas, seed=seed, clock=clock)   # or None
    execution = machine.execute(input, resolvers=env.resolvers() if env else None,
                                clock=env.clock if env else clock, ...)
    if env: env.settle()
    if show_queues: click.echo(format_queues(env))

``environment_for_run`` raises :class:`RunOptionsError` (a ``ValueError``) with a message fit for the
user — print it and exit 2. The options themselves are declared by the command (asl.cli.run_cmd): this
package does not import click.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from .environment import Environment
from .env_file import EnvFileError, load_environment
from .mock_config import MockConfigError, state_machine_name


class RunOptionsError(ValueError):
    """Options that cannot work together, or files that cannot be used."""


def environment_for_run(definition_path: str | Path | None = None, *, env_file: str | Path | None = None,
                        mock_config: str | Path | None = None, test_case: str | None = None,
                        name: str | None = None, lambdas: Mapping[str, Any] | None = None, seed: int | None = None,
                        clock: Any = None, need: bool = False) -> Environment | None:
    """The environment ``asl run`` should use, or None when no option asks for one (and not ``need``)."""
    if not (env_file or mock_config or test_case or need):
        return None
    overrides: dict[str, Any] = {}
    if seed is not None:
        overrides["seed"] = seed
    try:
        env = load_environment(env_file, clock=clock, **overrides) if env_file else Environment(
            clock=clock, **overrides)
    except EnvFileError as exc:
        raise RunOptionsError(str(exc)) from None
    if lambdas:
        env.add_functions(lambdas)
    defaults = env.mock_defaults or {}
    config = mock_config or defaults.get("config")
    case = test_case or (defaults.get("test_case") if not mock_config else None)
    if config and not case:
        raise RunOptionsError("--mock-config needs --test-case NAME (a test case of the state machine)")
    if case and not config:
        raise RunOptionsError("--test-case needs --mock-config FILE (or mock_config in the --env file)")
    if config:
        machine = state_machine_name(definition_path, name or defaults.get("state_machine"))
        if not machine:
            raise RunOptionsError("cannot tell the state machine's name for the mock config: pass --name NAME")
        try:
            env.use_mock_config(str(config), machine, str(case))
        except MockConfigError as exc:
            raise RunOptionsError(f"{config}: {exc}") from None
    return env


def format_queues(env: Environment | None, *, as_json: bool = False) -> str:
    """What is left in each queue after a run (dead-letter queues included)."""
    if env is None:
        return "{}" if as_json else "no queues (no --env given)"
    snapshot = env.queues()
    if as_json:
        return json.dumps(snapshot, indent=2)
    if not snapshot:
        return "no queues"
    lines = []
    for queue, messages in snapshot.items():
        lines.append(f"{queue}: {len(messages)} message{'s' if len(messages) != 1 else ''}")
        for message in messages:
            extra = []
            if message.get("MessageGroupId"):
                extra.append(f"group={message['MessageGroupId']}")
            if message.get("ReceiveCount"):
                extra.append(f"received {message['ReceiveCount']}x")
            if message.get("DeadLetterQueueSourceArn"):
                extra.append(f"from {message['DeadLetterQueueSourceArn'].rsplit(':', 1)[-1]}")
            body = message["Body"] if len(message["Body"]) <= 200 else message["Body"][:197] + "..."
            lines.append(f"  - {body}" + (f"  ({', '.join(extra)})" if extra else ""))
    return "\n".join(lines)
