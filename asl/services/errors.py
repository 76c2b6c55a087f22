"""The one error type the in-memory services raise: an AWS API error with its code and HTTP status."""
from __future__ import annotations


class ServiceError(Exception):
    """An API call refused the way AWS refuses it.

    ``code`` is the wire error code (``QueueDoesNotExist``, ``InvalidParameterValue``, ``NotFound``...),
    ``exception`` the SDK exception name Step Functions prefixes with the service
    (``SQS.AmazonSQSException``, ``SNS.NotFoundException``...).
    """

    def __init__(self, service: str, code: str, message: str, status: int = 400, exception: str | None = None):
        super().__init__(f"{code}: {message}")
        self.service = service
        self.code = code
        self.message = message
        self.status = status
        self.exception = exception or code
