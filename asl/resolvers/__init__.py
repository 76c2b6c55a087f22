"""Task resolvers: the services a Task state talks to (local, mocked or real)."""
from .base import ResolverRegistry, ResourceInfo, TaskRequest, TaskResolver, parse_resource

__all__ = ["ResolverRegistry", "ResourceInfo", "TaskRequest", "TaskResolver", "parse_resource"]
