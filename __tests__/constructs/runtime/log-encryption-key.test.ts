import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LogEncryptionKey, logGroupKmsKeyId, useLogEncryptionKey } from "../../../constructs/runtime/log-encryption-key";
import { addressOf, awsTestStack, policyStatements, resourceById, synthJson } from "../../helpers/runtime";

const ACCOUNT = "123456789012";

describe("LogEncryptionKey", () => {
  function key() {
    const stack = awsTestStack();
    const logKey = new LogEncryptionKey(stack, "LogKey", { name: "demo", region: "eu-west-1", accountId: ACCOUNT, logGroupNamePatterns: ["/ecs/demo-*", "/aws/lambda/demo-*"] });
    return { stack, logKey };
  }

  test("rotates, and its policy lets IAM grant it, CloudWatch Logs use it for the project's log groups only, and callers use it only through CloudWatch Logs", () => {
    const { stack } = key();
    const json = synthJson(stack);
    // cdktf drops the repeated "Key" of LogKey/Key from the address.
    expect(resourceById(json, "aws_kms_key", "LogKey")).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const logGroups = { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/ecs/demo-*`, `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/demo-*`] };
    expect(policyStatements(json, "KeyPolicy")).toEqual([
      { sid: "EnableIamPolicies", effect: "Allow", actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${ACCOUNT}:root`] }] },
      {
        sid: "CloudWatchLogsForProjectLogGroups",
        effect: "Allow",
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        principals: [{ type: "Service", identifiers: ["logs.eu-west-1.amazonaws.com"] }],
        condition: [logGroups],
      },
      {
        sid: "AccountCallersThroughCloudWatchLogs",
        effect: "Allow",
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [
          { test: "StringEquals", variable: "kms:CallerAccount", values: [ACCOUNT] },
          { test: "StringEquals", variable: "kms:ViaService", values: ["logs.eu-west-1.amazonaws.com"] },
          logGroups,
        ],
      },
    ]);
  });

  test("encrypts every log group created in its stack once registered, and none before or elsewhere", () => {
    const { stack, logKey } = key();
    const before = new CloudwatchLogGroup(stack, "Before", { name: "/ecs/demo-before" });
    expect(logGroupKmsKeyId(stack)).toBeUndefined();
    useLogEncryptionKey(stack, logKey);
    new CloudwatchLogGroup(stack, "After", { name: "/ecs/demo-after", kmsKeyId: logGroupKmsKeyId(stack) });
    const json = synthJson(stack);
    expect(resourceById(json, "aws_cloudwatch_log_group", "After").kms_key_id).toBe(`\${${addressOf(json, "aws_kms_key", "LogKey")}.arn}`);
    expect(before.kmsKeyIdInput).toBeUndefined();
    expect(logGroupKmsKeyId(awsTestStack())).toBeUndefined();
  });

  test("fails when a stack registers a second key, or the key names no log group", () => {
    const { stack, logKey } = key();
    useLogEncryptionKey(stack, logKey);
    expect(() => useLogEncryptionKey(stack, logKey)).toThrow("stack test already has a log encryption key");
    expect(() => new LogEncryptionKey(awsTestStack(), "K", { name: "demo", region: "eu-west-1", accountId: ACCOUNT, logGroupNamePatterns: [] })).toThrow(
      "LogEncryptionKey demo: logGroupNamePatterns must name at least one log group",
    );
  });
});
