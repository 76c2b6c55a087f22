"""Shapes Step Functions wraps around service responses and errors (shared by the local resolvers).

* Optimized integrations return the API response plus ``SdkHttpMetadata`` / ``SdkResponseMetadata``
  (the Java SDK's view of the HTTP exchange).
* API errors surface as ``<Service>.<ExceptionName>`` with the Java SDK's cause text
  ``"<message> (Service: AWSLambda; Status Code: 404; Error Code: X; Request ID: R; Proxy: null)"``.

Header values that vary per request on AWS (Date, trace id, request id) make local outputs impossible to
diff. ``metadata="normalized"`` (the default) writes them as the stable tokens AWS snapshot tests
normalise them to — the name of the header — which is what the recorded AWS corpus compares against;
``metadata="aws"`` writes values shaped like a live response (lists in ``AllHttpHeaders``, an RFC 1123
date from the clock, the seeded request id).
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from ..errors import TaskFailed
from ..runtime import clock as clocks

NORMALIZED = "normalized"
LIVE = "aws"

_VARYING = ("Date", "X-Amzn-Trace-Id", "x-amzn-RequestId")


def sdk_metadata(headers: Mapping[str, str], *, request_id: str, status: int = 200, mode: str = NORMALIZED,
                 clock: Any = None) -> dict:
    """``{"SdkHttpMetadata": ..., "SdkResponseMetadata": ...}`` for ``headers`` (wire order kept)."""
    all_headers: dict[str, Any] = {}
    flat: dict[str, str] = {}
    for name, value in headers.items():
        if name in _VARYING:
            if mode == LIVE:
                live = {"Date": clocks.rfc1123(clocks.now_of(clock)),
                        "X-Amzn-Trace-Id": f"Root=1-{request_id[:8]}-{request_id.replace('-', '')[8:32]}",
                        "x-amzn-RequestId": request_id}[name]
                all_headers[name] = [live]
                flat[name] = live
            else:
                token = "date" if name == "Date" else name
                all_headers[name] = token
                flat[name] = token
        else:
            all_headers[name] = [value]
            flat[name] = value
    return {
        "SdkHttpMetadata": {
            "AllHttpHeaders": all_headers,
            "HttpHeaders": dict(sorted(flat.items(), key=lambda kv: kv[0].lower())),
            "HttpStatusCode": status,
        },
        "SdkResponseMetadata": {"RequestId": request_id if mode == LIVE else "RequestId"},
    }


def sdk_cause(message: str, *, service: str, status: int, code: str, request_id: str) -> str:
    """The Java SDK's exception text Step Functions puts in a task failure's cause."""
    return (f"{message} (Service: {service}; Status Code: {status}; Error Code: {code}; "
            f"Request ID: {request_id}; Proxy: null)")


def compact(value: Any) -> str:
    """JSON text as Step Functions writes it (no spaces, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_or_text(text: str) -> Any:
    """A response body as Step Functions shows it: the JSON value when it parses, else the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def lambda_function_failure(payload: bytes, *, reserialised: bool) -> TaskFailed:
    """A Lambda function error as Step Functions reports it: named by the payload's ``errorType``
    (``Lambda.Unknown`` without one); the cause is the payload as Lambda returned it (function ARN
    resources) or, ``reserialised``, written again compactly (``lambda:invoke``)."""
    text = payload.decode("utf-8", "replace")
    try:
        document = json.loads(payload)
    except ValueError:
        document = None
    error_type = document.get("errorType") if isinstance(document, dict) else None
    cause = compact(document) if (reserialised and document is not None) else text
    if not isinstance(error_type, str) or not error_type:
        return TaskFailed("Lambda.Unknown", "The cause could not be determined because Lambda did not return an "
                                            f"error type. Returned payload: {cause}")
    return TaskFailed(error_type, cause)


def execution_arns(context: Mapping[str, Any] | None) -> list[str]:
    """The running execution's and state machine's ARNs (what ``events:putEvents`` adds to Resources)."""
    out = []
    if isinstance(context, Mapping):
        for section in ("Execution", "StateMachine"):
            node = context.get(section)
            arn = node.get("Id") if isinstance(node, Mapping) else None
            if isinstance(arn, str) and arn:
                out.append(arn)
    return out


def context_arn_parts(context: Mapping[str, Any] | None) -> tuple[str | None, str | None, str | None]:
    """(partition, region, account) of the running state machine, from the context object."""
    if not isinstance(context, Mapping):
        return None, None, None
    for section in ("StateMachine", "Execution"):
        node = context.get(section)
        arn = node.get("Id") if isinstance(node, Mapping) else None
        if isinstance(arn, str) and arn.startswith("arn:"):
            parts = arn.split(":")
            if len(parts) > 4:
                return parts[1] or None, parts[3] or None, parts[4] or None
    return None, None, None
