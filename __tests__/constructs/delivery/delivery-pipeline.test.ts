import { DeliveryPipeline } from "../../../constructs/delivery/delivery-pipeline";
import { GithubConnectionSource } from "../../../constructs/delivery/sources/github-connection-source";
import { IDeployTarget } from "../../../constructs/delivery/pipeline-seam";
import { evaluatePolicyPack } from "../../../constructs/policy";
import { pipelineResource, pipelineStack, PipelineStackOptions, ref, roleStatements, stagesOf, actionOf } from "../../helpers/pipeline";
import { resourcesOf, synthJson, SynthJson, TfBlock } from "../../helpers/runtime";
import { deepFreeze, oncePerOptions } from "../../helpers/shared";

const ECR_MODE: PipelineStackOptions = {
  repository: { mutableTagExclusions: ["release"] },
  ecrImageTag: "release",
};

/** Synthesized once per options object (the default and ECR_MODE are shared by the tests that read them). */
const synth = oncePerOptions((options: PipelineStackOptions = {}) => {
  const built = pipelineStack(options);
  return { ...built, json: deepFreeze(built.json()) };
});

describe("DeliveryPipeline (codebuild mode)", () => {
  test("is a V2 pipeline in SUPERSEDED mode with a KMS-encrypted artifact store", () => {
    const { json } = synth();
    expect(pipelineResource(json)).toMatchObject({
      name: "demo",
      pipeline_type: "V2",
      execution_mode: "SUPERSEDED",
      artifact_store: [
        {
          type: "S3",
          location: ref(json, "aws_s3_bucket", "Delivery_Artifacts_Bucket", "bucket"),
          encryption_key: { id: ref(json, "aws_kms_key", "Delivery_Artifacts_Key", "arn"), type: "KMS" },
        },
      ],
    });
  });

  test("allows QUEUED execution", () => {
    const { json } = synth({ pipeline: { executionMode: "QUEUED" } });
    expect(pipelineResource(json).execution_mode).toBe("QUEUED");
  });

  test("runs Source, Build, then each environment in order with its approval first", () => {
    const { json } = synth();
    expect(stagesOf(json).map((s) => `${s.name}:${s.action.map((a) => a.name).join(",")}`)).toEqual([
      "Source:GitHub",
      "Build:BuildImage",
      "Deploy-staging:BlueGreen",
      "Approve-prod:Approve",
      "Deploy-prod:BlueGreen",
    ]);
  });

  test("sources the branch through the connection, without the action's own change detection", () => {
    const { json } = synth();
    expect(actionOf(json, "Source")).toEqual({
      name: "GitHub",
      category: "Source",
      owner: "AWS",
      provider: "CodeStarSourceConnection",
      version: "1",
      namespace: "SourceVariables",
      output_artifacts: ["SourceArtifact"],
      configuration: {
        ConnectionArn: ref(json, "aws_codestarconnections_connection", "Connection", "arn"),
        FullRepositoryId: "acme/web",
        BranchName: "main",
        OutputArtifactFormat: "CODE_ZIP",
        DetectChanges: "false",
      },
    });
  });

  test("starts on pushes to the branch through a V2 trigger", () => {
    const { json } = synth();
    expect(pipelineResource(json).trigger).toEqual([
      {
        provider_type: "CodeStarSourceConnection",
        git_configuration: { source_action_name: "GitHub", push: [{ branches: { includes: ["main"] } }] },
      },
    ]);
  });

  test("filters the trigger by file paths when configured", () => {
    const { json } = synth({ filePaths: { includes: ["app/**"], excludes: ["**/*.md"] } });
    const [trigger] = pipelineResource(json).trigger as { git_configuration: { push: TfBlock[] } }[];
    expect(trigger.git_configuration.push).toEqual([
      { branches: { includes: ["main"] }, file_paths: { includes: ["app/**"], excludes: ["**/*.md"] } },
    ]);
  });

  test("builds from the source artifact with the commit id, into the build artifact", () => {
    const { json } = synth();
    expect(actionOf(json, "Build")).toEqual({
      name: "BuildImage",
      category: "Build",
      owner: "AWS",
      provider: "CodeBuild",
      version: "1",
      input_artifacts: ["SourceArtifact"],
      output_artifacts: ["BuildArtifact"],
      configuration: {
        ProjectName: ref(json, "aws_codebuild_project", "Delivery_Build_Project", "name"),
        EnvironmentVariables: JSON.stringify([{ name: "COMMIT_ID", value: "#{SourceVariables.CommitId}", type: "PLAINTEXT" }]),
      },
    });
  });

  test("deploys each environment blue/green with its own taskdef and appspec from the build artifact", () => {
    const { json } = synth();
    expect(actionOf(json, "Deploy-prod")).toEqual({
      name: "BlueGreen",
      category: "Deploy",
      owner: "AWS",
      provider: "CodeDeployToECS",
      version: "1",
      input_artifacts: ["BuildArtifact"],
      configuration: {
        ApplicationName: "${aws_codedeploy_app.DeployApplication.name}",
        DeploymentGroupName: "demo-prod",
        TaskDefinitionTemplateArtifact: "BuildArtifact",
        TaskDefinitionTemplatePath: "taskdef-prod.json",
        AppSpecTemplateArtifact: "BuildArtifact",
        AppSpecTemplatePath: "appspec-prod.yaml",
        Image1ArtifactName: "BuildArtifact",
        Image1ContainerName: "IMAGE1_NAME",
      },
    });
    expect(actionOf(json, "Deploy-staging").configuration).toMatchObject({
      DeploymentGroupName: "demo-staging",
      TaskDefinitionTemplatePath: "taskdef-staging.json",
      AppSpecTemplatePath: "appspec-staging.yaml",
    });
  });

  test("asks for approval through the encrypted notifications topic", () => {
    const { json } = synth();
    expect(actionOf(json, "Approve-prod")).toEqual({
      name: "Approve",
      category: "Approval",
      owner: "AWS",
      provider: "Manual",
      version: "1",
      configuration: {
        NotificationArn: ref(json, "aws_sns_topic", "Delivery_Notifications_Topic", "arn"),
        CustomData: "Approve to deploy this release to prod (blue/green, with alarm rollback).",
      },
    });
  });

  test("has no approval stage when no environment requires one", () => {
    const { json } = synth({ environments: [{ name: "prod", requireApproval: false }] });
    expect(stagesOf(json).map((s) => s.name)).toEqual(["Source", "Build", "Deploy-prod"]);
  });

  test("sends failure, success and approval events to the topic", () => {
    const { json } = synth();
    const [rule] = Object.values(resourcesOf(json, "aws_codestarnotifications_notification_rule"));
    expect(rule).toMatchObject({ resource: ref(json, "aws_codepipeline", "Delivery_Pipeline", "arn") });
  });

  test("subscribes the notification emails", () => {
    const { json } = synth({ pipeline: { notificationEmails: ["team@example.com"] } });
    expect(Object.values(resourcesOf(json, "aws_sns_topic_subscription"))).toHaveLength(1);
  });

  test("creates no ECR trigger", () => {
    const { json } = synth();
    expect(resourcesOf(json, "aws_cloudwatch_event_rule")).toEqual({});
  });
});

/** The pipeline role's statements, by sid. */
function pipelinePolicy(json: SynthJson): Record<string, TfBlock> {
  return Object.fromEntries(roleStatements(json, "Delivery_Role").map((s) => [s.sid as string, s]));
}

describe("DeliveryPipeline role", () => {
  test("has exactly these statements", () => {
    const { json } = synth();
    expect(Object.keys(pipelinePolicy(json))).toEqual([
      "UseGitHubConnection",
      "StartImageBuild",
      "CodeDeployDeploymentGroups",
      "CodeDeployApplications",
      "CodeDeployDeploymentConfigs",
      "RegisterTaskDefinitions",
      "TagNewTaskDefinitions",
      "PassTaskRolesStaging",
      "PassTaskRolesProd",
      "ArtifactBucket",
      "ArtifactObjectsReadWrite",
      "ArtifactKeyReadWrite",
      "NotificationTopicPublish",
      "NotificationTopicKey",
    ]);
  });

  test("uses only this connection, only for the watched repository", () => {
    const { json } = synth();
    expect(pipelinePolicy(json).UseGitHubConnection).toEqual({
      sid: "UseGitHubConnection",
      effect: "Allow",
      actions: ["codestar-connections:UseConnection"],
      resources: [ref(json, "aws_codestarconnections_connection", "Connection", "arn")],
      // StringEquals: the key is single-valued, and ForAllValues would pass a request without it.
      condition: [{ test: "StringEquals", variable: "codestar-connections:FullRepositoryId", values: ["acme/web"] }],
    });
  });

  test("uses the codeconnections prefix for a reused codeconnections ARN", () => {
    const arn = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0b9a0c2e-1111-2222-3333-444455556666";
    const { json } = synth({ connectionArn: arn });
    expect(pipelinePolicy(json).UseGitHubConnection).toMatchObject({ actions: ["codeconnections:UseConnection"], resources: [arn] });
  });

  test("starts and follows only its build project", () => {
    const { json } = synth();
    expect(pipelinePolicy(json).StartImageBuild).toEqual({
      sid: "StartImageBuild",
      effect: "Allow",
      actions: ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
      resources: [ref(json, "aws_codebuild_project", "Delivery_Build_Project", "arn")],
    });
  });

  test("scopes CodeDeploy to the deployment groups, the application and the configs", () => {
    const { json, runtimes } = synth();
    const policy = pipelinePolicy(json);
    expect(policy.CodeDeployDeploymentGroups).toEqual({
      sid: "CodeDeployDeploymentGroups",
      effect: "Allow",
      actions: ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
      resources: [
        ref(json, "aws_codedeploy_deployment_group", "EnvStaging_Deployment_DeploymentGroup", "arn"),
        ref(json, "aws_codedeploy_deployment_group", "EnvProd_Deployment_DeploymentGroup", "arn"),
      ],
    });
    expect(policy.CodeDeployApplications).toEqual({
      sid: "CodeDeployApplications",
      effect: "Allow",
      actions: ["codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"],
      resources: ["${aws_codedeploy_app.DeployApplication.arn}"],
    });
    expect(policy.CodeDeployDeploymentConfigs).toMatchObject({
      actions: ["codedeploy:GetDeploymentConfig"],
      resources: [expect.stringContaining(":deploymentconfig:CodeDeployDefault.ECSLinear10PercentEvery1Minutes")],
    });
    expect(runtimes).toHaveLength(2);
  });

  test("registers task definitions on * (no resource-level permission) and tags only new revisions of these families", () => {
    const { json } = synth();
    const policy = pipelinePolicy(json);
    expect(policy.RegisterTaskDefinitions).toEqual({
      sid: "RegisterTaskDefinitions",
      effect: "Allow",
      actions: ["ecs:RegisterTaskDefinition"],
      resources: ["*"],
    });
    expect(policy.TagNewTaskDefinitions).toEqual({
      sid: "TagNewTaskDefinitions",
      effect: "Allow",
      actions: ["ecs:TagResource"],
      resources: [
        `${ref(json, "aws_ecs_task_definition", "EnvStaging_Service_TaskDefinition", "arn_without_revision")}:*`,
        `${ref(json, "aws_ecs_task_definition", "EnvProd_Service_TaskDefinition", "arn_without_revision")}:*`,
      ],
      condition: [{ test: "StringEquals", variable: "ecs:CreateAction", values: ["RegisterTaskDefinition"] }],
    });
  });

  test("passes only each environment's task and execution roles, only to ECS tasks", () => {
    const { json } = synth();
    expect(pipelinePolicy(json).PassTaskRolesProd).toEqual({
      sid: "PassTaskRolesProd",
      effect: "Allow",
      actions: ["iam:PassRole"],
      resources: [ref(json, "aws_iam_role", "EnvProd_Service_TaskRole", "arn"), ref(json, "aws_iam_role", "EnvProd_Service_ExecutionRole", "arn")],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["ecs-tasks.amazonaws.com"] }],
    });
  });

  test("may not publish to the topic when no environment needs approval", () => {
    const { json } = synth({ environments: [{ name: "prod", requireApproval: false }] });
    expect(pipelinePolicy(json).NotificationTopicPublish).toBeUndefined();
  });
});

describe("DeliveryPipeline (ecr mode)", () => {
  test("sources the deploy files from GitHub and the image from ECR, and has no build stage", () => {
    const { json } = synth(ECR_MODE);
    expect(stagesOf(json).map((s) => `${s.name}:${s.action.map((a) => a.name).join(",")}`)).toEqual([
      "Source:GitHub,EcrImage",
      "Deploy-staging:BlueGreen",
      "Approve-prod:Approve",
      "Deploy-prod:BlueGreen",
    ]);
    expect(resourcesOf(json, "aws_codebuild_project")).toEqual({});
  });

  test("reads the watched tag of the repository into the image artifact", () => {
    const { json } = synth(ECR_MODE);
    expect(actionOf(json, "Source", "EcrImage")).toEqual({
      name: "EcrImage",
      category: "Source",
      owner: "AWS",
      provider: "ECR",
      version: "1",
      output_artifacts: ["ImageArtifact"],
      configuration: { RepositoryName: ref(json, "aws_ecr_repository", "Repository", "name"), ImageTag: "release" },
    });
  });

  test("deploys the committed files from the source artifact with the image from the ECR artifact", () => {
    const { json } = synth(ECR_MODE);
    expect(actionOf(json, "Deploy-prod")).toMatchObject({
      input_artifacts: ["SourceArtifact", "ImageArtifact"],
      configuration: {
        TaskDefinitionTemplateArtifact: "SourceArtifact",
        TaskDefinitionTemplatePath: "deploy/taskdef-prod.json",
        AppSpecTemplateArtifact: "SourceArtifact",
        AppSpecTemplatePath: "deploy/appspec-prod.yaml",
        Image1ArtifactName: "ImageArtifact",
        Image1ContainerName: "IMAGE1_NAME",
      },
    });
  });

  test("exposes the deploy file paths for the GitHub stack", () => {
    const { pipeline } = synth(ECR_MODE);
    const paths = pipeline.deployFiles.map(({ environmentName, files }) => ({ environmentName, files: files.map((f) => [f.id, f.path]) }));
    expect(paths).toEqual([
      { environmentName: "staging", files: [["TaskDefinition", "deploy/taskdef-staging.json"], ["AppSpec", "deploy/appspec-staging.yaml"]] },
      { environmentName: "prod", files: [["TaskDefinition", "deploy/taskdef-prod.json"], ["AppSpec", "deploy/appspec-prod.yaml"]] },
    ]);
  });

  test("has no git trigger, so application pushes do not release the old image", () => {
    const { json } = synth(ECR_MODE);
    expect(pipelineResource(json).trigger).toBeUndefined();
    expect(actionOf(json, "Source", "GitHub").configuration.DetectChanges).toBe("false");
  });

  test("triggers on changes to the deploy files when file path includes are configured", () => {
    const { json } = synth({ ...ECR_MODE, filePaths: { includes: ["deploy/**"] } });
    const [trigger] = pipelineResource(json).trigger as { git_configuration: { push: TfBlock[] } }[];
    expect(trigger.git_configuration.push).toEqual([{ branches: { includes: ["main"] }, file_paths: { includes: ["deploy/**"] } }]);
  });

  test("starts on the ECR push through an EventBridge rule", () => {
    const { json } = synth(ECR_MODE);
    const [target] = Object.values(resourcesOf(json, "aws_cloudwatch_event_target"));
    expect(target).toMatchObject({ arn: ref(json, "aws_codepipeline", "Delivery_Pipeline", "arn") });
  });

  test("may read the repository's images instead of starting a build", () => {
    const { json } = synth(ECR_MODE);
    const policy = pipelinePolicy(json);
    expect(policy.StartImageBuild).toBeUndefined();
    expect(policy.ReadEcrSourceImage).toEqual({
      sid: "ReadEcrSourceImage",
      effect: "Allow",
      actions: ["ecr:DescribeImages"],
      resources: [ref(json, "aws_ecr_repository", "Repository", "arn")],
    });
  });

  test("fails when the repository cannot overwrite the watched tag", () => {
    expect(() => synth({ ecrImageTag: "release" })).toThrow(
      /pipeline.ecrImageTag "release": the ECR source watches a fixed tag, but the repository's tags are immutable/,
    );
  });
});

describe("DeliveryPipeline validation", () => {
  test("fails without targets", () => {
    expect(() => synth({ environments: [] })).toThrow("DeliveryPipeline demo: targets must name at least one environment");
  });

  test("fails on duplicate environment names", () => {
    expect(() =>
      synth({ environments: [{ name: "prod", requireApproval: false }, { name: "prod", requireApproval: false }] }),
    ).toThrow();
  });
});

describe("DeliveryPipeline and the policy pack", () => {
  test.each([
    ["codebuild", {}],
    ["ecr", ECR_MODE],
  ])("passes every rule in %s mode, with only the privileged build suppressed", (mode, options) => {
    const { stack } = pipelineStack(options as PipelineStackOptions);
    const result = evaluatePolicyPack(stack);
    // The test stack has no backend: the state rule is the stack's business, not the pipeline's.
    expect(result.violations.map((v) => v.ruleId).filter((id) => id !== "BG-STATE-003")).toEqual([]);
    expect(result.suppressed.map((s) => s.violation.ruleId)).toEqual(mode === "codebuild" ? ["BG-CB-003"] : []);
  });
});

describe("DeliveryPipeline seam: a deploy target and a source it does not know", () => {
  /** A third strategy: one action, one statement, its own build output, no deploy files. */
  const customTarget: IDeployTarget = {
    bind: (binding) => {
      binding.grant({ sid: "CustomDeploy", actions: ["lambda:InvokeFunction"], resources: [`arn:aws:lambda:eu-west-1:123456789012:function:deploy-${binding.environmentName}`] });
      return [
        {
          name: "Custom",
          category: "Invoke",
          owner: "AWS",
          provider: "Lambda",
          version: "1",
          inputArtifacts: [binding.image],
          configuration: { FunctionName: `deploy-${binding.environmentName}`, UserParameters: binding.deployFiles.artifact },
        },
      ];
    },
    buildOutputs: (environmentName) => ({ environmentName, taskDefinition: "arn:td", containerName: "app", containerPort: 8080, hooks: [] }),
    deployFiles: () => [],
  };

  /** The usual test stack (repository, connection, two CodeDeploy environments), to add a second pipeline to. */
  const built = () => pipelineStack();

  test("binds it like the built-in ones: its action in the deploy stage, its grant in the role, its build output in the build", () => {
    const { stack, repository, connection } = built();
    const pipeline = new DeliveryPipeline(stack, "Custom", {
      name: "custom",
      region: "eu-west-1",
      repository,
      sources: [new GithubConnectionSource({ connection, github: { owner: "acme", repository: "web", branch: "main" } })],
      build: {},
      targets: [{ environmentName: "qa", deployment: customTarget, requireApproval: false }],
    });
    const json = synthJson(stack) as SynthJson;
    const custom = Object.entries(json.resource?.aws_codepipeline ?? {}).find(([key]) => key.startsWith("Custom_"))?.[1] as TfBlock;
    const deploy = (custom.stage as { name: string; action: TfBlock[] }[]).find((s) => s.name === "Deploy-qa");
    expect(deploy?.action).toEqual([
      {
        name: "Custom",
        category: "Invoke",
        owner: "AWS",
        provider: "Lambda",
        version: "1",
        input_artifacts: ["BuildArtifact"],
        configuration: { FunctionName: "deploy-qa", UserParameters: "BuildArtifact" },
      },
    ]);
    const statements = roleStatements(json, "Custom_Role");
    expect(statements.find((s) => s.sid === "CustomDeploy")).toEqual({
      sid: "CustomDeploy",
      effect: "Allow",
      actions: ["lambda:InvokeFunction"],
      resources: ["arn:aws:lambda:eu-west-1:123456789012:function:deploy-qa"],
    });
    expect(pipeline.build?.renderTargets).toEqual([{ environmentName: "qa", taskDefinition: "arn:td", containerName: "app", containerPort: 8080, hooks: [] }]);
  });

  test("refuses a pipeline without a build whose sources carry no image", () => {
    const { stack, repository, connection } = built();
    expect(
      () =>
        new DeliveryPipeline(stack, "NoImage", {
          name: "noimage",
          region: "eu-west-1",
          repository,
          sources: [new GithubConnectionSource({ connection, github: { owner: "acme", repository: "web", branch: "main" } })],
          targets: [{ environmentName: "qa", deployment: customTarget, requireApproval: false }],
        }),
    ).toThrow("DeliveryPipeline noimage: without a build, the sources must provide the deploy files and the image");
  });
});
