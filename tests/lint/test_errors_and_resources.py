"""ASL3xx (Retry/Catch meaning) and ASL4xx (resources)."""
from __future__ import annotations

import pytest

from asl.lint.rules.errors import matcher_covers

from .helpers import codes, found, machine, messages, pass_, task


def test_matcher_coverage_follows_aws_matching():
    assert matcher_covers(frozenset({"States.ALL"}), "Custom.Error")
    assert not matcher_covers(frozenset({"States.ALL"}), "States.Runtime")
    assert not matcher_covers(frozenset({"States.ALL"}), "States.DataLimitExceeded")
    assert matcher_covers(frozenset({"States.TaskFailed"}), "Lambda.ServiceException")
    assert not matcher_covers(frozenset({"States.TaskFailed"}), "States.Timeout")
    assert not matcher_covers(frozenset({"Lambda.ServiceException"}), "Lambda.Unknown")


def test_shadowed_catcher_after_task_failed():
    definition = machine({"A": task(Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "B"},
                                           {"ErrorEquals": ["MyError"], "Next": "B"},
                                           {"ErrorEquals": ["States.Timeout"], "Next": "B"}]), "B": pass_()})
    assert found(definition) == [("ASL303", "/States/A/Catch/1")]


def test_states_all_rules_apply_to_both_lists():
    definition = machine({"A": task(Retry=[{"ErrorEquals": ["States.ALL", "X"]}, {"ErrorEquals": ["Y"]}])})
    assert ("ASL301", "/States/A/Retry/0/ErrorEquals") in found(definition)
    assert ("ASL302", "/States/A/Retry/0/ErrorEquals") in found(definition)


def test_predefined_names_are_known_and_http_status_names_accepted():
    definition = machine({"A": task(Retry=[{"ErrorEquals": ["States.Http.StatusCode.503", "States.Timeout"]}])})
    assert codes(definition) == set()
    assert codes(machine({"A": task(Retry=[{"ErrorEquals": ["States.TimeOut"]}])})) == {"ASL305"}


@pytest.mark.parametrize("resource", [
    "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST",
    "arn:aws:lambda:us-east-1:123456789012:function:f:prod", "arn:aws-us-gov:states:::lambda:invoke",
    "arn:aws:states:::lambda:invoke.waitForTaskToken", "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::aws-sdk:s3:listObjectsV2", "arn:aws:states:::glue:startJobRun.sync",
    "arn:aws:states:us-east-1:123456789012:activity:approve", "foo:bar", "arn:x", "${WorkerArn}",
    "arn:aws:lambda:us-east-1:123456789012:function:<name>",
])
def test_accepted_resources(resource):
    assert "ASL401" not in codes(machine({"A": task(Resource=resource)}))
    assert "ASL402" not in codes(machine({"A": task(Resource=resource)}))


@pytest.mark.parametrize("resource,code", [
    ("worker", "ASL401"), ("", "ASL401"), ("arn:aws:lambda:us-east-1:123456789012:function:f:", "ASL401"),
    ("arn:aws:lambda:us-east-1:123456789012:function:f:$*#", "ASL401"),
    ("arn:aws:states:::dynamodb:query", "ASL402"), ("arn:aws:states:::lambda:invoke.sync", "ASL402"),
    ("arn:aws:states:::aws-sdk:s3:getObject.sync", "ASL402"), ("arn:aws:states:::", "ASL402"),
])
def test_rejected_resources(resource, code):
    assert code in codes(machine({"A": task(Resource=resource)}))


def test_cloudformation_intrinsic_object_as_resource():
    assert codes(machine({"A": task(Resource={"Fn::GetAtt": ["Fn", "Arn"]})})) == set()
    assert codes(machine({"A": task(Resource={"Other": 1})})) == {"ASL012"}


def test_express_restrictions_only_when_asked():
    activity = machine({"A": task(Resource="arn:aws:states:us-east-1:123456789012:activity:approve")})
    assert codes(activity) == set()
    assert messages(activity, "ASL403", workflow_type="EXPRESS") == ["Express state machine does not support Activities"]
    callback = machine({"A": task(Resource="arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                                  Parameters={"MessageBody": {"t.$": "$$.Task.Token"}})})
    assert messages(callback, "ASL403", workflow_type="express") == [
        "Express state machine does not support '.waitForTaskToken' service integration"]


def test_task_token_must_be_passed_in_either_language():
    jsonata = {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
        "Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": True,
        "Arguments": {"Message": {"token": "{% $states.context.Task.Token %}"}}}}}
    assert codes(jsonata) == set()
    del jsonata["States"]["A"]["Arguments"]["Message"]["token"]
    assert codes(jsonata) == {"ASL404"}
