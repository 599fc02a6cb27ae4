/**
 * Every name the project generates stays inside the project's IAM scopes (`<project>-*`, or the fixed prefixes the
 * deploy policy and the boundary list), for the longest project and environment names the schema allows, under
 * both deploy strategies. Issue 18 found `catalog-blue-green01` (20 characters) giving a target group outside them.
 */
import { synthProject, testConfig, TerraformJson } from "../helpers/synth";

const PROJECT = "catalog-blue-green01"; // 20 characters, the schema's maximum
const ENVIRONMENTS = ["staging-euw1", "production12"]; // 12 characters, the maximum

/** Resource type -> the argument holding its name, and the prefixes a name may start with. */
function scopes(project: string): Record<string, { key: string; prefixes: string[] }> {
  const own = [`${project}-`];
  return {
    aws_lb: { key: "name", prefixes: own },
    aws_lb_target_group: { key: "name", prefixes: own },
    aws_iam_role: { key: "name", prefixes: own },
    aws_codebuild_project: { key: "name", prefixes: own },
    aws_cloudwatch_metric_alarm: { key: "alarm_name", prefixes: own },
    aws_ecs_cluster: { key: "name", prefixes: own },
    aws_ecs_service: { key: "name", prefixes: own },
    aws_ecs_task_definition: { key: "family", prefixes: own },
    aws_cloudwatch_event_rule: { key: "name", prefixes: own },
    aws_lambda_function: { key: "function_name", prefixes: [`CodeDeployHook_${project}-`, ...own] },
    aws_codedeploy_deployment_group: { key: "deployment_group_name", prefixes: own },
    aws_codedeploy_deployment_config: { key: "deployment_config_name", prefixes: own },
    aws_sns_topic: { key: "name", prefixes: own },
    aws_s3_bucket: { key: "bucket_prefix", prefixes: own },
    aws_cloudwatch_log_group: {
      key: "name",
      prefixes: [`/ecs/${project}-`, `/aws/codebuild/${project}-`, `/aws/lambda/CodeDeployHook_${project}-`, `/aws/lambda/${project}-`],
    },
  };
}

function outsideScopes(json: TerraformJson, project: string): string[] {
  const problems: string[] = [];
  for (const [type, { key, prefixes }] of Object.entries(scopes(project))) {
    for (const [id, block] of Object.entries(json.resource[type] ?? {})) {
      const name = block[key];
      if (typeof name !== "string") continue;
      // `<project>-*` or the project's own name (the deploy policy's `named()` scopes list both).
      if (!prefixes.some((prefix) => name.startsWith(prefix) || name === prefix.slice(0, -1))) problems.push(`${type}.${id}: ${key} = ${name}`);
    }
  }
  return problems;
}

describe("generated names and the project's IAM scopes", () => {
  test.each([
    ["codedeploy", {}],
    ["ecs", { strategy: "ecs" }],
  ])("with the longest project and environment names, every %s name starts with the project", (_strategy, deploy) => {
    const config = testConfig({
      project: PROJECT,
      environments: ENVIRONMENTS.map((name) => ({ name, ...deploy })),
      state: { backend: "s3", bucket: "acme-catalog-tfstate" },
    });
    const { aws } = synthProject(config);
    expect(Object.keys(aws.resource.aws_lb_target_group ?? {})).toHaveLength(4);
    expect(outsideScopes(aws, PROJECT)).toEqual([]);
  });

  test("finds a name outside the scopes (the check can fail)", () => {
    const json = { resource: { aws_lb_target_group: { X: { name: "catalog-blue-green0-491c8a-green" } } } } as unknown as TerraformJson;
    expect(outsideScopes(json, PROJECT)).toEqual(["aws_lb_target_group.X: name = catalog-blue-green0-491c8a-green"]);
  });
});
