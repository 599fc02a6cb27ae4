/**
 * Issue 20's attacks on the deploy role and the boundary, evaluated with their conditions: a small evaluator of
 * the synthesized statements for one request context (the operators the policies use; a key missing from the
 * context fails a positive operator and passes a negated one, as in IAM). Allow needs a matching Allow, and no
 * Deny may match.
 */
import { Testing } from "cdktf";
import { statementsFromDocument } from "../../constructs/policy/iam-statements";
import { actionMatches } from "../../constructs/policy/iam-statements";
import { IamStatement } from "../../constructs/policy/types";
import { Json } from "../helpers/github-state";
import { synthProject, testConfig } from "../helpers/synth";

const ACCOUNT = "123456789012";
type Context = Record<string, string | string[]>;

function statementsOf(json: Json, prefix: string): IamStatement[] {
  const samples: Record<string, string> = { "1": "aws", "3": "eu-west-1", "4": ACCOUNT };
  return Object.entries((json.data?.aws_iam_policy_document ?? {}) as Record<string, Json>)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([, body]) =>
      statementsFromDocument(JSON.parse(JSON.stringify(body).replace(/\$\{element\(split\(\\":\\", [^)]*\), (\d)\)\}/g, (_, n: string) => samples[n])) as Json),
    );
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);

function conditionHolds(test: string, values: readonly string[], actual: string | string[] | undefined): boolean {
  const list = actual === undefined ? [] : Array.isArray(actual) ? actual : [actual];
  const [set, operator] = test.includes(":") ? test.split(":") : ["", test];
  const one = (value: string) => {
    switch (operator) {
      case "StringEquals":
      case "ArnEquals":
        return values.includes(value);
      case "StringLike":
      case "ArnLike":
        return values.some((v) => glob(v).test(value));
      default:
        throw new Error(`operator ${test} not modelled`);
    }
  };
  if (operator === "Null") return (actual === undefined) === (values[0] === "true");
  if (operator === "StringNotEquals") return actual === undefined || !list.some((v) => values.includes(v));
  if (operator === "ArnNotLike") return actual === undefined || !list.some((v) => values.some((p) => glob(p).test(v)));
  if (set === "ForAnyValue") return list.some(one);
  return list.length > 0 && list.every(one);
}

function matches(statement: IamStatement, action: string, resource: string, context: Context): boolean {
  const resourceMatches =
    statement.resources.some((r) => glob(r).test(resource)) || (statement.notResources.length > 0 && !statement.notResources.some((r) => glob(r).test(resource)));
  return (
    statement.actions.some((pattern) => actionMatches(pattern, action)) &&
    resourceMatches &&
    statement.conditions.every((c) => conditionHolds(c.test, c.values, context[c.variable]))
  );
}

function decide(statements: readonly IamStatement[], action: string, resource: string, context: Context = {}): "allow" | "deny" {
  const hit = (effect: string) => statements.some((s) => s.effect === effect && matches(s, action, resource, context));
  return hit("Allow") && !hit("Deny") ? "allow" : "deny";
}

const { stacks } = synthProject(testConfig());
const access = JSON.parse(Testing.synth(stacks.access)) as Json;
const deploy = statementsOf(access, "GithubOidc_DeployRole_").filter((s) => s.principals.length === 0);
const boundary = statementsOf(access, "Boundary_Document");
const at = (service: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:`;
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/demo-workload-boundary`;
const projectTagRequest: Context = { "aws:RequestTag/project": "demo", "aws:TagKeys": ["project"] };

describe("finding 2: the project tag is no way into other teams' resources", () => {
  test("refuses to tag another team's security group into the project, and allows the tag of a create", () => {
    const group = `${at("ec2")}security-group/sg-0123456789abcdef0`;
    expect(decide(deploy, "ec2:CreateTags", group, projectTagRequest)).toBe("deny");
    expect(decide(deploy, "ec2:CreateTags", group, { ...projectTagRequest, "ec2:CreateAction": "CreateSecurityGroup" })).toBe("allow");
  });

  test("refuses to remove or rewrite the project tag of a project resource", () => {
    const group = `${at("ec2")}security-group/sg-0123456789abcdef0`;
    const owned = { "aws:ResourceTag/project": "demo", "aws:TagKeys": ["project"] };
    expect(decide(deploy, "ec2:DeleteTags", group, owned)).toBe("deny");
    expect(decide(deploy, "ec2:CreateTags", group, { ...owned, "aws:RequestTag/project": "other" })).toBe("deny");
    expect(decide(deploy, "ec2:CreateTags", group, { "aws:ResourceTag/project": "demo", "aws:TagKeys": ["Name"], "aws:RequestTag/Name": "x" })).toBe("allow");
  });

  test.each([
    ["codeconnections:TagResource", `${at("codeconnections")}connection/other-team`],
    ["codestar-connections:TagResource", `${at("codestar-connections")}connection/other-team`],
    ["codestar-notifications:TagResource", `${at("codestar-notifications")}notificationrule/other-team`],
  ])("refuses %s into the project on %s", (action, resource) => {
    expect(decide(deploy, action, resource, projectTagRequest)).toBe("deny");
  });

  test("changes connections only while they carry the project tag", () => {
    const connection = `${at("codeconnections")}connection/abc`;
    expect(decide(deploy, "codeconnections:DeleteConnection", connection, { "aws:ResourceTag/project": "demo" })).toBe("allow");
    expect(decide(deploy, "codeconnections:DeleteConnection", connection, {})).toBe("deny");
  });

  test("cannot refuse kms:TagResource of an existing key (KMS checks it, on every key, for the tags of CreateKey): a documented limit", () => {
    expect(decide(deploy, "kms:TagResource", `${at("kms")}key/1234`, projectTagRequest)).toBe("allow");
    expect(decide(deploy, "kms:UntagResource", `${at("kms")}key/1234`, { "aws:ResourceTag/project": "demo", "aws:TagKeys": ["project"] })).toBe("deny");
  });
});

describe("finding 3: tasks and functions stay in the project", () => {
  const taskDefinition = `${at("ecs")}task-definition/demo-prod:7`;
  test.each([
    ["the deploy role", deploy],
    ["the boundary", boundary],
  ])("%s runs the project's task definitions only on its clusters", (_name, statements) => {
    expect(decide(statements, "ecs:RunTask", taskDefinition, { "ecs:cluster": `${at("ecs")}cluster/demo-prod` })).toBe("allow");
    expect(decide(statements, "ecs:RunTask", taskDefinition, { "ecs:cluster": `${at("ecs")}cluster/shared-ec2` })).toBe("deny");
    expect(decide(statements, "ecs:StartTask", taskDefinition, {})).toBe("deny");
  });

  test("a project role's Lambda network interfaces land only in subnets and groups carrying the project tag", () => {
    const subnet = `${at("ec2")}subnet/subnet-0123`;
    expect(decide(boundary, "ec2:CreateNetworkInterface", subnet, { "aws:ResourceTag/project": "demo" })).toBe("allow");
    expect(decide(boundary, "ec2:CreateNetworkInterface", subnet, { "aws:ResourceTag/project": "other" })).toBe("deny");
    expect(decide(boundary, "ec2:CreateNetworkInterface", `${at("ec2")}security-group/sg-1`, {})).toBe("deny");
    expect(decide(boundary, "ec2:CreateNetworkInterface", `${at("ec2")}network-interface/*`, {})).toBe("allow");
  });

  test("the boundary allows no ENI action on `*`", () => {
    for (const action of ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]) {
      expect(boundary.filter((s) => s.effect === "Allow" && s.resources.includes("*") && s.actions.some((a) => actionMatches(a, action)))).toEqual([]);
    }
  });
});

describe("finding 7: no project role gets a policy beyond those the stacks use", () => {
  const role = `arn:aws:iam::${ACCOUNT}:role/demo-x`;
  test.each([
    ["arn:aws:iam::aws:policy/AWSCodeDeployRoleForECSLimited", "allow"],
    ["arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers", "allow"],
    ["arn:aws:iam::aws:policy/AdministratorAccess", "deny"],
    [`arn:aws:iam::${ACCOUNT}:policy/demo-deploy-resources`, "deny"],
  ])("AttachRolePolicy of %s: %s", (policyArn, expected) => {
    expect(decide(deploy, "iam:AttachRolePolicy", role, { "iam:PermissionsBoundary": BOUNDARY_ARN, "iam:PolicyARN": policyArn })).toBe(expected);
  });
});

describe("finding 8: names and accounts", () => {
  test("writes the project's buckets in this account only", () => {
    expect(decide(deploy, "s3:PutObject", "arn:aws:s3:::demo-artifacts-x/a", { "aws:ResourceAccount": ACCOUNT })).toBe("allow");
    expect(decide(deploy, "s3:PutObject", "arn:aws:s3:::demo-artifacts-x/a", { "aws:ResourceAccount": "999999999999" })).toBe("deny");
    expect(decide(boundary, "s3:PutObject", "arn:aws:s3:::demo-artifacts-x/a", { "aws:ResourceAccount": "999999999999" })).toBe("deny");
  });

  test.each([
    ["ecs:UpdateService", `${at("ecs")}service/demo-api-prod/demo-api-prod`],
    ["lambda:UpdateFunctionCode", `${at("lambda")}function:demo-api-prod-deployed-image-tag`],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/demo-api-prod-task`],
    ["codepipeline:PutApprovalResult", `${at("codepipeline")}demo-api/Approve-prod/Approve`],
  ])("a project named demo-api (a longer name in demo's scope) is out of reach: %s on %s", (action, resource) => {
    const context = { "aws:ResourceTag/project": "demo-api", "iam:PermissionsBoundary": BOUNDARY_ARN };
    expect(decide(deploy, action, resource, { ...context, "aws:ResourceTag/project": "demo" })).toBe("allow");
    expect(decide(deploy, action, resource, context)).toBe("deny");
    expect(decide(boundary, action, resource, context)).toBe("deny");
  });
});
