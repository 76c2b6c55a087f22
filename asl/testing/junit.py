"""JUnit XML for CI systems (the dialect pytest writes: ``testsuites > testsuite > testcase``).

One ``testsuite`` per suite file, one ``testcase`` per case; a failed expectation is a ``failure``, a
case that could not run (bad mock, missing handler, invalid definition) an ``error``.
"""
from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections import OrderedDict
from datetime import datetime, timezone
from typing import Iterable

from .suite import CaseResult


def junit_xml(results: Iterable[CaseResult], *, name: str = "asl test") -> str:
    results = list(results)
    by_suite: "OrderedDict[str, list[CaseResult]]" = OrderedDict()
    for result in results:
        by_suite.setdefault(result.suite, []).append(result)
    root = ET.Element("testsuites", name=name, tests=str(len(results)),
                      failures=str(sum(r.outcome == "failed" for r in results)),
                      errors=str(sum(r.outcome == "error" for r in results)),
                      skipped=str(sum(r.outcome == "skipped" for r in results)),
                      time=f"{sum(r.seconds for r in results):.3f}")
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")   # when the report was made: real time
    for suite, cases in by_suite.items():
        element = ET.SubElement(root, "testsuite", name=suite, tests=str(len(cases)),
                                failures=str(sum(r.outcome == "failed" for r in cases)),
                                errors=str(sum(r.outcome == "error" for r in cases)),
                                skipped=str(sum(r.outcome == "skipped" for r in cases)),
                                time=f"{sum(r.seconds for r in cases):.3f}", timestamp=stamp,
                                hostname=socket.gethostname())
        for case in cases:
            testcase = ET.SubElement(element, "testcase", classname=suite, name=case.name,
                                     time=f"{case.seconds:.3f}")
            if case.outcome == "skipped":
                ET.SubElement(testcase, "skipped", message=case.skipped or "skipped")
            elif case.outcome == "error":
                node = ET.SubElement(testcase, "error", message=_first_line(case.error))
                node.text = case.error
            elif case.outcome == "failed":
                text = "\n\n".join(case.failures)
                node = ET.SubElement(testcase, "failure", message=_first_line(case.failures[0]))
                node.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _first_line(text: str | None) -> str:
    return (text or "").splitlines()[0][:200] if text else ""
