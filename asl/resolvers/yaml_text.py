"""YAML as aslkit's own files are read (environment files, ``asl test`` suite files): PyYAML's safe
loader without its timestamp resolver, so ``2024-01-01T00:00:00Z`` stays the string ASL needs (a
``datetime`` in a definition, a mock response or an input is not JSON)."""
from __future__ import annotations

import functools
from typing import Any


def load_yaml(text: str) -> Any:
    """``text`` decoded like ``yaml.safe_load``, timestamps kept as strings; raises ``yaml.YAMLError``."""
    import yaml

    return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass


@functools.cache
def _loader() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader
