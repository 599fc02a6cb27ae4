import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { TerraformStack } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { PolicyDocument } from "../identity/iam";

/** What CloudWatch Logs does with a log group's key (the set its key-policy example grants). */
export const LOGS_KEY_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"] as const;

export interface LogEncryptionKeyProps {
  /** Prefix of the key's description, e.g. the project name. */
  readonly name: string;
  readonly region: string;
  /** The account that owns the key and the log groups (a token taken from any ARN of the stack). */
  readonly accountId: string;
  /**
   * Names (with `*`) of the log groups the key may encrypt, e.g. `/ecs/demo-*`: CloudWatch Logs uses the key only for
   * these (its encryption context names the log group).
   */
  readonly logGroupNamePatterns: readonly string[];
}

/**
 * The customer managed key of a stack's log groups. Its policy follows the CloudWatch Logs guide
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html): the account root (so IAM
 * policies can grant it), CloudWatch Logs' regional principal limited by `kms:EncryptionContext:aws:logs:arn` to the
 * project's log groups, and callers of this account using it only through CloudWatch Logs for those log groups (the
 * pattern of AWS managed keys: `kms:CallerAccount` and `kms:ViaService`), so writers and readers of a log group need
 * no key grant of their own.
 */
export class LogEncryptionKey extends Construct {
  public readonly key: KmsKey;
  public readonly keyPolicy: PolicyDocument;
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps) {
    super(scope, id);
    if (props.logGroupNamePatterns.length === 0) throw new Error(`LogEncryptionKey ${props.name}: logGroupNamePatterns must name at least one log group`);
    const logsPrincipal = `logs.${props.region}.amazonaws.com`;
    const logGroups = props.logGroupNamePatterns.map((name) => `arn:aws:logs:${props.region}:${props.accountId}:log-group:${name}`);
    const ofProjectLogGroups = { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: logGroups };
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
        sid: "CloudWatchLogsForProjectLogGroups",
        actions: [...LOGS_KEY_ACTIONS],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: [logsPrincipal] }],
        conditions: [ofProjectLogGroups],
      },
      {
        sid: "AccountCallersThroughCloudWatchLogs",
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        conditions: [
          { test: "StringEquals", variable: "kms:CallerAccount", values: [props.accountId] },
          { test: "StringEquals", variable: "kms:ViaService", values: [logsPrincipal] },
          ofProjectLogGroups,
        ],
      },
    ]);
    this.key = new KmsKey(this, "Key", {
      description: `Encrypts the log groups of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: this.keyPolicy.json,
    });
    this.arn = this.key.arn;
  }
}

const keys = new WeakMap<TerraformStack, LogEncryptionKey>();

/**
 * Makes `key` the key of every log group created in `stack` from now on (as the role boundary: registered by the stack
 * before it builds anything, so no construct threads it through its props).
 */
export function useLogEncryptionKey(stack: TerraformStack, key: LogEncryptionKey): void {
  if (keys.has(stack)) throw new Error(`stack ${stack.node.id} already has a log encryption key`);
  keys.set(stack, key);
}

/** The `kms_key_id` for a log group in the stack of `scope`: the registered key's ARN, or none (CloudWatch Logs' own encryption). */
export function logGroupKmsKeyId(scope: IConstruct): string | undefined {
  return keys.get(TerraformStack.of(scope))?.arn;
}
