"""Mocked responses: the in-code API and AWS Step Functions Local's MockConfigFile format."""
from __future__ import annotations

import pytest

from asl.errors import StatesError, TaskFailed
from asl.testing.mocks import MockConfigError, Mocks, list_test_cases

CONFIG = {
    "StateMachines": {
        "Order": {"TestCases": {"Happy": {"Charge": "Ok"}, "Flaky": {"Charge": "Flaky", "Ship": "Ok"}}},
        "Other": {"TestCases": {"Only": {}}},
    },
    "MockedResponses": {
        "Ok": {"0": {"Return": {"StatusCode": 200}}},
        "Flaky": {"0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}},
                  "2": {"Return": {"ok": True}}},
    },
}


def test_in_code_mocks_answer_each_invocation_in_order():
    mocks = Mocks().state("A").throws("E", "c", times=2).returns(1).state("B").returns("b").mocks
    assert list(mocks) == ["A", "B"] and "A" in mocks and "C" not in mocks
    with pytest.raises(TaskFailed) as info:
        mocks.response("A", 1).apply()
    assert (info.value.error, info.value.cause) == ("E", "c")
    assert mocks.response("A", 2).apply() == 1
    with pytest.raises(StatesError) as past:
        mocks.response("A", 3)
    assert past.value.error == "States.Runtime" and "invocation 3" in past.value.cause
    assert mocks.to_json() == {"A": [{"Throw": {"Error": "E", "Cause": "c"}}] * 2 + [{"Return": 1}],
                               "B": [{"Return": "b"}]}


def test_a_mock_config_test_case_expands_ranges():
    mocks = Mocks.from_mock_config(CONFIG, "Order", "Flaky")
    assert [r.error for r in mocks.state("Charge").responses] == ["Lambda.ServiceException"] * 2 + [None]
    assert mocks.response("Ship", 0).value == {"StatusCode": 200}
    assert list_test_cases(CONFIG) == [("Order", "Happy"), ("Order", "Flaky"), ("Other", "Only")]


def test_suite_style_responses_accept_lists_and_index_objects():
    mocks = Mocks.from_responses({"A": [{"return": 1}, {"throw": {"error": "E"}}], "B": {"0-1": {"Return": 2}}})
    assert [r.value for r in mocks.state("B").responses] == [2, 2]
    assert mocks.response("A", 1).error == "E" and mocks.response("A", 1).cause == ""


@pytest.mark.parametrize("config, message", [
    ([], "must be a JSON object"),
    ({"StateMachines": {}}, "no state machine 'Order'"),
    ({"StateMachines": {"Order": {"TestCases": {}}}}, "Invalid mock test case name 'Happy'"),
    ({"StateMachines": {"Order": {"TestCases": {"Happy": {"A": "Missing"}}}}, "MockedResponses": {}},
     "Missing"),
    ({"StateMachines": {"Order": {"TestCases": {"Happy": {"A": "R"}}}},
      "MockedResponses": {"R": {"1": {"Return": 1}}}}, "consecutively numbered"),
    ({"StateMachines": {"Order": {"TestCases": {"Happy": {"A": "R"}}}},
      "MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E", "Cause": "c"}}}}}, "exactly one"),
    ({"StateMachines": {"Order": {"TestCases": {"Happy": {"A": "R"}}}},
      "MockedResponses": {"R": {"x": {"Return": 1}}}}, "'x'"),
])
def test_bad_mock_configs_say_what_is_wrong(config, message):
    with pytest.raises(MockConfigError, match=message):
        Mocks.from_mock_config(config, "Order", "Happy")


@pytest.mark.parametrize("plan, message", [
    ("nope", "expected an object"),
    ({"A": 3}, "a list of responses"),
    ({"A": [{"Throw": {"Cause": "c"}}]}, "'Error' must be a non-empty string"),
    ({"A": [{"Throw": "E"}]}, "expected an object with 'Error'"),
    ({"A": [5]}, "'Return' or 'Throw'"),
    ({"A": {"2-1": {"Return": 1}}}, "ends before it starts"),
])
def test_bad_inline_mocks_say_where(plan, message):
    with pytest.raises(MockConfigError, match=message):
        Mocks.from_responses(plan)
