"""Finding Python Lambda handlers: callables, ``module:function`` / ``file.py:function`` specs, folders.

A folder of handler files maps each ``<name>.py`` that defines ``handler`` (or ``lambda_handler``) to a
function called ``<name>``: the way people lay out small serverless projects.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path
from typing import Any, Callable

HANDLER_NAMES = ("handler", "lambda_handler")


class HandlerNotFound(ValueError):
    """A handler spec that does not name an importable callable."""


def load_handler(spec: Any, *, base_dir: str | os.PathLike | None = None) -> Callable[[Any, Any], Any]:
    """A callable from ``spec``: a callable, ``"pkg.module:function"``, ``"path/file.py:function"``,
    ``"module.function"`` (Lambda's own handler notation) or a file path (its ``handler``)."""
    if callable(spec):
        return spec
    if not isinstance(spec, str) or not spec.strip():
        raise HandlerNotFound(f"not a handler: {spec!r}")
    text = spec.strip()
    target, _, attr = text.rpartition(":") if ":" in text and not _is_windows_drive(text) else (text, "", "")
    if not target:
        target, attr = attr, ""
    path = Path(target)
    if base_dir is not None and not path.is_absolute():
        path = Path(base_dir) / path
    if target.endswith(".py") or path.is_file():
        module = _load_file(path)
        return _pick(module, attr, spec)
    if not attr and "." in target:
        target, attr = target.rsplit(".", 1)
    if base_dir is not None and str(base_dir) not in sys.path:
        sys.path.insert(0, str(base_dir))
    try:
        module = importlib.import_module(target)
    except ImportError as exc:
        raise HandlerNotFound(f"cannot import {target!r} for handler {spec!r}: {exc}") from None
    return _pick(module, attr, spec)


def load_folder(folder: str | os.PathLike) -> dict[str, Callable[[Any, Any], Any]]:
    """``{file stem: handler}`` for every ``*.py`` in ``folder`` that defines a handler function."""
    handlers: dict[str, Callable[[Any, Any], Any]] = {}
    for path in sorted(Path(folder).glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = _load_file(path)
        for name in HANDLER_NAMES:
            fn = getattr(module, name, None)
            if callable(fn):
                handlers[path.stem] = fn
                break
    return handlers


def _is_windows_drive(text: str) -> bool:
    return len(text) > 2 and text[1] == ":" and text[2] in "\\/" and text.count(":") == 1


def _load_file(path: Path) -> Any:
    path = Path(path)
    if not path.is_file():
        raise HandlerNotFound(f"handler file not found: {path}")
    name = f"asl_handler_{abs(hash(str(path.resolve())))}_{path.stem}"
    if name in sys.modules:
        return sys.modules[name]
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise HandlerNotFound(f"cannot load handler file {path}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # a broken handler file is a configuration error, not a crash
        del sys.modules[name]
        raise HandlerNotFound(f"handler file {path} failed to import: {type(exc).__name__}: {exc}") from None
    return module


def _pick(module: Any, attr: str, spec: Any) -> Callable[[Any, Any], Any]:
    names = [attr] if attr else list(HANDLER_NAMES)
    for name in names:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    raise HandlerNotFound(f"no callable {' or '.join(names)!s} in {getattr(module, '__name__', module)} for {spec!r}")
