import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import {
  BUILD_IMAGE,
  DEFAULT_BUILDSPEC_PATH,
  DEPLOY_SCRIPTS_BUILD_PATH,
  DEPLOY_SCRIPTS_DIR,
  escapeTerraformTemplate,
  ImageBuild,
  withDeployScripts,
} from "../../../../constructs/delivery/build/image-build";
import { pipelineStack, ref, roleStatements } from "../../../helpers/pipeline";
import { resourceById, TfBlock } from "../../../helpers/runtime";
import { deepFreeze, once } from "../../../helpers/shared";

/** The default pipeline stack, synthesized once and shared by the tests that read it. */
const project = once(() => {
  const built = pipelineStack();
  const json = deepFreeze(built.json());
  return { ...built, json, project: resourceById(json, "aws_codebuild_project", "Project") };
});

type EnvVar = { name: string; value: string };
const envVar = (p: TfBlock, name: string) => ((p.environment as { environment_variable: EnvVar[] }).environment_variable.find((v) => v.name === name) as EnvVar).value;

describe("ImageBuild", () => {
  test("builds on the Amazon Linux 2 standard 5.0 image, privileged for Docker", () => {
    const { project: p } = project();
    expect(p.environment).toMatchObject({
      type: "LINUX_CONTAINER",
      image: BUILD_IMAGE,
      compute_type: "BUILD_GENERAL1_SMALL",
      privileged_mode: true,
      image_pull_credentials_type: "CODEBUILD",
    });
    expect(BUILD_IMAGE).toBe("aws/codebuild/amazonlinux2-x86_64-standard:5.0");
  });

  test("runs from the pipeline with the buildspec inlined from constructs/assets/deploy-files/buildspec.yml", () => {
    const { project: p } = project();
    expect(p.source).toMatchObject({ type: "CODEPIPELINE" });
    expect(p.artifacts).toEqual({ type: "CODEPIPELINE" });
    expect((p.source as { buildspec: string }).buildspec).toContain("version: 0.2");
  });

  test("escapes the buildspec's shell expansions so Terraform passes them through", () => {
    const { project: p } = project();
    const buildspec = (p.source as { buildspec: string }).buildspec;
    expect(buildspec).toContain('COMMIT="$${COMMIT_ID:-$CODEBUILD_RESOLVED_SOURCE_VERSION}"');
    expect(buildspec).not.toMatch(/(^|[^$])\$\{/);
  });

  test("escapeTerraformTemplate escapes interpolations and directives only", () => {
    expect(escapeTerraformTemplate("a ${B} %{if} $C")).toBe("a $${B} %%{if} $C");
  });

  test("encrypts its artifacts with the artifact store's key", () => {
    const { project: p, json } = project();
    expect(p.encryption_key).toBe(ref(json, "aws_kms_key", "Delivery_Artifacts_Key", "arn"));
  });

  test("caches Docker layers locally (the repository's tags are immutable: no registry cache tag)", () => {
    const { project: p } = project();
    expect(p.cache).toEqual({ type: "LOCAL", modes: ["LOCAL_DOCKER_LAYER_CACHE"] });
  });

  test("logs to its own log group with 30 days retention", () => {
    const { project: p, json } = project();
    const group = Object.entries(json.resource?.aws_cloudwatch_log_group ?? {}).find(([key]) => key.startsWith("Delivery_Build_LogGroup"))?.[1];
    expect(group).toMatchObject({ name: "/aws/codebuild/demo", retention_in_days: 30 });
    expect(p.logs_config).toEqual({
      cloudwatch_logs: { status: "ENABLED", group_name: ref(json, "aws_cloudwatch_log_group", "Delivery_Build_LogGroup", "name") },
      s3_logs: { status: "DISABLED" },
    });
  });

  test("tells the build the repository, the build context at the repository root, the Dockerfile and the bootstrap label", () => {
    const { project: p, json } = project();
    expect(envVar(p, "REPOSITORY_URI")).toBe(ref(json, "aws_ecr_repository", "Repository", "repository_url"));
    expect(envVar(p, "BUILD_CONTEXT")).toBe(".");
    expect(envVar(p, "DOCKERFILE")).toBe("Dockerfile");
    expect(envVar(p, "BOOTSTRAP_LABEL")).toBe("bluegreen.bootstrap");
  });

  test("passes every environment's registered task definition revision, container and hook as DEPLOY_TARGETS", () => {
    const { project: p, json } = project();
    expect(JSON.parse(envVar(p, "DEPLOY_TARGETS"))).toEqual([
      {
        environmentName: "staging",
        taskDefinition: ref(json, "aws_ecs_task_definition", "EnvStaging_Service_TaskDefinition", "arn"),
        containerName: "app",
        containerPort: 8080,
        hooks: [{ lifecycleEvent: "AfterAllowTestTraffic", functionName: "CodeDeployHook_demo-staging" }],
      },
      {
        environmentName: "prod",
        taskDefinition: ref(json, "aws_ecs_task_definition", "EnvProd_Service_TaskDefinition", "arn"),
        containerName: "app",
        containerPort: 8080,
        hooks: [],
      },
    ]);
  });

  test("trusts CodeBuild only for this project in this account", () => {
    const { json } = project();
    const trust = json.data?.aws_iam_policy_document ?? {};
    const doc = Object.entries(trust).find(([key]) => key.startsWith("Delivery_Build_Role_Trust"))?.[1];
    expect(doc?.statement).toEqual([
      {
        sid: "TrustService",
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["codebuild.amazonaws.com"] }],
        condition: [
          {
            test: "StringEquals",
            variable: "aws:SourceAccount",
            values: ['${element(split(":", aws_kms_key.Delivery_Artifacts_Key_35875DC5.arn), 4)}'],
          },
          {
            test: "ArnEquals",
            variable: "aws:SourceArn",
            values: [
              'arn:aws:codebuild:${element(split(":", aws_kms_key.Delivery_Artifacts_Key_35875DC5.arn), 3)}:${element(split(":", aws_kms_key.Delivery_Artifacts_Key_35875DC5.arn), 4)}:project/demo',
            ],
          },
        ],
      },
    ]);
  });

  test("grants exactly: push to this repository, look up its images, describe task definitions, artifacts, its logs", () => {
    const { json } = project();
    const repo = ref(json, "aws_ecr_repository", "Repository", "arn");
    const bucket = ref(json, "aws_s3_bucket", "Delivery_Artifacts_Bucket", "arn");
    const key = ref(json, "aws_kms_key", "Delivery_Artifacts_Key", "arn");
    const logs = ref(json, "aws_cloudwatch_log_group", "Delivery_Build_LogGroup", "arn");
    expect(roleStatements(json, "Delivery_Build_Role")).toEqual([
      { sid: "EcrAuthToken", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "EcrPushRepository",
        effect: "Allow",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        resources: [repo],
      },
      { sid: "ArtifactBucket", effect: "Allow", actions: ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:GetBucketAcl"], resources: [bucket] },
      {
        sid: "ArtifactObjectsReadWrite",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
        resources: [`${bucket}/*`],
      },
      {
        sid: "ArtifactKeyReadWrite",
        effect: "Allow",
        actions: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"],
        resources: [key],
      },
      { sid: "EcrDescribeImages", effect: "Allow", actions: ["ecr:DescribeImages"], resources: [repo] },
      { sid: "EcsDescribeTaskDefinition", effect: "Allow", actions: ["ecs:DescribeTaskDefinition"], resources: ["*"] },
      { sid: "BuildLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${logs}:*`] },
    ]);
  });

  test("uses a custom buildspec, build context and Dockerfile when given", () => {
    const dir = mkdtempSync(join(tmpdir(), "buildspec-"));
    writeFileSync(join(dir, "buildspec.yml"), "version: 0.2\n");
    const built = pipelineStack();
    // A second build in the same stack shows the props reach the project.
    new ImageBuild(built.stack, "Other", {
      name: "other",
      repository: built.repository,
      artifactBucket: built.pipeline.artifactBucket,
      targets: [{ environmentName: "prod", deployment: built.runtimes[1].runtime.deployment }],
      buildContext: "services/web",
      dockerfile: "docker/Dockerfile.prod",
      buildspecPath: join(dir, "buildspec.yml"),
    });
    const other = resourceById(built.json(), "aws_codebuild_project", "Other") as TfBlock;
    const inlined = (other.source as { buildspec: string }).buildspec;
    expect(inlined.startsWith("version: 0.2\n")).toBe(true);
    expect(inlined).toContain('cat > "$DEPLOY_SCRIPTS/render.cjs"');
    expect(envVar(other, "BUILD_CONTEXT")).toBe("services/web");
    expect(envVar(other, "DOCKERFILE")).toBe("docker/Dockerfile.prod");
  });
});

describe("ImageBuild: the render script travels with the buildspec", () => {
  test("writes this repository's deploy scripts byte for byte before anything else runs", () => {
    // GIVEN the buildspec as Terraform inlines it
    const buildspec = parse(withDeployScripts(readFileSync(DEFAULT_BUILDSPEC_PATH, "utf8")));
    const commands = buildspec.phases.pre_build.commands as string[];
    const scripts = readdirSync(DEPLOY_SCRIPTS_DIR).filter((f) => f.endsWith(".cjs"));
    // WHEN its setup commands run in bash
    execFileSync("bash", ["-euc", commands.slice(0, scripts.length + 1).join("\n")]);
    // THEN the files equal the sources
    for (const file of scripts) {
      expect(readFileSync(join(DEPLOY_SCRIPTS_BUILD_PATH, file), "utf8")).toBe(readFileSync(join(DEPLOY_SCRIPTS_DIR, file), "utf8"));
    }
    expect(buildspec.phases.post_build.commands.join("\n")).toContain('node "$DEPLOY_SCRIPTS/render.cjs"');
  });
});
