import { testConfig, synthProject, TerraformJson } from "../helpers/synth";
import { deepFreeze, once } from "../helpers/shared";

/** The AWS stack composes one blue/green runtime per environment from the config; constructs are tested on their own. */

/** The default config's project, synthesized once and shared by the tests that read it. */
const defaultProject = once(() => {
  const { stacks, aws } = synthProject(testConfig());
  return { stacks, aws: deepFreeze(aws) };
});

function ofType(json: TerraformJson, type: string): [string, Record<string, unknown>][] {
  return Object.entries(json.resource[type] ?? {});
}

/** The CodeDeploy smoke-test hooks (the other functions tag deployed images). */
function smokeTests(json: TerraformJson): [string, Record<string, unknown>][] {
  return ofType(json, "aws_lambda_function").filter(([, f]) => String(f.function_name).startsWith("CodeDeployHook_"));
}

function named(json: TerraformJson, type: string, prefix: string): Record<string, unknown> {
  const match = ofType(json, type).find(([key]) => key.startsWith(prefix));
  if (!match) throw new Error(`no ${type} under ${prefix}`);
  return match[1];
}

describe("AwsDeliveryStack", () => {
  test("creates one CODE_DEPLOY service and one deployment group per environment", () => {
    // GIVEN two environments WHEN synthesized
    const { aws } = defaultProject();
    // THEN each has its own service and group named after it
    for (const env of ["Staging", "Prod"]) {
      const service = named(aws, "aws_ecs_service", `Env${env}_`);
      expect(service.name).toBe(`demo-${env.toLowerCase()}`);
      expect(service.deployment_controller).toEqual({ type: "CODE_DEPLOY" });
      expect(named(aws, "aws_codedeploy_deployment_group", `Env${env}_`).deployment_group_name).toBe(`demo-${env.toLowerCase()}`);
    }
    expect(ofType(aws, "aws_ecs_service")).toHaveLength(2);
  });

  test("shares one ECR repository and one CodeDeploy application across environments", () => {
    const { aws } = defaultProject();
    expect(ofType(aws, "aws_ecr_repository")).toHaveLength(1);
    expect(ofType(aws, "aws_codedeploy_app").map(([, app]) => app)).toEqual([
      expect.objectContaining({ name: "demo", compute_platform: "ECS" }),
    ]);
  });

  test("lets every execution role pull from the repository", () => {
    const { aws } = defaultProject();
    const documents = Object.entries(aws.data?.aws_iam_policy_document ?? {}).filter(([key]) => key.includes("ExecutionRole_Permissions"));
    expect(documents).toHaveLength(2);
    for (const [, document] of documents) {
      const statements = document.statement as { actions: string[]; resources: string[] }[];
      expect(statements).toContainEqual(
        expect.objectContaining({ actions: expect.arrayContaining(["ecr:BatchGetImage"]), resources: ["${aws_ecr_repository.Repository_7817FAF0.arn}"] }),
      );
    }
  });

  test("applies an environment's desiredCount override only to that environment", () => {
    const config = testConfig({ environments: [{ name: "staging" }, { name: "prod", desiredCount: 6 }] });
    const { aws } = synthProject(config);
    expect(named(aws, "aws_ecs_service", "EnvStaging_").desired_count).toBe(2);
    expect(named(aws, "aws_ecs_service", "EnvProd_").desired_count).toBe(6);
  });

  test("adds the smoke-test hook by default when the network has NAT egress", () => {
    const { aws } = defaultProject();
    expect(smokeTests(aws)).toHaveLength(2);
  });

  test("tags what each environment runs after its deployments, and protects those tags in the lifecycle policy", () => {
    const { aws } = defaultProject();
    expect(ofType(aws, "aws_lambda_function").map(([, f]) => f.function_name).filter((n) => !String(n).startsWith("CodeDeployHook_"))).toEqual([
      "demo-prod-deployed-image-tag",
      "demo-staging-deployed-image-tag",
    ]);
    const [[, lifecycle]] = ofType(aws, "aws_ecr_lifecycle_policy");
    const patterns = (JSON.parse(lifecycle.policy as string) as { rules: { selection: { tagPatternList?: string[] } }[] }).rules.map(
      (r) => r.selection.tagPatternList,
    );
    expect(patterns).toEqual([undefined, ["deployed_prod_*"], ["deployed_staging_*"], ["*"]]);
  });

  test("leaves the smoke-test hook out when tasks have no NAT (natGateways none)", () => {
    const { aws } = synthProject(testConfig({ network: { mode: "new", natGateways: "none" } }));
    expect(smokeTests(aws)).toHaveLength(0);
    expect(ofType(aws, "aws_nat_gateway")).toHaveLength(0);
  });

  test("honours an explicit smokeTest: false", () => {
    const { aws } = synthProject(testConfig({ environments: [{ name: "prod", smokeTest: false }] }));
    expect(smokeTests(aws)).toHaveLength(0);
  });

  test("uses an environment's own network instead of the top-level one", () => {
    const config = testConfig({
      environments: [
        { name: "staging" },
        {
          name: "prod",
          network: {
            mode: "existing",
            vpcId: "vpc-0123456789abcdef0",
            vpcCidr: "10.9.0.0/16",
            publicSubnetIds: ["subnet-00000000000000001", "subnet-00000000000000002"],
            privateSubnetIds: ["subnet-00000000000000011", "subnet-00000000000000012"],
          },
        },
      ],
    });
    const { aws } = synthProject(config);
    expect(ofType(aws, "aws_vpc")).toHaveLength(1);
    const prodService = named(aws, "aws_ecs_service", "EnvProd_");
    expect((prodService.network_configuration as { subnets: string[] }).subnets).toEqual([
      "subnet-00000000000000011",
      "subnet-00000000000000012",
    ]);
  });

  test("keeps prevent_destroy on environment log groups unless the environment opts out", () => {
    const config = testConfig({ environments: [{ name: "dev", allowDestroy: true }, { name: "prod" }] });
    const { aws } = synthProject(config);
    const lifecycle = (prefix: string) =>
      (named(aws, "aws_cloudwatch_log_group", `${prefix}_Service_LogGroup`).lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy;
    expect(lifecycle("EnvDev")).toBeFalsy();
    expect(lifecycle("EnvProd")).toBe(true);
  });

  test("turns the prod listener into HTTPS with an HTTP redirect when a certificate is configured", () => {
    const certificateArn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b7f3a52-6d0e-4f0e-9b43-5b1d0c1e2a11";
    const { aws } = synthProject(testConfig({ environments: [{ name: "prod", certificateArn }] }));
    const listeners = ofType(aws, "aws_lb_listener").map(([, l]) => l);
    expect(listeners).toContainEqual(expect.objectContaining({ port: 443, protocol: "HTTPS", certificate_arn: certificateArn }));
    expect(listeners).toContainEqual(
      expect.objectContaining({ port: 80, default_action: [expect.objectContaining({ type: "redirect" })] }),
    );
  });

  test("tags every resource through the provider's default tags", () => {
    const { aws } = synthProject(testConfig({ tags: { team: "payments" } }));
    const provider = (aws as unknown as { provider: { aws: { default_tags: { tags: Record<string, string> }[] }[] } }).provider.aws[0];
    expect(provider.default_tags[0].tags).toEqual({ project: "demo", "managed-by": "cdktf", team: "payments" });
  });
});

describe("AwsDeliveryStack outputs", () => {
  test("prints the exact command that starts the pipeline", () => {
    const { aws } = synthProject(testConfig());
    const outputs = (aws as unknown as { output: Record<string, { value: string }> }).output;
    expect(outputs.StartPipelineCommand.value).toBe(
      "aws codepipeline start-pipeline-execution --name ${aws_codepipeline.Delivery_Pipeline_F72ADE24.name} --region eu-west-1",
    );
  });
});
