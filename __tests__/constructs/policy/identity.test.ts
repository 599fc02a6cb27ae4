import { BranchProtection } from "@cdktf/provider-github/lib/branch-protection";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { address, policyStack, roleWithPolicy, violatingAddresses, violationsOf } from "../../helpers/policy";

const ACCOUNT = "111111111111";
const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/demo-workload-boundary`;
const PROJECT_ROLES = `arn:aws:iam::${ACCOUNT}:role/demo-*`;
const GITHUB = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const boundaryCondition = { test: "StringEquals", variable: "iam:PermissionsBoundary", values: [BOUNDARY] };

/** A GitHub OIDC trust for a subject. */
function githubTrust(subject: string) {
  return [
    {
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: [GITHUB] }],
      condition: [
        { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: ["sts.amazonaws.com"] },
        { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: [subject] },
      ],
    },
  ];
}

describe("BG-IAM-009 role management only inside a permissions boundary", () => {
  test("passes when role changes carry the boundary condition", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deployer", [
      { sid: "Roles", actions: ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"], resources: [PROJECT_ROLES], condition: [boundaryCondition] },
    ]);
    expect(violatingAddresses(stack, "BG-IAM-009")).toEqual([]);
  });

  test("flags role changes without the condition, a wildcard boundary, and any DeleteRolePermissionsBoundary", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Deployer", [
      { sid: "Roles", actions: ["iam:Put*", "iam:CreateRole"], resources: [PROJECT_ROLES] },
      { sid: "Loose", actions: ["iam:AttachRolePolicy"], resources: [PROJECT_ROLES], condition: [{ ...boundaryCondition, values: ["arn:aws:iam::*:policy/*"] }] },
      { sid: "Remove", actions: ["iam:DeleteRolePermissionsBoundary"], resources: [PROJECT_ROLES], condition: [boundaryCondition] },
    ]);
    expect(violationsOf(stack, "BG-IAM-009").map((v) => [v.address, v.message])).toEqual([
      [address(policy), 'statement "Roles" allows iam:CreateRole, iam:PutRolePolicy, iam:PutRolePermissionsBoundary without an iam:PermissionsBoundary condition'],
      [address(policy), 'statement "Loose" allows iam:AttachRolePolicy without an iam:PermissionsBoundary condition'],
      [address(policy), 'statement "Remove" allows iam:DeleteRolePermissionsBoundary (removing a boundary escapes it)'],
    ]);
  });
});

describe("BG-IAM-010 every project role carries the permissions boundary", () => {
  test("passes when the role has a boundary, and in the access stack", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Task", []);
    role.permissionsBoundary = BOUNDARY;
    expect(violatingAddresses(stack, "BG-IAM-010")).toEqual([]);
    const access = policyStack("access");
    roleWithPolicy(access, "Deploy", []);
    expect(violatingAddresses(access, "BG-IAM-010", { identity: true })).toEqual([]);
  });

  test("flags a role without one", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Task", []);
    expect(violationsOf(stack, "BG-IAM-010").map((v) => [v.address, v.message])).toEqual([[address(role), "has no permissions_boundary"]]);
  });
});

describe("BG-IAM-011 no role may change itself", () => {
  test("passes when an unconditional deny takes its own role away from a prefix grant", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "demo-github-deploy", [
      { sid: "Roles", actions: ["iam:PutRolePolicy", "iam:TagRole"], resources: [PROJECT_ROLES], condition: [boundaryCondition] },
      { sid: "NotMe", effect: "Deny", actions: ["iam:PutRolePolicy", "iam:TagRole"], resources: [`arn:aws:iam::${ACCOUNT}:role/demo-github-deploy`] },
    ]);
    expect(violatingAddresses(stack, "BG-IAM-011")).toEqual([]);
  });

  test("flags a prefix grant that matches the role's own name", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "demo-github-deploy", [
      { sid: "Roles", actions: ["iam:PutRolePolicy", "iam:GetRole", "iam:PassRole"], resources: [PROJECT_ROLES] },
      { sid: "Partial", effect: "Deny", actions: ["iam:AttachRolePolicy"], resources: [`arn:aws:iam::${ACCOUNT}:role/demo-github-deploy`] },
    ]);
    expect(violationsOf(stack, "BG-IAM-011").map((v) => [v.address, v.message])).toEqual([
      [address(policy), `statement "Roles" lets role demo-github-deploy iam:PutRolePolicy on itself (${PROJECT_ROLES})`],
    ]);
  });
});

describe("BG-IAM-012 write roles trust a protected GitHub environment, not a branch", () => {
  test("passes for a write role trusted by an environment, and a read-only role trusted by a branch", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deploy", [{ sid: "Write", actions: ["ecs:UpdateService"], resources: ["arn:aws:ecs:eu-west-1:111111111111:service/demo/*"] }], githubTrust("repo:acme/infra:environment:production"));
    const { role } = roleWithPolicy(stack, "Reader", [{ sid: "Read", actions: ["ecs:DescribeServices"], resources: ["*"] }], githubTrust("repo:acme/infra:ref:refs/heads/main"));
    new IamRolePolicyAttachment(stack, "ReadOnly", { role: role.name, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    expect(violatingAddresses(stack, "BG-IAM-012")).toEqual([]);
  });

  test("flags a write role trusted by a branch ref, through its inline policy or a managed policy", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "Deploy", [{ sid: "Write", actions: ["ecs:UpdateService"], resources: ["*"] }], githubTrust("repo:acme/infra:ref:refs/heads/main"));
    const admin = roleWithPolicy(stack, "Admin", [], githubTrust("repo:acme/infra:ref:refs/heads/main"));
    new IamRolePolicyAttachment(stack, "PowerUser", { role: admin.role.name, policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
    expect(violationsOf(stack, "BG-IAM-012").map((v) => [v.address, v.message])).toEqual([
      [address(admin.role), "statement #1 trusts repo:acme/infra:ref:refs/heads/main and the role can write (arn:aws:iam::aws:policy/PowerUserAccess)"],
      [address(role), "statement #1 trusts repo:acme/infra:ref:refs/heads/main and the role can write (ecs:UpdateService)"],
    ]);
  });
});

describe("BG-IAM-013 CodeDeploy's ECS role uses the Limited managed policy", () => {
  test("passes with AWSCodeDeployRoleForECSLimited", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "CodeDeploy", []);
    new IamRolePolicyAttachment(stack, "Limited", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited" });
    expect(violatingAddresses(stack, "BG-IAM-013")).toEqual([]);
  });

  test("flags AWSCodeDeployRoleForECS", () => {
    const stack = policyStack();
    const { role } = roleWithPolicy(stack, "CodeDeploy", []);
    const full = new IamRolePolicyAttachment(stack, "Full", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS" });
    expect(violationsOf(stack, "BG-IAM-013").map((v) => [v.address, v.message])).toEqual([[address(full), "attaches AWSCodeDeployRoleForECS"]]);
  });
});

describe("BG-IAM-014 service trusts carry a source condition", () => {
  test("passes with aws:SourceAccount, and for Lambda (which sends no source context)", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Pipeline", [], [
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["codepipeline.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [ACCOUNT] }],
      },
    ]);
    roleWithPolicy(stack, "Hook", [], [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }]);
    expect(violatingAddresses(stack, "BG-IAM-014")).toEqual([]);
  });

  test("flags a service trust without one, or with a wildcard value", () => {
    const stack = policyStack();
    const bare = roleWithPolicy(stack, "Tasks", []);
    const wild = roleWithPolicy(stack, "Events", [], [
      {
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["events.amazonaws.com"] }],
        condition: [{ test: "StringLike", variable: "aws:SourceAccount", values: ["*"] }],
      },
    ]);
    expect(violationsOf(stack, "BG-IAM-014").map((v) => [v.address, v.message])).toEqual([
      [address(wild.role), "statement #1 trusts events.amazonaws.com without aws:SourceAccount or aws:SourceArn"],
      [address(bare.role), "statement #1 trusts ecs-tasks.amazonaws.com without aws:SourceAccount or aws:SourceArn"],
    ]);
  });
});

describe("BG-IAM-015 no write on every resource of a service in the region", () => {
  test("passes for name-prefixed ARNs, tag-conditioned region-wide ARNs and region-wide reads", () => {
    const stack = policyStack();
    roleWithPolicy(stack, "Deployer", [
      { sid: "Named", actions: ["lambda:*"], resources: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:CodeDeployHook_demo-*`] },
      { sid: "Pipeline", actions: ["codepipeline:*"], resources: [`arn:aws:codepipeline:eu-west-1:${ACCOUNT}:demo/*`] },
      { sid: "Tagged", actions: ["ec2:DeleteVpc"], resources: [`arn:aws:ec2:eu-west-1:${ACCOUNT}:*`], condition: [{ test: "StringEquals", variable: "aws:ResourceTag/project", values: ["demo"] }] },
      { sid: "Read", actions: ["ecs:DescribeServices", "ecs:ListServices"], resources: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:*`] },
    ]);
    expect(violatingAddresses(stack, "BG-IAM-015")).toEqual([]);
  });

  test("flags writes on region-wide ARNs and on every resource of a type", () => {
    const stack = policyStack();
    const { policy } = roleWithPolicy(stack, "Deployer", [
      { sid: "AllLambda", actions: ["lambda:UpdateFunctionCode"], resources: [`arn:aws:lambda:eu-west-1:${ACCOUNT}:*`] },
      { sid: "AllKeys", actions: ["kms:PutKeyPolicy"], resources: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`] },
    ]);
    expect(violationsOf(stack, "BG-IAM-015").map((v) => [v.address, v.message])).toEqual([
      [address(policy), `statement "AllLambda" writes on arn:aws:lambda:eu-west-1:${ACCOUNT}:* without a project tag condition`],
      [address(policy), `statement "AllKeys" writes on arn:aws:kms:eu-west-1:${ACCOUNT}:key/* without a project tag condition`],
    ]);
  });
});

describe("BG-GH-001 branch protection binds administrators", () => {
  function protection(enforceAdmins: boolean) {
    const stack = policyStack();
    new GithubProvider(stack, "github", { owner: "acme" });
    const resource = new BranchProtection(stack, "Protection", { repositoryId: "web", pattern: "main", enforceAdmins });
    return { stack, resource };
  }

  test("passes with enforce_admins = true", () => {
    expect(violatingAddresses(protection(true).stack, "BG-GH-001")).toEqual([]);
  });

  test("flags enforce_admins = false", () => {
    const { stack, resource } = protection(false);
    expect(violationsOf(stack, "BG-GH-001").map((v) => [v.address, v.message])).toEqual([[address(resource), "does not set enforce_admins = true"]]);
  });
});
