"""In-memory AWS services for local runs: Lambda, SQS, SNS, EventBridge, API Gateway, callbacks.

Everything here is deterministic and driven by one :class:`~asl.services.scheduler.Scheduler` on an
injected clock: a delayed SQS delivery, an async Lambda retry or a callback deadline is a timed entry in
the scheduler, never a sleeping thread. The Task-facing adapters live in :mod:`asl.resolvers`.
"""
