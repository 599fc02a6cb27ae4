import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionUrl } from "@cdktf/provider-aws/lib/lambda-function-url";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack, Testing } from "cdktf";
import { address, policyDocument, policyStack, violatingAddresses, violationsOf } from "../../helpers/policy";

function lambda(stack: TerraformStack, id = "Hook"): LambdaFunction {
  return new LambdaFunction(stack, id, {
    functionName: `CodeDeployHook_${id}`,
    role: "arn:aws:iam::111111111111:role/hook",
    runtime: "nodejs22.x",
    handler: "index.handler",
    filename: "hook.zip",
  });
}

function bareStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "plain");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return stack;
}

describe("log rules", () => {
  test("BG-LOG-001 passes a log group with retention and flags one without", () => {
    const stack = policyStack();
    new CloudwatchLogGroup(stack, "Kept", { name: "/ecs/kept", retentionInDays: 30 });
    const forever = new CloudwatchLogGroup(stack, "Forever", { name: "/ecs/forever" });
    expect(violatingAddresses(stack, "BG-LOG-001")).toEqual([address(forever)]);
  });
});

describe("state backend rules", () => {
  test("pass on an encrypted, locked S3 backend", () => {
    const stack = policyStack();
    for (const id of ["BG-STATE-001", "BG-STATE-002", "BG-STATE-003", "BG-STATE-004"]) expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
  });

  test("BG-STATE-004 flags an S3 backend without kms_key_id (Terraform would send AES256)", () => {
    const stack = bareStack();
    new S3Backend(stack, { bucket: "state", key: "plain.tfstate", region: "eu-west-1", encrypt: true });
    expect(violatingAddresses(stack, "BG-STATE-004")).toEqual(["terraform.backend.s3"]);
  });

  test("BG-STATE-004 ignores HCP Terraform, which encrypts state itself", () => {
    const stack = bareStack();
    new CloudBackend(stack, { organization: "acme", workspaces: new NamedCloudWorkspace("app") });
    expect(violatingAddresses(stack, "BG-STATE-004")).toEqual([]);
  });

  test("BG-STATE-001 flags an unencrypted S3 backend", () => {
    const stack = policyStack();
    stack.addOverride("terraform.backend.s3.encrypt", false);
    expect(violatingAddresses(stack, "BG-STATE-001")).toEqual(["terraform.backend.s3"]);
  });

  test("BG-STATE-002 flags an S3 backend without native locking", () => {
    const stack = policyStack();
    stack.addOverride("terraform.backend.s3.use_lockfile", false);
    expect(violatingAddresses(stack, "BG-STATE-002")).toEqual(["terraform.backend.s3"]);
  });

  test("BG-STATE-003 flags local state outside the bootstrap stack and allows it there", () => {
    const stack = bareStack();
    new LocalBackend(stack, { path: "bootstrap.tfstate" });
    expect(violatingAddresses(stack, "BG-STATE-003")).toEqual(["terraform.backend.local"]);
    expect(violatingAddresses(stack, "BG-STATE-003", { bootstrap: true })).toEqual([]);
  });

  test("BG-STATE-003 accepts HCP Terraform", () => {
    const stack = bareStack();
    new CloudBackend(stack, { organization: "acme", workspaces: new NamedCloudWorkspace("app") });
    expect(violatingAddresses(stack, "BG-STATE-003")).toEqual([]);
  });
});

describe("Lambda rules", () => {
  test("pass on a function with its log group and no public entry", () => {
    const stack = policyStack();
    const fn = lambda(stack);
    new CloudwatchLogGroup(stack, "HookLogs", { name: `/aws/lambda/${fn.functionName}`, retentionInDays: 14 });
    for (const id of ["BG-LMB-001", "BG-LMB-002", "BG-LMB-003"]) expect([id, violatingAddresses(stack, id)]).toEqual([id, []]);
  });

  test("BG-LMB-001 flags an unauthenticated function URL", () => {
    const stack = policyStack();
    const url = new LambdaFunctionUrl(stack, "Url", { functionName: lambda(stack).functionName, authorizationType: "NONE" });
    expect(violatingAddresses(stack, "BG-LMB-001")).toEqual([address(url)]);
  });

  test("BG-LMB-002 flags permissions for anyone and for a service without a source", () => {
    const stack = policyStack();
    const fn = lambda(stack);
    new LambdaPermission(stack, "Anyone", { functionName: fn.functionName, action: "lambda:InvokeFunction", principal: "*" });
    new LambdaPermission(stack, "AnyBucket", { functionName: fn.functionName, action: "lambda:InvokeFunction", principal: "s3.amazonaws.com" });
    new LambdaPermission(stack, "OneRule", {
      functionName: fn.functionName,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: "arn:aws:events:eu-west-1:111111111111:rule/x",
    });
    expect(violatingAddresses(stack, "BG-LMB-002").sort()).toEqual(["aws_lambda_permission.AnyBucket", "aws_lambda_permission.Anyone"]);
  });

  test("BG-LMB-003 flags a function whose log group Lambda would create itself", () => {
    const stack = policyStack();
    const fn = lambda(stack);
    expect(violatingAddresses(stack, "BG-LMB-003")).toEqual([address(fn)]);
  });
});

describe("SNS and KMS rules", () => {
  test("BG-SNS-001 passes an encrypted topic and flags a plain one", () => {
    const stack = policyStack();
    new SnsTopic(stack, "Encrypted", { name: "encrypted", kmsMasterKeyId: "alias/notifications" });
    const plain = new SnsTopic(stack, "Plain", { name: "plain" });
    expect(violatingAddresses(stack, "BG-SNS-001")).toEqual([address(plain)]);
  });

  test("BG-KMS-001 passes a rotating key and flags one that never rotates", () => {
    const stack = policyStack();
    new KmsKey(stack, "Rotating", { enableKeyRotation: true });
    const stale = new KmsKey(stack, "Stale", {});
    new KmsKey(stack, "Signing", { customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
    expect(violatingAddresses(stack, "BG-KMS-001")).toEqual([address(stale)]);
  });

  test("BG-KMS-002 passes a root-account key policy and flags one open to everyone", () => {
    const stack = policyStack();
    const root = policyDocument(stack, "Root", [
      { actions: ["kms:*"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::111111111111:root"] }] },
    ]);
    const open = policyDocument(stack, "OpenDoc", [{ actions: ["kms:Decrypt"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] }]);
    new KmsKey(stack, "Owned", { enableKeyRotation: true, policy: root.json });
    const exposed = new KmsKey(stack, "Exposed", { enableKeyRotation: true, policy: open.json });
    expect(violationsOf(stack, "BG-KMS-002")).toEqual([
      expect.objectContaining({ address: address(exposed), message: "statement #1 allows everyone" }),
    ]);
  });
});
