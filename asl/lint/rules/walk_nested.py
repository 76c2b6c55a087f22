"""Parallel branches and everything a Map has (processor, reader, batcher, writer, limits) for the schema walk.

A mixin of :class:`asl.lint.rules.walk.Walker`: methods ``h_<field>`` are named by the field tables in
:mod:`asl.lint.rules.schema`; the others are helpers of those.
"""
from __future__ import annotations

import re

from . import structure as S
from ._values import is_jsonata, pointer_join, type_name
from .schema import JSONATA, JSONPATH, LABEL_FORBIDDEN, MAX_LABEL


class NestedChecks:
    def h_branches(self, value, pointer, key, st):
        if not isinstance(value, list):
            self.report(S.WrongType, f"Field 'Branches' must be an array, not {type_name(value)}", pointer)
            return
        if not value:
            self.report(S.EmptyValue, "Value cannot be empty: a Parallel state needs at least one branch", pointer)
        for i, branch in enumerate(value):
            ptr = pointer_join(pointer, i)
            if not isinstance(branch, dict):
                self.report(S.WrongType, f"A branch must be an object with StartAt and States, not "
                            f"{type_name(branch)}", ptr)
                continue
            self.scopes += 1
            self.workflow(branch, ptr, "branch", st.scope + (self.scopes,))

    def h_item_processor(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field '{key}' must be an object, not {type_name(value)}", pointer)
            return
        config = value.get("ProcessorConfig")
        if "ProcessorConfig" in value:
            cptr = pointer_join(pointer, "ProcessorConfig")
            if not isinstance(config, dict):
                self.report(S.WrongType, f"Field 'ProcessorConfig' must be an object, not {type_name(config)}", cptr)
            else:
                for k, v in config.items():
                    p = pointer_join(cptr, k)
                    if k == "Mode":
                        self.enum(v, p, k, ("INLINE", "DISTRIBUTED"))
                    elif k == "ExecutionType":
                        self.enum(v, p, k, ("STANDARD", "EXPRESS"))
                    else:
                        self.report(S.UnsupportedField, f"Field '{k}' is not supported in ProcessorConfig", p)
                if config.get("Mode") == "DISTRIBUTED" and "ExecutionType" not in config:
                    self.report(S.MissingRequiredField, "These fields are required: [ExecutionType] (a DISTRIBUTED "
                                "Map must say how its child workflows run)", cptr)
        self.scopes += 1
        if st.distributed:
            self.distributed_scopes.add(self.scopes)
        self.workflow(value, pointer, "processor", st.scope + (self.scopes,))

    def h_items(self, value, pointer, key, st):
        if is_jsonata(value):
            self.expression(value, pointer, key, st)
        elif isinstance(value, list):
            self.jsonata_json(value, pointer, key, st)
        elif not (isinstance(value, str) and self.malformed_jsonata(value, pointer)):
            self.report(S.WrongType, f"Field 'Items' must be an array or a JSONata expression, not "
                        f"{type_name(value)}", pointer)

    def h_item_selector(self, value, pointer, key, st):
        if st.lang == JSONATA:
            self.jsonata_json(value, pointer, key, st)
        else:
            self.h_template(value, pointer, key, st)

    def h_map_parameters(self, value, pointer, key, st):
        self.h_template(value, pointer, key, st)

    def h_max_concurrency(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a non-negative integer"):
            self.integer(value, pointer, key, 0, None)

    def h_tolerated_count(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a non-negative integer"):
            self.integer(value, pointer, key, 0, None)

    def h_tolerated_percentage(self, value, pointer, key, st):
        if not self.jsonata_or(value, pointer, key, st, "a number from 0 to 100"):
            self.number(value, pointer, key, 0, 100)

    def h_label(self, value, pointer, key, st):
        if not self.string(value, pointer, key):
            return
        first = self.labels.setdefault(value, pointer)
        if first != pointer:
            self.report(S.DuplicateLabel, f"Duplicate Label {value!r} (also used at {first})", pointer)
        if len(value) > MAX_LABEL:
            self.report(S.InvalidLabel, f"Label is {len(value)} characters long; the maximum is {MAX_LABEL}", pointer)
        elif not value or re.search(LABEL_FORBIDDEN, value):
            self.report(S.InvalidLabel, f"Label {value!r} must not be empty or contain whitespace, control "
                        "characters or any of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /", pointer)

    def h_item_reader(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ItemReader' must be an object, not {type_name(value)}", pointer)
            return
        if "Resource" not in value:
            self.report(S.MissingRequiredField, "These fields are required: [Resource]", pointer)
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "Resource":
                self.name_ref(v, p, k)
            elif k == "ReaderConfig":
                self.reader_config(v, p, st)
            else:
                self._io_parameters(k, v, p, st, "an ItemReader")

    def _io_parameters(self, k, v, p, st, where):
        if k == "Parameters":
            if st.lang == JSONATA:
                self._wrong_lang(k, st, p)
            else:
                self.h_template(v, p, k, st)
        elif k == "Arguments":
            if st.lang == JSONPATH:
                self._wrong_lang(k, st, p)
            else:
                self.jsonata_json(v, p, k, st)
        else:
            self.report(S.UnsupportedField, f"Field '{k}' is not supported in {where}", p)

    def reader_config(self, value, pointer, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ReaderConfig' must be an object, not {type_name(value)}", pointer)
            return
        enums = {
            "InputType": ("CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"),
            "CSVHeaderLocation": ("FIRST_ROW", "GIVEN"),
            "CSVDelimiter": ("COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"),
            "Transformation": ("NONE", "LOAD_AND_FLATTEN"),
            "ManifestType": ("ATHENA_DATA", "S3_INVENTORY"),
        }
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k in enums:
                self.enum(v, p, k, enums[k])
            elif k == "CSVHeaders":
                if not isinstance(v, list) or not all(isinstance(h, str) for h in v):
                    self.report(S.WrongType, "Field 'CSVHeaders' must be an array of strings", p)
            elif k == "MaxItems":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, 100000000)
            elif k == "MaxItemsPath":
                if st.lang == JSONATA:
                    self._wrong_lang(k, st, p)
                else:
                    self.h_map_ref_path(v, p, k, st)
            elif k == "ItemsPointer":
                self.string(v, p, k)
            else:
                self.report(S.UnsupportedField, f"Field '{k}' is not supported in ReaderConfig", p)
        if "MaxItems" in value and "MaxItemsPath" in value:
            self.report(S.MutuallyExclusiveFields, "There should only be one of the following fields: "
                        "[MaxItems, MaxItemsPath]", pointer)

    def h_item_batcher(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ItemBatcher' must be an object, not {type_name(value)}", pointer)
            return
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "BatchInput":
                if st.lang == JSONATA:
                    self.jsonata_json(v, p, k, st)
                else:
                    self.h_template(v, p, k, st)
            elif k == "MaxItemsPerBatch":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, None)
            elif k == "MaxInputBytesPerBatch":
                if not self.jsonata_or(v, p, k, st, "a positive integer"):
                    self.integer(v, p, k, 1, 262144)
            elif k in ("MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"):
                if st.lang == JSONATA:
                    self._wrong_lang(k, st, p)
                else:
                    self.h_map_ref_path(v, p, k, st)
            else:
                self.report(S.UnsupportedField, f"Field '{k}' is not supported in an ItemBatcher", p)
        for a, b in (("MaxItemsPerBatch", "MaxItemsPerBatchPath"), ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")):
            if a in value and b in value:
                self.report(S.MutuallyExclusiveFields, f"There should only be one of the following fields: [{a}, {b}]",
                            pointer)

    def h_result_writer(self, value, pointer, key, st):
        if not isinstance(value, dict):
            self.report(S.WrongType, f"Field 'ResultWriter' must be an object, not {type_name(value)}", pointer)
            return
        if "Resource" not in value and "WriterConfig" not in value:
            self.report(S.MissingRequiredField, "These fields are required: [Resource]", pointer)
        elif "Resource" not in value and ("Parameters" in value or "Arguments" in value):
            self.report(S.MissingRequiredField, "These fields are required: [Resource] (to export results)", pointer)
        for k, v in value.items():
            p = pointer_join(pointer, k)
            if k == "Resource":
                self.name_ref(v, p, k)
            elif k == "WriterConfig":
                if not isinstance(v, dict):
                    self.report(S.WrongType, f"Field 'WriterConfig' must be an object, not {type_name(v)}", p)
                    continue
                if "OutputType" not in v:
                    self.report(S.MissingRequiredField, "These fields are required: [OutputType]", p)
                for wk, wv in v.items():
                    wp = pointer_join(p, wk)
                    if wk == "OutputType":
                        self.enum(wv, wp, wk, ("JSON", "JSONL"))
                    elif wk == "Transformation":
                        self.enum(wv, wp, wk, ("NONE", "COMPACT", "FLATTEN"))
                    else:
                        self.report(S.UnsupportedField, f"Field '{wk}' is not supported in WriterConfig", wp)
            else:
                self._io_parameters(k, v, p, st, "a ResultWriter")
