import { ServiceRole } from "../../../constructs/identity/iam";
import { PipelineNotifications, PipelineNotificationsProps } from "../../../constructs/delivery/pipeline-notifications";
import { roleStatements } from "../../helpers/pipeline";
import { addressOf, awsTestStack, policyStatements, resourceById, resourcesOf, synthJson } from "../../helpers/runtime";

const PIPELINE_ARN = "arn:aws:codepipeline:eu-west-1:123456789012:demo";

function build(props: Partial<PipelineNotificationsProps> = {}) {
  const stack = awsTestStack();
  const notifications = new PipelineNotifications(stack, "Notifications", {
    name: "demo-pipeline",
    region: "eu-west-1",
    accountId: "123456789012",
    ...props,
  });
  notifications.notifyOnPipeline("Pipeline", PIPELINE_ARN);
  const role = new ServiceRole(stack, "Role", { name: "r", servicePrincipal: "codepipeline.amazonaws.com", description: "test" });
  notifications.grantPublish(role);
  const json = synthJson(stack);
  return {
    json,
    topic: `\${${addressOf(json, "aws_sns_topic", "Topic")}.arn}`,
    key: `\${${addressOf(json, "aws_kms_key", "Key")}.arn}`,
  };
}

describe("PipelineNotifications", () => {
  test("encrypts the topic with its own customer managed key", () => {
    const { json, key } = build();
    expect(resourceById(json, "aws_sns_topic", "Topic")).toMatchObject({ name: "demo-pipeline", kms_master_key_id: key });
    expect(resourceById(json, "aws_kms_key", "Key")).toMatchObject({ enable_key_rotation: true });
  });

  test("lets the account's IAM policies and the notification service (through SNS only) use the key", () => {
    const { json } = build();
    expect(policyStatements(json, "KeyPolicy")).toEqual([
      {
        sid: "EnableIamPolicies",
        effect: "Allow",
        actions: ["kms:*"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }],
      },
      {
        sid: "AllowCodeStarNotificationsThroughSns",
        effect: "Allow",
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: ["codestar-notifications.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["sns.eu-west-1.amazonaws.com"] }],
      },
    ]);
  });

  test("lets the notification service publish to the topic, over TLS only", () => {
    const { json, topic } = build();
    expect(policyStatements(json, "TopicPolicy")).toEqual([
      {
        sid: "AllowCodeStarNotificationsPublish",
        effect: "Allow",
        actions: ["sns:Publish"],
        resources: [topic],
        principals: [{ type: "Service", identifiers: ["codestar-notifications.amazonaws.com"] }],
      },
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["sns:Publish"],
        resources: [topic],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });

  test("notifies on pipeline failure, success and approval needed", () => {
    const { json, topic } = build();
    expect(resourceById(json, "aws_codestarnotifications_notification_rule", "Pipeline")).toMatchObject({
      resource: PIPELINE_ARN,
      detail_type: "FULL",
      event_type_ids: [
        "codepipeline-pipeline-pipeline-execution-failed",
        "codepipeline-pipeline-pipeline-execution-succeeded",
        "codepipeline-pipeline-manual-approval-needed",
      ],
      target: [{ type: "SNS", address: topic }],
    });
  });

  test("creates the rule after the topic policy exists", () => {
    const { json } = build();
    const rule = resourceById(json, "aws_codestarnotifications_notification_rule", "Pipeline");
    expect(rule.depends_on).toEqual([addressOf(json, "aws_sns_topic_policy", "TopicPolicyAttachment")]);
  });

  test("subscribes no email by default", () => {
    const { json } = build();
    expect(resourcesOf(json, "aws_sns_topic_subscription")).toEqual({});
  });

  test("subscribes each email address", () => {
    const { json, topic } = build({ emailAddresses: ["team@example.com"] });
    expect(Object.values(resourcesOf(json, "aws_sns_topic_subscription"))).toEqual([
      { topic_arn: topic, protocol: "email", endpoint: "team@example.com" },
    ]);
  });

  test("grantPublish allows publishing and the key, on this topic only", () => {
    const { json, topic, key } = build();
    expect(roleStatements(json, "Role")).toEqual([
      { sid: "NotificationTopicPublish", effect: "Allow", actions: ["sns:Publish"], resources: [topic] },
      { sid: "NotificationTopicKey", effect: "Allow", actions: ["kms:GenerateDataKey*", "kms:Decrypt"], resources: [key] },
    ]);
  });
});
