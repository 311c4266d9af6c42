//! Task `Resource` values: a parser for the ARN forms Step Functions runs,
//! aware of deploy-time placeholders, and the table of optimized service
//! integrations with the integration patterns each supports.
//!
//! Forms (DG "Discover service integration patterns", "Integrating optimized
//! services", "AWS SDK integrations", "Call HTTPS APIs"):
//!
//! * `arn:<p>:lambda:<region>:<account>:function:<name>[:<version-or-alias>]`
//! * `arn:<p>:states:<region>:<account>:activity:<name>`
//! * `arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`
//! * `arn:<p>:states:::aws-sdk:<service>:<apiAction>[.waitForTaskToken]`
//! * `arn:<p>:states:::http:invoke`
//!
//! Region and account of integration ARNs are normally empty (`:::`);
//! deployed templates also fill them in, which works, so they are accepted.
//!
//! Placeholders (`${Name}`, `${AWS::Partition}`, `#{AWS::Region}`) stand for
//! text a deployment tool substitutes. A part that holds one matches anything;
//! when the part that decides the form is a placeholder the value is
//! [`Resource::Placeholder`] and nothing is judged. Every offset here is a
//! byte offset into the resource string.
//!
//! Nothing here reports anything; the `ASL26x` rules and the language server
//! (completion of services and actions) build on it.

use crate::model::{Machine, ScopeId, ScopeKind, State, StateId, StateType};
use crate::settings::MachineType;
use crate::syntax::{Node, TextRange};

/// A `:`-separated part of the resource string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub text: &'a str,
    /// Offset of `text` in the resource string.
    pub start: usize,
    /// True when the part holds a `${…}` / `#{…}` placeholder.
    pub placeholder: bool,
}

impl Part<'_> {
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }
    /// True when the part is literally `s` (a placeholder matches nothing).
    pub fn is(&self, s: &str) -> bool {
        !self.placeholder && self.text == s
    }
}

/// The integration pattern a suffix selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// No suffix: call the API and continue with its response.
    RequestResponse,
    /// `.sync`: run a job and wait for it to finish.
    Sync,
    /// `.sync:2`: like `.sync`, with a parsed JSON output (Step Functions only).
    Sync2,
    /// `.waitForTaskToken`: pass a task token and wait for it to come back.
    Callback,
}

impl Pattern {
    /// The suffix as written, with its leading dot (empty for request-response).
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::Callback => ".waitForTaskToken",
        }
    }
    /// The suffixes Step Functions knows, without the dot.
    pub const SUFFIXES: [&'static str; 3] = ["sync", "sync:2", "waitForTaskToken"];

    fn parse(s: &str) -> Option<Pattern> {
        match s {
            "sync" => Some(Pattern::Sync),
            "sync:2" => Some(Pattern::Sync2),
            "waitForTaskToken" => Some(Pattern::Callback),
            _ => None,
        }
    }
    pub fn is_sync(self) -> bool {
        matches!(self, Pattern::Sync | Pattern::Sync2)
    }
}

/// An action name with the suffix after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action<'a> {
    pub name: Part<'a>,
    pub pattern: Pattern,
    /// The suffix as written, without the dot (`sync:2`), when there is one.
    pub suffix: Option<Part<'a>>,
}

/// What a Task `Resource` string is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resource<'a> {
    /// A placeholder stands where the form is decided (`${LambdaArn}`,
    /// `arn:aws:${Service}:…`); nothing can be judged.
    Placeholder,
    /// A Lambda function ARN (the legacy direct form).
    Lambda {
        partition: Part<'a>,
        region: Part<'a>,
        account: Part<'a>,
        name: Part<'a>,
        qualifier: Option<Part<'a>>,
        /// A pattern suffix written after the name or qualifier; Lambda
        /// function ARNs take none.
        suffix: Option<Part<'a>>,
    },
    /// An activity ARN.
    Activity {
        partition: Part<'a>,
        region: Part<'a>,
        account: Part<'a>,
        name: Part<'a>,
    },
    /// `arn:<p>:states:::<service>:<action>[.suffix]`.
    Optimized {
        partition: Part<'a>,
        service: Part<'a>,
        action: Action<'a>,
    },
    /// `arn:<p>:states:::aws-sdk:<service>:<action>[.suffix]`.
    Sdk {
        partition: Part<'a>,
        service: Part<'a>,
        action: Action<'a>,
    },
    /// An ARN of a service that is neither Lambda nor Step Functions.
    OtherArn {
        partition: Part<'a>,
        service: Part<'a>,
    },
    /// A URI with another scheme (`foo:bar`); the specification allows any
    /// URI, Step Functions only ARNs.
    OtherUri { scheme: Part<'a> },
}

impl<'a> Resource<'a> {
    /// The partition, for ARN forms whose partition is literal.
    pub fn partition(&self) -> Option<Part<'a>> {
        match *self {
            Resource::Lambda { partition, .. }
            | Resource::Activity { partition, .. }
            | Resource::Optimized { partition, .. }
            | Resource::Sdk { partition, .. }
            | Resource::OtherArn { partition, .. } => (!partition.placeholder).then_some(partition),
            Resource::Placeholder | Resource::OtherUri { .. } => None,
        }
    }
    /// The integration pattern; `None` when it cannot be told.
    pub fn pattern(&self) -> Option<Pattern> {
        match self {
            Resource::Optimized { action, .. } | Resource::Sdk { action, .. } => {
                Some(action.pattern)
            }
            Resource::Lambda { suffix: None, .. } | Resource::Activity { .. } => {
                Some(Pattern::RequestResponse)
            }
            _ => None,
        }
    }
    /// True for a task that waits for a token to come back: a
    /// `.waitForTaskToken` integration or an activity.
    pub fn is_callback(&self) -> bool {
        matches!(self, Resource::Activity { .. }) || self.pattern() == Some(Pattern::Callback)
    }
}

/// Why a resource string is not one of the accepted forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Empty,
    /// Whitespace outside placeholders.
    Whitespace,
    /// `${` or `#{` without its closing `}`.
    UnclosedPlaceholder,
    /// Neither an ARN nor any other URI (`$.FunctionName`, `MyFunction`).
    NotUri,
    /// `ARN:…`: the prefix is lower-case.
    ArnCase,
    /// Fewer than six `:`-separated parts.
    TooFewParts,
    EmptyPartition,
    UnknownPartition,
    /// A Lambda ARN whose resource type is not `function`.
    NotAFunction,
    MissingFunctionName,
    /// Characters a function name or qualifier cannot hold.
    BadFunctionName,
    MissingActivityName,
    /// A state machine, execution or other Step Functions ARN that is not a task.
    NotATask,
    /// `arn:aws:states:::` without a service.
    MissingService,
    /// `arn:aws:states:::lambda` without an action.
    MissingAction,
    /// An action name with characters other than letters and digits.
    BadAction,
    /// A suffix other than `.sync`, `.sync:2`, `.waitForTaskToken`.
    UnknownSuffix,
    /// More parts than the form has.
    TooManyParts,
}

/// A parse failure and where it is in the string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceError {
    pub kind: ErrorKind,
    pub start: usize,
    pub end: usize,
}

impl ResourceError {
    fn new(kind: ErrorKind, start: usize, end: usize) -> Self {
        ResourceError { kind, start, end }
    }
    fn at(kind: ErrorKind, part: &Part<'_>) -> Self {
        ResourceError::new(kind, part.start, part.end())
    }
}

/// The partitions Step Functions runs in.
pub const PARTITIONS: [&str; 3] = ["aws", "aws-cn", "aws-us-gov"];
/// Isolated partitions (ISO regions, the European Sovereign Cloud): real, but
/// undocumented for Step Functions here, so only worth a warning.
pub const ISOLATED_PARTITIONS: [&str; 5] =
    ["aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"];

/// How well a partition is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartitionKind {
    Standard,
    Isolated,
    Unknown,
}

pub fn partition_kind(p: &str) -> PartitionKind {
    if PARTITIONS.contains(&p) {
        PartitionKind::Standard
    } else if ISOLATED_PARTITIONS.contains(&p) {
        PartitionKind::Isolated
    } else {
        PartitionKind::Unknown
    }
}

/// The spans of the placeholders in `s`, or the offset of an unclosed one.
fn placeholders(s: &str) -> Result<Vec<(usize, usize)>, usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if (b[i] == b'$' || b[i] == b'#') && b[i + 1] == b'{' {
            match s[i + 2..].find('}') {
                Some(j) => {
                    let end = i + 2 + j + 1;
                    out.push((i, end));
                    i = end;
                }
                None => return Err(i),
            }
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// True when the whole string is one or more placeholders.
pub fn is_whole_placeholder(s: &str) -> bool {
    match placeholders(s) {
        Ok(spans) if !spans.is_empty() => {
            let mut at = 0;
            for (a, b) in spans {
                if a != at {
                    return false;
                }
                at = b;
            }
            at == s.len()
        }
        _ => false,
    }
}

struct Scanner<'a> {
    s: &'a str,
    /// For every byte: inside a placeholder.
    mask: Vec<bool>,
}

impl<'a> Scanner<'a> {
    fn new(s: &'a str, spans: &[(usize, usize)]) -> Self {
        let mut mask = vec![false; s.len()];
        for &(a, b) in spans {
            mask[a..b].iter_mut().for_each(|m| *m = true);
        }
        Scanner { s, mask }
    }
    fn inside(&self, i: usize) -> bool {
        self.mask.get(i).copied().unwrap_or(false)
    }
    fn has_in(&self, start: usize, end: usize) -> bool {
        self.mask
            .get(start..end)
            .is_some_and(|m| m.iter().any(|&b| b))
    }
    fn part(&self, start: usize, end: usize) -> Part<'a> {
        Part {
            text: &self.s[start..end],
            start,
            placeholder: self.has_in(start, end),
        }
    }
    /// The first `ch` at or after `from` outside placeholders.
    fn find(&self, from: usize, ch: char) -> Option<usize> {
        self.s[from..]
            .char_indices()
            .map(|(i, c)| (from + i, c))
            .find(|&(i, c)| c == ch && !self.inside(i))
            .map(|(i, _)| i)
    }
    /// The `:`-separated parts of `s[from..]`.
    fn split(&self, from: usize) -> Vec<Part<'a>> {
        let mut parts = Vec::new();
        let mut start = from;
        while let Some(i) = self.find(start, ':') {
            parts.push(self.part(start, i));
            start = i + 1;
        }
        parts.push(self.part(start, self.s.len()));
        parts
    }
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn is_function_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Parses a Task `Resource` string.
pub fn parse(s: &str) -> Result<Resource<'_>, ResourceError> {
    if s.is_empty() {
        return Err(ResourceError::new(ErrorKind::Empty, 0, 0));
    }
    let spans = placeholders(s)
        .map_err(|at| ResourceError::new(ErrorKind::UnclosedPlaceholder, at, s.len()))?;
    let sc = Scanner::new(s, &spans);
    if let Some((i, c)) = s
        .char_indices()
        .find(|&(i, c)| c.is_whitespace() && !sc.inside(i))
    {
        return Err(ResourceError::new(
            ErrorKind::Whitespace,
            i,
            i + c.len_utf8(),
        ));
    }
    let parts = sc.split(0);
    let first = parts[0];
    if first.placeholder {
        return Ok(Resource::Placeholder);
    }
    if parts.len() == 1 {
        return Err(ResourceError::new(ErrorKind::NotUri, 0, s.len()));
    }
    if first.text != "arn" {
        if first.text.eq_ignore_ascii_case("arn") {
            return Err(ResourceError::at(ErrorKind::ArnCase, &first));
        }
        if is_scheme(first.text) {
            return Ok(Resource::OtherUri { scheme: first });
        }
        return Err(ResourceError::new(ErrorKind::NotUri, 0, s.len()));
    }
    if parts.len() < 6 {
        return Err(ResourceError::new(ErrorKind::TooFewParts, 0, s.len()));
    }
    let (partition, service, region, account) = (parts[1], parts[2], parts[3], parts[4]);
    if !partition.placeholder {
        if partition.text.is_empty() {
            return Err(ResourceError::at(ErrorKind::EmptyPartition, &partition));
        }
        if partition_kind(partition.text) == PartitionKind::Unknown {
            return Err(ResourceError::at(ErrorKind::UnknownPartition, &partition));
        }
    }
    if service.placeholder {
        return Ok(Resource::Placeholder);
    }
    let kind = parts[5];
    match service.text {
        "lambda" => {
            if kind.placeholder {
                return Ok(Resource::Placeholder);
            }
            if kind.text != "function" {
                return Err(ResourceError::at(ErrorKind::NotAFunction, &kind));
            }
            let Some(&name) = parts.get(6).filter(|p| !p.text.is_empty()) else {
                return Err(ResourceError::new(
                    ErrorKind::MissingFunctionName,
                    kind.start,
                    s.len(),
                ));
            };
            if let Some(extra) = parts.get(8) {
                return Err(ResourceError::new(
                    ErrorKind::TooManyParts,
                    extra.start.saturating_sub(1),
                    s.len(),
                ));
            }
            let mut qualifier = parts.get(7).copied();
            // A suffix hides in the last part: `function:f.waitForTaskToken`.
            let last = qualifier.unwrap_or(name);
            let mut suffix = None;
            let mut last_trimmed = last;
            if let Some(dot) = sc.find(last.start, '.').filter(|&d| d < last.end()) {
                let after = sc.part(dot + 1, s.len());
                if Pattern::parse(after.text).is_some() {
                    suffix = Some(after);
                    last_trimmed = sc.part(last.start, dot);
                }
            }
            let name = if qualifier.is_some() {
                qualifier = Some(last_trimmed);
                name
            } else {
                last_trimmed
            };
            for p in [Some(name), qualifier].into_iter().flatten() {
                // `$LATEST` and its variants (`$LATEST.PUBLISHED`) qualify too.
                let ok = p.placeholder
                    || is_function_name(p.text)
                    || (Some(p) == qualifier && p.text.starts_with("$LATEST"));
                if !ok {
                    return Err(ResourceError::at(ErrorKind::BadFunctionName, &p));
                }
            }
            Ok(Resource::Lambda {
                partition,
                region,
                account,
                name,
                qualifier,
                suffix,
            })
        }
        "states" => {
            if kind.placeholder {
                return Ok(Resource::Placeholder);
            }
            match kind.text {
                "activity" => {
                    let Some(&name) = parts.get(6).filter(|p| !p.text.is_empty()) else {
                        return Err(ResourceError::new(
                            ErrorKind::MissingActivityName,
                            kind.start,
                            s.len(),
                        ));
                    };
                    if let Some(extra) = parts.get(7) {
                        return Err(ResourceError::new(
                            ErrorKind::TooManyParts,
                            extra.start.saturating_sub(1),
                            s.len(),
                        ));
                    }
                    Ok(Resource::Activity {
                        partition,
                        region,
                        account,
                        name,
                    })
                }
                "stateMachine"
                | "execution"
                | "express"
                | "mapRun"
                | "stateMachineVersion"
                | "stateMachineAlias" => Err(ResourceError::at(ErrorKind::NotATask, &kind)),
                "" => Err(ResourceError::new(
                    ErrorKind::MissingService,
                    kind.start,
                    s.len(),
                )),
                "aws-sdk" => {
                    let Some(&svc) = parts.get(6).filter(|p| !p.text.is_empty()) else {
                        return Err(ResourceError::new(
                            ErrorKind::MissingService,
                            kind.start,
                            s.len(),
                        ));
                    };
                    let Some(rest) = parts.get(7) else {
                        return Err(ResourceError::new(
                            ErrorKind::MissingAction,
                            svc.start,
                            s.len(),
                        ));
                    };
                    let action = action(&sc, rest.start)?;
                    Ok(Resource::Sdk {
                        partition,
                        service: svc,
                        action,
                    })
                }
                _ => {
                    let Some(rest) = parts.get(6) else {
                        return Err(ResourceError::new(
                            ErrorKind::MissingAction,
                            kind.start,
                            s.len(),
                        ));
                    };
                    let action = action(&sc, rest.start)?;
                    Ok(Resource::Optimized {
                        partition,
                        service: kind,
                        action,
                    })
                }
            }
        }
        _ => Ok(Resource::OtherArn { partition, service }),
    }
}

/// `action[.suffix]` from `from` to the end of the string.
fn action<'a>(sc: &Scanner<'a>, from: usize) -> Result<Action<'a>, ResourceError> {
    let s = sc.s;
    let dot = sc.find(from, '.');
    let name = sc.part(from, dot.unwrap_or(s.len()));
    if name.text.is_empty() {
        return Err(ResourceError::new(
            ErrorKind::MissingAction,
            from.saturating_sub(1),
            s.len(),
        ));
    }
    if !name.placeholder && !name.text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ResourceError::at(ErrorKind::BadAction, &name));
    }
    let Some(dot) = dot else {
        return Ok(Action {
            name,
            pattern: Pattern::RequestResponse,
            suffix: None,
        });
    };
    let suffix = sc.part(dot + 1, s.len());
    if suffix.placeholder {
        // `.${Pattern}`: cannot be told; treat as request-response so that
        // nothing is claimed about it.
        return Ok(Action {
            name,
            pattern: Pattern::RequestResponse,
            suffix: None,
        });
    }
    match Pattern::parse(suffix.text) {
        Some(pattern) => Ok(Action {
            name,
            pattern,
            suffix: Some(suffix),
        }),
        None => Err(ResourceError::new(ErrorKind::UnknownSuffix, dot, s.len())),
    }
}

// ------------------------------------------------------------------ the table

/// Whether a service supports an integration pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Support {
    Yes,
    No,
    /// The sources disagree or say nothing definite.
    Unverified,
}

/// One API action of an optimized integration.
#[derive(Debug)]
pub struct ApiAction {
    /// As written in the ARN: `startExecution`.
    pub name: &'static str,
    /// Documented with `.sync`.
    pub sync: bool,
    /// Parameters the call cannot do without. Each entry is a set of
    /// alternatives of which one must be present; a dotted name is a field of
    /// an object (`Authentication.ConnectionArn`).
    pub required: &'static [&'static [&'static str]],
}

/// An optimized integration: `arn:aws:states:::<name>:<action>`.
#[derive(Debug)]
pub struct Service {
    pub name: &'static str,
    /// The product name for messages and completion.
    pub title: &'static str,
    pub sync: Support,
    pub callback: Support,
    /// Only valid inside a Map `ItemReader`/`ResultWriter`, never as a Task.
    pub map_only: bool,
    pub actions: &'static [ApiAction],
}

impl Service {
    pub fn action(&self, name: &str) -> Option<&'static ApiAction> {
        self.actions.iter().find(|a| a.name == name)
    }
}

const fn a(name: &'static str) -> ApiAction {
    ApiAction {
        name,
        sync: false,
        required: &[],
    }
}
const fn s(name: &'static str) -> ApiAction {
    ApiAction {
        name,
        sync: true,
        required: &[],
    }
}
const fn ar(name: &'static str, required: &'static [&'static [&'static str]]) -> ApiAction {
    ApiAction {
        name,
        sync: false,
        required,
    }
}
const fn sr(name: &'static str, required: &'static [&'static [&'static str]]) -> ApiAction {
    ApiAction {
        name,
        sync: true,
        required,
    }
}

/// The optimized integrations, from the AWS developer guide's integration
/// table and per-service pages. Request-response is always allowed.
pub static SERVICES: &[Service] = &[
    Service {
        name: "apigateway",
        title: "Amazon API Gateway",
        sync: Support::No,
        callback: Support::Yes,
        map_only: false,
        actions: &[ar("invoke", &[&["ApiEndpoint"], &["Method"]])],
    },
    Service {
        name: "athena",
        title: "Amazon Athena",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            sr("startQueryExecution", &[&["QueryString"]]),
            a("stopQueryExecution"),
            a("getQueryExecution"),
            a("getQueryResults"),
        ],
    },
    Service {
        name: "batch",
        title: "AWS Batch",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[sr(
            "submitJob",
            &[&["JobName"], &["JobDefinition"], &["JobQueue"]],
        )],
    },
    Service {
        name: "bedrock",
        title: "Amazon Bedrock",
        sync: Support::Yes,
        callback: Support::Yes,
        map_only: false,
        actions: &[
            ar("invokeModel", &[&["ModelId"]]),
            s("createModelCustomizationJob"),
        ],
    },
    Service {
        name: "codebuild",
        title: "AWS CodeBuild",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            sr("startBuild", &[&["ProjectName"]]),
            a("stopBuild"),
            a("batchDeleteBuilds"),
            a("batchGetReports"),
            s("startBuildBatch"),
            s("retryBuild"),
            s("retryBuildBatch"),
            a("stopBuildBatch"),
            a("deleteBuildBatch"),
        ],
    },
    Service {
        name: "dynamodb",
        title: "Amazon DynamoDB",
        sync: Support::No,
        callback: Support::No,
        map_only: false,
        actions: &[
            ar("getItem", &[&["TableName"], &["Key"]]),
            ar("putItem", &[&["TableName"], &["Item"]]),
            ar("deleteItem", &[&["TableName"], &["Key"]]),
            ar("updateItem", &[&["TableName"], &["Key"]]),
        ],
    },
    Service {
        name: "ecs",
        title: "Amazon ECS/Fargate",
        sync: Support::Yes,
        callback: Support::Yes,
        map_only: false,
        actions: &[sr("runTask", &[&["TaskDefinition"]])],
    },
    Service {
        name: "eks",
        title: "Amazon EKS",
        sync: Support::Yes,
        // The integration table says yes, the EKS page says no.
        callback: Support::Unverified,
        map_only: false,
        actions: &[
            s("createCluster"),
            s("deleteCluster"),
            s("createFargateProfile"),
            s("deleteFargateProfile"),
            s("createNodegroup"),
            s("deleteNodegroup"),
            sr(
                "runJob",
                &[
                    &["ClusterName"],
                    &["CertificateAuthority"],
                    &["Endpoint"],
                    &["Job"],
                ],
            ),
            ar(
                "call",
                &[
                    &["ClusterName"],
                    &["CertificateAuthority"],
                    &["Endpoint"],
                    &["Method"],
                    &["Path"],
                ],
            ),
        ],
    },
    Service {
        name: "elasticmapreduce",
        title: "Amazon EMR",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            s("createCluster"),
            a("setClusterTerminationProtection"),
            s("terminateCluster"),
            s("addStep"),
            a("cancelStep"),
            a("modifyInstanceFleetByName"),
            a("modifyInstanceGroupByName"),
        ],
    },
    Service {
        name: "emr-containers",
        title: "Amazon EMR on EKS",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            a("createVirtualCluster"),
            s("deleteVirtualCluster"),
            s("startJobRun"),
        ],
    },
    Service {
        name: "emr-serverless",
        title: "Amazon EMR Serverless",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            s("createApplication"),
            s("startApplication"),
            s("stopApplication"),
            s("deleteApplication"),
            s("startJobRun"),
            s("cancelJobRun"),
        ],
    },
    Service {
        name: "events",
        title: "Amazon EventBridge",
        sync: Support::No,
        callback: Support::Yes,
        map_only: false,
        actions: &[ar("putEvents", &[&["Entries"]])],
    },
    Service {
        name: "glue",
        title: "AWS Glue",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[sr("startJobRun", &[&["JobName"]])],
    },
    Service {
        name: "databrew",
        title: "AWS Glue DataBrew",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[sr("startJobRun", &[&["Name"]])],
    },
    Service {
        name: "http",
        title: "HTTP Task",
        // Only request-response is documented; whether AWS rejects a suffix
        // is not confirmed.
        sync: Support::Unverified,
        callback: Support::Unverified,
        map_only: false,
        actions: &[ar(
            "invoke",
            &[
                &["ApiEndpoint"],
                &["Method"],
                // Public APIs name the connection under `Authentication`,
                // private ones (VPC) under `InvocationConfig`.
                &[
                    "Authentication.ConnectionArn",
                    "InvocationConfig.ConnectionArn",
                ],
            ],
        )],
    },
    Service {
        name: "lambda",
        title: "AWS Lambda",
        sync: Support::No,
        callback: Support::Yes,
        map_only: false,
        actions: &[ar("invoke", &[&["FunctionName"]])],
    },
    Service {
        name: "mediaconvert",
        title: "AWS Elemental MediaConvert",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[s("createJob")],
    },
    Service {
        name: "s3",
        title: "Amazon S3 (Distributed Map reader and writer)",
        sync: Support::No,
        callback: Support::No,
        map_only: true,
        actions: &[a("getObject"), a("listObjectsV2"), a("putObject")],
    },
    Service {
        name: "sagemaker",
        title: "Amazon SageMaker AI",
        sync: Support::Yes,
        callback: Support::No,
        map_only: false,
        actions: &[
            a("createEndpoint"),
            a("createEndpointConfig"),
            s("createHyperParameterTuningJob"),
            s("createLabelingJob"),
            a("createModel"),
            s("createProcessingJob"),
            s("createTrainingJob"),
            s("createTransformJob"),
            a("updateEndpoint"),
        ],
    },
    Service {
        name: "sns",
        title: "Amazon SNS",
        sync: Support::No,
        callback: Support::Yes,
        map_only: false,
        actions: &[ar(
            "publish",
            &[&["TopicArn", "TargetArn", "PhoneNumber"], &["Message"]],
        )],
    },
    Service {
        name: "sqs",
        title: "Amazon SQS",
        sync: Support::No,
        callback: Support::Yes,
        map_only: false,
        actions: &[ar("sendMessage", &[&["QueueUrl"], &["MessageBody"]])],
    },
    Service {
        name: "states",
        title: "AWS Step Functions",
        sync: Support::Yes,
        callback: Support::Yes,
        map_only: false,
        actions: &[sr("startExecution", &[&["StateMachineArn"]])],
    },
];

/// The optimized integration named `name` (`lambda`, `dynamodb` …).
pub fn service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.name == name)
}

/// AWS SDK integrations: request-response and callback, never `.sync`.
pub const SDK_SYNC: Support = Support::No;

/// True for an SDK service name as Step Functions spells them (`s3`,
/// `cloudwatchlogs`, `redshiftdata`): lower-case letters and digits
/// (hyphens tolerated).
pub fn is_sdk_service_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// True for an action in lowerCamelCase (`getObject`, `listObjectsV2`).
pub fn is_lower_camel(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

// ------------------------------------------------------------------ Express

/// Why states of a scope run under Express rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Express {
    /// The machine is linted as an Express workflow.
    Machine,
    /// Inside the item processor of this Distributed Map, whose child
    /// executions are Express workflows (`ExecutionType: EXPRESS`).
    Child(StateId),
}

impl Express {
    /// "in an Express state machine" / "in the Express child workflows of `M`".
    pub fn describe(self, machine: &Machine<'_>) -> String {
        match self {
            Express::Machine => "in an Express state machine".to_string(),
            Express::Child(id) => format!(
                "in the Express child workflows of Distributed Map `{}`",
                machine.state(id).name
            ),
        }
    }
}

/// For every scope of the machine (indexed like `machine.scopes`): whether
/// its states run as (part of) an Express workflow, and why. Linear: scopes
/// are numbered parents first.
pub fn express_scopes(machine: &Machine<'_>, machine_type: MachineType) -> Vec<Option<Express>> {
    let mut out: Vec<Option<Express>> = Vec::with_capacity(machine.scopes.len());
    for scope in &machine.scopes {
        let inherited = scope.owner.and_then(|o| {
            let parent = machine.state(o).scope;
            out.get(parent.0 as usize).copied().flatten()
        });
        let own = match (scope.kind, scope.owner) {
            (ScopeKind::Root, _) => {
                (machine_type == MachineType::Express).then_some(Express::Machine)
            }
            (ScopeKind::ItemProcessor | ScopeKind::Iterator, Some(owner)) if scope.distributed => {
                let express = scope
                    .node
                    .get("ProcessorConfig")
                    .and_then(|c| c.get("ExecutionType"))
                    .and_then(Node::as_str)
                    == Some("EXPRESS");
                express.then_some(Express::Child(owner))
            }
            _ => None,
        };
        out.push(inherited.or(own));
    }
    out
}

/// The Express context of the scope `id`.
pub fn express_of(scopes: &[Option<Express>], id: ScopeId) -> Option<Express> {
    scopes.get(id.0 as usize).copied().flatten()
}

// ------------------------------------------------------------------ tasks

/// A Task state whose `Resource` is a constant string (not a JSONata
/// expression, not a CloudFormation object), with the parse of it.
#[derive(Debug)]
pub struct TaskResource<'m, 'a> {
    pub state: &'m State<'a>,
    /// The `Resource` value node.
    pub node: &'a Node,
    pub value: &'a str,
    pub parsed: Result<Resource<'a>, ResourceError>,
}

impl TaskResource<'_, '_> {
    /// The range of bytes `start..end` of the value in the file.
    pub fn span(&self, text: &str, start: usize, end: usize) -> TextRange {
        span(text, self.node, self.value, start, end)
    }
}

/// Every Task state with a constant string `Resource`, parsed.
pub fn task_resources<'m, 'a>(
    machine: &'m Machine<'a>,
) -> impl Iterator<Item = TaskResource<'m, 'a>> + 'm {
    machine
        .states
        .iter()
        .filter(|s| s.state_type == Some(StateType::Task))
        .filter_map(|state| {
            let node = state.get("Resource")?;
            let value = node.as_str()?;
            if super::is_jsonata(value) {
                return None;
            }
            Some(TaskResource {
                state,
                node,
                value,
                parsed: parse(value),
            })
        })
}

// ------------------------------------------------------------------ task token

/// How a JSONPath value (`.$`) or JSONata expression uses the task token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TokenUse {
    /// Names the token explicitly: `$$.Task.Token`, `$states.context.Task.Token`.
    pub explicit: bool,
    /// Passes it some way: explicitly, or with the whole `Task` or context
    /// object (`$$.Task`, `$$`, `$states.context`).
    pub passes: bool,
}

/// What `prefix` (`$$` or `$states.context`) is followed by in `s`.
fn context_use(s: &str, prefix: &str) -> TokenUse {
    let mut out = TokenUse::default();
    let mut from = 0;
    while let Some(i) = s[from..].find(prefix) {
        let after = &s[from + i + prefix.len()..];
        from += i + prefix.len();
        let ident_follows = |rest: &str| {
            rest.chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        };
        if let Some(rest) = after.strip_prefix(".Task") {
            if ident_follows(rest) {
                continue; // `$$.TaskX`
            }
            out.passes = true;
            if let Some(r) = rest.strip_prefix(".Token") {
                if !ident_follows(r) {
                    out.explicit = true;
                }
            }
        } else if !after.starts_with('.') && !ident_follows(after) {
            // The whole context object (`$$`, `$$[…]`, `$states.context)`).
            out.passes = true;
        }
    }
    out
}

/// How the strings under `node` (a `Parameters` or `Arguments` value) use
/// the task token. JSONPath counts only values of `.$` keys (other strings
/// are literals); JSONata counts `{% … %}` strings. Iterative.
pub fn token_use(node: &Node) -> (TokenUse, Vec<&Node>) {
    let mut total = TokenUse::default();
    let mut explicit = Vec::new();
    let mut stack: Vec<(&Node, bool)> = vec![(node, false)];
    while let Some((n, dollar)) = stack.pop() {
        match &n.value {
            crate::syntax::Value::String(v) => {
                let u = if super::is_jsonata(v) {
                    context_use(v, "$states.context")
                } else if dollar {
                    context_use(v, "$$")
                } else {
                    TokenUse::default()
                };
                total.passes |= u.passes;
                if u.explicit {
                    total.explicit = true;
                    explicit.push(n);
                }
            }
            crate::syntax::Value::Array(items) => {
                stack.extend(items.iter().map(|i| (i, false)));
            }
            crate::syntax::Value::Object(members) => {
                stack.extend(members.iter().map(|m| (&m.value, m.key.ends_with(".$"))));
            }
            _ => {}
        }
    }
    explicit.sort_by_key(|n| n.range.start);
    (total, explicit)
}

// ------------------------------------------------------------------ ranges

/// The range of bytes `start..end` of the string `s` held by `node`, when
/// the file writes the string without escapes (so offsets carry over);
/// otherwise the whole node.
pub fn span(text: &str, node: &Node, s: &str, start: usize, end: usize) -> TextRange {
    let raw = text.get(node.range.start()..node.range.end()).unwrap_or("");
    let offset = if raw == s {
        Some(0)
    } else if raw.len() == s.len() + 2 && raw.get(1..raw.len() - 1) == Some(s) {
        Some(1)
    } else {
        None
    };
    match offset {
        Some(o) if start <= end && end <= s.len() => {
            TextRange::new(node.range.start() + o + start, node.range.start() + o + end)
        }
        _ => node.range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(s: &str) -> ErrorKind {
        parse(s).expect_err(s).kind
    }

    #[test]
    fn parses_the_documented_forms() {
        match parse("arn:aws:states:::lambda:invoke.waitForTaskToken").unwrap() {
            Resource::Optimized {
                partition,
                service,
                action,
            } => {
                assert_eq!(partition.text, "aws");
                assert_eq!(service.text, "lambda");
                assert_eq!(action.name.text, "invoke");
                assert_eq!(action.pattern, Pattern::Callback);
                assert_eq!(action.suffix.map(|p| p.start), Some(31));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse("arn:aws:states:::states:startExecution.sync:2")
                .unwrap()
                .pattern(),
            Some(Pattern::Sync2)
        );
        match parse("arn:aws-cn:states:::aws-sdk:s3:listObjectsV2").unwrap() {
            Resource::Sdk {
                service, action, ..
            } => {
                assert_eq!(service.text, "s3");
                assert_eq!(action.name.text, "listObjectsV2");
                assert_eq!(action.pattern, Pattern::RequestResponse);
            }
            other => panic!("{other:?}"),
        }
        match parse("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST").unwrap() {
            Resource::Lambda {
                name, qualifier, ..
            } => {
                assert_eq!(name.text, "f");
                assert_eq!(qualifier.map(|q| q.text), Some("$LATEST"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("arn:aws:states:us-east-1:123456789012:activity:hello").unwrap(),
            Resource::Activity { .. }
        ));
        assert!(
            parse("arn:aws:states:us-east-1:123456789012:activity:hello")
                .unwrap()
                .is_callback()
        );
        assert!(matches!(
            parse("arn:aws:states:::http:invoke").unwrap(),
            Resource::Optimized { .. }
        ));
        // Region and account filled in, as deployed templates do.
        assert!(matches!(
            parse("arn:aws:states:us-east-1:776177632559:aws-sdk:s3:getObject").unwrap(),
            Resource::Sdk { .. }
        ));
    }

    #[test]
    fn placeholders_match_anything() {
        assert_eq!(parse("${LambdaArn}"), Ok(Resource::Placeholder));
        assert_eq!(parse("${A}${B}"), Ok(Resource::Placeholder));
        assert!(is_whole_placeholder("${A}${B}"));
        assert!(!is_whole_placeholder("arn:${P}:x"));
        assert_eq!(
            parse("arn:aws:${Service}:us-east-1:1:function:f"),
            Ok(Resource::Placeholder)
        );
        match parse("arn:${AWS::Partition}:states:::lambda:invoke").unwrap() {
            Resource::Optimized { partition, .. } => {
                assert!(partition.placeholder);
                assert_eq!(partition.text, "${AWS::Partition}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("arn:aws:lambda:::function:${fn_update_metadata}").unwrap(),
            Resource::Lambda { .. }
        ));
        assert!(matches!(
            parse("arn:#{AWS::Partition}:lambda:#{AWS::Region}:#{AWS::AccountId}:function:${self:service}-f").unwrap(),
            Resource::Lambda { .. }
        ));
        // Terraform interpolations hold dots and spaces.
        assert!(matches!(
            parse("arn:aws:states:::aws-sdk:${ var.svc }:getObject").unwrap(),
            Resource::Sdk { .. }
        ));
        assert_eq!(err("${lambdaArn"), ErrorKind::UnclosedPlaceholder);
    }

    #[test]
    fn rejects_broken_forms() {
        assert_eq!(err(""), ErrorKind::Empty);
        assert_eq!(err("$.FunctionName"), ErrorKind::NotUri);
        assert_eq!(err("MyFunction"), ErrorKind::NotUri);
        assert_eq!(err("ARN:aws:states:::lambda:invoke"), ErrorKind::ArnCase);
        assert_eq!(
            err("arn:aws:states:::lambda:invoke "),
            ErrorKind::Whitespace
        );
        assert_eq!(err("arn:aws:lambda"), ErrorKind::TooFewParts);
        assert_eq!(
            err("arn::states:::lambda:invoke"),
            ErrorKind::EmptyPartition
        );
        assert_eq!(
            err("arn:amazon:states:::lambda:invoke"),
            ErrorKind::UnknownPartition
        );
        assert_eq!(err("arn:aws:states:::"), ErrorKind::MissingService);
        assert_eq!(err("arn:aws:states:::lambda"), ErrorKind::MissingAction);
        assert_eq!(err("arn:aws:states:::lambda:"), ErrorKind::MissingAction);
        assert_eq!(err("arn:aws:states:::aws-sdk:s3"), ErrorKind::MissingAction);
        assert_eq!(err("arn:aws:states:::aws-sdk"), ErrorKind::MissingService);
        assert_eq!(
            err("arn:aws:states:::lambda:invoke.sync:3"),
            ErrorKind::UnknownSuffix
        );
        assert_eq!(
            err("arn:aws:states:::lambda:invoke.waitForToken"),
            ErrorKind::UnknownSuffix
        );
        assert_eq!(err("arn:aws:states:::lambda:in-voke"), ErrorKind::BadAction);
        assert_eq!(
            err("arn:aws:states:us-east-1:123456789012:stateMachine:m"),
            ErrorKind::NotATask
        );
        assert_eq!(
            err("arn:aws:states:us-east-1:1:activity:"),
            ErrorKind::MissingActivityName
        );
        assert_eq!(
            err("arn:aws:lambda:us-east-1:1:layer:l:1"),
            ErrorKind::NotAFunction
        );
        assert_eq!(
            err("arn:aws:lambda:us-east-1:1:function:"),
            ErrorKind::MissingFunctionName
        );
        assert_eq!(
            err("arn:aws:lambda:us-east-1:1:function:a.b"),
            ErrorKind::BadFunctionName
        );
        assert_eq!(
            err("arn:aws:lambda:us-east-1:1:function:a:b:c"),
            ErrorKind::TooManyParts
        );
        assert!(parse("arn:aws:lambda:us-east-1:1:function:a:$LATEST.PUBLISHED").is_ok());
        let e = parse("arn:aws:states:::lambda:invoke.sync:3").unwrap_err();
        assert_eq!((e.start, e.end), (30, 37));
    }

    #[test]
    fn lambda_arns_with_a_suffix_keep_it_apart() {
        match parse("arn:aws:lambda:us-east-1:1:function:f:prod.waitForTaskToken").unwrap() {
            Resource::Lambda {
                name,
                qualifier,
                suffix,
                ..
            } => {
                assert_eq!(name.text, "f");
                assert_eq!(qualifier.map(|q| q.text), Some("prod"));
                assert_eq!(suffix.map(|q| q.text), Some("waitForTaskToken"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_uris_and_services_are_told_apart() {
        assert!(matches!(
            parse("foo:bar").unwrap(),
            Resource::OtherUri { .. }
        ));
        assert!(matches!(
            parse("arn:aws:swf:us-east-1:123456789012:task:X").unwrap(),
            Resource::OtherArn { .. }
        ));
        assert_eq!(partition_kind("aws-iso-b"), PartitionKind::Isolated);
        assert_eq!(partition_kind("aws-us-gov"), PartitionKind::Standard);
    }

    #[test]
    fn the_table_is_consistent() {
        for svc in SERVICES {
            assert!(!svc.actions.is_empty(), "{}", svc.name);
            for act in svc.actions {
                assert!(is_lower_camel(act.name), "{}:{}", svc.name, act.name);
                if act.sync {
                    assert_ne!(svc.sync, Support::No, "{}:{}", svc.name, act.name);
                }
            }
        }
        assert_eq!(
            service("lambda")
                .and_then(|s| s.action("invoke"))
                .map(|a| a.sync),
            Some(false)
        );
        assert!(service("s3").is_some_and(|s| s.map_only));
        assert!(is_sdk_service_name("cloudwatchlogs"));
        assert!(!is_sdk_service_name("S3"));
        assert!(is_lower_camel("listObjectsV2"));
        assert!(!is_lower_camel("GetObject"));
    }

    #[test]
    fn task_token_uses_are_found() {
        let u = context_use("$$.Task.Token", "$$");
        assert!(u.explicit && u.passes);
        let u = context_use("States.Format('{}', $$.Task.Token)", "$$");
        assert!(u.explicit && u.passes);
        let u = context_use("$$.Task", "$$");
        assert!(!u.explicit && u.passes);
        let u = context_use("$$", "$$");
        assert!(u.passes);
        let u = context_use("$$.Execution.Id", "$$");
        assert!(!u.passes);
        let u = context_use("{% $states.context.Task.Token %}", "$states.context");
        assert!(u.explicit);
        let u = context_use(
            "{% ($c := $states.context; $c.Task.Token) %}",
            "$states.context",
        );
        assert!(u.passes && !u.explicit);
        let u = context_use("{% $states.context.Execution.Id %}", "$states.context");
        assert!(!u.passes);
        let text = r#"{"a": {"t.$": "$$.Task.Token", "lit": "$$.Task.Token"}, "j": "{% $states.context.Task.Token %}"}"#;
        let root = crate::syntax::json::parse(text).documents.remove(0).root;
        let (u, nodes) = token_use(&root);
        assert!(u.explicit && u.passes);
        assert_eq!(nodes.len(), 2);
        let text = r#"{"lit": "$$.Task.Token"}"#;
        let root = crate::syntax::json::parse(text).documents.remove(0).root;
        assert!(!token_use(&root).0.passes);
    }

    #[test]
    fn spans_map_into_unescaped_strings_only() {
        let text = r#"{"R": "arn:aws:states:::lambda:invoke.sync"}"#;
        let root = crate::syntax::json::parse(text).documents.remove(0).root;
        let node = root.get("R").unwrap();
        let s = node.as_str().unwrap();
        let r = span(text, node, s, 30, 35);
        assert_eq!(&text[r.start()..r.end()], ".sync");
        let text = r#"{"R": "arn:aws:states:::lambda:invoke\u002esync"}"#;
        let root = crate::syntax::json::parse(text).documents.remove(0).root;
        let node = root.get("R").unwrap();
        let s = node.as_str().unwrap();
        assert_eq!(span(text, node, s, 30, 35), node.range);
    }
}
