"""Import jsonata-python without its global side effect.

Importing ``jsonata`` runs ``sys.setrecursionlimit(10000)`` (to mimic JavaScript's stack). That changes
the user's whole process, which a library must not do (STYLE.md: no global side effects). aslkit bounds
expression nesting itself (100 levels, AWS's limit) and turns a RecursionError into an ASL error, so the
interpreter's default limit is enough: the previous limit is restored right after the import.
"""
from __future__ import annotations

import sys

_limit = sys.getrecursionlimit()
try:
    import jsonata  # noqa: F401  (the import is the point)
    from jsonata import Jsonata
    from jsonata.functions import Functions
    from jsonata.jexception import JException
    from jsonata.parser import Parser
    from jsonata.regex_engine import default_regex_engine
    from jsonata.utils import Utils
finally:
    sys.setrecursionlimit(_limit)

__all__ = ["Jsonata", "Functions", "JException", "Parser", "default_regex_engine", "Utils"]
