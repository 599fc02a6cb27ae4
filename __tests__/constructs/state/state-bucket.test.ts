import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { StateBucket, StateBucketProps, stateKeyAlias, StateReaders } from "../../../constructs/state/state-bucket";
import { documentStatements, Json } from "../../helpers/github-state";

const READERS: StateReaders = { roleNames: ["demo-github-plan", "demo-github-deploy"], adminRoleArns: [], projectRolePrefix: "demo-" };

function synthBucket(props: Partial<StateBucketProps> = {}): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new StateBucket(stack, "StateBucket", { bucketName: "acme-demo-tfstate", readers: READERS, ...props });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const only = (json: Json, type: string): Json => {
  const all = Object.values(json.resource[type] ?? {}) as Json[];
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
};

describe("StateBucket", () => {
  test("creates the bucket with prevent_destroy and without force_destroy", () => {
    const bucket = only(synthBucket(), "aws_s3_bucket");
    expect(bucket).toMatchObject({ bucket: "acme-demo-tfstate", force_destroy: false, lifecycle: { prevent_destroy: true } });
  });

  test("encrypts with its own rotating KMS key that has prevent_destroy", () => {
    const json = synthBucket();
    expect(only(json, "aws_kms_key")).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const rule = only(json, "aws_s3_bucket_server_side_encryption_configuration").rule[0];
    expect(rule.apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.StateBucket_Key_[0-9A-F]{8}\.arn\}$/),
    });
    expect(rule.bucket_key_enabled).toBe(true);
  });

  test("names the key alias after the bucket, replacing dots KMS does not allow", () => {
    expect(only(synthBucket(), "aws_kms_alias").name).toBe("alias/tfstate/acme-demo-tfstate");
    expect(stateKeyAlias("acme.demo.tfstate")).toBe("alias/tfstate/acme-demo-tfstate");
  });

  test("enables versioning", () => {
    expect(only(synthBucket(), "aws_s3_bucket_versioning").versioning_configuration).toEqual({ status: "Enabled" });
  });

  test("blocks all four kinds of public access", () => {
    expect(only(synthBucket(), "aws_s3_bucket_public_access_block")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  test("enforces bucket ownership (no ACLs)", () => {
    expect(only(synthBucket(), "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
  });

  test("denies every request without TLS, or with TLS older than 1.2", () => {
    const [insecure, outdated] = documentStatements(synthBucket(), "StateBucket_Policy");
    const resources = [
      expect.stringMatching(/^\$\{aws_s3_bucket\.StateBucket_[0-9A-F]{8}\.arn\}$/),
      expect.stringMatching(/^\$\{aws_s3_bucket\.StateBucket_[0-9A-F]{8}\.arn\}\/\*$/),
    ];
    expect(insecure).toEqual({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      actions: ["s3:*"],
      resources,
      principals: [{ type: "AWS", identifiers: ["*"] }],
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
    expect(outdated.condition).toEqual([{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }]);
  });

  test("expires noncurrent state versions after 90 days, keeping the newest 10", () => {
    const rule = only(synthBucket(), "aws_s3_bucket_lifecycle_configuration").rule[0];
    expect(rule).toMatchObject({
      status: "Enabled",
      filter: [{}],
      noncurrent_version_expiration: [{ noncurrent_days: 90, newer_noncurrent_versions: 10 }],
    });
  });

  test("drops prevent_destroy only when asked", () => {
    const json = synthBucket({ preventDestroy: false });
    expect(only(json, "aws_s3_bucket").lifecycle).toEqual({ prevent_destroy: false });
    expect(only(json, "aws_kms_key").lifecycle).toEqual({ prevent_destroy: false });
  });

  test("fails when noncurrentVersionExpirationDays is not a positive integer", () => {
    expect(() => synthBucket({ noncurrentVersionExpirationDays: 0 })).toThrow(
      "noncurrentVersionExpirationDays must be an integer from 1 to 3650 (got 0)",
    );
  });

  describe("bucket policy", () => {
    const statement = (json: Json, sid: string): Json => {
      const found = documentStatements(json, "StateBucket_Policy").find((s) => s.sid === sid);
      if (!found) throw new Error(`no statement ${sid}`);
      return found;
    };
    const objects = [expect.stringMatching(/^\$\{aws_s3_bucket\.StateBucket_[0-9A-F]{8}\.arn\}\/\*$/)];
    const everyone = [{ type: "AWS", identifiers: ["*"] }];
    const putDeny = { effect: "Deny", actions: ["s3:PutObject"], resources: objects, principals: everyone };

    test("denies writes that ask for another algorithm than aws:kms (AES256 is what encrypt without kms_key_id sends)", () => {
      expect(statement(synthBucket(), "DenyStateWritesWithoutKms")).toEqual({
        sid: "DenyStateWritesWithoutKms",
        ...putDeny,
        condition: [
          { test: "Null", variable: "s3:x-amz-server-side-encryption", values: ["false"] },
          { test: "StringNotEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
        ],
      });
    });

    test("denies writes that name any key but the state key (by key ARN, alias name or alias ARN)", () => {
      expect(statement(synthBucket(), "DenyStateWritesWithAnotherKey")).toEqual({
        sid: "DenyStateWritesWithAnotherKey",
        ...putDeny,
        condition: [
          { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["false"] },
          {
            test: "StringNotEquals",
            variable: "s3:x-amz-server-side-encryption-aws-kms-key-id",
            values: [
              expect.stringMatching(/^\$\{aws_kms_key\.StateBucket_Key_[0-9A-F]{8}\.arn\}$/),
              "alias/tfstate/acme-demo-tfstate",
              expect.stringMatching(/^\$\{aws_kms_alias\.StateBucket_KeyAlias_[0-9A-F]{8}\.arn\}$/),
            ],
          },
        ],
      });
    });

    test("denies aws:kms writes without a key id, which S3 would encrypt with the AWS managed key", () => {
      expect(statement(synthBucket(), "DenyStateWritesWithTheManagedKey")).toEqual({
        sid: "DenyStateWritesWithTheManagedKey",
        ...putDeny,
        condition: [
          { test: "StringEquals", variable: "s3:x-amz-server-side-encryption", values: ["aws:kms"] },
          { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["true"] },
        ],
      });
    });

    const arnIn = (suffix: string) => expect.stringMatching(new RegExp(`^arn:aws:iam::\\$\\{element\\(split\\(":", aws_kms_key\\.StateBucket_Key_[0-9A-F]{8}\\.arn\\), 4\\)\\}:role/${suffix}$`));

    test("denies object reads to every principal but the plan and deploy roles and the named administrators", () => {
      const admin = "arn:aws:iam::123456789012:role/platform/admin";
      const json = synthBucket({ readers: { ...READERS, adminRoleArns: [admin] } });
      expect(statement(json, "DenyStateReadsToOthers")).toEqual({
        sid: "DenyStateReadsToOthers",
        effect: "Deny",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: objects,
        principals: everyone,
        condition: [{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [arnIn("demo-github-plan"), arnIn("demo-github-deploy"), admin] }],
      });
    });

    test("without administrators, denies object reads to the project's other roles only, so whoever applies bootstrap is not locked out", () => {
      expect(statement(synthBucket(), "DenyStateReadsToOthers").condition).toEqual([
        { test: "ArnLike", variable: "aws:PrincipalArn", values: [arnIn("demo-\\*")] },
        { test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [arnIn("demo-github-plan"), arnIn("demo-github-deploy")] },
      ]);
    });

    test("never denies bucket-policy changes, so an administrator can always repair the policy", () => {
      const actions = documentStatements(synthBucket(), "StateBucket_Policy").flatMap((s) => s.actions as string[]);
      expect(actions.filter((a) => a.includes("BucketPolicy"))).toEqual([]);
    });
  });
});
