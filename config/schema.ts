import { z } from "zod";
import { FARGATE_CPUS, IAM_ROLE_ARN, LONGEST_WORKFLOW_SESSION_MINUTES, REGIONS, STATE_KEY_ARN } from "./aws-facts";
import { deployField, legacyDeployFields, normalizeDeploy, withDeployRules } from "./deploy";
import { checkFleet, checkServiceNames, checkServiceOverride, overridesOf } from "./fleet-rules";
import { checkSharedRouting, routing } from "./fleet-routing";
import { checkGithubAdoption, checkReleaseTrigger, GITHUB_STACK_VARIABLES } from "./github-rules";
import { checkBranch, checkCidr, checkCrossFields, checkEnvironmentNames, checkFargateSize, checkIdentityArn, checkNonRootPort, checkReviewer, checkReviewerCount, checkReviewersRequired, checkStateBucketOutsideProject, checkStateKeyRegion } from "./rules";

/**
 * The config contract (README.md, the configuration reference). Every key carries a description:
 * it becomes the JSON Schema editors show, and the README's config reference.
 * Cross-field rules (Fargate sizes, CIDRs, unique names, ECR tag conflicts) live in ./rules.ts.
 */

const port = z.int().min(1).max(65535);
const cidr = z
  .string()
  .superRefine((value, ctx) => checkCidr(value, ctx))
  .describe("IPv4 CIDR block, e.g. 10.0.0.0/16");
/** AWS accepts VPC CIDRs from /16 to /28; /24 is the smallest that leaves room for four subnets per tier here. */
const vpcCidr = z
  .string()
  .superRefine((value, ctx) => checkCidr(value, ctx, [16, 24]))
  .describe("VPC CIDR block, /16 to /24.");

const project = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, {
    message: "must be 3-20 characters of lowercase letters, digits and hyphens, starting with a letter",
  })
  .describe("Lowercase name, prefix of every resource name (3-20 characters; AWS limits ALB and target group names to 32).");

const repositoryName = z.string().regex(/^(?!\.\.?$)(?!.*\.git$)[A-Za-z0-9._-]{1,100}$/, {
  message: "must be a GitHub repository name: 1-100 letters, digits, '.', '-' or '_', not '.', '..' or ending in .git",
});

const deployEnvironment = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,255}$/, { message: "must be 1-255 letters, digits, '.', '_' or '-' (no spaces or wildcards)" })
      .default("production")
      .describe("The GitHub deployment environment the deploy job runs in; the deploy role trusts only its jobs."),
    reviewers: z
      .strictObject({
        users: z.array(z.string().superRefine(checkReviewer("user"))).default([]).describe("GitHub logins that may approve a deployment."),
        teams: z.array(z.string().superRefine(checkReviewer("team"))).default([]).describe("Team slugs (of the infrastructure repository's organization) that may approve a deployment."),
      })
      .superRefine(checkReviewerCount)
      .prefault({})
      .describe("Required reviewers (GitHub allows 6 in all), at least one unless soloEvaluation is on; nobody approves their own run."),
    soloEvaluation: z
      .boolean()
      .default(false)
      .describe("true: no reviewer, every merge to the deploy branch deploys without a second person (one person evaluating the project; synth warns). Never for production."),
  })
  .superRefine(checkReviewersRequired)
  .describe("The protected environment of the deploy job: required reviewers, no self-review, the deploy branch only.");

const github = z
  .strictObject({
    owner: z
      .string()
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, {
        message: "must be a GitHub user or organization: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen",
      })
      .describe("GitHub user or organization that owns the application repository."),
    repository: repositoryName.describe("Application repository the pipeline builds (fleet mode: the infrastructure repository, unless infrastructureRepository is set)."),
    branch: z.string().superRefine(checkBranch).describe("Branch whose pushes start the pipeline (and the protected deploy branch).").default("main"),
    connectionArn: z
      .string()
      .regex(/^arn:aws:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/, {
        message: "must be a CodeStar/CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>)",
      })
      .optional()
      .describe("Reuse an existing, already-authorized connection instead of creating one (which needs a one-time console handshake)."),
    sourceMode: z
      .enum(["connection", "webhook"])
      .default("connection")
      .describe("`connection` (CodeStar/CodeConnections, recommended) or `webhook` (legacy GitHub version 1 action with a repository webhook; deprecated by AWS)."),
    infrastructureRepository: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, { message: "must be owner/name" })
      .optional()
      .describe("owner/name of the repository holding this infrastructure code, trusted by the OIDC deploy and plan roles. @default the application repository"),
    requiredApprovals: z
      .int()
      .min(0)
      .max(6)
      .default(1)
      .describe("Approving reviews required on pull requests to the deploy branch. 0 lets anyone who can open a pull request merge it (synth warns): for a solo evaluation only."),
    requiredStatusChecks: z
      .array(z.string().min(1).max(255))
      .max(50)
      .default([])
      .describe("Status checks your team already requires on the application repository's deploy branch (job names, e.g. build, test): kept in the protection this project writes, which replaces the existing rule. The infrastructure plan check is added where its workflows run."),
    protectApplicationBranch: z
      .boolean()
      .default(true)
      .describe("false: leave the application repository's branch protection alone (your team manages it). Needs a separate infrastructureRepository, whose protection is this project's deploy control."),
    importExisting: z
      .strictObject({
        branchProtection: z
          .array(z.string())
          .default([])
          .describe("owner/name of each repository whose deploy-branch protection rule already exists: the GitHub stack imports it (a Terraform import block) instead of failing with \"Name already protected\"."),
        variables: z
          .array(z.enum(GITHUB_STACK_VARIABLES))
          .default([])
          .describe("Actions variables that already exist in the infrastructure repository: imported instead of failing with 409 Conflict."),
      })
      .prefault({})
      .describe("Settings that exist in GitHub already and are adopted by the GitHub stack on its next deploy (see README, Adopting existing repositories)."),
    oidcProviderArn: z
      .string()
      .superRefine(
        checkIdentityArn("iam", /^oidc-provider\/token\.actions\.githubusercontent\.com$/, "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"),
      )
      .optional()
      .describe("Reuse the account's existing GitHub OIDC provider (an account holds one per URL). @default the access stack creates it"),
    deployEnvironment: deployEnvironment.prefault({}),
    roleSessionMinutes: z
      .int()
      // The floor is the longest session a workflow asks for (STS refuses more than the role allows); 720 is IAM's ceiling.
      .min(LONGEST_WORKFLOW_SESSION_MINUTES)
      .max(720)
      .default(180)
      .describe(
        `Maximum session of the plan and deploy roles (IAM MaxSessionDuration), in minutes: at least the longest session a workflow asks for (release.yml: ${LONGEST_WORKFLOW_SESSION_MINUTES}, its job timeout), so credentials outlast the waits.`,
      ),
  })
  .describe("The watched GitHub repository and how CodePipeline reaches it.");

const serviceFields = {
  containerName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$/, { message: "must be letters, digits, '-' or '_' (max 255), starting with a letter or digit" })
    .default("app")
    .describe("Container name in the task definition; the target groups route to it."),
  containerPort: port.default(8080).describe("Port the container listens on."),
  cpu: z
    .literal(FARGATE_CPUS)
    .default(256)
    .describe("Fargate CPU units."),
  memory: z.int().min(512).max(122880).default(512).describe("Fargate memory in MiB; must be a valid pair with cpu."),
  desiredCount: z.int().min(1).max(100).default(2).describe("Running tasks per environment (at least 2 spread over AZs is recommended)."),
  healthCheckPath: z
    .string()
    // The bootstrap image writes this path into a shell command: plain path characters only (BlueGreenService checks the same).
    .regex(/^\/(?!.*\.\.)[A-Za-z0-9._/-]*$/, { message: "must be a URL path starting with '/' of letters, digits, '.', '_', '-' and '/' (no '..')" })
    .max(1024)
    .default("/health")
    .describe("HTTP path the target groups and the smoke test call; must answer 200."),
  healthCheckGracePeriodSeconds: z.int().min(0).max(3600).default(60).describe("Seconds ECS ignores failing health checks after a task starts."),
  bootstrapImage: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/, { message: "must be an image reference like public.ecr.aws/docker/library/busybox:stable" })
    .optional()
    .describe("Public image the service starts on before the pipeline has built anything. @default busybox httpd answering the health path"),
  readonlyRootFilesystem: z.boolean().default(true).describe("Run the container with a read-only root filesystem (a writable /tmp is mounted)."),
  environment: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "must be an environment variable name" }), z.string())
    .default({})
    .describe("Plain environment variables for the container. Never put secrets here."),
};

const service = z
  .strictObject(serviceFields)
  .superRefine(checkFargateSize)
  .superRefine((value, ctx) => checkNonRootPort(value, [], ctx))
  .describe("The container and its Fargate size.");

const newNetwork = z.strictObject({
  mode: z.literal("new").describe("Create a VPC."),
  vpcCidr: vpcCidr.default("10.0.0.0/16"),
  azCount: z.int().min(2).max(4).default(2).describe("Availability zones to span (2-4)."),
  availabilityZones: z
    .array(z.string())
    .optional()
    .describe("Explicit zone names. @default the region's first azCount zones (a, b, c...)"),
  natGateways: z
    .enum(["none", "single", "per-az"])
    .default("single")
    .describe("none: tasks in public subnets with public IPs (cheapest, no smoke test); single: one NAT gateway per VPC, so one per environment (about 32 USD/month each + data); per-az: one per zone of each VPC (survives a zone outage, costs azCount times more)."),
});

const subnetId = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "must be a subnet id (subnet-...)" });

const existingNetwork = z.strictObject({
  mode: z.literal("existing").describe("Use a VPC by ids."),
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { message: "must be a VPC id (vpc-...)" }).describe("The existing VPC."),
  vpcCidr: vpcCidr.describe("The VPC's CIDR, for security group egress rules."),
  publicSubnetIds: z.array(subnetId).min(2).describe("Subnets for the internet-facing ALB, in at least two zones."),
  privateSubnetIds: z.array(subnetId).min(2).describe("Subnets for the tasks; they need NAT or VPC endpoints for ECR and logs."),
  natPublicIps: z
    .array(
      z.string().regex(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, {
        message: "must be an IPv4 address like 203.0.113.10",
      }),
    )
    .default([])
    .describe("Public IPs the private subnets egress from (NAT); needed for the smoke test to reach the test listener."),
});

const network = z
  .discriminatedUnion("mode", [newNetwork, existingNetwork])
  .describe("A new VPC (mode: new) or an existing one (mode: existing).");

const environmentFields = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$|^[a-z]$/, { message: "must be 1-12 lowercase letters, digits or hyphens, starting with a letter" })
    .describe("Environment name, e.g. staging, prod; part of resource names."),
  deploy: deployField,
  requireApproval: z.boolean().default(false).describe("Stop for a manual approval before deploying to this environment."),
  desiredCount: z.int().min(1).max(100).optional().describe("Override service.desiredCount here."),
  certificateArn: z
    .string()
    .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, { message: "must be an ACM certificate ARN" })
    .optional()
    .describe("ACM certificate from the config's region (an ALB uses certificates of its own region only): the prod listener becomes HTTPS (TLS 1.3 policy) and HTTP redirects to it."),
  testListenerCidrs: z
    .array(
      // The test listener serves the new version before any traffic shifts; the policy pack (BG-SG-001) refuses it open to all.
      cidr.refine((value) => !value.endsWith("/0"), {
        message: "opens the test listener to the whole internet; list the CIDRs of your testers or CI instead",
      }),
    )
    .default([])
    .describe("CIDRs allowed to reach the test listener (none by default)."),
  prodIngressCidrs: z.array(cidr).default(["0.0.0.0/0"]).describe("CIDRs allowed to reach the prod listener."),
  deletionProtection: z.boolean().default(false).describe("ALB deletion protection."),
  deregistrationDelaySeconds: z
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .describe("Seconds the target groups let in-flight requests finish before a task leaves; longer requests are cut."),
  smokeTest: z
    .boolean()
    .optional()
    .describe("AfterAllowTestTraffic Lambda hook calling the health path through the test listener. @default on when the network has NAT egress"),
  allowDestroy: z
    .boolean()
    .default(false)
    .describe("Drop prevent_destroy on this environment's stateful resources (throwaway environments only)."),
  network: network.optional().describe("Override the top-level network for this environment."),
  ...legacyDeployFields,
});

const environment = withDeployRules(environmentFields).transform(normalizeDeploy);

/** A path inside the application repository (the buildspec passes it to docker build; no escaping it, no shell characters). */
const repositoryPath = z
  .string()
  .regex(/^(?!\/)(?!(.*\/)?\.\.(\/|$))[A-Za-z0-9._/-]{1,255}$/, { message: "must be a relative path of letters, digits, '.', '_', '-' and '/' (no leading '/', no '..')" });

const pipelineFields = {
  buildContext: repositoryPath.default(".").describe("imageSource codebuild: directory of the application repository docker build uses as its context."),
  dockerfile: repositoryPath.default("Dockerfile").describe("imageSource codebuild: the Dockerfile, relative to buildContext."),
  imageSource: z
    .enum(["codebuild", "ecr"])
    .default("codebuild")
    .describe("codebuild: the pipeline builds the image; ecr: any CI pushes it and an ECR push starts the pipeline."),
  ecrImageTag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: "must be a Docker tag" })
    .default("release")
    .describe("imageSource ecr: the tag whose push starts the pipeline."),
  executionMode: z.enum(["SUPERSEDED", "QUEUED"]).default("SUPERSEDED").describe("CodePipeline V2 execution mode."),
  filePaths: z
    .strictObject({
      includes: z.array(z.string().min(1)).max(8).default([]).describe("Only pushes touching these globs start the pipeline."),
      excludes: z.array(z.string().min(1)).max(8).default([]).describe("Pushes touching only these globs are ignored."),
    })
    .prefault({})
    .describe(
      "Glob filters on changed files for the push trigger (CodePipeline takes at most 8 patterns per list). Unset while this infrastructure shares the application repository: only changes under buildContext start a release, so infrastructure-only merges release nothing (the repository root cannot be told apart and is refused); set includes: [\"**\"] to release on every push.",
    ),
  notificationEmail: z.email().optional().describe("Subscribe this address to pipeline failure/success/approval notifications."),
  artifactRetentionDays: z.int().min(1).max(3650).default(30).describe("Days pipeline artifacts are kept."),
};

const pipeline = z.strictObject(pipelineFields);

const ecr = z.strictObject({
  keepTaggedImages: z
    .int()
    .min(1)
    .max(1000)
    .default(30)
    .describe("Per environment, the newest images deployed there (never expired while it runs them), and the newest other builds; untagged ones expire after a day."),
  mutableTags: z
    // ECR's tag-mutability exclusion filters: at most 5, wildcards allowed (ContainerRepository checks the same).
    .array(z.string().regex(/^[A-Za-z0-9._*-]{1,128}$/, { message: "must be 1-128 letters, digits, '.', '_', '-' or '*'" }))
    .max(5)
    .default([])
    .describe("Tags exempt from tag immutability (needed if imageSource ecr watches a fixed tag)."),
});

const state = z
  .discriminatedUnion("backend", [
    z.strictObject({
      backend: z.literal("s3").describe("S3 bucket with native lock files."),
      bucket: z
        .string()
        .regex(/^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: "must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-')" })
        .describe("State bucket (created by the bootstrap stack)."),
      keyPrefix: z
        .string()
        .regex(/^[A-Za-z0-9!_.*'()/-]{0,200}$/, { message: "must be at most 200 letters, digits or !_.*'()/-" })
        .default("cdktf").describe("Prefix of every stack's state key."),
      region: z.enum(REGIONS).optional().describe("Region of the state bucket. @default the top-level region"),
      bootstrapStateInBucket: z
        .boolean()
        .default(false)
        .describe("Set after migrating the bootstrap stack's own local state into the bucket (docs/operations.md): its backend becomes S3 too."),
      kmsKeyArn: z
        .string()
        .regex(STATE_KEY_ARN, { message: "must be a KMS key ARN arn:aws:kms:<region>:<12-digit account>:key/<key id>, no alias or wildcard (the bootstrap stack's StateKmsKeyArn output)" })
        .optional()
        .describe("The state key's ARN (bootstrap output StateKmsKeyArn): the S3 backend's kms_key_id. @default the key's alias, `alias/tfstate/<bucket>`"),
      adminRoleArns: z
        .array(z.string().regex(IAM_ROLE_ARN, { message: "must be an IAM role ARN arn:aws:iam::<12-digit account>:role/<path/><name>, without wildcards" }))
        .max(10)
        .default([])
        .describe("Administrator roles that may read state besides the plan and deploy roles; naming one denies reads to every other principal (docs/security.md). @default - none: reads are denied to the project's other roles only"),
    }),
    z.strictObject({
      backend: z.literal("cloud").describe("HCP Terraform (Terraform Cloud)."),
      organization: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: "must be an HCP Terraform organization name" })
        .describe("HCP Terraform organization."),
      workspacePrefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]{0,60}$/, { message: "must be letters, digits, '-' or '_'" })
        .optional()
        .describe("Prefix of the workspace names (one workspace per stack). @default `<project>-`"),
      hostname: z
        .string()
        .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(:\d{1,5})?$/, { message: "must be a host name like app.terraform.io" })
        .default("app.terraform.io").describe("HCP Terraform or Terraform Enterprise host."),
    }),
  ])
  .describe("Where Terraform state lives: S3 with native locking, or HCP Terraform.");

/** Fleet mode: one entry per service; each gets its own stacks, state, repository and pipeline on the shared platform. */
const fleetService = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$|^[a-z]$/, { message: "must be 1-12 lowercase letters, digits or hyphens, starting with a letter" })
    .describe("Service name: its stacks are <project>-<name> (AWS) and <project>-<name>-github, its resources are named <project>-<name>-..."),
  repository: repositoryName.describe("The service's application repository, under github.owner."),
  branch: z.string().superRefine(checkBranch).optional().describe("Branch whose pushes start this service's pipeline. @default github.branch"),
  service: overridesOf(serviceFields)
    .superRefine(checkServiceOverride)
    .optional()
    .describe("Overrides of the top-level service block (container, port, size, count, health path...); unset keys inherit it."),
  pipeline: overridesOf(pipelineFields)
    .optional()
    .describe("Overrides of the top-level pipeline block (imageSource, filePaths, notificationEmail...); unset keys inherit it."),
  routing: routing.optional(),
});

export const deployConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("JSON Schema reference for editors."),
    project,
    region: z.enum(REGIONS).describe("AWS region code."),
    // AWS tag limits: a key of 1-128 characters not starting with "aws:", a value of at most 256, both from this set.
    tags: z
      .record(
        z.string().regex(/^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { message: "must be an AWS tag key: 1-128 letters, digits, spaces or _.:/=+-@, not starting with aws:" }),
        z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { message: "must be an AWS tag value: at most 256 letters, digits, spaces or _.:/=+-@" }),
      )
      .default({}).describe("Tags added to every resource."),
    allowDestroy: z
      .boolean()
      .default(false)
      .describe("Drop prevent_destroy on the project-wide stateful resources (ECR repository, artifact bucket, keys, connection). Throwaway projects only."),
    github,
    service: service.prefault({}),
    pipeline: pipeline.prefault({}),
    ecr: ecr.prefault({}),
    network: network.prefault({ mode: "new" }),
    services: z
      .array(fleetService)
      .min(1)
      .max(100)
      .superRefine(checkServiceNames)
      .optional()
      .describe(
        "Fleet mode: many services on one platform per environment (network, cluster and connection in <project>-platform; the OIDC roles in <project>-access). " +
          "The top-level service and pipeline blocks become every service's defaults. @default - single-service mode (one <project> stack)",
      ),
    environments: z.array(environment).min(1).max(10).superRefine(checkEnvironmentNames).describe("Ordered environments the pipeline deploys to."),
    state,
  })
  .superRefine(checkCrossFields)
  .superRefine(checkStateKeyRegion)
  .superRefine(checkStateBucketOutsideProject)
  .superRefine(checkFleet)
  .superRefine(checkSharedRouting)
  .superRefine(checkGithubAdoption)
  .superRefine(checkReleaseTrigger);

export type DeployConfig = z.output<typeof deployConfigSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
export type EnvironmentConfig = DeployConfig["environments"][number];
export type NetworkConfig = DeployConfig["network"];
export type { CodeDeployDeploy, DeploySetting, DeploymentConfigSetting, EcsDeploy, EcsTrafficSetting } from "./deploy";
export type FleetServiceConfig = NonNullable<DeployConfig["services"]>[number];
