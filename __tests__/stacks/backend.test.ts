import { TerraformStack, Testing } from "cdktf";
import { configureBackend, stateKmsKeyId, stateObjectKey, workspaceName } from "../../stacks/backend";
import { CLOUD_STATE, githubConfig, Json } from "../helpers/github-state";

function terraformBlock(config = githubConfig(), stackId = "demo"): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, stackId);
  configureBackend(stack, config, stackId);
  return (JSON.parse(Testing.synth(stack)) as Json).terraform;
}

describe("configureBackend with state.backend s3", () => {
  test("writes an encrypted S3 backend with native locking and one key per stack", () => {
    expect(terraformBlock().backend).toEqual({
      s3: {
        bucket: "acme-demo-tfstate",
        key: "demo/demo.tfstate",
        region: "eu-west-1",
        encrypt: true,
        kms_key_id: "alias/tfstate/acme-demo-tfstate",
        use_lockfile: true,
      },
    });
  });

  test("names the state key by state.kmsKeyArn when set (encrypt alone would send AES256)", () => {
    const kmsKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const config = githubConfig({ state: { backend: "s3", bucket: "acme-demo-tfstate", kmsKeyArn } });
    expect(terraformBlock(config).backend.s3).toMatchObject({ encrypt: true, kms_key_id: kmsKeyArn });
    expect(stateKmsKeyId(config)).toBe(kmsKeyArn);
  });

  test("fails when asked for the state key of an HCP Terraform config", () => {
    expect(() => stateKmsKeyId(githubConfig({ state: CLOUD_STATE }))).toThrow('state.backend is "cloud"');
  });

  test("creates no DynamoDB lock table setting (deprecated by Terraform)", () => {
    const s3 = terraformBlock().backend.s3;
    expect(s3).not.toHaveProperty("dynamodb_table");
  });

  test("uses state.region when it differs from the deploy region", () => {
    const config = githubConfig({ state: { backend: "s3", bucket: "acme-demo-tfstate", region: "us-east-1" } });
    expect(terraformBlock(config).backend.s3.region).toBe("us-east-1");
  });

  test("keys every stack by its id under the prefix", () => {
    expect(terraformBlock(githubConfig(), "demo-github").backend.s3.key).toBe("demo/demo-github.tfstate");
  });

  test("puts keys at the bucket root when the prefix is empty, and trims slashes", () => {
    expect(stateObjectKey("", "demo")).toBe("demo.tfstate");
    expect(stateObjectKey("/team/demo/", "demo")).toBe("team/demo/demo.tfstate");
  });
});

describe("configureBackend with state.backend cloud", () => {
  test("writes a cloud block with the organization, hostname and a named workspace per stack", () => {
    const terraform = terraformBlock(githubConfig({ state: CLOUD_STATE }), "demo-github");
    expect(terraform.backend).toBeUndefined();
    expect(terraform.cloud).toEqual({
      organization: "acme",
      hostname: "app.terraform.io",
      workspaces: { name: "demo-demo-github" },
    });
  });

  test("prefixes workspaces with workspacePrefix when given", () => {
    const config = githubConfig({ state: { ...CLOUD_STATE, workspacePrefix: "platform-" } });
    expect(workspaceName(config, "demo")).toBe("platform-demo");
  });

  test("fails when asked for a workspace name of an s3 config", () => {
    expect(() => workspaceName(githubConfig(), "demo")).toThrow('state.backend is "s3"');
  });
});
