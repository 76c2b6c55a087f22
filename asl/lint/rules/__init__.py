"""The rule families, in the order they run. Importing this package registers every rule."""
from __future__ import annotations

from . import structure, paths, errors, resources, jsonata, graph, meta  # noqa: F401  (registration)
from . import walk, variables

#: the checkers: the schema walk (fields of every construct, most families), the state graph, the
#: variable scopes (facts the walk collected)
FAMILIES = (walk.check, graph.check, variables.check)
