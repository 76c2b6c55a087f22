"""asl.templates: state machines taken out of CloudFormation / SAM templates, positions in the template."""
from __future__ import annotations

import json
import pathlib
import re

import pytest

from asl.source import read, read_all
from asl.templates import IntrinsicResolver, is_template

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "templates"
LAMBDA_ARN = re.compile(r"^arn:aws:lambda:us-east-1:123456789012:function:[A-Za-z0-9_-]+$")


def text_at(document, position, length):
    line, column = position
    return document.text.splitlines()[line - 1][column - 1:column - 1 + length]


def by_name(documents):
    return {document.name: document for document in documents}


# ----------------------------------------------------------------------------------------------- the fixtures

def test_sam_yaml_fixture_yields_one_document_per_state_machine():
    documents = by_name(read_all(FIXTURES / "sam.template.yaml"))
    assert list(documents) == ["InlineMachine", "FileMachine", "StringMachine"]
    assert all(not d.diagnostics for d in documents.values())
    assert documents["InlineMachine"].resource_type == "AWS::Serverless::StateMachine"
    assert documents["StringMachine"].resource_type == "AWS::StepFunctions::StateMachine"


def test_definition_object_resolves_intrinsics_and_substitutions():
    document = read(FIXTURES / "sam.template.yaml", resource="InlineMachine")
    states = document.value["States"]
    assert document.value["Comment"] == "orders for dev"                       # !Sub with a parameter default
    assert LAMBDA_ARN.match(states["Charge"]["Resource"])                      # !GetAtt Function.Arn
    assert states["Charge"]["Retry"][0]["MaxAttempts"] == 3                    # Number parameter -> number
    assert states["Enqueue"]["Parameters"]["QueueUrl"] == (
        "https://sqs.us-east-1.amazonaws.com/123456789012/OrdersQueue")         # !Ref queue -> its URL
    assert states["Notify"]["Parameters"]["TopicArn"] == (
        "arn:aws:sns:us-east-1:123456789012:NotifyTopic")                       # DefinitionSubstitutions
    assert document.origin == "/Resources/InlineMachine/Properties/Definition"


def test_definition_object_positions_are_template_lines():
    document = read(FIXTURES / "sam.template.yaml", resource="InlineMachine")
    assert document.path == str(FIXTURES / "sam.template.yaml")
    assert text_at(document, document.locate("/States/Charge/Resource"), 8) == "Resource"
    assert text_at(document, document.locate("/States/Notify"), 6) == "Notify"
    assert text_at(document, document.locate_value("/States/Charge/Resource"), 7) == "!GetAtt"
    line, _ = document.locate("/States/Enqueue/Parameters/MessageBody.$")
    assert "MessageBody.$" in document.text.splitlines()[line - 1]


def test_definition_uri_reads_the_file_next_to_the_template_with_substitutions():
    document = read(FIXTURES / "sam.template.yaml", resource="FileMachine")
    assert document.path == str(FIXTURES / "statemachine" / "order.asl.json")
    assert document.format == "json"
    assert document.value["States"]["Charge"]["Resource"] == (
        "arn:aws:lambda:us-east-1:123456789012:function:ChargeFunction")
    assert document.locate("/States/Charge/Resource") == (7, 7)               # a position in that file


def test_definition_string_in_a_literal_block_maps_line_by_line():
    document = read(FIXTURES / "sam.template.yaml", resource="StringMachine")
    assert LAMBDA_ARN.match(document.value["States"]["Charge"]["Resource"])   # ${ChargeFunction.Arn} in !Sub
    assert text_at(document, document.locate("/States/Wait/Seconds"), 9) == '"Seconds"'
    assert text_at(document, document.locate("/States/Charge/Resource"), 10) == '"Resource"'
    assert text_at(document, document.locate(""), 1) == "{"


def test_cfn_json_fixture():
    documents = by_name(read_all(FIXTURES / "cfn.template.json"))
    assert list(documents) == ["JoinedMachine", "SubstitutedMachine", "ObjectMachine"]
    joined = documents["JoinedMachine"]
    assert joined.value["States"]["Work"]["Resource"] == "arn:aws:lambda:us-east-1:123456789012:function:Worker"
    # a DefinitionString that is not a literal block: everything is placed at the string itself
    line, column = joined.locate("/States/Work/Resource")
    assert joined.locate("") == (line, column)
    assert joined.text.splitlines()[line - 1].strip() == '"Fn::Join": ["", ['
    substituted = documents["SubstitutedMachine"].value["States"]
    assert substituted["Pause"]["Seconds"] == 10                               # ${!Pause} -> ${Pause} -> 10
    assert LAMBDA_ARN.match(substituted["Work"]["Resource"])                  # parameter without Default
    obj = documents["ObjectMachine"]
    assert text_at(obj, obj.locate("/States/Work/Resource"), 10) == '"Resource"'


# ----------------------------------------------------------------------------------------------- detection

@pytest.mark.parametrize("value, expected", [
    ({"AWSTemplateFormatVersion": "2010-09-09"}, True),
    ({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}, True),
    ({"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine"}}}, True),
    ({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}, False),
    ({"StartAt": "A", "States": {}, "Resources": {"M": {"Type": "AWS::Serverless::StateMachine"}}}, False),
    ([], False),
    (None, False),
])
def test_is_template(value, expected):
    assert is_template(value) is expected


def test_plain_definitions_are_not_templates(tmp_path):
    path = tmp_path / "flow.asl.json"
    path.write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    [document] = read_all(path)
    assert document.name is None and document.value["StartAt"] == "A"


def test_template_without_state_machines():
    template = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
    assert read_all(template) == []
    document = read(template)
    assert document.value is None
    assert "no AWS::StepFunctions::StateMachine" in document.diagnostics[0].message


def test_read_picks_a_state_machine():
    several = FIXTURES / "sam.template.yaml"
    first = read(several)
    assert first.name == "InlineMachine"
    [warning] = first.diagnostics
    assert warning.severity == "warning" and "3 state machines" in warning.message
    missing = read(several, resource="Nope")
    assert missing.value is None and "InlineMachine, FileMachine, StringMachine" in missing.diagnostics[0].message


# ----------------------------------------------------------------------------------------------- problems

def _template(definition_block: str, extra: str = "") -> str:
    return ("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Machine:\n"
            "    Type: AWS::StepFunctions::StateMachine\n    Properties:\n" + definition_block + extra)


def test_malformed_definition_string_is_reported_at_its_template_line():
    text = _template("      DefinitionString: |\n        {\n          \"StartAt\": \"A\",\n        }\n")
    [document] = read_all(text, path="t.yaml")
    assert document.value is None
    [diagnostic] = document.diagnostics
    assert diagnostic.code == "ASL000"
    assert (diagnostic.line, diagnostic.column) == (9, 9)         # the "}" after the trailing comma
    assert diagnostic.path == "t.yaml"


def test_duplicate_key_in_a_definition_object():
    text = _template("      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, End: true}\n"
                     "          A: {Type: Succeed}\n")
    [document] = read_all(text)
    [diagnostic] = document.diagnostics
    assert (diagnostic.code, diagnostic.pointer, diagnostic.line, diagnostic.column) == ("ASL003", "/States/A", 10, 11)


def test_duplicate_state_inside_a_definition_string():
    body = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "A": {"Type": "Succeed"}}}'
    [document] = read_all(_template(f"      DefinitionString: '{body}'\n"))
    [diagnostic] = document.diagnostics
    assert (diagnostic.code, diagnostic.pointer, diagnostic.line) == ("ASL003", "/States/A", 6)


def test_definition_uri_problems(tmp_path):
    template = tmp_path / "template.yaml"
    template.write_text(_template("      DefinitionUri: missing.asl.json\n").replace(
        "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"))
    [document] = read_all(template)
    [diagnostic] = document.diagnostics
    assert document.value is None and diagnostic.code == "ASL000" and diagnostic.line == 6
    template.write_text(_template("      DefinitionUri: {Bucket: b, Key: k}\n"))
    [document] = read_all(template)
    assert document.value is None and document.diagnostics[0].severity == "warning"


def test_definition_uri_yaml_file_and_substitutions(tmp_path):
    (tmp_path / "flows").mkdir()
    (tmp_path / "flows" / "f.asl.yaml").write_text("StartAt: ${First}\nStates:\n  ${First}:\n    Type: Succeed\n")
    template = tmp_path / "template.yml"
    template.write_text(_template("      DefinitionUri: flows/f.asl.yaml\n      DefinitionSubstitutions:\n"
                                  "        First: Begin\n"))
    [document] = read_all(template)
    assert document.value == {"StartAt": "Begin", "States": {"Begin": {"Type": "Succeed"}}}
    assert document.format == "yaml" and document.locate("/StartAt") == (1, 1)


def test_s3_location_and_missing_definition():
    [s3] = read_all(_template("      DefinitionS3Location: {Bucket: b, Key: k}\n"))
    assert s3.value is None and s3.diagnostics[0].severity == "warning"
    [none] = read_all(_template("      RoleArn: arn:aws:iam::123456789012:role/r\n"))
    assert none.value is None and none.diagnostics[0].severity == "error" and none.diagnostics[0].line == 5


def test_definition_too_large_in_a_template():
    comment = "x" * 1_100_000
    [document] = read_all(_template(f"      Definition:\n        Comment: {comment}\n        StartAt: A\n"))
    assert [d.code for d in document.diagnostics] == ["ASL004"]
    assert document.diagnostics[0].line == 6


# ----------------------------------------------------------------------------------------------- intrinsics

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "prod"},
        "Count": {"Type": "Number", "Default": "2.5"},
        "Zones": {"Type": "CommaDelimitedList", "Default": "a, b"},
        "Picked": {"Type": "String", "AllowedValues": ["one", "two"]},
        "HandlerArn": {"Type": "String"},
        "Free": {"Type": "String"},
    },
    "Mappings": {"Sizes": {"prod": {"Memory": 1024}}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]},
        "Loop": {"Condition": "Loop"},
    },
    "Resources": {
        "Fn": {"Type": "AWS::Lambda::Function"},
        "Q": {"Type": "AWS::SQS::Queue"},
        "T": {"Type": "AWS::DynamoDB::Table"},
        "B": {"Type": "AWS::S3::Bucket"},
        "Child": {"Type": "AWS::StepFunctions::StateMachine"},
    },
}


@pytest.mark.parametrize("expression, expected", [
    ({"Ref": "Env"}, "prod"),
    ({"Ref": "Count"}, 2.5),
    ({"Ref": "Zones"}, ["a", "b"]),
    ({"Ref": "Picked"}, "one"),
    ({"Ref": "HandlerArn"}, "arn:aws:lambda:us-east-1:123456789012:function:HandlerArn"),
    ({"Ref": "Free"}, "Free"),
    ({"Ref": "AWS::Region"}, "us-east-1"),
    ({"Ref": "Fn"}, "Fn"),
    ({"Ref": "Q"}, "https://sqs.us-east-1.amazonaws.com/123456789012/Q"),
    ({"Ref": "B"}, "b"),
    ({"Ref": "Child"}, "arn:aws:states:us-east-1:123456789012:stateMachine:Child"),
    ({"Fn::GetAtt": ["T", "Arn"]}, "arn:aws:dynamodb:us-east-1:123456789012:table/T"),
    ({"Fn::GetAtt": "Q.QueueName"}, "Q"),
    ({"Fn::GetAtt": ["Q", "Arn"]}, "arn:aws:sqs:us-east-1:123456789012:Q"),
    ({"Fn::GetAtt": ["OtherQueue", "Arn"]}, "arn:aws:sqs:us-east-1:123456789012:OtherQueue"),
    ({"Fn::Sub": "${AWS::Partition}:${Env}:${Fn.Arn}:${!Literal}:${Unknown}"},
     "aws:prod:arn:aws:lambda:us-east-1:123456789012:function:Fn:${Literal}:${Unknown}"),
    ({"Fn::Sub": ["${A}-${Env}", {"A": {"Ref": "AWS::AccountId"}}]}, "123456789012-prod"),
    ({"Fn::Join": ["/", ["a", {"Ref": "Env"}, 3]]}, "a/prod/3"),
    ({"Fn::Select": [1, {"Fn::Split": [",", "x,y,z"]}]}, "y"),
    ({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Memory"]}, 1024),
    ({"Fn::FindInMap": ["Sizes", "dev", "Memory"]}, "Sizes-dev-Memory"),
    ({"Fn::If": ["IsProd", "big", "small"]}, "big"),
    ({"Fn::If": ["IsDev", "big", "small"]}, "small"),
    ({"Fn::If": ["Both", "big", "small"]}, "small"),
    ({"Fn::If": ["Loop", "yes", "no"]}, "yes"),
    ({"Fn::Base64": "hi"}, "aGk="),
    ({"Fn::ToJsonString": {"a": {"Ref": "Env"}}}, '{"a":"prod"}'),
    ({"Fn::Length": [1, 2, 3]}, 3),
    ({"Fn::GetAZs": ""}, ["us-east-1a", "us-east-1b", "us-east-1c"]),
    ({"Fn::Select": ["nope"]}, "unresolved-Select"),
    ({"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Ref": "AWS::NoValue"}]}, {"b": [1]}),
    ({"Ref": "Env", "Other": 1}, {"Ref": "Env", "Other": 1}),
])
def test_intrinsic_resolution(expression, expected):
    assert IntrinsicResolver(TEMPLATE).resolve(expression) == expected


def test_definition_substitutions_reach_keys_values_and_nested_strings():
    template = {
        "Resources": {
            "Fn": {"Type": "AWS::Serverless::Function"},
            "M": {"Type": "AWS::Serverless::StateMachine", "Properties": {
                "DefinitionSubstitutions": {"Fn": {"Fn::GetAtt": ["Fn", "Arn"]}, "Name": "Go", "N": 3, "Yes": True},
                "Definition": {"StartAt": "${Name}", "States": {"${Name}": {
                    "Type": "Task", "Resource": "${Fn}", "Comment": "${N} ${Yes} ${Missing}", "End": True}}},
            }},
        },
    }
    [document] = read_all(template)
    assert document.format == "object"
    state = document.value["States"]["Go"]
    assert document.value["StartAt"] == "Go"
    assert state["Resource"] == "arn:aws:lambda:us-east-1:123456789012:function:Fn"
    assert state["Comment"] == "3 true ${Missing}"


def test_templates_resolve_without_deploying_anything_and_round_trip_json():
    document = read(FIXTURES / "sam.template.yaml", resource="InlineMachine")
    assert json.loads(json.dumps(document.value)) == document.value


BLOCK = ('        {\n          "StartAt": "W",\n          "States": {\n'
         '            "W": {"Type": "Wait", "Seconds": ${Delay}, "End": true}\n          }\n        }\n')


@pytest.mark.parametrize("definition_string, first_line", [
    ("      DefinitionString:\n        Fn::Sub: |\n" + BLOCK.replace("\n        ", "\n          ").replace(
        "        {", "          {", 1), 8),
    ("      DefinitionString: !Sub\n        - |\n" + BLOCK.replace("\n        ", "\n          ").replace(
        "        {", "          {", 1) + "        - {Delay: 7}\n", 8),
    ("      DefinitionString: |\n" + BLOCK.replace("${Delay}", "7"), 7),
])
def test_literal_blocks_map_lines_in_every_form(definition_string, first_line):
    [document] = read_all(_template(definition_string, "      DefinitionSubstitutions: {Delay: 7}\n"
                                    if "Delay: 7}" not in definition_string else ""))
    assert document.diagnostics == []
    assert document.value["States"]["W"]["Seconds"] == 7
    assert text_at(document, document.locate(""), 1) == "{" and document.locate("")[0] == first_line
    assert text_at(document, document.locate("/States/W"), 3) == '"W"'
    assert document.locate("/States/W")[0] == first_line + 3


def test_json_template_with_a_plain_definition_string():
    template = {"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'}}}}
    text = json.dumps(template, indent=2)
    [document] = read_all(text)
    assert document.value["States"]["A"] == {"Type": "Succeed"}
    line, column = document.locate("/States/A")
    assert text.splitlines()[line - 1][column - 1:].startswith('"{\\"StartAt')
