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

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """The ``[tool.asl]`` table cannot be used (bad TOML, wrong value types)."""


@dataclass
class LintConfig:
    path: Path | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    workflow_type: str | None = None

    def ignores_for(self, file: str | None) -> list[str]:
        """``ignore`` plus the per-file entries whose glob matches ``file``."""
        if not file or not self.per_file_ignores:
            return list(self.ignore)
        out = list(self.ignore)
        candidate = Path(file)
        try:
            relative = os.path.relpath(candidate.resolve(), (self.path or Path.cwd()).parent.resolve())
        except ValueError:
            relative = str(candidate)
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(candidate.name, pattern) \
                    or fnmatch.fnmatch(str(candidate), pattern):
                out.extend(codes)
        return out


def find_config(start: str | os.PathLike | None = None) -> LintConfig:
    """The settings of the nearest ``pyproject.toml`` with a ``[tool.asl]`` table (defaults if none)."""
    directory = Path(start or os.getcwd()).resolve()
    for candidate in (directory, *directory.parents):
        pyproject = candidate / "pyproject.toml"
        try:
            text = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "[tool.asl" in text:
            return load_config(pyproject, text)
    return LintConfig()


def load_config(pyproject: Path, text: str | None = None) -> LintConfig:
    import tomllib

    try:
        data = tomllib.loads(text if text is not None else pyproject.read_text(encoding="utf-8"))
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


def _codes(value: Any, key: str, pyproject: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{pyproject}: {key} must be a list of rule codes, names or prefixes")
    return [v.strip() for v in value if v.strip()]
