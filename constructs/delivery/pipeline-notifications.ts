import { CodestarnotificationsNotificationRule } from "@cdktf/provider-aws/lib/codestarnotifications-notification-rule";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { PolicyDocument, ServiceRole } from "../identity/iam";
import { shortName } from "../core/naming";

/** Pipeline events that reach the topic: a failed or finished release, and a release waiting for a human. */
export const PIPELINE_NOTIFICATION_EVENTS = [
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-pipeline-execution-succeeded",
  "codepipeline-pipeline-manual-approval-needed",
] as const;
/** Publishing to the topic (the pipeline's manual approval action). */
export const TOPIC_PUBLISH_ACTIONS = ["sns:Publish"] as const;
/** Publishing to a topic encrypted with a customer managed key needs a data key from it. */
export const TOPIC_KEY_ACTIONS = ["kms:GenerateDataKey*", "kms:Decrypt"] as const;

const NOTIFICATIONS_PRINCIPAL = "codestar-notifications.amazonaws.com";
/** Notification rule names are limited to 64 characters. */
const RULE_NAME_MAX_LENGTH = 64;

export interface PipelineNotificationsProps {
  /** Topic name; also the prefix of the rule names. */
  readonly name: string;
  /** Region of the topic (the key lets the notification service use it only through SNS in this region). */
  readonly region: string;
  /**
   * Account that owns the key: its key policy must name the account root so IAM policies can grant the key.
   * Derive it from any ARN of the stack (e.g. `ArtifactBucket.accountId`): no caller-identity lookup.
   */
  readonly accountId: string;
  /**
   * Email addresses subscribed to the topic (each must confirm the subscription email once).
   * @default - no subscription
   */
  readonly emailAddresses?: readonly string[];
}

/**
 * An encrypted SNS topic for pipeline events and manual approvals. The key is a customer managed key:
 * the AWS managed `alias/aws/sns` key cannot be used by the notification service (its policy cannot be changed).
 */
export class PipelineNotifications extends Construct {
  public readonly topic: SnsTopic;
  public readonly kmsKey: KmsKey;
  public readonly keyPolicy: PolicyDocument;
  public readonly topicPolicy: PolicyDocument;
  public readonly topicPolicyAttachment: SnsTopicPolicy;
  public readonly subscriptions: SnsTopicSubscription[];
  public readonly rules: CodestarnotificationsNotificationRule[] = [];
  public readonly topicArn: string;
  private readonly name: string;

  constructor(scope: Construct, id: string, props: PipelineNotificationsProps) {
    super(scope, id);
    this.name = props.name;
    const emails = props.emailAddresses ?? [];

    this.keyPolicy = new PolicyDocument(this, "KeyPolicy", [
      {
        // Without this statement no IAM policy could grant the key (the key policy is the root of key access).
        sid: "EnableIamPolicies",
        actions: ["kms:*"],
        // In a key policy, `*` means this key.
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${props.accountId}:root`] }],
      },
      {
        sid: "AllowCodeStarNotificationsThroughSns",
        actions: [...TOPIC_KEY_ACTIONS],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: [NOTIFICATIONS_PRINCIPAL] }],
        conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [`sns.${props.region}.amazonaws.com`] }],
      },
    ]);
    this.kmsKey = new KmsKey(this, "Key", {
      description: `Encrypts the pipeline notifications topic ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: this.keyPolicy.json,
    });
    this.topic = new SnsTopic(this, "Topic", { name: props.name, kmsMasterKeyId: this.kmsKey.arn });
    this.topicArn = this.topic.arn;

    this.topicPolicy = new PolicyDocument(this, "TopicPolicy", [
      {
        sid: "AllowCodeStarNotificationsPublish",
        actions: [...TOPIC_PUBLISH_ACTIONS],
        resources: [this.topic.arn],
        principals: [{ type: "Service", identifiers: [NOTIFICATIONS_PRINCIPAL] }],
      },
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: [...TOPIC_PUBLISH_ACTIONS],
        resources: [this.topic.arn],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
    this.topicPolicyAttachment = new SnsTopicPolicy(this, "TopicPolicyAttachment", {
      arn: this.topic.arn,
      policy: this.topicPolicy.json,
    });

    this.subscriptions = emails.map(
      (endpoint, index) =>
        new SnsTopicSubscription(this, `Email${index}`, { topicArn: this.topic.arn, protocol: "email", endpoint }),
    );
  }

  /** Sends the pipeline's failed / succeeded / approval-needed events to the topic. */
  public notifyOnPipeline(id: string, pipelineArn: string): CodestarnotificationsNotificationRule {
    const rule = new CodestarnotificationsNotificationRule(this, id, {
      name: shortName(this.name, id.toLowerCase(), RULE_NAME_MAX_LENGTH),
      resource: pipelineArn,
      detailType: "FULL",
      eventTypeIds: [...PIPELINE_NOTIFICATION_EVENTS],
      target: [{ type: "SNS", address: this.topic.arn }],
      // The topic policy must exist before the rule: the service checks it can publish when the rule is created.
      dependsOn: [this.topicPolicyAttachment],
    });
    this.rules.push(rule);
    return rule;
  }

  /** Lets the role publish to the topic (manual approval requests), including the key it is encrypted with. */
  public grantPublish(role: ServiceRole): void {
    role.addToPolicy(
      { sid: "NotificationTopicPublish", actions: [...TOPIC_PUBLISH_ACTIONS], resources: [this.topic.arn] },
      { sid: "NotificationTopicKey", actions: [...TOPIC_KEY_ACTIONS], resources: [this.kmsKey.arn] },
    );
  }
}
