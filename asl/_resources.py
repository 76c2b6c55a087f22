"""Locate the data files aslkit ships (the ``.lark`` grammars) and the per-user cache directory.

The grammars live in the repository's top-level ``grammar/`` folder (the design fixes that layout) and
the wheel force-includes that folder as ``asl/grammar``. So an installed package finds them next to its
modules, while a source checkout finds them one level up. Both are plain files in every ordinary
installation and are read directly (``importlib.resources`` and ``pathlib`` cost a few milliseconds of
start-up); ``importlib.resources`` is the fallback that keeps zip imports working.

The cache directory holds what is expensive to rebuild and cheap to keep: the lint result cache
(:mod:`asl.lint.cache`) and the built parser tables of the grammars (:func:`parser_cache_file`).
"""
from __future__ import annotations

import functools
import os
import sys

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


class ResourceNotFound(FileNotFoundError):
    """A data file aslkit needs is missing from the installation."""


@functools.cache
def grammar_text(name: str) -> str:
    """The text of ``grammar/<name>``: from the installed package first, else from the source tree."""
    for folder in (os.path.join(_PACKAGE, "grammar"), os.path.join(os.path.dirname(_PACKAGE), "grammar")):
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                return handle.read()
        except OSError:
            continue
    try:                                            # a zip import: no plain files to open
        from importlib import resources

        packaged = resources.files("asl").joinpath("grammar").joinpath(name)
        if packaged.is_file():
            return packaged.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError):  # pragma: no cover
        pass
    raise ResourceNotFound(f"grammar {name!r} is missing: neither asl/grammar/ nor grammar/ holds it")


def cache_directory() -> str:
    """``$ASL_CACHE_DIR``, else ``$XDG_CACHE_HOME/aslkit``, else ``~/.cache/aslkit``."""
    explicit = os.environ.get("ASL_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "aslkit")


def parser_cache_file(grammar: str) -> str | None:
    """Where the built parser of ``grammar`` is kept between processes (``<cache>/parsers/``), or None
    when that directory cannot be created (a read-only home: the parser is then built in each process).

    Building an LALR parser from a grammar costs more than a whole lint run; loading the built tables
    costs about a millisecond. The file holds a digest of the grammar, the parser options, lark's
    version and Python's, and lark rebuilds (and rewrites) it when any of them differ, so the file name
    only needs to keep Pythons apart (their pickles differ) — an aslkit upgrade reuses the name."""
    directory = os.path.join(cache_directory(), "parsers")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return None
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(directory, f"{grammar.rsplit('.', 1)[0]}-{version}.lark-cache")
