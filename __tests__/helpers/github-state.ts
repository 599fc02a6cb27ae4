// Test stacks for the GitHub/state area: an AWS stack holding the OIDC roles (and the webhook secret)
// beside a GitHub stack that references them, synthesized together like `cdktf synth` does.
import { codeDeployServiceArguments } from "../../constructs/environment/strategies/codedeploy";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodedeployApp } from "@cdktf/provider-aws/lib/codedeploy-app";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { DeployConfig, validateConfig } from "../../config";
import { CodeDeployDeploymentGroup } from "../../constructs/environment/strategies/codedeploy-deployment-group";
import { BlueGreenService } from "../../constructs/runtime/blue-green-service";
import { DeploymentAlarms } from "../../constructs/runtime/deployment-alarms";
import { FargateCluster } from "../../constructs/runtime/fargate-cluster";
import { GithubOidcRoles } from "../../constructs/identity/github-oidc";
import { BlueGreenLoadBalancer } from "../../constructs/runtime/blue-green-load-balancer";
import { Network } from "../../constructs/runtime/network";
import { DeployFileTarget } from "../../constructs/github/deploy-files";
import { WebhookSecret } from "../../constructs/delivery/sources/webhook-secret";
import { configureBackend } from "../../stacks/backend";
import { githubOidcProps } from "../../stacks/config-props";
import { GithubStack, githubStackId } from "../../stacks/github-stack";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only view of arbitrary Terraform JSON
export type Json = Record<string, any>;

/** A valid config for these tests; `overrides` replace top-level keys, `github` is merged. */
export function githubConfig(overrides: Record<string, unknown> = {}, github: Record<string, unknown> = {}): DeployConfig {
  return validateConfig(
    {
      project: "demo",
      region: "eu-west-1",
      github: { owner: "acme", repository: "web", infrastructureRepository: "acme/infra", deployEnvironment: { soloEvaluation: true }, ...github },
      environments: [{ name: "staging" }, { name: "prod" }],
      state: { backend: "s3", bucket: "acme-demo-tfstate", keyPrefix: "demo" },
      ...overrides,
    },
    "test config",
  );
}

export const CLOUD_STATE = { backend: "cloud", organization: "acme", hostname: "app.terraform.io" };

/** An AWS stack like the lead's, reduced to what the GitHub stack references. */
export class TestAwsStack extends TerraformStack {
  public readonly oidc: GithubOidcRoles;
  public readonly webhookSecret: WebhookSecret;

  constructor(app: App, config: DeployConfig) {
    super(app, config.project);
    new AwsProvider(this, "aws", { region: config.region });
    configureBackend(this, config, config.project);
    this.oidc = new GithubOidcRoles(this, "GithubOidc", githubOidcProps(config, config.project));
    this.webhookSecret = new WebhookSecret(this, "WebhookSecret");
  }
}

export interface SynthesizedPair {
  aws: Json;
  github: Json;
}

/**
 * Builds both stacks and runs a full `app.synth()` (cross-stack references only resolve across the
 * whole app), then reads the two `cdk.tf.json` files back.
 */
export function synthPair(
  config: DeployConfig,
  extra: (aws: TestAwsStack) => { deployFiles?: DeployFileTarget[]; webhookUrl?: string } = () => ({}),
): SynthesizedPair {
  const outdir = mkdtempSync(join(tmpdir(), "github-state-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const aws = new TestAwsStack(app, config);
    const more = extra(aws);
    new GithubStack(app, githubStackId(config), {
      config,
      oidc: aws.oidc,
      deployFiles: more.deployFiles,
      webhook: more.webhookUrl ? { url: more.webhookUrl, secret: aws.webhookSecret } : undefined,
    });
    app.synth();
    const read = (id: string): Json => JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as Json;
    return { aws: read(config.project), github: read(githubStackId(config)) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The statements of the policy document data source whose name starts with `prefix`. */
export function documentStatements(json: Json, prefix: string): Json[] {
  const docs = json.data?.aws_iam_policy_document ?? {};
  const key = Object.keys(docs).find((k) => k.startsWith(prefix));
  if (!key) throw new Error(`no policy document ${prefix}* (have ${Object.keys(docs).join(", ")})`);
  return docs[key].statement as Json[];
}

/** The single resource of `type` whose name starts with `prefix`. */
export function resourceNamed(json: Json, type: string, prefix: string): Json {
  const all = json.resource?.[type] ?? {};
  const keys = Object.keys(all).filter((k) => k.startsWith(prefix));
  if (keys.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${keys.join(", ") || "none"}`);
  return all[keys[0]];
}

/**
 * One environment's runtime and deployment inside the test AWS stack (network, ALB, cluster, service,
 * alarms, CodeDeploy), for the ecr-mode deploy files.
 */
export function addDeployment(stack: TerraformStack, environmentName: string): CodeDeployDeploymentGroup {
  const name = `demo-${environmentName}`;
  const network = new Network(stack, `${environmentName}Network`, {
    name,
    newVpc: { cidr: "10.0.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], natGateways: "single" },
  });
  const loadBalancer = new BlueGreenLoadBalancer(stack, `${environmentName}LoadBalancer`, {
    name,
    network,
    containerPort: 8080,
    healthCheck: { path: "/health" },
  });
  const cluster = new FargateCluster(stack, `${environmentName}Cluster`, { name });
  const service = new BlueGreenService(stack, `${environmentName}Service`, {
    name,
    region: "eu-west-1",
    cluster,
    network,
    loadBalancer,
    containerName: "app",
    containerPort: 8080,
    deployment: { serviceArguments: codeDeployServiceArguments },
    cpu: 256,
    memory: 512,
    desiredCount: 2,
  });
  const application = new CodedeployApp(stack, `${environmentName}Application`, { name, computePlatform: "ECS" });
  const alarms = new DeploymentAlarms(stack, `${environmentName}Alarms`, { name, loadBalancer });
  return new CodeDeployDeploymentGroup(stack, `${environmentName}Deployment`, {
    name,
    application,
    service,
    deploymentConfig: { preset: "CodeDeployDefault.ECSAllAtOnce" },
    terminationWaitMinutes: 5,
    alarms,
  });
}
