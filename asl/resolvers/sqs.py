"""``arn:aws:states:::sqs:sendMessage[.waitForTaskToken]`` against the in-memory SQS.

``MessageBody`` given as a JSON object or array is serialised by Step Functions; the result is the
SendMessage response plus the SDK metadata. Errors are ``SQS.<Exception>`` (``SQS.AmazonSQSException``
for unmodelled codes such as ``MissingParameter``) with the SDK's cause text.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import TaskFailed
from ..services.errors import ServiceError
from ..services.sqs import SqsService
from . import _aws
from ._integration import ServiceResolver, service_failure
from .base import TaskRequest


class SqsResolver(ServiceResolver):
    service_name = "sqs"
    actions = frozenset({"sendMessage"})
    service: SqsService

    def call(self, request: TaskRequest, clock: Any) -> Any:
        params = self.parameters(request)
        request_id = self.service.new_uuid()
        body = params.get("MessageBody")
        if body is not None and not isinstance(body, str):
            body = _aws.compact(body)
        try:
            response = self.service.send_message(
                str(params.get("QueueUrl") or ""), body,
                attributes=params.get("MessageAttributes"),
                delay=params.get("DelaySeconds"),
                group_id=params.get("MessageGroupId"),
                dedup_id=params.get("MessageDeduplicationId"),
                system_attributes=params.get("MessageSystemAttributes"))
        except ServiceError as exc:
            raise service_failure(exc, request_id) from None
        except (TypeError, ValueError) as exc:
            raise TaskFailed("SQS.AmazonSQSException", str(exc)) from None
        text = json.dumps(response)
        headers = {"x-amzn-RequestId": request_id, "Date": "", "Content-Type": "text/xml",
                   "Content-Length": str(len(text))}
        return {**response, **self.metadata_for(headers, request_id, clock)}
