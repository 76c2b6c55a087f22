"""``arn:aws:states:::sns:publish[.waitForTaskToken]`` against the in-memory SNS.

``Message`` given as JSON is serialised by Step Functions; ``TopicArn`` or ``TargetArn`` names the topic.
The result is ``{MessageId[, SequenceNumber]}`` plus the SDK metadata; errors are ``SNS.<Exception>``
(``SNS.NotFoundException``, ``SNS.InvalidParameterException``) with the SDK's cause text.
"""
from __future__ import annotations

import json
from typing import Any

from ..services.errors import ServiceError
from ..services.sns import SnsService
from . import _aws
from ._integration import ServiceResolver, service_failure
from .base import TaskRequest


class SnsResolver(ServiceResolver):
    service_name = "sns"
    actions = frozenset({"publish"})
    service: SnsService

    def call(self, request: TaskRequest, clock: Any) -> Any:
        params = self.parameters(request)
        request_id = self.service.new_uuid()
        message = params.get("Message")
        if message is not None and not isinstance(message, str):
            message = _aws.compact(message)
        topic = params.get("TopicArn") or params.get("TargetArn")
        try:
            if not topic:
                raise ServiceError("sns", "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: no "
                                                              "value for required parameter", 400,
                                   "InvalidParameterException")
            response = self.service.publish(
                str(topic), message, subject=params.get("Subject"), attributes=params.get("MessageAttributes"),
                message_structure=params.get("MessageStructure"), group_id=params.get("MessageGroupId"),
                dedup_id=params.get("MessageDeduplicationId"))
        except ServiceError as exc:
            raise service_failure(exc, request_id) from None
        headers = {"x-amzn-RequestId": request_id, "Date": "", "Content-Type": "text/xml",
                   "Content-Length": str(len(json.dumps(response)))}
        return {**response, **self.metadata_for(headers, request_id, clock)}
