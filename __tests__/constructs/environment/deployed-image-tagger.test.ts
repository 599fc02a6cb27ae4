import { Construct } from "constructs";
import { createHandler, deployedTag, parseImage, TaggerAws } from "../../../constructs/assets/deployed-image-tag/index";
import { DEPLOYED_TAG_PREFIX } from "../../../constructs/delivery/build/container-repository";
import { DeployedImageTagger } from "../../../constructs/environment/deployed-image-tagger";
import { pipelineStack, ref, roleStatements } from "../../helpers/pipeline";
import { resourceById, TfBlock } from "../../helpers/runtime";
import { deepFreeze, once } from "../../helpers/shared";

/** The pipeline stack's repository and prod deployment, with prod's tagger; synthesized once. */
const tagged = once(() => {
  const built = pipelineStack();
  const prod = built.runtimes[1].runtime;
  const tagger = new DeployedImageTagger(prod, "DeployedImageTag", { name: "demo-prod", environmentName: "prod", repository: built.repository, deployment: prod.deployment });
  return { ...built, tagger, json: deepFreeze(built.json()) };
});

describe("DeployedImageTagger", () => {
  test("grants exactly: its logs, describing this service, describing task definitions, re-tagging in this repository", () => {
    const { json } = tagged();
    const logs = ref(json, "aws_cloudwatch_log_group", "EnvProd_DeployedImageTag_LogGroup", "arn");
    expect(roleStatements(json, "EnvProd_DeployedImageTag_Role")).toEqual([
      { sid: "WriteTaggerLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logs}:*`] },
      { sid: "DescribeService", effect: "Allow", actions: ["ecs:DescribeServices"], resources: [ref(json, "aws_ecs_service", "EnvProd_Service", "id")] },
      { sid: "DescribeTaskDefinition", effect: "Allow", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
      { sid: "TagDeployedImage", effect: "Allow", actions: ["ecr:BatchGetImage", "ecr:PutImage"], resources: [ref(json, "aws_ecr_repository", "Repository", "arn")] },
    ]);
  });

  test("runs on every successful deployment of this environment's deployment group, and only that", () => {
    const { json, tagger } = tagged();
    const rule = resourceById(json, "aws_cloudwatch_event_rule", "Rule") as TfBlock;
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ["aws.codedeploy"],
      "detail-type": ["CodeDeploy Deployment State-change Notification"],
      detail: {
        state: ["SUCCESS"],
        application: [ref(json, "aws_codedeploy_app", "DeployApplication", "name")],
        deploymentGroup: ["demo-prod"],
      },
    });
    expect(tagger.eventPattern).toHaveProperty("detail.state", ["SUCCESS"]);
  });

  test("lets only that rule invoke the function", () => {
    const { json } = tagged();
    expect(resourceById(json, "aws_lambda_permission", "Permission")).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      source_arn: ref(json, "aws_cloudwatch_event_rule", "EnvProd_DeployedImageTag_Rule", "arn"),
      function_name: ref(json, "aws_lambda_function", "EnvProd_DeployedImageTag_Function", "function_name"),
    });
    expect(resourceById(json, "aws_cloudwatch_event_target", "Target")).toMatchObject({
      arn: ref(json, "aws_lambda_function", "EnvProd_DeployedImageTag_Function", "arn"),
    });
  });

  test("tells the function the cluster, service, container, repository and environment", () => {
    const { json } = tagged();
    const fn = Object.entries(json.resource?.aws_lambda_function ?? {}).find(([key]) => key.startsWith("EnvProd_DeployedImageTag_"))?.[1] as TfBlock;
    expect((fn.environment as { variables: Record<string, string> }).variables).toEqual({
      CLUSTER: ref(json, "aws_ecs_cluster", "EnvProd_Cluster", "arn"),
      SERVICE: ref(json, "aws_ecs_service", "EnvProd_Service", "name"),
      CONTAINER_NAME: "app",
      REPOSITORY_NAME: ref(json, "aws_ecr_repository", "Repository", "name"),
      ENVIRONMENT: "prod",
    });
    expect(fn).toMatchObject({ function_name: "demo-prod-deployed-image-tag", runtime: "nodejs22.x", handler: "index.handler" });
    expect(fn).not.toHaveProperty("vpc_config");
  });

  test("adds the environment's rule to the repository's lifecycle policy", () => {
    const { json } = tagged();
    const policy = JSON.parse(resourceById(json, "aws_ecr_lifecycle_policy", "LifecyclePolicy").policy as string) as { rules: { selection: TfBlock }[] };
    expect(policy.rules.map((r) => r.selection.tagPatternList)).toEqual([undefined, [`${DEPLOYED_TAG_PREFIX}prod_*`], ["*"]]);
  });

  test("fails when one environment's deployments are tagged twice", () => {
    const { stack, repository, runtimes } = pipelineStack();
    const prod = runtimes[1].runtime;
    const props = { name: "demo-prod", environmentName: "prod", repository, deployment: prod.deployment };
    new DeployedImageTagger(prod, "DeployedImageTag", props);
    expect(() => new DeployedImageTagger(new Construct(stack, "Other"), "DeployedImageTag", props)).toThrow(
      'deployed images of environment "prod" are kept twice',
    );
  });
});

describe("the tagger function", () => {
  const REPO = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo";
  const config = { cluster: "arn:aws:ecs:eu-west-1:123456789012:cluster/demo-prod", service: "demo-prod", containerName: "app", repositoryName: "demo", environment: "prod" };
  const success = { detail: { state: "SUCCESS", deploymentId: "d-ABC123", deploymentGroup: "demo-prod", application: "demo" } };

  function fakeAws(image: string, putError?: Error) {
    const calls: [string, unknown][] = [];
    const aws: TaggerAws = {
      describeServices: async (input) => {
        calls.push(["describeServices", input]);
        return {
          services: [
            {
              taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:1",
              taskSets: [
                { status: "ACTIVE", taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:6" },
                { status: "PRIMARY", taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:7" },
              ],
            },
          ],
        };
      },
      describeTaskDefinition: async (input) => {
        calls.push(["describeTaskDefinition", input]);
        return { taskDefinition: { containerDefinitions: [{ name: "log-router", image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable" }, { name: "app", image }] } };
      },
      batchGetImage: async (input) => {
        calls.push(["batchGetImage", input]);
        return { images: [{ imageId: { imageDigest: `sha256:${"b".repeat(64)}` }, imageManifest: "{manifest}", imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json" }] };
      },
      putImage: async (input) => {
        calls.push(["putImage", input]);
        if (putError) throw putError;
        return {};
      },
    };
    return { aws, calls };
  }

  test("tags after an ECS-native blue/green deployment completed (ECS's SERVICE_DEPLOYMENT_COMPLETED event)", async () => {
    const { aws } = fakeAws(`${REPO}:0123456789ab`);
    const completed = { detail: { eventType: "INFO", eventName: "SERVICE_DEPLOYMENT_COMPLETED", deploymentId: "ecs-svc/123" } };
    expect(await createHandler({ config, aws, log: () => undefined })(completed)).toEqual({ tagged: true, tag: "deployed_prod_0123456789ab" });
    const failed = { detail: { eventType: "ERROR", eventName: "SERVICE_DEPLOYMENT_FAILED" } };
    expect(await createHandler({ config, aws, log: () => undefined })(failed)).toEqual({ tagged: false, reason: "deployment state SERVICE_DEPLOYMENT_FAILED" });
  });

  test("tags the image the PRIMARY task set runs as deployed_<environment>_<tag>, with its own manifest", async () => {
    const { aws, calls } = fakeAws(`${REPO}:0123456789ab`);
    const result = await createHandler({ config, aws, log: () => undefined })(success);
    expect(result).toEqual({ tagged: true, tag: "deployed_prod_0123456789ab" });
    expect(calls).toEqual([
      ["describeServices", { cluster: config.cluster, services: ["demo-prod"] }],
      ["describeTaskDefinition", { taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-prod:7" }],
      ["batchGetImage", { repositoryName: "demo", imageIds: [{ imageTag: "0123456789ab" }] }],
      [
        "putImage",
        {
          repositoryName: "demo",
          imageTag: "deployed_prod_0123456789ab",
          imageManifest: "{manifest}",
          imageManifestMediaType: "application/vnd.oci.image.manifest.v1+json",
          imageDigest: `sha256:${"b".repeat(64)}`,
        },
      ],
    ]);
  });

  test("treats a tag that already names the image (a retried event, a rollback) as done", async () => {
    const exists = Object.assign(new Error("exists"), { name: "ImageAlreadyExistsException" });
    const { aws } = fakeAws(`${REPO}:0123456789ab`, exists);
    expect(await createHandler({ config, aws, log: () => undefined })(success)).toEqual({ tagged: false, reason: "already tagged", tag: "deployed_prod_0123456789ab" });
  });

  test("fails loudly on any other ECR error, so the invocation is retried and logged", async () => {
    const { aws } = fakeAws(`${REPO}:0123456789ab`, Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(createHandler({ config, aws, log: () => undefined })(success)).rejects.toThrow("denied");
  });

  test("leaves the bootstrap image alone (not this repository)", async () => {
    const { aws, calls } = fakeAws("public.ecr.aws/docker/library/busybox@sha256:" + "7".repeat(64));
    expect(await createHandler({ config, aws, log: () => undefined })(success)).toEqual({ tagged: false, reason: "not this repository" });
    expect(calls.map(([name]) => name)).toEqual(["describeServices", "describeTaskDefinition"]);
  });

  test("ignores anything but a successful deployment", async () => {
    const { aws, calls } = fakeAws(`${REPO}:0123456789ab`);
    expect(await createHandler({ config, aws })({ detail: { state: "FAILURE" } })).toEqual({ tagged: false, reason: "deployment state FAILURE" });
    expect(calls).toEqual([]);
  });

  test("parses tag and digest references, and names digest-only images by their digest", () => {
    expect(parseImage(`${REPO}:0123456789ab`)).toEqual({ repositoryName: "demo", tag: "0123456789ab" });
    expect(parseImage(`${REPO}@sha256:${"c".repeat(64)}`)).toEqual({ repositoryName: "demo", digest: `sha256:${"c".repeat(64)}` });
    expect(parseImage(`${REPO}`)).toBeUndefined();
    expect(deployedTag("prod", { repositoryName: "demo", digest: `sha256:${"c".repeat(64)}` })).toBe("deployed_prod_sha256-cccccccccccc");
  });
});
