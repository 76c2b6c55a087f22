"""Output formats of ``asl lint``: text, json, sarif, github.

Every reporter takes the results as ``[(path, text, diagnostics)]`` (``text`` is the file's text, for
the source excerpt; None when unknown) and returns one string, written at once. Headers and footers
exist only in the human-readable text format.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from ..diagnostics import ERROR, WARNING, Diagnostic

Result = tuple[str, "str | None", Sequence[Diagnostic]]
FORMATS = ("text", "json", "sarif", "github")


def render(output_format: str, results: Sequence[Result], *, show_source: bool = True, color: bool = False) -> str:
    if output_format == "json":
        return render_json(results)
    if output_format == "sarif":
        return render_sarif(results)
    if output_format == "github":
        return render_github(results)
    return render_text(results, show_source=show_source, color=color)


def render_text(results: Sequence[Result], *, show_source: bool = True, color: bool = False) -> str:
    """``path:line:col: CODE [name] message``, then the source line and a caret under the column."""
    out: list[str] = []
    errors = warnings = files = 0
    bold, red, yellow, dim, reset = ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m") if color else (
        "", "", "", "", "")
    for path, text, diagnostics in results:
        if not diagnostics:
            continue
        files += 1
        # JSON/YAML lines end at \n only (str.splitlines would also split at \x1c, \u2028 ...)
        lines = [ln.rstrip("\r") for ln in text.split("\n")] if (show_source and text) else None
        for d in diagnostics:
            errors += d.severity == ERROR
            warnings += d.severity == WARNING
            line, column = d.line or 1, d.column or 1
            tint = red if d.severity == ERROR else yellow     # the colour tells errors from warnings
            out.append(f"{bold}{d.path or path}:{line}:{column}:{reset} {tint}{d.code}{reset} [{d.name}] {d.message}")
            if lines is not None and 0 < line <= len(lines):
                source = lines[line - 1].expandtabs(1)
                if len(source) > 200:
                    start = max(0, column - 80)
                    source, column = source[start:start + 160], column - start
                out.append(f"  {dim}{source}{reset}")
                out.append("  " + " " * max(0, column - 1) + f"{tint}^{reset}")
    if errors or warnings:
        parts = [f"{errors} error{'s' * (errors != 1)}"] + ([f"{warnings} warning{'s' * (warnings != 1)}"]
                                                            if warnings else [])
        out.append(f"Found {', '.join(parts)} in {files} file{'s' * (files != 1)}.")
    return "\n".join(out) + ("\n" if out else "")


def _as_dict(d: Diagnostic, path: str) -> dict[str, Any]:
    return {"path": d.path or path, "line": d.line, "column": d.column, "code": d.code, "name": d.name,
            "severity": d.severity, "message": d.message, "pointer": d.pointer, "aws_code": d.aws_code}


def render_json(results: Sequence[Result]) -> str:
    return json.dumps([_as_dict(d, path) for path, _text, diags in results for d in diags], indent=2) + "\n"


def render_github(results: Sequence[Result]) -> str:
    """GitHub Actions workflow commands: annotations on the pull request's diff."""
    out = []
    for path, _text, diagnostics in results:
        for d in diagnostics:
            level = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
            message = _escape_data(f"{d.message} [{d.name}]")
            out.append(f"::{level} file={_escape_property(d.path or path)},line={d.line or 1},col={d.column or 1},"
                       f"title={_escape_property(f'asl ({d.code})')}::{message}")
    return "\n".join(out) + ("\n" if out else "")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_sarif(results: Sequence[Result]) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards."""
    from .. import __version__
    from .registry import RULES

    used = sorted({d.code for _p, _t, diags in results for d in diags})
    index = {code: i for i, code in enumerate(used)}
    rules = []
    for code in used:
        rule = RULES.get(code)
        rules.append({
            "id": code,
            "name": rule.name if rule else code,
            "shortDescription": {"text": rule.summary() if rule else code},
            "defaultConfiguration": {"level": _level(rule.severity if rule else ERROR)},
            "help": {"text": f"asl rules {code}  (docs/rules.md#{code.lower()})"},
        })
    sarif_results = []
    for path, _text, diagnostics in results:
        for d in diagnostics:
            sarif_results.append({
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(d.path or path)},
                        "region": {"startLine": d.line or 1, "startColumn": d.column or 1},
                    },
                    "logicalLocations": [{"fullyQualifiedName": d.pointer or "/", "kind": "member"}],
                }],
                "properties": {"name": d.name, "pointer": d.pointer, "awsCode": d.aws_code},
            })
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "aslkit", "version": __version__, "rules": rules}},
            "results": sarif_results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"


def _level(severity: str) -> str:
    return {"error": "error", "warning": "warning"}.get(severity, "note")


def _uri(path: str) -> str:
    return path.replace("\\", "/")


def summary_counts(results: Iterable[Result]) -> tuple[int, int]:
    errors = warnings = 0
    for _p, _t, diags in results:
        for d in diags:
            errors += d.severity == ERROR
            warnings += d.severity == WARNING
    return errors, warnings
