import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack, Testing } from "cdktf";
import {
  GithubOidcRoles,
  GithubOidcRolesProps,
  PLAN_DENIED_DATA_READS,
  STATE_BUCKET_PROTECTED_ACTIONS,
  STATE_KEY_PROTECTED_ACTIONS,
} from "../../../constructs/identity/github-oidc";
import {
  BOUNDARY_PROTECTED_ACTIONS,
  BOUNDED_ROLE_ACTIONS,
  EC2_CHANGE_ACTIONS,
  EC2_CREATE_ACTIONS,
  EC2_CREATED_TYPES,
  IDENTITY_ROLE_PROTECTED_ACTIONS,
  OIDC_PROVIDER_PROTECTED_ACTIONS,
  PASS_ROLE_SERVICES,
  ROLE_TAG_ACTIONS,
} from "../../../constructs/identity/deploy-policy";
import { documentStatements, Json } from "../../helpers/github-state";

const STATE = { bucketName: "acme-demo-tfstate", keyPrefix: "demo", region: "eu-west-1", protectedStateKeys: ["demo/demo-access.tfstate"] };
const PROVIDER = "${aws_iam_openid_connect_provider.GithubOidc_Provider_49B920A3.arn}";
const ACCOUNT = `\${element(split(":", ${PROVIDER.slice(2, -1)}), 4)}`;
const AT = (service: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:`;
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/demo-workload-boundary`;
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function synthRoles(props: Partial<GithubOidcRolesProps> = {}): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  new GithubOidcRoles(stack, "GithubOidc", {
    name: "demo",
    repository: "acme/infra",
    deployEnvironment: "production",
    branch: "main",
    region: "eu-west-1",
    boundaryPolicyName: "demo-workload-boundary",
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
/** The deploy role's statements: inline (state) first, then its three managed policies (resources, tagged, identity). */
const deployStatements = (props: Partial<GithubOidcRolesProps> = {}) => {
  const json = synthRoles(props);
  const inline = props.state === undefined && "state" in props ? [] : documentStatements(json, "GithubOidc_DeployRole_Permissions");
  const managed = ["Resources", "Tagged", "Identity"].flatMap((part) => documentStatements(json, `GithubOidc_DeployRole_${part}PolicyDocument`));
  return [...inline, ...managed];
};
const planStatements = (props: Partial<GithubOidcRolesProps> = {}) => documentStatements(synthRoles(props), "GithubOidc_PlanRole_Permissions");
const tag = (kind: "RequestTag" | "ResourceTag") => ({ test: "StringEquals", variable: `aws:${kind}/project`, values: ["demo"] });

describe("GithubOidcRoles: provider and trust", () => {
  test("creates the GitHub OIDC provider for sts.amazonaws.com without thumbprints", () => {
    const provider = Object.values(synthRoles().resource.aws_iam_openid_connect_provider) as Json[];
    expect(provider).toHaveLength(1);
    expect(provider[0]).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    expect(provider[0]).not.toHaveProperty("thumbprint_list");
  });

  test("trusts the deploy role only to deploy.yml on push and release.yml on workflow_dispatch, of the deploy branch, in the environment", () => {
    expect(documentStatements(synthRoles(), "GithubOidc_DeployRole_Trust")).toEqual([
      {
        sid: "TrustGithubActions",
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [PROVIDER] }],
        condition: [
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
          {
            test: "StringEquals",
            variable: "token.actions.githubusercontent.com:sub",
            values: [
              "repo:acme/infra:environment:production:event_name:push:job_workflow_ref:acme/infra/.github/workflows/deploy.yml@refs/heads/main",
              "repo:acme/infra:environment:production:event_name:workflow_dispatch:job_workflow_ref:acme/infra/.github/workflows/release.yml@refs/heads/main",
            ],
          },
        ],
      },
    ]);
  });

  test("trusts the plan role only to pr.yml of pull requests of the infrastructure repository, outside any environment", () => {
    expect(documentStatements(synthRoles(), "GithubOidc_PlanRole_Trust")).toEqual([
      {
        sid: "TrustGithubActions",
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [PROVIDER] }],
        condition: [
          { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
          {
            test: "StringLike",
            variable: "token.actions.githubusercontent.com:sub",
            values: ["repo:acme/infra:pull_request:event_name:pull_request:job_workflow_ref:acme/infra/.github/workflows/pr.yml@refs/pull/*/merge"],
          },
        ],
      },
    ]);
  });

  test("uses an existing provider instead of creating one when providerArn is given, and takes the account from it", () => {
    const arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const json = synthRoles({ providerArn: arn });
    expect(json.resource.aws_iam_openid_connect_provider).toBeUndefined();
    expect(documentStatements(json, "GithubOidc_DeployRole_Trust")[0].principals).toEqual([{ type: "Federated", identifiers: [arn] }]);
    expect(bySid(documentStatements(json, "GithubOidc_DeployRole_ResourcesPolicyDocument"), "ManageProjectEcr").resources[0]).toContain(
      `\${element(split(":", "${arn}"), 4)}`,
    );
  });

  test("names the roles after the project, without a permissions boundary (they are the identity layer)", () => {
    const roles = Object.values(synthRoles().resource.aws_iam_role) as Json[];
    expect(roles.map((r) => r.name).sort()).toEqual(["demo-github-deploy", "demo-github-plan"]);
    expect(roles.every((r) => r.permissions_boundary === undefined)).toBe(true);
  });

  test("gives both roles the AWS ReadOnlyAccess policy for Terraform's refresh, and the deploy role its three own managed policies", () => {
    const json = synthRoles();
    const attachments = Object.values(json.resource.aws_iam_role_policy_attachment) as Json[];
    const policies = json.resource.aws_iam_policy as Record<string, Json>;
    const policyAddress = (name: string) => Object.keys(policies).find((key) => policies[key].name === name);
    expect(attachments.map((a) => `${a.role} ${a.policy_arn}`).sort()).toEqual(
      [
        ...["demo-deploy-identity", "demo-deploy-resources", "demo-deploy-tagged"].map(
          (name) => `\${aws_iam_role.GithubOidc_DeployRole_677C3FE0.name} \${aws_iam_policy.${policyAddress(name)}.arn}`,
        ),
        "${aws_iam_role.GithubOidc_DeployRole_677C3FE0.name} arn:aws:iam::aws:policy/ReadOnlyAccess",
        "${aws_iam_role.GithubOidc_PlanRole_BCE8484F.name} arn:aws:iam::aws:policy/ReadOnlyAccess",
      ].sort(),
    );
    expect(Object.values(policies).map((p) => p.name).sort()).toEqual(["demo-deploy-identity", "demo-deploy-resources", "demo-deploy-tagged"]);
  });

  test("fails when the environment name is a pattern", () => {
    expect(() => synthRoles({ deployEnvironment: "prod*" })).toThrow(
      `GithubOidcRoles: deployEnvironment must be one exact environment name of letters, digits, '.', '_' or '-' (got "prod*")`,
    );
  });

  test("fails when the repository is not owner/name", () => {
    expect(() => synthRoles({ repository: "infra" })).toThrow('repository must be owner/name (got "infra")');
  });
});

describe("GithubOidcRoles: the plan role reads, and only the state among S3 objects", () => {
  test("has exactly: data-read denies, a deny of every object outside the state, state reads and the key for decrypting", () => {
    expect(planStatements()).toEqual([
      { sid: "DenyDataReads", effect: "Deny", actions: [...PLAN_DENIED_DATA_READS], resources: ["*"] },
      {
        sid: "DenyObjectReadsOutsideState",
        effect: "Deny",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        not_resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*"],
      },
      { sid: "ListState", effect: "Allow", actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::acme-demo-tfstate"] },
      { sid: "ReadState", effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*"] },
      {
        sid: "StateKey",
        effect: "Allow",
        actions: ["kms:Decrypt"],
        resources: [`${AT("kms")}key/*`],
        condition: [
          { test: "StringEquals", variable: "kms:ViaService", values: ["s3.eu-west-1.amazonaws.com"] },
          { test: "StringLike", variable: "kms:EncryptionContext:aws:s3:arn", values: ["arn:aws:s3:::acme-demo-tfstate", "arn:aws:s3:::acme-demo-tfstate/*"] },
        ],
      },
    ]);
  });

  test("may write nothing on the state bucket, not even lock files (pull-request plans run with -lock=false)", () => {
    const writes = planStatements().filter((s) => s.effect === "Allow" && s.actions.some((a: string) => /^s3:(Put|Delete)/.test(a)));
    expect(writes).toEqual([]);
  });

  test("uses the configured state key ARN instead of any key of the account", () => {
    expect(bySid(planStatements({ state: { ...STATE, keyArn: KEY_ARN } }), "StateKey").resources).toEqual([KEY_ARN]);
  });

  test("denies every object read when the state lives in HCP Terraform", () => {
    expect(planStatements({ state: undefined })).toEqual([
      { sid: "DenyDataReads", effect: "Deny", actions: [...PLAN_DENIED_DATA_READS], resources: ["*"] },
      { sid: "DenyObjectReadsOutsideState", effect: "Deny", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: ["*"] },
    ]);
  });
});

describe("GithubOidcRoles: the deploy role's state access", () => {
  test("reads and writes state, but never the administrator's stacks' state", () => {
    const statements = deployStatements();
    expect(bySid(statements, "ReadWriteState")).toEqual({
      sid: "ReadWriteState",
      effect: "Allow",
      actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
      resources: ["arn:aws:s3:::acme-demo-tfstate/demo/*"],
    });
    expect(bySid(statements, "DenyAdministratorStateWrites")).toEqual({
      sid: "DenyAdministratorStateWrites",
      effect: "Deny",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: ["arn:aws:s3:::acme-demo-tfstate/demo/demo-access.tfstate", "arn:aws:s3:::acme-demo-tfstate/demo/demo-access.tfstate.tflock"],
    });
    expect(bySid(statements, "StateKey")).toMatchObject({ actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [`${AT("kms")}key/*`] });
  });

  test("may not delete or reconfigure the state bucket", () => {
    expect(bySid(deployStatements(), "ProtectStateBucket")).toEqual({
      sid: "ProtectStateBucket",
      effect: "Deny",
      actions: [...STATE_BUCKET_PROTECTED_ACTIONS],
      resources: ["arn:aws:s3:::acme-demo-tfstate"],
    });
  });

  test("keys the state-key deny on the alias, and keeps the alias where it is", () => {
    const statements = deployStatements();
    expect(bySid(statements, "ProtectStateKey")).toEqual({
      sid: "ProtectStateKey",
      effect: "Deny",
      actions: [...STATE_KEY_PROTECTED_ACTIONS],
      resources: [`${AT("kms")}key/*`],
      condition: [{ test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: ["alias/tfstate/acme-demo-tfstate"] }],
    });
    expect(bySid(statements, "ProtectStateKeyAlias")).toEqual({
      sid: "ProtectStateKeyAlias",
      effect: "Deny",
      actions: ["kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [`${AT("kms")}alias/tfstate/acme-demo-tfstate`],
    });
  });

  test("keys the state-key deny on the key ARN when the config names it (holds even without the alias)", () => {
    expect(bySid(deployStatements({ state: { ...STATE, keyArn: KEY_ARN } }), "ProtectStateKey")).toEqual({
      sid: "ProtectStateKey",
      effect: "Deny",
      actions: [...STATE_KEY_PROTECTED_ACTIONS],
      resources: [KEY_ARN],
    });
  });

  test("has no state statements when the state lives in HCP Terraform", () => {
    const sids = deployStatements({ state: undefined }).map((s) => s.sid);
    expect(sids.filter((sid) => /State/.test(sid))).toEqual([]);
  });
});

describe("GithubOidcRoles: the deploy role changes only the project's resources", () => {
  test("grants each name-scoped service only on the project's names", () => {
    const statements = deployStatements();
    const grant = (sid: string) => {
      const s = bySid(statements, sid);
      expect(s.condition).toBeUndefined();
      return [s.actions, s.resources];
    };
    expect(grant("ManageProjectCloudwatch")).toEqual([["cloudwatch:*"], [`${AT("cloudwatch")}alarm:demo-*`]]);
    expect(grant("ManageProjectCodebuild")).toEqual([["codebuild:*"], [`${AT("codebuild")}project/demo`, `${AT("codebuild")}project/demo-*`]]);
    expect(grant("ManageProjectCodedeploy")).toEqual([
      ["codedeploy:*"],
      [
        `${AT("codedeploy")}application:demo`,
        `${AT("codedeploy")}application:demo-*`,
        `${AT("codedeploy")}deploymentgroup:demo/*`,
        `${AT("codedeploy")}deploymentgroup:demo-*/*`,
        `${AT("codedeploy")}deploymentconfig:demo-*`,
      ],
    ]);
    expect(grant("ManageProjectCodepipeline")).toEqual([
      ["codepipeline:*"],
      [`${AT("codepipeline")}demo`, `${AT("codepipeline")}demo-*`, `${AT("codepipeline")}demo/*`, `${AT("codepipeline")}demo-*/*`, `${AT("codepipeline")}webhook:demo-*`],
    ]);
    expect(grant("ManageProjectEcr")).toEqual([["ecr:*"], [`${AT("ecr")}repository/demo`, `${AT("ecr")}repository/demo-*`]]);
    expect(grant("ManageProjectEcs")).toEqual([
      ["ecs:*"],
      [
        `${AT("ecs")}cluster/demo-*`,
        `${AT("ecs")}service/demo-*/*`,
        `${AT("ecs")}task-set/demo-*/*/*`,
        `${AT("ecs")}task-definition/demo-*:*`,
        `${AT("ecs")}task/demo-*/*`,
        `${AT("ecs")}service-deployment/demo-*/*/*`,
        `${AT("ecs")}service-revision/demo-*/*/*`,
      ],
    ]);
    expect(grant("ManageProjectElasticloadbalancing")).toEqual([
      ["elasticloadbalancing:*"],
      [
        `${AT("elasticloadbalancing")}loadbalancer/app/demo-*/*`,
        `${AT("elasticloadbalancing")}targetgroup/demo-*/*`,
        `${AT("elasticloadbalancing")}listener/app/demo-*/*`,
        `${AT("elasticloadbalancing")}listener-rule/app/demo-*/*`,
      ],
    ]);
    expect(grant("ManageProjectEvents")).toEqual([["events:*"], [`${AT("events")}rule/demo-*`]]);
    expect(grant("ManageProjectLambda")).toEqual([["lambda:*"], [`${AT("lambda")}function:CodeDeployHook_demo-*`, `${AT("lambda")}function:demo-*`]]);
    expect(grant("ManageProjectLogs")).toEqual([
      ["logs:*"],
      [
        `${AT("logs")}log-group:/aws/codebuild/demo`,
        `${AT("logs")}log-group:/aws/codebuild/demo-*`,
        `${AT("logs")}log-group:/aws/codebuild/demo:*`,
        `${AT("logs")}log-group:/aws/codebuild/demo-*:*`,
        `${AT("logs")}log-group:/ecs/demo-*`,
        `${AT("logs")}log-group:/ecs/demo-*:*`,
        `${AT("logs")}log-group:/aws/lambda/CodeDeployHook_demo-*`,
        `${AT("logs")}log-group:/aws/lambda/CodeDeployHook_demo-*:*`,
        `${AT("logs")}log-group:/aws/lambda/demo-*`,
        `${AT("logs")}log-group:/aws/lambda/demo-*:*`,
      ],
    ]);
    expect(grant("ManageProjectSns")).toEqual([["sns:*"], [`${AT("sns")}demo-*`]]);
    expect(bySid(statements, "ManageProjectBuckets")).toEqual({
      sid: "ManageProjectBuckets",
      effect: "Allow",
      actions: ["s3:*"],
      resources: ["arn:aws:s3:::demo-*", "arn:aws:s3:::demo-*/*"],
      // Bucket ARNs carry no account: a bucket of that name elsewhere is out of reach.
      condition: [{ test: "StringEquals", variable: "aws:ResourceAccount", values: [ACCOUNT] }],
    });
  });

  test("creates id-only resources (connections, notification rules, KMS keys) only with the project tag, and changes them only while tagged", () => {
    const statements = deployStatements();
    const services = ["codeconnections", "codestar-connections", "codestar-notifications", "kms"];
    expect(bySid(statements, "ManageTaggedResources")).toEqual({
      sid: "ManageTaggedResources",
      effect: "Allow",
      actions: services.map((s) => `${s}:*`),
      resources: services.map((s) => `${AT(s)}*`),
      condition: [tag("ResourceTag")],
    });
    expect(bySid(statements, "TagOnCreate")).toEqual({
      sid: "TagOnCreate",
      effect: "Allow",
      actions: ["kms:TagResource", "codestar-notifications:CreateNotificationRule"],
      resources: [`${AT("kms")}key/*`, `${AT("codestar-notifications")}notificationrule/*`],
      condition: [tag("RequestTag")],
    });
    expect(bySid(statements, "ManageProjectKeyAliases")).toEqual({
      sid: "ManageProjectKeyAliases",
      effect: "Allow",
      actions: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      resources: [`${AT("kms")}alias/ecr/demo`, `${AT("kms")}alias/ecr/demo-*`],
    });
    expect(bySid(statements, "ResourcelessCreates")).toEqual({
      sid: "ResourcelessCreates",
      effect: "Allow",
      actions: ["kms:CreateKey", "codestar-connections:CreateConnection", "codeconnections:CreateConnection"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }, tag("RequestTag")],
    });
    expect(bySid(statements, "ResourcelessActions")).toEqual({
      sid: "ResourcelessActions",
      effect: "Allow",
      actions: ["ecs:DeregisterTaskDefinition", "codedeploy:StopDeployment", "codestar-notifications:DeleteTarget"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "aws:RequestedRegion", values: ["eu-west-1"] }],
    });
  });

  test("passes connections only to CodePipeline, one statement per prefix", () => {
    const statements = deployStatements();
    expect(statements.filter((s) => /^PassConnection/.test(s.sid))).toEqual(
      (["codestar-connections", "codeconnections"] as const).map((prefix) => ({
        sid: prefix === "codeconnections" ? "PassConnectionToPipelineViaCodeconnections" : "PassConnectionToPipeline",
        effect: "Allow",
        actions: [`${prefix}:PassConnection`],
        resources: [`${AT(prefix)}connection/*`],
        condition: [{ test: "StringEquals", variable: `${prefix}:PassedToService`, values: ["codepipeline.amazonaws.com"] }],
      })),
    );
  });

  test("creates network resources only with the project tag, and changes only tagged ones", () => {
    const statements = deployStatements();
    const created = EC2_CREATED_TYPES.map((type) => `${AT("ec2")}${type}/*`);
    expect(bySid(statements, "CreateTaggedNetwork")).toEqual({
      sid: "CreateTaggedNetwork",
      effect: "Allow",
      actions: [...EC2_CREATE_ACTIONS],
      resources: created,
      condition: [tag("RequestTag")],
    });
    expect(bySid(statements, "TagNetworkOnCreate")).toEqual({
      sid: "TagNetworkOnCreate",
      effect: "Allow",
      actions: ["ec2:CreateTags"],
      resources: created,
      condition: [tag("RequestTag"), { test: "StringEquals", variable: "ec2:CreateAction", values: EC2_CREATE_ACTIONS.map((a) => a.slice(4)) }],
    });
    expect(statements.filter((s) => s.effect === "Allow" && s.actions.includes("ec2:CreateTags") && s.sid !== "TagNetworkOnCreate").map((s) => s.sid)).toEqual([
      "ManageTaggedNetwork",
    ]);
    expect(bySid(statements, "ManageTaggedNetwork")).toEqual({
      sid: "ManageTaggedNetwork",
      effect: "Allow",
      actions: [...EC2_CHANGE_ACTIONS],
      resources: [`${AT("ec2")}*`],
      condition: [tag("ResourceTag")],
    });
  });
});

describe("GithubOidcRoles: boundary delegation and the identity layer out of reach", () => {
  test("creates and changes project roles only with the project boundary", () => {
    expect(bySid(deployStatements(), "ManageProjectRolesInBoundary")).toEqual({
      sid: "ManageProjectRolesInBoundary",
      effect: "Allow",
      actions: [...BOUNDED_ROLE_ACTIONS],
      resources: [`arn:aws:iam::${ACCOUNT}:role/demo-*`],
      condition: [{ test: "StringEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] }],
    });
    expect(BOUNDED_ROLE_ACTIONS).not.toContain("iam:DeleteRolePermissionsBoundary");
    expect(bySid(deployStatements(), "TagProjectRoles")).toEqual({
      sid: "TagProjectRoles",
      effect: "Allow",
      actions: [...ROLE_TAG_ACTIONS],
      resources: [`arn:aws:iam::${ACCOUNT}:role/demo-*`],
    });
  });

  test("passes only project roles, only to the services that use them", () => {
    expect(bySid(deployStatements(), "PassProjectRoles")).toEqual({
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

  test("creates only the ECS and ELB service-linked roles", () => {
    expect(bySid(deployStatements(), "CreateServiceLinkedRoles")).toEqual({
      sid: "CreateServiceLinkedRoles",
      effect: "Allow",
      actions: ["iam:CreateServiceLinkedRole"],
      resources: [`arn:aws:iam::${ACCOUNT}:role/aws-service-role/*`],
      condition: [{ test: "StringEquals", variable: "iam:AWSServiceName", values: ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"] }],
    });
  });

  test("is denied changing its own role, the plan role, the boundary, any OIDC provider, and removing any boundary", () => {
    const denies = deployStatements().filter((s) => s.effect === "Deny" && /^Deny(Identity|Boundary|Oidc|Roles)/.test(s.sid));
    expect(denies).toEqual([
      {
        sid: "DenyIdentityRoleChanges",
        effect: "Deny",
        actions: [...IDENTITY_ROLE_PROTECTED_ACTIONS],
        resources: [`arn:aws:iam::${ACCOUNT}:role/demo-github-deploy`, `arn:aws:iam::${ACCOUNT}:role/demo-github-plan`],
      },
      {
        sid: "DenyBoundaryChanges",
        effect: "Deny",
        actions: [...BOUNDARY_PROTECTED_ACTIONS],
        resources: [
          BOUNDARY,
          `arn:aws:iam::${ACCOUNT}:policy/demo-deploy-resources`,
          `arn:aws:iam::${ACCOUNT}:policy/demo-deploy-tagged`,
          `arn:aws:iam::${ACCOUNT}:policy/demo-deploy-identity`,
        ],
      },
      { sid: "DenyOidcProviderChanges", effect: "Deny", actions: [...OIDC_PROVIDER_PROTECTED_ACTIONS], resources: [`arn:aws:iam::${ACCOUNT}:oidc-provider/*`] },
      { sid: "DenyBoundaryRemoval", effect: "Deny", actions: ["iam:DeleteRolePermissionsBoundary"], resources: [`arn:aws:iam::${ACCOUNT}:role/*`] },
      {
        sid: "DenyRolesOutsideBoundary",
        effect: "Deny",
        actions: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"],
        resources: [`arn:aws:iam::${ACCOUNT}:role/*`],
        condition: [{ test: "StringNotEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] }],
      },
    ]);
  });

  test("the identity-role deny covers every role action the boundary grant allows, so the grant never reaches the deploy role itself", () => {
    for (const action of [...BOUNDED_ROLE_ACTIONS, "iam:TagRole", "iam:UntagRole"]) expect(IDENTITY_ROLE_PROTECTED_ACTIONS).toContain(action);
  });

  test("denies adding or removing the project tag outside a create (EC2: ec2:CreateAction), and removing it from keys", () => {
    const statements = deployStatements();
    const projectKey = { test: "ForAnyValue:StringEquals", variable: "aws:TagKeys", values: ["project"] };
    expect(bySid(statements, "DenyProjectTagChanges")).toEqual({
      sid: "DenyProjectTagChanges",
      effect: "Deny",
      actions: [
        "codeconnections:TagResource", "codeconnections:UntagResource", "codestar-connections:TagResource", "codestar-connections:UntagResource",
        "codestar-notifications:TagResource", "codestar-notifications:UntagResource", "kms:UntagResource", "ec2:DeleteTags",
      ],
      resources: ["*"],
      condition: [projectKey],
    });
    expect(bySid(statements, "DenyProjectTagOutsideCreate")).toEqual({
      sid: "DenyProjectTagOutsideCreate",
      effect: "Deny",
      actions: ["ec2:CreateTags"],
      resources: ["*"],
      condition: [projectKey, { test: "Null", variable: "ec2:CreateAction", values: ["true"] }],
    });
  });

  test("fences off every resource tagged for another project, and tasks on other clusters", () => {
    const statements = deployStatements();
    expect(bySid(statements, "DenyOtherProjects")).toEqual({
      sid: "DenyOtherProjects",
      effect: "Deny",
      actions: [...["cloudwatch", "codebuild", "codedeploy", "codepipeline", "ecr", "ecs", "elasticloadbalancing", "events", "lambda", "logs", "sns", "iam"].map((s) => `${s}:*`)],
      resources: ["*"],
      condition: [
        { test: "StringNotEquals", variable: "aws:ResourceTag/project", values: ["demo"] },
        { test: "Null", variable: "aws:ResourceTag/project", values: ["false"] },
      ],
    });
    expect(bySid(statements, "DenyTasksOnOtherClusters")).toEqual({
      sid: "DenyTasksOnOtherClusters",
      effect: "Deny",
      actions: ["ecs:RunTask", "ecs:StartTask"],
      resources: ["*"],
      condition: [{ test: "ArnNotLike", variable: "ecs:cluster", values: [`${AT("ecs")}cluster/demo-*`] }],
    });
  });

  test("attaches only the AWS managed policies the stacks use, and only inside the boundary", () => {
    expect(bySid(deployStatements(), "AttachManagedPoliciesInBoundary")).toEqual({
      sid: "AttachManagedPoliciesInBoundary",
      effect: "Allow",
      actions: ["iam:AttachRolePolicy"],
      resources: [`arn:aws:iam::${ACCOUNT}:role/demo-*`],
      condition: [
        { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] },
        {
          test: "ArnEquals",
          variable: "iam:PolicyARN",
          values: ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited", "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"],
        },
      ],
    });
    expect(BOUNDED_ROLE_ACTIONS).not.toContain("iam:AttachRolePolicy");
  });

  test("has exactly these statements, in this order (a new one needs a test above)", () => {
    expect(deployStatements().map((s) => s.sid)).toEqual([
      "ListState", "ReadWriteState", "StateKey", "DenyAdministratorStateWrites", "ProtectStateBucket", "ProtectStateKey", "ProtectStateKeyAlias",
      "ManageProjectCloudwatch", "ManageProjectCodebuild", "ManageProjectCodedeploy", "ManageProjectCodepipeline", "ManageProjectEcr",
      "ManageProjectEcs", "ManageProjectElasticloadbalancing", "ManageProjectEvents", "ManageProjectLambda", "ManageProjectLogs",
      "ManageProjectSns", "ManageProjectBuckets", "ManageTaggedResources", "TagOnCreate", "ManageProjectKeyAliases",
      "ResourcelessCreates", "ResourcelessActions", "PassConnectionToPipeline", "PassConnectionToPipelineViaCodeconnections",
      "CreateTaggedNetwork", "TagNetworkOnCreate", "ManageTaggedNetwork", "ManageProjectRolesInBoundary", "AttachManagedPoliciesInBoundary",
      "TagProjectRoles", "PassProjectRoles", "CreateServiceLinkedRoles", "DenyOtherProjects", "DenyTasksOnOtherClusters", "DenyProjectTagChanges",
      "DenyProjectTagOutsideCreate", "DenyIdentityRoleChanges", "DenyBoundaryChanges", "DenyOidcProviderChanges", "DenyBoundaryRemoval",
      "DenyRolesOutsideBoundary",
    ]);
  });
});
