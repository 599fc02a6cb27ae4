import { Testing } from "cdktf";
import { buildStacks } from "../../stacks";
import { APPLIED_BY_ADMINISTRATOR } from "../../stacks/admin-applied";
import { BootstrapStack, needsBootstrap, stateReaders } from "../../stacks/bootstrap-stack";
import { fleetConfig } from "../helpers/fleet";
import { CLOUD_STATE, documentStatements, githubConfig, Json } from "../helpers/github-state";

function synthBootstrap(config = githubConfig()): Json {
  const app = Testing.app();
  return JSON.parse(Testing.synth(new BootstrapStack(app, "bootstrap", { config }))) as Json;
}

describe("BootstrapStack", () => {
  test("keeps its own state on a local backend by default", () => {
    const terraform = synthBootstrap().terraform;
    expect(Object.keys(terraform.backend)).toEqual(["local"]);
    expect(terraform.backend.local.path).toMatch(/terraform\.bootstrap\.tfstate$/);
  });

  test("moves its state into the bucket once bootstrapStateInBucket is set", () => {
    const config = githubConfig({ state: { backend: "s3", bucket: "acme-demo-tfstate", keyPrefix: "demo", bootstrapStateInBucket: true } });
    expect(synthBootstrap(config).terraform.backend.s3).toMatchObject({ key: "demo/bootstrap.tfstate", use_lockfile: true });
  });

  test("creates the configured state bucket in the state region with the AWS provider only", () => {
    const config = githubConfig({ state: { backend: "s3", bucket: "acme-demo-tfstate", region: "us-east-1" } });
    const json = synthBootstrap(config);
    expect(Object.keys(json.provider)).toEqual(["aws"]);
    expect(json.provider.aws[0].region).toBe("us-east-1");
    expect(Object.values(json.resource.aws_s3_bucket)).toEqual([expect.objectContaining({ bucket: "acme-demo-tfstate" })]);
  });

  test("lets the plan and deploy roles and state.adminRoleArns read state, denying everyone else", () => {
    const admin = "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef";
    const config = githubConfig({ state: { backend: "s3", bucket: "acme-demo-tfstate", adminRoleArns: [admin] } });
    expect(stateReaders(config)).toEqual({
      roleNames: ["demo-github-plan", "demo-github-deploy"],
      adminRoleArns: [admin],
      projectRolePrefix: "demo-",
    });
    const reads = documentStatements(synthBootstrap(config), "StateBucket_Policy").find((s) => s.sid === "DenyStateReadsToOthers");
    expect(reads?.condition).toEqual([{ test: "ArnNotEquals", variable: "aws:PrincipalArn", values: [expect.stringContaining(":role/demo-github-plan"), expect.stringContaining(":role/demo-github-deploy"), admin] }]);
  });

  test("prints the state key's ARN for state.kmsKeyArn", () => {
    expect(synthBootstrap().output.StateKmsKeyArn).toMatchObject({ value: expect.stringMatching(/^\$\{aws_kms_key\.StateBucket_Key_[0-9A-F]{8}\.arn\}$/) });
  });

  test("is marked administrator-applied, so the workflows never plan or deploy it", () => {
    // Testing.synth drops the "//" block; the stack's own Terraform JSON keeps it, as cdktf synth writes it.
    const stack = new BootstrapStack(Testing.app(), "bootstrap", { config: githubConfig() });
    expect((stack.toTerraform() as Json)["//"]).toMatchObject({ appliedBy: APPLIED_BY_ADMINISTRATOR });
  });

  test.each([
    ["single-service", () => githubConfig()],
    ["fleet", () => fleetConfig()],
  ])("names exactly the plan and deploy roles the project creates as state readers (%s mode)", (_mode, config) => {
    // GIVEN every stack of the project; THEN the roles trusted by GitHub are the ones the bucket lets read.
    const stacks = buildStacks(Testing.app(), config()).all();
    const roleNames = stacks
      .flatMap((stack) => Object.values(((stack.toTerraform() as Json).resource?.aws_iam_role ?? {}) as Record<string, Json>))
      .filter((role) => /-github-(plan|deploy)$/.test(String(role.name)))
      // The bucket policy names arn:aws:iam::<account>:role/<name>: a path would change the ARN.
      .map((role) => `${String(role.path ?? "/")}${String(role.name)}`);
    expect(roleNames.sort()).toEqual(stateReaders(config()).roleNames.map((name) => `/${name}`).sort());
  });

  test.each([
    ["single-service", () => githubConfig()],
    ["fleet", () => fleetConfig()],
  ])("denies state reads to every other role the project creates when no administrator is named (%s mode)", (_mode, config) => {
    // The default deny matches arn:aws:iam::<account>:role/<project>-*: every project role must fall under it.
    const { projectRolePrefix } = stateReaders(config());
    const roles = buildStacks(Testing.app(), config())
      .all()
      .flatMap((stack) => Object.values(((stack.toTerraform() as Json).resource?.aws_iam_role ?? {}) as Record<string, Json>));
    expect(roles.length).toBeGreaterThan(2);
    for (const role of roles) expect(`${String(role.path ?? "/")}${String(role.name)}`).toMatch(new RegExp(`^/${projectRolePrefix}`));
  });

  test("is needed for the s3 backend only", () => {
    expect(needsBootstrap(githubConfig())).toBe(true);
    expect(needsBootstrap(githubConfig({ state: CLOUD_STATE }))).toBe(false);
  });

  test("fails when the config uses HCP Terraform", () => {
    expect(() => synthBootstrap(githubConfig({ state: CLOUD_STATE }))).toThrow('state.backend is "cloud"');
  });
});
