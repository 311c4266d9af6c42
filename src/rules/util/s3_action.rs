//! The S3 actions of a Distributed Map's `ItemReader` and `ResultWriter`.

use crate::rules::util::arn::{self, Pattern, Resource};
use crate::rules::util::{has_placeholder, is_jsonata};

/// What a reader's or writer's `Resource` string names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Resource<'a> {
    /// `arn:<partition>:states:::s3:<action>`, without a pattern suffix.
    Action(&'a str),
    /// A deploy-time placeholder or a JSONata expression: unknown here.
    Unknown,
    /// Anything else (another service, a suffix, not an ARN).
    Other,
}

/// Reads a reader's or writer's `Resource`.
pub fn s3_resource(s: &str) -> S3Resource<'_> {
    if is_jsonata(s) {
        return S3Resource::Unknown;
    }
    match arn::parse(s) {
        Ok(Resource::Placeholder) => S3Resource::Unknown,
        Ok(Resource::Optimized {
            service, action, ..
        }) => {
            if service.placeholder || action.name.placeholder {
                S3Resource::Unknown
            } else if service.is("s3") && action.pattern == Pattern::RequestResponse {
                S3Resource::Action(action.name.text)
            } else {
                S3Resource::Other
            }
        }
        _ if has_placeholder(s) => S3Resource::Unknown,
        _ => S3Resource::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_actions_and_leaves_placeholders_alone() {
        assert_eq!(
            s3_resource("arn:aws:states:::s3:getObject"),
            S3Resource::Action("getObject")
        );
        assert_eq!(
            s3_resource("arn:aws-cn:states:::s3:listObjectsV2"),
            S3Resource::Action("listObjectsV2")
        );
        assert_eq!(
            s3_resource("arn:${AWS::Partition}:states:::s3:putObject"),
            S3Resource::Action("putObject")
        );
        assert_eq!(s3_resource("${ReaderArn}"), S3Resource::Unknown);
        assert_eq!(
            s3_resource("arn:aws:states:::s3:${Action}"),
            S3Resource::Unknown
        );
        assert_eq!(s3_resource("{% $r %}"), S3Resource::Unknown);
        assert_eq!(
            s3_resource("arn:aws:states:::lambda:invoke"),
            S3Resource::Other
        );
        assert_eq!(
            s3_resource("arn:aws:states:::s3:getObject.sync"),
            S3Resource::Other
        );
        assert_eq!(s3_resource("s3:getObject"), S3Resource::Other);
        assert_eq!(s3_resource(""), S3Resource::Other);
    }
}
