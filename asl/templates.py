"""State machines inside CloudFormation and SAM templates.

A template is recognised by ``AWSTemplateFormatVersion``, ``Transform`` or a ``Resources`` section with an
``AWS::StepFunctions::StateMachine`` / ``AWS::Serverless::StateMachine``. Each such resource becomes one
:class:`asl.source.Document`, taken from

* ``Definition`` (an object; its pointers map straight into the template's nodes),
* ``DefinitionString`` (a string, ``Fn::Sub`` or ``Fn::Join``; positions map line by line into a YAML
  literal block ``|``, otherwise to the string itself),
* ``DefinitionUri`` (SAM; a local file relative to the template -- positions are in that file),

with ``DefinitionSubstitutions`` applied to ``${Name}`` placeholders the way CloudFormation does.

Intrinsic functions are resolved locally to *plausible* values, because a linter must see what AWS would
see after deployment, without deploying: ``!GetAtt Fn.Arn`` becomes a Lambda function ARN shaped like the
real one, ``!Ref Queue`` a queue URL, pseudo parameters fixed example values, parameters their ``Default``.
A placeholder only has to look like the real thing, so that no rule fires on it falsely.
"""
from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

from .diagnostics import ERROR, WARNING, pointer_join
from .source import (
    MAX_DEFINITION_BYTES,
    Document,
    _diagnostic,
    _json_size,
    _MappedPositions,
    _PrefixPositions,
    _too_large,
    parse_text,
    read,
)

__all__ = ["STATE_MACHINE_TYPES", "is_template", "extract", "IntrinsicResolver", "substitute_text",
           "substitute_value"]

STATE_MACHINE_TYPES = frozenset({"AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"})

REGION = "us-east-1"
ACCOUNT = "123456789012"
PARTITION = "aws"
STACK = "aslkit-stack"
_NO_VALUE = object()          # Ref AWS::NoValue: the member disappears

PSEUDO_PARAMETERS: dict[str, Any] = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::Partition": PARTITION,
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": STACK,
    "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/"
                    "00000000-0000-0000-0000-000000000000",
    "AWS::NotificationARNs": [],
    "AWS::NoValue": _NO_VALUE,
}

# What GetAtt X.Arn looks like for each resource type ({id}: logical id, {lower}: lower-cased).
_ARNS = {
    "AWS::Lambda::Function": "arn:{p}:lambda:{r}:{a}:function:{id}",
    "AWS::Serverless::Function": "arn:{p}:lambda:{r}:{a}:function:{id}",
    "AWS::Lambda::Alias": "arn:{p}:lambda:{r}:{a}:function:{id}:live",
    "AWS::Lambda::Version": "arn:{p}:lambda:{r}:{a}:function:{id}:1",
    "AWS::SQS::Queue": "arn:{p}:sqs:{r}:{a}:{id}",
    "AWS::SNS::Topic": "arn:{p}:sns:{r}:{a}:{id}",
    "AWS::StepFunctions::StateMachine": "arn:{p}:states:{r}:{a}:stateMachine:{id}",
    "AWS::Serverless::StateMachine": "arn:{p}:states:{r}:{a}:stateMachine:{id}",
    "AWS::StepFunctions::Activity": "arn:{p}:states:{r}:{a}:activity:{id}",
    "AWS::DynamoDB::Table": "arn:{p}:dynamodb:{r}:{a}:table/{id}",
    "AWS::Serverless::SimpleTable": "arn:{p}:dynamodb:{r}:{a}:table/{id}",
    "AWS::S3::Bucket": "arn:{p}:s3:::{lower}",
    "AWS::Events::EventBus": "arn:{p}:events:{r}:{a}:event-bus/{id}",
    "AWS::Events::Rule": "arn:{p}:events:{r}:{a}:rule/{id}",
    "AWS::IAM::Role": "arn:{p}:iam::{a}:role/{id}",
    "AWS::ECS::Cluster": "arn:{p}:ecs:{r}:{a}:cluster/{id}",
    "AWS::ECS::TaskDefinition": "arn:{p}:ecs:{r}:{a}:task-definition/{id}:1",
    "AWS::Batch::JobQueue": "arn:{p}:batch:{r}:{a}:job-queue/{id}",
    "AWS::Batch::JobDefinition": "arn:{p}:batch:{r}:{a}:job-definition/{id}:1",
    "AWS::SecretsManager::Secret": "arn:{p}:secretsmanager:{r}:{a}:secret:{id}",
    "AWS::Kinesis::Stream": "arn:{p}:kinesis:{r}:{a}:stream/{id}",
}
# Types whose Ref is their ARN (most others' Ref is a name).
_REF_IS_ARN = frozenset({
    "AWS::SNS::Topic", "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine",
    "AWS::StepFunctions::Activity", "AWS::ECS::TaskDefinition", "AWS::Batch::JobQueue",
    "AWS::Batch::JobDefinition", "AWS::SecretsManager::Secret", "AWS::Lambda::Version", "AWS::Lambda::Alias",
})
# For a name we know nothing about (a parameter without Default, a GetAtt on a missing resource).
_NAME_HINTS = [
    (re.compile(r"statemachine|workflow", re.I), "AWS::StepFunctions::StateMachine"),
    (re.compile(r"activity", re.I), "AWS::StepFunctions::Activity"),
    (re.compile(r"function|lambda|handler|fn", re.I), "AWS::Lambda::Function"),
    (re.compile(r"queue|sqs", re.I), "AWS::SQS::Queue"),
    (re.compile(r"topic|sns", re.I), "AWS::SNS::Topic"),
    (re.compile(r"table|dynamo", re.I), "AWS::DynamoDB::Table"),
    (re.compile(r"bucket|s3", re.I), "AWS::S3::Bucket"),
    (re.compile(r"bus|event", re.I), "AWS::Events::EventBus"),
    (re.compile(r"role", re.I), "AWS::IAM::Role"),
    (re.compile(r"secret", re.I), "AWS::SecretsManager::Secret"),
    (re.compile(r"cluster", re.I), "AWS::ECS::Cluster"),
    (re.compile(r"stream|kinesis", re.I), "AWS::Kinesis::Stream"),
]
_NAME_ATTRIBUTES = frozenset({"Name", "QueueName", "TopicName", "FunctionName", "TableName", "StateMachineName",
                              "BucketName", "EventBusName", "RoleName", "ClusterName"})
_PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


def is_template(value: Any) -> bool:
    """Whether a parsed document is a CloudFormation/SAM template rather than a state machine definition."""
    if type(value) is not dict or "States" in value or "StartAt" in value:
        return False
    if "AWSTemplateFormatVersion" in value or "Transform" in value:
        return True
    resources = value.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES for resource in resources.values())


def _to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None or value is _NO_VALUE:
        return ""
    if isinstance(value, list):
        return ",".join(_to_string(item) for item in value)
    return json.dumps(value, separators=(",", ":"))


class IntrinsicResolver:
    """Evaluates CloudFormation intrinsic functions of one template to plausible local values."""

    def __init__(self, template: dict):
        def section(name: str) -> dict:
            value = template.get(name)
            return value if isinstance(value, dict) else {}

        self.parameters = section("Parameters")
        self.mappings = section("Mappings")
        self.conditions = section("Conditions")
        self.resources = section("Resources")
        self._truths: dict[str, bool] = {}
        self._functions = {
            "Fn::GetAtt": self._get_att, "Fn::Sub": self._sub, "Fn::Join": self._join, "Fn::Select": self._select,
            "Fn::Split": self._split, "Fn::If": self._if, "Fn::FindInMap": self._find_in_map,
            "Fn::GetAZs": self._get_azs, "Fn::ImportValue": self._import_value, "Fn::Base64": self._base64,
            "Fn::ToJsonString": self._to_json_string, "Fn::Length": self._length, "Fn::Cidr": self._cidr,
        }
        for name in ("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or"):
            self._functions[name] = lambda argument, name=name: self._truth({name: argument})

    # -- the walk
    def resolve(self, value: Any) -> Any:
        """A copy of ``value`` with every intrinsic function replaced by its (placeholder) result."""
        if isinstance(value, dict):
            if len(value) == 1:
                (name, argument), = value.items()
                if name == "Ref":
                    return self.ref(argument)
                function = self._functions.get(name)
                if function is not None:
                    try:
                        return function(argument)
                    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
                        return f"unresolved-{name.removeprefix('Fn::')}"
            resolved = {}
            for key, member in value.items():
                member = self.resolve(member)
                if member is not _NO_VALUE:
                    resolved[key] = member
            return resolved
        if isinstance(value, list):
            return [item for item in map(self.resolve, value) if item is not _NO_VALUE]
        return value

    def string(self, value: Any) -> str:
        return _to_string(self.resolve(value))

    # -- Ref / GetAtt
    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return _to_string(self.resolve(name))
        if name in PSEUDO_PARAMETERS:
            return PSEUDO_PARAMETERS[name]
        if name in self.parameters:
            return self._parameter(name)
        resource = self.resources.get(name)
        if isinstance(resource, dict):
            kind = resource.get("Type")
            if kind in _REF_IS_ARN:
                return self.arn(name, kind)
            if kind == "AWS::SQS::Queue":
                return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
            if kind == "AWS::S3::Bucket":
                return name.lower()
            return name
        return name

    def _parameter(self, name: str) -> Any:
        spec = self.parameters[name]
        spec = spec if isinstance(spec, dict) else {}
        kind = str(spec.get("Type", "String"))
        default = spec.get("Default")
        if default is None and isinstance(spec.get("AllowedValues"), list) and spec["AllowedValues"]:
            default = spec["AllowedValues"][0]
        if default is None:
            if kind == "Number":
                return 1
            guess = self.arn(name, None) if _hinted_type(name) or "arn" in name.lower() else name
            return [guess] if kind.startswith("List<") or kind == "CommaDelimitedList" else guess
        if kind == "Number" and isinstance(default, str):
            try:
                return int(default)
            except ValueError:
                try:
                    return float(default)
                except ValueError:
                    return default
        if (kind.startswith("List<") or kind == "CommaDelimitedList") and isinstance(default, str):
            return [item.strip() for item in default.split(",")]
        return default

    def arn(self, logical_id: str, kind: str | None) -> str:
        pattern = _ARNS.get(kind or "") or _ARNS[_hinted_type(logical_id) or "AWS::Lambda::Function"]
        return pattern.format(p=PARTITION, r=REGION, a=ACCOUNT, id=logical_id, lower=logical_id.lower())

    def get_att(self, logical_id: str, attribute: str) -> Any:
        resource = self.resources.get(logical_id)
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if attribute.endswith("Arn"):
            arn = self.arn(logical_id, kind)
            return arn + "/stream/1970-01-01T00:00:00.000" if attribute == "StreamArn" else arn
        if attribute == "QueueUrl":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{logical_id}"
        if attribute in _NAME_ATTRIBUTES:
            return logical_id.lower() if kind == "AWS::S3::Bucket" else logical_id
        return f"{logical_id}-{attribute}"

    def _get_att(self, argument: Any) -> Any:
        if isinstance(argument, str):
            logical_id, _, attribute = argument.partition(".")
        else:
            logical_id, attribute = self.resolve(argument[0]), self.string(argument[1])
        return self.get_att(str(logical_id), attribute)

    # -- strings
    def sub(self, text: str, variables: dict | None = None) -> str:
        """``Fn::Sub``: ``${Var}``, ``${Param}``, ``${Resource}``, ``${Resource.Attr}``, ``${AWS::Region}``;
        ``${!Literal}`` becomes ``${Literal}``; unknown names stay as written (DefinitionSubstitutions may
        fill them later)."""
        variables = variables or {}

        def replace(match: re.Match) -> str:
            inner = match.group(1)
            if inner.startswith("!"):
                return "${" + inner[1:] + "}"
            name = inner.strip()
            if name in variables:
                return self.string(variables[name])
            if name in PSEUDO_PARAMETERS or name in self.parameters or name in self.resources:
                return _to_string(self.ref(name))
            logical_id, dot, attribute = name.partition(".")
            if dot and logical_id in self.resources:
                return _to_string(self.get_att(logical_id, attribute))
            return match.group(0)

        return _PLACEHOLDER.sub(replace, text) if "${" in text else text

    def _sub(self, argument: Any) -> str:
        if isinstance(argument, str):
            return self.sub(argument)
        variables = argument[1] if len(argument) > 1 and isinstance(argument[1], dict) else {}
        return self.sub(self.string(argument[0]), variables)

    def _join(self, argument: Any) -> str:
        separator, parts = argument
        parts = self.resolve(parts)
        return self.string(separator).join(_to_string(part) for part in (parts if isinstance(parts, list) else [parts]))

    def _select(self, argument: Any) -> Any:
        index, items = argument
        items = self.resolve(items)
        return items[int(self.string(index))]

    def _split(self, argument: Any) -> list[str]:
        separator, text = argument
        return self.string(text).split(self.string(separator))

    def _find_in_map(self, argument: Any) -> Any:
        names = [self.string(part) for part in argument[:3]]
        try:
            return self.resolve(self.mappings[names[0]][names[1]][names[2]])
        except (KeyError, TypeError):
            if len(argument) > 3 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
                return self.resolve(argument[3]["DefaultValue"])
            return "-".join(names)

    def _get_azs(self, argument: Any) -> list[str]:
        region = self.string(argument) or REGION
        return [f"{region}{zone}" for zone in "abc"]

    def _import_value(self, argument: Any) -> str:
        name = self.string(argument)
        return self.arn(name, None) if "arn" in name.lower() else name

    def _base64(self, argument: Any) -> str:
        return base64.b64encode(self.string(argument).encode()).decode()

    def _to_json_string(self, argument: Any) -> str:
        return json.dumps(self.resolve(argument), separators=(",", ":"))

    def _length(self, argument: Any) -> int:
        value = self.resolve(argument)
        return len(value) if isinstance(value, list) else 1

    def _cidr(self, argument: Any) -> list[str]:
        count = int(self.string(argument[1])) if len(argument) > 1 else 1
        return [f"10.0.{index}.0/24" for index in range(max(0, min(count, 256)))]

    # -- conditions
    def _if(self, argument: Any) -> Any:
        condition, when_true, when_false = argument
        chosen = when_true if self.condition(condition) else when_false
        return self.resolve(chosen)

    def condition(self, name: Any) -> bool:
        """A named condition's truth, evaluated with parameter defaults; unknown or cyclic ones are true."""
        if not isinstance(name, str):
            return self._truth(name)
        if name not in self._truths:
            self._truths[name] = True            # a cycle ends here
            expression = self.conditions.get(name)
            self._truths[name] = True if expression is None else self._truth(expression)
        return self._truths[name]

    def _truth(self, expression: Any) -> bool:
        if isinstance(expression, bool):
            return expression
        if isinstance(expression, str):
            return expression.lower() == "true"
        if isinstance(expression, dict) and len(expression) == 1:
            (name, argument), = expression.items()
            if name == "Condition":
                return self.condition(argument)
            if name == "Fn::Equals" and isinstance(argument, list) and len(argument) == 2:
                return self.string(argument[0]) == self.string(argument[1])
            if name == "Fn::Not" and isinstance(argument, list) and len(argument) == 1:
                return not self._truth(argument[0])
            if name == "Fn::And" and isinstance(argument, list):
                return all(self._truth(item) for item in argument)
            if name == "Fn::Or" and isinstance(argument, list):
                return any(self._truth(item) for item in argument)
        return True


def _hinted_type(name: str) -> str | None:
    for pattern, kind in _NAME_HINTS:
        if pattern.search(name):
            return kind
    return None


# --------------------------------------------------------------------------------------------- extraction

def substitute_text(text: str, substitutions: dict[str, str]) -> str:
    """``DefinitionSubstitutions``: replace each ``${Name}`` that has a substitution."""
    if not substitutions or "${" not in text:
        return text
    return _PLACEHOLDER.sub(lambda match: substitutions.get(match.group(1), match.group(0)), text)


def substitute_value(value: Any, substitutions: dict[str, str]) -> Any:
    """``DefinitionSubstitutions`` in every string (keys included) of a definition object."""
    if not substitutions:
        return value
    if isinstance(value, str):
        return substitute_text(value, substitutions)
    if isinstance(value, dict):
        return {substitute_text(key, substitutions): substitute_value(member, substitutions)
                for key, member in value.items()}
    if isinstance(value, list):
        return [substitute_value(item, substitutions) for item in value]
    return value


def extract(template: Document) -> list[Document]:
    """One :class:`Document` per state machine resource of a parsed template, in template order."""
    value = template.value
    resources = value.get("Resources") if isinstance(value, dict) else None
    if not isinstance(resources, dict):
        return []
    resolver = IntrinsicResolver(value)
    return [
        _StateMachine(template, resolver, logical_id, resource).document()
        for logical_id, resource in resources.items()
        if isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES
    ]


class _StateMachine:
    """Turns one state machine resource of a template into a Document."""

    def __init__(self, template: Document, resolver: IntrinsicResolver, logical_id: str, resource: dict):
        self.template = template
        self.resolver = resolver
        self.logical_id = logical_id
        self.kind = resource.get("Type")
        self.resource = resource
        self.pointer = pointer_join("/Resources", logical_id)
        self.substitutions: dict[str, str] = {}

    def _document(self, value: Any, origin: str, diagnostics: list, **fields: Any) -> Document:
        fields.setdefault("text", self.template.text)
        fields.setdefault("path", self.template.path)
        fields.setdefault("format", self.template.format)
        return Document(value, diagnostics=diagnostics, name=self.logical_id, resource_type=self.kind,
                        origin=origin, **fields)

    def _fail(self, message: str, pointer: str, severity: str = ERROR) -> Document:
        diagnostic = _diagnostic("ASL000", message, self.template.locate(pointer), severity=severity)
        return self._document(None, pointer, [diagnostic])

    def document(self) -> Document:
        properties = self.resource.get("Properties")
        if not isinstance(properties, dict):
            return self._fail(f"state machine {self.logical_id!r} has no Properties", self.pointer)
        base = self.pointer + "/Properties"
        self.substitutions = self._substitutions(properties.get("DefinitionSubstitutions"))
        if "Definition" in properties:
            return self._from_object(properties["Definition"], base + "/Definition")
        if "DefinitionString" in properties:
            return self._from_string(properties["DefinitionString"], base + "/DefinitionString")
        if "DefinitionUri" in properties:
            return self._from_uri(properties["DefinitionUri"], base + "/DefinitionUri")
        if "DefinitionS3Location" in properties:
            return self._fail(f"the definition of {self.logical_id!r} is in S3 (DefinitionS3Location);"
                              " it is not checked locally", base + "/DefinitionS3Location", WARNING)
        return self._fail(f"state machine {self.logical_id!r} has no Definition, DefinitionString or"
                          " DefinitionUri", base)

    def _substitutions(self, raw: Any) -> dict[str, str]:
        if raw is None:
            return {}
        resolved = self.resolver.resolve(raw)
        if not isinstance(resolved, dict):
            return {}
        return {str(name): _to_string(value) for name, value in resolved.items()}

    def _sized(self, value: Any, origin: str, diagnostics: list) -> list:
        """ASL004 when the definition CloudFormation would send is over AWS's limit (compact JSON)."""
        if value is not None:
            size = _json_size(value)
            if size > MAX_DEFINITION_BYTES:
                line, column = self.template.locate(origin)
                diagnostics.append(_too_large(size).with_(line=line, column=column))
        return diagnostics

    def _from_object(self, raw: Any, origin: str) -> Document:
        value = substitute_value(self.resolver.resolve(raw), self.substitutions)
        diagnostics = [d.with_(pointer=d.pointer[len(origin):]) for d in self.template.diagnostics
                       if d.pointer == origin or d.pointer.startswith(origin + "/")]
        positions = _PrefixPositions(self.template._positions, origin)
        return self._document(value, origin, self._sized(value, origin, diagnostics), positions=positions)

    def _from_string(self, raw: Any, origin: str) -> Document:
        text, anchor_pointer = self._definition_text(raw, origin)
        if text is None:
            return self._fail(f"the DefinitionString of {self.logical_id!r} does not resolve to a string", origin)
        text = substitute_text(text, self.substitutions)
        inner = parse_text(text, format="json")
        anchor = self.template.locate_value(anchor_pointer)
        move = self._block_mover(anchor_pointer, anchor) or (lambda position: anchor)
        diagnostics = [d.with_(line=moved[0], column=moved[1], path=self.template.path)
                       for d in inner.diagnostics for moved in [move((d.line or 1, d.column or 1))]]
        positions = _MappedPositions(inner._positions, move, anchor)
        diagnostics = self._sized(inner.value, origin, [d for d in diagnostics if d.code != "ASL004"])
        return self._document(inner.value, origin, diagnostics, positions=positions, format="json")

    def _definition_text(self, raw: Any, origin: str) -> tuple[str | None, str]:
        if isinstance(raw, str):
            return raw, origin
        if isinstance(raw, dict) and len(raw) == 1:
            (function, argument), = raw.items()
            if function == "Fn::Sub" and isinstance(argument, str):
                return self.resolver.sub(argument), origin + "/Fn::Sub"
            if function == "Fn::Sub" and isinstance(argument, list) and argument and isinstance(argument[0], str):
                variables = argument[1] if len(argument) > 1 and isinstance(argument[1], dict) else {}
                return self.resolver.sub(argument[0], variables), origin + "/Fn::Sub/0"
            origin = pointer_join(origin, function)
        value = self.resolver.resolve(raw)
        return (value if isinstance(value, str) else None), origin

    def _block_mover(self, pointer: str, anchor: tuple[int, int]):
        """For a YAML literal block (``|``) the definition's line N is the template's line anchor+N, and its
        columns are shifted by the block's indentation; other string styles have no such simple mapping."""
        template = self.template
        if template.format != "yaml" or template.text is None or template._positions.style(pointer) != "|":
            return None
        header = anchor[0]
        lines = re.split(r"\r\n?|\n", template.text)
        indent = next((len(line) - len(line.lstrip(" ")) for line in lines[header:] if line.strip()), None)
        if indent is None:
            return None
        return lambda position: (header + position[0], indent + position[1])

    def _from_uri(self, uri: Any, origin: str) -> Document:
        if isinstance(uri, dict) or (isinstance(uri, str) and uri.startswith("s3://")):
            return self._fail(f"the definition of {self.logical_id!r} is in S3 (DefinitionUri); it is not checked"
                              " locally", origin, WARNING)
        if not isinstance(uri, str):
            return self._fail(f"the DefinitionUri of {self.logical_id!r} is not a path", origin)
        base = os.path.dirname(self.template.path) if self.template.path else os.getcwd()
        path = os.path.normpath(os.path.join(base, uri))
        if not os.path.isfile(path):
            return self._fail(f"DefinitionUri {uri!r}: no such file {path}", origin)
        inner = read(Path(path))
        value = substitute_value(inner.value, self.substitutions)
        return self._document(value, "", inner.diagnostics, text=inner.text, path=inner.path, format=inner.format,
                              positions=inner._positions)

