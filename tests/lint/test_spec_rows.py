"""Every row of shared/spec/LINT_RULES.md, with a definition written for this project.

Each row's expectation: ``invalid`` draws an error with the given code, ``warn`` a warning with the
given code and no error, ``valid`` draws nothing at all. ``contested`` rows (and rows where AWS's
recorded behaviour overrides the table) carry the policy aslkit chose, as documented in docs/rules.md.
"""
from __future__ import annotations

import json

import pytest

from asl.lint import lint

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:worker"
INVOKE = "arn:aws:states:::lambda:invoke"


def m(states: dict, start: str | None = None, **top) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states, **top}


def ja(states: dict, start: str | None = None, **top) -> dict:
    return m(states, start, QueryLanguage="JSONata", **top)


def P(**fields) -> dict:
    return {"Type": "Pass", **({"End": True} if "Next" not in fields else {}), **fields}


def T(**fields) -> dict:
    return {"Type": "Task", "Resource": LAMBDA, **({"End": True} if "Next" not in fields else {}), **fields}


def W(**fields) -> dict:
    return {"Type": "Wait", **({"End": True} if "Next" not in fields else {}), **fields}


def C(choices: list, **fields) -> dict:
    return {"Type": "Choice", "Choices": choices, **fields}


def rule(**fields) -> dict:
    return {"Variable": "$.x", "StringEquals": "a", "Next": "Done", **fields} if not fields.get("_raw") else fields


def flow(*workflows) -> dict:
    return {"Type": "Parallel", "Branches": list(workflows), "End": True}


def mp(processor: dict, **fields) -> dict:
    return {"Type": "Map", "ItemProcessor": processor, "End": True, **fields}


def sub(states: dict, start: str | None = None) -> dict:
    return {"StartAt": start or next(iter(states)), "States": states}


def dist(processor_states: dict | None = None, execution: str | None = "STANDARD", **fields) -> dict:
    config = {"Mode": "DISTRIBUTED", **({"ExecutionType": execution} if execution else {})}
    return {"Type": "Map", "End": True, **fields,
            "ItemProcessor": {"ProcessorConfig": config, **sub(processor_states or {"I": P()})}}


DONE = {"Done": {"Type": "Succeed"}}
CHOICE_OK = {"Variable": "$.x", "StringEquals": "a", "Next": "Done"}


def choice_machine(*rules, **fields) -> dict:
    return m({"Pick": C(list(rules), Default="Done", **fields), **DONE})


def params(template: dict, state_type: str = "Task") -> dict:
    state = T(Parameters=template) if state_type == "Task" else P(Parameters=template)
    return m({"A": state})


# (id, expectation, definition (dict, or text), code)
ROWS = [
    ("ok_baseline_pass", "valid", m({"A": P()}), None),
    ("ok_baseline_task", "valid", m({"A": T()}), None),
    # ---- structure / schema
    ("S01_root_not_object", "invalid", [m({"A": P()})], "ASL001"),
    ("S01b_root_null", "invalid", "null", "ASL000"),   # the reader reports a null document
    ("S01c_not_json", "invalid", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}},}', "ASL000"),
    ("S02_missing_StartAt", "invalid", {"States": {"A": P()}}, "ASL010"),
    ("S03_missing_States", "invalid", {"StartAt": "A"}, "ASL010"),
    ("S04_empty_States", "invalid", {"StartAt": "A", "States": {}}, "ASL015"),
    ("S05_unknown_top_field", "invalid", m({"A": P()}, Extra=1), "ASL011"),
    ("S06_StartAt_not_string", "invalid", {"StartAt": 1, "States": {"A": P()}}, "ASL012"),
    ("S07_TimeoutSeconds_negative", "invalid", m({"A": P()}, TimeoutSeconds=-5), "ASL014"),
    ("S07b_TimeoutSeconds_float", "invalid", m({"A": P()}, TimeoutSeconds=2.5), "ASL014"),
    ("S08_Version_not_string", "invalid", m({"A": P()}, Version=1.0), "ASL012"),
    ("S09_state_not_object", "invalid", m({"A": 42}), "ASL002"),
    ("S10_missing_Type", "invalid", m({"A": {"End": True}}), "ASL010"),
    ("S11_unknown_Type", "invalid", m({"A": {"Type": "Sleep", "End": True}}), "ASL013"),
    ("S11b_Type_wrong_case", "invalid", m({"A": {"Type": "pass", "End": True}}), "ASL013"),
    ("S12_unknown_state_field", "invalid", m({"A": P(Resultpath="$.r")}), "ASL011"),
    ("S13_Parameters_in_Wait", "invalid", m({"A": W(Seconds=1, Parameters={})}), "ASL011"),
    ("S13b_ResultPath_in_Succeed", "invalid", m({"A": {"Type": "Succeed", "ResultPath": "$.r"}}), "ASL011"),
    ("S13c_ResultSelector_in_Pass", "invalid", m({"A": P(ResultSelector={})}), "ASL011"),
    ("S13d_Retry_in_Pass", "invalid", m({"A": P(Retry=[])}), "ASL011"),
    ("S13e_Catch_in_Wait", "invalid", m({"A": W(Seconds=1, Catch=[])}), "ASL011"),
    ("S13f_Resource_in_Pass", "invalid", m({"A": P(Resource=LAMBDA)}), "ASL011"),
    ("S13g_InputPath_in_Fail", "invalid", m({"A": {"Type": "Fail", "InputPath": "$"}}), "ASL011"),
    ("S14_Task_missing_Resource", "invalid", m({"A": {"Type": "Task", "End": True}}), "ASL010"),
    ("S15_Resource_not_URI", "invalid", m({"A": T(Resource="worker-function")}), "ASL401"),
    ("S16_Choice_missing_Choices", "invalid", m({"A": {"Type": "Choice", "Default": "Done"}, **DONE}), "ASL010"),
    ("S17_Parallel_missing_Branches", "invalid", m({"A": {"Type": "Parallel", "End": True}}), "ASL010"),
    ("S18_Map_missing_processor", "invalid", m({"A": {"Type": "Map", "End": True}}), "ASL010"),
    ("S19_Next_not_string", "invalid", m({"A": {"Type": "Pass", "Next": 7}, "B": P()}), "ASL012"),
    ("S20_End_false_no_Next", "invalid", m({"A": {"Type": "Pass", "End": False}, "B": P()}), "ASL017"),
    ("S21_Next_and_End", "invalid", m({"A": {"Type": "Pass", "Next": "B", "End": True}, "B": P()}), "ASL017"),
    ("S22_no_Next_no_End", "invalid", m({"A": {"Type": "Task", "Resource": LAMBDA}, "B": P()}), "ASL017"),
    ("S23_Succeed_with_Next", "invalid", m({"A": {"Type": "Succeed", "Next": "B"}, "B": P()}), "ASL011"),
    ("S24_Choice_with_End", "invalid", m({"A": C([CHOICE_OK], Default="Done", End=True), **DONE}), "ASL011"),
    ("S25_Choice_with_Next", "invalid", m({"A": C([CHOICE_OK], Default="Done", Next="Done"), **DONE}), "ASL011"),
    ("S26_Fail_with_Next", "invalid", m({"A": {"Type": "Fail", "Next": "B"}, "B": P()}), "ASL011"),
    ("S27_HeartbeatSeconds_string", "invalid", m({"A": T(HeartbeatSeconds="30")}), "ASL012"),
    ("S28_TimeoutSeconds_zero", "invalid", m({"A": T(TimeoutSeconds=0)}), "ASL014"),
    ("S29_Heartbeat_ge_Timeout", "invalid", m({"A": T(TimeoutSeconds=30, HeartbeatSeconds=45)}), "ASL021"),
    ("S30_Comment_not_string", "invalid", m({"A": P(Comment=["no"])}), "ASL012"),
    ("S31_duplicate_json_key", "invalid",
     '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "A": {"Type": "Succeed"}}}', "ASL003"),
    ("ok_S_Resource_nonAWS_URI", "valid", m({"A": T(Resource="foo:bar")}), None),
    ("ok_S_Resource_cn_partition", "valid",
     m({"A": T(Resource="arn:aws-cn:lambda:cn-north-1:123456789012:function:worker")}), None),
    ("ok_S_Resource_service_integration", "valid",
     m({"A": T(Resource=INVOKE, Parameters={"FunctionName": "worker", "Payload.$": "$"})}), None),
    ("ok_S_Resource_substitution", "valid", m({"A": T(Resource="${WorkerArn}")}), None),
    ("ok_S_Wait_Seconds_zero", "valid", m({"A": W(Seconds=0)}), None),
    ("ok_S_Succeed_InputPath", "valid", m({"A": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}),
     None),
    ("ok_S_Parallel_Parameters", "valid",
     m({"A": {**flow(sub({"B": P()})), "Parameters": {"x.$": "$.x"}}}), None),
    ("ok_S_Pass_Parameters_array", "valid", m({"A": P(Parameters=["a", "b"])}), None),       # contested: accepted
    # ---- references
    ("R01_StartAt_missing_target", "invalid", m({"A": P()}, start="Nope"), "ASL102"),
    ("R02_Next_missing_target", "invalid", m({"A": P(Next="Nope"), "B": P()}), "ASL102"),
    ("R03_Default_missing_target", "invalid", m({"A": C([CHOICE_OK], Default="Nope"), **DONE}), "ASL102"),
    ("R04_Catch_Next_missing", "invalid",
     m({"A": T(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Nope"}])}), "ASL102"),
    ("R05_ChoiceRule_Next_missing", "invalid",
     m({"A": C([{**CHOICE_OK, "Next": "Nope"}], Default="Done"), **DONE}), "ASL102"),
    ("R06_Branch_StartAt_missing", "invalid", m({"A": flow({"StartAt": "Nope", "States": {"B": P()}})}), "ASL102"),
    ("R07_branch_to_outer", "invalid", m({"A": {**flow(sub({"B": P(Next="Out")})), "End": False, "Next": "Out"},
                                          "Out": P()}), "ASL102"),
    ("R08_map_to_outer", "invalid", m({"A": {**mp(sub({"I": P(Next="Out")})), "End": False, "Next": "Out"},
                                       "Out": P()}), "ASL102"),
    ("R08b_iterator_to_outer", "invalid",
     m({"A": {"Type": "Map", "Iterator": sub({"I": P(Next="Out")}), "Next": "Out"}, "Out": P()}), "ASL102"),
    ("R09_dup_name_across_branches", "invalid", m({"A": flow(sub({"Same": P()}), sub({"Same": P()}))}), "ASL104"),
    ("R10_dup_name_outer_inner", "invalid", m({"A": {**mp(sub({"A": P()}))}}), "ASL104"),
    # ---- reachability / terminal states
    ("T01_unreachable_state", "invalid", m({"A": P(), "Orphan": P()}), "ASL101"),
    ("T02_unreachable_in_branch", "invalid", m({"A": flow(sub({"B": P(), "Orphan": P()}))}), "ASL101"),
    ("T03_no_terminal_cycle", "invalid", m({"A": P(Next="B"), "B": P(Next="A")}), "ASL103"),
    ("T04_no_terminal_in_branch", "invalid", m({"A": flow(sub({"B": P(Next="C"), "C": P(Next="B")}))}), "ASL103"),
    ("T05_unreachable_cycle", "invalid", m({"A": P(), "C": P(Next="D"), "D": P(Next="C")}), "ASL101"),
    ("W08_inescapable_loop", "warn",
     m({"A": C([{**CHOICE_OK, "Next": "B"}], Default="Done"), "B": P(Next="C"), "C": P(Next="B"), **DONE}),
     "ASL105"),
    ("T07_unreachable_in_map", "invalid", m({"A": mp(sub({"I": P(), "Orphan": P()}))}), "ASL101"),
    ("ok_T_reached_via_catch", "valid",
     m({"A": T(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Recover"}]), "Recover": P()}), None),
    ("ok_T_reached_via_default", "valid", m({"A": C([CHOICE_OK], Default="Other"), "Other": P(), **DONE}), None),
    ("W01_choice_without_default", "warn", m({"A": C([CHOICE_OK]), **DONE}), "ASL106"),
    ("W02_loop_without_wait", "warn",
     m({"Work": T(Next="Again?"), "Again?": C([{"Variable": "$.more", "BooleanEquals": True, "Next": "Work"}],
                                               Default="Done"), **DONE}), "ASL107"),
    # ---- field combinations
    ("F01_Wait_Seconds_and_SecondsPath", "invalid", m({"A": W(Seconds=1, SecondsPath="$.s")}), "ASL016"),
    ("F02_Wait_no_duration", "invalid", m({"A": W()}), "ASL010"),
    ("F03_Wait_Timestamp_and_Seconds", "invalid", m({"A": W(Seconds=1, Timestamp="2030-01-01T00:00:00Z")}),
     "ASL016"),
    ("F04_Timeout_and_TimeoutPath", "invalid", m({"A": T(TimeoutSeconds=5, TimeoutSecondsPath="$.t")}), "ASL016"),
    ("F05_Heartbeat_and_HeartbeatPath", "invalid", m({"A": T(HeartbeatSeconds=5, HeartbeatSecondsPath="$.h")}),
     "ASL016"),
    ("F06_Fail_Error_and_ErrorPath", "invalid", m({"A": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e"}}),
     "ASL016"),
    ("F07_Fail_Cause_and_CausePath", "invalid", m({"A": {"Type": "Fail", "Cause": "c", "CausePath": "$.c"}}),
     "ASL016"),
    ("F08_Map_Iterator_and_ItemProcessor", "invalid", m({"A": mp(sub({"I": P()}), Iterator=sub({"J": P()}))}),
     "ASL016"),
    ("F09_Map_ItemSelector_and_Parameters", "invalid",
     m({"A": mp(sub({"I": P()}), ItemSelector={"a": 1}, Parameters={"b": 2})}), "ASL016"),
    ("F10_Map_Items_in_JSONPath", "invalid", m({"A": mp(sub({"I": P()}), Items=[1, 2])}), "ASL018"),
    ("F11_Map_ToleratedCount_and_Path", "invalid",
     m({"A": dist(ToleratedFailureCount=1, ToleratedFailureCountPath="$.n")}), "ASL016"),
    ("F12_Map_ToleratedPct_and_Path", "invalid",
     m({"A": dist(ToleratedFailurePercentage=1, ToleratedFailurePercentagePath="$.n")}), "ASL016"),
    ("F13_Map_MaxConcurrency_and_Path", "invalid",
     m({"A": mp(sub({"I": P()}), MaxConcurrency=1, MaxConcurrencyPath="$.n")}), "ASL016"),
    ("F14_ReaderConfig_MaxItems_and_Path", "invalid",
     m({"A": dist(ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                              "Parameters": {"Bucket": "b", "Key": "k"},
                              "ReaderConfig": {"InputType": "JSON", "MaxItems": 5, "MaxItemsPath": "$.n"}})}),
     "ASL016"),
    ("F15_ItemBatcher_MaxItems_and_Path", "invalid",
     m({"A": dist(ItemBatcher={"MaxItemsPerBatch": 5, "MaxItemsPerBatchPath": "$.n"})}), "ASL016"),
    ("F16_JSONPath_state_with_Arguments", "invalid", m({"A": T(Arguments={"a": 1})}), "ASL018"),
    ("F17_JSONPath_state_with_Output", "invalid", m({"A": P(Output={"a": 1})}), "ASL018"),
    ("F18_JSONata_state_with_Parameters", "invalid", ja({"A": T(Parameters={"a": 1})}), "ASL018"),
    ("F19_JSONata_state_with_InputPath", "invalid", ja({"A": P(InputPath="$.a", ResultPath="$.b")}), "ASL018"),
    ("F20_JSONata_rule_with_Variable", "invalid", ja({"A": C([CHOICE_OK], Default="Done"), **DONE}), "ASL018"),
    ("F21_JSONPath_rule_with_Condition", "invalid",
     m({"A": C([{"Condition": "{% true %}", "Next": "Done"}], Default="Done"), **DONE}), "ASL018"),
    ("F22_QueryLanguage_bad_value", "invalid", m({"A": P()}, QueryLanguage="XPath"), "ASL013"),
    ("F23_JSONata_machine_JSONPath_state", "invalid", ja({"A": P(QueryLanguage="JSONPath")}), "ASL019"),
    ("F24_Credentials_not_object", "invalid", m({"A": T(Credentials="arn:aws:iam::123456789012:role/r")}), "ASL012"),
    ("F25_ToleratedPct_over_100", "invalid", m({"A": dist(ToleratedFailurePercentage=101)}), "ASL014"),
    ("F26_MaxInputBytes_too_big", "invalid", m({"A": dist(ItemBatcher={"MaxInputBytesPerBatch": 300000})}),
     "ASL014"),
    ("F27_Distributed_no_ExecutionType", "invalid", m({"A": dist(execution=None)}), "ASL010"),
    ("F28_ResultWriter_no_Resource", "invalid", m({"A": dist(ResultWriter={"Parameters": {"Bucket": "b"}})}),
     "ASL010"),
    ("ok_F_Assign_JSONPath", "valid",
     m({"A": P(Assign={"count": 1, "name.$": "$.name"}, Next="B"), "B": P(Parameters={"c.$": "$count"})}), None),
    ("ok_F_JSONata_basic", "valid", ja({
        "Call": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "worker",
                                                                   "Payload": "{% $states.input %}"},
                 "Output": "{% $states.result.Payload %}", "Assign": {"status": "{% $states.result.StatusCode %}"},
                 "Next": "Ok?"},
        "Ok?": C([{"Condition": "{% $status = 200 %}", "Next": "Done"}], Default="Failed"),
        "Failed": {"Type": "Fail", "Error": "Bad"}, **DONE}), None),
    # ---- paths
    ("P01_InputPath_not_path", "invalid", m({"A": P(InputPath="payload")}), "ASL201"),
    ("P02_OutputPath_bad_syntax", "invalid", m({"A": P(OutputPath="$.a[")}), "ASL201"),
    ("P03_ResultPath_wildcard", "invalid", m({"A": P(ResultPath="$.a[*]")}), "ASL202"),
    ("P03b_ResultPath_descent", "invalid", m({"A": P(ResultPath="$..a")}), "ASL202"),
    ("P04_ResultPath_context", "invalid", m({"A": P(ResultPath="$$.Execution")}), "ASL203"),
    ("P05_ItemsPath_null", "invalid", m({"A": mp(sub({"I": P()}), ItemsPath=None)}), "ASL201"),
    ("P06_ItemsPath_bad", "invalid", m({"A": mp(sub({"I": P()}), ItemsPath="items")}), "ASL201"),
    ("P07_Choice_Variable_bad", "invalid", choice_machine({**CHOICE_OK, "Variable": "x"}), "ASL201"),
    ("P08_StringEqualsPath_bad", "invalid",
     choice_machine({"Variable": "$.x", "StringEqualsPath": "y", "Next": "Done"}), "ASL201"),
    ("P09_SecondsPath_bad", "invalid", m({"A": W(SecondsPath="s")}), "ASL201"),
    ("P10_TimestampPath_nonref", "invalid", m({"A": W(TimestampPath="$..t")}), "ASL202"),
    ("P11_TimeoutSecondsPath_nonref", "invalid", m({"A": T(TimeoutSecondsPath="$.a[*].t")}), "ASL202"),
    ("P12_param_dollar_not_path", "invalid", params({"x.$": "ipsum"}), "ASL204"),
    ("P13_param_dollar_nested_bad", "invalid", params({"list": [{"x.$": "nope"}]}), "ASL204"),
    ("P14_ResultSelector_dollar_bad", "invalid", m({"A": T(ResultSelector={"x.$": "nope"})}), "ASL204"),
    ("P15_param_dollar_non_string", "invalid", params({"x.$": 5}), "ASL204"),
    ("P16_dup_key_after_strip", "invalid", params({"a": 1, "a.$": "$.a"}), "ASL205"),
    ("P17_ResultPath_variable", "invalid", m({"A": P(ResultPath="$var")}), "ASL203"),
    ("P18_ErrorPath_not_path", "invalid", m({"A": {"Type": "Fail", "ErrorPath": "oops"}}), "ASL201"),
    ("P19_CausePath_nonstring_intrinsic", "invalid",
     m({"A": {"Type": "Fail", "CausePath": "States.Array($.a, $.b)"}}), "ASL215"),
    ("P20_Credentials_dollar_bad", "invalid", m({"A": T(Credentials={"RoleArn.$": "nope"})}), "ASL204"),
    ("P21_Assign_dollar_bad", "invalid", m({"A": P(Assign={"v.$": "nope"})}), "ASL204"),
    ("P22_ItemSelector_dollar_bad", "invalid", m({"A": mp(sub({"I": P()}), ItemSelector={"v.$": "nope"})}),
     "ASL204"),
    ("P23_ItemReader_params_dollar_bad", "invalid",
     m({"A": dist(ItemReader={"Resource": "arn:aws:states:::s3:getObject",
                              "Parameters": {"Bucket": "b", "Key.$": "nope"}})}), "ASL204"),
    ("ok_P_context_paths", "valid",
     m({"A": T(InputPath="$$.Execution.Input", Parameters={"id.$": "$$.Execution.Id"})}), None),
    ("ok_P_filter_in_InputPath", "valid", m({"A": P(InputPath="$.a[?(@.b > 1)]")}), None),
    ("ok_P_null_paths", "valid", m({"A": P(InputPath=None, OutputPath=None, ResultPath=None)}), None),
    ("ok_P_variable_in_param", "valid",
     m({"A": P(Assign={"v": 1}, Next="B"), "B": T(Parameters={"y.$": "$v"})}), None),
    ("ok_P_bracket_hyphen", "valid", m({"A": P(InputPath="$['a-b']")}), None),
    ("ok_P_negative_index", "valid", m({"A": P(InputPath="$.books[-2]")}), None),          # contested: Jayway
    ("ok_P_hyphen_dot", "valid", m({"A": P(InputPath="$.input-foo")}), None),
    ("W03_NO_DOLLAR", "warn", params({"x": "$.foo"}), "ASL206"),
    ("P24_Timestamp_is_path", "invalid", m({"A": W(Timestamp="$.when")}), "ASL020"),
    ("W04_NO_PATH", "warn", m({"A": {"Type": "Fail", "Error": "Failed", "Cause": "$.errorInfo"}}), "ASL207"),
    ("W05_PASS_RESULT_IS_STATIC", "warn", m({"A": P(Result={"a.$": "$.x"})}), "ASL208"),
    # ---- intrinsic functions
    ("I01_unknown_intrinsic", "invalid", params({"x.$": "States.Foo($.x)"}), "ASL210"),
    ("I02_wrong_arity", "invalid", params({"x.$": "States.UUID(1)"}), "ASL210"),
    ("I02b_wrong_arity_mathadd", "invalid", params({"x.$": "States.MathAdd($.a)"}), "ASL210"),
    ("I03_unbalanced_parens", "invalid", params({"x.$": "States.Format('x {}', $.a"}), "ASL210"),
    ("I04_double_quoted_literal", "invalid", params({"x.$": 'States.Format("x")'}), "ASL210"),
    ("I05_intrinsic_in_InputPath", "invalid", m({"A": P(InputPath="States.ArrayGetItem($.a, 0)")}),
     "ASL201"),                                                                              # contested: error
    ("I06_nesting_over_10", "invalid",
     params({"x.$": "States.ArrayLength(" * 11 + "$.a" + ")" * 11}), "ASL211"),
    ("I07_Hash_bad_algorithm", "invalid", params({"x.$": "States.Hash($.a, 'SHA-999')"}), "ASL212"),
    ("I08_Format_placeholder_mismatch", "invalid", params({"x.$": "States.Format('{} {}', $.a)"}), "ASL213"),
    ("I09_trailing_space", "warn", params({"x.$": "States.JsonToString($)   "}), "ASL214"),  # contested: warning
    ("I10_bad_path_arg", "invalid", params({"x.$": "States.JsonToString($$$)"}), "ASL210"),
    ("ok_I_nested_mathadd", "valid", params({"x.$": "States.MathAdd(States.ArrayLength($.a), -1)"}), None),
    ("ok_I_uuid", "valid", params({"x.$": "States.UUID()"}), None),
    ("ok_I_format_escaped_quote", "valid", params({"x.$": "States.Format('It\\'s \\{literal\\} {}', $.a)"}), None),
    # ---- retry / catch
    ("C01_ALL_not_last_retry", "invalid",
     m({"A": T(Retry=[{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["States.Timeout"]}])}), "ASL302"),
    ("C02_ALL_with_others", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["States.Timeout", "States.ALL"]}])}),
     "ASL301"),
    ("C03_ALL_not_last_catch", "invalid",
     m({"A": T(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "B"}, {"ErrorEquals": ["X"], "Next": "B"}]),
        "B": P()}), "ASL302"),
    ("C04_empty_ErrorEquals", "invalid", m({"A": T(Retry=[{"ErrorEquals": []}])}), "ASL015"),
    ("C05_Catch_missing_Next", "invalid", m({"A": T(Catch=[{"ErrorEquals": ["States.ALL"]}])}), "ASL010"),
    ("C06_BackoffRate_lt_1", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "BackoffRate": 0.5}])}), "ASL014"),
    ("C07_MaxAttempts_negative", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "MaxAttempts": -1}])}),
     "ASL014"),
    ("C08_IntervalSeconds_zero", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "IntervalSeconds": 0}])}),
     "ASL014"),
    ("C09_JitterStrategy_bad", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "JitterStrategy": "HALF"}])}),
     "ASL013"),
    ("C10_MaxDelaySeconds_zero", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "MaxDelaySeconds": 0}])}),
     "ASL014"),
    ("C11_unknown_retrier_field", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "Delay": 3}])}), "ASL011"),
    ("C12_unknown_catcher_field", "invalid",
     m({"A": T(Catch=[{"ErrorEquals": ["X"], "Next": "B", "Output": {}}]), "B": P()}), "ASL018"),
    ("C13_ErrorEquals_non_string", "invalid", m({"A": T(Retry=[{"ErrorEquals": [1]}])}), "ASL012"),
    ("C14_MaxAttempts_too_big", "invalid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "MaxAttempts": 100000000}])}),
     "ASL014"),
    ("C15_Catch_ResultPath_bad", "invalid",
     m({"A": T(Catch=[{"ErrorEquals": ["X"], "Next": "B", "ResultPath": "$.a[*]"}]), "B": P()}), "ASL202"),
    ("C16_shadowed_retrier", "warn",
     m({"A": T(Retry=[{"ErrorEquals": ["Lambda.ServiceException"]},
                      {"ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 6}])}), "ASL303"),
    ("C17_Retry_not_array", "invalid", m({"A": T(Retry={"ErrorEquals": ["X"]})}), "ASL012"),
    ("ok_C_BackoffRate_int", "valid", m({"A": T(Retry=[{"ErrorEquals": ["X"], "BackoffRate": 2}])}), None),
    ("ok_C_jitter_full", "valid",
     m({"A": T(Retry=[{"ErrorEquals": ["X"], "JitterStrategy": "FULL", "MaxDelaySeconds": 30}])}), None),
    # ---- Choice rules
    ("H01_Choices_empty", "invalid", m({"A": C([], Default="Done"), **DONE}), "ASL015"),
    ("H02_rule_without_Next", "invalid", choice_machine({"Variable": "$.x", "StringEquals": "a"}), "ASL010"),
    ("H03_rule_no_operator", "invalid", choice_machine({"Variable": "$.x", "Next": "Done"}), "ASL024"),
    ("H04_rule_two_operators", "invalid",
     choice_machine({"Variable": "$.x", "StringEquals": "a", "StringLessThan": "b", "Next": "Done"}), "ASL024"),
    ("H05_comparison_without_Variable", "invalid", choice_machine({"StringEquals": "a", "Next": "Done"}), "ASL024"),
    ("H06_nested_rule_with_Next", "invalid",
     choice_machine({"And": [{**CHOICE_OK}], "Next": "Done"}), "ASL024"),
    ("H07_And_empty", "invalid", choice_machine({"And": [], "Next": "Done"}), "ASL015"),
    ("H08_Not_is_array", "invalid",
     choice_machine({"Not": [{"Variable": "$.x", "IsNull": True}], "Next": "Done"}), "ASL012"),
    ("H09_StringEquals_number", "invalid", choice_machine({**CHOICE_OK, "StringEquals": 1}), "ASL012"),
    ("H10_NumericEquals_string", "invalid",
     choice_machine({"Variable": "$.n", "NumericEquals": "1", "Next": "Done"}), "ASL012"),
    ("H11_BooleanEquals_string", "invalid",
     choice_machine({"Variable": "$.b", "BooleanEquals": "true", "Next": "Done"}), "ASL012"),
    ("H12_Timestamp_not_rfc3339", "invalid",
     choice_machine({"Variable": "$.t", "TimestampEquals": "2024-01-01", "Next": "Done"}), "ASL020"),
    ("H13_IsPresent_not_bool", "invalid", choice_machine({"Variable": "$.b", "IsPresent": "yes", "Next": "Done"}),
     "ASL012"),
    ("H14_unknown_operator", "invalid", choice_machine({"Variable": "$.s", "StringContains": "a", "Next": "Done"}),
     "ASL011"),
    ("H15_Boolean_and_Variable", "invalid",
     choice_machine({"And": [{"Variable": "$.x", "IsNull": True}], "Variable": "$.y", "StringEquals": "a",
                     "Next": "Done"}), "ASL024"),
    ("H16_JSONata_rule_missing_Condition", "invalid",
     ja({"A": C([{"Next": "Done"}], Default="Done"), **DONE}), "ASL024"),
    ("H17_Condition_not_jsonata", "invalid",
     ja({"A": C([{"Condition": "true", "Next": "Done"}], Default="Done"), **DONE}), "ASL012"),
    ("H18_Assign_in_nested_rule", "invalid",
     choice_machine({"And": [{"Variable": "$.x", "IsNull": False, "Assign": {"v": 1}}], "Next": "Done"}), "ASL024"),
    ("H19_StringMatches_number", "invalid",
     choice_machine({"Variable": "$.s", "StringMatches": 5, "Next": "Done"}), "ASL012"),
    ("ok_H_nested_comment", "valid",
     choice_machine({"Not": {"Variable": "$.x", "IsNull": True, "Comment": "not null"}, "Next": "Done"}), None),
    ("ok_H_rule_Assign", "valid", choice_machine({**CHOICE_OK, "Assign": {"picked": "a"}}), None),
    ("ok_H_context_variable", "valid",
     choice_machine({"Variable": "$$.Execution.Input.x", "IsPresent": True, "Next": "Done"}), None),
    # ---- Map / Parallel
    ("M01_Branches_empty", "invalid", m({"A": {"Type": "Parallel", "Branches": [], "End": True}}), "ASL015"),
    ("M02_Branch_not_object", "invalid", m({"A": {"Type": "Parallel", "Branches": [1], "End": True}}), "ASL012"),
    ("M03_Branch_missing_StartAt", "invalid", m({"A": flow({"States": {"B": P()}})}), "ASL010"),
    ("M04_ItemProcessor_missing_States", "invalid", m({"A": mp({"StartAt": "I"})}), "ASL010"),
    ("M05_ProcessorConfig_bad_mode", "invalid",
     m({"A": mp({"ProcessorConfig": {"Mode": "PARALLEL"}, **sub({"I": P()})})}), "ASL013"),
    ("M06_MaxConcurrency_negative", "invalid", m({"A": mp(sub({"I": P()}), MaxConcurrency=-1)}), "ASL014"),
    ("M07_MaxConcurrency_float", "invalid", m({"A": mp(sub({"I": P()}), MaxConcurrency=1.5)}), "ASL014"),
    ("M08_ItemReader_missing_Resource", "invalid",
     m({"A": dist(ItemReader={"Parameters": {"Bucket": "b", "Key": "k"}})}), "ASL010"),
    ("M09_ItemSelector_not_object", "invalid", m({"A": mp(sub({"I": P()}), ItemSelector="$.item")}), "ASL209"),
    ("M10_Label_too_long", "invalid", m({"A": dist(Label="L" * 41)}), "ASL023"),
    ("M11_Label_bad_chars", "invalid", m({"A": dist(Label="my label/x")}), "ASL023"),
    ("M12_unknown_field_in_ItemProcessor", "invalid", m({"A": mp({**sub({"I": P()}), "Extra": 1})}), "ASL011"),
    ("M13_nested_unknown_field", "invalid",
     m({"A": flow(sub({"B": mp(sub({"C": P(Bogus=True)}))}))}), "ASL011"),
    ("W06_Map_Iterator_deprecated", "warn", m({"A": {"Type": "Map", "Iterator": sub({"I": P()}), "End": True}}),
     "ASL027"),
    ("W07_Map_Parameters_deprecated", "warn",
     m({"A": mp(sub({"I": P()}), Parameters={"v.$": "$$.Map.Item.Value"})}), "ASL028"),
    ("ok_M_distributed", "valid", m({"A": dist(
        {"I": P()}, execution="EXPRESS", Label="Orders",
        ItemReader={"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b", "Key": "k.json"},
                    "ReaderConfig": {"InputType": "JSON", "MaxItems": 100}},
        ItemBatcher={"MaxItemsPerBatch": 10, "BatchInput": {"run.$": "$$.Execution.Id"}},
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "out"}},
        ToleratedFailurePercentage=5, ToleratedFailureCount=10)}), None),
    # ---- JSONata
    ("J01_syntax_error", "invalid", ja({"A": P(Output="{% $states.input. %}")}), "ASL501"),
    ("J02_unclosed", "invalid", ja({"A": P(Output="{% 1 + 1")}), "ASL502"),
    ("J03_no_spaces", "warn", ja({"A": P(Output="{%1%}")}), "ASL510"),                    # contested: warning
    ("J04_unknown_function", "warn", ja({"A": P(Output="{% $nosuchfn(1) %}")}), "ASL503"),   # AWS accepts: warning
    ("J05_undefined_variable", "warn", ja({"A": P(Output="{% $undefinedVar %}")}), "ASL504"),
    ("J06_states_result_in_Arguments", "invalid",
     ja({"A": {"Type": "Task", "Resource": INVOKE, "Arguments": {"x": "{% $states.result %}"}, "End": True}}),
     "ASL505"),
    ("J07_errorOutput_outside_catch", "invalid", ja({"A": P(Output="{% $states.errorOutput %}")}), "ASL505"),
    ("J08_top_level_dollar", "invalid", ja({"A": P(Output="{% $.foo %}")}), "ASL506"),
    ("J09_Output_in_Fail", "invalid", ja({"A": {"Type": "Fail", "Output": {}}}), "ASL011"),
    ("J10_Arguments_in_Pass", "invalid", ja({"A": P(Arguments={})}), "ASL011"),
    ("J11_Items_object", "invalid", ja({"A": mp(sub({"I": P()}), Items={"a": 1})}), "ASL012"),
    ("J12_Assign_in_Succeed", "invalid", ja({"A": {"Type": "Succeed", "Assign": {"x": 1}}}), "ASL011"),
    ("J13_Assign_bad_var_name", "invalid", ja({"A": P(Assign={"my-var": 1})}), "ASL507"),
    ("J14_Assign_refers_same_block", "invalid", ja({"A": P(Assign={"a": 1, "b": "{% $a + 1 %}"})}), "ASL508"),
    ("J15_TimeoutSeconds_bad_jsonata", "invalid",
     ja({"A": {"Type": "Task", "Resource": INVOKE, "TimeoutSeconds": "{% ) %}", "End": True}}), "ASL501"),
    ("J16_Seconds_plain_string", "invalid", ja({"A": W(Seconds="10")}), "ASL012"),
    ("ok_J_comment_with_braces", "valid", ja({"A": P(Comment="{% not an expression")}), None),
    ("ok_J_state_level", "valid", m({"A": P(QueryLanguage="JSONata", Output="{% $states.input %}")}), None),
    ("ok_J_TimeoutSeconds_expr", "valid",
     ja({"A": {"Type": "Task", "Resource": INVOKE, "Arguments": {"FunctionName": "worker"},
               "TimeoutSeconds": "{% $states.input.t %}", "End": True}}), None),
    # ---- limits
    ("L01_state_name_81", "invalid", m({"N" * 81: P()}), "ASL022"),
    ("L02_state_name_control_char", "invalid", m({"Bell\u0007": P()}), "ASL022"),
    ("L03_TimeoutSeconds_too_big", "invalid", m({"A": P()}, TimeoutSeconds=100000000), "ASL014"),
    ("L04_Wait_Seconds_too_big", "invalid", m({"A": W(Seconds=100000000)}), "ASL014"),
    ("L06_deep_nesting", "warn", None, "ASL026"),                                            # contested: warning
    ("ok_L_state_name_80", "valid", m({"N" * 80: P()}), None),
]


def _deep_parallel(levels: int) -> dict:
    inner: dict = sub({"Leaf": P()})
    for i in range(levels):
        inner = sub({f"Level{i}": flow(inner)})
    return inner


@pytest.mark.parametrize("row_id,expect,definition,code", ROWS, ids=[r[0] for r in ROWS])
def test_spec_row(row_id, expect, definition, code):
    if row_id == "L06_deep_nesting":
        definition = _deep_parallel(12)
    source = definition if isinstance(definition, str) else json.dumps(definition)
    diagnostics = lint(source)
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    shown = [(d.code, d.message) for d in diagnostics]
    if expect == "valid":
        assert diagnostics == [], shown
    elif expect == "invalid":
        assert code in {d.code for d in errors}, shown
    else:
        assert errors == [], shown
        assert code in {d.code for d in warnings}, shown


def test_L05_definition_over_1MiB():
    big = m({"A": P(Result="x" * 1_100_000)})
    assert "ASL004" in {d.code for d in lint(json.dumps(big))}


def test_every_row_of_the_catalogue_is_covered():
    """The table above names every check of LINT_RULES.md (the file is shared, read-only)."""
    from pathlib import Path

    catalogue = Path(__file__).resolve().parents[3] / "shared" / "spec" / "LINT_RULES.md"
    if not catalogue.exists():
        pytest.skip("shared/spec not present")
    import re

    text = catalogue.read_text().split("# Appendices")[0]
    ids = {line.split("|")[1].strip() for line in text.splitlines() if line.startswith("| ")}
    ids = {i for i in ids if re.fullmatch(r"(ok_[A-Za-z]+|[A-Z]+\d+[a-z]?)_\w+", i)}
    assert len(ids) > 150
    covered = {r[0] for r in ROWS} | {"L05_definition_over_1MiB"}
    assert ids - covered == set()
