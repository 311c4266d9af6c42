//! Deterministic generator of realistic state machine definitions, shared by
//! the benchmarks (`benches/lint.rs`) and the corpus generator
//! (`examples/gen_corpus.rs`).
//!
//! A definition is a chain of states per scope (every state reachable, every
//! path ending in a terminal state) mixing Task (with Parameters/Arguments,
//! ResultSelector, Retry and Catch), Choice (nested `And`/`Or`/`Not` rules or
//! JSONata `Condition`s, forward jumps), Pass, Wait, Parallel (2–3 branches)
//! and Map (inline and distributed processors), nested up to three levels.
//! State names are unique across the whole machine.
//!
//! Workflow variables, so that their data-flow analysis is measured too: the
//! first state of every scope of three or more states assigns a variable of
//! its own (in `Assign`); the second state reads it, and later states read it
//! or a variable of an enclosing scope (never across a Distributed Map, whose
//! child workflows see no outer variable), and a few Tasks update it from its
//! old value. The first state dominates its whole scope (the chain only jumps
//! forward), so every read is assigned on every path; the Fail state, which
//! catchers reach, reads none. A Distributed Map is never generated inside
//! the `EXPRESS` child workflow of another one (Step Functions rejects that).
//!
//! Clean definitions lint with no findings at all (`tests/bench_gen.rs`
//! checks it for every size and language the benchmarks use; only
//! `definition-too-large` is expected above ~1 MB); [`Spec::mistakes`]
//! injects a few typical errors.

#![allow(dead_code)]

use serde_json::{json, Map, Value};

/// splitmix64: small, fast and the same on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    JsonPath,
    Jsonata,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Spec {
    /// States in the whole machine, nested ones included (at least 2).
    pub states: usize,
    pub lang: Lang,
    pub seed: u64,
    /// How many typical mistakes to inject (0 for a clean definition).
    pub mistakes: usize,
    /// The deepest Parallel/Map nesting (0 = a flat machine).
    pub max_depth: usize,
}

impl Spec {
    pub fn new(states: usize, lang: Lang, seed: u64) -> Spec {
        Spec {
            states,
            lang,
            seed,
            mistakes: 0,
            max_depth: 3,
        }
    }
}

/// Generates one definition.
pub fn definition(spec: &Spec) -> Value {
    let mut g = Gen {
        rng: Rng::new(spec.seed),
        lang: spec.lang,
        next_name: 0,
        max_depth: spec.max_depth,
        mistakes: Vec::new(),
        catches: Vec::new(),
        vars: Vec::new(),
        in_express: false,
    };
    let mut root = g.scope(spec.states.max(2), 0);
    let obj = root.as_object_mut().expect("a scope is an object");
    let mut top = Map::new();
    top.insert(
        "Comment".into(),
        json!(format!("generated definition, seed {}", spec.seed)),
    );
    if spec.lang == Lang::Jsonata {
        top.insert("QueryLanguage".into(), json!("JSONata"));
    }
    top.insert("TimeoutSeconds".into(), json!(3600));
    top.extend(std::mem::take(obj));
    let mut root = Value::Object(top);
    inject_mistakes(&mut root, &mut g.rng, spec.mistakes);
    root
}

/// Pretty-printed JSON text of [`definition`].
pub fn definition_text(spec: &Spec) -> String {
    let mut s = serde_json::to_string_pretty(&definition(spec)).expect("serializable");
    s.push('\n');
    s
}

struct Gen {
    rng: Rng,
    lang: Lang,
    next_name: usize,
    max_depth: usize,
    mistakes: Vec<String>,
    /// Per open scope: how many catchers target its Fail state.
    catches: Vec<usize>,
    /// The variables the state being generated may read: those of the
    /// enclosing scopes (up to a Distributed Map) and its own scope's.
    vars: Vec<String>,
    /// Inside the child workflow of an `EXPRESS` Distributed Map.
    in_express: bool,
}

/// What a simple state does with variables.
#[derive(Default)]
struct Vars {
    /// Assign this new variable (the first state of a scope).
    assign: Option<String>,
    /// Read this variable.
    read: Option<String>,
    /// Assign this variable again, from its old value (a later Task).
    update: Option<String>,
}

const VAR_NAMES: [&str; 6] = ["runId", "traceId", "tenant", "batchKey", "region", "stage"];

const VERBS: [&str; 12] = [
    "Validate",
    "Enrich",
    "Charge",
    "Reserve",
    "Notify",
    "Transform",
    "Store",
    "Fetch",
    "Score",
    "Publish",
    "Archive",
    "Audit",
];
const NOUNS: [&str; 10] = [
    "Order",
    "Payment",
    "Inventory",
    "Customer",
    "Invoice",
    "Shipment",
    "Report",
    "Batch",
    "Record",
    "Event",
];

impl Gen {
    fn name(&mut self, kind: &str) -> String {
        self.next_name += 1;
        let verb = self.rng.pick(&VERBS);
        let noun = self.rng.pick(&NOUNS);
        let _ = kind;
        format!("{verb} {noun} {}", self.next_name)
    }

    /// A scope (`StartAt` + `States`) of exactly `budget` states (at least 2).
    fn scope(&mut self, budget: usize, depth: usize) -> Value {
        let budget = budget.max(2);
        // The last two states: a Succeed the chain ends in, and a Fail that
        // catchers go to.
        let done = format!("Done {}", self.bump());
        let failed = format!("Failed {}", self.bump());
        let body = budget - 2;
        // Decide each slot: a simple state (1) or a nested one (its size).
        let mut slots: Vec<(String, usize)> = Vec::new();
        let mut left = body;
        while left > 0 {
            // The second state reads the scope's variable: a simple one.
            let nested =
                slots.len() != 1 && depth < self.max_depth && left >= 6 && self.rng.chance(12);
            if nested {
                let size = self.rng.range(5, (left).min(24));
                slots.push((String::new(), size));
                left -= size;
            } else {
                slots.push((String::new(), 1));
                left -= 1;
            }
        }
        for slot in &mut slots {
            slot.0 = self.name("state");
        }
        let names: Vec<String> = slots.iter().map(|s| s.0.clone()).collect();
        self.catches.push(0);
        // The scope's own variable, when a second state can read it.
        let outer_vars = self.vars.len();
        let own = if slots.len() >= 2 {
            let base = self.rng.pick(&VAR_NAMES);
            Some(format!("{base}{}", self.bump()))
        } else {
            None
        };
        let mut states = Map::new();
        for (i, (name, size)) in slots.iter().enumerate() {
            let next = names.get(i + 1).cloned().unwrap_or_else(|| done.clone());
            // A forward jump for Choice states, a few states ahead.
            let ahead = names
                .get(i + self.rng.range(2, 4))
                .cloned()
                .unwrap_or_else(|| done.clone());
            let mut vars = Vars::default();
            match i {
                0 => {
                    vars.assign = own.clone();
                    if !self.vars.is_empty() && self.rng.chance(50) {
                        vars.read = Some(self.rng.pick(&self.vars).clone());
                    }
                }
                1 => vars.read = own.clone(),
                _ => {
                    if !self.vars.is_empty() && self.rng.chance(60) {
                        vars.read = Some(self.rng.pick(&self.vars).clone());
                    }
                    if vars.read != own && self.rng.chance(20) {
                        vars.update = own.clone();
                    }
                }
            }
            let state = if *size > 1 {
                // Its branches or iterations see the variables assigned so
                // far, not its own `Assign` (applied when it is left).
                let mut s = if self.rng.chance(50) {
                    self.parallel(*size, depth, &next, &failed)
                } else {
                    self.map(*size, depth, &next, &failed)
                };
                if let Some(v) = &vars.assign {
                    let assign = self.assign(v, false);
                    s["Assign"] = assign;
                }
                s
            } else {
                let mut roll = self.rng.range(0, 99);
                // The first state assigns (no Choice: where its own `Assign`
                // applies next to its rules' is a subtle point); the second
                // reads (no Wait).
                if (i == 0 && (55..=69).contains(&roll)) || (i == 1 && roll >= 85) {
                    roll = 70;
                }
                match roll {
                    0..=54 => self.task(&next, &failed, &vars),
                    55..=69 => self.choice(&next, &ahead, &vars),
                    70..=84 => self.pass(&next, &vars),
                    _ => self.wait(&next, &vars),
                }
            };
            states.insert(name.clone(), state);
            if let (0, Some(v)) = (i, &own) {
                self.vars.push(v.clone());
            }
        }
        self.vars.truncate(outer_vars);
        let caught = self.catches.pop().unwrap_or(0) > 0;
        if !caught {
            // Nothing goes to the Fail state: a Pass before the Succeed instead.
            let finish = format!("Finish {}", self.bump());
            for state in states.values_mut() {
                for key in ["Next", "Default"] {
                    if state.get(key).and_then(Value::as_str) == Some(done.as_str()) {
                        state[key] = json!(finish);
                    }
                }
                if let Some(Value::Array(rules)) = state.get_mut("Choices") {
                    for r in rules {
                        if r.get("Next").and_then(Value::as_str) == Some(done.as_str()) {
                            r["Next"] = json!(finish);
                        }
                    }
                }
            }
            let start = names.first().cloned().unwrap_or_else(|| finish.clone());
            states.insert(finish, json!({ "Type": "Pass", "Next": done }));
            states.insert(done, json!({ "Type": "Succeed" }));
            return json!({ "StartAt": start, "States": states });
        }
        states.insert(done.clone(), json!({ "Type": "Succeed" }));
        let fail = match self.lang {
            Lang::JsonPath => json!({
                "Type": "Fail",
                "Error": "WorkflowFailed",
                "CausePath": "States.Format('step failed: {}', $.error.Cause)",
            }),
            Lang::Jsonata => json!({
                "Type": "Fail",
                "Error": "WorkflowFailed",
                "Cause": "{% 'step failed: ' & $string($states.input.error) %}",
            }),
        };
        states.insert(failed, fail);
        let start = names.first().cloned().unwrap_or(done);
        json!({ "StartAt": start, "States": states })
    }

    fn bump(&mut self) -> usize {
        self.next_name += 1;
        self.next_name
    }

    /// The `Assign` block of `name`: a new value, or (`update`) one computed
    /// from the old.
    fn assign(&self, name: &str, update: bool) -> Value {
        match (self.lang, update) {
            (Lang::JsonPath, false) => json!({ format!("{name}.$"): "$$.Execution.Name" }),
            (Lang::JsonPath, true) => {
                json!({ format!("{name}.$"): format!("States.Format('{{}}-next', ${name})") })
            }
            (Lang::Jsonata, false) => {
                json!({ name: "{% $states.context.Execution.Name %}" })
            }
            (Lang::Jsonata, true) => json!({ name: format!("{{% ${name} & '-next' %}}") }),
        }
    }

    /// Adds the `Assign` block `vars` asks for to a simple state.
    fn add_assign(&self, s: &mut Map<String, Value>, vars: &Vars) {
        if let Some(v) = &vars.assign {
            s.insert("Assign".into(), self.assign(v, false));
        } else if let Some(v) = &vars.update {
            s.insert("Assign".into(), self.assign(v, true));
        }
    }

    fn retry(&mut self) -> Value {
        let mut retriers = vec![json!({
            "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException", "States.Timeout"],
            "IntervalSeconds": self.rng.range(1, 5),
            "MaxAttempts": self.rng.range(2, 6),
            "BackoffRate": 2.0,
            "MaxDelaySeconds": 60,
            "JitterStrategy": "FULL",
        })];
        if self.rng.chance(50) {
            retriers.push(json!({
                "ErrorEquals": ["States.ALL"],
                "IntervalSeconds": 1,
                "MaxAttempts": 2,
            }));
        }
        Value::Array(retriers)
    }

    fn catch(&mut self, failed: &str) -> Value {
        if let Some(n) = self.catches.last_mut() {
            *n += 1;
        }
        match self.lang {
            Lang::JsonPath => json!([{
                "ErrorEquals": ["States.TaskFailed", "States.Timeout"],
                "ResultPath": "$.error",
                "Next": failed,
            }, {
                "ErrorEquals": ["States.ALL"],
                "ResultPath": "$.error",
                "Next": failed,
            }]),
            Lang::Jsonata => json!([{
                "ErrorEquals": ["States.ALL"],
                "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}",
                "Next": failed,
            }]),
        }
    }

    fn task(&mut self, next: &str, failed: &str, vars: &Vars) -> Value {
        let n = self.next_name;
        let mut s = Map::new();
        s.insert("Type".into(), json!("Task"));
        s.insert(
            "Comment".into(),
            json!(format!("calls the {n}th function of the workflow")),
        );
        match self.rng.range(0, 2) {
            0 | 1 => {
                s.insert("Resource".into(), json!("arn:aws:states:::lambda:invoke"));
                let function = format!("arn:aws:lambda:us-east-1:123456789012:function:step-{n}");
                match self.lang {
                    Lang::JsonPath => {
                        let mut params = json!({
                            "FunctionName": function,
                            "Payload": {
                                "orderId.$": "$.order.id",
                                "customer.$": "$.order['customer name']",
                                "firstItems.$": "$.order.items[0:5]",
                                "total.$": "States.MathAdd($.order.total, 1)",
                                "summary.$": "States.Format('order {} for {}', $.order.id, $.order.customer)",
                                "execution.$": "$$.Execution.Id",
                                "source": "generated",
                            }
                        });
                        if let Some(v) = &vars.read {
                            params["Payload"]["context.$"] = json!(format!("${v}"));
                        }
                        s.insert("Parameters".into(), params);
                        s.insert(
                            "ResultSelector".into(),
                            json!({ "body.$": "$.Payload", "status.$": "$.StatusCode" }),
                        );
                        s.insert("ResultPath".into(), json!(format!("$.results.step{n}")));
                    }
                    Lang::Jsonata => {
                        let mut args = json!({
                            "FunctionName": function,
                            "Payload": {
                                "orderId": "{% $states.input.order.id %}",
                                "total": "{% $sum($states.input.order.items.price) %}",
                                "summary": "{% 'order ' & $states.input.order.id & ' for ' & $uppercase($states.input.order.customer) %}",
                                "execution": "{% $states.context.Execution.Id %}",
                                "source": "generated",
                            }
                        });
                        if let Some(v) = &vars.read {
                            args["Payload"]["context"] = json!(format!("{{% ${v} %}}"));
                        }
                        s.insert("Arguments".into(), args);
                        s.insert(
                            "Output".into(),
                            json!(
                                "{% $merge([$states.input, {'result': $states.result.Payload}]) %}"
                            ),
                        );
                    }
                }
                s.insert("TimeoutSeconds".into(), json!(300));
                s.insert("HeartbeatSeconds".into(), json!(60));
            }
            _ => {
                s.insert(
                    "Resource".into(),
                    json!("arn:aws:states:::dynamodb:putItem"),
                );
                let table = format!("orders-{n}");
                match self.lang {
                    Lang::JsonPath => {
                        let mut params = json!({
                            "TableName": table,
                            "Item": {
                                "pk": { "S.$": "$.order.id" },
                                "status": { "S": "RECEIVED" },
                                "count": { "N.$": "States.Format('{}', States.ArrayLength($.order.items))" },
                            }
                        });
                        if let Some(v) = &vars.read {
                            params["Item"]["context"] = json!({ "S.$": format!("${v}") });
                        }
                        s.insert("Parameters".into(), params);
                        s.insert("ResultPath".into(), json!(null));
                    }
                    Lang::Jsonata => {
                        let mut args = json!({
                            "TableName": table,
                            "Item": {
                                "pk": { "S": "{% $states.input.order.id %}" },
                                "status": { "S": "RECEIVED" },
                                "count": { "N": "{% $string($count($states.input.order.items)) %}" },
                            }
                        });
                        if let Some(v) = &vars.read {
                            args["Item"]["context"] = json!({ "S": format!("{{% ${v} %}}") });
                        }
                        s.insert("Arguments".into(), args);
                    }
                }
            }
        }
        s.insert("Retry".into(), self.retry());
        if self.rng.chance(70) {
            s.insert("Catch".into(), self.catch(failed));
        }
        self.add_assign(&mut s, vars);
        s.insert("Next".into(), json!(next));
        Value::Object(s)
    }

    fn choice(&mut self, next: &str, ahead: &str, vars: &Vars) -> Value {
        match self.lang {
            Lang::JsonPath => {
                let mut rules = vec![
                    json!({ "Variable": "$.order.status", "StringEquals": "EXPRESS", "Next": ahead }),
                    json!({
                        "And": [
                            { "Variable": "$.order.total", "NumericGreaterThanEquals": 100 },
                            { "Not": { "Variable": "$.order.flagged", "BooleanEquals": true } },
                            { "Or": [
                                { "Variable": "$.order.country", "StringMatches": "U*" },
                                { "Variable": "$.order.priority", "IsPresent": true },
                            ] },
                        ],
                        "Next": next,
                    }),
                    json!({ "Variable": "$.order.created", "TimestampLessThanPath": "$.cutoff", "Next": ahead }),
                ];
                if let Some(v) = &vars.read {
                    rules.push(json!({ "Variable": format!("${v}"), "StringMatches": "*-next", "Next": ahead }));
                }
                json!({
                    "Type": "Choice",
                    "Comment": "routes on the order's status",
                    "Choices": rules,
                    "Default": next,
                })
            }
            Lang::Jsonata => {
                let express = match &vars.read {
                    Some(v) => format!(
                        "{{% $states.input.order.status = 'EXPRESS' or ${v} = 'priority' %}}"
                    ),
                    None => "{% $states.input.order.status = 'EXPRESS' %}".into(),
                };
                json!({
                    "Type": "Choice",
                    "Comment": "routes on the order's status",
                    "Choices": [
                        { "Condition": express, "Next": ahead },
                        {
                            "Condition": "{% $states.input.order.total >= 100 and $not($states.input.order.flagged) %}",
                            "Next": next,
                            "Output": "{% $states.input %}",
                        },
                    ],
                    "Default": next,
                })
            }
        }
    }

    fn pass(&mut self, next: &str, vars: &Vars) -> Value {
        let n = self.next_name;
        let mut s = match self.lang {
            Lang::JsonPath => {
                // A static `Result` only where nothing is read.
                if vars.read.is_none() && self.rng.chance(50) {
                    json!({
                        "Type": "Pass",
                        "Result": { "stage": n, "labels": ["a", "b", "c"], "ratio": 0.5 },
                        "ResultPath": format!("$.stages.s{n}"),
                    })
                } else {
                    let mut params = json!({
                        "id.$": "$.order.id",
                        "uuid.$": "States.UUID()",
                        "parts.$": "States.StringSplit($.order.tags, ',')",
                        "merged.$": "States.JsonMerge($.order, $.defaults, false)",
                    });
                    if let Some(v) = &vars.read {
                        params["context.$"] = json!(format!("${v}"));
                    }
                    json!({
                        "Type": "Pass",
                        "Parameters": params,
                        "ResultPath": format!("$.shaped{n}"),
                    })
                }
            }
            Lang::Jsonata => {
                let mut output = json!({
                    "id": "{% $states.input.order.id %}",
                    "stage": n,
                    "items": "{% $states.input.order.items[price > 10].{'sku': sku, 'qty': qty} %}",
                });
                if let Some(v) = &vars.read {
                    output["context"] = json!(format!("{{% ${v} %}}"));
                }
                json!({ "Type": "Pass", "Output": output })
            }
        };
        let obj = s.as_object_mut().expect("a state is an object");
        self.add_assign(obj, vars);
        obj.insert("Next".into(), json!(next));
        s
    }

    /// A Wait state; it reads no variable.
    fn wait(&mut self, next: &str, vars: &Vars) -> Value {
        let mut s = match (self.lang, self.rng.range(0, 2)) {
            (Lang::JsonPath, 0) => json!({ "Type": "Wait", "Seconds": 5 }),
            (Lang::JsonPath, 1) => json!({ "Type": "Wait", "SecondsPath": "$.delay" }),
            (Lang::JsonPath, _) => {
                json!({ "Type": "Wait", "Timestamp": "2026-01-01T00:00:00Z" })
            }
            (Lang::Jsonata, _) => json!({
                "Type": "Wait",
                "Seconds": "{% $states.input.delay ? $states.input.delay : 5 %}",
            }),
        };
        let obj = s.as_object_mut().expect("a state is an object");
        self.add_assign(obj, vars);
        obj.insert("Next".into(), json!(next));
        s
    }

    fn parallel(&mut self, size: usize, depth: usize, next: &str, failed: &str) -> Value {
        // The Parallel state itself counts as one state.
        let inner = size - 1;
        let branches = if inner >= 6 && self.rng.chance(40) {
            3
        } else {
            2
        };
        let mut sizes = vec![inner / branches; branches];
        sizes[0] += inner % branches;
        let branches: Vec<Value> = sizes.iter().map(|&s| self.scope(s, depth + 1)).collect();
        let mut s = Map::new();
        s.insert("Type".into(), json!("Parallel"));
        s.insert("Branches".into(), Value::Array(branches));
        match self.lang {
            Lang::JsonPath => {
                s.insert("ResultPath".into(), json!("$.parallel"));
            }
            Lang::Jsonata => {
                s.insert(
                    "Output".into(),
                    json!("{% $merge([$states.input, {'parallel': $states.result}]) %}"),
                );
            }
        }
        s.insert("Retry".into(), self.retry());
        s.insert("Catch".into(), self.catch(failed));
        s.insert("Next".into(), json!(next));
        Value::Object(s)
    }

    fn map(&mut self, size: usize, depth: usize, next: &str, failed: &str) -> Value {
        let n = self.next_name;
        let processor_states = size - 1;
        // Not inside the EXPRESS child workflow of another Distributed Map.
        let distributed = !self.in_express && self.rng.chance(30);
        let mut processor = if distributed {
            // A child workflow sees no variable of the enclosing scopes.
            let outer = std::mem::take(&mut self.vars);
            self.in_express = true;
            let p = self.scope(processor_states, depth + 1);
            self.in_express = false;
            self.vars = outer;
            p
        } else {
            self.scope(processor_states, depth + 1)
        };
        let config = if distributed {
            json!({ "Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS" })
        } else {
            json!({ "Mode": "INLINE" })
        };
        if let Some(p) = processor.as_object_mut() {
            let mut with_config = Map::new();
            with_config.insert("ProcessorConfig".into(), config);
            with_config.extend(std::mem::take(p));
            *p = with_config;
        }
        let mut s = Map::new();
        s.insert("Type".into(), json!("Map"));
        match self.lang {
            Lang::JsonPath => {
                if distributed {
                    s.insert(
                        "ItemReader".into(),
                        json!({
                            "Resource": "arn:aws:states:::s3:getObject",
                            "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW" },
                            "Parameters": { "Bucket": format!("input-bucket-{n}"), "Key.$": "$.inputKey" },
                        }),
                    );
                    s.insert("Label".into(), json!(format!("Batch{n}")));
                    s.insert("ToleratedFailurePercentage".into(), json!(5));
                    s.insert(
                        "ItemBatcher".into(),
                        json!({ "MaxItemsPerBatch": 100, "BatchInput": { "run.$": "$$.Execution.Name" } }),
                    );
                } else {
                    s.insert("ItemsPath".into(), json!("$.order.items"));
                    s.insert(
                        "ItemSelector".into(),
                        json!({
                            "item.$": "$$.Map.Item.Value",
                            "index.$": "$$.Map.Item.Index",
                            "orderId.$": "$.order.id",
                        }),
                    );
                }
                s.insert("ResultPath".into(), json!(format!("$.mapped{n}")));
            }
            Lang::Jsonata => {
                s.insert("Items".into(), json!("{% $states.input.order.items %}"));
                if distributed {
                    s.insert("Label".into(), json!(format!("Batch{n}")));
                    s.insert("ToleratedFailurePercentage".into(), json!(5));
                }
                s.insert(
                    "Output".into(),
                    json!("{% $merge([$states.input, {'mapped': $states.result}]) %}"),
                );
            }
        }
        s.insert("MaxConcurrency".into(), json!(self.rng.range(1, 40)));
        s.insert("ItemProcessor".into(), processor);
        s.insert("Retry".into(), self.retry());
        s.insert("Catch".into(), self.catch(failed));
        s.insert("Next".into(), json!(next));
        Value::Object(s)
    }
}

/// Injects typical mistakes into the top-level states: a misspelled `Next`,
/// a misspelled field, a retrier with a negative interval.
fn inject_mistakes(root: &mut Value, rng: &mut Rng, count: usize) {
    let Some(states) = root.get_mut("States").and_then(Value::as_object_mut) else {
        return;
    };
    let names: Vec<String> = states.keys().cloned().collect();
    for k in 0..count {
        let name = &names[rng.range(0, names.len() - 1)];
        let Some(state) = states.get_mut(name).and_then(Value::as_object_mut) else {
            continue;
        };
        match k % 3 {
            0 => {
                if let Some(Value::String(next)) = state.get_mut("Next") {
                    next.push('x');
                }
            }
            1 => {
                if let Some(v) = state.remove("Comment") {
                    state.insert("Coment".into(), v);
                } else {
                    state.insert("Coment".into(), json!("typo"));
                }
            }
            _ => {
                if let Some(Value::Array(retry)) = state.get_mut("Retry") {
                    if let Some(r) = retry.first_mut().and_then(Value::as_object_mut) {
                        r.insert("IntervalSeconds".into(), json!(-1));
                    }
                } else {
                    state.insert("TimeoutSeconds".into(), json!("300"));
                }
            }
        }
    }
}

/// A YAML rendering of a JSON value (block style, every string and key
/// double-quoted), for YAML variants of the same definitions.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    yaml_value(v, 0, &mut out);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn yaml_scalar(v: &Value) -> String {
    match v {
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        other => other.to_string(),
    }
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

fn yaml_value(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, item) in m {
                out.push_str(&pad);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if is_block(item) {
                    out.push('\n');
                    yaml_value(item, indent + 2, out);
                } else {
                    out.push(' ');
                    out.push_str(&yaml_scalar(item));
                    out.push('\n');
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for item in a {
                out.push_str(&pad);
                out.push('-');
                if is_block(item) {
                    out.push('\n');
                    yaml_value(item, indent + 2, out);
                } else {
                    out.push(' ');
                    out.push_str(&yaml_scalar(item));
                    out.push('\n');
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&yaml_scalar(other));
            out.push('\n');
        }
    }
}

/// Counts the states of a definition (nested ones included).
pub fn count_states(v: &Value) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(scope) = stack.pop() {
        let Some(states) = scope.get("States").and_then(Value::as_object) else {
            continue;
        };
        for state in states.values() {
            n += 1;
            if let Some(b) = state.get("Branches").and_then(Value::as_array) {
                stack.extend(b.iter());
            }
            if let Some(p) = state.get("ItemProcessor") {
                stack.push(p);
            }
        }
    }
    n
}
