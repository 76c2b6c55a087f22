"""Locate the data files aslkit ships: the ``.lark`` grammars.

The grammars live in the repository's top-level ``grammar/`` folder (the design fixes that layout) and
the wheel force-includes that folder as ``asl/grammar``. So an installed package finds them next to its
modules, while a source checkout finds them one level up. ``importlib.resources`` keeps this working
from zip imports too.
"""
from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


class ResourceNotFound(FileNotFoundError):
    """A data file aslkit needs is missing from the installation."""


@functools.cache
def grammar_text(name: str) -> str:
    """The text of ``grammar/<name>``: from the installed package first, else from the source tree."""
    try:
        packaged = resources.files("asl").joinpath("grammar").joinpath(name)
        if packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):  # pragma: no cover - odd installs
        pass
    in_repo = Path(__file__).resolve().parent.parent / "grammar" / name
    if in_repo.is_file():
        return in_repo.read_text(encoding="utf-8")
    raise ResourceNotFound(f"grammar {name!r} is missing: neither asl/grammar/ nor grammar/ holds it")
