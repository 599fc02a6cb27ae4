import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import { GithubOidcRoles, GithubOidcRolesProps, PASS_ROLE_SERVICES, PLAN_DENIED_DATA_READS } from "../constructs/github-oidc";
import { documentStatements, Json } from "./helpers/github-state";

const STATE = { bucketName: "acme-demo-tfstate", keyPrefix: "demo", region: "eu-west-1" };
const PROVIDER = "${aws_iam_openid_connect_provider.GithubOidc_Provider_49B920A3.arn}";
const ACCOUNT = `\${element(split(":", ${PROVIDER.slice(2, -1)}), 4)}`;

function synthRoles(props: Partial<GithubOidcRolesProps> = {}): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new GithubOidcRoles(stack, "GithubOidc", {
    name: "demo",
    repository: "acme/infra",
    branch: "main",
    region: "eu-west-1",
    state: STATE,
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as Json;
}

const bySid = (statements: Json[], sid: string): Json => {
  const found = statements.find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid} (have ${statements.map((s) => s.sid).join(", ")})`);
  return found;
};

describe("GithubOidcRoles", () => {
  test("creates the GitHub OIDC provider for sts.amazonaws.com without thumbprints", () => {
    const provider = Object.values(synthRoles().resource.aws_iam_openid_connect_provider) as Json[];
    expect(provider).toHaveLength(1);
    expect(provider[0]).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    expect(provider[0]).not.toHaveProperty("thumbprint_list");
  });

  test("trusts the deploy role only to pushes to the deploy branch of the infrastructure repository", () => {
    expect(documentStatements(synthRoles(), "GithubOidc_DeployRole_Trust")).toEqual([
      {
        sid: "TrustGithubActions",
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [PROVIDER] }],
        condition: [
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: ["repo:acme/infra:ref:refs/heads/main"] },
        ],
      },
    ]);
  });

  test("trusts the plan role only to pull requests of the infrastructure repository", () => {
    const [trust] = documentStatements(synthRoles(), "GithubOidc_PlanRole_Trust");
    expect(trust.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: ["repo:acme/infra:pull_request"] },
    ]);
  });

  test("uses an existing provider instead of creating one when providerArn is given", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const json = synthRoles({ providerArn: arn });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(documentStatements(json, "GithubOidc_DeployRole_Trust")[0].principals).toEqual([{ type: "Federated", identifiers: [arn] }]);
  });

  test("names the roles after the project", () => {
    const names = (Object.values(synthRoles().resource.aws_iam_role) as Json[]).map((r) => r.name).sort();
    expect(names).toEqual(["demo-github-deploy", "demo-github-plan"]);
  });

  test("gives both roles the AWS ReadOnlyAccess policy for Terraform's refresh, and nothing broader", () => {
    const attachments = Object.values(synthRoles().resource.aws_iam_role_policy_attachment) as Json[];
    expect(attachments.map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
    ]);
  });

  test("denies the plan role secret, parameter and table reads", () => {
    const deny = bySid(documentStatements(synthRoles(), "GithubOidc_PlanRole_Permissions"), "DenyDataReads");
    expect(deny).toEqual({ sid: "DenyDataReads", effect: "Deny", actions: [...PLAN_DENIED_DATA_READS], resources: ["*"] });
  });

  test("lets the plan role read state and write only the lock files", () => {
    const statements = documentStatements(synthRoles(), "GithubOidc_PlanRole_Permissions");
    expect(bySid(statements, "ReadState")).toMatchObject({ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*"] });
    expect(bySid(statements, "WriteStateLock")).toMatchObject({
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*.tflock"],
    });
    expect(statements.some((s) => s.effect === "Allow" && s.actions.includes("s3:PutObject") && s.sid !== "WriteStateLock")).toBe(false);
  });

  test("lets both roles use the state key only through S3 for the state bucket", () => {
    const key = bySid(documentStatements(synthRoles(), "GithubOidc_PlanRole_Permissions"), "StateKey");
    expect(key).toEqual({
      sid: "StateKey",
      effect: "Allow",
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`],
      condition: [
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] },
        {
          test: "StringLike",
          variable: "kms:EncryptionContext:aws:s3:arn",
          values: ["arn:aws:s3:::acme-demo-tfstate", "arn:aws:s3:::acme-demo-tfstate/*"],
        },
      ],
    });
  });

  test("lets the deploy role read and write state", () => {
    const rw = bySid(documentStatements(synthRoles(), "GithubOidc_DeployRole_Permissions"), "ReadWriteState");
    expect(rw).toMatchObject({
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*"],
    });
  });

  test("limits the deploy role's service grants to this account and region", () => {
    const regional = bySid(documentStatements(synthRoles(), "GithubOidc_DeployRole_Permissions"), "ManageRegionalResources");
    expect(regional.resources).toContain(`arn:aws:ecs:eu-west-1:${ACCOUNT}:*`);
    expect(regional.resources.every((r: string) => r.startsWith("arn:aws:") && r.includes(":eu-west-1:"))).toBe(true);
  });

  test("lets the deploy role pass only project roles, only to the services that use them", () => {
    const pass = bySid(documentStatements(synthRoles(), "GithubOidc_DeployRole_Permissions"), "PassProjectRoles");
    expect(pass).toEqual({
      sid: "PassProjectRoles",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [`arn:aws:iam::${ACCOUNT}:role/demo-*`],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: [...PASS_ROLE_SERVICES] }],
    });
    // ecs.amazonaws.com: ECS-native blue/green services name an infrastructure role and a hook role.
    expect(PASS_ROLE_SERVICES).toEqual([
      "codebuild.amazonaws.com",
      "codedeploy.amazonaws.com",
      "codepipeline.amazonaws.com",
      "ecs.amazonaws.com",
      "ecs-tasks.amazonaws.com",
      "events.amazonaws.com",
      "lambda.amazonaws.com",
    ]);
  });

  test("forbids the deploy role to delete or reconfigure the state bucket and its key", () => {
    const statements = documentStatements(synthRoles(), "GithubOidc_DeployRole_Permissions");
    expect(bySid(statements, "ProtectStateBucket")).toMatchObject({ effect: "Deny", resources: ["arn:aws:s3:::acme-demo-tfstate"] });
    expect(bySid(statements, "ProtectStateBucket").actions).toContain("s3:DeleteBucket");
    expect(bySid(statements, "ProtectStateKey")).toMatchObject({
      effect: "Deny",
      condition: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: ["alias/tfstate/acme-demo-tfstate"] }],
    });
  });

  test("grants no state access when the state lives in HCP Terraform", () => {
    const json = synthRoles({ state: undefined });
    const sids = documentStatements(json, "GithubOidc_DeployRole_Permissions").map((s) => s.sid);
    expect(sids).not.toContain("ReadWriteState");
    expect(documentStatements(json, "GithubOidc_PlanRole_Permissions").map((s) => s.sid)).toEqual(["DenyDataReads"]);
  });

  test("fails when the branch is a pattern", () => {
    expect(() => synthRoles({ branch: "release/*" })).toThrow("branch must be one exact branch name, no wildcards");
  });

  test("fails when the repository is not owner/name", () => {
    expect(() => synthRoles({ repository: "infra" })).toThrow('repository must be owner/name (got "infra")');
  });
});
