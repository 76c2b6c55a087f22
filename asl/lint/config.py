"""``[tool.asl]`` in pyproject.toml: the project's lint settings.

Found from the current directory upwards: the first ``pyproject.toml`` with a ``[tool.asl]`` table
wins (as ruff does), so a monorepo's sub-project can have its own. Keys (dashes or underscores)::

    [tool.asl]
    select = ["ALL"]                 # codes, rule names or code prefixes
    ignore = ["ASL106", "no-dollar"]
    workflow-type = "STANDARD"       # or "EXPRESS": checks Express-only restrictions
    [tool.asl.per-file-ignores]
    "legacy/*.asl.json" = ["ASL2"]   # glob, relative to the pyproject.toml's directory

The file is only parsed (tomllib) when its text mentions ``[tool.asl``: a pre-commit run in a
project without aslkit settings pays for one small read, not for a TOML parse.
"""
from __future__ import annotations

import os
from typing import Any


class ConfigError(ValueError):
    """The ``[tool.asl]`` table cannot be used (bad TOML, wrong value types)."""


class LintConfig:
    """The settings of one ``[tool.asl]`` table (defaults when there is none)."""

    __slots__ = ("path", "select", "ignore", "per_file_ignores", "workflow_type")

    def __init__(self, path: str | None = None, select: list[str] | None = None, ignore: list[str] | None = None,
                 per_file_ignores: dict[str, list[str]] | None = None, workflow_type: str | None = None):
        self.path = path
        self.select = select
        self.ignore = ignore or []
        self.per_file_ignores = per_file_ignores or {}
        self.workflow_type = workflow_type

    def ignores_for(self, file: str | None) -> list[str]:
        """``ignore`` plus the per-file entries whose glob matches ``file``."""
        if not file or not self.per_file_ignores:
            return list(self.ignore)
        import fnmatch

        out = list(self.ignore)
        root = os.path.dirname(os.path.realpath(self.path)) if self.path else os.getcwd()
        try:
            relative = os.path.relpath(os.path.realpath(file), root)
        except ValueError:
            relative = file
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(os.path.basename(file), pattern) \
                    or fnmatch.fnmatch(file, pattern):
                out.extend(codes)
        return out


def find_config(start: str | os.PathLike | None = None) -> LintConfig:
    """The settings of the nearest ``pyproject.toml`` with a ``[tool.asl]`` table (defaults if none)."""
    directory = os.path.realpath(start or os.getcwd())
    while True:
        pyproject = os.path.join(directory, "pyproject.toml")
        try:
            with open(pyproject, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            text = ""
        if "[tool.asl" in text:
            return load_config(pyproject, text)
        parent = os.path.dirname(directory)
        if parent == directory:
            return LintConfig()
        directory = parent


def load_config(pyproject: "str | os.PathLike", text: str | None = None) -> LintConfig:
    import tomllib

    pyproject = os.fspath(pyproject)
    try:
        if text is None:
            with open(pyproject, encoding="utf-8") as handle:
                text = handle.read()
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: {exc}") from None
    table = data.get("tool", {}).get("asl", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.asl] must be a table")
    table = {key.replace("_", "-"): value for key, value in table.items()}
    config = LintConfig(path=pyproject)
    if "select" in table:
        config.select = _codes(table["select"], "select", pyproject)
    config.ignore = _codes(table.get("ignore", []), "ignore", pyproject)
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise ConfigError(f"{pyproject}: per-file-ignores must be a table of glob = [codes]")
    config.per_file_ignores = {str(k): _codes(v, f"per-file-ignores.{k}", pyproject) for k, v in per_file.items()}
    workflow_type = table.get("workflow-type")
    if workflow_type is not None:
        if not isinstance(workflow_type, str) or workflow_type.upper() not in ("STANDARD", "EXPRESS"):
            raise ConfigError(f"{pyproject}: workflow-type must be \"STANDARD\" or \"EXPRESS\"")
        config.workflow_type = workflow_type.upper()
    unknown = set(table) - {"select", "ignore", "per-file-ignores", "workflow-type"}
    if unknown:
        raise ConfigError(f"{pyproject}: unknown [tool.asl] setting(s): {', '.join(sorted(unknown))}")
    return config


def _codes(value: Any, key: str, pyproject: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{pyproject}: {key} must be a list of rule codes, names or prefixes")
    return [v.strip() for v in value if v.strip()]
