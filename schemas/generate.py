#!/usr/bin/env python3
"""Generates schemas/asl.schema.json, the JSON Schema of Amazon States Language.

The schema is written out in full (every property of every state type carries
its own description, so editors show it on hover without following `$ref`s);
this script keeps the repeated parts in one place. Edit it, then run

    python3 schemas/generate.py > schemas/asl.schema.json

Design (see src/schema.rs for how errors are reported):
* states are dispatched on `Type` with `if`/`then`, never `oneOf`, so an error
  names the real field;
* every object lists its fields and sets `additionalProperties: false`;
* the query language splits the fields: a state whose own `QueryLanguage` is
  JSONata may not have JSONPath-only fields and the other way round; a state
  without one follows the top-level `QueryLanguage` (default JSONPath), and so
  do the states of Parallel branches and Map item processors. The root picks
  one of two variants of the `States` map with `if`/`then`/`else`, and each
  variant passes its default down (`states`, `state`, `parallelState`,
  `mapState`, `branch` and `processor` for JSONPath; the same names ending in
  `JSONata` for JSONata). The forbidden fields are `false` schemas listed in
  `noJSONPathFields` and `noJSONataFields`, the same set the
  `wrong-query-language-field` rule reports (it names the replacement field;
  the linter keeps its finding and drops the schema's);
* `Next` and `End` are accepted on every state: whether they may appear is a
  graph rule;
* mutual exclusions, path syntax and ARN forms are other rules' business.
"""

import json
import sys

# A JSONata expression: the whole string is `{% … %}`.
JSONATA = r"^\{%[\s\S]*%\}$"

STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"]


def jsonata_or(kind, **limits):
    """A value of JSON type `kind` (with numeric limits) or a JSONata string.

    `pattern` applies to strings only and `minimum`/`maximum` to numbers only,
    so no `anyOf` is needed (and errors stay precise)."""
    s = {"type": [kind, "string"], "pattern": JSONATA}
    s.update(limits)
    return s


def d(description, schema=None):
    out = {"description": description}
    out.update(schema or {})
    return out


SECONDS_MAX = 99999999

# `Arguments`: an object (AWS documents it as key-value pairs; its language
# service, statelint and asl-validator reject a string or a number) or one
# JSONata expression. An array is accepted: statelint allows it and the
# specification speaks of "JSON text".
ARGUMENTS = {"type": ["object", "array", "string"], "pattern": JSONATA}

# ---------------------------------------------------------------------------
# Fields shared by several state types: description and value schema.

COMMON = {
    "Type": d(
        "The state's type: Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.",
        {"enum": STATE_TYPES},
    ),
    "Comment": d("A human-readable description of the state.", {"type": "string"}),
    "QueryLanguage": d(
        "The query language of this state, overriding the top-level one: "
        "`JSONPath` (the default) or `JSONata`.",
        {"enum": ["JSONPath", "JSONata"]},
    ),
    "Next": d(
        "The name of the state to run after this one, in the same `States` object.",
        {"type": "string", "minLength": 1},
    ),
    "End": d(
        "`true` makes this a terminal state: the execution (or branch, or "
        "iteration) ends when it completes.",
        {"type": "boolean"},
    ),
    "InputPath": d(
        "JSONPath only. A path selecting the part of the state input to work on "
        "(default `$`); `null` passes an empty object `{}`.",
        {"type": ["string", "null"]},
    ),
    "OutputPath": d(
        "JSONPath only. A path selecting the part of the result to pass on as "
        "the state output (default `$`); `null` passes an empty object `{}`.",
        {"type": ["string", "null"]},
    ),
    "ResultPath": d(
        "JSONPath only. Where to put the result in the state input to form the "
        "output (default `$`, replacing the input); `null` discards the result "
        "and passes the input through.",
        {"type": ["string", "null"]},
    ),
    "Parameters": d(
        "JSONPath only. A payload template building the effective input; keys "
        "ending in `.$` take a path or an intrinsic function.",
        {},
    ),
    "ResultSelector": d(
        "JSONPath only. A payload template shaping the raw result before "
        "`ResultPath` applies; keys ending in `.$` take a path.",
        {},
    ),
    "Arguments": d(
        "JSONata only. The input passed to the task or branches: JSON whose "
        "strings may be JSONata expressions `{% … %}`, or one JSONata expression.",
        ARGUMENTS,
    ),
    "Output": d(
        "JSONata only. The state output: JSON whose strings may be JSONata "
        "expressions `{% … %}` (e.g. `{% $states.result %}`), or one expression. "
        "Defaults to the result (or the input for states without one).",
        {},
    ),
    "Assign": d(
        "Variables to set when the state completes: an object mapping variable "
        "names to values, JSONPath templates (`name.$`) or JSONata expressions.",
        {"type": "object"},
    ),
    "Retry": d(
        "Retriers: how to retry the state when it fails with matching errors. "
        "The first retrier whose `ErrorEquals` matches is used.",
        {"type": "array", "items": {"$ref": "#/$defs/retrier"}},
    ),
    "Catch": d(
        "Catchers: where to go when the state fails with matching errors and "
        "retries are exhausted. The first matching catcher is used.",
        {"type": "array", "items": {"$ref": "#/$defs/catcher"}},
    ),
}

TASK = {
    "Resource": d(
        "What the task runs: an activity or Lambda ARN, or a service integration "
        "such as `arn:aws:states:::lambda:invoke`. In CloudFormation it may be a "
        "`Ref`/`Fn::GetAtt`/`Fn::Sub` object.",
        {"type": ["string", "object"]},
    ),
    "TimeoutSeconds": d(
        "Seconds the task may run before failing with `States.Timeout` "
        "(default 99999999). A JSONata expression in JSONata states.",
        jsonata_or("integer", minimum=1, maximum=SECONDS_MAX),
    ),
    "TimeoutSecondsPath": d(
        "JSONPath only. A reference path to the timeout, in seconds, in the state input.",
        {"type": "string"},
    ),
    "HeartbeatSeconds": d(
        "Seconds allowed between heartbeats (SendTaskHeartbeat) before the task "
        "fails with `States.HeartbeatTimeout`; must be less than `TimeoutSeconds`.",
        jsonata_or("integer", minimum=1, maximum=SECONDS_MAX),
    ),
    "HeartbeatSecondsPath": d(
        "JSONPath only. A reference path to the heartbeat interval, in seconds, "
        "in the state input.",
        {"type": "string"},
    ),
    "Credentials": d(
        "The IAM role to assume for this task (cross-account access): an object "
        "with `RoleArn` (or `RoleArn.$`).",
        {"type": ["object", "string"], "pattern": JSONATA},
    ),
}

PASS = {
    "Result": d(
        "JSONPath only. A fixed value used as the state's result; it is not "
        "evaluated (paths in it stay plain strings).",
        {},
    ),
}

CHOICE = {
    "Choices": d(
        "The choice rules, tried in order; the state goes to the `Next` of the "
        "first rule that matches.",
        {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/choiceRule"}},
    ),
    "Default": d(
        "The state to go to when no choice rule matches. Without it, the "
        "execution fails with `States.NoChoiceMatched`.",
        {"type": "string", "minLength": 1},
    ),
}

WAIT = {
    "Seconds": d(
        "How long to wait, in seconds (0 to 99999999). A JSONata expression in "
        "JSONata states.",
        jsonata_or("integer", minimum=0, maximum=SECONDS_MAX),
    ),
    "SecondsPath": d(
        "JSONPath only. A reference path to the number of seconds to wait in "
        "the state input.",
        {"type": "string"},
    ),
    "Timestamp": d(
        "Wait until this time: an RFC 3339 timestamp such as "
        "`2026-01-31T12:00:00Z`, or a JSONata expression in JSONata states.",
        {"type": "string"},
    ),
    "TimestampPath": d(
        "JSONPath only. A reference path to a timestamp in the state input.",
        {"type": "string"},
    ),
}

FAIL = {
    "Error": d(
        "The error name the execution fails with (used by catchers of "
        "enclosing Parallel/Map states). A JSONata expression in JSONata states.",
        {"type": "string"},
    ),
    "Cause": d(
        "A human-readable explanation of the failure. A JSONata expression in "
        "JSONata states.",
        {"type": "string"},
    ),
    "ErrorPath": d(
        "JSONPath only. A path or string intrinsic function giving the error name.",
        {"type": "string"},
    ),
    "CausePath": d(
        "JSONPath only. A path or string intrinsic function giving the cause.",
        {"type": "string"},
    ),
}

PARALLEL = {
    "Branches": d(
        "The branches to run in parallel; each is a state machine of its own "
        "(`StartAt` and `States`) and gets a copy of the input. The result is "
        "the array of their outputs.",
        {"type": "array", "items": {"$ref": "#/$defs/branch"}},
    ),
}

MAP = {
    "ItemProcessor": d(
        "The state machine run for each item (`StartAt`, `States`), with "
        "`ProcessorConfig` choosing Inline or Distributed mode.",
        {"$ref": "#/$defs/processor"},
    ),
    "Iterator": d(
        "Deprecated: use `ItemProcessor`. The state machine run for each item.",
        {"$ref": "#/$defs/processor"},
    ),
    "ItemsPath": d(
        "JSONPath only. A reference path to the array (or object) of items in "
        "the effective input (default `$`).",
        {"type": ["string", "null"]},
    ),
    "Items": d(
        "JSONata only. The items to process: a JSON array or object, or a "
        "JSONata expression producing one.",
        {"type": ["array", "object", "string"], "pattern": JSONATA},
    ),
    "ItemSelector": d(
        "Builds the input of each iteration; can read the item and its index "
        "from the context (`$$.Map.Item.Value` / `$states.context.Map.Item.Value`).",
        {"type": ["object", "string"], "pattern": JSONATA},
    ),
    "Parameters": d(
        "Deprecated in Map states: use `ItemSelector`. A payload template "
        "building the input of each iteration.",
        {},
    ),
    "ItemReader": d(
        "Distributed Map: reads the items from Amazon S3 (a JSON, JSONL, CSV or "
        "Parquet file, an object listing, a manifest or an inventory).",
        {"$ref": "#/$defs/itemReader"},
    ),
    "ItemBatcher": d(
        "Distributed Map: groups items into batches, each processed by one "
        "child execution.",
        {"$ref": "#/$defs/itemBatcher"},
    ),
    "ResultWriter": d(
        "Distributed Map: writes the child executions' results to Amazon S3 "
        "instead of returning them.",
        {"$ref": "#/$defs/resultWriter"},
    ),
    "MaxConcurrency": d(
        "The most iterations that run at once; 0 (the default) means as many as "
        "possible. A JSONata expression in JSONata states.",
        jsonata_or("integer", minimum=0),
    ),
    "MaxConcurrencyPath": d(
        "JSONPath only. A reference path to the maximum concurrency in the state input.",
        {"type": "string"},
    ),
    "ToleratedFailurePercentage": d(
        "Distributed Map: the percentage of failed items (0 to 100) tolerated "
        "before the state fails with `States.ExceedToleratedFailureThreshold`.",
        jsonata_or("number", minimum=0, maximum=100),
    ),
    "ToleratedFailurePercentagePath": d(
        "JSONPath only. A reference path to the tolerated failure percentage.",
        {"type": "string"},
    ),
    "ToleratedFailureCount": d(
        "Distributed Map: the number of failed items tolerated before the state "
        "fails with `States.ExceedToleratedFailureThreshold`.",
        jsonata_or("integer", minimum=0),
    ),
    "ToleratedFailureCountPath": d(
        "JSONPath only. A reference path to the tolerated failure count.",
        {"type": "string"},
    ),
    "Label": d(
        "Distributed Map: a label (at most 40 characters) added to the names of "
        "the child executions.",
        {"type": "string", "minLength": 1, "maxLength": 40},
    ),
}

IO = ["InputPath", "OutputPath", "Output", "Assign"]

# ---------------------------------------------------------------------------
# The query-language split (see the module docs). Keep in step with
# src/rules/wrong_query_language_field.rs.

QUERY_LANGUAGES = ["JSONPath", "JSONata"]

# State fields that exist only in JSONPath states.
JSONPATH_ONLY = [
    "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Parameters",
    "Result", "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath",
    "SecondsPath", "TimestampPath", "ErrorPath", "CausePath",
    "MaxConcurrencyPath", "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
]

# State fields that exist only in JSONata states.
JSONATA_ONLY = ["Output", "Arguments", "Items"]


def forbid(names):
    return {n: False for n in names}

FIELDS = {
    "Task": IO + ["ResultPath", "Parameters", "Arguments", "ResultSelector", "Retry", "Catch"]
    + list(TASK),
    "Pass": IO + ["ResultPath", "Parameters"] + list(PASS),
    "Choice": IO + list(CHOICE),
    "Wait": IO + list(WAIT),
    "Succeed": ["InputPath", "OutputPath", "Output"],
    "Fail": list(FAIL),
    "Parallel": IO + ["ResultPath", "Parameters", "Arguments", "ResultSelector", "Retry", "Catch"]
    + list(PARALLEL),
    "Map": IO + ["ResultPath", "Parameters", "ResultSelector", "Retry", "Catch"] + list(MAP),
}

SPECIFIC = {**TASK, **PASS, **CHOICE, **WAIT, **FAIL, **PARALLEL}

STATE_DESCRIPTIONS = {
    "Task": "A Task state runs one unit of work: an activity, a Lambda function "
    "or a call to another AWS service, named by `Resource`.",
    "Pass": "A Pass state passes its input to its output, optionally adding a "
    "fixed result or reshaping the data; it does no work.",
    "Choice": "A Choice state branches: it goes to the `Next` of the first "
    "matching rule in `Choices`, or to `Default`.",
    "Wait": "A Wait state pauses for `Seconds` or until `Timestamp`.",
    "Succeed": "A Succeed state ends the execution (or branch, or iteration) successfully.",
    "Fail": "A Fail state ends the execution with an error name and a cause.",
    "Parallel": "A Parallel state runs its `Branches` concurrently and outputs "
    "the array of their results.",
    "Map": "A Map state runs `ItemProcessor` for each item of an array, inline "
    "or as a Distributed Map of child executions.",
}


def suffix(ql):
    """`""` for JSONPath (the default of the language), `"JSONata"` otherwise."""
    return "" if ql == "JSONPath" else ql


def state_schema(t, ql="JSONPath"):
    props = {}
    for name in ["Type", "Comment", "QueryLanguage", "Next", "End"] + FIELDS[t]:
        if t == "Map" and name in MAP:
            schema = MAP[name]
        elif name in COMMON:
            schema = COMMON[name]
        else:
            schema = SPECIFIC[name]
        props[name] = json.loads(json.dumps(schema))
    props["Type"] = d(f"The state's type: `{t}`.", {"const": t})
    # The scopes inside follow the machine's query language.
    if t == "Parallel":
        props["Branches"]["items"] = {"$ref": f"#/$defs/branch{suffix(ql)}"}
    if t == "Map":
        for key in ["ItemProcessor", "Iterator"]:
            props[key]["$ref"] = f"#/$defs/processor{suffix(ql)}"
    out = {
        "description": STATE_DESCRIPTIONS[t],
        "type": "object",
        "properties": props,
        "additionalProperties": False,
    }
    if t == "Task":
        out["required"] = ["Resource"]
    if t == "Choice":
        out["required"] = ["Choices"]
    if t == "Parallel":
        out["required"] = ["Branches"]
    return out


# ---------------------------------------------------------------------------
# Choice rules.

STRING_OPS = ["StringEquals", "StringLessThan", "StringGreaterThan",
              "StringLessThanEquals", "StringGreaterThanEquals"]
NUMERIC_OPS = ["NumericEquals", "NumericLessThan", "NumericGreaterThan",
               "NumericLessThanEquals", "NumericGreaterThanEquals"]
TIMESTAMP_OPS = ["TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
                 "TimestampLessThanEquals", "TimestampGreaterThanEquals"]
TYPE_TESTS = ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]


def choice_rule():
    p = {
        "Variable": d(
            "JSONPath only. The path (or variable, `$name`) whose value the "
            "comparison operator tests.",
            {"type": "string"},
        ),
    }
    for op in STRING_OPS:
        p[op] = d(f"JSONPath only. True when `Variable` is a string and {op_text(op)} this string.",
                  {"type": "string"})
    p["StringMatches"] = d(
        "JSONPath only. True when `Variable` is a string matching this pattern: "
        "`*` matches any characters; `\\\\*` is a literal star and `\\\\\\\\` a "
        "literal backslash.",
        {"type": "string"},
    )
    for op in NUMERIC_OPS:
        p[op] = d(f"JSONPath only. True when `Variable` is a number and {op_text(op)} this number.",
                  {"type": "number"})
    p["BooleanEquals"] = d(
        "JSONPath only. True when `Variable` is a boolean equal to this one.",
        {"type": "boolean"},
    )
    for op in TIMESTAMP_OPS:
        p[op] = d(f"JSONPath only. True when `Variable` is a timestamp and {op_text(op)} "
                  "this RFC 3339 timestamp.", {"type": "string"})
    for op in STRING_OPS + NUMERIC_OPS + ["BooleanEquals"] + TIMESTAMP_OPS:
        p[op + "Path"] = d(
            f"JSONPath only. Like `{op}`, comparing with the value at this path "
            "(or variable) instead of a constant.",
            {"type": "string"},
        )
    tests = {
        "IsNull": "is `null`",
        "IsPresent": "exists in the input",
        "IsNumeric": "is a number",
        "IsString": "is a string",
        "IsBoolean": "is a boolean",
        "IsTimestamp": "is a string holding an RFC 3339 timestamp",
    }
    for op in TYPE_TESTS:
        p[op] = d(f"JSONPath only. `true`: the rule matches when `Variable` {tests[op]}; "
                  "`false`: when it does not.", {"type": "boolean"})
    p["And"] = d("JSONPath only. Matches when every one of these nested rules matches.",
                 {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/choiceRule"}})
    p["Or"] = d("JSONPath only. Matches when at least one of these nested rules matches.",
                {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/choiceRule"}})
    p["Not"] = d("JSONPath only. Matches when this nested rule does not match.",
                 {"$ref": "#/$defs/choiceRule"})
    p["Condition"] = d(
        "JSONata only. The test: `true`, `false` or a JSONata expression "
        "`{% … %}` producing a boolean.",
        {"type": ["boolean", "string"], "pattern": JSONATA},
    )
    p["Next"] = d("The state to go to when this rule matches (top-level rules only).",
                  {"type": "string", "minLength": 1})
    p["Comment"] = d("A human-readable description of the rule.", {"type": "string"})
    p["Assign"] = d("Variables to set when this rule matches (top-level rules only); "
                    "used instead of the state's `Assign`.", {"type": "object"})
    p["Output"] = d("JSONata only. The state output when this rule matches (top-level "
                    "rules only); used instead of the state's `Output`.", {})
    return {
        "description": "A choice rule. JSONPath: a data test (`Variable` and one comparison "
        "operator) or a boolean combination (`And`, `Or`, `Not`). JSONata: a "
        "`Condition`. Top-level rules also have `Next`.",
        "type": "object",
        "properties": p,
        "additionalProperties": False,
    }


def choice_rule_jsonpath_fields():
    """The keys of a choice rule that exist only in JSONPath."""
    fields = ["Variable", "And", "Or", "Not"]
    for op in STRING_OPS + NUMERIC_OPS + ["BooleanEquals"] + TIMESTAMP_OPS:
        fields += [op, op + "Path"]
    fields += ["StringMatches"] + TYPE_TESTS
    return fields


def no_jsonpath_fields():
    """What a JSONata state may not have: the JSONPath-only fields, also in
    its catchers, choice rules and Distributed Map parts. Each forbidden key
    is a `false` schema, so an error names the key."""
    props = forbid(JSONPATH_ONLY)
    props["Catch"] = {"items": {"properties": forbid(["ResultPath"])}}
    props["Choices"] = {"items": {"properties": forbid(choice_rule_jsonpath_fields())}}
    props["ItemReader"] = {"properties": {
        "Parameters": False,
        "ReaderConfig": {"properties": forbid(["MaxItemsPath"])},
    }}
    props["ItemBatcher"] = {"properties": forbid(["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"])}
    props["ResultWriter"] = {"properties": forbid(["Parameters"])}
    return {"properties": props}


def no_jsonata_fields():
    """What a JSONPath state may not have: the JSONata-only fields, also in
    its catchers, choice rules (nested ones too) and Distributed Map parts."""
    props = forbid(JSONATA_ONLY)
    props["Catch"] = {"items": {"properties": forbid(["Output"])}}
    props["Choices"] = {"items": {"$ref": "#/$defs/noJSONataChoiceRuleFields"}}
    props["ItemReader"] = {"properties": forbid(["Arguments"])}
    props["ResultWriter"] = {"properties": forbid(["Arguments"])}
    return {"properties": props}


def no_jsonata_choice_rule_fields():
    nested = {"$ref": "#/$defs/noJSONataChoiceRuleFields"}
    return {
        "properties": {
            **forbid(["Condition", "Output"]),
            "And": {"items": nested},
            "Or": {"items": nested},
            "Not": nested,
        }
    }


def state_dispatch(ql):
    """A state of a scope whose default query language is `ql`: dispatched
    on `Type`, then held to the fields of its query language (its own
    `QueryLanguage`, else `ql`)."""
    other = "JSONata" if ql == "JSONPath" else "JSONPath"
    forbidden = {"JSONPath": "#/$defs/noJSONataFields", "JSONata": "#/$defs/noJSONPathFields"}
    out = {
        "description": "A state: its `Type` decides which fields it may have.",
        "type": "object",
        "required": ["Type"],
        "properties": {"Type": COMMON["Type"]},
        "allOf": [
            {
                "if": {"properties": {"Type": {"const": t}}, "required": ["Type"]},
                "then": {"$ref": f"#/$defs/{t.lower()}State"
                         + (suffix(ql) if t in ("Parallel", "Map") else "")},
            }
            for t in STATE_TYPES
        ],
    }
    # Only a state of a known type: an unknown `Type` is reported alone.
    out["allOf"].append({
        "if": {"properties": {"Type": {"enum": STATE_TYPES}}, "required": ["Type"]},
        "then": {
            "if": {"properties": {"QueryLanguage": {"const": other}}, "required": ["QueryLanguage"]},
            "then": {"$ref": forbidden[other]},
            "else": {"$ref": forbidden[ql]},
        },
    })
    return out


def op_text(op):
    for suffix, text in [
        ("GreaterThanEquals", "is greater than or equal to"),
        ("LessThanEquals", "is less than or equal to"),
        ("GreaterThan", "is greater than"),
        ("LessThan", "is less than"),
        ("Equals", "equals"),
    ]:
        if op.endswith(suffix):
            return text
    raise ValueError(op)


# ---------------------------------------------------------------------------
# Error handling.

# An empty list is left to another rule (AWS's behaviour is not documented).
ERROR_EQUALS = {
    "type": "array",
    "items": {"type": "string"},
}

RETRIER = {
    "description": "A retrier: which errors to retry, how often and how fast.",
    "type": "object",
    "required": ["ErrorEquals"],
    "properties": {
        "ErrorEquals": d(
            "The error names this retrier handles, e.g. `States.Timeout`, "
            "`Lambda.ServiceException` or `States.ALL` (alone, in the last retrier).",
            ERROR_EQUALS,
        ),
        "IntervalSeconds": d(
            "Seconds before the first retry (default 1).",
            {"type": "integer", "minimum": 0, "maximum": SECONDS_MAX},
        ),
        "MaxAttempts": d(
            "The most retries (default 3); 0 never retries these errors.",
            {"type": "integer", "minimum": 0, "maximum": SECONDS_MAX},
        ),
        "BackoffRate": d(
            "The multiplier applied to the interval after each retry, at least "
            "1.0 (default 2.0).",
            {"type": "number", "minimum": 1},
        ),
        "MaxDelaySeconds": d(
            "Caps the interval between retries, in seconds (1 to 31622400).",
            {"type": "integer", "minimum": 1, "maximum": 31622400},
        ),
        "JitterStrategy": d(
            "`FULL` randomises each interval between 0 and the computed delay to "
            "spread retries out; `NONE` (the default) does not.",
            {"enum": ["FULL", "NONE"]},
        ),
        "Comment": d("A human-readable description of the retrier.", {"type": "string"}),
    },
    "additionalProperties": False,
}

CATCHER = {
    "description": "A catcher: which errors to catch and where to go then.",
    "type": "object",
    "required": ["ErrorEquals", "Next"],
    "properties": {
        "ErrorEquals": d(
            "The error names this catcher handles, e.g. `States.TaskFailed` or "
            "`States.ALL` (alone, in the last catcher).",
            ERROR_EQUALS,
        ),
        "Next": d("The state to go to when this catcher matches.",
                  {"type": "string", "minLength": 1}),
        "ResultPath": d(
            "JSONPath only. Where to put the error output (`Error` and `Cause`) "
            "in the state input (default `$`, replacing it); `null` keeps the input.",
            {"type": ["string", "null"]},
        ),
        "Output": d(
            "JSONata only. The output passed to `Next`; `$states.errorOutput` holds "
            "the error (default: the error output).",
            {},
        ),
        "Assign": d("Variables to set when this catcher matches; used instead of the "
                    "state's `Assign`.", {"type": "object"}),
        "Comment": d("A human-readable description of the catcher.", {"type": "string"}),
    },
    "additionalProperties": False,
}

# ---------------------------------------------------------------------------
# Distributed Map parts.

ITEM_READER = {
    "description": "Where a Distributed Map reads its items from.",
    "type": "object",
    "required": ["Resource"],
    "properties": {
        "Resource": d(
            "`arn:aws:states:::s3:getObject` (read one file) or "
            "`arn:aws:states:::s3:listObjectsV2` (iterate over objects).",
            {"type": ["string", "object"]},
        ),
        "Parameters": d("JSONPath only. The S3 request, e.g. `Bucket`, `Key` or `Prefix`.", {}),
        "Arguments": d("JSONata only. The S3 request, e.g. `Bucket`, `Key` or `Prefix`.", ARGUMENTS),
        "ReaderConfig": d(
            "How to read the items: file format, CSV options and limits.",
            {
                "type": "object",
                "properties": {
                    "InputType": d(
                        "The file format: `CSV`, `JSON`, `JSONL`, `PARQUET` or `MANIFEST`.",
                        {"enum": ["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]},
                    ),
                    "CSVHeaderLocation": d(
                        "`FIRST_ROW`: column names come from the file; `GIVEN`: from `CSVHeaders`.",
                        {"enum": ["FIRST_ROW", "GIVEN"]},
                    ),
                    "CSVHeaders": d(
                        "The column names when `CSVHeaderLocation` is `GIVEN`.",
                        {"type": "array", "items": {"type": "string"}},
                    ),
                    "CSVDelimiter": d(
                        "The field separator: `COMMA` (default), `PIPE`, `SEMICOLON`, "
                        "`SPACE` or `TAB`.",
                        {"enum": ["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]},
                    ),
                    "MaxItems": d(
                        "Reads at most this many items (up to 100000000).",
                        jsonata_or("integer", minimum=0, maximum=100000000),
                    ),
                    "MaxItemsPath": d(
                        "JSONPath only. A reference path to the item limit in the state input.",
                        {"type": "string"},
                    ),
                    "ManifestType": d(
                        "The manifest format: `ATHENA_DATA` or `S3_INVENTORY`.",
                        {"enum": ["ATHENA_DATA", "S3_INVENTORY"]},
                    ),
                    "Transformation": d(
                        "`LOAD_AND_FLATTEN` reads the files an object listing or "
                        "manifest names and iterates over their items; `NONE` (default) "
                        "iterates over the listing itself.",
                        {"enum": ["NONE", "LOAD_AND_FLATTEN"]},
                    ),
                    "ItemsPointer": d(
                        "JSON files: a JSON Pointer (e.g. `/data/items`) to the array "
                        "of items inside the file.",
                        {"type": "string"},
                    ),
                },
                "additionalProperties": False,
            },
        ),
    },
    "additionalProperties": False,
}

ITEM_BATCHER = {
    "description": "How a Distributed Map groups items into batches.",
    "type": "object",
    "properties": {
        "BatchInput": d("Fixed JSON added to every batch, under `BatchInput`.", {}),
        "MaxItemsPerBatch": d(
            "The most items in one batch.",
            jsonata_or("integer", minimum=1),
        ),
        "MaxItemsPerBatchPath": d(
            "JSONPath only. A reference path to the most items per batch.",
            {"type": "string"},
        ),
        "MaxInputBytesPerBatch": d(
            "The largest batch, in bytes (at most 262144, 256 KiB).",
            jsonata_or("integer", minimum=1, maximum=262144),
        ),
        "MaxInputBytesPerBatchPath": d(
            "JSONPath only. A reference path to the largest batch size in bytes.",
            {"type": "string"},
        ),
    },
    "additionalProperties": False,
}

RESULT_WRITER = {
    "description": "Where a Distributed Map writes its results.",
    "type": "object",
    "properties": {
        "Resource": d("`arn:aws:states:::s3:putObject`.", {"type": ["string", "object"]}),
        "Parameters": d("JSONPath only. The destination: `Bucket` and `Prefix`.", {}),
        "Arguments": d("JSONata only. The destination: `Bucket` and `Prefix`.", ARGUMENTS),
        "WriterConfig": d(
            "The shape of the exported results.",
            {
                "type": "object",
                "properties": {
                    "OutputType": d("`JSON` or `JSONL`.", {"enum": ["JSON", "JSONL"]}),
                    "Transformation": d(
                        "`NONE` keeps the execution metadata, `COMPACT` keeps the outputs "
                        "only, `FLATTEN` also flattens arrays of outputs.",
                        {"enum": ["NONE", "COMPACT", "FLATTEN"]},
                    ),
                },
                "additionalProperties": False,
            },
        ),
    },
    "additionalProperties": False,
}

PROCESSOR_CONFIG = {
    "type": "object",
    "properties": {
        "Mode": d(
            "`INLINE` (default) runs iterations inside this execution; `DISTRIBUTED` "
            "runs them as child executions.",
            {"enum": ["INLINE", "DISTRIBUTED"]},
        ),
        "ExecutionType": d(
            "Distributed Map: the child executions' type, `STANDARD` or `EXPRESS`.",
            {"enum": ["STANDARD", "EXPRESS"]},
        ),
    },
    "additionalProperties": False,
}

# ---------------------------------------------------------------------------
# Scopes.

START_AT = d("The name of the state to run first.", {"type": "string", "minLength": 1})
STATES_DESCRIPTION = "The states, keyed by name."
BRANCH_QL = d(
    "Has no effect: the states in here follow the state machine's "
    "`QueryLanguage` (or their own), not this one.",
    {"enum": ["JSONPath", "JSONata"]},
)


def states_ref(ql):
    return d(STATES_DESCRIPTION, {"$ref": f"#/$defs/states{suffix(ql)}"})


def scope(description, extra=None, comment="A human-readable description.", ql="JSONPath"):
    props = {
        "StartAt": START_AT,
        "States": states_ref(ql),
        "Comment": d(comment, {"type": "string"}),
    }
    props.update(extra or {})
    return {
        "description": description,
        "type": "object",
        "required": ["StartAt", "States"],
        "properties": json.loads(json.dumps(props)),
        "additionalProperties": False,
    }


def main():
    root = scope("", {
        "QueryLanguage": d(
            "The query language of every state that does not set its own: `JSONPath` "
            "(the default) or `JSONata`.",
            {"enum": ["JSONPath", "JSONata"]},
        ),
        "Version": d("The version of Amazon States Language; only `1.0` is defined.",
                     {"type": "string"}),
        "TimeoutSeconds": d(
            "The most seconds an execution may run before failing with `States.Timeout`.",
            {"type": "integer", "minimum": 0, "maximum": SECONDS_MAX},
        ),
    }, comment="A human-readable description of the state machine.")
    # The top-level `QueryLanguage` picks the variant of `States`.
    root["properties"]["States"] = d(STATES_DESCRIPTION, {"type": "object"})
    root["allOf"] = [{
        "if": {"properties": {"QueryLanguage": {"const": "JSONata"}}, "required": ["QueryLanguage"]},
        "then": {"properties": {"States": states_ref("JSONata")}},
        "else": {"properties": {"States": states_ref("JSONPath")}},
    }]
    defs = {}
    for ql in QUERY_LANGUAGES:
        defs[f"states{suffix(ql)}"] = {
            "type": "object",
            "additionalProperties": {"$ref": f"#/$defs/state{suffix(ql)}"},
        }
        defs[f"state{suffix(ql)}"] = state_dispatch(ql)
    for t in STATE_TYPES:
        defs[f"{t.lower()}State"] = state_schema(t)
    for t in ["Parallel", "Map"]:
        defs[f"{t.lower()}StateJSONata"] = state_schema(t, "JSONata")
    for ql in QUERY_LANGUAGES:
        defs[f"branch{suffix(ql)}"] = scope(
            "A branch of a Parallel state: a state machine of its own.",
            {"QueryLanguage": BRANCH_QL},
            comment="A human-readable description of the branch.",
            ql=ql,
        )
        # AWS rejects `QueryLanguage` here ("Field 'QueryLanguage' is not
        # supported", measured with ValidateStateMachineDefinition), so it is
        # not listed. In a branch it is accepted and has no effect.
        defs[f"processor{suffix(ql)}"] = scope(
            "The state machine a Map state runs for each item.",
            {"ProcessorConfig": d("Inline or Distributed processing.", PROCESSOR_CONFIG)},
            comment="A human-readable description of the item processor.",
            ql=ql,
        )
    defs["noJSONPathFields"] = no_jsonpath_fields()
    defs["noJSONataFields"] = no_jsonata_fields()
    defs["noJSONataChoiceRuleFields"] = no_jsonata_choice_rule_fields()
    defs["retrier"] = RETRIER
    defs["catcher"] = CATCHER
    defs["choiceRule"] = choice_rule()
    defs["itemReader"] = ITEM_READER
    defs["itemBatcher"] = ITEM_BATCHER
    defs["resultWriter"] = RESULT_WRITER

    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated by schemas/generate.py; edit that script and re-run it.",
        "title": "Amazon States Language",
        "description": "An AWS Step Functions state machine definition.",
        **{k: v for k, v in root.items() if k != "description"},
        "$defs": defs,
    }
    json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
