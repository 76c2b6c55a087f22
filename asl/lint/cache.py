"""A cache of lint results for ``asl lint``, keyed by file content (as ruff's and eslint's caches).

Linting a file again that has not changed since the last run — the common case in ``asl lint .``
over a repository, and in CI with a restored cache — costs one read and one hash instead of a parse,
a lint and, for some files, importing the JSONata, JSONPath and intrinsic parsers.

Correctness first: an entry is used only when all of these are the same as when it was stored —

* the file's bytes (BLAKE2b of the content),
* the lint options for that file (select, ignore including per-file ignores, workflow type),
* aslkit itself: the version and a fingerprint of every module of the ``asl`` package (path, size,
  modification time), so an upgrade or a local edit of aslkit starts a fresh cache.

Only plain definition files are cached (a CloudFormation template may pull its definition from
another file through ``DefinitionUri``). Entries live in one shard per linted directory
(``marshal`` data: the fastest format to load; the fingerprint includes the Python version that wrote
it): a run loads only the shards of the directories it lints (a pre-commit run on one file stays as
fast in a repository with thousands of definitions), and shards are written atomically (temporary
file + rename), so concurrent runs (pre-commit runs hooks in parallel) never read a half-written one
— at worst one run's new entries are lost. Location: ``$ASL_CACHE_DIR``, else
``$XDG_CACHE_HOME/aslkit``, else ``~/.cache/aslkit``; ``asl lint --no-cache`` or ``ASL_NO_CACHE=1``
turns it off. Entries of other aslkit versions are removed when a run stores new entries.
"""
from __future__ import annotations

import json
import marshal
import os
import sys
from typing import Any, Iterable

from .._resources import cache_directory
from ..diagnostics import Diagnostic

try:                      # the BLAKE2 module alone: hashlib would also load OpenSSL (~2 ms at start-up)
    from _blake2 import blake2b
except ImportError:       # pragma: no cover - every CPython has it
    from hashlib import blake2b

FORMAT = 4           # entries are marshal data (fast to load; the fingerprint includes the Python version)
MAX_SHARD_ENTRIES = 10000
_FIELDS = ("code", "message", "pointer", "severity", "name", "line", "column", "aws_code")


def enabled() -> bool:
    return os.environ.get("ASL_NO_CACHE", "").strip().lower() in ("", "0", "false", "no")


def code_fingerprint() -> str:
    """Version plus (path, size, mtime) of every module of the installed/working ``asl`` package."""
    from .. import __version__

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    digest = blake2b(f"{FORMAT}:{__version__}:{sys.version}:{package}".encode(), digest_size=16)
    for root, directories, files in os.walk(package):
        directories[:] = sorted(d for d in directories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".lark")):
                stat = os.stat(os.path.join(root, name))
                digest.update(f"{root}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


class LintCache:
    """Diagnostics by (content, options) key, in one small shard file per linted directory."""

    def __init__(self, base: str, fingerprint: str):
        self.base = base
        self.fingerprint = fingerprint
        self.directory = os.path.join(base, fingerprint)
        self._shards: dict[str, dict] = {}
        self._names: dict[str, str] = {}           # directory as given -> shard name
        self._dirty: set[str] = set()

    @classmethod
    def open(cls) -> "LintCache | None":
        """The cache for this aslkit, or None when caching is off or aslkit's files cannot be read."""
        if not enabled():
            return None
        try:
            return cls(cache_directory(), code_fingerprint())
        except OSError:
            return None

    @staticmethod
    def options_key(options: Any) -> bytes:
        """The bytes that stand for a set of lint options in an entry's key."""
        return b"\0" + json.dumps(options, sort_keys=True).encode()

    @staticmethod
    def key(content: bytes, options: Any) -> str:
        digest = blake2b(content, digest_size=20)
        digest.update(options if isinstance(options, bytes) else LintCache.options_key(options))
        return digest.hexdigest()

    def _shard(self, path: str | None) -> tuple[str, dict]:
        """The entries of the directory ``path`` is in (loaded on first use)."""
        folder = os.path.dirname(path or "")
        name = self._names.get(folder)
        if name is None:
            absolute = os.path.abspath(folder or ".")
            name = self._names[folder] = blake2b(absolute.encode("utf-8", "surrogatepass"),
                                                 digest_size=12).hexdigest()
        shard = self._shards.get(name)
        if shard is None:
            try:
                with open(os.path.join(self.directory, name), "rb") as handle:
                    shard = marshal.loads(handle.read())
                if not isinstance(shard, dict):
                    shard = {}
            except (OSError, ValueError, TypeError, EOFError):
                shard = {}
            self._shards[name] = shard
        return name, shard

    def get(self, key: str, path: str | None) -> list[Diagnostic] | None:
        stored = self._shard(path)[1].get(key)
        if stored is None:
            return None
        try:
            return [Diagnostic(item[0], item[1], item[2], item[3], item[4], item[5], item[6], path, item[7])
                    for item in stored]
        except (TypeError, IndexError):
            return None

    def put(self, key: str, diagnostics: Iterable[Diagnostic], path: str | None) -> None:
        name, shard = self._shard(path)
        shard[key] = tuple(tuple(getattr(d, f) for f in _FIELDS) for d in diagnostics)
        self._dirty.add(name)

    def save(self) -> None:
        """Write the shards that changed (atomically: temporary file + rename)."""
        if not self._dirty:
            return
        try:
            self._remove_stale()
            os.makedirs(self.directory, exist_ok=True)
            for name in self._dirty:
                shard = self._shards[name]
                if len(shard) > MAX_SHARD_ENTRIES:           # keep the newest entries
                    shard = dict(list(shard.items())[-MAX_SHARD_ENTRIES // 2:])
                target = os.path.join(self.directory, name)
                temporary = f"{target}.{os.getpid()}.tmp"
                with open(temporary, "wb") as handle:
                    handle.write(marshal.dumps(shard))
                os.replace(temporary, target)
        except (OSError, ValueError):
            pass                                   # a read-only cache location: lint works, only uncached
        self._dirty.clear()

    def _remove_stale(self) -> None:
        """Delete the entries of other aslkit fingerprints (older versions, earlier local edits)."""
        try:
            names = os.listdir(self.base)
        except OSError:
            return
        stale = [n for n in names if n != self.fingerprint and len(n) == 32 and all(c in "0123456789abcdef" for c in n)]
        if stale:
            import shutil

            for name in stale:
                shutil.rmtree(os.path.join(self.base, name), ignore_errors=True)
