import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { APPLIED_BY_ADMINISTRATOR } from "../../stacks/admin-applied";
import { ServiceRole, useRoleBoundary, roleBoundaryOf } from "../../constructs/identity/iam";
import { NAME_SCOPED_SERVICES, projectResourceArns } from "../../constructs/identity/deploy-policy";
import { WORKLOAD_RESOURCELESS_ACTIONS } from "../../constructs/identity/permissions-boundary";
import { documentStatements, Json } from "../helpers/github-state";
import { awsTestStack, synthJson } from "../helpers/runtime";
import { synthesizeExample, synthProject, testConfig } from "../helpers/synth";

const PROVIDER_ARN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const ACCOUNT = '${element(split(":", aws_iam_openid_connect_provider.GithubOidc_Provider_49B920A3.arn), 4)}';

function synthAccess(overrides: Record<string, unknown> = {}): Json {
  const { stacks } = synthProject(testConfig(overrides));
  return JSON.parse(Testing.synth(stacks.access)) as Json;
}

describe("AccessStack (<project>-access)", () => {
  test("holds the OIDC provider, the plan and deploy roles, their policies and the boundary; AWS provider only, its own state key", () => {
    const json = synthAccess();
    expect(Object.keys(json.resource).sort()).toEqual([
      "aws_iam_openid_connect_provider",
      "aws_iam_policy",
      "aws_iam_role",
      "aws_iam_role_policy",
      "aws_iam_role_policy_attachment",
    ]);
    expect((Object.values(json.resource.aws_iam_policy) as Json[]).map((p) => p.name).sort()).toEqual([
      "demo-deploy-identity",
      "demo-deploy-resources",
      "demo-deploy-tagged",
      "demo-workload-boundary",
    ]);
    expect(Object.keys(json.provider)).toEqual(["aws"]);
    expect(json.terraform.backend.s3.key).toBe("cdktf/demo-access.tfstate");
    expect(Object.keys(json.output).sort()).toEqual(["BoundaryPolicyArn", "DeployRoleArn", "PlanRoleArn"]);
  });

  test("is marked administrator-applied, the marker the workflows skip", () => {
    const { stacks } = synthProject(testConfig());
    expect((stacks.access.toTerraform() as Json)["//"]).toMatchObject({ appliedBy: APPLIED_BY_ADMINISTRATOR });
  });

  test("tags every resource with the project last, so config.tags cannot take the project tag away", () => {
    const json = synthAccess({ tags: { project: "other", team: "platform" } });
    expect(json.provider.aws[0].default_tags[0].tags).toEqual({ "managed-by": "cdktf", team: "platform", project: "demo" });
  });

  test("the boundary allows the workload services on the project's resources only, and no IAM but passing project roles to ECS tasks", () => {
    const byName = projectResourceArns("demo", "eu-west-1", ACCOUNT);
    expect(documentStatements(synthAccess(), "Boundary_Document")).toEqual([
      {
        sid: "ProjectResources",
        effect: "Allow",
        actions: NAME_SCOPED_SERVICES.map((s) => `${s}:*`),
        resources: [...NAME_SCOPED_SERVICES.flatMap((s) => byName[s]), `arn:aws:codedeploy:eu-west-1:${ACCOUNT}:deploymentconfig:CodeDeployDefault.*`],
      },
      {
        sid: "ProjectBuckets",
        effect: "Allow",
        actions: ["s3:*"],
        resources: ["arn:aws:s3:::demo-*", "arn:aws:s3:::demo-*/*"],
        condition: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [ACCOUNT] }],
      },
      {
        sid: "ProjectKeys",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"],
        resources: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`],
        condition: [{ test: "StringEquals", variable: "aws:ResourceTag/project", values: ["demo"] }],
      },
      {
        sid: "UseConnections",
        effect: "Allow",
        actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
        resources: [`arn:aws:codestar-connections:eu-west-1:${ACCOUNT}:connection/*`, `arn:aws:codeconnections:eu-west-1:${ACCOUNT}:connection/*`],
        condition: [{ test: "StringEquals", variable: "aws:ResourceTag/project", values: ["demo"] }],
      },
      { sid: "ResourcelessActions", effect: "Allow", actions: [...WORKLOAD_RESOURCELESS_ACTIONS], resources: ["*"] },
      {
        sid: "AlarmsAndInterfaces",
        effect: "Allow",
        actions: ["cloudwatch:DescribeAlarms", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        resources: [`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:*`, `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/*`],
      },
      {
        sid: "InterfacesInProjectNetwork",
        effect: "Allow",
        actions: ["ec2:CreateNetworkInterface"],
        resources: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/*`, `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/*`],
        condition: [{ test: "StringEquals", variable: "aws:ResourceTag/project", values: ["demo"] }],
      },
      {
        sid: "PassProjectRoles",
        effect: "Allow",
        actions: ["iam:PassRole"],
        resources: [`arn:aws:iam::${ACCOUNT}:role/demo-*`],
        condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
      },
      {
        sid: "DenyOtherProjects",
        effect: "Deny",
        actions: ["*"],
        resources: ["*"],
        condition: [
          { test: "StringNotEquals", variable: "aws:ResourceTag/project", values: ["demo"] },
          { test: "Null", variable: "aws:ResourceTag/project", values: ["false"] },
        ],
      },
      expect.objectContaining({ sid: "DenyTasksOnOtherClusters", effect: "Deny" }),
    ]);
    // AmazonECSInfrastructureRolePolicyForLoadBalancers reads target health (ECS-native blue/green).
    expect(WORKLOAD_RESOURCELESS_ACTIONS).toContain("elasticloadbalancing:Describe*");
  });

  test("lets workloads use a reused connection (github.connectionArn) by its ARN", () => {
    const arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0b9a0c2e-1111-2222-3333-444455556666";
    const json = synthAccess({ github: { owner: "acme", repository: "web", connectionArn: arn } });
    expect(documentStatements(json, "Boundary_Document")[3]).toEqual({
      sid: "UseConnections",
      effect: "Allow",
      actions: ["codestar-connections:UseConnection", "codeconnections:UseConnection"],
      resources: [arn],
    });
  });

  test("reuses an existing OIDC provider (github.oidcProviderArn) and takes the account from its ARN", () => {
    const json = synthAccess({ github: { owner: "acme", repository: "web", oidcProviderArn: PROVIDER_ARN } });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(documentStatements(json, "Boundary_Document").find((s) => s.sid === "PassProjectRoles")?.resources).toEqual([`arn:aws:iam::\${element(split(":", "${PROVIDER_ARN}"), 4)}:role/demo-*`]);
  });

  test("lets Lambda attach to the subnets of an existing VPC, which carry no project tag", () => {
    const network = { mode: "existing", vpcId: "vpc-0123456789abcdef0", vpcCidr: "10.0.0.0/16", publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"], privateSubnetIds: ["subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"] };
    const json = synthAccess({ network });
    expect(documentStatements(json, "Boundary_Document").find((s) => s.sid === "InterfacesInConfiguredSubnets")).toEqual({
      sid: "InterfacesInConfiguredSubnets",
      effect: "Allow",
      actions: ["ec2:CreateNetworkInterface"],
      resources: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb", "subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"].map((id) => `arn:aws:ec2:eu-west-1:${ACCOUNT}:subnet/${id}`),
    });
    expect(documentStatements(synthAccess(), "Boundary_Document").find((s) => s.sid === "InterfacesInConfiguredSubnets")).toBeUndefined();
  });

  test("the deploy role trusts the configured environment and deploy branch", () => {
    const json = synthAccess({ github: { owner: "acme", repository: "web", branch: "release", deployEnvironment: { name: "prod-aws", soloEvaluation: true } } });
    expect(documentStatements(json, "GithubOidc_DeployRole_Trust")[0].condition[1].values).toEqual([
      "repo:acme/web:environment:prod-aws:event_name:push:job_workflow_ref:acme/web/.github/workflows/deploy.yml@refs/heads/release",
      "repo:acme/web:environment:prod-aws:event_name:workflow_dispatch:job_workflow_ref:acme/web/.github/workflows/release.yml@refs/heads/release",
    ]);
  });

  test("has no state grants with HCP Terraform", () => {
    const json = synthAccess({ state: { backend: "cloud", organization: "acme" } });
    expect(json.terraform.cloud.workspaces.name).toBe("demo-demo-access");
    expect(documentStatements(json, "GithubOidc_PlanRole_Permissions").map((s) => s.sid)).toEqual(["DenyDataReads", "DenyObjectReadsOutsideState"]);
  });
});

describe("the application stacks and the boundary", () => {
  test("no stack the deploy workflow applies depends on the access stack: the GitHub stack names the roles by their ARNs", () => {
    // cdktf deploy refuses a stack whose dependency is not selected, and deploy.yml never selects the access stack.
    const { outdir } = synthesizeExample(testConfig());
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { dependencies: string[] }> };
    expect(Object.fromEntries(Object.entries(manifest.stacks).map(([id, stack]) => [id, stack.dependencies]))).toEqual({
      bootstrap: [],
      "demo-access": [],
      demo: [],
      "demo-github": ["demo"],
    });
    const github = JSON.parse(readFileSync(join(outdir, "stacks", "demo-github", "cdk.tf.json"), "utf8")) as Json;
    const deployRole = (Object.values(github.resource.github_actions_variable) as Json[]).find((v) => v.variable_name === "AWS_DEPLOY_ROLE_ARN");
    expect(deployRole?.value).toBe(
      'arn:aws:iam::${element(split(":", data.terraform_remote_state.cross-stack-reference-input-demo.outputs.cross-stack-output-aws_codedeploy_appDeployApplicationarn), 4)}:role/demo-github-deploy',
    );
  });

  test("hold no identity: no OIDC provider, no GitHub roles, no managed policy", () => {
    const { aws } = synthProject(testConfig());
    expect(aws.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(aws.resource.aws_iam_policy).toBeUndefined();
    expect((Object.values(aws.resource.aws_iam_role) as Json[]).some((r) => /github/.test(r.name))).toBe(false);
  });

  test("every role of the AWS stack carries the project boundary, named deterministically (no lookup)", () => {
    const { aws } = synthProject(testConfig());
    const roles = Object.values(aws.resource.aws_iam_role) as Json[];
    expect(roles.length).toBeGreaterThan(5);
    const boundary = 'arn:aws:iam::${element(split(":", aws_codedeploy_app.DeployApplication.arn), 4)}:policy/demo-workload-boundary';
    expect(roles.map((r) => [r.name, r.permissions_boundary]).filter(([, b]) => b !== boundary)).toEqual([]);
  });
});

describe("ServiceRole permissions boundary", () => {
  test("takes the stack's registered boundary", () => {
    const stack = awsTestStack();
    new ServiceRole(stack, "Role", { name: "demo-x", servicePrincipal: "ecs-tasks.amazonaws.com", description: "x" });
    const [role] = Object.values(synthJson(stack).resource?.aws_iam_role ?? {});
    expect(role.permissions_boundary).toBe("arn:aws:iam::123456789012:policy/demo-workload-boundary");
  });

  test("takes none when told false (the identity roles)", () => {
    const stack = awsTestStack();
    new ServiceRole(stack, "Role", { name: "demo-x", servicePrincipal: "ecs-tasks.amazonaws.com", description: "x", permissionsBoundary: false });
    const [role] = Object.values(synthJson(stack).resource?.aws_iam_role ?? {});
    expect(role.permissions_boundary).toBeUndefined();
  });

  test("a stack registers one boundary only", () => {
    const stack = awsTestStack();
    expect(roleBoundaryOf(stack)).toBe("arn:aws:iam::123456789012:policy/demo-workload-boundary");
    expect(() => useRoleBoundary(stack, "arn:aws:iam::123456789012:policy/other")).toThrow("stack test already has a role permissions boundary");
  });
});
