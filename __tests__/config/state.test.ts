import { validateConfig } from "../../config";
import { showValue } from "../../config/errors";
import { onlyProblem, validInput, withValue } from "../helpers/config";

// GIVEN the s3 state keys that fence the state: the key the backend encrypts with, and who may read it.
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_RULE = "must be a KMS key ARN arn:aws:kms:<region>:<12-digit account>:key/<key id>, no alias or wildcard (the bootstrap stack's StateKmsKeyArn output)";
const ROLE_RULE = "must be an IAM role ARN arn:aws:iam::<12-digit account>:role/<path/><name>, without wildcards";

describe("state.kmsKeyArn", () => {
  test("accepts a key ARN and a multi-Region key ARN in the state region", () => {
    expect(validateConfig(withValue("state.kmsKeyArn", KEY), "state.yaml").state).toMatchObject({ kmsKeyArn: KEY });
    const mrk = "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
    expect(validateConfig(withValue("state.kmsKeyArn", mrk), "state.yaml").state).toMatchObject({ kmsKeyArn: mrk });
  });

  test.each([
    ["an alias ARN", "arn:aws:kms:eu-west-1:123456789012:alias/tfstate/acme-demo-tfstate"],
    ["a wildcard", "arn:aws:kms:eu-west-1:123456789012:key/*"],
    ["another partition", "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],
    ["a bare key id", "1234abcd-12ab-34cd-56ef-1234567890ab"],
  ])("refuses %s", (_what, value) => {
    expect(onlyProblem(withValue("state.kmsKeyArn", value))).toBe(`state.kmsKeyArn: ${KEY_RULE} (got ${showValue(value)})`);
  });

  test("refuses a key outside the state bucket's region", () => {
    const other = KEY.replace("eu-west-1", "us-east-1");
    expect(onlyProblem(withValue("state.kmsKeyArn", other))).toBe(
      `state.kmsKeyArn: must be a key in the state bucket's region eu-west-1 (the key is in us-east-1) (got ${showValue(other)})`,
    );
  });

  test("compares with state.region when the bucket lives elsewhere", () => {
    const input = withValue("state", { backend: "s3", bucket: "acme-demo-tfstate", region: "us-east-1", kmsKeyArn: KEY.replace("eu-west-1", "us-east-1") });
    expect(validateConfig(input, "state.yaml").state).toMatchObject({ region: "us-east-1" });
  });
});

describe("state.adminRoleArns", () => {
  test("defaults to no administrators", () => {
    expect(validateConfig(validInput(), "state.yaml").state).toMatchObject({ adminRoleArns: [] });
  });

  test("accepts role ARNs with a path (IAM Identity Center roles have one)", () => {
    const sso = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef";
    expect(validateConfig(withValue("state.adminRoleArns", [sso]), "state.yaml").state).toMatchObject({ adminRoleArns: [sso] });
  });

  test.each([
    ["a wildcard", "arn:aws:iam::123456789012:role/*"],
    ["a wildcard in the account", "arn:aws:iam::*:role/admin"],
    ["another partition", "arn:aws-us-gov:iam::123456789012:role/admin"],
    ["a user", "arn:aws:iam::123456789012:user/admin"],
    ["an assumed-role session", "arn:aws:sts::123456789012:assumed-role/admin/me"],
  ])("refuses %s", (_what, value) => {
    expect(onlyProblem(withValue("state.adminRoleArns", [value]))).toBe(`state.adminRoleArns[0]: ${ROLE_RULE} (got ${showValue(value)})`);
  });
});

describe("state.bucket outside the project's name scope", () => {
  test.each(["demo", "demo-tfstate", "demo-state-bucket"])("refuses %s (the deploy role manages demo and demo-* buckets)", (bucket) => {
    expect(onlyProblem(withValue("state.bucket", bucket))).toBe(
      `state.bucket: must not be demo or start with demo-, where the deploy role manages the project's buckets; put something before it, e.g. acme-demo-tfstate (got "${bucket}")`,
    );
  });

  test.each(["acme-demo-tfstate", "demo2-tfstate", "demotfstate"])("accepts %s", (bucket) => {
    expect(validateConfig(withValue("state.bucket", bucket), "state.yaml").state).toMatchObject({ bucket });
  });
});
